"""One interceptor in front of every servicer, so servicers stay free of these concerns:

- it authenticates the caller from Basic credentials in the `authorization` metadata, through
  the one Authenticator (failed-login throttling, remembered verifications: authentication.py),
  from a worker token (Bearer; worker_tokens.py: 256 random bits, nothing to throttle), or
  through the hook server.py registers for another scheme (`schemes`, the ingress's), and holds
  a worker token to what it may do (worker_access.py);
- it refuses text fields holding a NUL character;
- it runs the servicer's blocking (synchronous) methods in the bounded pool, never on the loop;
- it counts open streams against the account's cap;
- it turns a TaskRouterError into a gRPC status with google.rpc.ErrorInfo;
- any other exception is a bug: one log line with the request id, and INTERNAL to the client
  with that id and nothing of the exception's text.

It is fail-closed: a handler kind it does not know (client or bidirectional streaming, or a
stream that is not an async generator, which would hold a thread) is refused, never passed on.
The gateway's in-process calls go through the same interceptor (gateway/local_channel.py)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import contextvars
import functools
import inspect
import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence

import grpc
from google.protobuf.message import DecodeError

from taskrouter.server import worker_access, worker_tokens
from taskrouter.server.authentication import Authenticator, client_address
from taskrouter.server.blocking import BlockingCalls
from taskrouter.server.errors import TaskRouterError, internal, invalid
from taskrouter.server.observability import request_id
from taskrouter.server.routing.context import Caller
from taskrouter.server.streams import StreamQuota

log = logging.getLogger(__name__)
_caller: contextvars.ContextVar[Caller] = contextvars.ContextVar("caller")

# Discovery services answer without credentials.
OPEN_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")

Metadata = Sequence[tuple[str, str]]
# The hook of another Authorization scheme: (the header, the call's metadata) -> the caller, or None.
SchemeHook = Callable[[str, Metadata], Caller | None]


def caller() -> Caller:
    """The authenticated caller of the RPC being served."""
    return _caller.get()


def _credentials(authenticator: Authenticator, schemes: Mapping[str, SchemeHook], metadata: Metadata,
                 peer: str) -> Caller | None:
    header = next((value for key, value in metadata if key == "authorization"), "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() == "bearer":  # a worker token (docs/clients.md); raises with the reason it fails
        return worker_tokens.authenticate(encoded.strip(), authenticator.clock)
    hook = schemes.get(scheme.upper())
    if hook is not None:
        return hook(header, metadata)
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        account_sid, _, token = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    account_sid, token = account_sid.strip(), token.strip()
    if not account_sid or not token:
        return None
    return authenticator.basic(account_sid, token, client_address(peer, metadata))


def _check_text(request) -> None:
    """No database stores a NUL character in text: refuse it up front, naming the field.
    (Requests are flat messages, so their top-level fields are all there is to check.)"""
    for field, value in request.ListFields():
        if isinstance(value, str) and "\x00" in value:
            raise invalid(field.json_name, "must not contain a NUL character")


class _Undecodable:
    """A request that protobuf could not decode (nested past its depth limit, or corrupt)."""

    def __init__(self, why: str):
        self.why = why


def _decoding(deserialize):
    """The handler's deserializer, returning _Undecodable instead of raising, so the caller gets
    INVALID_ARGUMENT (after authentication) instead of gRPC's INTERNAL."""
    if deserialize is None:
        return None

    def run(raw: bytes):
        try:
            return deserialize(raw)
        except DecodeError as exc:
            return _Undecodable(str(exc))

    return run


def _admit(authenticate: Callable[[Metadata, str], Caller | None], method: str, request, metadata: Metadata,
           peer: str) -> Caller:
    """Who calls (or UNAUTHENTICATED, or TOO_MANY_FAILED_LOGINS), whether the request is
    acceptable, and whether a worker token may make it (it may narrow the request to the worker's
    own resources); blocking (a read, and a hash for a token not verified before)."""
    who = authenticate(metadata, peer)
    if who is None:
        raise TaskRouterError("UNAUTHENTICATED", "", "Authentication required: Basic account SID and auth token")
    if isinstance(request, _Undecodable):
        raise invalid("request", f"cannot be decoded ({request.why[:200]})")
    _check_text(request)
    worker_access.authorize(who, method, request)
    return who


async def _abort(context, error: TaskRouterError) -> None:
    status = error.to_status()
    await context.abort(status.code, status.details, status.trailing_metadata)


def _unexpected(method: str, metadata) -> TaskRouterError:
    """Called from an `except` block: logs the bug once, under the call's request id."""
    rid = request_id.current() or request_id.adopt(next((v for k, v in metadata if k == request_id.HEADER), None))
    log.exception("%s failed unexpectedly (request id %s)", method, rid)
    return internal(rid)


@contextlib.asynccontextmanager
async def _errors_as_status(context, method: str) -> AsyncIterator[None]:
    """A TaskRouterError becomes its status; any other exception is a bug: INTERNAL, never its text."""
    try:
        yield
    except TaskRouterError as exc:
        await _abort(context, exc)
    except grpc.aio.AbortError:
        raise
    except Exception:  # noqa: BLE001 - a bug
        await _abort(context, _unexpected(method, context.invocation_metadata()))


async def _refuse(request, context) -> None:
    await context.abort(grpc.StatusCode.UNIMPLEMENTED, "This kind of call is not served")


class ApiInterceptor(grpc.aio.ServerInterceptor):
    def __init__(self, blocking: BlockingCalls, streams: StreamQuota, authenticator: Authenticator | None = None,
                 schemes: Mapping[str, SchemeHook] | None = None):
        """`schemes`: the hook of each further Authorization scheme, by scheme name (any letter case)."""
        self.blocking = blocking
        self.streams = streams
        self.authenticate = functools.partial(_credentials, authenticator or Authenticator(),
                                              {name.upper(): hook for name, hook in (schemes or {}).items()})

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        if handler is None or handler_call_details.method.startswith(OPEN_SERVICES):
            return handler
        codec = (_decoding(handler.request_deserializer), handler.response_serializer)
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(self._unary(handler.unary_unary, handler_call_details.method),
                                                       *codec)
        if handler.unary_stream and inspect.isasyncgenfunction(handler.unary_stream):
            return grpc.unary_stream_rpc_method_handler(self._stream(handler.unary_stream, handler_call_details.method),
                                                        *codec)
        log.error("refusing %s: not a unary call or an async-generator stream", handler_call_details.method)
        return grpc.unary_unary_rpc_method_handler(_refuse)

    def _unary(self, behavior, method: str):
        blocking, authenticate = self.blocking, self.authenticate
        is_async = inspect.iscoroutinefunction(behavior)

        def admit_and_run(request, context, metadata, peer):
            _caller.set(_admit(authenticate, method, request, metadata, peer))
            return behavior(request, context)

        async def run(request, context):
            async with _errors_as_status(context, method):
                who = (context.invocation_metadata(), context.peer())
                if not is_async:
                    return await blocking.run(admit_and_run, request, context, *who)
                _caller.set(await blocking.run(_admit, authenticate, method, request, *who))
                return await behavior(request, context)

        return run

    def _stream(self, behavior, method: str):
        blocking, streams, authenticate = self.blocking, self.streams, self.authenticate

        async def run(request, context):
            async with _errors_as_status(context, method):
                who = await blocking.run(_admit, authenticate, method, request, context.invocation_metadata(),
                                         context.peer())
                _caller.set(who)  # this call's own context: nothing to reset
                with streams.hold(who.account_sid):
                    async for message in behavior(request, context):
                        yield message

        return run
