"""GET /metrics on the HTTP address of a live server: the counters, histograms and gauges of
docs/operations.md move with real calls."""

from __future__ import annotations

import http.server
import threading

import grpc
import httpx
import peewee as pw
import polling
import pytest
from observing import Routing, scrape, value

from taskrouter.v1 import task_service_pb2 as tasks

TASKS = "taskrouter.v1.TaskService"


def test_calls_move_the_rpc_http_and_routing_metrics(server, api, http, database_url):
    metrics_url = server.http_url + "/metrics"
    before = scrape(metrics_url)
    routing = Routing(api, workers=1)
    for n in range(3):
        routing.task(n=n)
    created = http.post("/taskrouter/tasks", json={"workflowSid": routing.workflow.sid, "attributes": "{}"})
    assert created.status_code < 300, created.text
    with pytest.raises(grpc.RpcError):
        api.tasks.GetTask(tasks.GetTaskRequest(sid="TK" + "0" * 32))
    polling.eventually(lambda: routing.reservations("pending"))

    def settled():
        samples = scrape(metrics_url)
        return samples if value(samples, "taskrouter_tasks_pending", workspace_sid=routing.ws.sid) == 3 else None

    after = polling.eventually(settled)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # (the HTTP shim calls the same RPC: 3 + 1)
    assert moved("taskrouter_grpc_requests_total", service=TASKS, method="CreateTask", code="OK") == 4
    assert moved("taskrouter_grpc_request_duration_seconds_count", service=TASKS, method="CreateTask") == 4
    assert moved("taskrouter_grpc_requests_total", service=TASKS, method="GetTask", code="NOT_FOUND") == 1
    assert moved("taskrouter_http_requests_total", method="POST", route="/taskrouter/tasks",
                 status=str(created.status_code)) == 1
    assert moved("taskrouter_http_request_duration_seconds_count", method="POST", route="/taskrouter/tasks") == 1
    assert moved("taskrouter_tasks_created_total") == 4
    assert moved("taskrouter_reservations_total", status="pending") == 1  # a new reservation
    assert moved("taskrouter_events_recorded_total", event_type="task.created") == 4
    assert moved("taskrouter_routing_latency_seconds_count") >= 1
    assert moved("taskrouter_matching_pass_duration_seconds_count") >= 1
    assert value(after, "taskrouter_workers_available", workspace_sid=routing.ws.sid) == 1
    assert value(after, "taskrouter_database_up") == 1
    if database_url.startswith("postgres"):  # the connections' state, as PostgreSQL sees them
        assert value(after, "taskrouter_database_connections", state="active") >= 1
        assert value(after, "taskrouter_database_max_connections") > 0
    # The scrape itself is an HTTP request like any other; a path with a SID is counted by its template.
    assert http.get(f"/taskrouter/workspaces/search/{routing.ws.sid}").status_code == 200
    later = scrape(metrics_url)
    routes = {dict(labels).get("route") for name, labels in later if name == "taskrouter_http_requests_total"}
    assert "/taskrouter/workspaces/search/{sid}" in routes, "a route template, not the path, labels HTTP requests"


def test_reservation_outcomes_and_timer_lag(server, api):
    metrics_url = server.http_url + "/metrics"
    before = scrape(metrics_url)
    routing = Routing(api, workers=2, task_reservation_timeout=1)  # the one that times out goes offline
    routing.task()
    polling.eventually(lambda: routing.reservations("timeout"))
    first = polling.eventually(lambda: routing.reservations("pending"))[0]
    api.tasks.UpdateReservation(tasks.UpdateReservationRequest(sid=first.sid, reservation_status="accepted"))
    after = scrape(metrics_url)
    for status in ("pending", "timeout", "accepted"):
        assert value(after, "taskrouter_reservations_total", status=status) > \
            value(before, "taskrouter_reservations_total", status=status), status
    assert value(after, "taskrouter_timer_lag_seconds_count") > value(before, "taskrouter_timer_lag_seconds_count")
    assert "taskrouter_timers_overdue_seconds" in {name for name, _ in after}


class _Receiver:
    """A callback endpoint answering every POST with `status`."""

    def __init__(self, status: int):
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/assign"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def test_callback_deliveries_by_outcome(server, api):
    metrics_url = server.http_url + "/metrics"
    good, bad = _Receiver(200), _Receiver(500)
    try:
        before = scrape(metrics_url)
        Routing(api, workers=1, assignment_callback_url=good.url).task()
        Routing(api, workers=1, assignment_callback_url=bad.url).task()

        def counts():
            s = scrape(metrics_url)
            moved = {o: value(s, "taskrouter_callback_deliveries_total", kind="assignment", outcome=o)
                     - value(before, "taskrouter_callback_deliveries_total", kind="assignment", outcome=o)
                     for o in ("delivered", "retried")}
            return moved if moved["delivered"] >= 1 and moved["retried"] >= 1 else None

        polling.eventually(counts)
    finally:
        good.httpd.shutdown()
        bad.httpd.shutdown()


def test_open_event_streams_gauge(server, api, account):
    metrics_url = server.http_url + "/metrics"
    routing = Routing(api, workers=0)

    def streams(transport: str) -> float:
        return value(scrape(metrics_url), "taskrouter_event_streams_open", transport=transport)

    base_grpc, base_sse = streams("grpc"), streams("sse")
    stream = api.tasks.WatchEvents(tasks.WatchEventsRequest(workspace_sid=routing.ws.sid), timeout=30)
    polling.eventually(lambda: streams("grpc") == base_grpc + 1)
    stream.cancel()
    polling.eventually(lambda: streams("grpc") == base_grpc)
    auth = (account["accountSid"], account["authToken"])
    with httpx.Client(base_url=server.http_url, auth=auth) as client, client.stream(
            "GET", "/taskrouter/events/stream", params={"workspaceSid": routing.ws.sid}, timeout=30) as sse:
        assert sse.status_code == 200
        polling.eventually(lambda: streams("sse") == base_sse + 1)
    polling.eventually(lambda: streams("sse") == base_sse)


def test_metrics_endpoint_speaks_prometheus_and_openmetrics(server):
    url = server.http_url + "/metrics"
    plain = httpx.get(url)
    assert plain.status_code == 200 and plain.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE taskrouter_tasks_created_total counter" in plain.text
    assert "# TYPE taskrouter_routing_latency_seconds histogram" in plain.text
    open_metrics = httpx.get(url, headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    assert open_metrics.text.rstrip().endswith("# EOF")
    assert httpx.post(url).status_code == 405


def test_database_errors_are_counted_by_source_and_class(server):
    from taskrouter.server.observability.observer import Observer

    url = server.http_url + "/metrics"
    name, labels = "taskrouter_database_errors_total", {"source": "dispatcher", "error": "OperationalError"}
    before = value(scrape(url), name, **labels)
    observer = Observer()
    observer.failed("dispatcher", pw.OperationalError("the connection is closed"))
    observer.failed("dispatcher", ValueError("not the database's"))
    assert value(scrape(url), name, **labels) == before + 1
