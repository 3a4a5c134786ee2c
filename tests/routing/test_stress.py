"""Proof under concurrency: many clients create tasks, switch worker activities, accept and
reject, against two `taskrouter serve` processes sharing the database. At the end no worker is
over capacity, no task is assigned twice, every task is in one valid state and every transition
is in the event log."""

from __future__ import annotations

import collections
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time

import grpc
import pytest

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force

WORKERS = 8
CREATORS = 4
RUN_SECONDS = 6.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def second_process(server, database_url):
    """Another server process over the same database."""
    port = _free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", f"127.0.0.1:{port}", "--http-addr", "off",
         "--database", database_url], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = child.stdout.readline()
    assert "listening" in line, line + (child.stdout.read() if child.poll() is not None else "")
    yield f"127.0.0.1:{port}"
    child.terminate()
    child.wait(timeout=15)


def _all(list_call, request_class, **filters):
    items, page = [], 0
    while True:
        response = list_call(request_class(page=page, page_size=1000, **filters))
        items.extend(response.result)
        if not response.HasField("next_page_uri"):
            return items
        page += 1


def test_concurrent_clients_on_two_processes_keep_every_invariant(api, api_at, account, second_process):
    clients = [api, api_at(second_process)]
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=account["enterpriseSid"], name="Stress"))
    activities = {a.name: a.sid for a in api.configuration.ListActivities(
        conf.ListActivitiesRequest(workspace_sid=ws.sid)).result}
    queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
        workspace_sid=ws.sid, name="All", max_reserved_workers=2))
    flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
        workspace_sid=ws.sid, name="Flow", configuration=json.dumps(
            {"task_routing": {"default_filter": {"queue": queue.sid}}}), task_reservation_timeout=2))
    workers = [api.workforce.CreateWorker(force.CreateWorkerRequest(
        workspace_sid=ws.sid, name=f"W{i}", activity_sid=activities["Online"],
        attributes=json.dumps({"contact_uri": f"w{i}"}))) for i in range(WORKERS)]

    stop = time.monotonic() + RUN_SECONDS
    errors: list[BaseException] = []
    benign = {grpc.StatusCode.FAILED_PRECONDITION}  # a reservation or task that moved on meanwhile

    def guarded(body):
        def run(seed):
            rng = random.Random(seed)
            try:
                while time.monotonic() < stop:
                    try:
                        body(rng, clients[rng.randrange(2)])
                    except grpc.RpcError as exc:
                        if exc.code() not in benign:
                            raise
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
        return run

    @guarded
    def create(rng, client):
        client.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=flow.sid, priority=rng.randrange(3)))
        time.sleep(rng.random() * 0.02)

    def agent(worker):
        @guarded
        def act(rng, client):
            offers = client.tasks.ListReservations(tasks.ListReservationsRequest(
                worker_sid=worker.sid, reservation_status="pending")).result
            for offer in offers:
                choice = rng.random()
                if choice < 0.7:
                    client.tasks.UpdateReservation(tasks.UpdateReservationRequest(
                        sid=offer.sid, reservation_status="accepted"))
                    if rng.random() < 0.8:
                        client.tasks.UpdateTask(tasks.UpdateTaskRequest(
                            sid=offer.task_sid, assignment_status="completed"))
                elif choice < 0.9:
                    client.tasks.UpdateReservation(tasks.UpdateReservationRequest(
                        sid=offer.sid, reservation_status="rejected"))
            if rng.random() < 0.1:
                client.workforce.UpdateWorker(force.UpdateWorkerRequest(
                    sid=worker.sid, activity_sid=activities[rng.choice(["Online", "Online", "Offline"])]))
            time.sleep(rng.random() * 0.02)
        return act

    threads = [threading.Thread(target=create, args=(i,)) for i in range(CREATORS)]
    threads += [threading.Thread(target=agent(w), args=(100 + i,)) for i, w in enumerate(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    time.sleep(0.5)  # let the routing loops settle

    all_tasks = _all(api.tasks.ListTasks, tasks.ListTasksRequest, workspace_sid=ws.sid, is_live_session=True)
    all_tasks += _all(api.tasks.ListTasks, tasks.ListTasksRequest, workspace_sid=ws.sid, is_live_session=False)
    all_reservations = _all(api.tasks.ListReservations, tasks.ListReservationsRequest, workspace_sid=ws.sid)
    events = _all(api.tasks.ListEvents, tasks.ListEventsRequest, workspace_sid=ws.sid)
    assert len(all_tasks) > 20 and len(all_reservations) > 20

    by_task = collections.defaultdict(list)
    for r in all_reservations:
        by_task[r.task_sid].append(r)
    for task in all_tasks:
        assert task.assignment_status in ("Pending", "Reserved", "Assigned", "Completed", "Canceled")
        accepted = [r for r in by_task[task.sid] if r.reservation_status in ("accepted", "completed")]
        assert len(accepted) <= 1, f"task {task.sid} assigned twice: {accepted}"
        if task.assignment_status in ("Assigned", "Completed"):
            assert len(accepted) == 1 and accepted[0].worker_sid == task.worker_sid
        pending = [r for r in by_task[task.sid] if r.reservation_status == "pending"]
        assert (task.assignment_status == "Reserved") == bool(pending), (task, pending)
    active = collections.Counter(r.worker_sid for r in all_reservations
                                 if r.reservation_status in ("pending", "accepted"))
    assert max(active.values(), default=0) <= 1, active

    logged = collections.Counter((e.event_type, e.resource_sid) for e in events)
    for task in all_tasks:
        assert logged[("task.created", task.sid)] == 1
        if task.assignment_status == "Completed":
            assert logged[("task.completed", task.sid)] == 1
    for r in all_reservations:
        assert logged[("reservation.created", r.sid)] == 1
        if r.reservation_status != "pending":
            assert logged[(f"reservation.{r.reservation_status}", r.sid)] == 1
    assert [e.id for e in events] == sorted(e.id for e in events)
