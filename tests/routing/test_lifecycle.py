"""The routing engine end to end over gRPC: workflows place tasks in queues, the dispatcher offers
them to free workers as reservations, and accept/reject/timeout/TTL move everything along."""

from __future__ import annotations

import http.server
import json
import threading
import time
import urllib.parse

import grpc
import pytest
from polling import eventually
from world import World

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workforce_service_pb2 as force


def test_seed_example_routes_jp_support_task_to_worker_x(api):
    """The seed's own example: workers X and Y, Sales and Support queues, the JP Support Filter."""
    world = World(api)
    x = world.worker("X", skills=["support", "sales"], languages=["EN"])
    y = world.worker("Y", skills=["sales"], languages=["JP", "EN"])
    sales = world.queue("Sales", "skills[any]='sales'")
    support = world.queue("Support", "skills[any]='support'")
    members = {q.sid: {w.name for w in api.workforce.ListWorkers(
        force.ListWorkersRequest(task_queue_sid=q.sid)).result} for q in (sales, support)}
    assert members == {sales.sid: {"X", "Y"}, support.sid: {"X"}}
    flow = world.workflow({"filters": [
        {"filter_friendly_name": "JP Support Filter", "expression": "(skill='support') AND (selected_language='jp')",
         "targets": [{"queue": support.sid}]},
        {"filter_friendly_name": "Sales Filter", "expression": "(skill='sales')", "targets": [{"queue": sales.sid}]},
    ], "default_filter": support.sid})
    task = world.task(flow, skill="support", selected_language="jp")
    assert task.task_queue_sid == support.sid
    reservation = world.pending_reservation(task)
    assert reservation.worker_sid == x.sid
    assert world.task_status(task) == "Reserved"
    assert not world.reservations(worker=y)


def test_accept_assigns_moves_activities_and_complete_finishes(api):
    world = World(api)
    busy = world.activity_named("Busy", False)
    ringing = world.activity_named("Ringing", False)
    queue = world.queue("Q", assignment_activity_sid=busy, reservation_activity_sid=ringing)
    worker = world.worker("W")
    flow = world.workflow({"filters": [], "default_filter": {"queue": queue.sid}})
    task = world.task(flow)
    reservation = world.pending_reservation(task)
    assert world.get_worker(worker).activity_name == "Ringing"
    accepted = world.respond(reservation, "accepted")
    assert accepted.reservation_status == "accepted"
    assert world.task_status(task) == "Assigned"
    assert world.get_worker(worker).activity_name == "Busy"
    done = api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="completed", reason="done"))
    assert (done.assignment_status, done.reason) == ("Completed", "done")
    assert world.reservations(task=task)[0].reservation_status == "completed"
    assert world.event_types(task.sid)[:3] == ["task.created", "workflow.target-matched", "task-queue.entered"]
    assert "task.completed" in world.event_types(task.sid)
    with pytest.raises(grpc.RpcError) as late:
        world.respond(reservation, "accepted")
    assert late.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_reject_reoffers_to_another_worker_and_not_to_the_rejecter(api):
    world = World(api)
    queue = world.queue("Q")
    first = world.worker("A")
    time.sleep(0.01)
    second = world.worker("B")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = world.task(flow)
    offered = world.pending_reservation(task)
    assert offered.worker_sid == first.sid  # longest idle first
    world.respond(offered, "rejected")
    again = eventually(lambda: list(world.reservations(task=task, status="pending")))
    assert again[0].worker_sid == second.sid
    world.respond(again[0], "rejected", worker_activity_sid=world.offline)
    assert world.get_worker(second).activity_name == "Offline"
    time.sleep(0.3)
    assert world.task_status(task) == "Pending"
    assert not world.reservations(task=task, status="pending")


def test_reservation_timeout_requeues_and_moves_worker_to_timeout_activity(api):
    world = World(api)
    queue = world.queue("Q")
    slow = world.worker("Slow")
    flow = world.workflow({"default_filter": {"queue": queue.sid}}, task_reservation_timeout=1)
    task = world.task(flow)
    world.pending_reservation(task)
    timed_out = eventually(lambda: world.reservations(task=task, status="timeout"), timeout=5)
    assert timed_out[0].worker_sid == slow.sid
    assert world.get_worker(slow).activity_name == "Offline"
    assert world.task_status(task) == "Pending"
    assert "reservation.timeout" in world.event_types(timed_out[0].sid)


def test_task_ttl_cancels_a_waiting_task(api):
    world = World(api)
    queue = world.queue("Q")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, timeout=1))
    assert task.timeout == 1
    canceled = eventually(lambda: (t := api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid))).assignment_status
                          == "Canceled" and t, timeout=5)
    assert "TTL" in canceled.reason


def test_target_timeout_moves_task_to_next_target_then_cancels_after_last(api):
    world = World(api)
    first, second = world.queue("First", "skill == 'nobody'"), world.queue("Second", "skill == 'nobody'")
    flow = world.workflow({"filters": [{"expression": "1==1", "targets": [
        {"queue": first.sid, "timeout": 1}, {"queue": second.sid, "timeout": 1, "priority": 7}]}]})
    task = world.task(flow)
    assert task.task_queue_sid == first.sid
    moved = eventually(lambda: (t := api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid))).task_queue_sid
                       == second.sid and t, timeout=5)
    assert moved.priority == 7
    canceled = eventually(lambda: world.task_status(task) == "Canceled", timeout=5)
    assert canceled
    kinds = world.event_types(task.sid)
    assert "task-queue.moved" in kinds and "workflow.timeout" in kinds and kinds[-1] == "task.canceled"


def test_task_matching_no_filter_and_no_default_is_canceled(api):
    world = World(api)
    queue = world.queue("Q")
    flow = world.workflow({"filters": [{"expression": "type == 'sales'", "targets": [{"queue": queue.sid}]}]})
    task = world.task(flow, type="support")
    assert task.assignment_status == "Canceled"
    assert "no filter" in task.reason


def test_max_reserved_workers_offers_to_several_and_first_accept_wins(api):
    world = World(api)
    queue = world.queue("Q", max_reserved_workers=2)
    world.worker("A"), world.worker("B"), world.worker("C")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = world.task(flow)
    offers = eventually(lambda: len(world.reservations(task=task, status="pending")) == 2
                        and world.reservations(task=task, status="pending"))
    world.respond(offers[1], "accepted")
    statuses = {r.sid: r.reservation_status for r in world.reservations(task=task)}
    assert statuses == {offers[1].sid: "accepted", offers[0].sid: "rescinded"}
    with pytest.raises(grpc.RpcError) as late:
        world.respond(offers[0], "accepted")
    assert late.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "rescinded" in late.value.details()


def test_bypass_reserved_state_assigns_directly(api):
    world = World(api)
    queue = world.queue("Q")
    worker = world.worker("W")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, bypass_reserved_state=True))
    assigned = eventually(lambda: (t := api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid))).assignment_status
                          == "Assigned" and t)
    assert assigned.worker_sid == worker.sid
    assert world.reservations(task=task)[0].reservation_status == "accepted"


def test_higher_priority_first_then_oldest(api):
    world = World(api)
    queue = world.queue("Q")
    worker = world.worker("W", online=False)
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    old_low = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, priority=1))
    new_high = api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, priority=5))
    world.set_activity(worker, world.online)
    assert world.pending_reservation(new_high).worker_sid == worker.sid
    assert world.task_status(old_low) == "Pending"


def test_worker_capacity_one_unless_multitask(api):
    world = World(api)
    queue = world.queue("Q")
    worker = api.workforce.CreateWorker(force.CreateWorkerRequest(
        workspace_sid=world.ws.sid, name="W", activity_sid=world.online, capacity=2,
        attributes=json.dumps({"contact_uri": "x"})))
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    created = [world.task(flow) for _ in range(3)]
    eventually(lambda: world.reservations(worker=worker, status="pending"))
    time.sleep(0.3)
    assert len(world.reservations(worker=worker, status="pending")) == 1
    api.configuration.UpdateWorkspace(conf.UpdateWorkspaceRequest(sid=world.ws.sid, multi_task_enabled=True))
    eventually(lambda: len(world.reservations(worker=worker, status="pending")) == 2)
    time.sleep(0.3)
    assert len(world.reservations(worker=worker, status="pending")) == 2
    assert sorted(world.task_status(t) for t in created) == ["Pending", "Reserved", "Reserved"]


def test_only_valid_transitions(api):
    world = World(api)
    queue = world.queue("Q")
    world.worker("W")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = world.task(flow)
    with pytest.raises(grpc.RpcError) as early:
        api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="completed"))
    assert early.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    world.respond(world.pending_reservation(task), "accepted")
    with pytest.raises(grpc.RpcError) as assigned:
        api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="Cancelled"))
    assert "only be completed" in assigned.value.details()
    api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="COMPLETED"))
    with pytest.raises(grpc.RpcError) as final:
        api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="canceled"))
    assert final.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_cancel_pending_task_cancels_its_reservation_and_frees_the_worker(api):
    world = World(api)
    ringing = world.activity_named("Ringing", False)
    queue = world.queue("Q", reservation_activity_sid=ringing)
    worker = world.worker("W")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    task = world.task(flow)
    reservation = world.pending_reservation(task)
    canceled = api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, assignment_status="Cancelled",
                                                            reason="Task was cancelled by API Call"))
    assert (canceled.assignment_status, canceled.assignment_state) == ("Canceled", "CANCELED")
    assert api.tasks.GetReservation(tasks.GetReservationRequest(sid=reservation.sid)).reservation_status == "canceled"
    assert world.get_worker(worker).activity_name == "Online"


def test_updating_a_pending_tasks_attributes_routes_it_again(api):
    world = World(api)
    sales, support = world.queue("Sales", "skill == 'none'"), world.queue("Support", "skill == 'none'")
    flow = world.workflow({"filters": [
        {"expression": "type == 'sales'", "targets": [{"queue": sales.sid}]},
        {"expression": "type == 'support'", "targets": [{"queue": support.sid}]}]})
    task = world.task(flow, type="sales")
    assert task.task_queue_sid == sales.sid
    updated = api.tasks.UpdateTask(tasks.UpdateTaskRequest(sid=task.sid, attributes='{"type": "support"}'))
    assert updated.task_queue_sid == support.sid
    assert "task-queue.moved" in world.event_types(task.sid)


class _CallbackServer:
    """A real HTTP server recording form posts and answering with a scripted reply."""

    def __init__(self, status=200, reply=b""):
        self.posts: list[dict] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                outer.posts.append({k: v[0] for k, v in urllib.parse.parse_qs(body).items()})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/assign"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def callback_servers():
    servers = []

    def make(**kw):
        servers.append(_CallbackServer(**kw))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


def test_assignment_callback_accept_instruction(api, callback_servers):
    world = World(api)
    queue = world.queue("Q")
    worker = world.worker("W")
    failing = callback_servers(status=500)
    accepting = callback_servers(reply=b'{"instruction": "accept"}')
    flow = world.workflow({"default_filter": {"queue": queue.sid}}, assignment_callback_url=failing.url,
                          fallback_assignment_callback_url=accepting.url)
    task = world.task(flow, type="sales")
    eventually(lambda: world.task_status(task) == "Assigned")
    post = accepting.posts[0]
    assert failing.posts and post == failing.posts[0]
    assert post["TaskSid"] == task.sid and post["WorkerSid"] == worker.sid
    assert json.loads(post["TaskAttributes"]) == {"type": "sales"}
    assert set(post) >= {"AccountSid", "WorkspaceSid", "WorkflowSid", "TaskQueueSid", "TaskAge", "TaskPriority",
                         "WorkerAttributes", "ReservationSid", "Timestamp"}


def test_event_stream_delivers_reservation_events(api):
    world = World(api)
    queue = world.queue("Q")
    world.worker("W")
    flow = world.workflow({"default_filter": {"queue": queue.sid}})
    stream = api.tasks.WatchEvents(tasks.WatchEventsRequest(workspace_sid=world.ws.sid), timeout=10)
    seen = []

    def read():
        for event in stream:
            seen.append(event)
            if event.event_type == "reservation.created":
                return

    reader = threading.Thread(target=read)
    reader.start()
    time.sleep(0.2)
    task = world.task(flow)
    reader.join(timeout=8)
    stream.cancel()
    kinds = [e.event_type for e in seen]
    assert kinds[:4] == ["task.created", "workflow.target-matched", "task-queue.entered", "reservation.created"]
    assert json.loads(seen[3].event_data)["taskSid"] == task.sid
    assert [e.id for e in seen] == sorted(e.id for e in seen)
    resumed = api.tasks.WatchEvents(tasks.WatchEventsRequest(workspace_sid=world.ws.sid, after_id=seen[1].id),
                                    timeout=3)
    assert next(iter(resumed)).id == seen[2].id
    resumed.cancel()
