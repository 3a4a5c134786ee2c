"""Tenancy (another enterprise's SIDs are not found, lists never show them), authentication,
and the discovery services (health, reflection) through the real server."""

from __future__ import annotations

import base64

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase
from helpers import (
    NOT_FOUND,
    cancel_task,
    check_error,
    make_activity,
    make_queue,
    make_task,
    make_worker,
    make_workflow,
    make_workspace,
    raises,
    routing,
    worker_attributes,
)

from taskrouter.v1 import (
    configuration_service_pb2 as cs,
)
from taskrouter.v1 import (
    configuration_service_pb2_grpc as cs_grpc,
)
from taskrouter.v1 import (
    task_service_pb2 as ts,
)
from taskrouter.v1 import (
    task_service_pb2_grpc as ts_grpc,
)
from taskrouter.v1 import (
    workflow_service_pb2 as wfs,
)
from taskrouter.v1 import (
    workflow_service_pb2_grpc as wfs_grpc,
)
from taskrouter.v1 import (
    workforce_service_pb2 as wks,
)
from taskrouter.v1 import (
    workforce_service_pb2_grpc as wks_grpc,
)

SERVICES = ["taskrouter.v1.ConfigurationService", "taskrouter.v1.WorkforceService", "taskrouter.v1.WorkflowService",
            "taskrouter.v1.TaskService"]


@pytest.fixture
def victim(api):
    """One of each resource, in the `api` account's enterprise."""
    ws = make_workspace(api, "Victim workspace")
    activity = make_activity(api, ws.sid, "Victim activity")
    queue = make_queue(api, ws.sid, "Victim queue")
    worker = make_worker(api, ws.sid, "Victim worker")
    workflow = make_workflow(api, ws.sid, queue.sid, "Victim workflow")
    live = make_task(api, workflow.sid)
    done = cancel_task(api, make_task(api, workflow.sid).sid)
    return {"workspace": ws, "activity": activity, "queue": queue, "worker": worker, "workflow": workflow,
            "task": live, "done": done}


# Every Get/Update/Delete of another enterprise's SID: (kind, code, reason, call).
FOREIGN_CALLS = [
    ("workspace", "520", "WORKSPACE_NOT_FOUND", lambda a, s: a.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=s))),
    ("workspace", "520", "WORKSPACE_NOT_FOUND",
     lambda a, s: a.configuration.UpdateWorkspace(cs.UpdateWorkspaceRequest(sid=s, name="mine now"))),
    ("workspace", "520", "WORKSPACE_NOT_FOUND",
     lambda a, s: a.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=s))),
    ("activity", "510", "ACTIVITY_NOT_FOUND", lambda a, s: a.configuration.GetActivity(cs.GetActivityRequest(sid=s))),
    ("activity", "510", "ACTIVITY_NOT_FOUND",
     lambda a, s: a.configuration.UpdateActivity(cs.UpdateActivityRequest(sid=s, name="mine now"))),
    ("activity", "510", "ACTIVITY_NOT_FOUND",
     lambda a, s: a.configuration.DeleteActivity(cs.DeleteActivityRequest(sid=s))),
    ("queue", "540", "TASK_QUEUE_NOT_FOUND", lambda a, s: a.configuration.GetTaskQueue(cs.GetTaskQueueRequest(sid=s))),
    ("queue", "540", "TASK_QUEUE_NOT_FOUND",
     lambda a, s: a.configuration.UpdateTaskQueue(cs.UpdateTaskQueueRequest(sid=s, name="mine now"))),
    ("queue", "540", "TASK_QUEUE_NOT_FOUND",
     lambda a, s: a.configuration.DeleteTaskQueue(cs.DeleteTaskQueueRequest(sid=s))),
    ("worker", "530", "WORKER_NOT_FOUND", lambda a, s: a.workforce.GetWorker(wks.GetWorkerRequest(sid=s))),
    ("worker", "530", "WORKER_NOT_FOUND",
     lambda a, s: a.workforce.UpdateWorker(wks.UpdateWorkerRequest(sid=s, name="mine now"))),
    ("worker", "530", "WORKER_NOT_FOUND", lambda a, s: a.workforce.DeleteWorker(wks.DeleteWorkerRequest(sid=s))),
    ("workflow", "550", "WORKFLOW_NOT_FOUND", lambda a, s: a.workflow.GetWorkflow(wfs.GetWorkflowRequest(sid=s))),
    ("workflow", "550", "WORKFLOW_NOT_FOUND",
     lambda a, s: a.workflow.UpdateWorkflow(wfs.UpdateWorkflowRequest(sid=s, name="mine now"))),
    ("workflow", "550", "WORKFLOW_NOT_FOUND", lambda a, s: a.workflow.DeleteWorkflow(wfs.DeleteWorkflowRequest(sid=s))),
    ("task", "560", "TASK_NOT_FOUND", lambda a, s: a.tasks.GetTask(ts.GetTaskRequest(sid=s))),
    ("task", "560", "TASK_NOT_FOUND",
     lambda a, s: a.tasks.UpdateTask(ts.UpdateTaskRequest(sid=s, assignment_status="Canceled"))),
    ("task", "560", "TASK_NOT_FOUND", lambda a, s: a.tasks.DeleteTask(ts.DeleteTaskRequest(sid=s))),
]


def test_another_enterprises_sids_are_not_found(api, other_api, victim):
    for kind, code, reason, call in FOREIGN_CALLS:
        sid = victim[kind].sid
        with raises(NOT_FOUND, reason, code=code, data=sid):
            call(other_api, sid)
    # Nothing was changed or deleted.
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=victim["workspace"].sid)).name == \
        "Victim workspace"
    assert api.configuration.GetActivity(cs.GetActivityRequest(sid=victim["activity"].sid)).name == "Victim activity"
    assert api.configuration.GetTaskQueue(cs.GetTaskQueueRequest(sid=victim["queue"].sid)).name == "Victim queue"
    assert api.workforce.GetWorker(wks.GetWorkerRequest(sid=victim["worker"].sid)).name == "Victim worker"
    assert api.workflow.GetWorkflow(wfs.GetWorkflowRequest(sid=victim["workflow"].sid)).name == "Victim workflow"
    assert api.tasks.GetTask(ts.GetTaskRequest(sid=victim["task"].sid)).assignment_status == "Pending"


def test_lists_never_show_another_enterprises_resources(api, other_api, victim):
    mine = make_workspace(other_api, "Victim workspace")  # the same name is fine in another enterprise
    ws = victim["workspace"].sid
    assert [w.sid for w in other_api.configuration.ListWorkspaces(cs.ListWorkspacesRequest()).result] == [mine.sid]
    assert other_api.configuration.ListWorkspaces(cs.ListWorkspacesRequest(name="victim")).total == 1
    for workspace_sid in ("", ws):
        activities = other_api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=workspace_sid))
        assert {a.workspace_sid for a in activities.result} <= {mine.sid}
        assert other_api.configuration.ListTaskQueues(cs.ListTaskQueuesRequest(workspace_sid=workspace_sid)).total == 0
        assert other_api.workforce.ListWorkers(wks.ListWorkersRequest(workspace_sid=workspace_sid)).total == 0
        assert other_api.workflow.ListWorkflows(wfs.ListWorkflowsRequest(workspace_sid=workspace_sid)).total == 0
        for live in (True, False):
            found = other_api.tasks.ListTasks(ts.ListTasksRequest(workspace_sid=workspace_sid, is_live_session=live))
            assert found.total == 0
    assert other_api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=ws)).total == 0
    assert other_api.workforce.ListWorkers(wks.ListWorkersRequest(task_queue_sid=victim["queue"].sid)).total == 0
    assert other_api.workforce.ListWorkers(wks.ListWorkersRequest(task_queue_name="Victim queue")).total == 0
    assert other_api.workforce.ListWorkers(wks.ListWorkersRequest(activity_sid=victim["worker"].activity_sid)).total == 0
    assert other_api.workforce.ListWorkers(wks.ListWorkersRequest(target_worker_expression="1==1")).total == 0
    assert other_api.tasks.ListTasks(ts.ListTasksRequest(assignment_status="pending")).total == 0
    # ...while the owner sees its own.
    assert api.configuration.ListWorkspaces(cs.ListWorkspacesRequest()).total == 1
    assert api.tasks.ListTasks(ts.ListTasksRequest(is_live_session=True)).total == 1


def test_cannot_create_into_another_enterprises_workspace(other_api, victim):
    ws = victim["workspace"].sid
    creates = [
        lambda: make_activity(other_api, ws),
        lambda: make_queue(other_api, ws),
        lambda: make_worker(other_api, ws),
        lambda: make_workflow(other_api, ws, victim["queue"].sid),
        lambda: make_task(other_api, workspace_sid=ws),
    ]
    for create in creates:
        with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=ws):
            create()
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=victim["workflow"].sid):
        make_task(other_api, victim["workflow"].sid)


def test_cannot_refer_to_another_enterprises_resources(other_api, victim):
    mine = make_workspace(other_api)
    my_queue = make_queue(other_api, mine.sid)
    theirs = victim["activity"].sid
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=theirs):
        make_worker(other_api, mine.sid, activity_sid=theirs)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=theirs):
        make_queue(other_api, mine.sid, assignment_activity_sid=theirs)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=theirs):
        other_api.configuration.UpdateWorkspace(cs.UpdateWorkspaceRequest(sid=mine.sid, default_activity_sid=theirs))
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=victim["queue"].sid):
        make_workflow(other_api, mine.sid, my_queue.sid, configuration=routing(victim["queue"].sid))
    worker = make_worker(other_api, mine.sid, attributes=worker_attributes())
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=theirs):
        other_api.workforce.UpdateWorker(wks.UpdateWorkerRequest(sid=worker.sid, activity_sid=theirs))


# Authentication


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


STUBS = [
    (cs_grpc.ConfigurationServiceStub, "ListWorkspaces", cs.ListWorkspacesRequest()),
    (wks_grpc.WorkforceServiceStub, "ListWorkers", wks.ListWorkersRequest()),
    (wfs_grpc.WorkflowServiceStub, "ListWorkflows", wfs.ListWorkflowsRequest()),
    (ts_grpc.TaskServiceStub, "ListTasks", ts.ListTasksRequest()),
]


def bad_credentials(account) -> dict[str, tuple | None]:
    sid, token = account["accountSid"], account["authToken"]
    return {
        "none": None,
        "empty": (("authorization", ""),),
        "wrong token": (("authorization", basic(sid, token + "x")),),
        "unknown account": (("authorization", basic("AC" + "0" * 32, token)),),
        "token only": (("authorization", basic("", token)),),
        "no colon": (("authorization", "Basic " + base64.b64encode(sid.encode()).decode()),),
        "not base64": (("authorization", "Basic !!!not-base64!!!"),),
        "not utf-8": (("authorization", "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()),),
        "bearer": (("authorization", f"Bearer {token}"),),
        "scheme only": (("authorization", "Basic"),),
        "other header": (("x-authorization", basic(sid, token)),),
    }


@pytest.mark.parametrize("stub_class, method, request_message", STUBS, ids=[s[1] for s in STUBS])
def test_bad_credentials_are_unauthenticated(channel, account, stub_class, method, request_message):
    call = getattr(stub_class(channel), method)
    for metadata in bad_credentials(account).values():
        with pytest.raises(grpc.RpcError) as caught:
            call(request_message, metadata=metadata, timeout=10)
        check_error(caught.value, grpc.StatusCode.UNAUTHENTICATED, reason="UNAUTHENTICATED", error_code="401")
    # The right credentials work, with the scheme in any case.
    good = (("authorization", basic(account["accountSid"], account["authToken"]).replace("Basic", "basic")),)
    assert call(request_message, metadata=good, timeout=10).page_size == 10


def test_unauthenticated_call_has_no_effect(channel, api):
    stub = cs_grpc.ConfigurationServiceStub(channel)
    request = cs.CreateWorkspaceRequest(enterprise_sid=api.account["enterpriseSid"], name="sneaky")
    with pytest.raises(grpc.RpcError) as caught:
        stub.CreateWorkspace(request, metadata=(("authorization", basic(api.account["accountSid"], "nope")),))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert api.configuration.ListWorkspaces(cs.ListWorkspacesRequest()).total == 0


# Discovery


def test_health_serves_every_service_without_credentials(channel):
    health = health_pb2_grpc.HealthStub(channel)
    for service in ["", *SERVICES]:
        response = health.Check(health_pb2.HealthCheckRequest(service=service), timeout=10)
        assert response.status == health_pb2.HealthCheckResponse.SERVING, service
    with pytest.raises(grpc.RpcError) as caught:
        health.Check(health_pb2.HealthCheckRequest(service="taskrouter.v1.NoSuchService"), timeout=10)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_reflection_lists_and_describes_the_four_services(channel):
    database = ProtoReflectionDescriptorDatabase(channel)
    services = set(database.get_services())
    assert set(SERVICES) <= services
    assert {"grpc.health.v1.Health", "grpc.reflection.v1alpha.ServerReflection"} <= services
    from google.protobuf.descriptor_pool import DescriptorPool

    pool = DescriptorPool(database)
    configuration = pool.FindServiceByName("taskrouter.v1.ConfigurationService")
    assert {"CreateWorkspace", "ListWorkspaces", "DeleteTaskQueue"} <= {m.name for m in configuration.methods}
    assert pool.FindMessageTypeByName("taskrouter.v1.Task").fields_by_name["assignment_status"].number == 9
