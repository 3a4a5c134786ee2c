"""Errors the seed does not list, over HTTP against the real server: malformed and mistyped
input, missing mandatory fields, credentials, unknown routes and methods, size and content-type
limits, and another enterprise's SIDs. Each answers the seed's error envelope
{"errorCode", "message", "data"} with the fitting 4xx status (409 for the seed's 5xx codes), and
never a 5xx."""

from __future__ import annotations

import base64
import json
import uuid

import httpx
import pytest

LIMIT = 1024 * 1024


@pytest.fixture
def ws(tr):
    data = tr.workspace()
    data["activity"] = tr.activities(data["sid"])
    return data


@pytest.fixture
def world(tr, ws):
    """One of everything, to point other requests (and other enterprises) at."""
    queue = tr.queue(ws["sid"], "Q")
    worker = tr.worker(ws["sid"], "W")
    flow = tr.workflow(ws["sid"], "F", {"default_filter": {"queue": queue["sid"]}})
    task = tr.task(flow["sid"], type="x")
    return {"ws": ws, "activity": ws["activity"]["Online"], "queue": queue, "worker": worker, "flow": flow,
            "task": task}


# ----------------------------------------------------------------------------------------------
# 400: malformed JSON, not an object
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    '{"name": ',
    '{"name": "x",}',
    "{'name': 'x'}",
    "not json at all",
    # The seed's Create TaskQueue curl body, as printed: an object inside braces.
    '{\n{\n"workspaceSid":"WSffd5352247ee45a582ea7b9c97432d97",\n"name": "Customer Support Task Queue 4"\n}\n}',
    # The seed's Create Workspace body, as printed: typographic quotes.
    '{\n\u201centerpriseSid\u201d: \u201c EN838bcdf35f9d421fad3ab516195b873b\u201d,\n"name" : "MyTestWorkSpace"\n}\u2019',
])
def test_malformed_json_is_400(tr, body):
    body_bytes = body.encode("utf-8")
    error = tr.error(tr.post("/taskrouter/workspaces", body_bytes), "400")
    assert error["message"].startswith("Malformed JSON body"), error
    assert "line" in error["message"] and "column" in error["message"], error


@pytest.mark.parametrize("body, kind", [("[1, 2]", "an array"), ('"name"', "a string"), ("42", "a number"),
                                        ("null", "null")])
def test_body_must_be_an_object(tr, body, kind):
    error = tr.error(tr.post("/taskrouter/workspaces", body), "400")
    assert error["message"].startswith("Request body must be a JSON object"), error


def test_body_not_valid_in_its_charset_is_400(tr):
    response = tr.post("/taskrouter/workspaces", b'{"name": "\xff\xfe"}',
                       headers={"Content-Type": "application/json; charset=utf-8"})
    tr.error(response, "400")


# ----------------------------------------------------------------------------------------------
# 400: missing mandatory fields, named
# ----------------------------------------------------------------------------------------------

def missing_cases(ws):
    attrs = '{"contact_uri": "1"}'
    return [
        ("/taskrouter/workspaces", {"enterpriseSid": ws["enterpriseSid"]}, "name"),
        ("/taskrouter/workspaces", {"name": "No enterprise"}, "enterpriseSid"),
        ("/taskrouter/activities", {"workspaceSid": ws["sid"], "available": True}, "name"),
        ("/taskrouter/activities", {"name": "A", "available": True}, "workspaceSid"),
        ("/taskrouter/activities", {"workspaceSid": ws["sid"], "name": "A"}, "available"),
        ("/taskrouter/taskqueues", {"workspaceSid": ws["sid"]}, "name"),
        ("/taskrouter/taskqueues", {"name": "Q"}, "workspaceSid"),
        ("/taskrouter/workers", {"name": "W", "attributes": attrs}, "workspaceSid"),
        ("/taskrouter/workers", {"workspaceSid": ws["sid"], "attributes": attrs}, "name"),
        ("/taskrouter/workflows", {"workspaceSid": ws["sid"], "configuration": "{}"}, "name"),
        ("/taskrouter/workflows", {"name": "F", "configuration": "{}"}, "workspaceSid"),
        ("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "F"}, "configuration"),
    ]


def test_missing_mandatory_field_names_it(tr, ws):
    for path, body, field in missing_cases(ws):
        error = tr.error(tr.post(path, body), "400")
        assert field in error["message"], (path, field, error)
        assert error["data"] == field, (path, field, error)


def test_empty_body_is_an_empty_object(tr):
    error = tr.error(tr.post("/taskrouter/workspaces", b""), "400")
    assert error["data"] in {"name", "enterpriseSid"}


def test_worker_without_attributes_is_531(tr, ws):
    tr.error(tr.post("/taskrouter/workers", {"workspaceSid": ws["sid"], "name": "W"}), "531",
             "Worker's attributes is not valid json or empty")


def test_update_reservation_without_status(tr, world):
    reservation_sid = "WR" + "0" * 32
    response = tr.put(f"/taskrouter/reservations/{reservation_sid}", {})
    assert response.status_code in (400, 409), response.text
    tr.error(response, response.json()["errorCode"], status=response.status_code)


# ----------------------------------------------------------------------------------------------
# 400: wrong types and out-of-range values, named
# ----------------------------------------------------------------------------------------------

def typed_cases(ws):
    return [
        ("POST", "/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q", "maxReservedWorkers": "many"},
         "maxReservedWorkers"),
        ("POST", "/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q", "maxReservedWorkers": 1.5},
         "maxReservedWorkers"),
        ("POST", "/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q", "maxReservedWorkers": 2 ** 40},
         "maxReservedWorkers"),
        ("POST", "/taskrouter/activities", {"workspaceSid": ws["sid"], "name": "A", "available": "maybe"},
         "available"),
        ("POST", "/taskrouter/activities", {"workspaceSid": ws["sid"], "name": "A", "available": 3}, "available"),
        ("POST", "/taskrouter/workspaces", {"enterpriseSid": ws["enterpriseSid"], "name": {"a": 1}}, "name"),
        ("POST", "/taskrouter/workspaces", {"enterpriseSid": ws["enterpriseSid"], "name": ["x"]}, "name"),
        ("POST", "/taskrouter/workspaces", {"enterpriseSid": ws["enterpriseSid"], "name": "M",
                                            "multiTaskEnabled": "sometimes"}, "multiTaskEnabled"),
        ("POST", "/taskrouter/tasks", {"workspaceSid": ws["sid"], "timeout": "soon"}, "timeout"),
        ("POST", "/taskrouter/tasks", {"workspaceSid": ws["sid"], "priority": "high"}, "priority"),
        ("POST", "/taskrouter/tasks", {"workspaceSid": ws["sid"], "attributes": {"type": "x"}}, "attributes"),
        ("PUT", f"/taskrouter/workspaces/{ws['sid']}", {"multiTaskEnabled": "yes please"}, "multiTaskEnabled"),
        ("POST", "/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "F", "configuration": "{}",
                                           "taskReservationTimeout": "long"}, "taskReservationTimeout"),
    ]


def test_wrong_type_names_the_field(tr, ws):
    for method, path, body, field in typed_cases(ws):
        error = tr.error(tr.request(method, path, body), "400")
        assert field in error["message"], (path, body, error)
        assert error["data"] == field, (path, body, error)


def test_wrong_type_message_is_the_documented_one(tr, ws):
    body = {"workspaceSid": ws["sid"], "name": "Q", "maxReservedWorkers": "many"}
    error = tr.error(tr.post("/taskrouter/taskqueues", body), "400")
    assert error["message"] == "Invalid value for field 'maxReservedWorkers': expected an integer, got 'many'"


@pytest.mark.parametrize("query, field", [
    ("page=abc", "page"),
    ("pageSize=ten", "pageSize"),
    ("pageSize=0", "pageSize"),
    ("pageSize=1001", "pageSize"),
    ("pageSize=-1", "pageSize"),
    ("page=99999999999", "page"),
])
def test_wrong_query_values_name_the_parameter(tr, query, field):
    error = tr.error(tr.get(f"/taskrouter/workspaces/search?{query}"), "400")
    assert field in error["message"] and error["data"] == field, error


@pytest.mark.parametrize("path, query, field", [
    ("tasks", "isLiveSession=maybe", "isLiveSession"),
    ("activities", "available=perhaps", "available"),
    ("workers", "available=2", "available"),
])
def test_wrong_boolean_in_query(tr, path, query, field):
    error = tr.error(tr.get(f"/taskrouter/{path}/search?{query}"), "400")
    assert error["data"] == field, error


def test_out_of_range_values_name_the_field(tr, ws):
    queue = tr.queue(ws["sid"], "Q")
    routing = json.dumps({"task_routing": {"default_filter": {"queue": queue["sid"]}}})
    cases = [
        ("/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q2", "maxReservedWorkers": 51},
         "maxReservedWorkers"),
        ("/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q2", "maxReservedWorkers": 0},
         "maxReservedWorkers"),
        ("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "F", "configuration": routing,
                                   "taskReservationTimeout": 86401}, "taskReservationTimeout"),
        ("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "F", "configuration": routing,
                                   "taskReservationnTimeout": 0}, "taskReservationTimeout"),
        ("/taskrouter/tasks", {"workspaceSid": ws["sid"], "timeout": 1209601}, "timeout"),
        ("/taskrouter/tasks", {"workspaceSid": ws["sid"], "timeout": 0}, "timeout"),
    ]
    for path, body, field in cases:
        error = tr.error(tr.post(path, body), "400")
        assert field.lower() in error["message"].lower(), (body, error)


@pytest.mark.parametrize("expression", ["skills HAS", "a == ", "((a = 1)", "a === 'b'"])
def test_bad_target_workers_expression_is_400(tr, ws, expression):
    error = tr.error(tr.post("/taskrouter/taskqueues", {"workspaceSid": ws["sid"], "name": "Q",
                                                        "targetWorkers": expression}), "400")
    assert "targetWorkers" in error["message"], error


@pytest.mark.parametrize("configuration", ["not json", "[]", '{"routing": {}}',
                                          '{"task_routing": {"filters": [{"expression": "a ==", "targets": []}]}}'])
def test_bad_workflow_configuration_is_400(tr, ws, configuration):
    tr.error(tr.post("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "F",
                                               "configuration": configuration}), "400")


@pytest.mark.parametrize("attributes", ["not json", "[1]", '"text"'])
def test_bad_task_attributes_is_400(tr, world, attributes):
    tr.error(tr.post("/taskrouter/tasks", {"workflowSid": world["flow"]["sid"], "attributes": attributes}), "400")


def test_invalid_task_transitions_are_409(tr, world):
    task = world["task"]
    tr.error(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "completed"}), "409")
    tr.error(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "on holiday"}), "400")
    tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "canceled"}))
    tr.error(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "pending"}), "409")


# ----------------------------------------------------------------------------------------------
# 401: credentials
# ----------------------------------------------------------------------------------------------

def unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Basic"), response.headers
    assert 'realm="taskrouter"' in response.headers["www-authenticate"]
    body = response.json()
    assert set(body) == {"errorCode", "message", "data"} and body["errorCode"] == "401", body


def auth_variants(account):
    sid, token = account["accountSid"], account["authToken"]

    def basic(text: str) -> str:
        return "Basic " + base64.b64encode(text.encode()).decode()

    return {
        "missing": None,
        "wrong token": basic(f"{sid}:{token}x"),
        "unknown account": basic(f"AC{uuid.uuid4().hex}:{token}"),
        "no colon": basic(sid),
        "empty": basic(":"),
        "not base64": "Basic !!!not-base64!!!",
        "bearer": f"Bearer {token}",
        "scheme only": "Basic",
        "token as user": basic(f"{token}:{sid}"),
    }


@pytest.mark.parametrize("variant", ["missing", "wrong token", "unknown account", "no colon", "empty", "not base64",
                                     "bearer", "scheme only", "token as user"])
@pytest.mark.parametrize("method, path", [("GET", "/taskrouter/workspaces/search"),
                                          ("POST", "/taskrouter/workspaces"),
                                          ("GET", "/taskrouter/tasks/search/TK" + "0" * 32),
                                          ("GET", "/taskrouter/events/stream")])
def test_bad_credentials_are_401(server, account, variant, method, path):
    header = auth_variants(account)[variant]
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Authorization"] = header
    with httpx.Client(base_url=server.http_url, timeout=10) as client:
        response = client.request(method, path, headers=headers,
                                  content=json.dumps({"name": "x", "enterpriseSid": account["enterpriseSid"]})
                                  if method == "POST" else None)
    unauthorized(response)


def test_non_ascii_authorization_is_401(server):
    with httpx.Client(base_url=server.http_url, timeout=10) as client:
        response = client.get("/taskrouter/workspaces/search", headers={"Authorization": b"Basic \xe9\xe9\xe9"})
    unauthorized(response)


def test_seed_user_with_a_leading_space_is_accepted(server, account):
    """The seed's curl examples pass `--user ' {your_account_SID}:{your_account_token}'`."""
    with httpx.Client(base_url=server.http_url, timeout=10,
                      auth=(" " + account["accountSid"], account["authToken"])) as client:
        response = client.get("/taskrouter/workspaces/search")
    assert response.status_code == 200, response.text


def test_openapi_needs_no_credentials(server):
    response = httpx.get(server.http_url + "/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.0")


# ----------------------------------------------------------------------------------------------
# 403: another enterprise's enterpriseSid
# ----------------------------------------------------------------------------------------------

def test_create_workspace_in_another_enterprise_is_403(tr, other_account):
    tr.error(tr.post("/taskrouter/workspaces", {"enterpriseSid": other_account["enterpriseSid"], "name": "Theirs"}),
             "403")


# ----------------------------------------------------------------------------------------------
# 404 / 405: routes
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("GET", "/"),
    ("GET", "/taskrouter"),
    ("GET", "/taskrouter/nothing"),
    ("GET", "/taskrouter/workspaces/search/WS1/extra"),
    ("POST", "/taskrouter/tasks/search/TK1/cancel"),
    ("GET", "/taskrouter/calls/search"),
    ("DELETE", "/taskrouter/reservations/WR1/x"),
])
def test_unknown_route_is_404(tr, method, path):
    error = tr.error(tr.request(method, path), "404")
    assert method in error["message"] and path.rstrip("/") in error["message"] + "/", error


@pytest.mark.parametrize("method, path, allow", [
    ("PATCH", "/taskrouter/workspaces/WS1", {"DELETE", "PUT"}),
    # "search" is never a {sid}: PUT and DELETE /taskrouter/workspaces/{sid} do not match it.
    ("POST", "/taskrouter/workspaces/search", {"GET"}),
    ("PUT", "/taskrouter/workspaces/search/WS1", {"GET"}),
    ("DELETE", "/taskrouter/workspaces/search/WS1", {"GET"}),
    ("GET", "/taskrouter/workspaces", {"POST"}),
    ("DELETE", "/taskrouter/tasks/search/TK1", {"GET", "PUT"}),
    ("POST", "/taskrouter/reservations/WR1", {"PUT"}),
    ("POST", "/taskrouter/events/search", {"GET"}),
])
def test_wrong_method_is_405(tr, method, path, allow):
    response = tr.request(method, path, {"name": "x"} if method in ("POST", "PUT", "PATCH") else None)
    error = tr.error(response, "405")
    assert {m.strip() for m in response.headers["allow"].split(",")} == allow, response.headers
    assert method in error["message"], error


# ----------------------------------------------------------------------------------------------
# 413 / 415: size and content type
# ----------------------------------------------------------------------------------------------

def test_body_over_the_limit_is_413(tr, account):
    body = json.dumps({"enterpriseSid": account["enterpriseSid"], "name": "x" * (LIMIT + 10)})
    tr.error(tr.post("/taskrouter/workspaces", body), "413")
    assert tr.ok(tr.get("/taskrouter/workspaces/search"))["total"] == 0


def test_chunked_body_over_the_limit_is_413(tr, account):
    def chunks():
        yield b'{"name": "'
        for _ in range(LIMIT // 65536 + 2):
            yield b"x" * 65536
        yield b'", "enterpriseSid": "' + account["enterpriseSid"].encode() + b'"}'

    response = tr.client.post("/taskrouter/workspaces", content=chunks(),
                              headers={"Content-Type": "application/json"})
    tr.error(response, "413")


def test_body_just_under_the_limit_is_read(tr, ws):
    attributes = json.dumps({"contact_uri": "1", "blob": "y" * (LIMIT - 4096)})
    response = tr.post("/taskrouter/workers", {"workspaceSid": ws["sid"], "name": "Big", "attributes": attributes})
    assert tr.ok(response)["attributes"] == attributes


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data; boundary=x",
                                          "application/octet-stream", "application/json; charset=klingon"])
def test_unsupported_content_type_is_415(tr, account, content_type):
    body = json.dumps({"enterpriseSid": account["enterpriseSid"], "name": "typed"})
    tr.error(tr.post("/taskrouter/workspaces", body, headers={"Content-Type": content_type}), "415")


def test_content_type_is_ignored_without_a_body(tr, ws):
    response = tr.get(f"/taskrouter/workspaces/search/{ws['sid']}", headers={"Content-Type": "text/plain"})
    assert tr.ok(response)["sid"] == ws["sid"]


def test_form_bodies_and_curl_without_content_type(tr, account, ws):
    """`curl -d '{...}'` without -H sends the JSON as a form; Twilio-style form fields work too."""
    body = json.dumps({"enterpriseSid": account["enterpriseSid"], "name": "Posted by curl -d"})
    data = tr.ok(tr.client.post("/taskrouter/workspaces", content=body,
                                headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert data["name"] == "Posted by curl -d"
    data = tr.ok(tr.client.post("/taskrouter/activities",
                                data={"WorkspaceSid": ws["sid"], "Name": "Form", "Available": "true"}))
    assert (data["name"], data["available"]) == ("Form", True)
    error = tr.error(tr.client.post("/taskrouter/taskqueues",
                                    data={"WorkspaceSid": ws["sid"], "Name": "Q", "MaxReservedWorkers": "many"}),
                     "400")
    assert error["data"] == "maxReservedWorkers"


# ----------------------------------------------------------------------------------------------
# Another enterprise's SIDs are "not found"
# ----------------------------------------------------------------------------------------------

def test_other_enterprise_sids_are_not_found(tr, other, world):
    w = world
    gets = {
        f"/taskrouter/workspaces/search/{w['ws']['sid']}": "520",
        f"/taskrouter/activities/search/{w['activity']['sid']}": "510",
        f"/taskrouter/taskqueues/search/{w['queue']['sid']}": "540",
        f"/taskrouter/workers/search/{w['worker']['sid']}": "530",
        f"/taskrouter/workflows/search/{w['flow']['sid']}": "550",
        f"/taskrouter/tasks/search/{w['task']['sid']}": "560",
    }
    for path, code in gets.items():
        sid = path.rsplit("/", 1)[1]
        other.error(other.get(path), code, data=sid)
        plural = path.split("/")[2]
        other.error(other.put(f"/taskrouter/{plural}/{sid}", {"name": "stolen"}), code, data=sid)
        other.error(other.delete(f"/taskrouter/{plural}/{sid}"), code, data=sid)
    other.error(other.put(f"/taskrouter/tasks/search/{w['task']['sid']}", {"assignmentStatus": "canceled"}), "560",
                data=w["task"]["sid"])

    # References to their resources from our own requests.
    mine = other.workspace("Mine")
    attrs = '{"contact_uri": "1"}'
    other.error(other.post("/taskrouter/workers", {"workspaceSid": w["ws"]["sid"], "name": "W", "attributes": attrs}),
                "520", data=w["ws"]["sid"])
    other.error(other.post("/taskrouter/activities", {"workspaceSid": w["ws"]["sid"], "name": "A",
                                                      "available": True}), "520", data=w["ws"]["sid"])
    other.error(other.post("/taskrouter/taskqueues", {"workspaceSid": w["ws"]["sid"], "name": "Q"}), "520",
                data=w["ws"]["sid"])
    other.error(other.post("/taskrouter/workers", {"workspaceSid": mine["sid"], "name": "W", "attributes": attrs,
                                                   "activitySid": w["activity"]["sid"]}), "510",
                data=w["activity"]["sid"])
    other.error(other.post("/taskrouter/taskqueues", {"workspaceSid": mine["sid"], "name": "Q",
                                                      "assignmentActivitySid": w["activity"]["sid"]}), "510",
                data=w["activity"]["sid"])
    config = json.dumps({"task_routing": {"default_filter": {"queue": w["queue"]["sid"]}}})
    other.error(other.post("/taskrouter/workflows", {"workspaceSid": mine["sid"], "name": "F",
                                                     "configuration": config}), "540", data=w["queue"]["sid"])
    other.error(other.post("/taskrouter/tasks", {"workflowSid": w["flow"]["sid"]}), "550", data=w["flow"]["sid"])
    other.error(other.put(f"/taskrouter/workspaces/{mine['sid']}", {"defaultActivitySid": w["activity"]["sid"]}),
                "510", data=w["activity"]["sid"])

    # Their lists are empty for us, even when filtered by their workspace.
    for plural in ("activities", "taskqueues", "workers", "workflows", "tasks", "reservations", "events"):
        response = other.get(f"/taskrouter/{plural}/search", params={"workspaceSid": w["ws"]["sid"]})
        if response.status_code == 200:
            assert other.ok(response)["result"] == [], plural
        else:
            other.error(response, "520", data=w["ws"]["sid"])

    # Nothing of ours changed.
    assert tr.ok(tr.get(f"/taskrouter/workers/search/{w['worker']['sid']}"))["name"] == "W"
    assert tr.ok(tr.get(f"/taskrouter/tasks/search/{w['task']['sid']}"))["assignmentStatus"] == "Pending"


def test_other_enterprise_reservation_is_not_found(tr, other, ws):
    worker = tr.worker(ws["sid"], "On", ws["activity"]["Online"]["sid"])
    queue = tr.queue(ws["sid"], "Q")
    flow = tr.workflow(ws["sid"], "F", {"default_filter": queue["sid"]})
    task = tr.task(flow["sid"])
    reservation = tr.eventually(lambda: tr.reservations(taskSid=task["sid"]))[0]
    assert reservation["workerSid"] == worker["sid"]
    other.error(other.get(f"/taskrouter/reservations/search/{reservation['sid']}"), "570", data=reservation["sid"])
    other.error(other.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": "accepted"}), "570",
                data=reservation["sid"])
    assert other.reservations(taskSid=task["sid"]) == []
    assert tr.ok(tr.get(f"/taskrouter/reservations/search/{reservation['sid']}"))["reservationStatus"] == "pending"


def test_other_enterprise_event_stream_is_refused(server, other, ws):
    with other.client.stream("GET", "/taskrouter/events/stream", params={"workspaceSid": ws["sid"]}) as response:
        response.read()
        assert response.status_code == 409, response.text
        body = json.loads(response.text)
        assert body == {"errorCode": "520", "message": "Sid of passed workspace is not found", "data": ws["sid"]}
