"""Callbacks go only to http and https URLs, and never to address ranges the operator denies
(`serve --callback-deny CIDR[,CIDR...]` or TASKROUTER_CALLBACK_DENY), checked when a callback is
sent, against the address the host resolves to."""

from __future__ import annotations

import json
import os
import time

import httpx
import pytest
from polling import eventually
from security_helpers import World, refused

BAD_URLS = ["file:///etc/passwd", "gopher://127.0.0.1:70/x", "ftp://example.com/x", "http://", "javascript:alert(1)",
            "127.0.0.1:8080/callback", "http://exa mple.com/"]


@pytest.mark.parametrize("url", BAD_URLS)
def test_callback_urls_must_be_http_or_https(world, url):
    for field in ("assignmentCallbackUrl", "fallbackAssignmentCallbackUrl"):
        body = refused(world.client.post("/taskrouter/workflows", json={
            "workspaceSid": world.ws["sid"], "name": "Bad", "configuration": world.routing(), field: url}))
        assert field in body["message"]
    flow = world.workflow()
    refused(world.client.put(f"/taskrouter/workflows/{flow['sid']}", json={"assignmentCallbackUrl": url}))
    refused(world.client.put(f"/taskrouter/workspaces/{world.ws['sid']}", json={"eventCallbackUrl": url}))
    refused(world.client.post("/taskrouter/workspaces", json={
        "enterpriseSid": world.account["enterpriseSid"], "name": "Bad", "eventCallbackUrl": url}))


def test_http_and_https_urls_are_kept(world):
    flow = world.workflow(assignmentCallbackUrl="https://example.com/assign?x=1",
                          fallbackAssignmentCallbackUrl="HTTP://example.com:8080/fallback")
    assert flow["assignmentCallbackUrl"] == "https://example.com/assign?x=1"
    cleared = world.ok(world.client.put(f"/taskrouter/workflows/{flow['sid']}", json={"assignmentCallbackUrl": ""}))
    assert cleared["assignmentCallbackUrl"] == ""


def _account(taskrouter_cli, database: str) -> dict:
    result = taskrouter_cli("accounts", "create", "--email", "deny@example.com", "--database", database)
    return json.loads(result.stdout)


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_denied_ranges_get_no_callback(own_server, taskrouter_cli, receiver, tmp_path, how):
    database = f"sqlite:///{tmp_path}/deny.db"
    account = _account(taskrouter_cli, database)
    if how == "flag":
        served = own_server("--callback-deny", "10.0.0.0/8, 127.0.0.0/8", database=database)
    else:
        served = own_server(database=database, env={**os.environ, "TASKROUTER_CALLBACK_DENY": "127.0.0.1/32"})
    with httpx.Client(base_url=served.http_url, auth=(account["accountSid"], account["authToken"]), timeout=30) as c:
        world = World(c, account)
        world.worker()
        localhost = receiver.url.replace("127.0.0.1", "localhost")  # denied by what the name resolves to
        flow = world.workflow(assignmentCallbackUrl=localhost)
        task = world.task(flow, type="denied")
        eventually(lambda: world.ok(c.get(f"/taskrouter/tasks/search/{task['sid']}"))["assignmentStatus"].lower()
                   == "reserved")
        time.sleep(1.5)  # the sender had time to try
    assert receiver.requests == []


def test_a_bad_range_stops_serve_with_one_line(taskrouter_cli, tmp_path):
    result = taskrouter_cli("serve", "--callback-deny", "10.0.0.0/33", "--database", f"sqlite:///{tmp_path}/x.db",
                            "--grpc-addr", "127.0.0.1:0", "--http-addr", "off")
    assert result.returncode == 2 and "10.0.0.0/33" in result.stderr and result.stderr.count("\n") == 1


def test_without_a_deny_list_loopback_callbacks_are_sent(world, receiver):
    world.worker()
    flow = world.workflow(assignmentCallbackUrl=receiver.url.replace("127.0.0.1", "localhost"))
    world.task(flow, type="allowed")
    eventually(lambda: receiver.requests)
