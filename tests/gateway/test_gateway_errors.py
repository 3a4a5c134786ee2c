"""Every error path: the seed's body, the right HTTP status, never a 500 for bad input."""

from __future__ import annotations

import socket

import grpc
import httpx
import pytest

from taskrouter.server.gateway import HttpGateway
from taskrouter.server.gateway.error_mapping import http_status

WS = "/taskrouter/workspaces"


def error(r: httpx.Response) -> dict:
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    # A 5xx also names its request, for the server's log lines about it (docs/operations.md).
    assert set(body) == {"errorCode", "message", "data"} | ({"requestId"} if r.status_code >= 500 else set())
    assert body.get("requestId", r.headers["x-request-id"]) == r.headers["x-request-id"]
    assert body["errorCode"] == str(r.status_code) or r.status_code == 409
    return body


def test_documented_5xx_code_is_409_with_the_seeds_exact_body(client):
    r = client.post(WS, json={"enterpriseSid": "EN838bcdf35f9d421fad3ab516195b873b", "name": "MyTestWorkSpace 5"})
    assert r.status_code == 409
    assert r.json() == {"errorCode": "526", "message": "Workspace not unique", "data": "MyTestWorkSpace 5"}


def test_not_found_code_520_is_409(client):
    r = client.get(f"{WS}/search/WS00aac800166644b5a2bd9238625ef0c2aaa")
    assert r.status_code == 409
    assert r.json() == {
        "errorCode": "520",
        "message": "Sid of passed workspace is not found",
        "data": "WS00aac800166644b5a2bd9238625ef0c2aaa",
    }


def test_real_error_model_round_trips(client):
    pytest.importorskip("taskrouter.server.errors")
    r = client.post("/taskrouter/activities", json={"workspaceSid": "WS1", "name": "Duplicate", "available": True})
    assert r.status_code == 409
    assert r.json() == {"errorCode": "516", "message": "Activity not unique", "data": "Duplicate"}


def test_unauthenticated_is_401_with_www_authenticate(gateway):
    with httpx.Client(base_url=gateway.url) as anonymous:
        r = anonymous.get(f"{WS}/search/WS1")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="taskrouter"'
    assert error(r)["errorCode"] == "401"


def test_malformed_authorization_header_is_401_not_500(gateway):
    with httpx.Client(base_url=gateway.url) as anonymous:
        r = anonymous.get(f"{WS}/search/WS1", headers={"authorization": "Basic \u00e9t\u00e9".encode("latin-1")})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == 'Basic realm="taskrouter"'


def test_oversized_authorization_header_is_431(gateway):
    r = httpx.get(f"{gateway.url}{WS}/search/WS1", headers={"authorization": "Basic " + "A" * 9000})
    assert r.status_code == 431
    assert error(r)["errorCode"] == "431"


def test_status_without_error_info_follows_the_grpc_code(client):
    r = client.get(f"{WS}/search/WSnoinfo")
    assert r.status_code == 409
    assert r.json() == {"errorCode": "409", "message": "plain status without details", "data": ""}


def test_servicer_crash_is_500(client):
    r = client.get(f"{WS}/search/WScrash")
    assert r.status_code == 500
    assert error(r)["errorCode"] == "500"


def test_service_not_hosted_is_501(client):
    r = client.get("/taskrouter/workers/search/WK1")
    assert r.status_code == 501
    assert error(r)["errorCode"] == "501"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_backend_is_503():
    port = free_port()
    with HttpGateway(f"127.0.0.1:{port}", "127.0.0.1", 0, request_timeout=3.0) as gw:
        r = httpx.get(f"{gw.url}{WS}/search/WS1", timeout=5)
    assert r.status_code == 503
    assert error(r)["errorCode"] == "503"


def test_malformed_json_is_400_and_says_where(client):
    r = client.post(WS, content=b'{"name": "x",, }', headers={"content-type": "application/json"})
    assert r.status_code == 400
    body = error(r)
    assert "Malformed JSON" in body["message"] and "line 1 column 14" in body["message"]


def test_seed_curly_quotes_are_malformed_json(client):
    r = client.post(WS, content="{ \u201centerpriseSid\u201d: \u201cEN1\u201d }".encode(),
                    headers={"content-type": "application/json"})
    assert r.status_code == 400 and "Malformed JSON" in error(r)["message"]


@pytest.mark.parametrize("payload,kind", [(b"[1, 2]", "an array"), (b'"name"', "a string"), (b"null", "null"), (b"3", "a number")])
def test_body_must_be_a_json_object(client, payload, kind):
    r = client.post(WS, content=payload, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert error(r)["message"] == f"Request body must be a JSON object, got {kind}"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"maxReservedWorkers": "many"}, "maxReservedWorkers"),
        ({"maxReservedWorkers": 1.5}, "maxReservedWorkers"),
        ({"maxReservedWorkers": 1e12}, "maxReservedWorkers"),
        ({"maxReservedWorkers": True}, "maxReservedWorkers"),
        ({"name": {"nested": 1}}, "name"),
        ({"name": ["a"]}, "name"),
        ({"target_workers": 5}, "targetWorkers"),
    ],
)
def test_wrong_type_is_400_naming_the_field(client, body, field):
    r = client.post("/taskrouter/taskqueues", json=body)
    assert r.status_code == 400, r.text
    err = error(r)
    assert f"'{field}'" in err["message"] and err["data"] == field


@pytest.mark.parametrize("query,field", [("page=abc", "page"), ("available=maybe", "available"), ("pageSize=9999999999", "pageSize")])
def test_wrong_query_type_is_400_naming_the_field(client, query, field):
    r = client.get(f"/taskrouter/activities/search?{query}")
    assert r.status_code == 400, r.text
    err = error(r)
    assert f"'{field}'" in err["message"] and err["data"] == field


def test_unknown_route_is_404(client):
    r = client.get("/taskrouter/nothing/here")
    assert r.status_code == 404
    assert error(r)["message"] == "No route for GET /taskrouter/nothing/here"


def test_known_path_wrong_method_is_405_with_allow(client):
    r = client.post(f"{WS}/search/WS1", json={})
    assert r.status_code == 405
    assert r.headers["allow"] == "GET"
    assert error(r)["errorCode"] == "405"
    r = client.patch("/taskrouter/tasks/search/TK1", json={})
    assert r.status_code == 405 and r.headers["allow"] == "GET, PUT"


def test_body_over_one_mib_is_413(client):
    big = b'{"name": "' + b"x" * (1 << 20) + b'"}'
    r = client.post(WS, content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert error(r)["errorCode"] == "413"


def test_chunked_body_over_one_mib_is_413(client):
    def chunks():
        yield b'{"name": "'
        for _ in range(20):
            yield b"x" * 65536
        yield b'"}'

    r = client.post(WS, content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    # The connection is still usable afterwards.
    assert client.get(f"{WS}/search/WS1").status_code == 200


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_unsupported_content_type_is_415(client, ctype):
    r = client.post(WS, content=b"name=x", headers={"content-type": ctype})
    assert r.status_code == 415
    assert error(r)["errorCode"] == "415"


def test_get_ignores_the_content_type_the_seeds_curl_examples_send(client):
    r = client.get(f"{WS}/search/WS1", headers={"content-type": "text/plain"})
    assert r.status_code == 200


def test_invalid_utf8_body_is_400(client):
    r = client.post(WS, content=b'{"name": "\xff"}', headers={"content-type": "application/json"})
    assert r.status_code == 400


def test_deeply_nested_json_is_400(client):
    r = client.post(WS, content=b"[" * 100000 + b"]" * 100000, headers={"content-type": "application/json"})
    assert r.status_code == 400


@pytest.mark.parametrize(
    "code,error_code,status",
    [
        (grpc.StatusCode.ALREADY_EXISTS, "526", 409),
        (grpc.StatusCode.NOT_FOUND, "520", 409),
        (grpc.StatusCode.INVALID_ARGUMENT, "531", 409),
        (grpc.StatusCode.INVALID_ARGUMENT, "400", 400),
        (grpc.StatusCode.FAILED_PRECONDITION, "409", 409),
        (grpc.StatusCode.UNAUTHENTICATED, "401", 401),
        (grpc.StatusCode.PERMISSION_DENIED, "403", 403),
        (grpc.StatusCode.NOT_FOUND, "", 404),
        (grpc.StatusCode.INVALID_ARGUMENT, "", 400),
        (grpc.StatusCode.OUT_OF_RANGE, "", 400),
        (grpc.StatusCode.UNAUTHENTICATED, "", 401),
        (grpc.StatusCode.PERMISSION_DENIED, "", 403),
        (grpc.StatusCode.ALREADY_EXISTS, "", 409),
        (grpc.StatusCode.ABORTED, "", 409),
        (grpc.StatusCode.FAILED_PRECONDITION, "", 409),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "", 429),
        (grpc.StatusCode.UNIMPLEMENTED, "", 501),
        (grpc.StatusCode.UNAVAILABLE, "", 503),
        (grpc.StatusCode.DEADLINE_EXCEEDED, "", 504),
        (grpc.StatusCode.INTERNAL, "", 500),
        (grpc.StatusCode.UNKNOWN, "", 500),
        (grpc.StatusCode.DATA_LOSS, "", 500),
        (grpc.StatusCode.INTERNAL, "5000", 500),  # not three digits: the gRPC code decides
        (grpc.StatusCode.NOT_FOUND, "ABC", 404),
        (grpc.StatusCode.NOT_FOUND, "301", 404),
    ],
)
def test_http_status_mapping(code, error_code, status):
    assert http_status(code, error_code) == status
