"""The one error model: domain code raises TaskRouterError; the servicers turn it into a
gRPC status carrying google.rpc.ErrorInfo; the gateway turns that into the seed's JSON body.

Every error the API can return is in ERRORS below, in one place.
"""

from __future__ import annotations

import dataclasses
import math

import grpc
from google.protobuf import duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from taskrouter.server.echo_bounds import MAX_DATA_CHARS, MAX_MESSAGE_CHARS, clip

DOMAIN = "taskrouter"


@dataclasses.dataclass(frozen=True)
class ErrorKind:
    code: str  # the seed's errorCode, or the HTTP status for errors the seed does not list
    reason: str  # google.rpc.ErrorInfo reason, UPPER_SNAKE
    message: str
    status: grpc.StatusCode


def _kind(code: str, reason: str, message: str, status: grpc.StatusCode) -> ErrorKind:
    return ErrorKind(code, reason, message, status)


_NF = grpc.StatusCode.NOT_FOUND
_EXISTS = grpc.StatusCode.ALREADY_EXISTS
_BAD = grpc.StatusCode.INVALID_ARGUMENT
_PRE = grpc.StatusCode.FAILED_PRECONDITION

ERRORS: dict[str, ErrorKind] = {
    k.reason: k
    for k in [
        # The seed's documented codes (HTTP 409 at the gateway).
        _kind("510", "ACTIVITY_NOT_FOUND", "Sid of passed activity is not found", _NF),
        _kind("516", "ACTIVITY_NOT_UNIQUE", "Activity not unique", _EXISTS),
        _kind("520", "WORKSPACE_NOT_FOUND", "Sid of passed workspace is not found", _NF),
        _kind("526", "WORKSPACE_NOT_UNIQUE", "Workspace not unique", _EXISTS),
        _kind("530", "WORKER_NOT_FOUND", "Sid of passed worker is not found", _NF),
        _kind("531", "WORKER_ATTRIBUTES_INVALID", "Worker's attributes is not valid json or empty", _BAD),
        _kind("532", "WORKER_CONTACT_URI_MISSING", "Worker's attributes is missing contact_uri", _BAD),
        _kind("536", "WORKER_NOT_UNIQUE", "Worker not unique", _EXISTS),
        _kind("540", "TASK_QUEUE_NOT_FOUND", "Sid of passed TaskQueue is not found", _NF),
        _kind("546", "TASK_QUEUE_NOT_UNIQUE", "TaskQueue not unique", _EXISTS),
        _kind("550", "WORKFLOW_NOT_FOUND", "Sid of passed Workflow is not found", _NF),
        _kind("556", "WORKFLOW_NOT_UNIQUE", "Workflow not unique", _EXISTS),
        _kind("560", "TASK_NOT_FOUND", "Sid of passed Task is not found", _NF),
        # Ours, in the seed's style, for resources the seed does not document.
        _kind("570", "RESERVATION_NOT_FOUND", "Sid of passed Reservation is not found", _NF),
        _kind("580", "TASK_CHANNEL_NOT_FOUND", "Sid or uniqueName of passed TaskChannel is not found", _NF),
        _kind("586", "TASK_CHANNEL_NOT_UNIQUE", "TaskChannel not unique", _EXISTS),
        _kind("590", "WORKER_CHANNEL_NOT_FOUND", "Sid of passed WorkerChannel is not found", _NF),
        _kind("595", "TRANSFER_NOT_FOUND", "Sid of passed Transfer is not found", _NF),
        # Errors the seed does not list: errorCode is the HTTP status.
        _kind("400", "INVALID_ARGUMENT", "Invalid argument", _BAD),
        _kind("400", "MISSING_FIELD", "Missing mandatory field", _BAD),
        _kind("400", "INVALID_EXPRESSION", "Invalid expression", _BAD),
        _kind("400", "INVALID_WORKFLOW_CONFIGURATION", "Invalid workflow configuration", _BAD),
        _kind("400", "INVALID_TASK_ATTRIBUTES", "Task attributes must be a JSON object", _BAD),
        _kind("409", "ACTIVITY_IN_USE", "Activity is in use", _PRE),
        _kind("409", "INVALID_TRANSITION", "Invalid state transition", _PRE),
        _kind("409", "RESERVATION_NOT_PENDING", "Reservation is no longer pending", _PRE),
        _kind("401", "UNAUTHENTICATED", "Authentication required", grpc.StatusCode.UNAUTHENTICATED),
        _kind("403", "PERMISSION_DENIED", "Permission denied", grpc.StatusCode.PERMISSION_DENIED),
        _kind("429", "TOO_MANY_FAILED_LOGINS", "Too many failed authentication attempts",
              grpc.StatusCode.RESOURCE_EXHAUSTED),
        # A bug: the server logged it under the request id that `data` carries.
        _kind("500", "INTERNAL", "Internal error", grpc.StatusCode.INTERNAL),
        _kind("429", "TOO_MANY_STREAMS", "Too many open streams", grpc.StatusCode.RESOURCE_EXHAUSTED),
        _kind("503", "DATABASE_UNAVAILABLE", "Service unavailable: the database cannot be reached; retry shortly",
              grpc.StatusCode.UNAVAILABLE),
    ]
}


class TaskRouterError(Exception):
    """A documented failure: its kind fixes code, message and status; `data` names the culprit.
    `retry_after` (seconds) says when a refused caller may try again (google.rpc.RetryInfo)."""

    def __init__(self, reason: str, data: str = "", message: str | None = None, retry_after: float | None = None):
        self.kind = ERRORS[reason]
        self.data = data
        self.message = message or self.kind.message
        self.retry_after = retry_after
        super().__init__(f"{self.kind.code} {clip(self.message, MAX_MESSAGE_CHARS)}: {clip(data, MAX_DATA_CHARS)}")

    def metadata(self) -> dict[str, str]:
        """The ErrorInfo metadata: every dynamic value, bounded in size."""
        return {"errorCode": self.kind.code, "data": clip(self.data, MAX_DATA_CHARS)}

    def to_status(self) -> grpc.Status:
        info = error_details_pb2.ErrorInfo(reason=self.kind.reason, domain=DOMAIN, metadata=self.metadata())
        status = status_pb2.Status(code=getattr(code_pb2, self.kind.status.name),
                                   message=clip(self.message, MAX_MESSAGE_CHARS))
        status.details.add().Pack(info)
        if self.retry_after is not None:
            delay = duration_pb2.Duration(seconds=max(1, math.ceil(self.retry_after)))
            status.details.add().Pack(error_details_pb2.RetryInfo(retry_delay=delay))
        return rpc_status.to_status(status)


def missing(field: str) -> TaskRouterError:
    return TaskRouterError("MISSING_FIELD", field, f"Missing mandatory field: {field}")


def internal(request_id: str) -> TaskRouterError:
    return TaskRouterError("INTERNAL", request_id,
                           f"Internal error: the server logged it under request id {request_id}")


def invalid(field: str, why: str) -> TaskRouterError:
    return TaskRouterError("INVALID_ARGUMENT", field, f"Invalid {field}: {why}")
