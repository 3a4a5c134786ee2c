"""Careless or hostile input is a quick 4xx in the seed's envelope, never a 500 or a bogus 429:
JSON nested 10,000 deep inside string fields and bodies, deep XML on the eGain route, errors
that would echo 20 KB of input, and expressions far past their documented bound."""

from __future__ import annotations

import json
import threading
import time

import pytest
from security_helpers import refused

DEEP_OBJECT = '{"a":' * 10_000 + "1" + "}" * 10_000
DEEP_ARRAY = '{"a":' + "[" * 10_000 + "]" * 10_000 + "}"


@pytest.mark.parametrize("attributes", [DEEP_OBJECT, DEEP_ARRAY], ids=["object", "array"])
def test_deep_worker_and_task_attributes_are_a_400(world, attributes):
    body = refused(world.client.post("/taskrouter/workers", json={
        "workspaceSid": world.ws["sid"], "name": "Deep", "attributes": attributes}))
    assert "nested more than 64 levels" in body["message"]
    flow = world.workflow()
    refused(world.client.post("/taskrouter/tasks", json={"workflowSid": flow["sid"], "attributes": attributes}))
    task = world.task(flow, type="shallow")
    refused(world.client.put(f"/taskrouter/tasks/{task['sid']}", json={"attributes": attributes}))


def test_attributes_nested_to_the_bound_are_accepted(world):
    nested = json.dumps({"contact_uri": "client:x", "deep": json.loads("[" * 63 + "]" * 63)})
    world.ok(world.client.post("/taskrouter/workers", json={
        "workspaceSid": world.ws["sid"], "name": "AtBound", "attributes": nested}))


def test_deep_workflow_configuration_is_a_400(world):
    body = refused(world.client.post("/taskrouter/workflows", json={
        "workspaceSid": world.ws["sid"], "name": "Deep", "configuration": DEEP_OBJECT}))
    assert body["message"].startswith("Invalid workflow configuration")


def test_deep_json_body_is_a_400(http):
    refused(http.post("/taskrouter/workspaces", content=DEEP_OBJECT, headers={"content-type": "application/json"}))


def test_deep_xml_on_the_egain_route_is_a_400_before_authentication(server):
    import httpx

    deep = "<activity>" + "<a>" * 10_000 + "</a>" * 10_000 + "</activity>"
    response = httpx.post(server.http_url + "/core/casemgr/v3/activity/task", content=deep,
                          headers={"content-type": "application/xml"}, timeout=30)
    assert response.status_code == 400, response.text[:300]


def test_an_error_echoing_a_20_kb_expression_is_cut_short(world):
    expression = "skill == " * 2_300  # ~20 KB, invalid
    body = refused(world.client.post("/taskrouter/taskqueues", json={
        "workspaceSid": world.ws["sid"], "name": "Long", "targetWorkers": expression}))
    assert len(body["data"]) <= 256 and body["data"].startswith("skill == ")
    assert len(body["message"]) <= 1024


@pytest.mark.parametrize("sid", ["WS" + "a" * 20_000, "x" * 20_000])
def test_an_error_echoing_a_20000_character_sid_is_cut_short(http, sid):
    body = refused(http.get(f"/taskrouter/workspaces/search/{sid}"), 409, "520")
    assert len(body["data"]) <= 256 and body["data"].startswith(sid[:100])


def test_a_781_kb_expression_is_refused_at_once_without_blocking_writes(world):
    huge = " or ".join(f"skill == 'x{i}'" for i in range(38_000))
    assert len(huge) > 780_000
    timings: list[float] = []

    def other_writes():
        for i in range(5):
            started = time.monotonic()
            world.worker(f"Meanwhile{i}")
            timings.append(time.monotonic() - started)

    writer = threading.Thread(target=other_writes)
    started = time.monotonic()
    writer.start()
    body = refused(world.client.post("/taskrouter/taskqueues", json={
        "workspaceSid": world.ws["sid"], "name": "Huge", "targetWorkers": huge}))
    took = time.monotonic() - started
    writer.join(60)
    assert "the limit is 16384" in body["message"]
    assert took < 2.0, took
    assert len(timings) == 5 and max(timings) < 2.0, timings
    flow_body = refused(world.client.post("/taskrouter/workflows", json={
        "workspaceSid": world.ws["sid"], "name": "Huge", "configuration": json.dumps(
            {"task_routing": {"filters": [{"expression": huge, "targets": [{"queue": world.queue["sid"]}]}]}})}))
    assert "the limit is 262144" in flow_body["message"]


def test_an_expression_at_the_bound_is_accepted(world):
    terms = " or ".join(f"skill == 'x{i}'" for i in range(850))
    assert len(terms) <= 16_384
    world.ok(world.client.post("/taskrouter/taskqueues", json={
        "workspaceSid": world.ws["sid"], "name": "Big", "targetWorkers": terms}))
    too_many = " or ".join(["a==1"] * 1100)  # short, but more than 4,096 names, values and operators
    body = refused(world.client.post("/taskrouter/taskqueues", json={
        "workspaceSid": world.ws["sid"], "name": "Many", "targetWorkers": too_many}))
    assert "more than 4096" in body["message"]


def test_errors_the_gateway_finds_echo_a_bounded_length(http):
    big = "x" * 20_000
    for response, status in [(http.get("/taskrouter/workspaces/search", params={"pageSize": big}), 400),
                             (http.get("/" + big), 404)]:
        body = refused(response, status)
        assert len(body["message"]) <= 1024 and len(body["data"]) <= 256, body
        assert "more characters)" in body["message"] + body["data"]


def _length_delimited(field: int, payload: bytes) -> bytes:
    from google.protobuf.internal import encoder

    out: list[bytes] = []
    encoder._EncodeVarint(out.append, (field << 3) | 2)
    encoder._EncodeVarint(out.append, len(payload))
    return b"".join(out) + payload


def test_a_grpc_request_nested_past_protobufs_limit_is_invalid_argument(server, account):
    """A Struct 60 levels deep (CreateEgainTaskActivityRequest.customer), built byte by byte: protobuf
    refuses to decode it; the caller gets INVALID_ARGUMENT, not INTERNAL."""
    import base64

    import grpc

    struct = b""
    for _ in range(60):  # Struct.fields entry {key "a", value Value{struct_value}}
        struct = _length_delimited(1, _length_delimited(1, b"a") + _length_delimited(2, _length_delimited(5, struct)))
    raw = _length_delimited(8, struct)
    auth = "Basic " + base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()
    with grpc.insecure_channel(server.grpc_target) as channel:
        call = channel.unary_unary("/taskrouter.v1.TaskService/CreateEgainTaskActivity",
                                   request_serializer=lambda b: b, response_deserializer=lambda b: b)
        with pytest.raises(grpc.RpcError) as refused_call:
            call(raw, metadata=(("authorization", auth),), timeout=30)
        assert refused_call.value.code() == grpc.StatusCode.INVALID_ARGUMENT, refused_call.value.details()
        with pytest.raises(grpc.RpcError) as anonymous:
            call(raw, timeout=30)
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED


def test_a_json_body_nested_past_the_body_bound_is_a_400_through_a_network_gateway(http):
    """Through the gRPC network channel a body is serialized: JSON 40 deep in a Struct field
    (120 protobuf levels) used to fail to decode in the services (500). Bodies stop at 32."""
    nested: object = 1
    for _ in range(40):
        nested = {"a": nested}
    response = http.post("/core/casemgr/v3/activity/task", params={"searchContactOnAttribute": "email.emailAddress"},
                         json={"department": {"name": "x"}, "type": {"value": "task"}, "customer": nested})
    assert response.status_code == 400, response.text[:300]
    assert "nested more than 32 levels" in response.text
