"""The Prometheus metrics of a taskrouter process, defined once here (docs/operations.md lists
them with their meaning and an alert for each).

They live in prometheus-client's default registry. Under `serve --processes N` every process
writes its values to files in PROMETHEUS_MULTIPROC_DIR and a scrape of any process adds them up
(exposition.py); gauges say how processes combine. Gauges read from the database (pending tasks,
available workers, overdue timers) are computed at scrape time instead (collectors.py)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

disable_created_metrics()  # no *_created series: half the scrape, and Prometheus does not need them

# Seconds. RPCs and HTTP requests: sub-millisecond to a slow request timing out at 30 s.
REQUEST_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Task ready -> reservation: milliseconds when a worker is free, up to hours when none is.
ROUTING_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0,
                   900.0, 3600.0)
PASS_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
TIMER_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

grpc_requests = Counter(
    "taskrouter_grpc_requests", "gRPC calls handled, by service, method and status code.",
    ["service", "method", "code"])
grpc_duration = Histogram(
    "taskrouter_grpc_request_duration_seconds", "Time to handle a gRPC call (a stream: until it ends).",
    ["service", "method"], buckets=REQUEST_BUCKETS)
http_requests = Counter(
    "taskrouter_http_requests", "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"])
http_duration = Histogram(
    "taskrouter_http_request_duration_seconds", "Time to answer an HTTP request (an event stream: until it ends).",
    ["method", "route"], buckets=REQUEST_BUCKETS)
event_streams = Gauge(
    "taskrouter_event_streams_open", "Event streams open now: gRPC server streams and HTTP Server-Sent Events.",
    ["transport"], multiprocess_mode="livesum")

tasks_created = Counter("taskrouter_tasks_created", "Tasks created (API and ingress).")
reservations = Counter(
    "taskrouter_reservations", "Reservations by the status they entered: pending (a new reservation), accepted, "
    "rejected, timeout, canceled, rescinded, completed.", ["status"])
events_recorded = Counter("taskrouter_events_recorded", "Events written to the event log, by type.", ["event_type"])
routing_latency = Histogram(
    "taskrouter_routing_latency_seconds", "From a task becoming ready in its queue (entering it, or returning to "
    "it) to its reservation.", buckets=ROUTING_BUCKETS)
matching_pass = Histogram(
    "taskrouter_matching_pass_duration_seconds", "Time of one matching pass over a workspace.", buckets=PASS_BUCKETS)
timer_lag = Histogram(
    "taskrouter_timer_lag_seconds", "How late timers (reservation timeouts, TTLs, workflow target timeouts) fire.",
    buckets=TIMER_BUCKETS)
callback_deliveries = Counter(
    "taskrouter_callback_deliveries", "Callback delivery attempts by kind (assignment, event) and outcome "
    "(delivered, retried, failed, skipped).", ["kind", "outcome"])
database_errors = Counter(
    "taskrouter_database_errors", "Database errors met while serving calls or running the background loops, by "
    "where (rpc, dispatcher, callbacks) and the error's class.", ["source", "error"])

RESERVATION_STATUSES = ("pending", "accepted", "rejected", "timeout", "canceled", "rescinded", "completed")
CALLBACK_OUTCOMES = ("delivered", "retried", "failed", "skipped")


def touch_series() -> None:
    """Makes the fixed label sets visible at 0 from the start, so rate() and alerts see them
    before their first increment."""
    for status in RESERVATION_STATUSES:
        reservations.labels(status)
    for kind in ("assignment", "event"):
        for outcome in CALLBACK_OUTCOMES:
            callback_deliveries.labels(kind, outcome)
    for transport in ("grpc", "sse"):
        event_streams.labels(transport)
