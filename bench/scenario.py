"""Set-up over gRPC from the coordinator: a workspace with 10 queues (targetWorkers
"team == 'qN'") and a workflow whose 10 filters route a task by its `team` attribute."""

from __future__ import annotations

import dataclasses
import json

import grpc

from bench.load import CHANNEL_OPTIONS, metadata
from taskrouter.v1 import (
    configuration_service_pb2 as cfg,
)
from taskrouter.v1 import (
    configuration_service_pb2_grpc as cfg_grpc,
)
from taskrouter.v1 import (
    task_service_pb2 as tsk,
)
from taskrouter.v1 import (
    task_service_pb2_grpc as tsk_grpc,
)
from taskrouter.v1 import (
    workflow_service_pb2 as wfl,
)
from taskrouter.v1 import (
    workflow_service_pb2_grpc as wfl_grpc,
)

QUEUES = 10


def workflow_configuration(queue_sids: list[str]) -> str:
    return json.dumps({"task_routing": {
        "filters": [{"filter_friendly_name": f"team q{i}", "expression": f"team == 'q{i}'",
                     "targets": [{"queue": sid}]} for i, sid in enumerate(queue_sids)],
        "default_filter": {"queue": queue_sids[0]},
    }})


@dataclasses.dataclass
class Workspace:
    sid: str
    online: str
    offline: str
    queues: list[str]
    workflow: str
    configuration: str


class Admin:
    """The coordinator's own channel, for set-up only (no load)."""

    def __init__(self, target: str, account: dict):
        self.account = account
        self.md = metadata(account)
        self.channel = grpc.insecure_channel(target, options=CHANNEL_OPTIONS)
        self.config = cfg_grpc.ConfigurationServiceStub(self.channel)
        self.workflows = wfl_grpc.WorkflowServiceStub(self.channel)
        self.tasks = tsk_grpc.TaskServiceStub(self.channel)

    def close(self) -> None:
        self.channel.close()

    def workspace(self, name: str, reservation_timeout: int | None = None) -> Workspace:
        ws = self.config.CreateWorkspace(cfg.CreateWorkspaceRequest(
            enterprise_sid=self.account["enterpriseSid"], name=name), metadata=self.md, timeout=30)
        activities = self.config.ListActivities(cfg.ListActivitiesRequest(workspace_sid=ws.sid, page_size=100),
                                                metadata=self.md, timeout=30).result
        by_name = {a.name: a.sid for a in activities}
        queues = [self.config.CreateTaskQueue(cfg.CreateTaskQueueRequest(
            workspace_sid=ws.sid, name=f"q{i}", target_workers=f"team == 'q{i}'"), metadata=self.md, timeout=30).sid
            for i in range(QUEUES)]
        configuration = workflow_configuration(queues)
        workflow = self.workflows.CreateWorkflow(wfl.CreateWorkflowRequest(
            workspace_sid=ws.sid, name="by team", configuration=configuration,
            task_reservation_timeout=reservation_timeout), metadata=self.md, timeout=30)
        return Workspace(sid=ws.sid, online=by_name["Online"], offline=by_name["Offline"], queues=queues,
                         workflow=workflow.sid, configuration=configuration)

    def count_reservations(self, workspace_sid: str) -> int:
        return self.tasks.ListReservations(tsk.ListReservationsRequest(workspace_sid=workspace_sid, page_size=1),
                                           metadata=self.md, timeout=60).total
