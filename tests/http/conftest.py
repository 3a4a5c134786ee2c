"""Fixtures for the HTTP tests against the real server: a client that speaks the seed's API
(`tr`), a second enterprise's client, and the assertions every HTTP test makes (envelope, error
body, SID and time formats). Helpers are reached through fixtures, so no test imports this file."""

from __future__ import annotations

import json
import re
import uuid

import httpx
import pytest
from polling import eventually

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")
# The headers of every curl example of the seed.
SEED_HEADERS = {"Cache-Control": "no-cache", "Content-Type": "application/json"}
PLURAL = {"WS": "workspaces", "AT": "activities", "TQ": "taskqueues", "WK": "workers", "WF": "workflows",
          "TK": "tasks", "WR": "reservations"}


class Seed:
    """An httpx client plus the seed's response contract."""

    TIME = TIME

    def __init__(self, client: httpx.Client, account: dict):
        self.client = client
        self.account = account

    # -- raw calls, with the seed's curl headers -------------------------------------------
    def request(self, method: str, path: str, body=None, **kw) -> httpx.Response:
        headers = dict(SEED_HEADERS)
        headers.update(kw.pop("headers", {}))
        content = None
        if body is not None:
            content = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return self.client.request(method, path, content=content, headers=headers, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- the contract ----------------------------------------------------------------------
    @staticmethod
    def ok(response: httpx.Response):
        """HTTP 200 and exactly {"data", "code": 200, "message": "OK"}; returns data."""
        assert response.status_code == 200, (response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"data", "code", "message"}, body
        assert body["code"] == 200 and body["message"] == "OK", body
        return body["data"]

    @staticmethod
    def error(response: httpx.Response, code: str, message: str | None = None, data: str | None = None,
              status: int | None = None) -> dict:
        """The seed's error body: exactly {"errorCode", "message", "data"}, all strings."""
        expected_status = status if status is not None else (409 if code.startswith("5") else int(code))
        assert response.status_code == expected_status, (response.status_code, response.text)
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert set(body) == {"errorCode", "message", "data"}, body
        assert all(isinstance(v, str) for v in body.values()), body
        assert body["errorCode"] == code, body
        if message is not None:
            assert body["message"] == message, body
        assert body["message"], body
        if data is not None:
            assert body["data"] == data, body
        return body

    def resource(self, data: dict, prefix: str) -> dict:
        """Fields every resource of the seed carries."""
        assert re.fullmatch(prefix + r"[0-9a-f]{32}", data["sid"]), data["sid"]
        assert data["uri"] == f"/taskrouter/{PLURAL[prefix]}/search/{data['sid']}"
        assert data["accountEmail"] == self.account["accountEmail"]
        assert TIME.match(data["dateCreated"]), data["dateCreated"]
        assert TIME.match(data["dateUpdated"]), data["dateUpdated"]
        assert data["dateUpdated"] >= data["dateCreated"]
        if prefix != "WS":
            assert re.fullmatch(r"WS[0-9a-f]{32}", data["workspaceSid"])
        assert data["enterpriseSid"] == self.account["enterpriseSid"]
        return data

    # -- builders ----------------------------------------------------------------------------
    def workspace(self, name: str | None = None, **fields) -> dict:
        body = {"enterpriseSid": self.account["enterpriseSid"], "name": name or f"WS {uuid.uuid4().hex[:8]}"}
        body.update(fields)
        return self.ok(self.post("/taskrouter/workspaces", body))

    def activities(self, workspace_sid: str) -> dict[str, dict]:
        data = self.ok(self.get("/taskrouter/activities/search",
                                params={"workspaceSid": workspace_sid, "pageSize": 100}))
        return {a["name"]: a for a in data["result"]}

    def activity(self, workspace_sid: str, name: str, available: bool) -> dict:
        return self.ok(self.post("/taskrouter/activities",
                                 {"workspaceSid": workspace_sid, "name": name, "available": available}))

    def queue(self, workspace_sid: str, name: str, target: str | None = None, **fields) -> dict:
        body = {"workspaceSid": workspace_sid, "name": name}
        if target is not None:
            body["targetWorkers"] = target
        body.update(fields)
        return self.ok(self.post("/taskrouter/taskqueues", body))

    def worker(self, workspace_sid: str, name: str, activity_sid: str | None = None, **attributes) -> dict:
        attributes.setdefault("contact_uri", f"client:{name}")
        body = {"workspaceSid": workspace_sid, "name": name, "attributes": json.dumps(attributes)}
        if activity_sid:
            body["activitySid"] = activity_sid
        return self.ok(self.post("/taskrouter/workers", body))

    def workflow(self, workspace_sid: str, name: str, routing: dict, **fields) -> dict:
        body = {"workspaceSid": workspace_sid, "name": name, "configuration": json.dumps({"task_routing": routing})}
        body.update(fields)
        return self.ok(self.post("/taskrouter/workflows", body))

    def task(self, workflow_sid: str, **attributes) -> dict:
        return self.ok(self.post("/taskrouter/tasks", {"workflowSid": workflow_sid,
                                                       "attributes": json.dumps(attributes)}))

    def reservations(self, **params) -> list[dict]:
        return self.ok(self.get("/taskrouter/reservations/search", params=params))["result"]

    eventually = staticmethod(eventually)


@pytest.fixture
def tr(http, account) -> Seed:
    return Seed(http, account)


@pytest.fixture(scope="session")
def new_seed(server):
    """Makes a `Seed` for a fresh account of its own enterprise, for fixtures wider than a test."""
    from taskrouter.server.accounts import create_account

    clients: list[httpx.Client] = []

    def make() -> Seed:
        account = create_account(f"{uuid.uuid4().hex[:8]}@wide.example.com")
        client = httpx.Client(base_url=server.http_url, auth=(account["accountSid"], account["authToken"]),
                              timeout=30)
        clients.append(client)
        return Seed(client, account)

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def other_account(server):
    from taskrouter.server.accounts import create_account

    return create_account(f"{uuid.uuid4().hex[:8]}@other.example.com")


@pytest.fixture
def other(server, other_account) -> Seed:
    """The same API as `tr`, as an account of another enterprise."""
    with httpx.Client(base_url=server.http_url, auth=(other_account["accountSid"], other_account["authToken"]),
                      timeout=30) as client:
        yield Seed(client, other_account)
