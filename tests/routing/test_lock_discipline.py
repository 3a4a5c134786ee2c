"""Deletes against concurrent creates (issue 10, defect 4): a task never ends up live in a queue
or a workspace that no longer exists. On PostgreSQL the delete used to check for live tasks and
delete with no lock that CreateTask's group commit respected."""

from __future__ import annotations

import concurrent.futures
import threading

import grpc
from world import World

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks

ROUNDS = 12
CREATORS = 4


def _race(delete, create):
    """Runs `delete` and CREATORS loops of `create` at once; the outcomes of each."""
    start = threading.Barrier(CREATORS + 1)

    def creating():
        start.wait()
        outcomes = []
        for _ in range(3):
            try:
                outcomes.append(create())
            except grpc.RpcError as error:
                outcomes.append(error.code())
        return outcomes

    def deleting():
        start.wait()
        try:
            return delete()
        except grpc.RpcError as error:
            return error.code()

    with concurrent.futures.ThreadPoolExecutor(CREATORS + 1) as pool:
        creators = [pool.submit(creating) for _ in range(CREATORS)]
        deleted = pool.submit(deleting)
        return deleted.result(), [o for c in creators for o in c.result()]


def _live(api, **where):
    return [t for status in ("pending", "reserved", "assigned") for t in api.tasks.ListTasks(
        tasks.ListTasksRequest(assignment_status=status, page_size=1000, **where)).result]


def test_a_deleted_queue_never_holds_a_task_created_meanwhile(api):
    world = World(api)
    for round_ in range(ROUNDS):
        queue = world.queue(f"Q{round_}")
        flow = world.workflow({"filters": [], "default_filter": {"queue": queue.sid}}, name=f"F{round_}")
        request = conf.DeleteTaskQueueRequest(sid=queue.sid)
        deleted, _ = _race(lambda request=request: api.configuration.DeleteTaskQueue(request),
                           lambda flow=flow: world.task(flow))
        if not isinstance(deleted, grpc.StatusCode):  # the delete won: nothing may wait in the queue
            assert not _live(api, task_queue_sid=queue.sid), f"round {round_}: a live task in a deleted queue"


def test_a_deleted_workspace_never_holds_a_live_task_created_meanwhile(api):
    for round_ in range(ROUNDS // 2):
        world = World(api, name=f"Doomed {round_}")
        queue = world.queue("Q")
        flow = world.workflow({"filters": [], "default_filter": {"queue": queue.sid}})
        request = conf.DeleteWorkspaceRequest(sid=world.ws.sid)
        deleted, _ = _race(lambda request=request: api.configuration.DeleteWorkspace(request),
                           lambda world=world, flow=flow: world.task(flow))
        assert not isinstance(deleted, grpc.StatusCode), deleted
        assert not _live(api, workspace_sid=world.ws.sid), f"round {round_}: a live task in a deleted workspace"
