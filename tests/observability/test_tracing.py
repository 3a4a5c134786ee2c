"""Spans seen by an in-memory exporter: a server span per RPC and per HTTP request, continuing the
caller's traceparent, and the matching pass and the callback delivery as children in the same trace."""

from __future__ import annotations

import http.server
import threading

import httpx
import polling
import pytest
from observing import Routing
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from opentelemetry.util._once import Once

CREATE_TASK = "taskrouter.v1.TaskService/CreateTask"


@pytest.fixture
def spans():
    """An in-memory exporter behind the global tracer provider for this test only (the reset is
    what OpenTelemetry's own test helpers do: the API sets a provider once per process)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace.set_tracer_provider(provider)
    yield exporter
    provider.shutdown()
    trace._TRACER_PROVIDER_SET_ONCE = Once()
    trace._TRACER_PROVIDER = None


def named(exporter, name: str) -> list:
    return [s for s in exporter.get_finished_spans() if s.name == name]


def test_rpc_span_with_the_matching_pass_as_its_child(spans, api):
    routing = Routing(api, workers=1)
    task = routing.task()
    polling.eventually(lambda: routing.reservations("pending"))
    rpc = polling.eventually(lambda: [s for s in named(spans, CREATE_TASK)
                                      if s.attributes.get("rpc.method") == "CreateTask"])[-1]
    assert rpc.kind == SpanKind.SERVER
    assert rpc.attributes["rpc.system"] == "grpc" and rpc.attributes["rpc.service"] == "taskrouter.v1.TaskService"
    passes = polling.eventually(lambda: [s for s in named(spans, "taskrouter.matching.pass")
                                         if s.attributes["taskrouter.workspace_sid"] == routing.ws.sid
                                         and s.parent is not None and s.parent.span_id == rpc.context.span_id])
    assert passes[0].context.trace_id == rpc.context.trace_id
    assert task.sid


def test_http_span_continues_traceparent_down_to_the_rpc(spans, server, account, api):
    routing = Routing(api, workers=0)
    trace_id, parent_id = "4bf92f3577b34e0d9d3a4c8d2f1b6a11", "00f067aa0ba902b7"
    with httpx.Client(base_url=server.http_url, auth=(account["accountSid"], account["authToken"])) as client:
        response = client.post("/taskrouter/tasks", json={"workflowSid": routing.workflow.sid},
                               headers={"traceparent": f"00-{trace_id}-{parent_id}-01"})
    assert response.status_code < 300, response.text
    request = polling.eventually(lambda: named(spans, "POST /taskrouter/tasks"))[-1]
    assert request.kind == SpanKind.SERVER
    assert format(request.context.trace_id, "032x") == trace_id
    assert format(request.parent.span_id, "016x") == parent_id
    assert request.attributes["http.route"] == "/taskrouter/tasks"
    assert request.attributes["http.response.status_code"] == response.status_code
    rpc = polling.eventually(lambda: [s for s in named(spans, CREATE_TASK)
                                      if s.context.trace_id == request.context.trace_id])[-1]
    assert rpc.parent.span_id == request.context.span_id  # over the gRPC metadata


def test_callback_delivery_span_joins_the_pass_that_queued_it(spans, api):
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            seen.append(self.headers.get("traceparent", ""))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        routing = Routing(api, workers=1,
                          assignment_callback_url=f"http://127.0.0.1:{receiver.server_address[1]}/assign")
        routing.task()
        delivery = polling.eventually(lambda: named(spans, "taskrouter.callback.delivery"))[-1]
        matching = [s for s in named(spans, "taskrouter.matching.pass") if s.context.span_id == delivery.parent.span_id]
        assert matching, "the delivery is a child of the matching pass that made the reservation"
        assert seen and seen[-1].split("-")[1] == format(delivery.context.trace_id, "032x")
    finally:
        receiver.shutdown()


def test_no_spans_without_a_tracer_provider(server, api):
    from taskrouter.server.observability import tracing

    assert not tracing.active()
    assert not tracing.wanted({})
    assert tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4317"})
    assert tracing.wanted({"OTEL_TRACES_EXPORTER": "console"})
    assert not tracing.wanted({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4317"})
    assert not tracing.wanted({"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "console"})
