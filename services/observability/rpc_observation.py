"""One gRPC call as operators see it: a request id, a server span continuing the caller's trace
(W3C traceparent in the metadata), and the call counted by service, method and status code with
its duration."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import time
from collections.abc import Iterator
from typing import Any

import grpc
from opentelemetry.trace import SpanKind

from taskrouter.server.observability import metrics, request_id, tracing
from taskrouter.server.observability.observer import Observer, is_database_error

_PROPAGATED = ("traceparent", "tracestate", "baggage")
_counters: dict[tuple[str, str, str], Any] = {}
_durations: dict[tuple[str, str], Any] = {}


@functools.lru_cache(maxsize=1024)
def split_method(path: str) -> tuple[str, str]:
    """"/taskrouter.v1.TaskService/CreateTask" -> ("taskrouter.v1.TaskService", "CreateTask")."""
    service, _, method = path.lstrip("/").rpartition("/")
    return service or "unknown", method or "unknown"


def _count(service: str, method: str, code: str, seconds: float) -> None:
    counter = _counters.get((service, method, code))
    if counter is None:
        counter = _counters[(service, method, code)] = metrics.grpc_requests.labels(service, method, code)
    duration = _durations.get((service, method))
    if duration is None:
        duration = _durations[(service, method)] = metrics.grpc_duration.labels(service, method)
    counter.inc()
    duration.observe(seconds)


def _database_error(exc: BaseException | None) -> BaseException | None:
    """The database error behind `exc`, also when an inner layer turned it into a gRPC abort."""
    seen = 0
    while exc is not None and seen < 8:
        if is_database_error(exc):
            return exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return None


class RpcObservation:
    """Begun when the call arrives, ended with its status code. A unary call's span is the current
    one while it runs (its domain work, and the passes it wakes, are its children); a stream's span
    is not made current, since a stream may be closed from another thread or task than the one
    that started it, where its context cannot be restored."""

    __slots__ = ("method", "observer", "service", "span", "span_manager", "started", "streaming", "token")

    def __init__(self, observer: Observer, path: str, metadata, streaming: bool = False):
        self.observer = observer
        self.service, self.method = split_method(path)
        self.streaming = streaming
        offered_id, carrier = None, {}
        for key, value in metadata or ():
            if key == request_id.HEADER:
                offered_id = value
            elif key in _PROPAGATED:
                carrier[key] = value
        self.token = request_id.bind(request_id.adopt(offered_id))
        self.span_manager = self.span = None
        if tracing.active():
            name, parent = f"{self.service}/{self.method}", tracing.extract(carrier)
            attributes = {"rpc.system": "grpc", "rpc.service": self.service, "rpc.method": self.method,
                          "taskrouter.request_id": request_id.current()}
            if streaming:
                self.span = tracing.tracer().start_span(name, context=parent, kind=SpanKind.SERVER,
                                                        attributes=attributes)
            else:
                self.span_manager = tracing.tracer().start_as_current_span(
                    name, context=parent, kind=SpanKind.SERVER, attributes=attributes, record_exception=False,
                    set_status_on_exception=False)
                self.span = self.span_manager.__enter__()
        if streaming and observer.metrics_on:
            metrics.event_streams.labels("grpc").inc()
        self.started = time.perf_counter()

    def end(self, code: grpc.StatusCode | None, exc: BaseException | None) -> None:
        """`code`: what the context says; None means OK, or UNKNOWN when an exception escaped."""
        elapsed = time.perf_counter() - self.started
        if isinstance(exc, (GeneratorExit, asyncio.CancelledError)):
            code, exc = grpc.StatusCode.CANCELLED, None  # the client went away from a stream
        elif code is None:
            code = grpc.StatusCode.UNKNOWN if exc is not None else grpc.StatusCode.OK
        failure = _database_error(exc)
        if failure is not None:
            self.observer.failed("rpc", failure)
        if self.observer.metrics_on:
            if self.streaming:
                metrics.event_streams.labels("grpc").dec()
            _count(self.service, self.method, code.name, elapsed)
        span = self.span
        if span is not None:
            span.set_attribute("rpc.grpc.status_code", code.value[0])
            if code not in (grpc.StatusCode.OK, grpc.StatusCode.CANCELLED):
                tracing.mark_error(span, code.name)
            if failure is not None:
                span.record_exception(failure)
            if self.span_manager is not None:
                self.span_manager.__exit__(None, None, None)
            else:
                span.end()
        # (ValueError: a stream closed from another context than its own, which ends with it)
        with contextlib.suppress(ValueError):
            request_id.reset(self.token)


def _code(context, exc: BaseException | None = None) -> grpc.StatusCode | None:
    """The call's status code: the error's own (an in-process call fails with an AioRpcError),
    else what abort() or set_code() left on the context."""
    own = getattr(exc, "code", None)
    if callable(own):
        try:
            code = own()
        except Exception:  # noqa: BLE001 - not an RPC error after all
            code = None
        if isinstance(code, grpc.StatusCode):
            return code
    try:
        code = context.code()
    except Exception:  # noqa: BLE001 - a context without code(): counted as OK, or UNKNOWN on an exception
        return None
    return code if isinstance(code, grpc.StatusCode) else None


class ObservingAioInterceptor(grpc.aio.ServerInterceptor):
    """The server's interceptor (and the in-process channel's, which applies the same list): put it
    first, so it sees the answer of every layer after it."""

    def __init__(self, observer: Observer):
        self.observer = observer

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        if handler is None:
            return None
        path = handler_call_details.method
        if handler.unary_unary and inspect.iscoroutinefunction(handler.unary_unary):
            return grpc.unary_unary_rpc_method_handler(
                self._unary(path, handler.unary_unary), handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream and inspect.isasyncgenfunction(handler.unary_stream):
            return grpc.unary_stream_rpc_method_handler(
                self._stream(path, handler.unary_stream), handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream and inspect.iscoroutinefunction(handler.unary_stream):  # writes with context.write
            return grpc.unary_stream_rpc_method_handler(
                self._unary(path, handler.unary_stream, streaming=True), handler.request_deserializer,
                handler.response_serializer)
        return handler  # any other kind passes through as it is (the next interceptor decides on it)

    def _unary(self, path, behavior, streaming: bool = False):
        async def run(request, context):
            with self._observed(path, context, streaming):
                return await behavior(request, context)

        return run

    def _stream(self, path, behavior):
        async def run(request, context):
            with self._observed(path, context, streaming=True):
                async for message in behavior(request, context):
                    yield message

        return run

    @contextlib.contextmanager
    def _observed(self, path: str, context, streaming: bool) -> Iterator[None]:
        """One RpcObservation from here to the end of the call, however it ends."""
        call = RpcObservation(self.observer, path, context.invocation_metadata(), streaming)
        exc = None
        try:
            yield
        except BaseException as raised:
            exc = raised
            raise
        finally:
            call.end(_code(context, exc), exc)
