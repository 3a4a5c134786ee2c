"""Every curl example of the seed (002_2df537262898c9a8.txt), replayed over HTTP against the real
server with our own IDs and names, and the responses compared with the seed's documented shapes:
the envelope, field names and types, defaults, the paging block, and each documented error body.
The seed's input quirks (leading spaces in SIDs, `priortizeQueueOrder`, `taskReservationnTimeout`,
`default_filter` as a string, `Cancelled`, letter case) are replayed as the seed writes them."""

from __future__ import annotations

import json
import re
import string
import urllib.parse

import pytest

# Well-formed SIDs that nobody creates, and the seed's own "not found" examples.
MISSING = {
    "WS": "WS00aac800166644b5a2bd9238625ef0c2aaa",
    "AT": "AT6932ce3b596540b5acee36e517b9da04ww",
    "TQ": "TQbba4770702924d4eac5bfc22e5caeaf3a",
    "WK": "WK85381adef7234cfd8483568f812de735a",
    "WF": "WFa8c3cf4062fa41dea887957575d9b18611",
    "TK": "TKd8c496c337394b14a340b3ef6c476abc",
    "WR": "WR" + "0" * 32,
}
def paste(template: str, **values: str) -> str:
    """A curl body of the seed, as text, with our SIDs in the `$name` places."""
    return string.Template(template).substitute(values)


PAGING_KEYS = {"result", "pageSize", "total", "page", "numPages", "start", "end", "firstPageUri", "uri"}


@pytest.fixture
def ws(tr):
    """A workspace with its default activities, as the seed describes them."""
    data = tr.workspace("MyTestWorkSpace 1")
    data["activity"] = tr.activities(data["sid"])
    return data


def paging(data: dict, path: str, *, page_size: int, total: int, page: int, **filters) -> None:
    """The seed's paging block, with exact values; URIs carry our filters as extra parameters."""
    num_pages = max(1, -(-total // page_size))
    has_next = page + 1 < num_pages
    assert set(data) == PAGING_KEYS | ({"nextPageUri"} if has_next else set()), sorted(data)
    start = page * page_size
    on_page = max(0, min(page_size, total - start))
    assert (data["pageSize"], data["total"], data["page"], data["numPages"]) == (page_size, total, page, num_pages)
    assert len(data["result"]) == on_page
    assert data["start"] == start
    if on_page:
        assert data["end"] == start + on_page - 1

    def query(uri: str, expected_page: int) -> None:
        assert uri.startswith(f"/taskrouter/{path}/search/?pageSize={page_size}&page={expected_page}"), uri
        parsed = urllib.parse.urlparse(uri)
        params = dict(urllib.parse.parse_qsl(parsed.query))
        for key, value in filters.items():
            assert params.get(key) == value, (uri, key)

    query(data["firstPageUri"], 0)
    query(data["uri"], page)
    if has_next:
        query(data["nextPageUri"], page + 1)


# ----------------------------------------------------------------------------------------------
# Workspaces
# ----------------------------------------------------------------------------------------------

def test_create_workspace_seed_example(tr, account):
    # The seed's body: a leading space inside the enterpriseSid, the curl headers.
    body = paste('{\n"enterpriseSid": " $en",\n"name" : "MyTestWorkSpace"\n}', en=account["enterpriseSid"])
    data = tr.ok(tr.post("/taskrouter/workspaces", body))
    tr.resource(data, "WS")
    assert data["name"] == "MyTestWorkSpace"
    assert data["enterpriseSid"] == account["enterpriseSid"]
    activities = tr.activities(data["sid"])
    assert {n: a["available"] for n, a in activities.items()} == {"Offline": False, "Online": True}
    offline = activities["Offline"]["sid"]
    assert data["timeoutActivityName"] == "Offline" and data["timeoutActivitySid"] == offline
    assert data["defaultActivityName"] == "Offline" and data["defaultActivitySid"] == offline
    assert data["multiTaskEnabled"] is False
    assert data["priortizeQueueOrder"] == "FIFO" and data["prioritizeQueueOrder"] == "FIFO"
    for activity in activities.values():
        tr.resource(activity, "AT")
        assert activity["workspaceSid"] == data["sid"]

    again = tr.post("/taskrouter/workspaces", body)
    tr.error(again, "526", "Workspace not unique", "MyTestWorkSpace")


@pytest.mark.parametrize("field", ["priortizeQueueOrder", "prioritizeQueueOrder"])
def test_create_workspace_lifo_is_refused_by_name(tr, field):
    """The seed stores LIFO as FIFO; we refuse it, naming the key: only FIFO is implemented."""
    body = tr.error(tr.post("/taskrouter/workspaces", {"enterpriseSid": tr.account["enterpriseSid"], "name": "LIFO ws",
                                                       field: "LIFO"}), "400")
    assert "prioritizeQueueOrder" in body["message"]


def test_list_workspaces_seed_example(tr):
    first = tr.workspace("MyTestWorkSpace 1")
    second = tr.workspace("MyTestWorkSpace 2")
    data = tr.ok(tr.get("/taskrouter/workspaces/search"))
    paging(data, "workspaces", page_size=10, total=2, page=0)
    assert data["firstPageUri"] == data["uri"] == "/taskrouter/workspaces/search/?pageSize=10&page=0"
    # Newest first, as the seed's list (docs/api.md, Sorting).
    assert [w["sid"] for w in data["result"]] == [second["sid"], first["sid"]]
    for item in data["result"]:
        tr.resource(item, "WS")
        assert isinstance(item["multiTaskEnabled"], bool)
        assert item["prioritizeQueueOrder"] == "FIFO"
    # The seed's own paging link, trailing slash and all, answers the same page.
    again = tr.ok(tr.get(data["firstPageUri"]))
    assert again == data
    by_name = tr.ok(tr.get("/taskrouter/workspaces/search", params={"name": "space 2"}))
    assert [w["name"] for w in by_name["result"]] == ["MyTestWorkSpace 2"]
    ascending = tr.ok(tr.get("/taskrouter/workspaces/search", params={"SortBy": "name:asc"}))
    assert [w["name"] for w in ascending["result"]] == ["MyTestWorkSpace 1", "MyTestWorkSpace 2"]


def test_get_workspace_seed_example(tr, ws):
    data = tr.ok(tr.get(f"/taskrouter/workspaces/search/{ws['sid']}"))
    tr.resource(data, "WS")
    assert data["sid"] == ws["sid"] and data["name"] == "MyTestWorkSpace 1"
    assert data["defaultActivitySid"] == ws["defaultActivitySid"]
    assert data["multiTaskEnabled"] is False
    tr.error(tr.get(f"/taskrouter/workspaces/search/{MISSING['WS']}"), "520",
             "Sid of passed workspace is not found", MISSING["WS"])


def test_update_workspace_seed_example(tr, ws):
    online = ws["activity"]["Online"]["sid"]
    data = tr.ok(tr.put(f"/taskrouter/workspaces/{ws['sid']}", paste('{\n"defaultActivitySid":"$at"\n}', at=online)))
    tr.resource(data, "WS")
    assert data["defaultActivitySid"] == online and data["defaultActivityName"] == "Online"
    assert data["name"] == "MyTestWorkSpace 1"
    assert data["dateCreated"] == ws["dateCreated"]

    # By name; a SID given with a name takes preference over the name.
    offline = ws["activity"]["Offline"]["sid"]
    data = tr.ok(tr.put(f"/taskrouter/workspaces/{ws['sid']}",
                        {"defaultActivityName": "Offline", "timeoutActivityName": "Offline",
                         "timeoutActivitySid": online}))
    assert data["defaultActivitySid"] == offline
    assert data["timeoutActivitySid"] == online and data["timeoutActivityName"] == "Online"

    tr.workspace("MyTestWorkSpace 3")
    tr.error(tr.put(f"/taskrouter/workspaces/{ws['sid']}", {"name": "MyTestWorkSpace 3"}), "526",
             "Workspace not unique", "MyTestWorkSpace 3")
    tr.error(tr.put(f"/taskrouter/workspaces/{MISSING['WS']}", {"name": "x"}), "520",
             "Sid of passed workspace is not found", MISSING["WS"])
    tr.error(tr.put(f"/taskrouter/workspaces/{ws['sid']}", {"defaultActivitySid": MISSING["AT"]}), "510",
             "Sid of passed activity is not found", MISSING["AT"])


def test_delete_workspace_seed_example(tr, account):
    tr.workspace("MyTestWorkSpace 1")
    doomed = tr.workspace("MyTestWorkSpace 2")
    data = tr.ok(tr.delete(f"/taskrouter/workspaces/{doomed['sid']}"))
    tr.resource(data, "WS")
    assert data["sid"] == doomed["sid"] and data["name"] == "MyTestWorkSpace 2"
    tr.error(tr.get(f"/taskrouter/workspaces/search/{doomed['sid']}"), "520",
             "Sid of passed workspace is not found", doomed["sid"])
    tr.error(tr.delete(f"/taskrouter/workspaces/{MISSING['WS']}"), "520",
             "Sid of passed workspace is not found", MISSING["WS"])
    listed = tr.ok(tr.get("/taskrouter/workspaces/search"))
    assert [w["name"] for w in listed["result"]] == ["MyTestWorkSpace 1"]


# ----------------------------------------------------------------------------------------------
# Activities
# ----------------------------------------------------------------------------------------------

def test_create_activity_seed_example(tr, ws):
    body = paste('{ "workspaceSid":"$ws", "name":"Reserved", "available":false }', ws=ws["sid"])
    data = tr.ok(tr.post("/taskrouter/activities", body))
    tr.resource(data, "AT")
    assert data["workspaceSid"] == ws["sid"]
    assert data["name"] == "Reserved" and data["available"] is False
    tr.error(tr.post("/taskrouter/activities", body), "516", "Activity not unique", "Reserved")
    available = tr.activity(ws["sid"], "Available", True)
    assert available["available"] is True


def test_list_activities_seed_example(tr, ws):
    tr.activity(ws["sid"], "Unavailable", False)
    data = tr.ok(tr.get("/taskrouter/activities/search"))
    paging(data, "activities", page_size=10, total=3, page=0)
    for item in data["result"]:
        tr.resource(item, "AT")
        assert isinstance(item["available"], bool)
    only_available = tr.ok(tr.get("/taskrouter/activities/search",
                                  params={"workspaceSid": ws["sid"], "available": "true"}))
    assert [a["name"] for a in only_available["result"]] == ["Online"]


def test_get_activity_seed_example(tr, ws):
    reserved = tr.activity(ws["sid"], "Reserved3", False)
    data = tr.ok(tr.get(f"/taskrouter/activities/search/{reserved['sid']}"))
    assert data == reserved
    # The seed's example puts a workspace SID in the path: not an activity.
    tr.error(tr.get(f"/taskrouter/activities/search/{ws['sid']}"), "510",
             "Sid of passed activity is not found", ws["sid"])


def test_update_activity_seed_example(tr, ws):
    reserved = tr.activity(ws["sid"], "Reserved", False)
    body = '{ "name":"Reserved_Updated", "available":false }'
    data = tr.ok(tr.put(f"/taskrouter/activities/{reserved['sid']}", body))
    tr.resource(data, "AT")
    assert (data["sid"], data["name"], data["available"]) == (reserved["sid"], "Reserved_Updated", False)
    assert data["dateCreated"] == reserved["dateCreated"]
    tr.error(tr.put(f"/taskrouter/activities/{reserved['sid']}", {"name": "Online"}), "516",
             "Activity not unique", "Online")
    wrong = ws["sid"] + "e"  # the seed's failing example
    tr.error(tr.put(f"/taskrouter/activities/{wrong}", body), "510", "Sid of passed activity is not found", wrong)


def test_delete_activity_seed_example(tr, ws):
    reserved = tr.activity(ws["sid"], "Reserved", False)
    data = tr.ok(tr.delete(f"/taskrouter/activities/{reserved['sid']}"))
    assert data["sid"] == reserved["sid"] and data["name"] == "Reserved"
    tr.error(tr.get(f"/taskrouter/activities/search/{reserved['sid']}"), "510",
             "Sid of passed activity is not found", reserved["sid"])
    tr.error(tr.delete(f"/taskrouter/activities/{MISSING['AT']}"), "510",
             "Sid of passed activity is not found", MISSING["AT"])


# ----------------------------------------------------------------------------------------------
# Task queues
# ----------------------------------------------------------------------------------------------

def queue_body(ws, **over) -> dict:
    body = {
        "workspaceSid": ws["sid"],
        "enterpriseSid": ws["enterpriseSid"],
        "name": "Customer Support Task Queue 4",
        "targetWorkers": "language[any]='vn'",
        "taskOrder": "FIFO",
        "maxReservedWorkers": 1,
        "assignmentActivitySid": ws["activity"]["Unavailable"]["sid"],
        "reservationActivitySid": ws["activity"]["Reserved"]["sid"],
    }
    body.update(over)
    return body


@pytest.fixture
def qws(tr, ws):
    """The seed's queue example needs an assignment and a reservation activity."""
    for name in ("Unavailable", "Reserved"):
        ws["activity"][name] = tr.activity(ws["sid"], name, False)
    return ws


def test_create_task_queue_seed_example(tr, qws):
    body = queue_body(qws)
    data = tr.ok(tr.post("/taskrouter/taskqueues", body))
    tr.resource(data, "TQ")
    for key in ("workspaceSid", "name", "targetWorkers", "taskOrder", "maxReservedWorkers",
                "assignmentActivitySid", "reservationActivitySid"):
        assert data[key] == body[key], key
    assert isinstance(data["maxReservedWorkers"], int)
    tr.error(tr.post("/taskrouter/taskqueues", body), "546", "TaskQueue not unique", "Customer Support Task Queue 4")
    tr.error(tr.post("/taskrouter/taskqueues", queue_body(qws, name="Other", assignmentActivitySid=MISSING["AT"])),
             "510", "Sid of passed activity is not found", MISSING["AT"])


def test_create_task_queue_defaults(tr, ws):
    data = tr.queue(ws["sid"], "Plain")
    assert data["targetWorkers"] == "1==1"
    assert data["taskOrder"] == "FIFO"
    assert data["maxReservedWorkers"] == 1
    # Optional activities are left out when not set, as in the seed's examples.
    assert "assignmentActivitySid" not in data and "reservationActivitySid" not in data


def test_list_and_get_task_queues_seed_example(tr, qws):
    created = [tr.ok(tr.post("/taskrouter/taskqueues", queue_body(qws, name=f"Customer Support Task Queue {i}")))
               for i in (1, 2, 3, 4)]
    data = tr.ok(tr.get("/taskrouter/taskqueues/search"))
    paging(data, "taskqueues", page_size=10, total=4, page=0)
    assert data["end"] == 3
    assert [q["sid"] for q in data["result"]] == [q["sid"] for q in reversed(created)]
    for item in data["result"]:
        tr.resource(item, "TQ")
        assert item["taskOrder"] == "FIFO" and item["maxReservedWorkers"] == 1
    one = tr.ok(tr.get(f"/taskrouter/taskqueues/search/{created[3]['sid']}"))
    assert one == created[3]
    tr.error(tr.get(f"/taskrouter/taskqueues/search/{MISSING['TQ']}"), "540",
             "Sid of passed TaskQueue is not found", MISSING["TQ"])


def test_update_task_queue_seed_example(tr, qws):
    queue = tr.ok(tr.post("/taskrouter/taskqueues", queue_body(qws)))
    online = qws["activity"]["Online"]["sid"]
    body = paste('{\n"name": "Customer Support Task Queue 4 Updated",\n"targetWorkers": "language[any]=\'vn\'",\n'
                 '"taskOrder": "FIFO",\n"maxReservedWorkers": 1,\n"assignmentActivitySid":"$at",\n'
                 '"reservationActivitySid":"$at"\n}', at=online)
    data = tr.ok(tr.put(f"/taskrouter/taskqueues/{queue['sid']}", body))
    tr.resource(data, "TQ")
    assert data["name"] == "Customer Support Task Queue 4 Updated"
    assert data["assignmentActivitySid"] == data["reservationActivitySid"] == online
    assert data["dateCreated"] == queue["dateCreated"]

    tr.ok(tr.post("/taskrouter/taskqueues", queue_body(qws, name="All Sales")))
    tr.error(tr.put(f"/taskrouter/taskqueues/{queue['sid']}", {"name": "All Sales"}), "546",
             "TaskQueue not unique", "All Sales")
    tr.error(tr.put(f"/taskrouter/taskqueues/{queue['sid']}", {"reservationActivitySid": MISSING["AT"]}), "510",
             "Sid of passed activity is not found", MISSING["AT"])
    tr.error(tr.put(f"/taskrouter/taskqueues/{MISSING['TQ']}", {"name": "x"}), "540",
             "Sid of passed TaskQueue is not found", MISSING["TQ"])


def test_delete_task_queue_seed_example(tr, qws):
    queue = tr.ok(tr.post("/taskrouter/taskqueues", queue_body(qws, name="Customer Support Task Queue 3")))
    data = tr.ok(tr.delete(f"/taskrouter/taskqueues/{queue['sid']}"))
    assert data["sid"] == queue["sid"] and data["name"] == "Customer Support Task Queue 3"
    tr.error(tr.get(f"/taskrouter/taskqueues/search/{queue['sid']}"), "540",
             "Sid of passed TaskQueue is not found", queue["sid"])
    tr.error(tr.delete(f"/taskrouter/taskqueues/{MISSING['TQ']}"), "540",
             "Sid of passed TaskQueue is not found", MISSING["TQ"])


def test_task_queue_with_stray_spaces_in_sids(tr, qws):
    body = queue_body(qws, workspaceSid=" " + qws["sid"], enterpriseSid=" " + qws["enterpriseSid"])
    data = tr.ok(tr.post("/taskrouter/taskqueues", body))
    assert data["workspaceSid"] == qws["sid"]


# ----------------------------------------------------------------------------------------------
# Workers
# ----------------------------------------------------------------------------------------------

def test_create_worker_seed_example(tr, ws):
    available = tr.activity(ws["sid"], "Available", True)
    attributes = '{\\"language\\":[\\"en\\", \\"hi\\"], \\"contact_uri\\":\\"19960639903\\"}'
    body = paste('{ "workspaceSid": "$ws", "name": "Worker Test1", "activitySid": "$at", "attributes": "$attrs" }',
                 ws=ws["sid"], at=available["sid"], attrs=attributes)
    data = tr.ok(tr.post("/taskrouter/workers", body))
    tr.resource(data, "WK")
    assert data["workspaceSid"] == ws["sid"] and data["name"] == "Worker Test1"
    assert data["activitySid"] == available["sid"] and data["activityName"] == "Available"
    assert data["available"] is True
    assert data["attributes"] == '{"language":["en", "hi"], "contact_uri":"19960639903"}'
    assert json.loads(data["attributes"])["contact_uri"] == "19960639903"

    tr.error(tr.post("/taskrouter/workers", body), "536", "Worker not unique", "Worker Test1")


def test_create_worker_takes_the_default_activity(tr, ws):
    data = tr.worker(ws["sid"], "Amit Test1", language=["en", "hi"])
    assert data["activitySid"] == ws["defaultActivitySid"]
    assert data["activityName"] == "Offline" and data["available"] is False


@pytest.mark.parametrize("attributes, code, message", [
    ("not json", "531", "Worker's attributes is not valid json or empty"),
    ("", "531", "Worker's attributes is not valid json or empty"),
    ("[1, 2]", "531", "Worker's attributes is not valid json or empty"),
    ('{"language": ["en"]}', "532", "Worker's attributes is missing contact_uri"),
])
def test_create_worker_attribute_errors(tr, ws, attributes, code, message):
    body = {"workspaceSid": ws["sid"], "name": "Bad", "attributes": attributes}
    tr.error(tr.post("/taskrouter/workers", body), code, message)


def test_create_worker_unknown_activity(tr, ws):
    body = {"workspaceSid": ws["sid"], "name": "W", "activitySid": MISSING["AT"],
            "attributes": '{"contact_uri": "1"}'}
    tr.error(tr.post("/taskrouter/workers", body), "510", "Sid of passed activity is not found", MISSING["AT"])


def test_list_and_get_workers_seed_example(tr, ws):
    mobile = tr.worker(ws["sid"], "Amit Mobile", language=["en", "hi"])
    test1 = tr.worker(ws["sid"], "Amit Test1", language=["en", "hi"])
    data = tr.ok(tr.get("/taskrouter/workers/search"))
    paging(data, "workers", page_size=10, total=2, page=0)
    assert [w["sid"] for w in data["result"]] == [test1["sid"], mobile["sid"]]
    for item in data["result"]:
        tr.resource(item, "WK")
        assert item["activityName"] == "Offline" and item["available"] is False
        assert isinstance(item["attributes"], str)
    one = tr.ok(tr.get(f"/taskrouter/workers/search/{test1['sid']}"))
    assert one["sid"] == test1["sid"] and one["attributes"] == test1["attributes"]
    tr.error(tr.get(f"/taskrouter/workers/search/{MISSING['WK']}"), "530",
             "Sid of passed worker is not found", MISSING["WK"])
    named = tr.ok(tr.get("/taskrouter/workers/search", params={"name": "mobile", "activityName": "off"}))
    assert [w["name"] for w in named["result"]] == ["Amit Mobile"]


def test_update_worker_seed_example(tr, ws):
    available = tr.activity(ws["sid"], "Available", True)
    worker = tr.worker(ws["sid"], "Amit Test1", language=["en", "hi"])
    data = tr.ok(tr.put(f"/taskrouter/workers/{worker['sid']}", paste('{ "activitySid":"$at" }', at=available["sid"])))
    tr.resource(data, "WK")
    assert data["activitySid"] == available["sid"] and data["activityName"] == "Available"
    assert data["available"] is True
    assert data["attributes"] == worker["attributes"] and data["dateCreated"] == worker["dateCreated"]

    tr.worker(ws["sid"], "Amit Test2")
    tr.error(tr.put(f"/taskrouter/workers/{worker['sid']}", {"name": "Amit Test2"}), "536",
             "Worker not unique", "Amit Test2")
    tr.error(tr.put(f"/taskrouter/workers/{worker['sid']}", {"attributes": "{oops"}), "531",
             "Worker's attributes is not valid json or empty")
    tr.error(tr.put(f"/taskrouter/workers/{worker['sid']}", {"attributes": '{"a": 1}'}), "532",
             "Worker's attributes is missing contact_uri")
    tr.error(tr.put(f"/taskrouter/workers/{worker['sid']}", {"activitySid": MISSING["AT"]}), "510",
             "Sid of passed activity is not found", MISSING["AT"])
    tr.error(tr.put(f"/taskrouter/workers/{MISSING['WK']}", {"activitySid": available["sid"]}), "530",
             "Sid of passed worker is not found", MISSING["WK"])


def test_delete_worker_seed_example(tr, ws):
    worker = tr.worker(ws["sid"], "Amit Test1")
    data = tr.ok(tr.delete(f"/taskrouter/workers/{worker['sid']}"))
    assert data["sid"] == worker["sid"] and data["name"] == "Amit Test1"
    tr.error(tr.get(f"/taskrouter/workers/search/{worker['sid']}"), "530",
             "Sid of passed worker is not found", worker["sid"])
    tr.error(tr.delete(f"/taskrouter/workers/{MISSING['WK']}"), "530",
             "Sid of passed worker is not found", MISSING["WK"])


def test_workers_are_assigned_dynamically_to_queues(tr, ws):
    """The seed's workers X and Y: X speaks English and handles support and sales; Y handles sales
    and speaks Japanese and English."""
    x = tr.worker(ws["sid"], "X", skills=["support", "sales"], languages=["EN"])
    y = tr.worker(ws["sid"], "Y", skills=["sales"], languages=["JP", "EN"])
    sales = tr.queue(ws["sid"], "Sales", "skills[any]='sales'")
    support = tr.queue(ws["sid"], "Support", "skills[any]='support'")

    def members(**params):
        data = tr.ok(tr.get("/taskrouter/workers/search", params={"workspaceSid": ws["sid"], **params}))
        return sorted(w["name"] for w in data["result"])

    assert members(taskQueueSid=sales["sid"]) == ["X", "Y"]
    assert members(taskQueueSid=support["sid"]) == ["X"]
    assert members(taskQueueName="Support") == ["X"]
    assert members(targetWorkerExpression="languages HAS 'JP'") == ["Y"]
    # Membership follows attribute changes.
    tr.ok(tr.put(f"/taskrouter/workers/{y['sid']}",
                 {"attributes": json.dumps({"skills": ["sales", "support"], "contact_uri": "client:Y"})}))
    assert members(taskQueueSid=support["sid"]) == ["X", "Y"]
    assert x["sid"] != y["sid"]


# ----------------------------------------------------------------------------------------------
# Workflows
# ----------------------------------------------------------------------------------------------

def seed_configuration(sales: str, marketing: str, support: str) -> str:
    """The configuration of the seed's Create Workflow example, with our queue SIDs."""
    return json.dumps({"task_routing": {
        "default_filter": {"queue": sales},
        "filters": [
            {"expression": "type=='sales'", "targets": [{"queue": sales}]},
            {"expression": "type=='marketing'", "targets": [{"queue": marketing}]},
            {"expression": "type=='support'", "targets": [{"queue": support}]},
        ]}}, separators=(",", ":"))


@pytest.fixture
def queues(tr, ws):
    return {name: tr.queue(ws["sid"], name)["sid"] for name in ("sales", "marketing", "support")}


def test_create_workflow_seed_example(tr, ws, queues, account):
    configuration = seed_configuration(queues["sales"], queues["marketing"], queues["support"])
    body = paste('{ "enterpriseSid": " $en", "name" : "Workflow1", "workspaceSid":"$ws", "configuration":$conf }',
                 en=account["enterpriseSid"], ws=ws["sid"], conf=json.dumps(configuration))
    data = tr.ok(tr.post("/taskrouter/workflows", body))
    tr.resource(data, "WF")
    assert data["name"] == "Workflow1" and data["workspaceSid"] == ws["sid"]
    assert isinstance(data["configuration"], str)
    assert json.loads(data["configuration"]) == json.loads(configuration)
    assert data["taskReservationTimeout"] == 120
    tr.error(tr.post("/taskrouter/workflows", body), "556", "Workflow not unique", "Workflow1")


@pytest.mark.parametrize("field", ["taskReservationnTimeout", "taskReservationTimeout"])
def test_create_workflow_reservation_timeout_spellings(tr, ws, queues, field):
    data = tr.workflow(ws["sid"], "Main Workflow 1", {"default_filter": {"queue": queues["support"]}},
                       assignmentCallbackUrl="http://127.0.0.1:9/testing_791", **{field: 100})
    assert data["taskReservationTimeout"] == 100
    assert data["assignmentCallbackUrl"] == "http://127.0.0.1:9/testing_791"
    updated = tr.ok(tr.put(f"/taskrouter/workflows/{data['sid']}", {field: 86400}))
    assert updated["taskReservationTimeout"] == 86400


def test_default_filter_as_sid_string(tr, ws, queues):
    """The seed's "Configuring Workflow" document: `default_filter` is a bare queue SID."""
    configuration = {"task_routing": {
        "filters": [
            {"filter_friendly_name": "JP Support Filter", "expression": "(skill='support') AND (selected_language='jp')",
             "targets": [{"queue": queues["marketing"]}]},
            {"filter_friendly_name": "Sales Filter", "expression": "(skill='sales')",
             "targets": [{"queue": queues["sales"]}]},
            {"filter_friendly_name": "Generic Support", "expression": "(skill='support') ",
             "targets": [{"queue": queues["support"]}]}],
        "default_filter": queues["support"]}}
    flow = tr.ok(tr.post("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "Configured",
                                                   "configuration": json.dumps(configuration)}))
    placed = {}
    for label, attributes in {"jp": {"skill": "support", "selected_language": "jp"},
                              "sales": {"skill": "sales"}, "generic": {"skill": "support"},
                              "other": {"skill": "billing"}}.items():
        placed[label] = tr.task(flow["sid"], **attributes)["taskQueueSid"]
    assert placed == {"jp": queues["marketing"], "sales": queues["sales"], "generic": queues["support"],
                      "other": queues["support"]}


def test_list_and_get_workflows_seed_example(tr, ws, queues):
    # The configuration of the seed's List example (with its filters array closed).
    configuration = paste("{\n \"task_routing\": {\n \"filters\": [\n {\n \"filter_friendly_name\": \"Language - "
                          "Vietnamese\",\n \"expression\": \"selected_language = 'vn'\",\n \"targets\": [\n {\n "
                          "\"queue\": \"$tq\"\n }\n ]\n }],\n \"default_filter\": {\n \"queue\": \"$tq\"\n }\n }\n}\n",
                          tq=queues["support"])
    main = tr.ok(tr.post("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "Main Workflow",
                                                   "configuration": configuration}))
    main1 = tr.ok(tr.post("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "Main Workflow 1",
                                                    "configuration": configuration, "taskReservationTimeout": 100}))
    assert main["configuration"] == configuration  # stored as given
    data = tr.ok(tr.get("/taskrouter/workflows/search"))
    paging(data, "workflows", page_size=10, total=2, page=0)
    assert [(w["name"], w["taskReservationTimeout"]) for w in data["result"]] == [
        ("Main Workflow 1", 100), ("Main Workflow", 120)]
    for item in data["result"]:
        tr.resource(item, "WF")
    one = tr.ok(tr.get(f"/taskrouter/workflows/search/{main1['sid']}"))
    assert one == main1
    tr.error(tr.get(f"/taskrouter/workflows/search/{MISSING['WF']}"), "550",
             "Sid of passed Workflow is not found", MISSING["WF"])


def test_update_workflow_seed_example(tr, ws, queues):
    flow = tr.workflow(ws["sid"], "Main Workflow", {"default_filter": {"queue": queues["sales"]}})
    configuration = paste("{\n \"task_routing\": {\n \"filters\": [\n {\n \"filter_friendly_name\": \"Language - "
                          "English\",\n \"expression\": \"selected_language = 'en'\",\n \"targets\": [\n {\n "
                          "\"queue\": \"$tq\"\n }\n ]\n }],\n \"default_filter\": {\n \"queue\": \"$tq\"\n }\n }\n}\n",
                          tq=queues["support"])
    data = tr.ok(tr.put(f"/taskrouter/workflows/{flow['sid']}", {"configuration": configuration}))
    tr.resource(data, "WF")
    assert data["configuration"] == configuration and data["name"] == "Main Workflow"
    assert data["dateCreated"] == flow["dateCreated"]
    task = tr.task(flow["sid"], selected_language="en")
    assert task["taskQueueSid"] == queues["support"]

    tr.workflow(ws["sid"], "TAM Workflow", {"default_filter": {"queue": queues["sales"]}})
    tr.error(tr.put(f"/taskrouter/workflows/{flow['sid']}", {"name": "TAM Workflow"}), "556",
             "Workflow not unique", "TAM Workflow")
    tr.error(tr.put(f"/taskrouter/workflows/{MISSING['WF']}", {"name": "x"}), "550",
             "Sid of passed Workflow is not found", MISSING["WF"])


def test_update_workflow_seed_literal_configuration_is_refused(tr, ws, queues):
    """The seed's Update Workflow example configuration leaves its filters array open (`},
    "default_filter"` inside the list): it is not a valid configuration and is refused cleanly."""
    flow = tr.workflow(ws["sid"], "Main Workflow", {"default_filter": {"queue": queues["sales"]}})
    literal = paste("{\n \"task_routing\": {\n \"filters\": [\n {\n \"filter_friendly_name\": \"Language - English\",\n "
                    "\"expression\": \"selected_language = 'en'\",\n \"targets\": [\n {\n \"queue\": \"$tq\"\n }\n ]\n "
                    "},\n \"default_filter\": {\n \"queue\": \"$tq\"\n }\n }\n}\n", tq=queues["support"])
    tr.error(tr.put(f"/taskrouter/workflows/{flow['sid']}", {"configuration": literal}), "400")
    assert tr.ok(tr.get(f"/taskrouter/workflows/search/{flow['sid']}"))["configuration"] == flow["configuration"]


def test_workflow_with_unknown_queue_is_refused(tr, ws):
    body = {"workspaceSid": ws["sid"], "name": "Bad",
            "configuration": json.dumps({"task_routing": {"default_filter": {"queue": MISSING["TQ"]}}})}
    tr.error(tr.post("/taskrouter/workflows", body), "540", "Sid of passed TaskQueue is not found", MISSING["TQ"])


def test_delete_workflow_seed_example(tr, ws, queues):
    flow = tr.workflow(ws["sid"], "Main Workflow", {"default_filter": {"queue": queues["sales"]}})
    data = tr.ok(tr.delete(f"/taskrouter/workflows/{flow['sid']}"))
    assert data["sid"] == flow["sid"] and data["name"] == "Main Workflow"
    tr.error(tr.get(f"/taskrouter/workflows/search/{flow['sid']}"), "550",
             "Sid of passed Workflow is not found", flow["sid"])
    tr.error(tr.delete(f"/taskrouter/workflows/{MISSING['WF']}"), "550",
             "Sid of passed Workflow is not found", MISSING["WF"])


# ----------------------------------------------------------------------------------------------
# Tasks
# ----------------------------------------------------------------------------------------------

@pytest.fixture
def flow(tr, ws, queues):
    configuration = seed_configuration(queues["sales"], queues["marketing"], queues["support"])
    return tr.ok(tr.post("/taskrouter/workflows", {"workspaceSid": ws["sid"], "name": "Main Workflow",
                                                   "configuration": configuration}))


def check_task(tr, data: dict) -> dict:
    tr.resource(data, "TK")
    assert isinstance(data["timeout"], int) and isinstance(data["priority"], int)
    assert isinstance(data["age"], int) and data["age"] >= 0
    assert isinstance(data["attributes"], str) and isinstance(json.loads(data["attributes"]), dict)
    assert isinstance(data["bypassReservedState"], bool)
    assert data["assignmentStatus"] in {"Pending", "Reserved", "Assigned", "Canceled", "Completed"}
    assert data["assignmentState"] == data["assignmentStatus"].upper()
    assert data["restcommAccount"] == {"accountSid": tr.account["accountSid"],
                                       "accountEmail": tr.account["accountEmail"]}
    if "taskQueueEnteredDate" in data:
        assert tr.TIME.match(data["taskQueueEnteredDate"])
    return data


def test_create_task_seed_example(tr, ws, flow, queues):
    body = paste('{ "workflowSid":"$wf", "attributes":"{\\"type\\":\\"support\\"}" }', wf=flow["sid"])
    data = check_task(tr, tr.ok(tr.post("/taskrouter/tasks", body)))
    assert data["workspaceSid"] == ws["sid"] and data["workflowSid"] == flow["sid"]
    assert data["workflowFriendlyName"] == "Main Workflow"
    assert data["attributes"] == '{"type":"support"}'
    assert (data["timeout"], data["priority"], data["age"], data["bypassReservedState"]) == (86400, 0, 0, False)
    assert data["assignmentStatus"] == "Pending"  # nobody is available
    assert data["taskQueueSid"] == queues["support"] and data["taskQueueFriendlyName"] == "support"

    tr.error(tr.post("/taskrouter/tasks", {"workflowSid": MISSING["WF"], "attributes": "{}"}), "550",
             "Sid of passed Workflow is not found", MISSING["WF"])


def test_create_task_options(tr, ws, flow):
    data = tr.ok(tr.post("/taskrouter/tasks", {"workflowSid": flow["sid"], "timeout": 1209600, "priority": 7,
                                               "attributes": '{"type": "sales"}'}))
    assert (data["timeout"], data["priority"]) == (1209600, 7)
    # workflowSid is optional when the workspace has exactly one workflow; attributes are optional.
    data = check_task(tr, tr.ok(tr.post("/taskrouter/tasks", {"workspaceSid": ws["sid"]})))
    assert data["workflowSid"] == flow["sid"] and json.loads(data["attributes"]) == {}


def test_list_tasks_seed_example(tr, flow):
    made = [tr.task(flow["sid"], type="sales") for _ in range(3)]
    for task in made:
        tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "canceled"}))
    # Without isLiveSession, the post-flight tasks: the three canceled ones.
    data = tr.ok(tr.get("/taskrouter/tasks/search?pageSize=2"))
    paging(data, "tasks", page_size=2, total=3, page=0)
    for item in data["result"]:
        check_task(tr, item)
        assert item["assignmentState"] == "CANCELED"
    assert data["nextPageUri"].startswith("/taskrouter/tasks/search/?pageSize=2&page=1")
    rest = tr.ok(tr.get(data["nextPageUri"]))
    paging(rest, "tasks", page_size=2, total=3, page=1)
    seen = [t["sid"] for t in data["result"] + rest["result"]]
    assert sorted(seen) == sorted(t["sid"] for t in made)

    live = tr.task(flow["sid"], type="sales")
    in_flight = tr.ok(tr.get("/taskrouter/tasks/search", params={"isLiveSession": "true"}))
    assert [t["sid"] for t in in_flight["result"]] == [live["sid"]]
    pending = tr.ok(tr.get("/taskrouter/tasks/search", params={"assignmentStatus": "pending"}))
    assert [t["sid"] for t in pending["result"]] == [live["sid"]]


def test_get_task_seed_example(tr, flow):
    task = tr.task(flow["sid"], type="marketing")
    data = check_task(tr, tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}")))
    assert data["sid"] == task["sid"] and data["attributes"] == task["attributes"]
    tr.error(tr.get(f"/taskrouter/tasks/search/{MISSING['TK']}"), "560",
             "Sid of passed Task is not found", MISSING["TK"])


def test_update_task_seed_example(tr, flow):
    """PUT /taskrouter/tasks/search/{sid} with the seed's body: "Cancelled" means Canceled."""
    task = tr.task(flow["sid"], type="support")
    body = '{ "assignmentStatus":"Cancelled", "reason":"Task was cancelled by API Call" }'
    data = check_task(tr, tr.ok(tr.put(f"/taskrouter/tasks/search/{task['sid']}", body)))
    assert data["assignmentStatus"] == "Canceled" and data["assignmentState"] == "CANCELED"
    assert data["reason"] == "Task was cancelled by API Call"
    assert data["dateCreated"] == task["dateCreated"]
    tr.error(tr.put(f"/taskrouter/tasks/search/{MISSING['TK']}", body), "560",
             "Sid of passed Task is not found", MISSING["TK"])
    tr.error(tr.put(f"/taskrouter/tasks/{MISSING['TK']}", body), "560",
             "Sid of passed Task is not found", MISSING["TK"])


@pytest.mark.parametrize("status", ["canceled", "CANCELED", "Canceled", "cancelled", "CANCELLED"])
def test_update_task_status_in_any_letter_case(tr, flow, status):
    task = tr.task(flow["sid"], type="support")
    data = tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": status}))
    assert data["assignmentStatus"] == "Canceled"


def test_update_task_attributes_routes_again(tr, flow, queues):
    task = tr.task(flow["sid"], type="support")
    data = tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"attributes": '{"type": "marketing"}'}))
    assert json.loads(data["attributes"]) == {"type": "marketing"}
    got = tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}"))
    assert got["taskQueueSid"] == queues["marketing"]


def test_delete_task_seed_example(tr, flow):
    task = tr.task(flow["sid"], type="support")
    data = tr.ok(tr.delete(f"/taskrouter/tasks/{task['sid']}"))
    assert data["sid"] == task["sid"]
    tr.error(tr.get(f"/taskrouter/tasks/search/{task['sid']}"), "560",
             "Sid of passed Task is not found", task["sid"])
    tr.error(tr.delete(f"/taskrouter/tasks/{MISSING['TK']}"), "560",
             "Sid of passed Task is not found", MISSING["TK"])


def test_deleted_workspace_keeps_its_tasks(tr, ws, flow):
    task = tr.task(flow["sid"], type="support")
    tr.ok(tr.delete(f"/taskrouter/workspaces/{ws['sid']}"))
    data = tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}"))
    assert data["assignmentStatus"] == "Canceled" and data["reason"] == "Workspace deleted"


# ----------------------------------------------------------------------------------------------
# Routing end to end: reservations and events over HTTP
# ----------------------------------------------------------------------------------------------

def test_task_routed_to_worker_and_accepted(tr, ws):
    """The seed's workers X and Y and its Sales/Support queues: a support task can only go to X."""
    online = ws["activity"]["Online"]["sid"]
    busy = tr.activity(ws["sid"], "Busy", False)
    x = tr.worker(ws["sid"], "X", online, skills=["support", "sales"], languages=["EN"])
    y = tr.worker(ws["sid"], "Y", online, skills=["sales"], languages=["JP", "EN"])
    sales = tr.queue(ws["sid"], "Sales", "skills[any]='sales'")
    support = tr.queue(ws["sid"], "Support", "skills[any]='support'", assignmentActivitySid=busy["sid"])
    flow = tr.workflow(ws["sid"], "Routing", {
        "filters": [{"filter_friendly_name": "Sales Filter", "expression": "skill == 'sales'",
                     "targets": [{"queue": sales["sid"]}]},
                    {"filter_friendly_name": "Generic Support", "expression": "skill == 'support'",
                     "targets": [{"queue": support["sid"]}]}],
        "default_filter": {"queue": support["sid"]}})

    task = tr.task(flow["sid"], skill="support", selected_language="en")
    reservations = tr.eventually(lambda: tr.reservations(taskSid=task["sid"]))
    assert len(reservations) == 1
    reservation = reservations[0]
    tr.resource(reservation, "WR")
    assert reservation["taskSid"] == task["sid"]
    assert (reservation["workerSid"], reservation["workerName"]) == (x["sid"], "X")
    assert reservation["taskQueueSid"] == support["sid"] and reservation["workflowSid"] == flow["sid"]
    assert reservation["reservationStatus"] == "pending"
    assert tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}"))["assignmentStatus"] == "Reserved"

    listed = tr.ok(tr.get(f"/taskrouter/reservations/search?taskSid={task['sid']}"))
    paging(listed, "reservations", page_size=10, total=1, page=0, taskSid=task["sid"])

    one = tr.ok(tr.get(f"/taskrouter/reservations/search/{reservation['sid']}"))
    assert one == reservation

    accepted = tr.ok(tr.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": "accepted"}))
    assert accepted["sid"] == reservation["sid"] and accepted["reservationStatus"] == "accepted"
    assigned = check_task(tr, tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}")))
    assert assigned["assignmentStatus"] == "Assigned" and assigned["workerSid"] == x["sid"]
    worker = tr.ok(tr.get(f"/taskrouter/workers/search/{x['sid']}"))
    assert (worker["activitySid"], worker["activityName"], worker["available"]) == (busy["sid"], "Busy", False)
    # Y never got it.
    assert tr.reservations(workerSid=y["sid"]) == []
    # Accepting again: no longer pending.
    tr.error(tr.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": "accepted"}), "409")

    done = tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "completed", "reason": "done"}))
    assert done["assignmentStatus"] == "Completed" and done["assignmentState"] == "COMPLETED"

    events = tr.ok(tr.get(f"/taskrouter/events/search?workspaceSid={ws['sid']}", params={"pageSize": 100}))
    assert set(events) >= PAGING_KEYS
    ids = [e["id"] for e in events["result"]]
    assert ids == sorted(ids)  # oldest first
    for event in events["result"]:
        assert isinstance(event["id"], int)
        assert re.fullmatch(r"EV[0-9a-f]{32}", event["sid"]), event["sid"]
        assert event["workspaceSid"] == ws["sid"] and event["enterpriseSid"] == ws["enterpriseSid"]
        assert tr.TIME.match(event["eventDate"])
        assert isinstance(json.loads(event["eventData"]), dict)
        assert event["eventType"] and event["resourceType"] and event["resourceSid"]
    task_events = [e["eventType"] for e in events["result"] if e["resourceSid"] in (task["sid"], reservation["sid"])]
    for expected in ("task.created", "reservation.created", "reservation.accepted", "task.completed"):
        assert expected in task_events, task_events
    assert task_events.index("task.created") < task_events.index("reservation.created") \
        < task_events.index("reservation.accepted") < task_events.index("task.completed")
    only = tr.ok(tr.get("/taskrouter/events/search",
                        params={"workspaceSid": ws["sid"], "eventType": "reservation.accepted"}))
    assert [e["resourceSid"] for e in only["result"]] == [reservation["sid"]]


def test_reservation_rejected_goes_to_next_worker(tr, ws):
    online = ws["activity"]["Online"]["sid"]
    first = tr.worker(ws["sid"], "First", online)
    queue = tr.queue(ws["sid"], "Everyone")
    flow = tr.workflow(ws["sid"], "All", {"default_filter": queue["sid"]})
    task = tr.task(flow["sid"], kind="chat")
    reservation = tr.eventually(lambda: tr.reservations(taskSid=task["sid"], reservationStatus="pending"))[0]
    assert reservation["workerSid"] == first["sid"]
    second = tr.worker(ws["sid"], "Second", online)
    rejected = tr.ok(tr.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": "Rejected"}))
    assert rejected["reservationStatus"] == "rejected"
    nxt = tr.eventually(lambda: tr.reservations(taskSid=task["sid"], reservationStatus="pending"))[0]
    assert nxt["workerSid"] == second["sid"]


def test_bypass_reserved_state(tr, ws):
    online = ws["activity"]["Online"]["sid"]
    worker = tr.worker(ws["sid"], "Direct", online)
    queue = tr.queue(ws["sid"], "Everyone")
    flow = tr.workflow(ws["sid"], "All", {"default_filter": {"queue": queue["sid"]}})
    task = tr.ok(tr.post("/taskrouter/tasks", {"workflowSid": flow["sid"], "bypassReservedState": True}))
    assert task["bypassReservedState"] is True
    assigned = tr.eventually(lambda: (t := tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}")))
                             ["assignmentStatus"] == "Assigned" and t)
    assert assigned["workerSid"] == worker["sid"]
    assert [r["reservationStatus"] for r in tr.reservations(taskSid=task["sid"])] == ["accepted"]


def test_reservation_not_found(tr):
    tr.error(tr.get(f"/taskrouter/reservations/search/{MISSING['WR']}"), "570",
             "Sid of passed Reservation is not found", MISSING["WR"])
    tr.error(tr.put(f"/taskrouter/reservations/{MISSING['WR']}", {"reservationStatus": "accepted"}), "570",
             "Sid of passed Reservation is not found", MISSING["WR"])


# ----------------------------------------------------------------------------------------------
# Paging, with exact values
# ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("page_size, page", [(2, 0), (2, 1), (3, 0), (1, 0), (1, 1), (1, 2), (10, 0)])
def test_paging_block_exact_values(tr, ws, page_size, page):
    tr.activity(ws["sid"], "Third", False)  # with Offline and Online: 3 activities
    data = tr.ok(tr.get("/taskrouter/activities/search",
                        params={"workspaceSid": ws["sid"], "pageSize": page_size, "page": page}))
    paging(data, "activities", page_size=page_size, total=3, page=page, workspaceSid=ws["sid"])


def test_paging_three_items_two_per_page(tr, ws):
    tr.activity(ws["sid"], "Third", False)
    first = tr.ok(tr.get("/taskrouter/activities/search", params={"pageSize": 2}))
    assert {k: v for k, v in first.items() if k != "result"} == {
        "pageSize": 2, "total": 3, "page": 0, "numPages": 2, "start": 0, "end": 1,
        "firstPageUri": "/taskrouter/activities/search/?pageSize=2&page=0",
        "nextPageUri": "/taskrouter/activities/search/?pageSize=2&page=1",
        "uri": "/taskrouter/activities/search/?pageSize=2&page=0"}
    second = tr.ok(tr.get(first["nextPageUri"]))
    assert {k: v for k, v in second.items() if k != "result"} == {
        "pageSize": 2, "total": 3, "page": 1, "numPages": 2, "start": 2, "end": 2,
        "firstPageUri": "/taskrouter/activities/search/?pageSize=2&page=0",
        "uri": "/taskrouter/activities/search/?pageSize=2&page=1"}
    names = [a["name"] for a in first["result"] + second["result"]]
    assert sorted(names) == ["Offline", "Online", "Third"]


def test_paging_past_the_end_is_empty(tr, ws):
    data = tr.ok(tr.get("/taskrouter/activities/search", params={"pageSize": 2, "page": 5}))
    assert data["result"] == [] and data["total"] == 2 and data["page"] == 5 and "nextPageUri" not in data


# ----------------------------------------------------------------------------------------------
# Enterprise isolation
# ----------------------------------------------------------------------------------------------

def test_other_enterprise_sees_nothing(tr, other, ws, flow):
    task = tr.task(flow["sid"], type="sales")
    worker = tr.worker(ws["sid"], "Mine")
    queue_sid = flow and json.loads(flow["configuration"])["task_routing"]["default_filter"]["queue"]
    checks = [
        (f"/taskrouter/workspaces/search/{ws['sid']}", "520"),
        (f"/taskrouter/activities/search/{ws['defaultActivitySid']}", "510"),
        (f"/taskrouter/taskqueues/search/{queue_sid}", "540"),
        (f"/taskrouter/workers/search/{worker['sid']}", "530"),
        (f"/taskrouter/workflows/search/{flow['sid']}", "550"),
        (f"/taskrouter/tasks/search/{task['sid']}", "560"),
    ]
    for path, code in checks:
        other.error(other.get(path), code, data=path.rsplit("/", 1)[1])
    for plural in ("workspaces", "activities", "taskqueues", "workers", "workflows"):
        assert other.ok(other.get(f"/taskrouter/{plural}/search"))["total"] == 0, plural
    assert other.ok(other.get("/taskrouter/tasks/search", params={"isLiveSession": "true"}))["total"] == 0


# ----------------------------------------------------------------------------------------------
# Field names: every field the seed's example responses show
# ----------------------------------------------------------------------------------------------

# The data keys of the seed's example responses, per resource (Create, List, Get, Update, Delete).
SEED_FIELDS = {
    "WS": {"sid", "enterpriseSid", "name", "timeoutActivityName", "timeoutActivitySid", "defaultActivitySid",
           "multiTaskEnabled", "priortizeQueueOrder", "prioritizeQueueOrder", "accountEmail", "dateCreated",
           "dateUpdated", "uri"},
    "AT": {"sid", "workspaceSid", "name", "available", "accountEmail", "dateCreated", "dateUpdated", "uri"},
    "TQ": {"sid", "enterpriseSid", "workspaceSid", "name", "assignmentActivitySid", "reservationActivitySid",
           "targetWorkers", "taskOrder", "maxReservedWorkers", "accountEmail", "dateCreated", "dateUpdated", "uri"},
    "WK": {"sid", "enterpriseSid", "workspaceSid", "name", "activitySid", "activityName", "attributes", "available",
           "accountEmail", "dateCreated", "dateUpdated", "uri"},
    "WF": {"sid", "enterpriseSid", "workspaceSid", "name", "configuration", "assignmentCallbackUrl",
           "taskReservationTimeout", "accountEmail", "dateCreated", "dateUpdated", "uri"},
    # callerId is left out: no request of the seed can set it, and unset optional fields are omitted.
    "TK": {"sid", "enterpriseSid", "workspaceSid", "workflowSid", "taskQueueSid", "workerSid", "timeout",
           "priority", "taskChannel", "assignmentState", "taskQueueEnteredDate", "age", "attributes", "reason",
           "bypassReservedState", "restcommAccount", "dateCreated", "dateUpdated"},
}


@pytest.fixture
def one_of_each(tr, ws):
    """One resource of each kind, the task assigned and completed so that every field is set."""
    reserved = tr.activity(ws["sid"], "Reserved", False)
    queue = tr.queue(ws["sid"], "Q", assignmentActivitySid=reserved["sid"], reservationActivitySid=reserved["sid"])
    worker = tr.worker(ws["sid"], "W", ws["activity"]["Online"]["sid"])
    flow = tr.workflow(ws["sid"], "F", {"default_filter": {"queue": queue["sid"]}},
                       assignmentCallbackUrl="http://127.0.0.1:9/assign")
    task = tr.task(flow["sid"], type="x")
    reservation = tr.eventually(lambda: tr.reservations(taskSid=task["sid"]))[0]
    tr.ok(tr.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": "accepted"}))
    tr.ok(tr.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "completed", "reason": "done"}))
    return {"WS": ws["sid"], "AT": reserved["sid"], "TQ": queue["sid"], "WK": worker["sid"], "WF": flow["sid"],
            "TK": task["sid"]}


def test_responses_carry_every_field_of_the_seed_examples(tr, one_of_each):
    plural = {"WS": "workspaces", "AT": "activities", "TQ": "taskqueues", "WK": "workers", "WF": "workflows",
              "TK": "tasks"}
    for kind, sid in one_of_each.items():
        one = tr.ok(tr.get(f"/taskrouter/{plural[kind]}/search/{sid}"))
        missing = SEED_FIELDS[kind] - set(one)
        assert not missing, (kind, sorted(missing))
        listed = tr.ok(tr.get(f"/taskrouter/{plural[kind]}/search", params={"pageSize": 100}))["result"]
        assert [item for item in listed if item["sid"] == sid] == [one], kind


def test_task_responses_carry_organization_sid(tr, one_of_each):
    task = tr.ok(tr.get(f"/taskrouter/tasks/search/{one_of_each['TK']}"))
    assert re.fullmatch(r"OR[0-9a-f]{32}", task["organizationSid"])


def test_events_paging_follows_next_page_uri(tr, ws):
    queue = tr.queue(ws["sid"], "Q")
    flow = tr.workflow(ws["sid"], "F", {"default_filter": {"queue": queue["sid"]}})
    for _ in range(3):
        tr.task(flow["sid"], type="x")
    everything = tr.ok(tr.get("/taskrouter/events/search", params={"workspaceSid": ws["sid"], "pageSize": 1000}))
    total = everything["total"]
    assert total >= 6 and len(everything["result"]) == total
    ids, uri = [], f"/taskrouter/events/search?workspaceSid={ws['sid']}&pageSize=4"
    while uri:
        page = tr.ok(tr.get(uri))
        assert page["total"] == total
        ids += [e["id"] for e in page["result"]]
        uri = page.get("nextPageUri")
    assert ids == [e["id"] for e in everything["result"]] == sorted(ids)
