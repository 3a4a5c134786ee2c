"""Fixtures for the ingress tests: a workspace whose one workflow routes every task to a queue
with one available worker, built over gRPC for the test's account."""

from __future__ import annotations

import dataclasses
import json
import uuid

import pytest
from polling import eventually

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


@dataclasses.dataclass
class Setup:
    workspace_sid: str
    queue_sid: str
    workflow_sid: str
    worker_sid: str


def build(api, with_worker: bool = True) -> Setup:
    tag = uuid.uuid4().hex[:8]
    ws = api.configuration.CreateWorkspace(cs.CreateWorkspaceRequest(
        enterprise_sid=api.account["enterpriseSid"], name=f"ingress {tag}"))
    queue = api.configuration.CreateTaskQueue(cs.CreateTaskQueueRequest(workspace_sid=ws.sid, name=f"q {tag}"))
    config = json.dumps({"task_routing": {"filters": [], "default_filter": {"queue": queue.sid}}})
    wf = api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(workspace_sid=ws.sid, name=f"wf {tag}",
                                                               configuration=config))
    worker_sid = ""
    if with_worker:
        online = api.configuration.CreateActivity(cs.CreateActivityRequest(
            workspace_sid=ws.sid, name=f"ready {tag}", available=True))
        worker = api.workforce.CreateWorker(wks.CreateWorkerRequest(
            workspace_sid=ws.sid, name=f"agent {tag}", attributes=json.dumps({"contact_uri": "client:agent"}),
            activity_sid=online.sid))
        worker_sid = worker.sid
    return Setup(ws.sid, queue.sid, wf.sid, worker_sid)


@pytest.fixture
def routed(api) -> Setup:
    return build(api)


def reserved_worker(api, task_sid: str) -> str:
    """The worker the task was offered to (waits for the reservation)."""
    def find():
        found = api.tasks.ListReservations(ts.ListReservationsRequest(task_sid=task_sid))
        return found.result[0].worker_sid if found.result else None

    return eventually(find)


@pytest.fixture
def reserved(api):
    return lambda task_sid: reserved_worker(api, task_sid)


@pytest.fixture
def setup_for():
    """build(api, with_worker=True) for another account or a second workspace."""
    return build
