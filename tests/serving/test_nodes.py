"""Two `taskrouter serve` processes over one database wake each other: a change committed on
one node reaches the event streams and the dispatcher of the other at once, not at their next
poll (PostgreSQL: LISTEN/NOTIFY; SQLite: sockets beside the database file)."""

from __future__ import annotations

import json
import statistics
import threading
import time

import grpc
import pytest
from helpers import cancel_task, make_activity, make_queue, make_task, make_worker, make_workflow, make_workspace

from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import task_service_pb2_grpc
from taskrouter.v1 import workforce_service_pb2 as workforce


@pytest.fixture
def node_b(start_node, api_at):
    return api_at(start_node(http=False).grpc_target)


class Arrivals:
    """The events of a workspace as they reach a WatchEvents stream, with their arrival times."""

    def __init__(self, target: str, metadata, workspace_sid: str):
        self.seen: dict[tuple[str, str], float] = {}
        self._changed = threading.Condition()
        self._channel = grpc.insecure_channel(target)
        self._call = task_service_pb2_grpc.TaskServiceStub(self._channel).WatchEvents(
            tasks.WatchEventsRequest(workspace_sid=workspace_sid), metadata=metadata, timeout=120)
        self._call.initial_metadata()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for event in self._call:
                about = json.loads(event.event_data or "{}").get("taskSid", event.resource_sid)
                with self._changed:
                    self.seen.setdefault((event.event_type, about), time.monotonic())
                    self._changed.notify_all()
        except grpc.RpcError:
            pass

    def wait(self, event_type: str, resource_sid: str, timeout: float = 10.0) -> float:
        """When the event about `resource_sid` (for reservations: about that task) arrived."""
        with self._changed:
            assert self._changed.wait_for(lambda: (event_type, resource_sid) in self.seen, timeout), \
                f"no {event_type} for {resource_sid} within {timeout}s"
            return self.seen[(event_type, resource_sid)]

    def close(self) -> None:
        self._call.cancel()
        self._channel.close()


def test_a_task_created_on_node_b_reaches_streams_on_node_a_at_once(server, api, node_b):
    """Defect: streams polled every 0.5 s, so node A's streams saw node B's tasks ~450 ms late."""
    ws = make_workspace(api)
    workflow = make_workflow(api, ws.sid, make_queue(api, ws.sid).sid)
    stream = Arrivals(server.grpc_target, api.metadata, ws.sid)
    try:
        delays = []
        for _ in range(10):
            task = node_b.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=workflow.sid))
            returned = time.monotonic()
            delays.append(stream.wait("task.created", task.sid) - returned)
            time.sleep(0.05)
    finally:
        stream.close()
    assert statistics.median(delays) < 0.1, [round(d * 1000) for d in delays]


def test_a_worker_freed_on_node_a_takes_a_task_created_on_node_b_at_once(server, api, node_b):
    """Defect: node B remembered that the workspace had no free worker and skipped its pass for a
    new task until its 1 s sweep; node A heard of the task at its own sweep."""
    ws = make_workspace(api)
    online = make_activity(api, ws.sid, name="Ready", available=True)
    offline = make_activity(api, ws.sid, name="Away", available=False)
    workflow = make_workflow(api, ws.sid, make_queue(api, ws.sid).sid)
    worker = make_worker(api, ws.sid, activity_sid=offline.sid)
    stream = Arrivals(server.grpc_target, api.metadata, ws.sid)
    try:
        delays = []
        for _ in range(5):
            # node B looks and finds no free worker
            waiting = make_task(node_b, workflow.sid)
            stream.wait("task.created", waiting.sid)
            time.sleep(0.1)
            cancel_task(node_b, waiting.sid)
            # the worker becomes free on node A; then a task comes in on node B
            api.workforce.UpdateWorker(workforce.UpdateWorkerRequest(sid=worker.sid, activity_sid=online.sid))
            time.sleep(0.1)
            task = make_task(node_b, workflow.sid)
            returned = time.monotonic()
            delays.append(stream.wait("reservation.created", task.sid) - returned)
            cancel_task(node_b, task.sid)
            api.workforce.UpdateWorker(workforce.UpdateWorkerRequest(sid=worker.sid, activity_sid=offline.sid))
    finally:
        stream.close()
    assert max(delays) < 0.25, [round(d * 1000) for d in delays]
