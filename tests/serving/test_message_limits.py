"""Large answers: the HTTP API's channel takes what the server sends (both limits are one
setting), and the limit is configurable."""

from __future__ import annotations

import json

import grpc
import httpx
import pytest
from helpers import make_queue, make_workflow, make_workspace

from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import task_service_pb2_grpc

BIG = "x" * 900_000


def _query(ws) -> dict:
    return {"workspaceSid": ws.sid, "assignmentStatus": "pending", "pageSize": 10}


def _listing(ws, page_size: int) -> tasks.ListTasksRequest:
    return tasks.ListTasksRequest(workspace_sid=ws.sid, assignment_status="pending", page_size=page_size)


@pytest.fixture
def six_big_tasks(api, http):
    """Six tasks of 900 KB attributes each, created over HTTP: 5.4 MB in one list."""
    ws = make_workspace(api)
    workflow = make_workflow(api, ws.sid, make_queue(api, ws.sid).sid)
    for n in range(6):
        body = {"workflowSid": workflow.sid, "attributes": json.dumps({"n": n, "notes": BIG})}
        assert http.post("/taskrouter/tasks", json=body).status_code == 200
    return ws


def test_a_list_of_six_900_kb_tasks_over_http(http, six_big_tasks):
    """Defect: the gateway's channel kept gRPC's 4 MB receive limit, so this list failed with 429."""
    r = http.get("/taskrouter/tasks/search", params=_query(six_big_tasks))
    assert r.status_code == 200, r.text[:300]
    listed = r.json()["data"]["result"]
    assert len(listed) == 6 and all(len(task["attributes"]) > 900_000 for task in listed)


def test_the_gateway_in_front_of_remote_services_takes_the_same_list(server, account, six_big_tasks):
    from taskrouter.server.gateway.server import HttpGateway

    with HttpGateway(server.grpc_target, "127.0.0.1", 0) as gateway, httpx.Client(
            base_url=gateway.url, auth=(account["accountSid"], account["authToken"]), timeout=30) as client:
        r = client.get("/taskrouter/tasks/search", params=_query(six_big_tasks))
    assert r.status_code == 200, r.text[:300]
    assert len(r.json()["data"]["result"]) == 6


def test_the_message_limit_is_configurable(server, start_node, api, six_big_tasks):
    """A client that takes 64 MB: the server sends the 5.4 MB list, a node limited to 2 MB refuses."""
    options = [("grpc.max_receive_message_length", 64 << 20)]
    capped = start_node({"TASKROUTER_MAX_MESSAGE_BYTES": str(2 << 20)}, http=False)
    for target, fits in ((server.grpc_target, True), (capped.grpc_target, False)):
        with grpc.insecure_channel(target, options=options) as channel:
            stub = task_service_pb2_grpc.TaskServiceStub(channel)
            if fits:
                assert len(stub.ListTasks(_listing(six_big_tasks, 10), metadata=api.metadata).result) == 6
                continue
            with pytest.raises(grpc.RpcError) as caught:
                stub.ListTasks(_listing(six_big_tasks, 10), metadata=api.metadata)
            assert caught.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert len(stub.ListTasks(_listing(six_big_tasks, 1), metadata=api.metadata).result) == 1
