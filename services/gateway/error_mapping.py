"""gRPC status → HTTP status and the seed's error body, in one place.

The body is always `{"errorCode": "...", "message": "...", "data": "..."}`. For failures the
services report, errorCode and data come from the `google.rpc.ErrorInfo` detail (domain
"taskrouter"); for failures the gateway finds itself, errorCode is the HTTP status.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import grpc
from google.protobuf.message import DecodeError
from google.rpc import error_details_pb2, status_pb2

from taskrouter.server.echo_bounds import MAX_DATA_CHARS, MAX_MESSAGE_CHARS, clip
from taskrouter.server.gateway.media import value_to_xml
from taskrouter.server.observability import request_id

DOMAIN = "taskrouter"
STATUS_DETAILS_KEY = "grpc-status-details-bin"
WWW_AUTHENTICATE = ("www-authenticate", 'Basic realm="taskrouter"')
RETRY_AFTER = ("retry-after", "1")  # 503: the database is unavailable (docs/security.md, "Outages")

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
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

_THREE_DIGITS = re.compile(r"[0-9]{3}")


def http_status(code: grpc.StatusCode, error_code: str | None = None) -> int:
    """The HTTP status of a failed call: the seed's documented 5xx codes (526, 520, ...) are 409,
    a 4xx errorCode or one that is the gRPC code's own HTTP status (503 for UNAVAILABLE) is itself,
    anything else follows the gRPC code (unknown ones are 500)."""
    if error_code and error_code == str(_GRPC_TO_HTTP.get(code)):
        return int(error_code)
    if error_code and _THREE_DIGITS.fullmatch(error_code):
        if error_code[0] == "5":
            return 409
        if error_code[0] == "4":
            return int(error_code)
    return _GRPC_TO_HTTP.get(code, 500)


@dataclasses.dataclass
class ErrorResponse:
    """An error ready to send: HTTP status, the body in the route's error style, and any extra headers.

    Styles (taskrouter.v1.http_response.error_style): "seed" {"errorCode", "message", "data"};
    "aws" header x-amzn-ErrorType: <type> and {"message"}; "plain" {"status", "code": <type>, "message"};
    "egain" {"code": <type, as "400-100">, "developerMessage"}.
    """

    status: int
    error_code: str
    message: str
    data: str = ""
    style: str = "seed"
    type: str = ""
    retry_after: int | None = None  # seconds, from google.rpc.RetryInfo: sent as Retry-After

    def __post_init__(self) -> None:
        self.message = clip(self.message, MAX_MESSAGE_CHARS)
        self.data = clip(self.data, MAX_DATA_CHARS)

    def body(self) -> dict[str, Any]:
        if self.style == "aws":
            return {"message": self.message}
        if self.style == "plain":
            return {"status": self.status, "code": self.type or error_type("plain", self.status),
                    "message": self.message}
        if self.style == "egain":
            return {"code": self.type or error_type("egain", self.status), "developerMessage": self.message}
        body = {"errorCode": self.error_code, "message": self.message, "data": self.data}
        if self.status >= 500 and request_id.current():  # to find the server's log lines about it
            body["requestId"] = request_id.current()
        return body

    def body_bytes(self, xml_root: str = "") -> bytes:
        """The body as JSON, or as an XML document with that root element."""
        if xml_root:
            return value_to_xml(xml_root, self.body())
        return json.dumps(self.body(), ensure_ascii=False, separators=(",", ":")).encode()

    def headers(self) -> list[tuple[str, str]]:
        retry = [("retry-after", str(self.retry_after))] if self.retry_after is not None else []
        if self.style == "aws":
            return [("x-amzn-errortype", self.type or error_type("aws", self.status)), *retry]
        if self.status == 503:
            return retry or [RETRY_AFTER]
        return ([WWW_AUTHENTICATE] if self.status == 401 else []) + retry


# Error names by HTTP status for the "aws" (Amazon Connect's documented exceptions) and "plain" styles.
_AWS_TYPES = {400: "InvalidRequestException", 401: "UnrecognizedClientException", 402: "ServiceQuotaExceededException",
              403: "AccessDeniedException", 404: "ResourceNotFoundException", 405: "InvalidRequestException",
              408: "InvalidRequestException", 409: "InvalidRequestException", 413: "InvalidRequestException",
              415: "InvalidRequestException", 429: "ThrottlingException", 431: "InvalidRequestException"}
_AWS_BY_GRPC = {grpc.StatusCode.INVALID_ARGUMENT: "InvalidParameterException",
                grpc.StatusCode.OUT_OF_RANGE: "InvalidParameterException",
                grpc.StatusCode.UNAUTHENTICATED: "UnrecognizedClientException"}


def error_type(style: str, status: int, code: grpc.StatusCode | None = None) -> str:
    if style == "aws":
        if code in _AWS_BY_GRPC:
            return _AWS_BY_GRPC[code]
        return _AWS_TYPES.get(status, "InternalServiceException")
    if style == "egain":
        return f"{status}-100"
    try:
        return HTTPStatus(status).phrase.replace(" ", "")
    except ValueError:
        return "Error"


def _same(status: int) -> int:
    return status


def restyle(error: ErrorResponse, style: str, error_status: Callable[[int], int] = _same) -> ErrorResponse:
    """A gateway-found error (seed style) in a route's error style, with a status the route's API
    documents (`error_status`, from ResponseRule.error_status)."""
    status = error_status(error.status)
    if (style == "seed" or error.style == style) and status == error.status:
        return error
    status = 403 if style == "aws" and status == 401 else status
    return ErrorResponse(status, error.error_code, error.message, error.data, style,
                         error.type or error_type(style, status))


class GatewayError(Exception):
    """A request the gateway refuses before (or instead of) calling gRPC."""

    def __init__(self, status: int, message: str, data: str = "", headers: list[tuple[str, str]] | None = None,
                 type: str = ""):
        super().__init__(message)
        self.response = ErrorResponse(status, str(status), message, data, type=type)
        self.extra_headers = headers or []


def _details(trailing_metadata) -> tuple[error_details_pb2.ErrorInfo | None, int | None]:
    """Our ErrorInfo and the RetryInfo delay (whole seconds) of a failed call's status, when present."""
    info, retry_after = None, None
    for key, value in trailing_metadata or ():
        if key != STATUS_DETAILS_KEY or not isinstance(value, bytes):
            continue
        try:
            status = status_pb2.Status.FromString(value)
        except DecodeError:
            return None, None
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                found = error_details_pb2.ErrorInfo()
                detail.Unpack(found)
                if found.domain == DOMAIN:
                    info = found
            elif detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                retry = error_details_pb2.RetryInfo()
                detail.Unpack(retry)
                retry_after = max(1, retry.retry_delay.seconds + (retry.retry_delay.nanos > 0))
    return info, retry_after


_DEFAULT_MESSAGES = {
    grpc.StatusCode.UNAVAILABLE: "Service unavailable",
    grpc.StatusCode.DEADLINE_EXCEEDED: "Deadline exceeded",
    grpc.StatusCode.UNIMPLEMENTED: "Not implemented",
    grpc.StatusCode.UNAUTHENTICATED: "Authentication required",
}


def error_from_rpc(code: grpc.StatusCode, details: str | None, trailing_metadata, style: str = "seed",
                   error_status: Callable[[int], int] = _same) -> ErrorResponse:
    """The error for a failed gRPC call (works for grpc.aio.AioRpcError's parts), in the route's
    error style. For "aws", "plain" and "egain", an errorCode that is an HTTP status (400-599) is
    the status and ErrorInfo metadata "type" names the error; otherwise both follow the gRPC code,
    the status then limited to those the route documents (`error_status`)."""
    info, retry_after = _details(trailing_metadata)
    error_code = info.metadata.get("errorCode", "") if info else ""
    message = details or _DEFAULT_MESSAGES.get(code) or code.name.replace("_", " ").capitalize()
    data = info.metadata.get("data", "") if info else ""
    if style == "seed":
        status = http_status(code, error_code)
        return ErrorResponse(status, error_code or str(status), message, data, retry_after=retry_after)
    if info and _THREE_DIGITS.fullmatch(error_code) and 400 <= int(error_code) <= 599 and info.metadata.get("type"):
        status = int(error_code)
    else:
        status = error_status(_GRPC_TO_HTTP.get(code, 500))
    if style == "aws" and code == grpc.StatusCode.UNAUTHENTICATED:
        status = 403  # AWS answers bad credentials with 403 UnrecognizedClientException
    kind = (info.metadata.get("type") if info else "") or error_type(style, status, code)
    return ErrorResponse(status, error_code or str(status), message, data, style, kind, retry_after)


def error_from_aio(err: grpc.aio.AioRpcError, style: str = "seed",
                   error_status: Callable[[int], int] = _same) -> ErrorResponse:
    return error_from_rpc(err.code(), err.details(), err.trailing_metadata(), style, error_status)
