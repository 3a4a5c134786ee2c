"""What the fault tests break and restart: a throwaway PostgreSQL instance of their own (so it can
be stopped and restarted), `taskrouter serve` child processes (so they can be killed with -9), and
gRPC stubs for an account of a child's database."""

from __future__ import annotations

import base64
import collections
import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import grpc

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import (
    configuration_service_pb2_grpc,
    task_service_pb2_grpc,
    workflow_service_pb2_grpc,
    workforce_service_pb2_grpc,
)
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force

CLI = [sys.executable, "-m", "taskrouter.server.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl, from PATH or the Debian layout; None when PostgreSQL is not installed."""
    found = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(found):
        return found  # type: ignore[return-value]
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists():
            return str(directory / "initdb"), str(directory / "pg_ctl")
    return None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory on a free port, trust authentication. PostgreSQL
    refuses to run as root: as root, it runs as `nobody`."""

    def __init__(self) -> None:
        binaries = postgres_binaries()
        assert binaries is not None
        self.initdb, self.pg_ctl = binaries
        self.directory = tempfile.mkdtemp(prefix="taskrouter-pg-")
        self.data = os.path.join(self.directory, "data")
        self.port = free_port()
        self.user = "nobody" if os.geteuid() == 0 else None
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)
        self._run([self.initdb, "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
        self.start()

    def _run(self, command: list[str], timeout: float = 60) -> None:
        user = None
        if self.user and shutil.which("runuser"):  # not subprocess's user=: setuid after forking a threaded
            command = ["runuser", "-u", self.user, "--", *command]  # process crashed the child now and then
        else:
            user = self.user
        result = subprocess.run(command, user=user, cwd=self.directory, capture_output=True, text=True,
                                timeout=timeout)
        log = Path(self.directory, "log")
        assert result.returncode == 0, (f"{command} failed ({result.returncode}): {result.stdout}{result.stderr}"
                                        f"{log.read_text()[-2000:] if log.exists() else ''}")

    def _ctl(self, action: str) -> None:
        options = (f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c max_connections=200")
        self._run([self.pg_ctl, "-D", self.data, "-l", os.path.join(self.directory, "log"), "-o", options, "-w",
                   "-m", "fast", action])

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop")

    def restart(self) -> None:
        self._ctl("restart")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def destroy(self) -> None:
        with contextlib.suppress(AssertionError, subprocess.SubprocessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


class ServerProcess:
    """`taskrouter serve` in a child process on free ports; its log (stderr) goes to a file."""

    def __init__(self, database_url: str, directory: str, http: bool = False, extra: list[str] | None = None,
                 env: dict[str, str] | None = None):
        self.log_path = os.path.join(directory, f"serve-{time.monotonic_ns()}.log")
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        command = [*CLI, "serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0" if http else "off",
                   "--database", database_url, *(extra or [])]
        self.child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._log, text=True,
                                      env={**os.environ, **(env or {})})
        self.grpc_target = self.http_url = ""
        deadline = time.monotonic() + 60
        while not self.grpc_target or (http and not self.http_url):
            line = self.child.stdout.readline()
            if not line:
                raise AssertionError(f"serve exited: {self.log()}")
            if found := re.search(r"gRPC listening on (\S+)", line):
                self.grpc_target = found.group(1)
            if found := re.search(r"HTTP listening on (\S+)", line):
                self.http_url = found.group(1)
            assert time.monotonic() < deadline, "serve did not start within 60 s"
        threading.Thread(target=self.child.stdout.read, daemon=True).start()  # drain

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return Path(self.log_path).read_text()

    def kill9(self) -> None:
        self.child.send_signal(signal.SIGKILL)
        self.child.wait(timeout=30)
        self._log.close()

    def stop(self) -> None:
        if self.child.poll() is None:
            self.child.terminate()
            try:
                self.child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait(timeout=30)
        if not self._log.closed:
            self._log.close()


def create_account(database_url: str) -> dict:
    result = subprocess.run([*CLI, "accounts", "create", "--email", "faults@example.com", "--database", database_url],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class Stubs:
    """The four services' stubs for `account` on `channel`, credentials and a deadline on every call."""

    def __init__(self, channel: grpc.Channel, account: dict, timeout: float = 10):
        token = base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()
        self.metadata = (("authorization", "Basic " + token),)
        self.timeout = timeout
        self.configuration = self._bind(configuration_service_pb2_grpc.ConfigurationServiceStub(channel))
        self.workforce = self._bind(workforce_service_pb2_grpc.WorkforceServiceStub(channel))
        self.workflow = self._bind(workflow_service_pb2_grpc.WorkflowServiceStub(channel))
        self.tasks = self._bind(task_service_pb2_grpc.TaskServiceStub(channel))

    def _bind(self, stub):
        metadata, timeout = self.metadata, self.timeout

        class Bound:
            def __getattr__(self, name):
                method = getattr(stub, name)
                return lambda request, **kw: method(request, metadata=metadata, timeout=kw.pop("timeout", timeout),
                                                    **kw)

        return Bound()


def stored_task_sids(api: Stubs, workspace_sid: str) -> set[str]:
    """Every task of the workspace, in flight or finished."""
    found: set[str] = set()
    for live in (True, False):
        page = 0
        while True:
            listed = api.tasks.ListTasks(tasks.ListTasksRequest(workspace_sid=workspace_sid, is_live_session=live,
                                                                page=page, page_size=1000))
            found.update(task.sid for task in listed.result)
            if not listed.HasField("next_page_uri"):
                break
            page += 1
    return found


def routed_workspace(api: Stubs, account: dict, *, workers: int = 0, reservation_timeout: int = 120,
                     target_workers: str = "1==1"):
    """A workspace with one queue (of the workers `target_workers` selects), a workflow into it, and
    `workers` online workers: (workspace, workflow, workers)."""
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=account["enterpriseSid"], name="Faults"))
    online = next(a.sid for a in api.configuration.ListActivities(
        conf.ListActivitiesRequest(workspace_sid=ws.sid)).result if a.name == "Online")
    queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
        workspace_sid=ws.sid, name="Queue", target_workers=target_workers))
    flow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
        workspace_sid=ws.sid, name="Flow", task_reservation_timeout=reservation_timeout,
        configuration=json.dumps({"task_routing": {"default_filter": {"queue": queue.sid}}})))
    agents = [api.workforce.CreateWorker(force.CreateWorkerRequest(
        workspace_sid=ws.sid, name=f"Agent {i}", activity_sid=online, attributes=json.dumps({"contact_uri": f"a{i}"})))
        for i in range(workers)]
    return ws, flow, agents


ACTIVE = ("pending", "accepted")


def consistent_reservations(api: Stubs, ws_sid: str) -> dict[str, list]:
    """A workspace's reservations by status, after checking that no worker holds more than one active reservation
    (capacity 1), no task has two, and every assigned task has exactly one accepted reservation."""
    listed = api.tasks.ListReservations(tasks.ListReservationsRequest(workspace_sid=ws_sid, page_size=1000)).result
    by_status = collections.defaultdict(list)
    for reservation in listed:
        by_status[reservation.reservation_status.lower()].append(reservation)
    active = [r for r in listed if r.reservation_status.lower() in ACTIVE]
    for key in ("worker_sid", "task_sid"):
        held = collections.Counter(getattr(r, key) for r in active)
        assert all(n == 1 for n in held.values()), (key, held)
    for task_sid in {r.task_sid for r in listed}:
        task = api.tasks.GetTask(tasks.GetTaskRequest(sid=task_sid))
        accepted = [r for r in by_status["accepted"] if r.task_sid == task_sid]
        assert (task.assignment_status.lower() == "assigned") == (len(accepted) == 1), (task, accepted)
    return by_status
