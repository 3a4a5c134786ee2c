"""Authorization schemes that sign the request reach the gateway as hooks (`signed_schemes`): the
gateway knows no scheme by name (SigV4 is the ingress's, registered where the gateway is built;
tests/ingress/test_connect.py signs with boto3 end to end)."""

from __future__ import annotations

import hashlib
import pathlib

import httpx
import pytest

from taskrouter.server import interceptor
from taskrouter.server.gateway import HttpGateway, app

SCHEME = "TEST-SIGNED"


def covered(authorization: str, scope: dict, headers: dict[str, str], body: bytes) -> dict[str, str]:
    return {"x-test-covered": f"{scope['method']} {scope['path']} {hashlib.sha256(body).hexdigest()}",
            "x-test-host": headers["host"]}


def too_large(authorization: str, scope: dict, headers: dict[str, str], body: bytes) -> dict[str, str]:
    return {"x-test-covered": "x" * 5000}


@pytest.fixture(scope="module")
def signed_gateway(grpc_target):
    with HttpGateway(grpc_target, "127.0.0.1", 0, request_timeout=5.0,
                     signed_schemes={SCHEME: covered, "TEST-TOO-LARGE": too_large}) as gw:
        yield gw


def test_a_signed_scheme_forwards_what_its_hook_covers(signed_gateway, recorder):
    body = b'{"enterpriseSid": "EN1", "name": "signed"}'
    r = httpx.post(f"{signed_gateway.url}/taskrouter/workspaces", content=body,
                   headers={"authorization": f"{SCHEME} Signature=abc", "content-type": "application/json"})
    assert r.status_code == 200, r.text
    metadata = recorder.last_metadata("CreateWorkspace")
    assert metadata["authorization"] == f"{SCHEME} Signature=abc"
    assert metadata["x-test-covered"] == f"POST /taskrouter/workspaces {hashlib.sha256(body).hexdigest()}"
    assert metadata["x-test-host"] == signed_gateway.url.removeprefix("http://")
    assert "x-taskrouter-client" not in metadata  # a signed request is not throttled as a failed login


def test_other_schemes_are_forwarded_as_they_came(signed_gateway, gateway, recorder, good_auth):
    for url, auth in ((signed_gateway.url, good_auth), (gateway.url, f"{SCHEME} Signature=abc")):
        r = httpx.post(f"{url}/taskrouter/workspaces", json={"enterpriseSid": "EN1", "name": "plain"},
                       headers={"authorization": auth})
        assert r.status_code == 200, r.text
        metadata = recorder.last_metadata("CreateWorkspace")
        assert metadata["authorization"] == auth and "x-test-covered" not in metadata
        assert metadata["x-taskrouter-client"] == "127.0.0.1"


def test_metadata_too_large_for_grpc_is_431(signed_gateway):
    r = httpx.post(f"{signed_gateway.url}/taskrouter/workspaces", json={"enterpriseSid": "EN1", "name": "big"},
                   headers={"authorization": "TEST-TOO-LARGE Signature=abc"})
    assert r.status_code == 431 and "too large" in r.json()["message"]


@pytest.mark.parametrize("module", [app, interceptor])
def test_gateway_and_interceptor_know_no_scheme_by_name(module):
    source = pathlib.Path(module.__file__ or "").read_text().lower()
    assert "sigv4" not in source and "aws4" not in source
