"""The SDK's one exception: every failed call raises TaskRouterError, with the API's error code
(the seed's errorCode, e.g. "530", or an HTTP-like status for others, e.g. "403"), its message,
and the culprit in `data` — read from the google.rpc.ErrorInfo the server sends, never parsed
from text."""

from __future__ import annotations

import grpc
from google.rpc import error_details_pb2
from grpc_status import rpc_status

# For failures that carry no ErrorInfo (the server never answered): the HTTP status they stand for.
_TRANSPORT_CODES = {
    grpc.StatusCode.UNAVAILABLE: "503",
    grpc.StatusCode.DEADLINE_EXCEEDED: "504",
    grpc.StatusCode.CANCELLED: "499",
    grpc.StatusCode.UNAUTHENTICATED: "401",
    grpc.StatusCode.PERMISSION_DENIED: "403",
    grpc.StatusCode.RESOURCE_EXHAUSTED: "429",
    grpc.StatusCode.INVALID_ARGUMENT: "400",
    grpc.StatusCode.NOT_FOUND: "404",
    grpc.StatusCode.UNIMPLEMENTED: "501",
}


class TaskRouterError(Exception):
    """A call failed: `error_code` and `message` as the HTTP API would show them."""

    def __init__(self, error_code: str, message: str, data: str = "", *, reason: str = "",
                 status: grpc.StatusCode = grpc.StatusCode.UNKNOWN):
        super().__init__(f"{error_code} {message}" + (f": {data}" if data else ""))
        self.error_code = error_code
        self.message = message
        self.data = data
        self.reason = reason  # google.rpc.ErrorInfo reason, e.g. WORKER_NOT_FOUND
        self.status = status  # the gRPC status code

    @classmethod
    def from_rpc_error(cls, error: grpc.RpcError) -> TaskRouterError:
        code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
        message = (error.details() if hasattr(error, "details") else "") or code.name
        info = _error_info(error)
        if info is not None:
            return cls(info.metadata.get("errorCode", ""), message, info.metadata.get("data", ""),
                       reason=info.reason, status=code)
        return cls(_TRANSPORT_CODES.get(code, "500"), message, reason=code.name, status=code)


def _error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo | None:
    try:
        status = rpc_status.from_call(error)
    except (ValueError, AttributeError):  # trailers without a matching status
        return None
    if status is None:
        return None
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info
    return None
