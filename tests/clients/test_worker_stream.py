"""The worker stream (SSE and gRPC WatchWorker) and presence, on one node and across two."""

from __future__ import annotations

import json
import threading
import time

import grpc
import httpx
from desks import bearer
from polling import eventually

from taskrouter.v1 import task_service_pb2 as ts
from taskrouter.v1 import task_service_pb2_grpc


def sse_events(lines, wanted: int, timeout: float = 15.0) -> list[dict]:
    """Reads SSE events from an iterator of lines (skipping comments) until `wanted` arrived."""
    found, current = [], {}
    deadline = time.monotonic() + timeout
    for line in lines:
        if line == "":
            if "data" in current:
                found.append(current)
                if len(found) >= wanted:
                    return found
            current = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(": ")
            current[key] = value
        assert time.monotonic() < deadline, found
    return found


def test_sse_stream_carries_only_this_workers_events_and_resumes(desk):
    agent = desk.agent(desk.token_a)
    with agent.stream("GET", f"/taskrouter/workers/{desk.a['sid']}/stream") as response:
        assert response.status_code == 200
        lines = response.iter_lines()
        assert next(lines) == ": connected"
        # Something about agent b only, then something about agent a.
        desk.ok(desk.http.put(f"/taskrouter/workers/{desk.b['sid']}", json={"activitySid": desk.activities["Online"]}))
        desk.ok(desk.http.put(f"/taskrouter/workers/{desk.b['sid']}", json={"activitySid": desk.activities["Offline"]}))
        task, reservation = desk.offered()
        events = sse_events(lines, 1)
    first = events[0]
    assert first["event"] == "reservation.created"
    data = json.loads(first["data"])
    assert data["resourceSid"] == reservation["sid"] and json.loads(data["eventData"])["workerSid"] == desk.a["sid"]
    # Accept and complete while no stream is open; resume from the first event.
    desk.ok(agent.put(f"/taskrouter/reservations/{reservation['sid']}", json={"reservationStatus": "accepted"}))
    desk.ok(agent.put(f"/taskrouter/workers/{desk.a['sid']}", json={"activitySid": desk.activities["Offline"]}))
    desk.ok(desk.http.put(f"/taskrouter/tasks/{task['sid']}", json={"assignmentStatus": "completed"}))
    with agent.stream("GET", f"/taskrouter/workers/{desk.a['sid']}/stream",
                      headers={"Last-Event-ID": first["id"]}) as response:
        events = sse_events(response.iter_lines(), 4)
    assert [e["event"] for e in events] == ["reservation.accepted", "worker.activity.update", "reservation.completed",
                                            "task.completed"]
    assert all(int(e["id"]) > int(first["id"]) for e in events)
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids)


def test_grpc_watch_worker_with_account_credentials_resumes_after_id(desk, api, channel):
    stub = task_service_pb2_grpc.TaskServiceStub(channel)
    _task, reservation = desk.offered()
    created = eventually(lambda: [e for e in desk.ok(desk.http.get("/taskrouter/events/search", params={
        "resourceSid": reservation["sid"]}))["result"] if e["eventType"] == "reservation.created"])[0]
    desk.ok(desk.http.put(f"/taskrouter/reservations/{reservation['sid']}", json={"reservationStatus": "rejected"}))
    stream = stub.WatchWorker(ts.WatchWorkerRequest(sid=desk.a["sid"], after_id=created["id"] - 1),
                              metadata=api.metadata, timeout=30)
    seen = [next(stream).event_type for _ in range(2)]
    stream.cancel()
    assert seen == ["reservation.created", "reservation.rejected"]


def test_sse_heartbeat_comment_every_15_seconds(desk):
    agent = desk.agent(desk.token_a)
    started = time.monotonic()
    with agent.stream("GET", f"/taskrouter/workers/{desk.a['sid']}/stream",
                      timeout=httpx.Timeout(30, read=30)) as response:
        lines = response.iter_lines()
        assert next(lines) == ": connected"
        assert next(lines) == ""
        assert next(lines) == ": heartbeat"
    assert 14 <= time.monotonic() - started < 25


def _presence(desk, grace: int = 1) -> None:
    desk.ok(desk.http.put(f"/taskrouter/workspaces/{desk.workspace['sid']}", json={
        "disconnectActivitySid": desk.activities["Offline"], "disconnectGraceSeconds": grace}))


class Watch:
    """A gRPC worker stream held open on a thread, collecting events until closed."""

    def __init__(self, target: str, worker_sid: str, token: str):
        self.channel = grpc.insecure_channel(target)
        self.call = task_service_pb2_grpc.TaskServiceStub(self.channel).WatchWorker(
            ts.WatchWorkerRequest(sid=worker_sid), metadata=bearer(token))
        self.call.initial_metadata()  # open
        self.events: list = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            for event in self.call:
                self.events.append(event)
        except grpc.RpcError:
            pass

    def close(self):
        self.call.cancel()
        self.thread.join(5)
        self.channel.close()


def _worker(desk, sid):
    return desk.ok(desk.http.get(f"/taskrouter/workers/search/{sid}"))


def test_workspace_presence_settings(desk):
    ws = desk.workspace
    assert ws["disconnectGraceSeconds"] == 30 and "disconnectActivitySid" not in ws
    updated = desk.ok(desk.http.put(f"/taskrouter/workspaces/{ws['sid']}", json={"disconnectActivityName": "Offline"}))
    assert updated["disconnectActivitySid"] == desk.activities["Offline"]
    assert updated["disconnectActivityName"] == "Offline"
    bad = desk.http.put(f"/taskrouter/workspaces/{ws['sid']}", json={"disconnectGraceSeconds": -1})
    assert bad.status_code == 400 and bad.json()["data"] == "disconnectGraceSeconds"
    bad = desk.http.put(f"/taskrouter/workspaces/{ws['sid']}", json={"disconnectActivitySid": "AT" + "0" * 32})
    assert bad.status_code == 409 and bad.json()["errorCode"] == "510"
    off = desk.ok(desk.http.put(f"/taskrouter/workspaces/{ws['sid']}", json={"disconnectActivitySid": ""}))
    assert "disconnectActivitySid" not in off


def test_closed_stream_disconnects_worker_after_grace_and_rescinds_its_offer(desk, server):
    _presence(desk, grace=2)
    watch = Watch(server.grpc_target, desk.a["sid"], desk.token_a)
    task, reservation = desk.offered()
    time.sleep(3.5)  # longer than the grace: an open stream keeps the worker connected
    assert _worker(desk, desk.a["sid"])["activityName"] == "Online"
    watch.close()
    closed = time.monotonic()
    eventually(lambda: _worker(desk, desk.a["sid"])["activityName"] == "Offline", timeout=10)
    assert time.monotonic() - closed >= 1.5  # not before the grace period
    assert desk.reservation_of(task["sid"], "rescinded")["sid"] == reservation["sid"]
    events = desk.ok(desk.http.get("/taskrouter/events/search", params={
        "resourceSid": desk.a["sid"], "eventType": "worker.disconnected"}))["result"]
    assert len(events) == 1 and json.loads(events[0]["eventData"])["activitySid"] == desk.activities["Offline"]
    task_now = desk.ok(desk.http.get(f"/taskrouter/tasks/search/{task['sid']}"))
    assert task_now["assignmentStatus"] == "Pending"  # back in its queue, with nobody Online


def test_reconnect_within_grace_keeps_the_worker(desk, server):
    _presence(desk, grace=3)
    first = Watch(server.grpc_target, desk.a["sid"], desk.token_a)
    first.close()
    time.sleep(1)
    second = Watch(server.grpc_target, desk.a["sid"], desk.token_a)
    time.sleep(4)
    assert _worker(desk, desk.a["sid"])["activityName"] == "Online"
    second.close()
    eventually(lambda: _worker(desk, desk.a["sid"])["activityName"] == "Offline", timeout=10)


def test_no_presence_without_disconnect_activity(desk, server):
    desk.ok(desk.http.put(f"/taskrouter/workspaces/{desk.workspace['sid']}", json={"disconnectGraceSeconds": 0}))
    Watch(server.grpc_target, desk.a["sid"], desk.token_a).close()
    time.sleep(2.5)
    assert _worker(desk, desk.a["sid"])["activityName"] == "Online"


def test_presence_across_two_nodes(desk, server, node_b):
    """A worker with streams on two nodes over one database is connected until the last one closes;
    then exactly one node disconnects it, once."""
    _presence(desk, grace=1)
    on_a = Watch(server.grpc_target, desk.a["sid"], desk.token_a)
    on_b = Watch(node_b.grpc_target, desk.a["sid"], desk.token_a)
    on_a.close()
    time.sleep(3.5)
    assert _worker(desk, desk.a["sid"])["activityName"] == "Online"
    # The stream on node b sees what node a's API does.
    task, _reservation = desk.offered()
    eventually(lambda: any(e.event_type == "reservation.created" for e in on_b.events))
    on_b.close()
    eventually(lambda: _worker(desk, desk.a["sid"])["activityName"] == "Offline", timeout=10)
    desk.reservation_of(task["sid"], "rescinded")
    time.sleep(2.5)  # both nodes have swept since
    events = desk.ok(desk.http.get("/taskrouter/events/search", params={
        "resourceSid": desk.a["sid"], "eventType": "worker.disconnected"}))["result"]
    assert len(events) == 1


def test_closing_the_sse_stream_disconnects_too(desk):
    """A browser desktop: the gateway ends the gRPC stream when the HTTP client leaves."""
    _presence(desk, grace=1)
    agent = desk.agent(desk.token_a)
    with agent.stream("GET", f"/taskrouter/workers/{desk.a['sid']}/stream") as response:
        lines = response.iter_lines()  # kept: a dropped line iterator closes the response
        assert next(lines) == ": connected"
        time.sleep(2.5)
        assert _worker(desk, desk.a["sid"])["activityName"] == "Online"
    eventually(lambda: _worker(desk, desk.a["sid"])["activityName"] == "Offline", timeout=10)


def test_a_crashed_nodes_streams_count_as_closed_once_their_lease_runs_out(desk, server, node_b):
    import signal

    from taskrouter.server.routing.presence import LEASE_SECONDS

    _presence(desk, grace=1)
    Watch(node_b.grpc_target, desk.a["sid"], desk.token_a)  # never closed: its node dies
    time.sleep(1)
    node_b.process.send_signal(signal.SIGKILL)
    node_b.process.wait(10)
    killed = time.monotonic()
    time.sleep(3)
    assert _worker(desk, desk.a["sid"])["activityName"] == "Online"  # the lease still runs
    eventually(lambda: _worker(desk, desk.a["sid"])["activityName"] == "Offline", timeout=LEASE_SECONDS + 10)
    assert time.monotonic() - killed >= LEASE_SECONDS - 6  # renewed at most 5 s before the kill
