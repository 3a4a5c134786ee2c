"""gRPC status → HTTP status and the seed's error body, in one place.

The body is always `{"errorCode": "...", "message": "...", "data": "..."}`. For failures the
services report, errorCode and data come from the `google.rpc.ErrorInfo` detail (domain
"taskrouter"); for failures the gateway finds itself, errorCode is the HTTP status.
"""

from __future__ import annotations

import dataclasses
import json
import re

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

DOMAIN = "taskrouter"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
WWW_AUTHENTICATE = ("www-authenticate", 'Basic realm="taskrouter"')

_GRPC_TO_HTTP: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

_THREE_DIGITS = re.compile(r"[0-9]{3}")


def http_status(code: grpc.StatusCode, error_code: str | None = None) -> int:
    """The HTTP status of a failed call: the seed's documented 5xx codes (526, 520, ...) are 409,
    a 4xx errorCode is itself, anything else follows the gRPC code (unknown ones are 500)."""
    if error_code and _THREE_DIGITS.fullmatch(error_code):
        if error_code[0] == "5":
            return 409
        if error_code[0] == "4":
            return int(error_code)
    return _GRPC_TO_HTTP.get(code, 500)


@dataclasses.dataclass
class ErrorResponse:
    """An error ready to send: HTTP status, the seed's body, and any extra headers."""

    status: int
    error_code: str
    message: str
    data: str = ""

    def body(self) -> dict[str, str]:
        return {"errorCode": self.error_code, "message": self.message, "data": self.data}

    def body_bytes(self) -> bytes:
        return json.dumps(self.body(), ensure_ascii=False, separators=(",", ":")).encode()

    def headers(self) -> list[tuple[str, str]]:
        return [WWW_AUTHENTICATE] if self.status == 401 else []


class GatewayError(Exception):
    """A request the gateway refuses before (or instead of) calling gRPC."""

    def __init__(self, status: int, message: str, data: str = "", headers: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.response = ErrorResponse(status, str(status), message, data)
        self.extra_headers = headers or []


def _error_info(trailing_metadata) -> error_details_pb2.ErrorInfo | None:
    for key, value in trailing_metadata or ():
        if key != STATUS_DETAILS_KEY or not isinstance(value, bytes):
            continue
        try:
            status = status_pb2.Status.FromString(value)
        except DecodeError:
            return None
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                if info.domain == DOMAIN:
                    return info
    return None


_DEFAULT_MESSAGES = {
    grpc.StatusCode.UNAVAILABLE: "Service unavailable",
    grpc.StatusCode.DEADLINE_EXCEEDED: "Deadline exceeded",
    grpc.StatusCode.UNIMPLEMENTED: "Not implemented",
    grpc.StatusCode.UNAUTHENTICATED: "Authentication required",
}


def error_from_rpc(code: grpc.StatusCode, details: str | None, trailing_metadata) -> ErrorResponse:
    """The seed's error for a failed gRPC call (works for grpc.aio.AioRpcError's parts)."""
    info = _error_info(trailing_metadata)
    error_code = info.metadata.get("errorCode", "") if info else ""
    status = http_status(code, error_code)
    message = details or _DEFAULT_MESSAGES.get(code) or code.name.replace("_", " ").capitalize()
    data = info.metadata.get("data", "") if info else ""
    return ErrorResponse(status, error_code or str(status), message, data)


def error_from_aio(err: grpc.aio.AioRpcError) -> ErrorResponse:
    return error_from_rpc(err.code(), err.details(), err.trailing_metadata())
