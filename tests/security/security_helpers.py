"""What the security tests share: a little routing world over HTTP, the seed's error body check,
and a callback receiver on loopback (imported by the tests and by conftest.py)."""

from __future__ import annotations

import http.server
import json
import threading
import uuid

import httpx


class World:
    """One workspace with an Online worker and a queue, over the account's HTTP client."""

    def __init__(self, client: httpx.Client, account: dict):
        self.client = client
        self.account = account
        self.ws = self.ok(client.post("/taskrouter/workspaces", json={
            "enterpriseSid": account["enterpriseSid"], "name": f"WS {uuid.uuid4().hex[:8]}"}))
        listed = self.ok(client.get("/taskrouter/activities/search", params={"workspaceSid": self.ws["sid"]}))
        self.online = next(a["sid"] for a in listed["result"] if a["name"] == "Online")
        self.queue = self.ok(client.post("/taskrouter/taskqueues", json={"workspaceSid": self.ws["sid"], "name": "Q"}))

    @staticmethod
    def ok(response: httpx.Response):
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()["data"]

    def routing(self) -> str:
        return json.dumps({"task_routing": {"default_filter": {"queue": self.queue["sid"]}}})

    def worker(self, name: str = "W") -> dict:
        return self.ok(self.client.post("/taskrouter/workers", json={
            "workspaceSid": self.ws["sid"], "name": name, "activitySid": self.online,
            "attributes": json.dumps({"contact_uri": f"client:{name}"})}))

    def workflow(self, **fields) -> dict:
        return self.ok(self.client.post("/taskrouter/workflows", json={
            "workspaceSid": self.ws["sid"], "name": f"F {uuid.uuid4().hex[:8]}", "configuration": self.routing(),
            **fields}))

    def task(self, workflow: dict, **attributes) -> dict:
        return self.ok(self.client.post("/taskrouter/tasks", json={
            "workflowSid": workflow["sid"], "attributes": json.dumps(attributes)}))


def refused(response: httpx.Response, status: int = 400, code: str | None = None) -> dict:
    """The seed's error body with that status; returns it."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    body = response.json()
    assert set(body) == {"errorCode", "message", "data"}, body
    assert body["errorCode"] == (code or str(status)), body
    return body


class Receiver:
    """An HTTP server on loopback that answers 200 and keeps every request it gets."""

    def __init__(self):
        self.requests: list[dict] = []
        received = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                received.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/callback"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
