"""Requests in, the seed's JSON out: envelope, names, int64 numbers, path/query/body mapping."""

from __future__ import annotations

import concurrent.futures
import json
import time


def test_get_returns_the_seed_envelope(client):
    r = client.get("/taskrouter/workspaces/search/WSffd5352247ee45a582ea7b9c97432d97")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert list(body) == ["data", "code", "message"]
    assert body["code"] == 200 and body["message"] == "OK"
    assert body["data"] == {
        "sid": "WSffd5352247ee45a582ea7b9c97432d97",
        "enterpriseSid": "EN164fe03a451544629e0a554b0863c48e",
        "name": "MyTestWorkSpace 1",
        "timeoutActivityName": "",
        "timeoutActivitySid": "",
        "defaultActivityName": "",
        "defaultActivitySid": "AT4c36ff99c60a4ebdb9098ff5cdf9f07e",
        "prioritizeQueueOrder": "FIFO",
        "priortizeQueueOrder": "",
        "multiTaskEnabled": False,
        "accountEmail": "cspadmin1@nmorgtest1.com",
        "dateCreated": "2020-06-02T11:49:24+0000",
        "dateUpdated": "2020-06-15T07:00:25+0000",
        "uri": "/taskrouter/workspaces/search/WSffd5352247ee45a582ea7b9c97432d97",
        "eventCallbackUrl": "",
        "disconnectGraceSeconds": 0,
    }


def test_int64_is_a_json_number_and_optional_fields_are_omitted(client):
    r = client.get("/taskrouter/tasks/search/TK1")
    data = r.json()["data"]
    assert data["age"] == 12345678901 and isinstance(data["age"], int)
    assert b'"age":12345678901' in r.content
    assert "workflowSid" not in data and "workerSid" not in data  # `optional`, unset
    assert data["timeout"] == 0 and data["bypassReservedState"] is False  # plain fields, always printed
    assert data["restcommAccount"] == {"accountSid": "AC1", "accountEmail": "a@b.c"}


def test_create_answers_200_and_ignores_unknown_fields(client, recorder):
    body = {
        "workspaceSid": "WSffd5352247ee45a582ea7b9c97432d97",
        "enterpriseSid": "EN164fe03a451544629e0a554b0863c48e",
        "name": "Customer Support Task Queue 4",
        "targetWorkers": "language[any]='vn'",
        "taskOrder": "FIFO",
        "maxReservedWorkers": 1,
        "somethingWeDoNotHave": {"x": [1, 2]},
    }
    r = client.post("/taskrouter/taskqueues", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["sid"] == "TQe5a6698445854402b89b184258c0648c"
    sent = recorder.last("CreateTaskQueue")
    assert sent.name == "Customer Support Task Queue 4"
    assert sent.enterprise_sid == "EN164fe03a451544629e0a554b0863c48e"
    assert sent.max_reserved_workers == 1 and sent.HasField("max_reserved_workers")
    assert not sent.HasField("assignment_activity_sid")


def test_path_variable_wins_over_body_on_additional_binding(client, recorder):
    r = client.put("/taskrouter/tasks/search/TKpath", json={"sid": "TKbody", "priority": 5})
    assert r.status_code == 200, r.text
    sent = recorder.last("UpdateTask")
    assert sent.sid == "TKpath" and sent.priority == 5
    # The main binding of the same RPC.
    assert client.put("/taskrouter/tasks/TKmain", json={}).json()["data"]["sid"] == "TKmain"


def test_path_variables_are_percent_decoded(client, recorder):
    client.get("/taskrouter/workspaces/search/WS%20a%2Fb")
    assert recorder.last("GetWorkspace").sid == "WS a/b"


def test_query_parameters_are_converted_to_field_types(client, recorder):
    r = client.get(
        "/taskrouter/activities/search",
        params={"workspaceSid": "WS1", "available": "FALSE", "page": "2", "pageSize": "5", "SortBy": "name:desc"},
    )
    assert r.status_code == 200, r.text
    sent = recorder.last("ListActivities")
    assert sent.workspace_sid == "WS1"
    assert sent.HasField("available") and sent.available is False
    assert sent.page == 2 and sent.page_size == 5
    assert sent.sort_by == "name:desc"


def test_query_names_match_proto_names_and_any_case(client, recorder):
    client.get("/taskrouter/activities/search?workspace_sid=WS2&AVAILABLE=1&sortby=dateCreated&PAGESIZE=7")
    sent = recorder.last("ListActivities")
    assert (sent.workspace_sid, sent.available, sent.sort_by, sent.page_size) == ("WS2", True, "dateCreated", 7)


def test_trailing_slash_of_the_seeds_paging_links(client, recorder):
    r = client.get("/taskrouter/workspaces/search/?pageSize=10&page=0")
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["pageSize"] == 10 and data["total"] == 2 and len(data["result"]) == 2
    assert "nextPageUri" not in data  # optional, unset


def test_form_body_is_mapped_like_query_parameters(client, recorder):
    r = client.post(
        "/taskrouter/tasks",
        data={"WorkspaceSid": "WS1", "Priority": "3", "Attributes": '{"skill": "sales"}', "BypassReservedState": "true"},
    )
    assert r.status_code == 200, r.text
    sent = recorder.last("CreateTask")
    assert sent.workspace_sid == "WS1" and sent.priority == 3
    assert json.loads(sent.attributes) == {"skill": "sales"}
    assert sent.bypass_reserved_state is True


def test_json_sent_with_curl_default_form_content_type_is_read_as_json(client, recorder):
    r = client.post(
        "/taskrouter/workspaces",
        content=b'{"enterpriseSid": "EN1", "name": "Curl"}',
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200, r.text
    assert recorder.last("CreateWorkspace").name == "Curl"


def test_missing_content_type_is_json_and_charset_is_accepted(client, recorder):
    r = client.post("/taskrouter/workspaces", content=b'{"name": "NoType", "enterpriseSid": "EN1"}')
    assert r.status_code == 200
    r = client.post(
        "/taskrouter/workspaces",
        content='{"name": "Latin é"}'.encode("latin-1"),
        headers={"content-type": "application/json; charset=ISO-8859-1"},
    )
    assert r.status_code == 200, r.text
    assert recorder.last("CreateWorkspace").name == "Latin é"


def test_string_booleans_in_json_bodies(client, recorder):
    client.post("/taskrouter/workspaces", json={"name": "B", "multiTaskEnabled": "true"})
    assert recorder.last("CreateWorkspace").multi_task_enabled is True


def test_seed_spellings_reach_their_own_fields(client, recorder):
    client.post("/taskrouter/workspaces", json={"name": "S", "priortizeQueueOrder": "LIFO"})
    sent = recorder.last("CreateWorkspace")
    assert sent.priortize_queue_order == "LIFO" and not sent.HasField("prioritize_queue_order")


def test_authorization_header_arrives_as_metadata(client, recorder, good_auth):
    client.get("/taskrouter/workspaces/search/WSffd5352247ee45a582ea7b9c97432d97")
    assert recorder.last_metadata("GetWorkspace")["authorization"] == good_auth


def test_requests_are_served_concurrently(gateway):
    import httpx

    def get(_):
        with httpx.Client(base_url=gateway.url, timeout=5) as c:
            return c.get("/taskrouter/activities/search/ATslow").status_code

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(get, range(4)))
    assert statuses == [200] * 4
    assert time.monotonic() - started < 1.5  # four 0.5 s calls, not 2 s in a row
