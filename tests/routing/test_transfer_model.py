"""A model-based test of transfers: a hypothesis state machine drives the real server through random
sequences (tasks on random channels, offers accepted or rejected, wrap-up, completion, cold and
warm transfers to workers) and checks after every step, per channel:

- no worker holds more tasks of a channel (offered, assigned or wrapping) than its capacity there;
- no task is held by two workers (a warm transfer's open offer aside), and a held task is
  assigned or wrapping to the worker whose reservation holds it;
- at most one transfer of a task is initiated, and a completed one left the task with its target;
- work conservation per channel: no task waits while a free worker has room on its channel.

Channels, capacities and wrap-up are in the reference model of test_router_model.py; transfers
are checked here by their invariants only: a reference model of them (warm offers ranked among a
queue's waiting tasks, a failed cold transfer routed again through the workflow) would double
that model's size.

CI runs a few derandomized examples (HYPOTHESIS_PROFILE=long runs more)."""

from __future__ import annotations

import collections
import os
import time

from center import Center
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from polling import eventually

CHANNELS = ("voice", "chat", "sms")
LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
SETTINGS = settings(max_examples=40 if LONG else 4, stateful_step_count=30 if LONG else 12, deadline=None,
                    derandomize=not LONG, suppress_health_check=list(HealthCheck))
HOLDING = ("pending", "accepted", "wrapping")


class TransferMachine(RuleBasedStateMachine):
    http = account = None

    def __init__(self):
        super().__init__()
        self.center = Center(self.http, self.account, multi_task=True)
        self.flow = self.center.simple_workflow(self.center.queue())
        self.workers = [self.center.worker(f"W{i}") for i in range(3)]
        self.tasks: list[dict] = []

    # -- reading the server ---------------------------------------------------------------------
    def _reservations(self):
        return self.center.reservations()

    def _live_tasks(self):
        return [self.center.task_now(t) for t in self.tasks]

    def _settle(self):
        time.sleep(0.15)

    # -- rules ----------------------------------------------------------------------------------
    @rule(channel=st.sampled_from(CHANNELS))
    def create_task(self, channel):
        self.tasks.append(self.center.task(self.flow, channel=channel))
        self._settle()

    @rule(accept=st.booleans(), pick=st.integers(0, 50))
    def answer_an_offer(self, accept, pick):
        pending = [r for r in self._reservations() if r["reservationStatus"] == "pending"]
        if pending:
            reservation = pending[pick % len(pending)]
            response = self.http.put(f"/taskrouter/reservations/{reservation['sid']}",
                                     json={"reservationStatus": "accepted" if accept else "rejected"})
            assert response.status_code in (200, 409), response.text  # 409: it moved on meanwhile
            self._settle()

    @rule(pick=st.integers(0, 50), wrap=st.booleans())
    def finish_a_task(self, pick, wrap):
        held = [t for t in self._live_tasks() if t["assignmentStatus"] in ("Assigned", "Wrapping")]
        if held:
            task = held[pick % len(held)]
            status = "wrapping" if wrap and task["assignmentStatus"] == "Assigned" else "completed"
            response = self.http.put(f"/taskrouter/tasks/{task['sid']}", json={"assignmentStatus": status})
            assert response.status_code in (200, 409), response.text  # 409: under transfer, cannot wrap
            self._settle()

    @rule(pick=st.integers(0, 50), to=st.integers(0, 2), mode=st.sampled_from(("cold", "warm")))
    def transfer_a_task(self, pick, to, mode):
        assigned = [t for t in self._live_tasks() if t["assignmentStatus"] == "Assigned"]
        if assigned:
            task = assigned[pick % len(assigned)]
            target = self.workers[to]["sid"]
            response = self.http.post("/taskrouter/transfers", json={"taskSid": task["sid"], "to": target,
                                                                      "mode": mode})
            assert response.status_code in (200, 400, 409), response.text  # own worker, already transferring
            self._settle()

    # -- invariants -----------------------------------------------------------------------------
    @invariant()
    def within_capacity_per_channel(self):
        held = collections.Counter((r["workerSid"], r["taskChannelUniqueName"]) for r in self._reservations()
                                   if r["reservationStatus"] in HOLDING)
        for worker in self.workers:
            channels = self.center.worker_channels(worker)
            for channel in CHANNELS:
                assert held[(worker["sid"], channel)] <= channels[channel]["configuredCapacity"], (worker, channel)
                assert channels[channel]["assignedTasks"] == held[(worker["sid"], channel)]

    @invariant()
    def no_task_held_twice(self):
        by_task = collections.defaultdict(list)
        for r in self._reservations():
            by_task[r["taskSid"]].append(r)
        for task in self._live_tasks():
            holding = [r for r in by_task[task["sid"]] if r["reservationStatus"] in ("accepted", "wrapping")]
            assert len(holding) <= 1, holding
            if holding:
                assert task["assignmentStatus"] in ("Assigned", "Wrapping")
                assert task["workerSid"] == holding[0]["workerSid"]
                assert holding[0]["reservationStatus"] == ("wrapping" if task["assignmentStatus"] == "Wrapping"
                                                           else "accepted")
            pending = [r for r in by_task[task["sid"]] if r["reservationStatus"] == "pending"]
            if task["assignmentStatus"] in ("Assigned", "Wrapping"):
                assert all(r.get("transferSid") for r in pending), pending  # only a warm transfer's offer

    @invariant()
    def transfers_are_consistent(self):
        for task in self.tasks:
            transfers = self.center.get("/taskrouter/transfers/search", taskSid=task["sid"], pageSize=100)["result"]
            assert sum(t["transferStatus"] == "initiated" for t in transfers) <= 1
            for transfer in transfers:
                if transfer["transferStatus"] == "completed":
                    accepted = self.center.get(f"/taskrouter/reservations/search/{transfer['reservationSid']}")
                    assert accepted["workerSid"] == transfer["to"]

    @invariant()
    def work_conserving_per_channel(self):
        def conserved():
            reservations = self._reservations()
            refused = {(r["taskSid"], r["workerSid"]) for r in reservations if r["reservationStatus"] == "rejected"}
            held = collections.Counter((r["workerSid"], r["taskChannelUniqueName"]) for r in reservations
                                       if r["reservationStatus"] in HOLDING)
            rooms = {w["sid"]: self.center.worker_channels(w) for w in self.workers}
            for task in self._live_tasks():
                if task["assignmentStatus"] != "Pending":
                    continue
                channel = task["taskChannelUniqueName"]
                for worker_sid, channels in rooms.items():
                    if (channels[channel]["available"] and (task["sid"], worker_sid) not in refused
                            and held[(worker_sid, channel)] < channels[channel]["configuredCapacity"]
                            and self._may_take(task, worker_sid)):
                        return False
            return True
        eventually(conserved, timeout=4)

    def _may_take(self, task: dict, worker_sid: str) -> bool:
        """A task under a cold transfer to a worker waits for that worker only."""
        initiated = self.center.get("/taskrouter/transfers/search", taskSid=task["sid"],
                                    transferStatus="initiated")["result"]
        return not initiated or not initiated[0]["to"].startswith("WK") or initiated[0]["to"] == worker_sid


def test_transfers_keep_their_invariants(http, account):
    TransferMachine.http, TransferMachine.account = http, account
    run_state_machine_as_test(TransferMachine, settings=SETTINGS)
