"""eGain Create task activity over HTTP (seeds/003), against the real server: customers looked up
and created in our store, cases, target users, the documented query parameters and headers, JSON
and XML both ways, and eGain's error body {"code", "developerMessage"} with its statuses."""

from __future__ import annotations

import base64
import json
import threading
import uuid
import xml.etree.ElementTree as ET

import grpc
import httpx
import pytest

from taskrouter.server.accounts import create_account
from taskrouter.v1 import (
    configuration_service_pb2 as cs,
)
from taskrouter.v1 import (
    configuration_service_pb2_grpc as cs_grpc,
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

PATH = "/core/casemgr/v3/activity/task"
SEARCH = {"searchContactOnAttribute": "email.emailAddress"}
CREATE = {**SEARCH, "createCustomer": "yes"}
CONFIG = "/ingress/egain/activity-attributes"


@pytest.fixture
def department(api, routed) -> str:
    return api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=routed.workspace_sid)).name


def customer(email: str = "jane@example.com", **more) -> dict:
    return {"contacts": {"contact": [{"email": [{"emailAddress": email}]}]}, **more}


def body(department_name: str, **changes) -> dict:
    value = {
        "department": {"name": department_name},
        "type": {"value": "task", "subtype": {"value": "general"}},
        "subject": "Follow up with customer",
        "customer": customer(),
    }
    value.update(changes)
    return {k: v for k, v in value.items() if v is not None}


def task_of(http, activity_id: str) -> tuple[dict, dict]:
    task = http.get(f"/taskrouter/tasks/search/{activity_id}").json()["data"]
    attributes = task["attributes"] if isinstance(task["attributes"], dict) else json.loads(task["attributes"])
    return task, attributes


def created(http, department_name: str, params=CREATE, **changes) -> tuple[dict, dict]:
    r = http.post(PATH, params=params, json=body(department_name, **changes))
    assert r.status_code == 201, r.text
    return task_of(http, r.json()["id"])


def basic(account_sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{token}".encode()).decode()


def refused(r: httpx.Response, status: int, code: str | None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json()) == {"code", "developerMessage"}, r.json()
    assert r.json()["developerMessage"]
    if code:
        assert r.json()["code"] == code, r.json()
    return r.json()


# --- Happy paths ------------------------------------------------------------------------------

def test_new_customer_new_case_and_a_routed_task(http, routed, department, reserved, server):
    r = http.post(PATH, params=CREATE, json=body(department, priority="2", customAttributes={"region": "EU"}))
    assert r.status_code == 201, r.text
    activity_id = r.json()["id"]
    assert r.json() == {"id": activity_id}
    assert r.headers["location"] == f"{server.http_url}{PATH.rsplit('/', 1)[0]}/{activity_id}"
    task, attributes = task_of(http, activity_id)
    assert task["origin"] == "egain" and task["workflowSid"] == routed.workflow_sid
    customer_id, case_id = attributes["customer"]["id"], attributes["case"]["id"]
    assert customer_id.isdigit() and case_id.isdigit() and task["externalId"] == case_id
    assert attributes["customerCreated"] is True
    assert attributes["customer"]["contacts"] == customer()["contacts"]
    assert attributes["subtype"] == "general" and attributes["priority"] == "2" and attributes["language"] == "en-US"
    assert attributes["customAttributes"] == {"region": "EU"}
    assert reserved(activity_id) == routed.worker_sid


def test_an_existing_customer_is_found_and_its_other_values_ignored(http, routed, department):
    _, first = created(http, department)
    _, second = created(http, department, params=SEARCH,
                        customer=customer("JANE@Example.com", customerName="Someone else"))
    assert second["customer"]["id"] == first["customer"]["id"]
    assert second["customerCreated"] is False
    assert "customerName" not in second["customer"]  # the stored customer, not this representation
    assert second["case"]["id"] != first["case"]["id"]  # no case named: a new one


def test_customer_not_found_without_create_customer(http, routed, department):
    refused(http.post(PATH, params=SEARCH, json=body(department)), 400, "400-104")


def test_createcustomer_makes_one_customer_per_contact_point(http, routed, department):
    _, first = created(http, department)
    _, again = created(http, department)  # found: createCustomer only applies when it is not
    assert again["customer"]["id"] == first["customer"]["id"] and again["customerCreated"] is False
    _, other = created(http, department, customer=customer("someone@example.com"))
    assert other["customer"]["id"] != first["customer"]["id"]


class _Stubs:
    """gRPC stubs with another account's credentials (tests/conftest.py's Api, for a new account)."""

    def __init__(self, channel: grpc.Channel, account: dict):
        self.account = account
        metadata = (("authorization", basic(account["accountSid"], account["authToken"])),)

        def bind(stub):
            return type("Bound", (), {"__getattr__": lambda _, name: lambda request: getattr(stub, name)(
                request, metadata=metadata, timeout=30)})()

        self.configuration = bind(cs_grpc.ConfigurationServiceStub(channel))
        self.workforce = bind(wks_grpc.WorkforceServiceStub(channel))
        self.workflow = bind(wfs_grpc.WorkflowServiceStub(channel))


def test_customers_and_cases_belong_to_the_enterprise(http, routed, department, server, setup_for):
    _, mine = created(http, department)
    account = create_account(f"{uuid.uuid4().hex[:8]}@other.example.com")
    with grpc.insecure_channel(server.grpc_target) as channel, httpx.Client(
            base_url=server.http_url, auth=(account["accountSid"], account["authToken"]), timeout=30) as theirs:
        stubs = _Stubs(channel, account)
        setup = setup_for(stubs)
        name = stubs.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=setup.workspace_sid)).name
        refused(theirs.post(PATH, params=CREATE, json=body(department)), 400, "400-104")  # not their department
        refused(theirs.post(PATH, params=SEARCH, json=body(name)), 400, "400-104")  # not their customer
        refused(theirs.post(PATH, params=CREATE, json=body(name, case={"id": mine["case"]["id"]})), 400, "400-104")
        _, theirs_too = created(theirs, name)
    assert theirs_too["customer"]["id"] != mine["customer"]["id"]


@pytest.mark.parametrize("search,stored,searched", [
    ("home.phone", {"contacts": {"contact": {"phone": {"phoneNumber": "+15550101234", "type": {"value": "home"}}}}},
     {"contacts": {"contact": [{"home": [{"phone": "+1 (555) 010-1234"}]}]}}),
    ("mobile.phone", {"contacts": {"contact": [{"mobile": [{"phone": "5550199"}]}]}},
     {"contacts": {"contact": [{"phone": [{"number": "555-0199", "type": "Mobile"}]}]}}),
    ("office.phone", {"contacts": {"contact": [{"phone": [{"number": "42", "type": "office"}]}]}},
     {"office": {"phone": "42"}}),
    ("social.twitterId", {"contacts": {"contact": [{"social": [{"twitterId": "@jane"}]}]}},
     {"social": {"twitterId": "@jane"}}),
    ("custom.loyaltyId", {"customAttributes": {"customAttribute": [{"name": "loyaltyId", "value": "L-7"}]}},
     {"customAttributes": {"loyaltyId": "L-7"}}),
])
def test_search_on_other_contact_attributes(http, routed, department, search, stored, searched):
    _, first = created(http, department, params={"searchContactOnAttribute": search, "createCustomer": "yes"},
                       customer=stored)
    _, second = created(http, department, params={"searchContactOnAttribute": search}, customer=searched)
    assert second["customer"]["id"] == first["customer"]["id"]
    assert second["customer"] == {**stored, "id": first["customer"]["id"]}
    lacking = {"contacts": {"contact": {"email": {"emailAddress": "x@example.com"}}}}
    refused(http.post(PATH, params={"searchContactOnAttribute": search}, json=body(department, customer=lacking)),
            400, "400-103")


def test_activity_contact_is_the_contact_point_data(http, routed, department):
    _, attributes = created(http, department, params={**CREATE, "activityContact": "email.emailAddress"})
    assert attributes["contactPointData"] == "jane@example.com"
    assert attributes["activityContact"] == "email.emailAddress"


def test_existing_case_is_associated(http, routed, department):
    _task, first = created(http, department)
    _, second = created(http, department, case={"id": first["case"]["id"]})
    assert second["case"]["id"] == first["case"]["id"]
    refused(http.post(PATH, params=CREATE, json=body(department, case={"id": "999999999"})), 400, "400-104")
    refused(http.post(PATH, params=CREATE, json=body(department, case={"id": "not-a-case"})), 400, "400-104")


def test_content_instead_of_subject(http, routed, department):
    created(http, department, subject=None, payload={"task": {"content": [{"type": "text", "value": "hi"},
                                                                          {"type": "html", "value": "<b>hi</b>"}]}})
    bad = {"task": {"content": [{"type": "pdf", "value": "x"}]}}
    refused(http.post(PATH, params=CREATE, json=body(department, subject=None, payload=bad)), 400, "400-103")


def test_future_due_date_and_numeric_priority(http, routed, department):
    _, attributes = created(http, department, dueDate="2999-01-01T00:00:00Z", priority=3)
    assert attributes["priority"] == "3" and attributes["dueDate"] == "2999-01-01T00:00:00.000Z"


def test_attachments_need_their_alt_id(http, routed, department):
    created(http, department, attachments={"attachment": [{"altId": "a1"}, {"altId": "a2"}]})
    refused(http.post(PATH, params=CREATE, json=body(department, attachments=[{"name": "x.txt"}])), 400, "400-102")


# --- Target user -----------------------------------------------------------------------------

def _assigned(user: dict) -> dict:
    return {"assigned": {"user": user}}


def test_target_user_is_a_worker_of_the_department(api, http, routed, department, reserved):
    worker = api.workforce.GetWorker(wks.GetWorkerRequest(sid=routed.worker_sid))
    api.workforce.UpdateWorker(wks.UpdateWorkerRequest(
        sid=worker.sid, attributes=json.dumps({"contact_uri": "client:agent", "externalId": "E-1", "team": "blue"})))
    first = None
    for user in ({"loginId": worker.name}, {"id": worker.sid}, {"externalId": "E-1"},
                 {"customAttributes": {"team": "blue"}},
                 {"customAttributes": {"customAttribute": [{"name": "team", "value": "blue"}]}}):
        task, attributes = created(http, department, status=_assigned(user))
        assert attributes["assigned"]["worker"] == {"sid": worker.sid, "name": worker.name}, user
        assert attributes["assigned"]["user"] == user
        first = first or task["sid"]
    assert reserved(first) == worker.sid


@pytest.mark.parametrize("user,code", [
    ({"loginId": "nobody"}, "400-104"),
    ({"id": "WK00000000000000000000000000000000"}, "400-104"),
    ({"externalId": "nope"}, "400-104"),
    ({"customAttributes": {"team": "red"}}, "400-104"),
    ({"loginId": "x", "externalId": "y"}, "400-103"),
    ({}, "400-102"),
])
def test_unknown_or_ambiguous_target_user(http, routed, department, user, code):
    refused(http.post(PATH, params=CREATE, json=body(department, status=_assigned(user))), 400, code)


def test_target_user_in_another_department_is_forbidden(api, http, routed, department, setup_for):
    elsewhere = setup_for(api)
    worker = api.workforce.GetWorker(wks.GetWorkerRequest(sid=elsewhere.worker_sid))
    for user in ({"loginId": worker.name}, {"id": worker.sid}):
        refused(http.post(PATH, params=CREATE, json=body(department, status=_assigned(user))), 403, "403-101")


def test_custom_attributes_naming_several_workers(api, http, routed, department):
    for sid in (routed.worker_sid, api.workforce.CreateWorker(wks.CreateWorkerRequest(
            workspace_sid=routed.workspace_sid, name="second agent",
            attributes=json.dumps({"contact_uri": "client:b"}))).sid):
        api.workforce.UpdateWorker(wks.UpdateWorkerRequest(
            sid=sid, attributes=json.dumps({"contact_uri": "client:x", "team": "blue"})))
    r = http.post(PATH, params=CREATE, json=body(department, status=_assigned({"customAttributes": {"team": "blue"}})))
    refused(r, 400, "400-103")


# --- Subtypes and custom attributes as configured ---------------------------------------------

def test_subtype_and_custom_attributes_follow_the_configuration(http, routed, department):
    created(http, department, customAttributes={"anything": "goes"})  # nothing configured: anything goes
    config = {"subtypes": ["general", "callback"],
              "customAttributes": [{"name": "region", "values": ["EU", "US"]}, {"name": "note"}]}
    r = http.put(CONFIG, json=config)
    assert r.status_code == 200, r.text
    expected = {"subtypes": ["general", "callback"],
                "customAttributes": [{"name": "region", "values": ["EU", "US"]}, {"name": "note", "values": []}]}
    assert r.json()["data"] == expected
    assert http.get(CONFIG).json()["data"] == expected
    created(http, department, type={"value": "task", "subtype": {"value": "callback"}},
            customAttributes={"region": "US", "note": "free text"})
    created(http, department, customAttributes={"customAttribute": [{"name": "region", "value": "EU"}]})
    for changes in ({"type": {"value": "task", "subtype": {"value": "other"}}},
                    {"customAttributes": {"region": "APAC"}},
                    {"customAttributes": {"tier": "gold"}}):
        refused(http.post(PATH, params=CREATE, json=body(department, **changes)), 400, "400-103")


# --- Query parameters, headers, media types ---------------------------------------------------

def test_unsupported_query_parameters(http, routed, department):
    r = http.post(PATH, params={**CREATE, "foo": "bar"}, json=body(department))
    assert refused(r, 400, "400-101")["developerMessage"] == "Unsupported query parameter(s) supplied: 'foo'."
    r = http.post(PATH, params={**CREATE, "foo": "1", "workflowSid": "WF1"}, json=body(department))
    assert refused(r, 400, "400-101")["developerMessage"] == \
        "Unsupported query parameter(s) supplied: 'foo, workflowSid'."
    refused(http.post(PATH, params={"SearchContactOnAttribute": "email.emailAddress"}, json=body(department)),
            400, "400-101")


def test_query_parameters_come_from_the_query_only(http, routed, department):
    r = http.post(PATH, json=body(department, searchContactOnAttribute="email.emailAddress", createCustomer="yes"))
    refused(r, 400, "400-102")


def test_accept_language(http, routed, department):
    r = http.post(PATH, params=CREATE, json=body(department), headers={"Accept-Language": "fr-FR"})
    assert r.status_code == 201, r.text
    assert task_of(http, r.json()["id"])[1]["language"] == "fr-FR"
    r = http.post(PATH, params=CREATE, json=body(department), headers={"Accept-Language": "de-de,en;q=0.5"})
    assert task_of(http, r.json()["id"])[1]["language"] == "de-DE"
    refused(http.post(PATH, params=CREATE, json=body(department), headers={"Accept-Language": "xx-XX"}),
            400, "400-103")


XML_BODY = """<?xml version="1.0" encoding="UTF-8"?>
<activity xmlns="http://bindings.egain.com/ws/model/xsds/common/v3">
  <department><name>{department}</name></department>
  <type><value>task</value><subtype><value>general</value></subtype></type>
  <subject>Follow up with customer</subject>
  <priority>4</priority>
  <customer><contacts><contact>
    <email><emailAddress>xml@example.com</emailAddress></email>
  </contact></contacts></customer>
  <status><assigned><user><loginId>{worker}</loginId></user></assigned></status>
</activity>"""


def _xml(r: httpx.Response) -> ET.Element:
    assert r.headers["content-type"].startswith("application/xml"), r.headers
    return ET.fromstring(r.content)


def test_xml_request_and_response(api, http, routed, department, reserved):
    worker = api.workforce.GetWorker(wks.GetWorkerRequest(sid=routed.worker_sid))
    r = http.post(PATH, params=CREATE, content=XML_BODY.format(department=department, worker=worker.name),
                  headers={"Content-Type": "application/xml", "Accept": "application/xml"})
    assert r.status_code == 201, r.text
    root = _xml(r)
    assert root.tag == "activity"
    activity_id = root.findtext("id")
    assert activity_id and r.headers["location"].endswith(f"/activity/{activity_id}")
    _, attributes = task_of(http, activity_id)
    assert attributes["priority"] == "4" and attributes["customer"]["id"].isdigit()
    assert attributes["assigned"]["worker"]["sid"] == worker.sid
    assert reserved(activity_id) == worker.sid
    # XML in, JSON out (Accept decides), and JSON in, XML out
    r = http.post(PATH, params=SEARCH, content=XML_BODY.format(department=department, worker=worker.name),
                  headers={"Content-Type": "text/xml; charset=utf-8"})
    assert r.status_code == 201 and r.json()["id"].startswith("TK")
    r = http.post(PATH, params=CREATE, json=body(department), headers={"Accept": "application/xml"})
    assert r.status_code == 201 and _xml(r).findtext("id").startswith("TK")


def test_sniffed_bodies(http, routed, department):
    r = http.post(PATH, params=CREATE, content=json.dumps(body(department)), headers={"Content-Type": "text/plain"})
    assert r.status_code == 201, r.text
    xml_body = XML_BODY.format(department=department, worker="x").replace(
        "<status><assigned><user><loginId>x</loginId></user></assigned></status>", "")
    r = http.post(PATH, params=CREATE, content=xml_body,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 201, r.text


def test_xml_errors(server, http, routed, department):
    r = http.post(PATH, params={**CREATE, "foo": "1"}, json=body(department), headers={"Accept": "application/xml"})
    assert r.status_code == 400
    root = _xml(r)
    assert root.tag == "error" and root.findtext("code") == "400-101"
    assert root.findtext("developerMessage") == "Unsupported query parameter(s) supplied: 'foo'."
    r = http.post(PATH, params=CREATE, content="<activity><department>", headers={
        "Content-Type": "application/xml", "Accept": "application/xml"})
    assert r.status_code == 400 and _xml(r).findtext("code") == "400-100"
    r = httpx.post(f"{server.http_url}{PATH}", params=CREATE, json=body(department),
                   headers={"Accept": "application/xml"})
    assert r.status_code == 401 and _xml(r).findtext("code") == "401-100"


def test_xml_with_entities_is_refused(http, routed, department):
    bomb = ('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]>'
            '<activity><subject>&y;</subject></activity>')
    refused(http.post(PATH, params=CREATE, content=bomb, headers={"Content-Type": "application/xml"}), 400, "400-100")


@pytest.mark.parametrize("accept,status,kind", [
    ("application/json", 201, "json"),
    ("application/xml", 201, "xml"),
    ("*/*", 201, "json"),
    ("application/*", 201, "json"),
    ("application/xml;q=0.5, application/json;q=0.9", 201, "json"),
    ("application/json;q=0.1, application/xml", 201, "xml"),
    ("text/html", 406, "json"),
    ("application/json;q=0, application/xml;q=0", 406, "json"),
])
def test_accept_negotiation(http, routed, department, accept, status, kind):
    r = http.post(PATH, params=CREATE, json=body(department), headers={"Accept": accept})
    assert r.status_code == status, r.text
    if kind == "xml":
        assert _xml(r).findtext("id").startswith("TK")
    elif status == 406:
        refused(r, 406, "406-100")
    else:
        assert r.json()["id"].startswith("TK")


def test_406_comes_before_everything_else(server, routed, department):
    r = httpx.post(f"{server.http_url}{PATH}", params={"foo": "1"}, json={}, headers={"Accept": "text/plain"})
    refused(r, 406, "406-100")


# --- Errors: codes, statuses, shapes ------------------------------------------------------------

@pytest.mark.parametrize("query,changes,code", [
    ({}, {}, "400-102"),
    ({"searchContactOnAttribute": ""}, {}, "400-102"),
    ({"searchContactOnAttribute": "fax"}, {}, "400-103"),
    ({"searchContactOnAttribute": "custom."}, {}, "400-103"),
    ({**CREATE, "createCustomer": "no"}, {}, "400-103"),
    ({**CREATE, "activityContact": "mobile.phone"}, {}, "400-103"),
    ({**CREATE, "activityContact": "home.phone"}, {}, "400-103"),  # the customer has no home phone
    ({"searchContactOnAttribute": "home.phone"}, {}, "400-103"),  # nor any phone
    (CREATE, {"department": None}, "400-102"),
    (CREATE, {"department": {"name": "no such department"}}, "400-104"),
    (CREATE, {"type": {"value": "email", "subtype": {"value": "x"}}}, "400-103"),
    (CREATE, {"type": None}, "400-103"),
    (CREATE, {"type": {"value": "task"}}, "400-102"),
    (CREATE, {"subject": None}, "400-102"),
    (CREATE, {"subject": "s" * 256}, "400-103"),
    (CREATE, {"customer": None}, "400-102"),
    (CREATE, {"customer": customer(department={"name": "Sales"})}, "400-103"),
    (CREATE, {"customer": {"contacts": {"contact": [{"email": [{"emailAddress": "a@example.com"},
                                                               {"emailAddress": "b@example.com"}]}]}}}, "400-103"),
    (CREATE, {"priority": "9"}, "400-103"),
    (CREATE, {"priority": "0"}, "400-103"),
    (CREATE, {"dueDate": "2001-01-01T00:00:00.000Z"}, "400-103"),
    (CREATE, {"dueDate": "soon"}, "400-103"),
    (CREATE, {"subject": "a\u0000"}, None),
    (CREATE, {"department": {"name": "a\u0000"}}, None),
    (CREATE, {"customer": customer("a\u0000@example.com")}, None),
])
def test_documented_errors(http, routed, department, query, changes, code):
    if changes.get("type", "") is None:
        changes = {**changes, "type": {"value": "", "subtype": {"value": "general"}}}
        code = "400-102"
    refused(http.post(PATH, params=query, json=body(department, **changes)), 400, code)


def test_several_workflows_need_the_workflow_header(api, http, routed, department):
    queue = api.configuration.CreateTaskQueue(cs.CreateTaskQueueRequest(workspace_sid=routed.workspace_sid, name="q2"))
    second = api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(
        workspace_sid=routed.workspace_sid, name="second",
        configuration=json.dumps({"task_routing": {"filters": [], "default_filter": {"queue": queue.sid}}})))
    refused(http.post(PATH, params=CREATE, json=body(department)), 400, "400-102")
    r = http.post(PATH, params=CREATE, json=body(department), headers={"X-Taskrouter-Workflow-Sid": second.sid})
    assert r.status_code == 201, r.text
    assert task_of(http, r.json()["id"])[0]["workflowSid"] == second.sid
    r = http.post(PATH, params=CREATE, json=body(department), headers={"X-Taskrouter-Workflow-Sid": "WF404"})
    refused(r, 400, "400-104")


def test_unauthenticated_and_bad_credentials(server, http, routed, department):
    r = httpx.post(f"{server.http_url}{PATH}", params=CREATE, json=body(department))
    refused(r, 401, "401-100")
    r = httpx.post(f"{server.http_url}{PATH}", params=CREATE, json=body(department), auth=("AC" + "0" * 32, "wrong"))
    refused(r, 401, "401-100")


def test_only_documented_statuses(http, routed, department):
    refused(http.post(PATH, params=CREATE, content=b"{", headers={"content-type": "application/json"}), 400, "400-100")
    refused(http.post(PATH, params=CREATE, content=b"--x\r\n", headers={"content-type": "multipart/form-data"}),
            400, "400-100")  # 415 elsewhere
    refused(http.post(PATH, params=CREATE, content=b"x" * (1 << 20 + 1)), 400, "400-100")  # 413 elsewhere


def test_concurrent_activities_create_one_customer(http, routed, department):
    ids: list[str] = []

    def post():
        r = http.post(PATH, params=CREATE, json=body(department, customer=customer("race@example.com")))
        assert r.status_code == 201, r.text
        ids.append(task_of(http, r.json()["id"])[1]["customer"]["id"])

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 6 and len(set(ids)) == 1
