"""OpenTelemetry traces: off unless the standard OTEL_* variables ask for them.

Spans are made through the OpenTelemetry API against the global tracer provider, so they cost
next to nothing while none is installed, and a program embedding the server (or a test with an
in-memory exporter) installs its own provider to see them."""

from __future__ import annotations

import collections
import contextlib
import importlib.metadata
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

SERVICE_NAME = "taskrouter"
# Any of these turns tracing on; OTEL_SDK_DISABLED=true keeps it off regardless.
_SWITCHES = ("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the environment asks for traces (OTEL_TRACES_EXPORTER other than none, or an OTLP endpoint)."""
    if environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    exporters = environ.get("OTEL_TRACES_EXPORTER", "").strip().lower()
    if exporters == "none":
        return False
    return any(environ.get(name, "").strip() for name in _SWITCHES)


def _exporter(name: str, environ: Mapping[str, str]):
    """The exporter an OTEL_TRACES_EXPORTER entry names, as the SDK registers them (entry points)."""
    if name == "otlp":
        protocol = (environ.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or environ.get("OTEL_EXPORTER_OTLP_PROTOCOL")
                    or "grpc").strip()
        name = "otlp_proto_http" if protocol.startswith("http") else "otlp_proto_grpc"
    points = importlib.metadata.entry_points(group="opentelemetry_traces_exporter", name=name)
    if not points:
        raise ValueError(f"OTEL_TRACES_EXPORTER: no span exporter named {name!r} is installed")
    return next(iter(points)).load()()


def configure_from_env(environ: Mapping[str, str] = os.environ) -> bool:
    """Installs an SDK tracer provider exporting in batches, when wanted(); returns whether it did.

    Read by the SDK itself: OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (default service name
    "taskrouter"), OTEL_TRACES_SAMPLER(_ARG), OTEL_BSP_*, OTEL_EXPORTER_OTLP_* (endpoint, headers,
    protocol grpc or http/protobuf, timeout)."""
    if not wanted(environ):
        return False
    # The SDK takes a fifth of a second to import: only a process that traces pays for it.
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    defaults = {} if environ.get("OTEL_SERVICE_NAME") else {"service.name": SERVICE_NAME}
    provider = TracerProvider(resource=Resource.create(defaults))
    names = [n.strip().lower() for n in (environ.get("OTEL_TRACES_EXPORTER") or "otlp").split(",") if n.strip()]
    for name in names:
        provider.add_span_processor(BatchSpanProcessor(_exporter(name, environ)))
    trace.set_tracer_provider(provider)
    return True


def shutdown() -> None:
    """Sends the spans still buffered (before the process exits)."""
    provider = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def active() -> bool:
    """Whether spans are being recorded: a real tracer provider is installed. Asked several times
    per call: while none is set, the API's own get_tracer_provider() reads the environment each
    time, so the global it sets is looked at first."""
    provider = getattr(trace, "_TRACER_PROVIDER", _UNSET)
    if provider is None:
        return False
    if provider is _UNSET:  # an API version without that global
        provider = trace.get_tracer_provider()
    return type(provider).__name__ not in ("ProxyTracerProvider", "NoOpTracerProvider")


_UNSET = object()
_cached: list = [None, None]  # [provider, its tracer]


def tracer() -> trace.Tracer:
    """Our tracer from the provider installed now (the API's proxy tracer would keep the first
    provider's for good, and a provider may be replaced, in tests for one)."""
    provider = trace.get_tracer_provider()
    if _cached[0] is not provider:
        _cached[:] = [provider, provider.get_tracer(SERVICE_NAME)]
    return _cached[1]


def extract(carrier: Mapping[str, str]) -> otel_context.Context:
    """The remote parent a request carries (W3C `traceparent`/`tracestate`, or what OTEL_PROPAGATORS names)."""
    return propagate.extract(carrier)


def inject(headers: dict[str, str]) -> None:
    """Adds the current span's context to outgoing `headers` (a callback request)."""
    propagate.inject(headers)


def mark_error(span: trace.Span, description: str) -> None:
    span.set_status(Status(StatusCode.ERROR, description))


class Origins:
    """Where background work came from, so its span can join the trace of the call that caused it:
    the spans current when a workspace was woken (its matching pass) or a callback was queued (its
    delivery). In-process and bounded; work another process caused starts a trace of its own."""

    MAX_KEYS = 10_000
    MAX_PER_KEY = 32
    FRESH_SECONDS = 10.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_key: collections.OrderedDict[str, list[tuple[float, trace.SpanContext]]] = collections.OrderedDict()

    def note(self, key: str) -> None:
        """Remembers the current span as an origin of `key` (a no-op while no span is recorded)."""
        context = trace.get_current_span().get_span_context()
        if not context.is_valid:
            return
        with self._lock:
            origins = self._by_key.setdefault(key, [])
            if len(origins) < self.MAX_PER_KEY:
                origins.append((time.monotonic(), context))
            if len(self._by_key) > self.MAX_KEYS:
                self._by_key.popitem(last=False)

    def take(self, key: str) -> list[trace.SpanContext]:
        """The fresh origins of `key`, forgetting them."""
        with self._lock:
            origins = self._by_key.pop(key, ())
        horizon = time.monotonic() - self.FRESH_SECONDS
        return [context for at, context in origins if at >= horizon]


@contextlib.contextmanager
def background_span(name: str, origins: Iterable[trace.SpanContext], attributes: dict) -> Iterator[trace.Span]:
    """A span for work done off the request path: a child of its latest origin (the call that made
    the work possible, as a rule), linked to the earlier ones."""
    origins = list(origins)
    parent = trace.set_span_in_context(trace.NonRecordingSpan(origins[-1])) if origins else otel_context.Context()
    links = [Link(context) for context in origins[:-1]]
    with tracer().start_as_current_span(name, context=parent, kind=SpanKind.INTERNAL, links=links,
                                      attributes=attributes) as span:
        yield span
