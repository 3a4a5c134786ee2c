"""A real gRPC server with scripted servicers, and the real HTTP gateway in front of it.

The servicers return canned messages and fail the way services/errors.py makes our services fail
(a status with a google.rpc.ErrorInfo detail), so the gateway is tested without the real services.
"""

from __future__ import annotations

import base64
import threading
import time
from collections import defaultdict
from concurrent import futures

import grpc
import httpx
import pytest
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

from taskrouter.server.gateway import HttpGateway
from taskrouter.v1 import (
    configuration_service_pb2 as cs,
)
from taskrouter.v1 import (
    configuration_service_pb2_grpc as cs_grpc,
)
from taskrouter.v1 import (
    resources_pb2 as res,
)
from taskrouter.v1 import (
    task_service_pb2 as ts,
)
from taskrouter.v1 import (
    task_service_pb2_grpc as ts_grpc,
)

ACCOUNT = ("AC0123456789abcdef0123456789abcdef", "secret-token")
GOOD_AUTH = "Basic " + base64.b64encode(f"{ACCOUNT[0]}:{ACCOUNT[1]}".encode()).decode()
HEARTBEAT = 0.3


def abort(context: grpc.ServicerContext, code: grpc.StatusCode, error_code: str, message: str, data: str = ""):
    """Fail like TaskRouterError.to_status(): the status carries ErrorInfo(errorCode, data)."""
    info = error_details_pb2.ErrorInfo(
        reason="SCRIPTED", domain="taskrouter", metadata={"errorCode": error_code, "data": data}
    )
    status = status_pb2.Status(code=code.value[0], message=message)
    status.details.add().Pack(info)
    context.abort_with_status(rpc_status.to_status(status))


class Recorder:
    """What each RPC received: the request and its metadata."""

    def __init__(self) -> None:
        self.calls: dict[str, list[tuple[object, dict[str, str]]]] = defaultdict(list)
        self.watch_ended = threading.Event()

    def record(self, name: str, request, context) -> None:
        self.calls[name].append((request, dict(context.invocation_metadata())))

    def last(self, name: str):
        return self.calls[name][-1][0]

    def last_metadata(self, name: str) -> dict[str, str]:
        return self.calls[name][-1][1]


def workspace(sid: str = "WSffd5352247ee45a582ea7b9c97432d97", name: str = "MyTestWorkSpace 1") -> res.Workspace:
    return res.Workspace(
        sid=sid,
        enterprise_sid="EN164fe03a451544629e0a554b0863c48e",
        name=name,
        default_activity_sid="AT4c36ff99c60a4ebdb9098ff5cdf9f07e",
        prioritize_queue_order="FIFO",
        account_email="cspadmin1@nmorgtest1.com",
        date_created="2020-06-02T11:49:24+0000",
        date_updated="2020-06-15T07:00:25+0000",
        uri=f"/taskrouter/workspaces/search/{sid}",
    )


class ScriptedConfiguration(cs_grpc.ConfigurationServiceServicer):
    def __init__(self, recorder: Recorder):
        self.r = recorder

    def CreateWorkspace(self, request, context):
        self.r.record("CreateWorkspace", request, context)
        if request.name == "MyTestWorkSpace 5":
            abort(context, grpc.StatusCode.ALREADY_EXISTS, "526", "Workspace not unique", request.name)
        ws = workspace("WSAb6eb071d21124dbab20b095c25f1274f", request.name)
        ws.enterprise_sid = request.enterprise_sid
        return ws

    def GetWorkspace(self, request, context):
        self.r.record("GetWorkspace", request, context)
        if dict(context.invocation_metadata()).get("authorization") != GOOD_AUTH:
            abort(context, grpc.StatusCode.UNAUTHENTICATED, "401", "Authentication required")
        if request.sid == "WS00aac800166644b5a2bd9238625ef0c2aaa":
            abort(context, grpc.StatusCode.NOT_FOUND, "520", "Sid of passed workspace is not found", request.sid)
        if request.sid == "WSnoinfo":
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, "plain status without details")
        if request.sid == "WScrash":
            raise RuntimeError("servicer bug")
        return workspace(request.sid)

    def ListWorkspaces(self, request, context):
        self.r.record("ListWorkspaces", request, context)
        return cs.ListWorkspacesResponse(
            result=[workspace(), workspace("WS906ec0dde4d2473eb7e306caf9ad3fbf", "MyTestWorkSpace 2")],
            page_size=request.page_size if request.HasField("page_size") else 10,
            total=2,
            page=request.page,
            num_pages=1,
            start=0,
            end=1,
            first_page_uri="/taskrouter/workspaces/search/?pageSize=10&page=0",
            uri="/taskrouter/workspaces/search/?pageSize=10&page=0",
        )

    def UpdateWorkspace(self, request, context):
        self.r.record("UpdateWorkspace", request, context)
        ws = workspace(request.sid)
        if request.HasField("name"):
            ws.name = request.name
        return ws

    def DeleteWorkspace(self, request, context):
        self.r.record("DeleteWorkspace", request, context)
        return workspace(request.sid)

    def CreateActivity(self, request, context):
        self.r.record("CreateActivity", request, context)
        if request.name == "Duplicate":
            from taskrouter.server.errors import TaskRouterError  # the real error model, when present

            context.abort_with_status(TaskRouterError("ACTIVITY_NOT_UNIQUE", request.name).to_status())
        return res.Activity(sid="AT1", workspace_sid=request.workspace_sid, name=request.name, available=request.available)

    def GetActivity(self, request, context):
        self.r.record("GetActivity", request, context)
        if request.sid == "ATslow":
            time.sleep(0.5)
        return res.Activity(sid=request.sid, name="Online", available=True)

    def ListActivities(self, request, context):
        self.r.record("ListActivities", request, context)
        return cs.ListActivitiesResponse(page_size=10)

    def CreateTaskQueue(self, request, context):
        self.r.record("CreateTaskQueue", request, context)
        return res.TaskQueue(
            sid="TQe5a6698445854402b89b184258c0648c",
            workspace_sid=request.workspace_sid,
            name=request.name,
            target_workers=request.target_workers,
            task_order=request.task_order,
            max_reserved_workers=request.max_reserved_workers,
        )


def event(event_id: int, event_type: str = "task.created") -> res.Event:
    return res.Event(
        id=event_id,
        sid=f"EV{event_id}",
        workspace_sid="WSevents",
        event_type=event_type,
        resource_type="task",
        resource_sid="TK1",
        event_data='{"a": 1}',
        event_date="2020-06-15T07:00:25+0000",
    )


class ScriptedTasks(ts_grpc.TaskServiceServicer):
    def __init__(self, recorder: Recorder):
        self.r = recorder

    def CreateTask(self, request, context):
        self.r.record("CreateTask", request, context)
        return res.Task(sid="TK1", workspace_sid=request.workspace_sid, priority=request.priority,
                        attributes=request.attributes, age=0)

    def GetTask(self, request, context):
        self.r.record("GetTask", request, context)
        return res.Task(
            sid=request.sid,
            workspace_sid="WSffd5352247ee45a582ea7b9c97432d97",
            age=12345678901,
            priority=3,
            assignment_status="pending",
            assignment_state="PENDING",
            restcomm_account=res.RestcommAccount(account_sid="AC1", account_email="a@b.c"),
        )

    def UpdateTask(self, request, context):
        self.r.record("UpdateTask", request, context)
        return res.Task(sid=request.sid, priority=request.priority)

    def ListTasks(self, request, context):
        self.r.record("ListTasks", request, context)
        return ts.ListTasksResponse(page_size=10)

    def CreateEgainTaskActivity(self, request, context):
        """A route with XML, a closed query, header fields and documented error statuses."""
        self.r.record("CreateEgainTaskActivity", request, context)
        if request.subject == "unavailable":
            abort(context, grpc.StatusCode.UNAVAILABLE, "", "Try later")
        return ts.EgainActivity(id="TK1")

    def WatchEvents(self, request, context):
        self.r.record("WatchEvents", request, context)
        ws = request.workspace_sid
        if ws == "WSdenied":
            abort(context, grpc.StatusCode.UNAUTHENTICATED, "401", "Authentication required")
        if ws == "WSevents":
            for i in range(1, 4):
                yield event(request.after_id + i, "task.created" if i < 3 else "reservation.created")
            return
        if ws == "WSfail":
            yield event(1)
            abort(context, grpc.StatusCode.NOT_FOUND, "520", "Sid of passed workspace is not found", ws)
        if ws == "WSidle":
            context.add_callback(self.r.watch_ended.set)
            context.send_initial_metadata(())
            while context.is_active():
                time.sleep(0.02)
            return


@pytest.fixture(scope="session")
def good_auth() -> str:
    return GOOD_AUTH


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="session")
def grpc_target(recorder):
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16), options=[("grpc.so_reuseport", 0)])
    cs_grpc.add_ConfigurationServiceServicer_to_server(ScriptedConfiguration(recorder), server)
    ts_grpc.add_TaskServiceServicer_to_server(ScriptedTasks(recorder), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop(0)


@pytest.fixture(scope="session")
def gateway(grpc_target):
    gw = HttpGateway(grpc_target, "127.0.0.1", 0, heartbeat_interval=HEARTBEAT, request_timeout=5.0)
    gw.start()
    yield gw
    gw.stop()


@pytest.fixture(scope="session")
def client(gateway):
    with httpx.Client(base_url=gateway.url, auth=ACCOUNT, timeout=5.0) as c:
        yield c
