"""Proof under concurrency: many clients create tasks, switch worker activities, accept and
reject, against two `taskrouter serve` processes sharing the database. At the end no worker is
over capacity, no task is assigned twice, every task is in one valid state, every transition
is in the event log, and every event stream reader (WatchEvents and SSE, on each process, one of
them reconnecting with Last-Event-ID all along) saw every logged event, in order."""

from __future__ import annotations

import collections
import json
import random
import socket
import subprocess
import sys
import threading
import time

import grpc
import httpx
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
    """Another server process over the same database; its gRPC address (its HTTP gateway is at
    `http_url_of(address)`)."""
    port, http_port = _free_port(), _free_port()
    child = subprocess.Popen(
        [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", f"127.0.0.1:{port}",
         "--http-addr", f"127.0.0.1:{http_port}", "--database", database_url],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = child.stdout.readline()
    assert "listening" in line, line + (child.stdout.read() if child.poll() is not None else "")
    threading.Thread(target=child.stdout.read, daemon=True).start()  # keep its pipe from filling up
    _HTTP_URLS[f"127.0.0.1:{port}"] = f"http://127.0.0.1:{http_port}"
    yield f"127.0.0.1:{port}"
    child.terminate()
    child.wait(timeout=15)


_HTTP_URLS: dict[str, str] = {}


class GrpcReader:
    """A WatchEvents stream read into a list by a thread of its own."""

    def __init__(self, client, workspace_sid):
        self.seen: list = []
        self.call = client.tasks.WatchEvents(tasks.WatchEventsRequest(workspace_sid=workspace_sid), timeout=120)
        self.call.initial_metadata()  # the stream is open
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for event in self.call:
                self.seen.append((event.id, event.sid))
        except grpc.RpcError:
            pass

    def close(self):
        self.call.cancel()


class SseReader:
    """GET /taskrouter/events/stream read into a list; with `reconnect_every`, it drops the
    connection that often and resumes with Last-Event-ID, as a browser's EventSource does."""

    def __init__(self, base_url, account, workspace_sid, reconnect_every=None):
        self.seen: list = []
        self.reconnects = 0
        self._stop = threading.Event()
        self._client = httpx.Client(base_url=base_url, auth=(account["accountSid"], account["authToken"]),
                                    timeout=httpx.Timeout(30, read=None))
        self._workspace_sid, self._every = workspace_sid, reconnect_every
        self._opened = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()
        assert self._opened.wait(10), "the SSE stream did not open"

    def _run(self):
        try:
            while not self._stop.is_set():
                self._connection()
                self.reconnects += 1
        except (httpx.HTTPError, RuntimeError, ValueError):
            pass

    def _connection(self):
        headers = {"Last-Event-ID": str(self.seen[-1][0])} if self.seen else {}
        until = time.monotonic() + self._every if self._every else None
        with self._client.stream("GET", "/taskrouter/events/stream", params={"workspaceSid": self._workspace_sid},
                                 headers=headers) as response:
            assert response.status_code == 200, response.read()
            self._opened.set()
            for line in response.iter_lines():
                if line.startswith("data: "):
                    data = json.loads(line[len("data: "):])
                    self.seen.append((int(data["id"]), data["sid"]))
                if self._stop.is_set() or (until is not None and time.monotonic() > until):
                    return

    def close(self):
        self._stop.set()
        self._client.close()


def _all(list_call, request_class, **filters):
    items, page = [], 0
    while True:
        response = list_call(request_class(page=page, page_size=1000, **filters))
        items.extend(response.result)
        if not response.HasField("next_page_uri"):
            return items
        page += 1


def test_concurrent_clients_on_two_processes_keep_every_invariant(api, api_at, account, server, second_process):
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

    readers = [GrpcReader(client, ws.sid) for client in clients]
    readers += [SseReader(url, account, ws.sid) for url in (server.http_url, _HTTP_URLS[second_process])]
    readers.append(SseReader(_HTTP_URLS[second_process], account, ws.sid, reconnect_every=0.5))

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
    assert [e.id for e in events] == list(range(1, len(events) + 1)), "event positions have gaps"

    logged_order = [(e.id, e.sid) for e in events]
    deadline = time.monotonic() + 15
    while any(len(r.seen) < len(logged_order) for r in readers) and time.monotonic() < deadline:
        time.sleep(0.1)
    for reader in readers:
        reader.close()
    assert readers[-1].reconnects > 3, "the reconnecting reader did not reconnect"
    for n, reader in enumerate(readers):
        missing = len(set(logged_order) - set(reader.seen))
        assert reader.seen[:len(logged_order)] == logged_order, (
            f"reader {n} ({type(reader).__name__}) saw {len(reader.seen)} of {len(logged_order)} events, "
            f"{missing} missing, or out of order")
