"""kill -9 of a server, on both databases: every task it acknowledged is found by the next server
process, and reservations it left pending or accepted are in a consistent state whose timers
still fire."""

from __future__ import annotations

import threading
import time

import grpc
from fault_tools import (
    ServerProcess,
    Stubs,
    consistent_reservations,
    create_account,
    routed_workspace,
    stored_task_sids,
)
from polling import eventually

from taskrouter.v1 import task_service_pb2 as tasks


def test_kill9_under_create_task_load_loses_no_acknowledged_task(fresh_database, tmp_path):
    server = ServerProcess(fresh_database, str(tmp_path))
    account = create_account(fresh_database)
    acked: list[str] = []
    lock = threading.Lock()
    with grpc.insecure_channel(server.grpc_target) as channel:
        api = Stubs(channel, account)
        ws, flow, _ = routed_workspace(api, account)

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


def test_kill9_with_pending_and_accepted_reservations(fresh_database, tmp_path):
    server = ServerProcess(fresh_database, str(tmp_path))
    account = create_account(fresh_database)
    with grpc.insecure_channel(server.grpc_target) as channel:
        api = Stubs(channel, account)
        ws, flow, agents = routed_workspace(api, account, workers=4, reservation_timeout=3)
        created = [api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, attributes="{}"))
                   for _ in agents]
        pending = eventually(lambda: len(consistent_reservations(api, ws.sid)["pending"]) == len(created)
                             and consistent_reservations(api, ws.sid)["pending"], timeout=15)
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
            after = consistent_reservations(api, ws.sid)
            assert {r.sid for r in after["accepted"]} == {r.sid for r in accepted}
            # The reservations left pending time out (their timers are in the database), and then
            # the state is still consistent.
            eventually(lambda: left_pending <= {r.sid for r in consistent_reservations(api, ws.sid)["timeout"]},
                       timeout=20)
            assert time.monotonic() - crashed_at < 25
            final = consistent_reservations(api, ws.sid)
            assert {r.sid for r in final["accepted"]} == {r.sid for r in accepted}
            for reservation in accepted:
                assert api.tasks.GetTask(tasks.GetTaskRequest(
                    sid=reservation.task_sid)).assignment_status.lower() == "assigned"
    finally:
        again.stop()
    assert "Traceback" not in again.log()
