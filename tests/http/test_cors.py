"""OPTIONS and CORS on the live API: a browser app on an allowed origin can call it, others get no
grant, and a list route's literal `search` segment is never read as a SID."""

from __future__ import annotations

import httpx
import pytest

APP = "https://desk.example.com"


@pytest.fixture(scope="module")
def cors_url(server):
    """A second gateway over the same server, allowing one origin."""
    from taskrouter.server.gateway.server import HttpGateway

    gateway = HttpGateway(server.grpc_target, "127.0.0.1", 0, cors_origins=[APP])
    gateway.start()
    yield gateway.url
    gateway.stop()


def test_options_answers_the_allowed_methods(http):
    response = http.options("/taskrouter/workspaces/WS00000000000000000000000000000000")
    assert response.status_code == 204
    assert response.headers["allow"] == "DELETE, PUT, OPTIONS"
    assert "access-control-allow-origin" not in response.headers  # no origin is allowed by default
    assert http.options("/taskrouter/workspaces/search").headers["allow"] == "GET, OPTIONS"
    assert http.options("/openapi.json").headers["allow"] == "GET, OPTIONS"
    missing = http.options("/taskrouter/nothing")
    assert missing.status_code == 404 and set(missing.json()) == {"errorCode", "message", "data"}


def test_preflight_and_request_from_an_allowed_origin(cors_url, account):
    preflight = httpx.options(cors_url + "/taskrouter/workspaces", headers={
        "Origin": APP, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == APP
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert preflight.headers["access-control-allow-headers"] == "authorization, content-type"
    created = httpx.post(cors_url + "/taskrouter/workspaces", headers={"Origin": APP},
                         auth=(account["accountSid"], account["authToken"]),
                         json={"enterpriseSid": account["enterpriseSid"], "name": "From the browser"})
    assert created.status_code == 200, created.text
    assert created.headers["access-control-allow-origin"] == APP
    refused = httpx.get(cors_url + "/taskrouter/workspaces/search", headers={"Origin": APP})
    assert refused.status_code == 401 and refused.headers["access-control-allow-origin"] == APP


def test_other_origins_get_no_grant(cors_url):
    preflight = httpx.options(cors_url + "/taskrouter/workspaces", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.headers["vary"] == "Origin"


@pytest.mark.parametrize("kind", ["workspaces", "activities", "taskqueues", "workers", "workflows", "tasks"])
def test_search_is_never_taken_for_a_sid(http, kind):
    for method in ("PUT", "DELETE"):
        response = http.request(method, f"/taskrouter/{kind}/search", json={})
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "GET"
        assert response.json()["errorCode"] == "405"
