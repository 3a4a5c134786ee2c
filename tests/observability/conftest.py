"""What the observability tests share: scraping /metrics into numbers, a small routing setup over
gRPC, and `taskrouter serve` as a real subprocess whose output the test reads."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a /metrics page: (sample name, its labels) -> value."""
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


class Routing:
    """A workspace with one queue, one workflow (optionally with an assignment callback) and
    `workers` Online workers, built over gRPC with the `api` stubs."""

    def __init__(self, api, workers: int = 1, **workflow_options):
        self.api = api
        self.ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
            enterprise_sid=api.account["enterpriseSid"], name=f"obs {uuid.uuid4().hex[:8]}"))
        listed = api.configuration.ListActivities(conf.ListActivitiesRequest(workspace_sid=self.ws.sid)).result
        self.online = next(a.sid for a in listed if a.name == "Online")
        self.queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
            workspace_sid=self.ws.sid, name="Q", target_workers="1==1"))
        self.workers = [api.workforce.CreateWorker(force.CreateWorkerRequest(
            workspace_sid=self.ws.sid, name=f"W{i}", activity_sid=self.online,
            attributes=json.dumps({"contact_uri": f"client:w{i}"}))) for i in range(workers)]
        self.workflow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
            workspace_sid=self.ws.sid, name="Flow",
            configuration=json.dumps({"task_routing": {"default_filter": {"queue": self.queue.sid}}}),
            **workflow_options))

    def task(self, **attributes):
        return self.api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=self.workflow.sid,
                                                                 attributes=json.dumps(attributes)))

    def reservations(self, status: str = "") -> list:
        return list(self.api.tasks.ListReservations(tasks.ListReservationsRequest(
            workspace_sid=self.ws.sid, reservation_status=status, page_size=100)).result)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """`taskrouter serve ...` in a subprocess: its stdout lines (addresses, the account) and its
    stderr (the log) in a file."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.log_path = Path(tempfile.mkstemp(prefix="taskrouter-log-", suffix=".txt")[1])
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "taskrouter.server.cli", "serve", *args],
                                     stdout=subprocess.PIPE, stderr=self._log, text=True,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        self.lines: list[str] = []
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    def expect(self, pattern: str, count: int = 1, timeout: float = 60.0) -> list[re.Match]:
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                found = [m for m in (re.search(pattern, line) for line in self.lines) if m]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                assert remaining > 0 and self.proc.poll() is None, (
                    f"no {pattern!r} in the output:\n" + "\n".join(self.lines) + "\n" + self.log())
                self._seen.wait(min(remaining, 0.5))

    def account(self) -> dict:
        return json.loads(self.expect(r"^\{.*\"authToken\".*\}$")[0].group(0))

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if not self._log.closed:
            self._log.close()


@pytest.fixture
def serve():
    """Starts `taskrouter serve` subprocesses; stops them after the test."""
    started: list[Served] = []

    def start(*args: str, env: dict | None = None) -> Served:
        started.append(Served(list(args), env))
        return started[-1]

    yield start
    for served in started:
        served.stop()
        served.log_path.unlink(missing_ok=True)
