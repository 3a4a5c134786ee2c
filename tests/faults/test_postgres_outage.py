"""A PostgreSQL restart or outage under load: calls fail fast with UNAVAILABLE (HTTP 503 in the
seed's envelope) while the database is away, gRPC health says NOT_SERVING, the server reconnects
by itself when it returns, timers that fell due meanwhile fire, every acknowledged task is stored,
and the log says so once per change instead of on every retry."""

from __future__ import annotations

import json
import threading
import time
import uuid

import grpc
import httpx
import pytest
from fault_tools import ServerProcess, Stubs, create_account, stored_task_sids
from grpc_health.v1 import health_pb2, health_pb2_grpc
from polling import eventually

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force

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


def _workspace_with_waiting_queue(api: Stubs, account: dict):
    """A workflow into a queue nobody serves: created tasks stay pending, so the load is CreateTask only."""
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=account["enterpriseSid"], name="Outage"))
    queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
        workspace_sid=ws.sid, name="Nobody", target_workers="skill == 'none'"))
    flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
        workspace_sid=ws.sid, name="Flow", configuration=json.dumps({"task_routing": {"default_filter": {
            "queue": queue.sid}}})))
    return ws, flow


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
    ws, flow = _workspace_with_waiting_queue(api, account)
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
    for loop in ("routing pass failed", "claiming callbacks failed"):
        assert log.count(loop) <= 2, (loop, log[-3000:])
    assert log.count("database unavailable") <= 2, log[-3000:]


def test_timer_due_during_an_outage_fires_when_the_database_returns(outage_server, throwaway_postgres):
    server, api, account, _ = outage_server
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=account["enterpriseSid"], name="Timers"))
    online = next(a.sid for a in api.configuration.ListActivities(
        conf.ListActivitiesRequest(workspace_sid=ws.sid)).result if a.name == "Online")
    queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(workspace_sid=ws.sid, name="All"))
    flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
        workspace_sid=ws.sid, name="Flow", task_reservation_timeout=2,
        configuration=json.dumps({"task_routing": {"default_filter": {"queue": queue.sid}}})))
    api.workforce.CreateWorker(force.CreateWorkerRequest(
        workspace_sid=ws.sid, name="Agent", activity_sid=online, attributes=json.dumps({"contact_uri": "agent"})))
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
