"""One gRPC call as operators see it: a request id, a server span continuing the caller's trace
(W3C traceparent in the metadata), and the call counted by service, method and status code with
its duration. Shared by the interceptors of the sync and the asyncio server."""

from __future__ import annotations

import asyncio
import functools
import inspect
import time
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
    """Begun when the call arrives, ended with its status code."""

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
            self.span_manager = tracing.tracer().start_as_current_span(
                f"{self.service}/{self.method}", context=tracing.extract(carrier), kind=SpanKind.SERVER,
                attributes={"rpc.system": "grpc", "rpc.service": self.service, "rpc.method": self.method,
                            "taskrouter.request_id": request_id.current()},
                record_exception=False, set_status_on_exception=False)
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
        span, manager = self.span, self.span_manager
        if span is not None and manager is not None:
            span.set_attribute("rpc.grpc.status_code", code.value[0])
            if code not in (grpc.StatusCode.OK, grpc.StatusCode.CANCELLED):
                tracing.mark_error(span, code.name)
            if failure is not None:
                span.record_exception(failure)
            manager.__exit__(None, None, None)
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


class ObservingInterceptor(grpc.ServerInterceptor):
    """The sync server's interceptor: put it first, so it sees every other layer's answer."""

    def __init__(self, observer: Observer):
        self.observer = observer

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None:
            return None
        path = handler_call_details.method
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._unary(path, handler.unary_unary), handler.request_deserializer, handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._stream(path, handler.unary_stream), handler.request_deserializer, handler.response_serializer)
        return handler

    def _unary(self, path, behavior):
        def run(request, context):
            call = RpcObservation(self.observer, path, context.invocation_metadata())
            exc = None
            try:
                return behavior(request, context)
            except BaseException as raised:
                exc = raised
                raise
            finally:
                call.end(_code(context, exc), exc)

        return run

    def _stream(self, path, behavior):
        def run(request, context):
            call = RpcObservation(self.observer, path, context.invocation_metadata(), streaming=True)
            exc = None
            try:
                yield from behavior(request, context)
            except BaseException as raised:
                exc = raised
                raise
            finally:
                call.end(_code(context, exc), exc)

        return run


class ObservingAioInterceptor(grpc.aio.ServerInterceptor):
    """The asyncio server's interceptor (and the in-process channel's): put it first."""

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
        return handler  # any other kind passes through as it is (the next interceptor decides on it)

    def _unary(self, path, behavior):
        async def run(request, context):
            call = RpcObservation(self.observer, path, context.invocation_metadata())
            exc = None
            try:
                return await behavior(request, context)
            except BaseException as raised:
                exc = raised
                raise
            finally:
                call.end(_code(context, exc), exc)

        return run

    def _stream(self, path, behavior):
        async def run(request, context):
            call = RpcObservation(self.observer, path, context.invocation_metadata(), streaming=True)
            exc = None
            try:
                async for message in behavior(request, context):
                    yield message
            except BaseException as raised:
                exc = raised
                raise
            finally:
                call.end(_code(context, exc), exc)

        return run
