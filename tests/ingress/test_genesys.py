"""Genesys Context Services ingress over HTTP: Start Service, Start Task, task extensions."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def start_service(http, **body) -> int:
    r = http.post("/services/start", json=body)
    assert r.status_code == 201, r.text
    service_id = r.json()["service_id"]
    assert isinstance(service_id, int) and r.json() == {"service_id": service_id}
    return service_id


def task_by_external_id(http, workspace_sid: str, external_id: str) -> dict:
    r = http.get("/taskrouter/tasks/search", params={"workspaceSid": workspace_sid, "isLiveSession": "true",
                                                     "pageSize": 1000})
    assert r.status_code == 200, r.text
    found = [t for t in r.json()["data"]["result"] if t.get("externalId") == external_id]
    assert len(found) == 1, r.json()
    # The seed's Get Task shows the task with its origin.
    one = http.get(f"/taskrouter/tasks/search/{found[0]['sid']}")
    assert one.status_code == 200, one.text
    return one.json()["data"]


def test_start_task_creates_a_routed_task(http, routed, reserved, server):
    service_id = start_service(http, workflowSid=routed.workflow_sid)
    r = http.post(f"/services/{service_id}/tasks/start", json={
        "task_type": "customer info", "session_id": "s-1", "interaction_id": "i-9", "media_type": 3,
        "est_duration": 120, "state_id": 4, "application_id": 77, "resource_type": "agent", "resource_id": 5,
        "application_type": 12, "timestamp": "2017-11-23T16:00:00.123Z"})
    assert r.status_code == 201, r.text
    task_id = r.json()["task_id"]
    assert r.json() == {"task_id": task_id} and isinstance(task_id, int) and 0 < task_id < 2**31
    assert r.headers["location"] == f"{server.http_url}/service/{service_id}/tasks/{task_id}"
    task = task_by_external_id(http, routed.workspace_sid, str(task_id))
    assert task["origin"] == "genesys"
    assert task["workflowSid"] == routed.workflow_sid
    attributes = task["attributes"] if isinstance(task["attributes"], dict) else json.loads(
        task["attributes"])
    assert attributes["task_type"] == "customer info"
    assert attributes["media_type"] == 3 and attributes["est_duration"] == 120 and attributes["state_id"] == 4
    assert attributes["timestamp"] == "2017-11-23T16:00:00.123Z"
    assert attributes["service_id"] == service_id and attributes["task_id"] == task_id
    assert reserved(task["sid"]) == routed.worker_sid


def test_task_ids_increase_and_timestamp_defaults_to_server_time(http, routed):
    service_id = start_service(http)  # the enterprise has exactly one workflow
    first = http.post(f"/services/{service_id}/tasks/start", json={"task_type": 1}).json()["task_id"]
    second = http.post(f"/services/{service_id}/tasks/start", json={"task_type": 1}).json()["task_id"]
    assert second > first
    attributes = task_by_external_id(http, routed.workspace_sid, str(second))["attributes"]
    attributes = attributes if isinstance(attributes, dict) else json.loads(attributes)
    assert TIMESTAMP.match(attributes["timestamp"]) and attributes["task_type"] == 1


def test_task_type_is_mandatory_and_typed(http, routed):
    service_id = start_service(http)
    for body in ({}, {"task_type": None}, {"task_type": ""}, {"task_type": True}, {"task_type": 1.5},
                 {"task_type": {"a": 1}}):
        r = http.post(f"/services/{service_id}/tasks/start", json=body)
        assert r.status_code == 400, (body, r.text)
        assert r.json()["status"] == 400 and "task_type" in r.json()["message"]


def test_bad_fields_are_400(http, routed):
    service_id = start_service(http)
    for body in ({"task_type": 1, "timestamp": "yesterday"}, {"task_type": 1, "est_duration": -1},
                 {"task_type": 1, "state_id": "x"}, {"task_type": 1, "media_type": 2.5}):
        r = http.post(f"/services/{service_id}/tasks/start", json=body)
        assert r.status_code == 400, (body, r.text)
        assert set(r.json()) == {"status", "code", "message"}
    r = http.post(f"/services/{service_id}/tasks/start", content=b"{not json", headers={
        "content-type": "application/json"})
    assert r.status_code == 400 and r.json()["status"] == 400


def test_unknown_service_is_404(http, routed, server, account):
    r = http.post("/services/987654321987/tasks/start", json={"task_type": 1})
    assert r.status_code == 404, r.text
    assert r.json()["status"] == 404
    r = http.post("/services/abc/tasks/start", json={"task_type": 1})
    assert r.status_code == 400


def test_another_enterprise_cannot_use_the_service(http, routed, server):
    from taskrouter.server.accounts import create_account

    service_id = start_service(http)
    other = create_account(f"{uuid.uuid4().hex[:8]}@other.example.com")
    with httpx.Client(base_url=server.http_url, auth=(other["accountSid"], other["authToken"])) as client:
        r = client.post(f"/services/{service_id}/tasks/start", json={"task_type": 1})
    assert r.status_code == 404, r.text


def test_service_needs_a_workflow_choice(http, api, routed, setup_for):
    setup_for(api, with_worker=False)  # a second workflow in the enterprise
    r = http.post("/services/start", json={})
    assert r.status_code == 400 and "workflowSid" in r.json()["message"]
    assert http.post("/services/start", json={"workspaceSid": routed.workspace_sid}).status_code == 201
    r = http.post("/services/start", json={"workflowSid": "WF" + "0" * 32})
    assert r.status_code == 404, r.text
    r = http.post("/services/start", json={"workspaceSid": "WS" + "0" * 32})
    assert r.status_code == 404, r.text


def test_unauthenticated(server, routed):
    r = httpx.post(f"{server.http_url}/services/start", json={})
    assert r.status_code == 401 and r.json()["status"] == 401


def test_extensions_follow_their_schemas(http, routed):
    name = f"Survey{uuid.uuid4().hex[:6]}"
    r = http.post("/metadata/tasks/extensions", json={
        "name": name, "attributes": [{"name": "question1", "type": "string", "mandatory": True},
                                     {"name": "score", "type": "integer"}]})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == name and r.json()["single_valued"] is True
    proposal = f"Proposal{uuid.uuid4().hex[:6]}"
    r = http.post("/metadata/tasks/extensions", json={
        "name": proposal, "single_valued": False,
        "attributes": [{"name": "car type"}, {"name": "price", "type": "long"}, {"name": "comments"}]})
    assert r.status_code == 201, r.text
    assert http.post("/metadata/tasks/extensions", json={"name": name}).status_code == 409
    assert http.post("/metadata/tasks/extensions", json={"name": "task_type"}).status_code == 400
    assert http.post("/metadata/tasks/extensions", json={"name": "x", "attributes": [
        {"name": "a", "type": "blob"}]}).status_code == 400

    service_id = start_service(http)
    body = {"task_type": "customer info",
            name: {"question1": "will be better with cable tv and on-demand video", "score": 4},
            proposal: [{"car type": "cabriolet", "price": 25000, "comments": "200 cv, hardtop"},
                       {"car type": "S.U.V.", "price": 70000, "comments": "4wd, leather seats"}]}
    r = http.post(f"/services/{service_id}/tasks/start", json=body)
    assert r.status_code == 201, r.text
    attributes = task_by_external_id(http, routed.workspace_sid, str(r.json()["task_id"]))["attributes"]
    attributes = attributes if isinstance(attributes, dict) else json.loads(attributes)
    assert attributes[name] == body[name] and attributes[proposal] == body[proposal]

    for bad in ({"Unknown": {"a": 1}}, {name: {"score": 4}}, {name: {"question1": "q", "score": "high"}},
                {name: [{"question1": "q"}]}, {proposal: {"price": 1}}, {name: {"question1": "q", "other": 1}}):
        r = http.post(f"/services/{service_id}/tasks/start", json={"task_type": 1, **bad})
        assert r.status_code == 400, (bad, r.text)


@pytest.mark.parametrize("task_type", ["customer info", 42])
def test_grpc_start_task_returns_the_task_sid(api, routed, task_type):
    from google.protobuf import struct_pb2

    from taskrouter.v1 import task_service_pb2 as ts

    service = api.tasks.StartGenesysService(ts.StartGenesysServiceRequest(workflow_sid=routed.workflow_sid))
    value = struct_pb2.Value()
    if isinstance(task_type, str):
        value.string_value = task_type
    else:
        value.number_value = task_type
    started = api.tasks.StartGenesysTask(ts.StartGenesysTaskRequest(service_id=service.service_id, task_type=value))
    task = api.tasks.GetTask(ts.GetTaskRequest(sid=started.task_sid))
    assert task.origin == "genesys" and task.external_id == str(started.task_id)


def test_nul_characters_are_400_not_500(http, routed):
    service_id = start_service(http)
    for body in ({"task_type": "a\u0000b"}, {"task_type": 1, "session_id": "\u0000"}):
        r = http.post(f"/services/{service_id}/tasks/start", json=body)
        assert r.status_code == 400, (body, r.text)
    r = http.post("/metadata/tasks/extensions", json={"name": "n", "attributes": [{"name": "a\u0000"}]})
    assert r.status_code == 400, r.text
    assert http.post("/services/start", json={"service_type": "x\u0000"}).status_code == 400
