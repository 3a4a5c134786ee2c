"""Builders and assertions shared by the gRPC resource tests (imported as `helpers`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import uuid

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from taskrouter.v1 import (
    configuration_service_pb2 as cs,
)
from taskrouter.v1 import (
    task_service_pb2 as ts,
)
from taskrouter.v1 import (
    workflow_service_pb2 as wfs,
)
from taskrouter.v1 import (
    workforce_service_pb2 as wks,
)

NOT_FOUND = grpc.StatusCode.NOT_FOUND
EXISTS = grpc.StatusCode.ALREADY_EXISTS
BAD = grpc.StatusCode.INVALID_ARGUMENT
PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION

# Well-formed SIDs that no test ever creates.
MISSING = {
    "workspace": "WS" + "0" * 32,
    "activity": "AT" + "0" * 32,
    "queue": "TQ" + "0" * 32,
    "worker": "WK" + "0" * 32,
    "workflow": "WF" + "0" * 32,
    "task": "TK" + "0" * 32,
}


def unique(prefix: str = "n") -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def error_info(error: grpc.RpcError) -> error_details_pb2.ErrorInfo:
    """The google.rpc.ErrorInfo detail of a failed call (fails the test if there is none)."""
    status = rpc_status.from_call(error)
    assert status is not None, f"no google.rpc.Status in the trailers of {error!r}"
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return info
    raise AssertionError(f"no ErrorInfo detail in {status}")


def check_error(error: grpc.RpcError, status: grpc.StatusCode, *, reason: str | None = None,
                error_code: str | None = None, data: str | None = None) -> error_details_pb2.ErrorInfo:
    assert error.code() == status, f"{error.code()} {error.details()!r}, expected {status}"
    info = error_info(error)
    assert info.domain == "taskrouter"
    if reason is not None:
        assert info.reason == reason, info
    if error_code is not None:
        assert info.metadata["errorCode"] == error_code, info
    if data is not None:
        assert info.metadata["data"] == data, info
    return info


@contextlib.contextmanager
def raises(status: grpc.StatusCode, reason: str | None = None, *, code: str | None = None,
           data: str | None = None):
    """with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=sid): api.configuration.Get...

    Yields a list that holds the ErrorInfo once the block has failed as expected."""
    found: list[error_details_pb2.ErrorInfo] = []
    with pytest.raises(grpc.RpcError) as caught:
        yield found
    found.append(check_error(caught.value, status, reason=reason, error_code=code, data=data))


# Builders: the smallest valid request, overridable field by field.

def make_workspace(api, name: str | None = None, **fields):
    return api.configuration.CreateWorkspace(cs.CreateWorkspaceRequest(
        enterprise_sid=api.account["enterpriseSid"], name=name or unique("ws"), **fields))


def make_activity(api, workspace_sid: str, name: str | None = None, available: bool = True):
    return api.configuration.CreateActivity(cs.CreateActivityRequest(
        workspace_sid=workspace_sid, name=name or unique("act"), available=available))


def make_queue(api, workspace_sid: str, name: str | None = None, **fields):
    return api.configuration.CreateTaskQueue(cs.CreateTaskQueueRequest(
        workspace_sid=workspace_sid, name=name or unique("queue"), **fields))


def worker_attributes(**attributes) -> str:
    return json.dumps({"contact_uri": "client:agent", **attributes})


def make_worker(api, workspace_sid: str, name: str | None = None, attributes: str | None = None, **fields):
    return api.workforce.CreateWorker(wks.CreateWorkerRequest(
        workspace_sid=workspace_sid, name=name or unique("worker"),
        attributes=attributes if attributes is not None else worker_attributes(), **fields))


def routing(default_queue: str | dict | None = None, filters: list | None = None) -> str:
    config: dict = {"filters": filters or []}
    if default_queue is not None:
        config["default_filter"] = default_queue
    return json.dumps({"task_routing": config})


def make_workflow(api, workspace_sid: str, queue_sid: str, name: str | None = None, configuration: str | None = None,
                  **fields):
    return api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(
        workspace_sid=workspace_sid, name=name or unique("wf"),
        configuration=configuration if configuration is not None else routing({"queue": queue_sid}), **fields))


def make_task(api, workflow_sid: str = "", **fields):
    return api.tasks.CreateTask(ts.CreateTaskRequest(workflow_sid=workflow_sid, **fields))


def cancel_task(api, sid: str, status: str = "Canceled"):
    return api.tasks.UpdateTask(ts.UpdateTaskRequest(sid=sid, assignment_status=status, reason="test"))


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def page_uri(kind: str, page_size: int = 10, page: int = 0) -> str:
    return f"/taskrouter/{kind}/search/?pageSize={page_size}&page={page}"


def sids(response) -> list[str]:
    return [row.sid for row in response.result]


def names(response) -> list[str]:
    return [row.name for row in response.result]
