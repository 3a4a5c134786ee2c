"""Jobs run inside the load-generating processes (see bench.pool). Every job opens its own gRPC
channels (one per thread, with a local subchannel pool so each is its own TCP connection; that
also spreads the load over the processes of `serve --processes N`). Times are
`time.monotonic()`, which is one system-wide clock on Linux, so they compare across processes."""

from __future__ import annotations

import base64
import http.client
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import grpc

from bench.history import seed_history  # noqa: F401 - a job of the pool, found by name
from taskrouter.v1 import task_service_pb2, task_service_pb2_grpc

STOP = threading.Event()  # replaced by the pool with one the coordinator can set
CHANNEL_OPTIONS = [("grpc.use_local_subchannel_pool", 1)]
CREATE_TASK = "/taskrouter.v1.TaskService/CreateTask"


def channel(target: str) -> grpc.Channel:
    ch = grpc.insecure_channel(target, options=CHANNEL_OPTIONS)
    grpc.channel_ready_future(ch).result(timeout=30)
    return ch


def metadata(account: dict) -> tuple:
    token = base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()
    return (("authorization", f"Basic {token}"),)


def _merged(parts: list[dict]) -> dict:
    """One closed-loop client's counts from its threads' counts."""
    return {"count": sum(p["count"] for p in parts), "errors": sum(p["errors"] for p in parts),
            "busy": sum(p["busy"] for p in parts),
            "first_error": next((p["first_error"] for p in parts if p["first_error"]), "")}


def _threads(count: int, body: Callable[[int], Any]) -> list[Any]:
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = body(i)
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return results


def _sleep_until(moment: float) -> None:
    delay = moment - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def task_request(workflow_sid: str, team: int) -> task_service_pb2.CreateTaskRequest:
    return task_service_pb2.CreateTaskRequest(workflow_sid=workflow_sid,
                                              attributes=json.dumps({"team": f"q{team}", "bench": True}))


# -- closed-loop throughput ------------------------------------------------------------------------------


def _closed_loop(start_at: float, end_at: float, first: int, call: Callable[[int], str]) -> dict:
    """Runs call(k), k = first, first + 1, ..., back to back until end_at, and counts the calls
    that end inside [start_at, end_at). `call` returns "" on success, else what went wrong."""
    done = errors = 0
    busy = 0.0
    first_error = ""
    k = first
    while True:
        t0 = time.monotonic()
        if t0 >= end_at:
            break
        error = call(k)
        k += 1
        first_error = first_error or error
        t1 = time.monotonic()
        if start_at <= t1 < end_at:
            if error:
                errors += 1
            else:
                done += 1
                busy += t1 - max(t0, start_at)
    return {"count": done, "errors": errors, "busy": busy, "first_error": first_error}


def unary(signal, *, target: str, method: str, payloads: list[bytes], account: dict, threads: int,
          start_at: float, duration: float) -> dict:
    """Each thread calls `method` back to back (raw bytes in and out, so the client does the same
    work for every server) and counts the calls that end inside [start_at, start_at+duration)."""
    md = metadata(account)

    def body(i: int) -> dict:
        ch = channel(target)
        send = ch.unary_unary(method)  # no (de)serializers: bytes

        def call(k: int) -> str:
            try:
                send(payloads[k % len(payloads)], metadata=md, timeout=30)
            except grpc.RpcError as exc:
                return f"{exc.code()}: {exc.details()}"
            return ""

        try:
            return _closed_loop(start_at, start_at + duration, i, call)
        finally:
            ch.close()

    return _merged(_threads(threads, body))


def http_create(signal, *, host: str, port: int, account: dict, bodies: list[bytes], threads: int,
                start_at: float, duration: float) -> dict:
    """POST /taskrouter/tasks with a JSON body over keep-alive connections, back to back."""
    auth = base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()

    def body(i: int) -> dict:
        conn = http.client.HTTPConnection(host, port, timeout=30)

        def call(k: int) -> str:
            nonlocal conn
            payload = bodies[k % len(bodies)]
            try:
                conn.request("POST", "/taskrouter/tasks", body=payload,
                             headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json",
                                      "Content-Length": str(len(payload))})
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                return repr(exc)
            return "" if response.status == 200 else f"HTTP {response.status}: {data[:200]!r}"

        try:
            return _closed_loop(start_at, start_at + duration, i, call)
        finally:
            conn.close()

    return _merged(_threads(threads, body))


# -- routing latency ---------------------------------------------------------------------------------------


def paced_create(signal, *, target: str, account: dict, workflow_sid: str, rate: float, count: int,
                 threads: int, start_at: float, offset: int = 0, stride: int = 1) -> list:
    """Open loop: creates `count` tasks at `rate`/s (this process's share), spread over threads.
    Task k of the whole run is sent at start_at + k/(rate*stride); this process sends
    k = offset, offset+stride, ... Returns (taskSid, sent, returned) per task."""
    md = metadata(account)
    interval = 1.0 / rate  # between this process's tasks

    def body(i: int) -> list:
        ch = channel(target)
        stub = task_service_pb2_grpc.TaskServiceStub(ch)
        out = []
        try:
            for j in range(i, count, threads):
                _sleep_until(start_at + j * interval)
                team = (offset + j * stride) % 10
                sent = time.monotonic()
                task = stub.CreateTask(task_request(workflow_sid, team), metadata=md, timeout=30)
                out.append((task.sid, sent, time.monotonic()))
        finally:
            ch.close()
        return out

    return [row for part in _threads(threads, body) for row in part]


def observe(signal, *, target: str, account: dict, workspace_sid: str, expected: int, timeout: float,
            event_type: str = "reservation.created", after_id: int = 1) -> dict:
    """Watches the workspace's event stream until `expected` events of `event_type` arrived (or
    `timeout`). Returns arrival times by task SID, and the arrival order."""
    md = metadata(account)
    ch = channel(target)
    stub = task_service_pb2_grpc.TaskServiceStub(ch)
    arrivals: dict[str, float] = {}
    order: list[float] = []
    last_id = after_id
    call = stub.WatchEvents(task_service_pb2.WatchEventsRequest(
        workspace_sid=workspace_sid, after_id=after_id, event_type=event_type), metadata=md, timeout=timeout)
    finished = threading.Event()

    def cancel_on_stop() -> None:
        while not finished.is_set():
            if STOP.wait(0.2):
                call.cancel()
                return

    threading.Thread(target=cancel_on_stop, daemon=True).start()
    time.sleep(0.3)  # let the stream reach the server before the load starts
    signal("ready")
    try:
        for event in call:
            now = time.monotonic()
            order.append(now)
            last_id = max(last_id, event.id)
            try:
                task_sid = json.loads(event.event_data).get("taskSid", event.resource_sid)
            except ValueError:
                task_sid = event.resource_sid
            arrivals.setdefault(task_sid, now)
            if len(order) >= expected:
                break
    except grpc.RpcError as exc:
        if exc.code() not in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.CANCELLED):
            raise
    finally:
        finished.set()
        call.cancel()
        ch.close()
    return {"arrivals": arrivals, "order": order, "last_id": last_id}


# -- the drain -------------------------------------------------------------------------------


def switch_online(signal, *, database_url: str, workspace_sid: str, activity_sid: str, keep: list[str]) -> float:
    """Moves every worker of the workspace but `keep` to `activity_sid` in one transaction, straight
    in the database (what a shift start of thousands of agents amounts to), without waking the
    server; returns the moment (time.monotonic) it committed."""
    from taskrouter.server.store import db, models
    from taskrouter.server.store.db import write_transaction

    store = db.connect(database_url)
    W = models.Worker
    with write_transaction():
        W.update(activity_sid=activity_sid).where((W.workspace_sid == workspace_sid) & W.sid.not_in(keep)).execute()
    committed = time.monotonic()
    store.close()
    return committed


def expressions(signal, *, workflow_configuration: str, n: int) -> dict:
    """ns per evaluation of a targetWorkers expression and of a workflow (10 filters)."""
    from taskrouter.server.routing import expressions as ex
    from taskrouter.server.routing import workflow_config

    worker = {"contact_uri": "client:w1", "team": "q7", "skills": ["sales", "support"], "languages": ["en", "fr"],
              "level": 4}
    rounds = 10  # best of 10 x 3 short runs: other processes on the machine only ever make it slower
    simple = min(ex.bench_ns_per_eval("team == 'q7'", worker, n // rounds) for _ in range(rounds))
    compound = min(ex.bench_ns_per_eval("skills HAS 'support' AND languages[any] = 'fr' AND level >= 3", worker,
                                        n // rounds) for _ in range(rounds))
    config = workflow_config.parse(workflow_configuration)
    tasks = [{"team": f"q{team}", "bench": True} for team in range(10)]  # each filter matches once
    match = config.match
    best = float("inf")
    repeat = max(1, n // (10 * rounds))
    for _ in range(rounds * 3):
        start = time.perf_counter_ns()
        for _ in range(repeat):
            for attrs in tasks:
                match(attrs)
        elapsed = time.perf_counter_ns() - start
        best = min(best, elapsed)
    return {"target_simple_ns": simple, "target_compound_ns": compound, "workflow_ns": best / (repeat * 10)}


# -- seeding at scale ----------------------------------------------------------------------------------------


def seed(signal, *, database_url: str, workspace_sid: str, worker_templates: list[str], workers: int,
         task_templates: list[str], tasks: int, name_prefix: str, chunk: int = 2000) -> dict:
    """Brings the workspace to `workers` workers and `tasks` tasks by copying rows that the API
    created (the templates: one worker and one task per queue), with fresh SIDs, names and
    times, straight into the database. Copies carry exactly the columns the server wrote, and a
    worker's copies get its queue memberships. (Creating 100,000 tasks through CreateTask at this
    server's rate would take longer than the whole benchmark may.)"""
    import uuid

    from taskrouter.server.store import db, models
    from taskrouter.server.store.db import write_transaction
    from taskrouter.server.store.rows import dicts, tuples

    store = db.connect(database_url)
    W, T, M, WC = models.Worker, models.Task, models.QueueMember, models.WorkerChannel
    started = time.monotonic()

    def insert(model, rows: list[dict]) -> None:
        if not rows:
            return
        names = list(rows[0])
        columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
        marks = ", ".join([models.database.param] * len(names))
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        for start in range(0, len(rows), chunk):
            with write_transaction():
                models.database.cursor().executemany(sql, [tuple(r[n] for n in names)
                                                           for r in rows[start:start + chunk]])

    new_workers: list[str] = []
    if workers > len(worker_templates):
        templates = dicts(W.select().where(W.sid.in_(worker_templates)).order_by(W.id))
        members: dict[str, list[str]] = {}
        for queue_sid, worker_sid in tuples(M.select(M.queue_sid, M.worker_sid).where(
                M.worker_sid.in_(worker_templates))):
            members.setdefault(worker_sid, []).append(queue_sid)
        channels: dict[str, list[dict]] = {}  # a worker's channels, as the server made them
        for channel in dicts(WC.select().where(WC.worker_sid.in_(worker_templates))):
            channels.setdefault(channel["worker_sid"], []).append({k: v for k, v in channel.items() if k != "id"})
        base = max(t["idle_since"] for t in templates)
        rows: list[dict] = []
        member_rows: list[dict] = []
        channel_rows: list[dict] = []
        for i in range(workers - len(templates)):
            template = templates[i % len(templates)]
            row = {k: v for k, v in template.items() if k != "id"}
            name = f"{name_prefix}{i}"
            attributes = json.loads(template["attributes"])
            attributes["contact_uri"] = f"client:{name}"
            row.update(sid="WK" + uuid.uuid4().hex, name=name, attributes=json.dumps(attributes),
                       idle_since=base + (i + 1) * 1e-6)
            rows.append(row)
            member_rows.extend({"queue_sid": q, "worker_sid": row["sid"]} for q in members.get(template["sid"], []))
            channel_rows.extend(dict(c, sid="WC" + uuid.uuid4().hex, worker_sid=row["sid"])
                                for c in channels.get(template["sid"], []))
            new_workers.append(row["sid"])
        insert(W, rows)
        insert(M, member_rows)
        insert(WC, channel_rows)
    if tasks > len(task_templates):
        templates = dicts(T.select().where(T.sid.in_(task_templates)).order_by(T.id))
        base = max(t["created_at"] for t in templates)
        rows = []
        for i in range(tasks - len(templates)):
            template = templates[i % len(templates)]
            row = {k: v for k, v in template.items() if k != "id"}
            shift = base + (i + 1) * 1e-5 - template["created_at"]
            row["sid"] = "TK" + uuid.uuid4().hex
            for key in ("created_at", "updated_at", "queue_entered_at", "expires_at"):
                if row.get(key) is not None:
                    row[key] += shift
            rows.append(row)
        insert(T, rows)
    if db.is_postgres():  # planner statistics for the bulk load, as an operator would (autovacuum takes ~1 min)
        models.database.execute_sql("ANALYZE")
    store.close()
    return {"workers": new_workers, "seconds": time.monotonic() - started}


def timed_gets(port: int, account: dict, path: str, calls: int, host: str = "127.0.0.1") -> list[float]:
    """GET `path` `calls` times, one after another on one keep-alive connection: milliseconds each
    (the first few, which warm the connection and caches, not counted)."""
    auth = base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()
    conn = http.client.HTTPConnection(host, port, timeout=30)
    timings = []
    try:
        for k in range(calls + 5):
            began = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": f"Basic {auth}"})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: HTTP {response.status}: {body[:200]!r}")
            if k >= 5:
                timings.append((time.perf_counter() - began) * 1000)
    finally:
        conn.close()
    return timings


# -- open streams and nodes ------------------------------------------------------------------------------


def hold_streams(signal, *, target: str, http_port: int, account: dict, workspace_sid: str, grpc_streams: int,
                 sse_streams: int, per_channel: int = 100) -> dict:
    """Opens `grpc_streams` WatchEvents calls (`per_channel` on each connection) and `sse_streams`
    SSE streams (a connection each), signals "ready" once the server answered every one, and
    holds them until the coordinator stops the job."""
    import socket

    md = metadata(account)
    channels = [channel(target) for _ in range((grpc_streams + per_channel - 1) // per_channel)]
    request = task_service_pb2.WatchEventsRequest(workspace_sid=workspace_sid)
    calls = [task_service_pb2_grpc.TaskServiceStub(channels[i // per_channel]).WatchEvents(
        request, metadata=md, timeout=3600) for i in range(grpc_streams)]
    for call in calls:
        call.initial_metadata()
    auth = base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()
    sockets, refused = [], 0
    for _ in range(sse_streams):
        sock = socket.create_connection(("127.0.0.1", http_port), timeout=30)
        sock.sendall((f"GET /taskrouter/events/stream?workspaceSid={workspace_sid} HTTP/1.1\r\n"
                      f"Host: 127.0.0.1\r\nAuthorization: Basic {auth}\r\n\r\n").encode())
        sockets.append(sock)
    for sock in sockets:
        head = sock.recv(4096)
        refused += not head.startswith(b"HTTP/1.1 200")
    signal("ready")
    STOP.wait()
    for call in calls:
        call.cancel()
    for ch in channels:
        ch.close()
    for sock in sockets:
        sock.close()
    return {"grpc": len(calls), "sse": len(sockets) - refused, "refused": refused}


def cross_node_routing(signal, *, node_a: str, node_b: str, account: dict, workspace_sid: str, workflow_sid: str,
                       worker_sid: str, online: str, offline: str, samples: int) -> list:
    """Per sample: the worker goes Online on node A, then a task comes in on node B; returns
    (taskSid, returned) so the coordinator can match the reservation.created arrivals. Between
    samples the task is canceled on B and the worker goes Offline on A (node B learns there is
    no free worker, the state that made it wait for its sweep)."""
    from taskrouter.v1 import workforce_service_pb2, workforce_service_pb2_grpc

    md = metadata(account)
    a, b = channel(node_a), channel(node_b)
    workers = workforce_service_pb2_grpc.WorkforceServiceStub(a)
    tasks = task_service_pb2_grpc.TaskServiceStub(b)
    out = []
    try:
        for _ in range(samples):
            workers.UpdateWorker(workforce_service_pb2.UpdateWorkerRequest(sid=worker_sid, activity_sid=online),
                                 metadata=md, timeout=30)
            time.sleep(0.05)
            task = tasks.CreateTask(task_request(workflow_sid, 0), metadata=md, timeout=30)
            out.append((task.sid, time.monotonic()))
            time.sleep(0.1)
            tasks.UpdateTask(task_service_pb2.UpdateTaskRequest(sid=task.sid, assignment_status="canceled",
                                                                reason="bench"), metadata=md, timeout=30)
            workers.UpdateWorker(workforce_service_pb2.UpdateWorkerRequest(sid=worker_sid, activity_sid=offline),
                                 metadata=md, timeout=30)
            time.sleep(0.05)
    finally:
        a.close()
        b.close()
    return out
