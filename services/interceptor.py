"""One interceptor in front of every servicer: it authenticates the caller from Basic
credentials in the `authorization` metadata, and turns a TaskRouterError into a gRPC status
with google.rpc.ErrorInfo, so servicers stay free of both concerns."""

from __future__ import annotations

import base64
import binascii
import contextvars
import logging

import grpc

from taskrouter.server.authentication import Authenticator, client_address
from taskrouter.server.errors import TaskRouterError, invalid
from taskrouter.server.routing.context import Caller

log = logging.getLogger(__name__)
_caller: contextvars.ContextVar[Caller] = contextvars.ContextVar("caller")

# Discovery services answer without credentials.
OPEN_SERVICES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


def caller() -> Caller:
    """The authenticated caller of the RPC being served."""
    return _caller.get()


def _credentials(authenticator: Authenticator, metadata, peer: str) -> Caller | None:
    header = next((value for key, value in metadata if key == "authorization"), "")
    scheme, _, encoded = header.partition(" ")
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
    if not account_sid or not token:
        return None
    return authenticator.basic(account_sid, token, client_address(peer, metadata))


def _enter(authenticator: Authenticator, context: grpc.ServicerContext) -> contextvars.Token:
    try:
        who = _credentials(authenticator, context.invocation_metadata(), context.peer())
    except TaskRouterError as exc:  # throttled
        context.abort_with_status(exc.to_status())
    if who is None:
        context.abort_with_status(TaskRouterError(
            "UNAUTHENTICATED", "", "Authentication required: Basic account SID and auth token").to_status())
    return _caller.set(who)


def _check_text(request, context: grpc.ServicerContext) -> None:
    """No database stores a NUL character in text: refuse it up front, naming the field.
    (Requests are flat messages, so their top-level fields are all there is to check.)"""
    for field, value in request.ListFields():
        if isinstance(value, str) and "\x00" in value:
            context.abort_with_status(invalid(field.json_name, "must not contain a NUL character").to_status())


def _unary(authenticator: Authenticator, behavior):
    def run(request, context):
        token = _enter(authenticator, context)
        _check_text(request, context)
        try:
            return behavior(request, context)
        except TaskRouterError as exc:
            context.abort_with_status(exc.to_status())
        finally:
            _caller.reset(token)

    return run


def _stream(authenticator: Authenticator, behavior):
    def run(request, context):
        token = _enter(authenticator, context)
        _check_text(request, context)
        try:
            yield from behavior(request, context)
        except TaskRouterError as exc:
            context.abort_with_status(exc.to_status())
        finally:
            _caller.reset(token)

    return run


class ApiInterceptor(grpc.ServerInterceptor):
    def __init__(self, authenticator: Authenticator | None = None):
        self.authenticator = authenticator or Authenticator()

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        if handler is None or handler_call_details.method.startswith(OPEN_SERVICES):
            return handler
        codec = (handler.request_deserializer, handler.response_serializer)
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(_unary(self.authenticator, handler.unary_unary), *codec)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(_stream(self.authenticator, handler.unary_stream), *codec)
        return handler
