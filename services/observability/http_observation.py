"""HTTP requests as operators see them, as an ASGI middleware in front of the gateway: a request
id (adopted from X-Request-Id or made, sent back as X-Request-Id and forwarded to the services), a
server span continuing the caller's trace (traceparent), the request counted by route template and
status with its duration, one access-log line, and GET /metrics when the metrics are served here."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from opentelemetry.trace import SpanKind

from taskrouter.server.observability import exposition, metrics, request_id, tracing
from taskrouter.server.observability.logging_setup import redact

access_log = logging.getLogger("taskrouter.access")
METRICS_PATH = "/metrics"
# The gateway names the matched route template here (scope["route"]); anything unmatched is one series.
ROUTE_KEY = "route"
UNMATCHED = "unmatched"
_PROPAGATED = ("traceparent", "tracestate", "baggage")

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]


class ObservedApp:
    """Wraps the gateway's ASGI app. `metrics_on`: count requests; `serve_metrics`: answer GET /metrics."""

    def __init__(self, app: App, *, metrics_on: bool = True, serve_metrics: bool = True, access_log_on: bool = True):
        self.app = app
        self.metrics_on = metrics_on
        self.serve_metrics = serve_metrics
        self.access_log_on = access_log_on
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._durations: dict[tuple[str, str], Any] = {}

    def __getattr__(self, name: str) -> Any:  # the gateway's own attributes (routes, begin_shutdown, ...)
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.serve_metrics and scope["path"] == METRICS_PATH:
            await self._metrics(scope, send)
            return
        offered, carrier = None, {}
        for key, value in scope["headers"]:
            if key == b"x-request-id":
                offered = value.decode("latin-1")
            elif key.decode("latin-1") in _PROPAGATED:
                carrier[key.decode("latin-1")] = value.decode("latin-1")
        rid = request_id.adopt(offered)
        token = request_id.bind(rid)
        header = (b"x-request-id", rid.encode())
        started = time.perf_counter()
        state = {"status": 0, "stream": False, "bytes": 0}

        async def observed_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
                if any(k == b"content-type" and v.startswith(b"text/event-stream") for k, v in message["headers"]):
                    state["stream"] = True
                    if self.metrics_on:
                        metrics.event_streams.labels("sse").inc()
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        span_manager = span = None
        if tracing.active():
            span_manager = tracing.tracer().start_as_current_span(
                scope["method"], context=tracing.extract(carrier), kind=SpanKind.SERVER,
                attributes={"http.request.method": scope["method"], "url.path": scope["path"],
                            "taskrouter.request_id": rid},
                record_exception=False, set_status_on_exception=False)
            span = span_manager.__enter__()
        try:
            await self.app(scope, receive, observed_send)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get(ROUTE_KEY) or UNMATCHED
            status = state["status"] or 500
            if self.metrics_on:
                if state["stream"]:
                    metrics.event_streams.labels("sse").dec()
                self._count(scope["method"], route, status, elapsed)
            if span is not None and span_manager is not None:
                span.update_name(f"{scope['method']} {route}")
                span.set_attribute("http.route", route)
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    tracing.mark_error(span, str(status))
                span_manager.__exit__(None, None, None)
            if self.access_log_on:
                _access(scope, route, status, elapsed, state["bytes"])
            request_id.reset(token)

    def _count(self, method: str, route: str, status: int, seconds: float) -> None:
        counter = self._counters.get((method, route, status))
        if counter is None:
            counter = self._counters[(method, route, status)] = metrics.http_requests.labels(method, route, str(status))
        duration = self._durations.get((method, route))
        if duration is None:
            duration = self._durations[(method, route)] = metrics.http_duration.labels(method, route)
        counter.inc()
        duration.observe(seconds)

    async def _metrics(self, scope: Scope, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            body, status, kind = b"Method not allowed: use GET\n", 405, "text/plain; charset=utf-8"
        else:
            body, kind = await asyncio.to_thread(exposition.render, _header(scope, b"accept"))  # may read the database
            status = 200
        headers = [(b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] != "HEAD" else b""})


def forwarded_metadata() -> tuple[tuple[str, str], ...]:
    """What the gateway's call to the services carries for the request being served: its request
    id and, while spans are recorded, the trace context (traceparent)."""
    rid = request_id.current()
    pairs: tuple[tuple[str, str], ...] = ((request_id.HEADER, rid),) if rid else ()
    if tracing.active():
        carrier: dict[str, str] = {}
        tracing.inject(carrier)
        pairs += tuple(carrier.items())
    return pairs


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), "")


def _access(scope: Scope, route: str, status: int, seconds: float, sent: int) -> None:
    """One line per request; the query string is masked (it may hold a token) and no header is logged."""
    if not access_log.isEnabledFor(logging.INFO):
        return
    query = redact(scope.get("query_string", b"").decode("latin-1"))
    path = scope["path"] + (f"?{query}" if query else "")
    client = scope.get("client") or ("", 0)
    access_log.info(
        "%s %s %d %.1fms", scope["method"], path, status, seconds * 1000,
        extra={"method": scope["method"], "path": path, "route": route, "status": status,
               "duration_ms": round(seconds * 1000, 3), "bytes": sent, "client": client[0]})
