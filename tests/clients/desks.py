"""What the client tests build on: a desk (workspace, queue, workflow, two agents with worker
tokens), gRPC stubs with a worker token, and more server processes over the test database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import grpc
import httpx
from polling import eventually

from taskrouter.v1 import (
    configuration_service_pb2_grpc,
    task_service_pb2_grpc,
    workforce_service_pb2_grpc,
)


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


class Stubs:
    """The stubs a worker token can reach, with its Bearer metadata on every call."""

    def __init__(self, channel: grpc.Channel, token: str):
        self.metadata = bearer(token)
        self.configuration = configuration_service_pb2_grpc.ConfigurationServiceStub(channel)
        self.workforce = workforce_service_pb2_grpc.WorkforceServiceStub(channel)
        self.tasks = task_service_pb2_grpc.TaskServiceStub(channel)

    def call(self, stub, method: str, request, **kw):
        return getattr(stub, method)(request, metadata=self.metadata, timeout=30, **kw)


class Desk:
    """A workspace where agent A is Online and agent B Offline, each with a worker token."""

    def __init__(self, http: httpx.Client, server, account: dict):
        self.http, self.server, self.account = http, server, account
        self.workspace = self.ok(http.post("/taskrouter/workspaces", json={
            "enterpriseSid": account["enterpriseSid"], "name": f"desk {uuid.uuid4().hex[:8]}"}))
        self.activities = {a["name"]: a["sid"] for a in self.ok(http.get(
            "/taskrouter/activities/search", params={"workspaceSid": self.workspace["sid"]}))["result"]}
        self.queue = self.ok(http.post("/taskrouter/taskqueues", json={
            "workspaceSid": self.workspace["sid"], "name": "support"}))
        config = {"task_routing": {"filters": [], "default_filter": {"queue": self.queue["sid"]}}}
        self.workflow = self.ok(http.post("/taskrouter/workflows", json={
            "workspaceSid": self.workspace["sid"], "name": "main", "configuration": json.dumps(config)}))
        self.a = self.worker("agent a", "Online")
        self.b = self.worker("agent b", "Offline")
        self.token_a = self.token(self.a["sid"])
        self.token_b = self.token(self.b["sid"])
        self._clients: list[httpx.Client] = []

    @staticmethod
    def ok(response: httpx.Response):
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()["data"]

    def worker(self, name: str, activity: str) -> dict:
        return self.ok(self.http.post("/taskrouter/workers", json={
            "workspaceSid": self.workspace["sid"], "name": name, "activitySid": self.activities[activity],
            "attributes": json.dumps({"contact_uri": f"client:{name}"})}))

    def token(self, worker_sid: str, **body) -> str:
        return self.ok(self.http.post(f"/taskrouter/workers/{worker_sid}/tokens", json=body))["token"]

    def task(self, **attributes) -> dict:
        return self.ok(self.http.post("/taskrouter/tasks", json={
            "workflowSid": self.workflow["sid"], "attributes": json.dumps(attributes)}))

    def reservation_of(self, task_sid: str, status: str = "pending") -> dict:
        def found():
            rows = self.ok(self.http.get("/taskrouter/reservations/search", params={"taskSid": task_sid}))["result"]
            return next((r for r in rows if r["reservationStatus"] == status), None)
        return eventually(found)

    def offered(self, worker: str = "a") -> tuple[dict, dict]:
        """A new task offered to agent a (the only one Online); returns (task, reservation)."""
        task = self.task(kind="call")
        reservation = self.reservation_of(task["sid"])
        assert reservation["workerSid"] == getattr(self, worker)["sid"]
        return task, reservation

    def agent(self, token: str) -> httpx.Client:
        client = httpx.Client(base_url=self.server.http_url, headers={"Authorization": f"Bearer {token}"},
                              timeout=30)
        self._clients.append(client)
        return client

    def close(self) -> None:
        for client in self._clients:
            client.close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """Another `taskrouter serve` process over the test database (another machine, in production).
    Free ports are picked then bound by the child: another process may take one in between, so
    the start is tried again on fresh ports (unless the gRPC port is given, for a restart)."""

    def __init__(self, database_url: str, grpc_port: int | None = None, http_port: int | None = None):
        self.database_url = database_url
        for attempt in range(5):
            self.grpc_port, self.http_port = grpc_port or free_port(), http_port or free_port()
            failure = self._start()
            if failure is None:
                break
            if "Address already in use" not in failure or (grpc_port and attempt >= 2):
                raise AssertionError(failure)
            time.sleep(0.5)
        else:
            raise AssertionError(failure)
        self.grpc_target = f"127.0.0.1:{self.grpc_port}"
        self.http_url = f"http://127.0.0.1:{self.http_port}"

    def _start(self) -> str | None:
        """Starts the process; None once it listens, else what it said before it ended."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", f"127.0.0.1:{self.grpc_port}",
             "--http-addr", f"127.0.0.1:{self.http_port}", "--database", self.database_url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2):
            line = self.process.stdout.readline()
            if "listening" not in line:
                self.process.wait(15)
                return line + self.process.stdout.read()
        return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
