"""Ingress errors: a TaskRouterError whose code is the HTTP status the foreign API documents and
whose ErrorInfo metadata also carries the foreign error `type` (InvalidParameterException, ...).
The interceptor sends it like any TaskRouterError; the gateway's "aws" and "plain" error styles
read `errorCode` as the HTTP status and `type` as the error name."""

from __future__ import annotations

import re
from collections.abc import Callable

import grpc

from taskrouter.server.errors import ErrorKind, TaskRouterError

_STATUS_CODES = {
    400: grpc.StatusCode.INVALID_ARGUMENT,
    401: grpc.StatusCode.UNAUTHENTICATED,
    402: grpc.StatusCode.RESOURCE_EXHAUSTED,
    403: grpc.StatusCode.PERMISSION_DENIED,
    404: grpc.StatusCode.NOT_FOUND,
    409: grpc.StatusCode.FAILED_PRECONDITION,
    429: grpc.StatusCode.RESOURCE_EXHAUSTED,
    500: grpc.StatusCode.INTERNAL,
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


class IngressError(TaskRouterError):
    def __init__(self, status: int, type_: str, message: str, data: str = ""):
        self.kind = ErrorKind(str(status), _snake(type_), message,
                              _STATUS_CODES.get(status, grpc.StatusCode.UNKNOWN))
        self.type = type_
        self.data = data
        self.message = message
        self.retry_after = None
        Exception.__init__(self, f"{status} {type_}: {message}")

    def metadata(self) -> dict[str, str]:
        return {**super().metadata(), "type": self.type}


def refuse_nul(value, where: str, fail: Callable[[str, str], Exception]) -> None:
    """No database stores NUL in text: the interceptor checks a request's top-level fields, this
    the values nested in foreign payloads. `fail(message, where)` builds the API's own error."""
    if isinstance(value, str):
        if "\x00" in value:
            raise fail(f"{where} must not contain NUL characters", where)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key, where, fail)
            refuse_nul(item, key, fail)
    elif isinstance(value, list):
        for item in value:
            refuse_nul(item, where, fail)
