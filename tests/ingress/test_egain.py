"""eGain Create task activity over HTTP."""

from __future__ import annotations

import json

import pytest

from taskrouter.v1 import configuration_service_pb2 as cs

PATH = "/core/casemgr/v3/activity/task"
QUERY = {"searchContactOnAttribute": "email.emailAddress"}


@pytest.fixture
def department(api, routed) -> str:
    return api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=routed.workspace_sid)).name


def body(department_name: str, **changes) -> dict:
    value = {
        "department": {"name": department_name},
        "type": {"value": "task", "subtype": {"value": "general"}},
        "subject": "Follow up with customer",
        "customer": {"contacts": {"contact": [{"email": [{"emailAddress": "jane@example.com"}]}]}},
    }
    value.update(changes)
    return {k: v for k, v in value.items() if v is not None}


def test_create_task_activity_routes_a_task(http, routed, department, reserved, server):
    r = http.post(PATH, params=QUERY, json=body(department, priority="2", customAttributes={"region": "EU"},
                                                case={"id": "1001"}))
    assert r.status_code == 201, r.text
    activity_id = r.json()["id"]
    assert r.json() == {"id": activity_id}
    assert r.headers["location"] == f"{server.http_url}{PATH.rsplit('/', 1)[0]}/{activity_id}"
    task = http.get(f"/taskrouter/tasks/search/{activity_id}").json()["data"]
    attributes = task["attributes"] if isinstance(task["attributes"], dict) else json.loads(task["attributes"])
    assert task["origin"] == "egain" and task["externalId"] == "1001"
    assert attributes["subtype"] == "general" and attributes["priority"] == "2"
    assert attributes["customAttributes"] == {"region": "EU"}
    assert reserved(activity_id) == routed.worker_sid


def test_content_instead_of_subject(http, routed, department):
    r = http.post(PATH, params=QUERY, json=body(department, subject=None,
                                                payload={"task": {"content": [{"type": "text", "value": "hi"}]}}))
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("query,changes,code", [
    ({}, {}, "400-102"),
    ({"searchContactOnAttribute": "fax"}, {}, "400-103"),
    ({**QUERY, "createCustomer": "no"}, {}, "400-103"),
    ({**QUERY, "activityContact": "mobile.phone"}, {}, "400-103"),
    ({"searchContactOnAttribute": "home.phone"}, {}, "400-103"),  # the customer has no phone
    (QUERY, {"department": None}, "400-102"),
    (QUERY, {"department": {"name": "no such department"}}, "400-104"),
    (QUERY, {"type": {"value": "email", "subtype": {"value": "x"}}}, "400-103"),
    (QUERY, {"type": {"value": "task"}}, "400-102"),
    (QUERY, {"subject": None}, "400-102"),
    (QUERY, {"subject": "s" * 256}, "400-103"),
    (QUERY, {"customer": None}, "400-102"),
    (QUERY, {"priority": "9"}, "400-103"),
    (QUERY, {"dueDate": "2001-01-01T00:00:00.000Z"}, "400-103"),
    (QUERY, {"dueDate": "soon"}, "400-103"),
    (QUERY, {"subject": "a\u0000"}, None),
])
def test_documented_errors(http, routed, department, query, changes, code):
    r = http.post(PATH, params=query, json=body(department, **changes))
    assert r.status_code == 400, r.text
    assert set(r.json()) == {"code", "developerMessage"}
    if code:
        assert r.json()["code"] == code, r.json()


def test_unauthenticated_and_malformed(server, http, routed, department):
    import httpx

    r = httpx.post(f"{server.http_url}{PATH}", params=QUERY, json=body(department))
    assert r.status_code == 401 and r.json()["code"] == "401-100"
    r = http.post(PATH, params=QUERY, content=b"{", headers={"content-type": "application/json"})
    assert r.status_code == 400 and set(r.json()) == {"code", "developerMessage"}


def test_future_due_date_and_numeric_priority(http, routed, department):
    r = http.post(PATH, params=QUERY, json=body(department, dueDate="2999-01-01T00:00:00Z", priority=3))
    assert r.status_code == 201, r.text
