"""A PostgreSQL restart or outage under load: calls fail fast with UNAVAILABLE (HTTP 503 in the
seed's envelope) while the database is away, gRPC health says NOT_SERVING, the server reconnects
by itself when it returns, timers that fell due meanwhile fire, every acknowledged task is stored,
and the log says so once per change instead of on every retry."""

from __future__ import annotations

import threading
import time
import uuid

import grpc
import httpx
import pytest
from fault_tools import (
    ServerProcess,
    Stubs,
    consistent_reservations,
    create_account,
    routed_workspace,
    stored_task_sids,
)
from grpc_health.v1 import health_pb2, health_pb2_grpc
from polling import eventually

from taskrouter.v1 import task_service_pb2 as tasks

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


@pytest.fixture
def outage_server(throwaway_postgres, tmp_path):
    url = throwaway_postgres.create_database(f"outage_{uuid.uuid4().hex[:12]}")
    server = ServerProcess(url, str(tmp_path), http=True)
    account = create_account(url)
    channel = grpc.insecure_channel(server.grpc_target)
    yield server, Stubs(channel, account), account, channel
    channel.close()
    server.stop()
    throwaway_postgres.start() if not _running(throwaway_postgres) else None


def _running(postgres) -> bool:
    import psycopg

    try:
        psycopg.connect(host="127.0.0.1", port=postgres.port, user="postgres", dbname="postgres",
                        connect_timeout=2).close()
        return True
    except psycopg.OperationalError:
        return False


class Load:
    """Clients creating tasks until stopped: what was acknowledged, and how each failure failed."""

    def __init__(self, api: Stubs, flow, clients: int = 4):
        self.acked: list[str] = []
        self.failures: list[tuple[grpc.StatusCode, float]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(api, flow), daemon=True) for _ in range(clients)]
        for thread in self._threads:
            thread.start()

    def _run(self, api: Stubs, flow) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                sid = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}")).sid
            except grpc.RpcError as exc:
                with self._lock:
                    self.failures.append((exc.code(), time.monotonic() - started))
                time.sleep(0.05)
                continue
            with self._lock:
                self.acked.append(sid)
            time.sleep(0.01)

    def successes_since(self, count: int) -> int:
        with self._lock:
            return len(self.acked) - count

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def _health(channel: grpc.Channel) -> int:
    try:
        return health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5).status
    except grpc.RpcError as exc:
        return -exc.code().value[0]


def test_postgres_restart_and_outage_under_load(outage_server, throwaway_postgres):
    server, api, account, channel = outage_server
    ws, flow, _ = routed_workspace(api, account, target_workers="skill == 'none'")  # tasks wait: CreateTask load
    load = Load(api, flow)
    try:
        eventually(lambda: load.successes_since(0) >= 20, timeout=20)

        throwaway_postgres.restart()
        acked = len(load.acked)
        eventually(lambda: load.successes_since(acked) >= 20, timeout=15)  # reconnected by itself

        throwaway_postgres.stop()
        time.sleep(0.5)
        assert _health(channel) == NOT_SERVING
        started = time.monotonic()
        with httpx.Client(base_url=server.http_url, auth=(account["accountSid"], account["authToken"])) as http:
            answer = http.post("/taskrouter/tasks", json={"workflowSid": flow.sid, "attributes": "{}"})
        assert time.monotonic() - started < 2.0, "a call during the outage must fail fast"
        assert answer.status_code == 503, answer.text
        assert answer.json()["errorCode"] == "503" and answer.json()["message"], answer.text
        assert answer.headers["retry-after"]
        time.sleep(2.5)  # the outage goes on under load

        throwaway_postgres.start()
        acked = len(load.acked)
        eventually(lambda: load.successes_since(acked) >= 20, timeout=15)
        eventually(lambda: _health(channel) == SERVING, timeout=10)
    finally:
        load.stop()

    codes = {code for code, _ in load.failures}
    assert load.failures, "the outage should have failed some calls"
    assert codes == {grpc.StatusCode.UNAVAILABLE}, codes
    assert max(seconds for _, seconds in load.failures) < 5.0, "calls must fail fast, not hang"
    stored = stored_task_sids(api, ws.sid)
    assert set(load.acked) <= stored, f"{len(set(load.acked) - stored)} acknowledged tasks were not stored"

    log = server.log()
    assert "Traceback" not in log, log[-3000:]
    # Two outages (the restart and the stop): each loop logs its failure and its recovery once per outage.
    for loop in ("routing loop failed", "claiming callbacks failed", "listening for wake-ups failed"):
        assert log.count(loop) <= 2, (loop, log[-3000:])
    assert log.count("database unavailable") <= 2, log[-3000:]


def test_timer_due_during_an_outage_fires_when_the_database_returns(outage_server, throwaway_postgres):
    server, api, account, _ = outage_server
    _, flow, _ = routed_workspace(api, account, workers=1, reservation_timeout=2)
    task = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}"))

    def reservations(status):
        return list(api.tasks.ListReservations(tasks.ListReservationsRequest(
            task_sid=task.sid, reservation_status=status)).result)

    offer = eventually(lambda: reservations("pending"), timeout=10)[0]
    throwaway_postgres.stop()
    time.sleep(3.0)  # the reservation's 2 s timeout falls due while the database is away
    throwaway_postgres.start()

    def timed_out():
        try:
            return [r for r in reservations("timeout") if r.sid == offer.sid]
        except grpc.RpcError as exc:
            assert exc.code() == grpc.StatusCode.UNAVAILABLE, exc
            return []

    eventually(timed_out, timeout=15)
    assert "Traceback" not in server.log()


def test_routing_stays_consistent_across_a_restart(outage_server, throwaway_postgres):
    """Tasks created, offered, accepted and completed while PostgreSQL restarts: every acknowledged
    accept and completion is stored, and no worker or task ends up with two active reservations."""
    _, api, account, _ = outage_server
    ws, flow, agents = routed_workspace(api, account, workers=4, reservation_timeout=5)
    accepted: set[str] = set()
    completed: set[str] = set()
    unexpected: list[grpc.RpcError] = []
    stop = threading.Event()
    tolerated = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.FAILED_PRECONDITION}  # an outage, or moved on

    def guarded(step):
        def run():
            while not stop.is_set():
                try:
                    step()
                except grpc.RpcError as exc:
                    if exc.code() not in tolerated:
                        unexpected.append(exc)
                    time.sleep(0.05)
        return run

    def create():
        api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}"))
        time.sleep(0.03)

    def agent(worker):
        def act():
            for offer in api.tasks.ListReservations(tasks.ListReservationsRequest(
                    worker_sid=worker.sid, reservation_status="pending")).result:
                api.tasks.UpdateReservation(tasks.UpdateReservationRequest(
                    sid=offer.sid, reservation_status="accepted"))
                accepted.add(offer.sid)
                api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=offer.task_sid, assignment_status="completed"))
                completed.add(offer.task_sid)
            time.sleep(0.02)
        return act

    threads = [threading.Thread(target=guarded(create), daemon=True)]
    threads += [threading.Thread(target=guarded(agent(worker)), daemon=True) for worker in agents]
    for thread in threads:
        thread.start()
    try:
        eventually(lambda: len(completed) >= 5, timeout=20)
        throwaway_postgres.restart()
        done = len(completed)
        eventually(lambda: len(completed) >= done + 5, timeout=20)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert not unexpected, unexpected[:3]

    by_status = consistent_reservations(api, ws.sid)
    stored_accepts = {r.sid for status in ("accepted", "completed") for r in by_status[status]}
    assert accepted <= stored_accepts, accepted - stored_accepts
    for task_sid in completed:
        assert api.tasks.GetTask(tasks.GetTaskRequest(sid=task_sid)).assignment_status.lower() == "completed"
