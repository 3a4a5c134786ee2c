"""Amazon Connect StartTaskContact over HTTP, driven by a real boto3 client signing with SigV4."""

from __future__ import annotations

import json
import uuid

import boto3
import botocore.config
import httpx
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from taskrouter.v1 import task_service_pb2 as ts


def connect_client(server, access_key: str, secret: str):
    return boto3.client("connect", endpoint_url=server.http_url, region_name="us-east-1",
                        aws_access_key_id=access_key, aws_secret_access_key=secret,
                        config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def connect(server, http, account):
    r = http.post("/ingress/sigv4", json={})
    assert r.status_code == 200, r.text
    assert r.json()["data"] == {"accessKeyId": account["accountSid"]}
    return connect_client(server, account["accountSid"], account["authToken"])


def error_of(call) -> tuple[str, int, str]:
    with pytest.raises(ClientError) as caught:
        call()
    err = caught.value.response
    return err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"], err["Error"].get("Message", "")


def task_json(http, sid: str) -> dict:
    r = http.get(f"/taskrouter/tasks/search/{sid}")
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    if isinstance(data["attributes"], str):
        data["attributes"] = json.loads(data["attributes"])
    return data


def test_start_task_contact_routes_a_task(connect, routed, http, reserved):
    out = connect.start_task_contact(
        InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid, Name="Call back Jane",
        Description="About her refund", Attributes={"customer-id": "C_42", "tier": "gold"},
        References={"ticket": {"Type": "URL", "Value": "https://example.com/t/1"}})
    contact_id = out["ContactId"]
    assert out["ResponseMetadata"]["HTTPStatusCode"] == 200
    task = task_json(http, contact_id)
    assert task["origin"] == "amazon-connect" and task["workflowSid"] == routed.workflow_sid
    assert task["attributes"]["name"] == "Call back Jane"
    assert task["attributes"]["attributes"] == {"customer-id": "C_42", "tier": "gold"}
    assert task["attributes"]["references"] == {"ticket": {"type": "URL", "value": "https://example.com/t/1"}}
    assert reserved(contact_id) == routed.worker_sid


def test_client_token_is_idempotent(connect, routed, api):
    args = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n",
                "ClientToken": f"tok-{uuid.uuid4()}"}
    first = connect.start_task_contact(**args)["ContactId"]
    again = connect.start_task_contact(**args)["ContactId"]
    assert again == first
    live = api.tasks.ListTasks(ts.ListTasksRequest(workspace_sid=routed.workspace_sid, is_live_session=True))
    assert [t.sid for t in live.result] == [first]
    code, status, _ = error_of(lambda: connect.start_task_contact(**{**args, "Name": "other"}))
    assert (code, status) == ("InvalidRequestException", 400)
    # boto3 fills ClientToken itself when none is given: two calls, two tasks.
    one = connect.start_task_contact(**{k: v for k, v in args.items() if k != "ClientToken"})["ContactId"]
    two = connect.start_task_contact(**{k: v for k, v in args.items() if k != "ClientToken"})["ContactId"]
    assert len({first, one, two}) == 3


def test_previous_contact(connect, routed):
    first = connect.start_task_contact(InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid,
                                       Name="first")["ContactId"]
    assert connect.start_task_contact(InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid,
                                      Name="follow-up", PreviousContactId=first)["ContactId"] != first
    code, status, _ = error_of(lambda: connect.start_task_contact(
        InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid, Name="x", PreviousContactId="TK" + "0" * 32))
    assert (code, status) == ("ResourceNotFoundException", 404)


def test_documented_errors(connect, routed):
    base = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n"}
    cases = [
        ({"InstanceId": "WS" + "0" * 32}, "ResourceNotFoundException", 404),
        ({"ContactFlowId": "WF" + "0" * 32}, "ResourceNotFoundException", 404),
        ({"Attributes": {"bad key!": "v"}}, "InvalidParameterException", 400),
        ({"Attributes": {"a": "x" * 20000, "b": "y" * 20000}}, "InvalidParameterException", 400),
        ({"Name": "n" * 513}, "InvalidParameterException", 400),
        ({"Description": "d" * 4097}, "InvalidParameterException", 400),
        ({"References": {"r": {"Type": "URL", "Value": ""}}}, "InvalidParameterException", 400),
    ]
    for change, code, status in cases:
        assert error_of(lambda change=change: connect.start_task_contact(**{**base, **change}))[:2] == (
            code, status), change
    # at the limit exactly: 32,768 bytes across keys and values
    ok = {"a": "x" * 16383, "b": "y" * 16383}
    assert connect.start_task_contact(**{**base, "Attributes": ok})["ContactId"].startswith("TK")


def test_raw_error_shape(server, routed, account):
    r = httpx.put(f"{server.http_url}/contact/task", auth=(account["accountSid"], account["authToken"]),
                  json={"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid})
    assert r.status_code == 400
    assert r.headers["x-amzn-errortype"] == "InvalidParameterException"
    assert r.json() == {"message": "Name is required"}
    r = httpx.put(f"{server.http_url}/contact/task", auth=(account["accountSid"], account["authToken"]),
                  content=b"{oops", headers={"content-type": "application/x-amz-json-1.1"})
    assert r.status_code == 415 and r.headers["x-amzn-errortype"] == "InvalidRequestException"


def test_basic_auth_also_works(server, routed, account):
    r = httpx.put(f"{server.http_url}/contact/task", auth=(account["accountSid"], account["authToken"]),
                  json={"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n"})
    assert r.status_code == 200, r.text
    assert set(r.json()) == {"ContactId"} and r.json()["ContactId"].startswith("TK")


def test_signature_failures(connect, server, routed, account):
    args = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n"}
    wrong_secret = connect_client(server, account["accountSid"], "0" * 32)
    assert error_of(lambda: wrong_secret.start_task_contact(**args))[:2] == ("UnrecognizedClientException", 403)
    unknown_key = connect_client(server, "AC" + "0" * 32, account["authToken"])
    assert error_of(lambda: unknown_key.start_task_contact(**args))[:2] == ("UnrecognizedClientException", 403)

    # A body other than the one signed fails; the signed one passes.
    url = f"{server.http_url}/contact/task"
    signed_body = json.dumps(args).encode()
    request = AWSRequest(method="PUT", url=url, data=signed_body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(account["accountSid"], account["authToken"]), "connect", "us-east-1").add_auth(request)
    headers = dict(request.headers)
    tampered = json.dumps({**args, "Name": "evil"}).encode()
    r = httpx.put(url, content=tampered, headers=headers)
    assert r.status_code == 403 and r.headers["x-amzn-errortype"] == "UnrecognizedClientException", r.text
    r = httpx.put(url, content=signed_body, headers=headers)
    assert r.status_code == 200, r.text


def test_sigv4_needs_opting_in(server, routed, api, setup_for):
    from taskrouter.server.accounts import create_account

    other = create_account(f"{uuid.uuid4().hex[:8]}@example.com")
    client = connect_client(server, other["accountSid"], other["authToken"])
    args = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n"}
    assert error_of(lambda: client.start_task_contact(**args))[:2] == ("UnrecognizedClientException", 403)
    with httpx.Client(base_url=server.http_url, auth=(other["accountSid"], other["authToken"])) as h:
        assert h.post("/ingress/sigv4", json={}).status_code == 200
    # Now signed requests authenticate; the other enterprise's workspace is not found.
    assert error_of(lambda: client.start_task_contact(**args))[:2] == ("ResourceNotFoundException", 404)


def test_nul_characters_are_400_not_500(connect, routed):
    base = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n"}
    for change in ({"Attributes": {"a": "x\u0000"}}, {"References": {"r": {"Type": "URL", "Value": "\u0000"}}},
                   {"Name": "\u0000"}, {"ClientToken": "t\u0000"}):
        assert error_of(lambda change=change: connect.start_task_contact(**{**base, **change}))[:2] == (
            "InvalidParameterException", 400), change


def test_concurrent_requests_with_one_token_create_one_task(server, routed, account, api):
    import concurrent.futures

    body = {"InstanceId": routed.workspace_sid, "ContactFlowId": routed.workflow_sid, "Name": "n",
            "ClientToken": f"tok-{uuid.uuid4()}"}

    def call(_):
        r = httpx.put(f"{server.http_url}/contact/task", json=body, timeout=30,
                      auth=(account["accountSid"], account["authToken"]))
        assert r.status_code == 200, r.text
        return r.json()["ContactId"]

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(call, range(8)))
    assert len(ids) == 1
    live = api.tasks.ListTasks(ts.ListTasksRequest(workspace_sid=routed.workspace_sid, is_live_session=True))
    assert [t.sid for t in live.result] == list(ids)


def test_scheduled_time_defers_the_task(connect, routed, http):
    import time

    when = time.time() + 2
    out = connect.start_task_contact(InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid,
                                     Name="Call back later", ScheduledTime=when)
    task = task_json(http, out["ContactId"])
    assert task["assignmentStatus"] == "Pending" and task["scheduledTime"]
    r = http.get("/taskrouter/reservations/search", params={"taskSid": out["ContactId"]})
    assert r.json()["data"]["result"] == []
    deadline = time.time() + 8
    while time.time() < deadline and not http.get("/taskrouter/reservations/search", params={
            "taskSid": out["ContactId"]}).json()["data"]["result"]:
        time.sleep(0.1)
    assert time.time() >= when - 0.05
    assert http.get("/taskrouter/reservations/search", params={"taskSid": out["ContactId"]}).json()["data"]["result"]


@pytest.mark.parametrize("when, why", [(-3600, "past"), (7 * 86_400, "6 days")])
def test_scheduled_time_must_be_within_six_days(connect, routed, when, why):
    import time

    code, status, message = error_of(lambda: connect.start_task_contact(
        InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid, Name="n",
        ScheduledTime=time.time() + when))
    assert (code, status) == ("InvalidParameterException", 400) and why in message


@pytest.mark.parametrize("field, value", [
    ("TaskTemplateId", "tpl-1"), ("QuickConnectId", "qc-1"), ("RelatedContactId", "c-1"),
    ("SegmentAttributes", {"connect:Subtype": {"ValueString": "connect:Guide"}}),
    ("Attachments", [{"FileName": "a.txt", "S3Url": "https://example.com/a.txt"}]),
])
def test_connect_fields_we_do_not_implement_are_refused_by_name(connect, routed, field, value):
    code, status, message = error_of(lambda: connect.start_task_contact(
        InstanceId=routed.workspace_sid, ContactFlowId=routed.workflow_sid, Name="n", **{field: value}))
    assert (code, status) == ("InvalidParameterException", 400)
    assert field in message and "not supported" in message
