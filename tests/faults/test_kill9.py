"""kill -9 of a server, on both databases: every task it acknowledged is found by the next server
process, and reservations it left pending or accepted are in a consistent state whose timers
still fire."""

from __future__ import annotations

import collections
import json
import threading
import time

import grpc
from fault_tools import ServerProcess, Stubs, create_account, stored_task_sids
from polling import eventually

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force

ACTIVE = ("pending", "accepted")


def _workspace(api: Stubs, account: dict, workers: int = 0, reservation_timeout: int = 120):
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=account["enterpriseSid"], name="Crash"))
    online = next(a.sid for a in api.configuration.ListActivities(
        conf.ListActivitiesRequest(workspace_sid=ws.sid)).result if a.name == "Online")
    queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(workspace_sid=ws.sid, name="All"))
    flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
        workspace_sid=ws.sid, name="Flow", task_reservation_timeout=reservation_timeout,
        configuration=json.dumps({"task_routing": {"default_filter": {"queue": queue.sid}}})))
    agents = [api.workforce.CreateWorker(force.CreateWorkerRequest(
        workspace_sid=ws.sid, name=f"Agent {i}", activity_sid=online, attributes=json.dumps({"contact_uri": f"a{i}"})))
        for i in range(workers)]
    return ws, flow, agents


def test_kill9_under_create_task_load_loses_no_acknowledged_task(fresh_database, tmp_path):
    server = ServerProcess(fresh_database, str(tmp_path))
    account = create_account(fresh_database)
    acked: list[str] = []
    lock = threading.Lock()
    with grpc.insecure_channel(server.grpc_target) as channel:
        api = Stubs(channel, account)
        ws, flow, _ = _workspace(api, account)

        def create() -> None:
            while True:
                try:
                    sid = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}")).sid
                except grpc.RpcError:
                    return  # the server is gone
                with lock:
                    acked.append(sid)

        clients = [threading.Thread(target=create, daemon=True) for _ in range(4)]
        for client in clients:
            client.start()
        eventually(lambda: len(acked) >= 100, timeout=30)
        server.kill9()
        for client in clients:
            client.join(timeout=30)

    again = ServerProcess(fresh_database, str(tmp_path))
    try:
        with grpc.insecure_channel(again.grpc_target) as channel:
            stored = stored_task_sids(Stubs(channel, account), ws.sid)
    finally:
        again.stop()
    missing = set(acked) - stored
    assert not missing, f"{len(missing)} of {len(acked)} acknowledged tasks lost by kill -9"


def _consistent(api: Stubs, ws_sid: str) -> dict[str, list]:
    """Reservations by status, after checking that no worker holds more than one active reservation
    (capacity 1), no task has two, and every assigned task has exactly one accepted reservation."""
    listed = api.tasks.ListReservations(tasks.ListReservationsRequest(workspace_sid=ws_sid, page_size=1000)).result
    by_status = collections.defaultdict(list)
    for reservation in listed:
        by_status[reservation.reservation_status.lower()].append(reservation)
    active = [r for r in listed if r.reservation_status.lower() in ACTIVE]
    for key in ("worker_sid", "task_sid"):
        held = collections.Counter(getattr(r, key) for r in active)
        assert all(n == 1 for n in held.values()), (key, held)
    for task_sid in {r.task_sid for r in listed}:
        task = api.tasks.GetTask(tasks.GetTaskRequest(sid=task_sid))
        accepted = [r for r in by_status["accepted"] if r.task_sid == task_sid]
        assert (task.assignment_status.lower() == "assigned") == (len(accepted) == 1), (task, accepted)
    return by_status


def test_kill9_with_pending_and_accepted_reservations(fresh_database, tmp_path):
    server = ServerProcess(fresh_database, str(tmp_path))
    account = create_account(fresh_database)
    with grpc.insecure_channel(server.grpc_target) as channel:
        api = Stubs(channel, account)
        ws, flow, agents = _workspace(api, account, workers=4, reservation_timeout=3)
        created = [api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}"))
                   for _ in agents]
        pending = eventually(lambda: len(_consistent(api, ws.sid)["pending"]) == len(created)
                             and _consistent(api, ws.sid)["pending"], timeout=15)
        accepted = pending[:2]
        for reservation in accepted:
            api.tasks.UpdateReservation(tasks.UpdateReservationRequest(
                sid=reservation.sid, reservation_status="accepted"))
        server.kill9()
    left_pending = {r.sid for r in pending[2:]}
    crashed_at = time.monotonic()

    again = ServerProcess(fresh_database, str(tmp_path))
    try:
        with grpc.insecure_channel(again.grpc_target) as channel:
            api = Stubs(channel, account)
            after = _consistent(api, ws.sid)
            assert {r.sid for r in after["accepted"]} == {r.sid for r in accepted}
            # The reservations left pending time out (their timers are in the database), and then
            # the state is still consistent.
            eventually(lambda: left_pending <= {r.sid for r in _consistent(api, ws.sid)["timeout"]}, timeout=20)
            assert time.monotonic() - crashed_at < 25
            final = _consistent(api, ws.sid)
            assert {r.sid for r in final["accepted"]} == {r.sid for r in accepted}
            for reservation in accepted:
                assert api.tasks.GetTask(tasks.GetTaskRequest(
                    sid=reservation.task_sid)).assignment_status.lower() == "assigned"
    finally:
        again.stop()
    assert "Traceback" not in again.log()
