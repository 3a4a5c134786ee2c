"""A model-based test of the whole router (issues 10 and 12). A hypothesis state machine drives the
real server, over gRPC, through random sequences of the things a contact center does: tasks of two
channels created, canceled, reprioritized, wrapped up and completed; workers created, going online
and offline, their channels' capacities raised and channels closed and opened; offers accepted,
rejected and left to time out; queues' maxReservedWorkers edited; the workflow edited (with and
without reEvaluateTasks), its targets timing out to the next one; tasks' TTLs expiring. After every
step, once the router has settled, it checks:

- the real state equals a reference model: a small in-memory simulator of the documented
  semantics (tasks by priority then age in their queue, longest idle worker first, refusals,
  capacity per channel, maxReservedWorkers, workflow targets and their timeouts, TTLs), written
  without any of the router's code;
- work conservation: no pending task and free, available, non-refusing member of its queue with
  room on the task's channel are left unmatched;
- no worker over its capacity on any channel, no task assigned twice;
- the event log: positions 1, 2, 3, ... without gaps, and replayed it gives the current status
  of every task, reservation and worker.

Time is the server's clock, replaced by a FakeClock for the test. Each step moves it by a second;
a "time passes" step jumps it by a multiple of JUMP. Every timer (target timeout, reservation
timeout, TTL) is just under a multiple of JUMP, so only a jump reaches one, with nothing else
happening at once: the router fires them in the order the model does. A target's timeout moves
only a pending task; one offered when its target times out stays until it is accepted or its
offer times out at a later jump (then it moves on). The test never rejects such an offer: the
router would move the task at its next timer check, a moment no step of the test can pin down.

CI runs a few examples; `HYPOTHESIS_PROFILE=long` runs many more (docs/routing.md)."""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import time

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force

# "ci" is derandomized: the same sequences on every run; "long" explores afresh each time.
PROFILES = {
    "ci": {"max_examples": 15, "stateful_step_count": 25, "derandomize": True},
    "long": {"max_examples": 300, "stateful_step_count": 40},
}
PROFILE = PROFILES[os.environ.get("HYPOTHESIS_PROFILE", "ci") if os.environ.get("HYPOTHESIS_PROFILE") in PROFILES
                   else "ci"]
QUEUES = ("a", "b")
KINDS = ("x", "y")  # the task attribute `kind`: the workflow has one filter per kind
CHANNELS = ("default", "chat")  # the channels tasks use (a workspace has more, each of capacity 1)
MAX_WORKERS = 3
SETTLE_SECONDS = 10.0  # generous: under load a pass can lag; a settled router is seen at once
JUMP = 1_000  # plain steps move the clock 1 s each: far fewer than 50 of them per example
TARGET_TIMEOUT = JUMP - 50
RESERVATION_TIMEOUT = 3 * JUMP - 50
SHORT_TTL = 6 * JUMP - 50
LONG_TTL = 1_209_600  # never reached
JUMPS = (JUMP, 3 * JUMP, 6 * JUMP)
LIVE = ("pending", "reserved", "assigned", "wrapping")
HOLDING = ("pending", "accepted", "wrapping")  # reservations that hold a worker's capacity

# A workflow: per kind, its filter's targets (queue, with a timeout or not), one or two of them.
ROUTING = st.fixed_dictionaries({kind: st.lists(st.tuples(st.sampled_from(QUEUES), st.booleans()),
                                                min_size=1, max_size=2) for kind in KINDS})


# --- the reference model -------------------------------------------------------------------------

@dataclasses.dataclass
class MWorker:
    order: int
    skills: frozenset[str]
    online: bool
    idle_since: float
    capacity: dict[str, int]  # per channel
    open: dict[str, bool]  # per channel: available or not


@dataclasses.dataclass
class MTask:
    order: int
    kind: str
    channel: str
    priority: int
    expires_at: float  # its TTL
    queue: str = ""
    entered_at: float = 0.0  # when it entered its queue
    target: int = 0  # its position in its filter's targets
    target_expires_at: float | None = None
    timeouts: int = 0  # how often a target's timeout moved it on
    status: str = "pending"


@dataclasses.dataclass
class MReservation:
    task: str
    worker: str
    status: str
    timeout_at: float


class Model:
    """What the documentation says the router does, as plainly as it can be said."""

    def __init__(self, multi: bool, now: float, routing: dict):
        self.multi, self.now, self.routing = multi, now, routing
        self.workers: dict[str, MWorker] = {}
        self.tasks: dict[str, MTask] = {}
        self.reservations: list[MReservation] = []
        self.refused: set[tuple[str, str]] = set()
        self.max_reserved = dict.fromkeys(QUEUES, 1)

    # -- workflow ---------------------------------------------------------------------------------
    def enter_target(self, task: MTask, position: int) -> None:
        """Into target `position` of the task's filter; past the last one, the task is canceled."""
        targets = self.routing[task.kind]
        if position >= len(targets):
            self.end_task(task, "canceled")
            return
        queue, timed = targets[position]
        task.queue, task.entered_at, task.target = queue, self.now, position
        task.target_expires_at = self.now + TARGET_TIMEOUT if timed else None

    def re_evaluate(self) -> None:
        """reEvaluateTasks: pending tasks start again from their filter's first target."""
        for task in self.tasks.values():
            if task.status == "pending":
                self.enter_target(task, 0)

    # -- matching ---------------------------------------------------------------------------------
    def room(self, worker_sid: str, channel: str) -> bool:
        """Multitask: the channel is open with capacity left, and so is the worker in all (the sum
        of its open channels' capacities). Else: the worker holds nothing and the channel is open."""
        worker = self.workers[worker_sid]
        held = collections.Counter(self.tasks[r.task].channel for r in self.reservations
                                   if r.worker == worker_sid and r.status in HOLDING)
        if not worker.open[channel] or worker.capacity[channel] == 0:
            return False
        if not self.multi:
            return not held
        in_all = sum(c for name, c in worker.capacity.items() if worker.open[name]) - sum(held.values())
        return held[channel] < worker.capacity[channel] and in_all > 0

    def settle(self) -> None:
        """Offers every waiting task, best first, to the longest idle free members of its queue."""
        waiting = sorted((t for t in self.tasks.items() if t[1].status == "pending"),
                         key=lambda item: (-item[1].priority, item[1].entered_at, item[1].order))
        for task_sid, task in waiting:
            free = sorted((sid for sid, w in self.workers.items()
                           if task.queue in w.skills and w.online and self.room(sid, task.channel)
                           and (task_sid, sid) not in self.refused),
                          key=lambda sid: (self.workers[sid].idle_since, self.workers[sid].order))
            for worker_sid in free[: self.max_reserved[task.queue]]:
                self.reservations.append(MReservation(task_sid, worker_sid, "pending", self.now + RESERVATION_TIMEOUT))
                self.workers[worker_sid].idle_since = self.now
                task.status = "reserved"

    # -- offers and tasks ---------------------------------------------------------------------------
    def _release(self, task: MTask) -> None:
        still_offered = any(self.tasks[r.task] is task and r.status == "pending" for r in self.reservations)
        if task.status == "reserved" and not still_offered:
            task.status = "pending"

    def close(self, reservation: MReservation, status: str) -> None:
        reservation.status = status
        if status in ("rejected", "timeout"):
            self.refused.add((reservation.task, reservation.worker))
        if status == "timeout":
            self.workers[reservation.worker].online = False  # the workspace's timeout activity: Offline
        self._release(self.tasks[reservation.task])

    def accept(self, reservation: MReservation) -> None:
        reservation.status = "accepted"
        task = self.tasks[reservation.task]
        task.status, task.target_expires_at = "assigned", None
        for other in self.reservations:
            if other.task == reservation.task and other.status == "pending":
                self.close(other, "rescinded")

    def wrap_up(self, task_sid: str) -> None:
        self.tasks[task_sid].status = "wrapping"
        for reservation in self.reservations:
            if reservation.task == task_sid and reservation.status == "accepted":
                reservation.status = "wrapping"

    def end_task(self, task: MTask, status: str) -> None:
        for reservation in self.reservations:
            if self.tasks[reservation.task] is not task:
                continue
            if reservation.status == "pending":
                self.close(reservation, "canceled")
            elif reservation.status in ("accepted", "wrapping"):
                reservation.status = "completed"
                self.workers[reservation.worker].idle_since = self.now
        task.status, task.target_expires_at = status, None

    # -- timers -------------------------------------------------------------------------------------
    def _timed_out(self, task: MTask) -> bool:
        return task.target_expires_at is not None and task.target_expires_at <= self.now

    def fire_timers(self) -> None:
        """What is due, in the router's order: offers time out, TTLs cancel, pending tasks' targets
        time out (all as read before any fires); the router matches; then the targets of tasks
        that the timed-out offers left pending time out, and it matches again."""
        offers = [r for r in self.reservations if r.status == "pending" and r.timeout_at <= self.now]
        expired = [t for t in self.tasks.values() if t.status in ("pending", "reserved") and t.expires_at <= self.now]
        timed_out = [t for t in self.tasks.values() if t.status == "pending" and self._timed_out(t)]
        for reservation in offers:
            self.close(reservation, "timeout")
        for task in expired:
            self.end_task(task, "canceled")
        for task in timed_out:
            if task.status == "pending":
                self._next_target(task)
        self.settle()
        for task in self.tasks.values():
            if task.status == "pending" and self._timed_out(task):
                self._next_target(task)

    def _next_target(self, task: MTask) -> None:
        task.timeouts += 1
        self.enter_target(task, task.target + 1)

    def timers_set(self) -> bool:
        return any(r.status == "pending" for r in self.reservations) or any(
            t.status in ("pending", "reserved") and (t.expires_at <= self.now + SHORT_TTL or t.target_expires_at is not None)
            for t in self.tasks.values())

    def rejectable(self, reservation: MReservation) -> bool:
        """Not an offer of a task whose target timed out while it was offered (module docstring)."""
        return not self._timed_out(self.tasks[reservation.task])


# --- the machine -----------------------------------------------------------------------------------

def _status(text: str) -> str:
    return text.lower()


class RouterMachine(RuleBasedStateMachine):
    api = None
    host = None
    multi = False  # a multitasking workspace (workers take up to their capacity per channel)

    def __init__(self):
        super().__init__()
        self.clock = None

    @initialize(first=st.lists(st.tuples(st.sets(st.sampled_from(QUEUES), min_size=1), st.integers(1, 2)),
                               min_size=2, max_size=2), routing=ROUTING)
    def workspace(self, first, routing):
        """The workspace, its queues a and b and a workflow to them, and two workers online from the
        start (most interesting cases need them)."""
        from taskrouter.server.clock import FakeClock

        self.clock = FakeClock(start=time.time())
        self.restore = self.host.env.clock
        self.host.env.clock = self.clock
        api = self.api
        self.ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
            enterprise_sid=api.account["enterpriseSid"], name=f"Model {time.monotonic_ns()}",
            multi_task_enabled=self.multi))
        activities = api.configuration.ListActivities(conf.ListActivitiesRequest(workspace_sid=self.ws.sid)).result
        self.activity = {a.name: a.sid for a in activities}
        self.all_channels = [c.unique_name for c in api.configuration.ListTaskChannels(
            conf.ListTaskChannelsRequest(workspace_sid=self.ws.sid, page_size=100)).result]
        self.queue = {q: api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
            workspace_sid=self.ws.sid, name=q, target_workers=f"skills HAS '{q}'")).sid for q in QUEUES}
        self.flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
            workspace_sid=self.ws.sid, name="Flow", task_reservation_timeout=RESERVATION_TIMEOUT,
            configuration=self._configuration(routing)))
        self.model = Model(self.multi, self.clock.now(), routing)
        self.channel_sids: dict[tuple[str, str], str] = {}  # (worker, channel) -> worker channel SID
        for skills, capacity in first:
            self._add_worker(skills, capacity, True)

    def _configuration(self, routing: dict) -> str:
        return json.dumps({"task_routing": {"filters": [
            {"filter_friendly_name": kind, "expression": f"kind == '{kind}'",
             "targets": [{"queue": self.queue[queue], **({"timeout": TARGET_TIMEOUT} if timed else {})}
                         for queue, timed in routing[kind]]}
            for kind in KINDS]}})

    def teardown(self):
        if self.clock is not None:
            self.api.configuration.DeleteWorkspace(conf.DeleteWorkspaceRequest(sid=self.ws.sid))
            self.host.env.clock = self.restore

    def _tick(self, seconds: float = 1.0) -> None:
        self.clock.advance(seconds)
        self.model.now = self.clock.now()

    # -- rules ----------------------------------------------------------------------------------
    @precondition(lambda self: len(self.model.workers) < MAX_WORKERS)
    @rule(skills=st.sets(st.sampled_from(QUEUES), min_size=1), capacity=st.integers(1, 3), online=st.booleans())
    def add_worker(self, skills, capacity, online):
        self._add_worker(skills, capacity, online)

    def _add_worker(self, skills, capacity, online):
        """`capacity` is the default channel's; every other channel starts at 1."""
        self._tick()
        worker = self.api.workforce.CreateWorker(force.CreateWorkerRequest(
            workspace_sid=self.ws.sid, name=f"W{len(self.model.workers)}", capacity=capacity,
            activity_sid=self.activity["Online" if online else "Offline"],
            attributes=json.dumps({"contact_uri": "client:x", "skills": sorted(skills)})))
        for channel in self.api.workforce.ListWorkerChannels(force.ListWorkerChannelsRequest(
                worker_sid=worker.sid, page_size=100)).result:
            self.channel_sids[(worker.sid, channel.task_channel_unique_name)] = channel.sid
        self.model.workers[worker.sid] = MWorker(
            len(self.model.workers), frozenset(skills), online, self.clock.now(),
            capacity={**dict.fromkeys(self.all_channels, 1), "default": capacity},
            open=dict.fromkeys(self.all_channels, True))

    @rule(kind=st.sampled_from(KINDS), channel=st.sampled_from(CHANNELS), priority=st.integers(0, 2),
          short_ttl=st.booleans())
    def create_task(self, kind, channel, priority, short_ttl):
        self._tick()
        ttl = SHORT_TTL if short_ttl else LONG_TTL
        task = self.api.tasks.CreateTask(tasks.CreateTaskRequest(
            workflow_sid=self.flow.sid, priority=priority, timeout=ttl, task_channel=channel,
            attributes=json.dumps({"kind": kind})))
        self.model.tasks[task.sid] = created = MTask(len(self.model.tasks), kind, channel, priority,
                                                     self.clock.now() + ttl)
        self.model.enter_target(created, 0)

    def _tasks_in(self, *statuses):
        """In creation order (SIDs are random: sorting by them would make hypothesis's draws differ
        between runs of one example)."""
        return [sid for sid, t in self.model.tasks.items() if t.status in statuses]

    @precondition(lambda self: self._tasks_in("pending", "reserved"))
    @rule(data=st.data())
    def cancel_task(self, data):
        sid = data.draw(st.sampled_from(self._tasks_in("pending", "reserved")))
        self._tick()
        self.api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=sid, assignment_status="canceled"))
        self.model.end_task(self.model.tasks[sid], "canceled")

    @precondition(lambda self: self._tasks_in("pending", "reserved"))
    @rule(data=st.data(), priority=st.integers(0, 2))
    def reprioritize(self, data, priority):
        sid = data.draw(st.sampled_from(self._tasks_in("pending", "reserved")))
        self._tick()
        self.api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=sid, priority=priority))
        self.model.tasks[sid].priority = priority

    @precondition(lambda self: self._tasks_in("assigned"))
    @rule(data=st.data())
    def wrap_up_task(self, data):
        sid = data.draw(st.sampled_from(self._tasks_in("assigned")))
        self._tick()
        self.api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=sid, assignment_status="wrapping"))
        self.model.wrap_up(sid)

    @precondition(lambda self: self._tasks_in("assigned", "wrapping"))
    @rule(data=st.data())
    def complete_task(self, data):
        sid = data.draw(st.sampled_from(self._tasks_in("assigned", "wrapping")))
        self._tick()
        self.api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=sid, assignment_status="completed"))
        self.model.end_task(self.model.tasks[sid], "completed")

    @precondition(lambda self: self.model.workers)
    @rule(data=st.data(), online=st.booleans())
    def set_availability(self, data, online):
        sid = data.draw(st.sampled_from(list(self.model.workers)))
        self._tick()
        self.api.workforce.UpdateWorker(force.UpdateWorkerRequest(
            sid=sid, activity_sid=self.activity["Online" if online else "Offline"]))
        worker = self.model.workers[sid]
        if online and not worker.online:
            worker.idle_since = self.clock.now()
        worker.online = online

    @precondition(lambda self: self.model.workers)
    @rule(data=st.data(), channel=st.sampled_from(CHANNELS), raise_by=st.integers(0, 2), available=st.booleans())
    def edit_channel(self, data, channel, raise_by, available):
        """Capacities only grow: a lowered one may legitimately sit below what the worker holds."""
        sid = data.draw(st.sampled_from(list(self.model.workers)))
        worker = self.model.workers[sid]
        self._tick()
        self.api.workforce.UpdateWorkerChannel(force.UpdateWorkerChannelRequest(
            sid=self.channel_sids[(sid, channel)], capacity=worker.capacity[channel] + raise_by, available=available))
        worker.capacity[channel] += raise_by
        worker.open[channel] = available

    def _pending(self):
        return [r for r in self.model.reservations if r.status == "pending"]

    def _sid_of(self, reservation: MReservation) -> str:
        found = self.api.tasks.ListReservations(tasks.ListReservationsRequest(
            workspace_sid=self.ws.sid, task_sid=reservation.task, worker_sid=reservation.worker,
            reservation_status="pending", page_size=10)).result
        assert len(found) == 1, found
        return found[0].sid

    @precondition(lambda self: self._pending())
    @rule(data=st.data(), accept=st.booleans())
    def respond(self, data, accept):
        offers = [r for r in self._pending() if accept or self.model.rejectable(r)]
        if not offers:
            return
        reservation = data.draw(st.sampled_from(offers))
        sid = self._sid_of(reservation)
        self._tick()
        self.api.tasks.UpdateReservation(tasks.UpdateReservationRequest(
            sid=sid, reservation_status="accepted" if accept else "rejected"))
        if accept:
            self.model.accept(reservation)
        else:
            self.model.close(reservation, "rejected")

    @precondition(lambda self: self.model.timers_set())
    @rule(seconds=st.sampled_from(JUMPS))
    def time_passes(self, seconds):
        """Every timer due by then fires: open offers time out (their workers go to the timeout
        activity, Offline), TTLs cancel tasks, targets' timeouts move tasks on."""
        self._tick(seconds)
        self.host.dispatcher.wake(self.ws.sid)
        self.model.fire_timers()

    @rule(queue=st.sampled_from(QUEUES), most=st.integers(1, 2))
    def edit_queue(self, queue, most):
        self._tick()
        self.api.configuration.UpdateTaskQueue(conf.UpdateTaskQueueRequest(
            sid=self.queue[queue], max_reserved_workers=most))
        self.model.max_reserved[queue] = most

    @rule(routing=ROUTING, re_evaluate=st.booleans())
    def edit_workflow(self, routing, re_evaluate):
        """Without reEvaluateTasks, tasks keep their queue and target position (and its timeout),
        and go on through the new targets from there."""
        self._tick()
        self.api.workflow.UpdateWorkflow(flows.UpdateWorkflowRequest(
            sid=self.flow.sid, configuration=self._configuration(routing), re_evaluate_tasks=re_evaluate))
        self.model.routing = routing
        if re_evaluate:
            self.model.re_evaluate()

    # -- after every step --------------------------------------------------------------------
    @invariant()
    def settled_as_the_model_says(self):
        if self.clock is None:
            return
        self.model.settle()
        expected = self._expected()
        deadline = time.monotonic() + SETTLE_SECONDS
        while True:
            state = self._real()
            if state["view"] == expected or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        self._check_invariants(state)
        assert state["view"] == expected, "the router differs from the reference model"

    def _expected(self) -> dict:
        model = self.model
        return {
            "tasks": {sid: (t.status, t.queue, t.timeouts) for sid, t in model.tasks.items()},
            "reservations": sorted((r.task, r.worker, r.status) for r in model.reservations),
            "online": {sid: w.online for sid, w in model.workers.items()},
        }

    def _real(self) -> dict:
        api, ws = self.api, self.ws.sid
        listed = [t for live in (True, False) for t in api.tasks.ListTasks(tasks.ListTasksRequest(
            workspace_sid=ws, is_live_session=live, page_size=1000)).result]
        reservations = list(api.tasks.ListReservations(tasks.ListReservationsRequest(
            workspace_sid=ws, page_size=1000)).result)
        workers = list(api.workforce.ListWorkers(force.ListWorkersRequest(workspace_sid=ws, page_size=1000)).result)
        channels = list(api.workforce.ListWorkerChannels(force.ListWorkerChannelsRequest(
            workspace_sid=ws, page_size=1000)).result)
        events = list(api.tasks.ListEvents(tasks.ListEventsRequest(workspace_sid=ws, page_size=1000)).result)
        queue_name = {sid: name for name, sid in self.queue.items()}
        timeouts = collections.Counter(e.resource_sid for e in events if e.event_type == "workflow.timeout")
        return {
            "view": {
                "tasks": {t.sid: (_status(t.assignment_status), queue_name[t.task_queue_sid], timeouts[t.sid])
                          for t in listed},
                "reservations": sorted((r.task_sid, r.worker_sid, r.reservation_status) for r in reservations),
                "online": {w.sid: w.available for w in workers},
            },
            "tasks": listed, "reservations": reservations, "workers": workers, "events": events,
            "channels": {(c.worker_sid, c.task_channel_unique_name): c for c in channels},
        }

    def _check_invariants(self, state: dict) -> None:
        multi = self.model.multi
        workers = {w.sid: w for w in state["workers"]}
        channels = state["channels"]
        held: collections.Counter = collections.Counter()
        accepted: collections.Counter = collections.Counter()
        for r in state["reservations"]:
            if r.reservation_status in HOLDING:
                held[(r.worker_sid, r.task_channel_unique_name)] += 1
            if r.reservation_status in ("accepted", "wrapping", "completed"):
                accepted[r.task_sid] += 1
        for (worker_sid, channel), channel_row in channels.items():
            assert channel_row.assigned_tasks == held[(worker_sid, channel)], f"worker {worker_sid} {channel} count"
            if multi:
                assert held[(worker_sid, channel)] <= channel_row.configured_capacity, \
                    f"worker {worker_sid} over capacity on {channel}"
        if not multi:
            holding = collections.Counter(worker_sid for worker_sid, _ in held.elements())
            assert all(n <= 1 for n in holding.values()), "a single-task worker holds two tasks"
        assert all(count == 1 for count in accepted.values()), "a task assigned twice"
        refused = {(r.task_sid, r.worker_sid) for r in state["reservations"]
                   if r.reservation_status in ("rejected", "timeout")}
        skills = {sid: w.skills for sid, w in self.model.workers.items()}
        for task in state["tasks"]:
            if _status(task.assignment_status) != "pending":
                continue
            queue = next(q for q, sid in self.queue.items() if sid == task.task_queue_sid)
            for sid, worker in workers.items():
                if (queue in skills[sid] and worker.available and (task.sid, sid) not in refused
                        and self._has_room(state, sid, task.task_channel_unique_name)):
                    raise AssertionError(f"work conservation: task {task.sid} waits while {worker.name} is free")
        self._check_event_log(state)

    def _has_room(self, state: dict, worker_sid: str, channel: str) -> bool:
        """From the server's own worker channels: the same rule as Model.room."""
        rows = {name: row for (sid, name), row in state["channels"].items() if sid == worker_sid}
        wanted = rows[channel]
        if not wanted.available or wanted.configured_capacity == 0:
            return False
        if not self.model.multi:
            return sum(row.assigned_tasks for row in rows.values()) == 0
        in_all = sum(row.configured_capacity for row in rows.values() if row.available) - sum(
            row.assigned_tasks for row in rows.values())
        return wanted.assigned_tasks < wanted.configured_capacity and in_all > 0

    def _check_event_log(self, state: dict) -> None:
        events = state["events"]
        assert [e.id for e in events] == list(range(1, len(events) + 1)), "event positions have gaps"
        task_status: dict[str, str] = {}
        reservation_status: dict[str, str] = {}
        reservation_task: dict[str, str] = {}
        available: dict[str, bool] = {}
        for e in events:
            data = json.loads(e.event_data or "{}")
            kind = e.event_type
            if kind == "task.created":
                task_status[e.resource_sid] = "pending"
            elif kind in ("task.canceled", "task.completed"):
                task_status[e.resource_sid] = kind.split(".")[1]
            elif kind == "task.wrapup":
                task_status[e.resource_sid] = "wrapping"
            elif kind == "task.updated" and data.get("assignmentStatus") == "pending":
                task_status[e.resource_sid] = "pending"
            elif kind == "reservation.created":
                reservation_status[e.resource_sid] = "pending"
                reservation_task[e.resource_sid] = data["taskSid"]
                task_status[data["taskSid"]] = "reserved"
            elif kind.startswith("reservation."):
                status = {"wrapup": "wrapping"}.get(kind.split(".")[1], kind.split(".")[1])
                reservation_status[e.resource_sid] = status
                if status == "accepted":
                    task_status[reservation_task[e.resource_sid]] = "assigned"
            elif kind == "worker.activity.update":
                available[e.resource_sid] = data["available"]
        assert task_status == {t.sid: _status(t.assignment_status) for t in state["tasks"]}, "replayed tasks"
        assert reservation_status == {r.sid: r.reservation_status for r in state["reservations"]}, "replayed offers"
        for w in state["workers"]:
            if w.sid in available:
                assert available[w.sid] == w.available, "replayed worker activity"


@pytest.mark.timeout(900)
@pytest.mark.parametrize("multi", [False, True], ids=["single-task", "multitask"])
def test_the_router_behaves_as_its_model(api, server, multi):
    RouterMachine.api, RouterMachine.host, RouterMachine.multi = api, server.host, multi
    run_state_machine_as_test(RouterMachine, settings=settings(
        deadline=None, database=None, suppress_health_check=list(HealthCheck), **PROFILE))
