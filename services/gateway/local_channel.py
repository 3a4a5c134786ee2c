"""A gRPC-shaped channel into the servicers of this process, for the gateway running beside
them: no second network hop, no serialization. Calls go through the same server interceptors
as network calls (authentication, checks, error mapping) and fail the way a grpc.aio channel's
calls fail, with grpc.aio.AioRpcError, so the gateway treats both channels alike."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import grpc

log = logging.getLogger(__name__)
_STREAM_BUFFER = 64  # messages a stream may run ahead of a slow HTTP client


class _CallDetails(grpc.HandlerCallDetails):
    def __init__(self, method: str, invocation_metadata: tuple[tuple[str, str], ...]):
        self.method = method
        self.invocation_metadata = invocation_metadata


def _error(code: grpc.StatusCode, details: str, trailing_metadata=()) -> grpc.aio.AioRpcError:
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), grpc.aio.Metadata(*trailing_metadata), details)


class LocalContext:
    """The part of grpc.aio.ServicerContext that servicers and interceptors use."""

    def __init__(self, metadata: tuple[tuple[str, str], ...], timeout: float | None):
        self._metadata = metadata
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._code = grpc.StatusCode.OK
        self._details = ""
        self._trailing: tuple = ()
        self.headers_sent = asyncio.Event()

    def invocation_metadata(self) -> tuple[tuple[str, str], ...]:
        return self._metadata

    async def abort(self, code: grpc.StatusCode, details: str = "", trailing_metadata=()) -> None:
        raise _error(code, details, trailing_metadata)

    async def send_initial_metadata(self, initial_metadata=()) -> None:
        self.headers_sent.set()

    def set_code(self, code: grpc.StatusCode) -> None:
        self._code = code

    def set_details(self, details: str) -> None:
        self._details = details

    def set_trailing_metadata(self, trailing_metadata) -> None:
        self._trailing = tuple(trailing_metadata)

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return self._details

    def peer(self) -> str:
        return "local:gateway"

    def time_remaining(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def cancelled(self) -> bool:
        return False

    def done(self) -> bool:
        return False

    def failure(self) -> grpc.aio.AioRpcError | None:
        """The error a servicer set with set_code() instead of aborting, if any."""
        if self._code == grpc.StatusCode.OK:
            return None
        return _error(self._code, self._details, self._trailing)


def _unexpected(method: str) -> grpc.aio.AioRpcError:
    log.exception("in-process call %s failed", method)
    return _error(grpc.StatusCode.UNKNOWN, "Unexpected error")


class LocalChannel:
    """`handlers` maps "/package.Service/Method" to the servicer's method handler;
    `interceptors` are the server's, applied in the same order."""

    def __init__(self, handlers: dict[str, grpc.RpcMethodHandler], interceptors: Sequence[Any] = ()):
        self._handlers = dict(handlers)
        self._interceptors = list(interceptors)

    async def handler(self, method: str, metadata: tuple[tuple[str, str], ...]) -> grpc.RpcMethodHandler | None:
        """The handler the interceptor chain yields for this call, as the server would find it."""
        details = _CallDetails(method, metadata)

        def continuation_from(index: int):
            async def continuation(call_details):
                if index == len(self._interceptors):
                    return self._handlers.get(call_details.method)
                return await self._interceptors[index].intercept_service(continuation_from(index + 1), call_details)
            return continuation

        return await continuation_from(0)(details)

    def unary_unary(self, method: str, request_serializer=None, response_deserializer=None) -> _UnaryCall:
        return _UnaryCall(self, method)

    def unary_stream(self, method: str, request_serializer=None, response_deserializer=None) -> _StreamFactory:
        return _StreamFactory(self, method)

    async def close(self) -> None:
        """Nothing to close: the servicers belong to the server."""


class _UnaryCall:
    def __init__(self, channel: LocalChannel, method: str):
        self.channel, self.method = channel, method

    async def __call__(self, request, *, metadata=None, timeout: float | None = None, **_: Any):
        metadata = tuple(metadata or ())
        context = LocalContext(metadata, timeout)
        try:
            handler = await self.channel.handler(self.method, metadata)
            if handler is None or handler.unary_unary is None:
                raise _error(grpc.StatusCode.UNIMPLEMENTED, f"Method not found: {self.method}")
            response = await asyncio.wait_for(handler.unary_unary(request, context), timeout)
        except grpc.aio.AioRpcError:
            raise
        except TimeoutError:
            raise _error(grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline Exceeded") from None
        except Exception:  # noqa: BLE001 - a servicer bug: UNKNOWN, as over the network
            raise _unexpected(self.method) from None
        failure = context.failure()
        if failure is not None:
            raise failure
        return response


class _StreamFactory:
    def __init__(self, channel: LocalChannel, method: str):
        self.channel, self.method = channel, method

    def __call__(self, request, *, metadata=None, timeout: float | None = None, **_: Any) -> LocalStreamCall:
        return LocalStreamCall(self.channel, self.method, request, tuple(metadata or ()), timeout)


class LocalStreamCall:
    """The part of grpc.aio.UnaryStreamCall the gateway uses: initial_metadata(), read(), cancel().
    The servicer's async generator runs in a task of its own, a bounded buffer ahead of read()."""

    def __init__(self, channel: LocalChannel, method: str, request, metadata: tuple, timeout: float | None):
        self._context = LocalContext(metadata, timeout)
        self._buffer: asyncio.Queue = asyncio.Queue(_STREAM_BUFFER)
        self._end: object | None = None  # grpc.aio.EOF or the error, once read
        self._task = asyncio.ensure_future(self._produce(channel, method, request, metadata))

    async def _produce(self, channel: LocalChannel, method: str, request, metadata: tuple) -> None:
        context = self._context
        try:
            handler = await channel.handler(method, metadata)
            if handler is None or handler.unary_stream is None:
                raise _error(grpc.StatusCode.UNIMPLEMENTED, f"Method not found: {method}")
            async for message in handler.unary_stream(request, context):
                context.headers_sent.set()
                await self._buffer.put(message)
            end: object = context.failure() or grpc.aio.EOF
        except grpc.aio.AioRpcError as err:
            end = err
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a servicer bug: UNKNOWN, as over the network
            end = _unexpected(method)
        context.headers_sent.set()
        await self._buffer.put(end)

    async def initial_metadata(self) -> grpc.aio.Metadata:
        await self._context.headers_sent.wait()
        return grpc.aio.Metadata()

    async def read(self):
        if self._end is None:
            item = await self._buffer.get()
            if item is grpc.aio.EOF or isinstance(item, grpc.aio.AioRpcError):
                self._end = item
            else:
                return item
        if isinstance(self._end, grpc.aio.AioRpcError):
            raise self._end
        return grpc.aio.EOF

    def cancel(self) -> bool:
        return self._task.cancel()
