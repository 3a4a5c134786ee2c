"""One interceptor in front of every servicer: it authenticates the caller from Basic
credentials (or a worker token, Bearer) in the `authorization` metadata, holds a worker token to
what it may do (worker_access.py), and turns a TaskRouterError into a gRPC status with
google.rpc.ErrorInfo, so servicers stay free of these concerns."""

from __future__ import annotations

import base64
import binascii
import contextvars
import logging

import grpc

from taskrouter.server import worker_access, worker_tokens
from taskrouter.server.accounts import authenticate
from taskrouter.server.clock import Clock
from taskrouter.server.errors import TaskRouterError, invalid
from taskrouter.server.routing.context import Caller

log = logging.getLogger(__name__)
_caller: contextvars.ContextVar[Caller] = contextvars.ContextVar("caller")

# Discovery services answer without credentials.
OPEN_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def caller() -> Caller:
    """The authenticated caller of the RPC being served."""
    return _caller.get()


def _credentials(metadata, clock: Clock) -> Caller | None:
    header = next((value for key, value in metadata if key == "authorization"), "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() == "bearer":  # a worker token (docs/clients.md); raises with the reason it fails
        return worker_tokens.authenticate(encoded.strip(), clock)
    if scheme.upper() == "AWS4-HMAC-SHA256":  # AWS SigV4, forwarded by the gateway (docs/ingress.md)
        from taskrouter.server.ingress import sigv4
        return sigv4.authenticate(header, metadata)
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        account_sid, _, token = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    account_sid, token = account_sid.strip(), token.strip()
    return authenticate(account_sid, token) if account_sid and token else None


def _enter(context: grpc.ServicerContext, clock: Clock) -> contextvars.Token:
    try:
        who = _credentials(context.invocation_metadata(), clock)
    except TaskRouterError as exc:
        context.abort_with_status(exc.to_status())
    if who is None:
        context.abort_with_status(TaskRouterError(
            "UNAUTHENTICATED", "", "Authentication required: Basic account SID and auth token").to_status())
    return _caller.set(who)


def _authorize(method: str, request, context: grpc.ServicerContext) -> None:
    try:
        worker_access.authorize(caller(), method, request)
    except TaskRouterError as exc:
        context.abort_with_status(exc.to_status())


def _check_text(request, context: grpc.ServicerContext) -> None:
    """No database stores a NUL character in text: refuse it up front, naming the field.
    (Requests are flat messages, so their top-level fields are all there is to check.)"""
    for field, value in request.ListFields():
        if isinstance(value, str) and "\x00" in value:
            context.abort_with_status(invalid(field.json_name, "must not contain a NUL character").to_status())


def _unary(behavior, method: str, clock: Clock):
    def run(request, context):
        token = _enter(context, clock)
        _check_text(request, context)
        try:
            _authorize(method, request, context)
            return behavior(request, context)
        except TaskRouterError as exc:
            context.abort_with_status(exc.to_status())
        finally:
            _caller.reset(token)

    return run


def _stream(behavior, method: str, clock: Clock):
    def run(request, context):
        token = _enter(context, clock)
        _check_text(request, context)
        try:
            _authorize(method, request, context)
            yield from behavior(request, context)
        except TaskRouterError as exc:
            context.abort_with_status(exc.to_status())
        finally:
            _caller.reset(token)

    return run


class ApiInterceptor(grpc.ServerInterceptor):
    def __init__(self, clock: Clock | None = None):
        self.clock = clock or Clock()  # worker tokens expire by it

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(OPEN_SERVICES):
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                _unary(handler.unary_unary, method, self.clock), handler.request_deserializer,
                handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                _stream(handler.unary_stream, method, self.clock), handler.request_deserializer,
                handler.response_serializer)
        return handler
