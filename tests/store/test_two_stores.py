"""Two stores in one process (db.Store): two servers, each over a database of its own, write only
their own rows, and a transaction or a group commit on one never waits for the other."""

from __future__ import annotations

import base64
import concurrent.futures
import contextlib
import json
import os
import sqlite3
import threading
import urllib.parse
import uuid

import grpc
import psycopg
import pytest
from polling import eventually

from taskrouter.server.accounts import create_account
from taskrouter.server.server import create_server
from taskrouter.server.store import db
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

POSTGRES_URL = os.environ.get("TASKROUTER_TEST_POSTGRES_URL", "")
PAIRS = [("sqlite", "sqlite")] + ([("sqlite", "postgres")] if POSTGRES_URL else [])
TASKS = 20  # created at once on each server: group commits


def _admin(statement: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(statement)


def _rows(url: str, sql: str) -> list[tuple]:
    """What the database holds, read beside the server on a connection of the test's own."""
    if url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(url[len("sqlite:///"):])) as connection:
            return connection.execute(sql).fetchall()
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


class Side:
    """One server over its own database, with an account, a workspace, a queue, an available
    worker and a workflow made through its gRPC API."""

    def __init__(self, url: str, name: str):
        self.url = url
        self.host = create_server("127.0.0.1:0", url, metrics=False)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.host.port}")
        self.account = self.host.env.store.run(create_account, f"{name}@example.com")
        token = base64.b64encode(f"{self.account['accountSid']}:{self.account['authToken']}".encode()).decode()
        self.metadata = (("authorization", f"Basic {token}"),)
        configuration = configuration_service_pb2_grpc.ConfigurationServiceStub(self.channel)
        self.tasks = task_service_pb2_grpc.TaskServiceStub(self.channel)
        self.workspace = configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
            enterprise_sid=self.account["enterpriseSid"], name=name), metadata=self.metadata)
        queue = configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
            workspace_sid=self.workspace.sid, name="line", target_workers="1==1"), metadata=self.metadata)
        activities = configuration.ListActivities(conf.ListActivitiesRequest(workspace_sid=self.workspace.sid),
                                                  metadata=self.metadata).result
        self.worker = workforce_service_pb2_grpc.WorkforceServiceStub(self.channel).CreateWorker(
            force.CreateWorkerRequest(workspace_sid=self.workspace.sid, name="agent", attributes=json.dumps({"contact_uri": "client:agent"}),
                                      activity_sid=next(a.sid for a in activities if a.name == "Online")),
            metadata=self.metadata)
        routing = {"filters": [{"expression": "1==1", "targets": [{"queue": queue.sid}]}], "default_filter": {"queue": queue.sid}}
        self.workflow = workflow_service_pb2_grpc.WorkflowServiceStub(self.channel).CreateWorkflow(
            flows.CreateWorkflowRequest(workspace_sid=self.workspace.sid, name="flow",
                                        configuration=json.dumps({"task_routing": routing})),
            metadata=self.metadata)

    def create_task(self, timeout: float = 10) -> tasks.Task:
        return self.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=self.workflow.sid, attributes="{}"),
                                     metadata=self.metadata, timeout=timeout)

    def close(self) -> None:
        self.channel.close()
        self.host.stop(grace=1)


@pytest.fixture(params=PAIRS, ids="-".join)
def sides(request, tmp_path):
    with contextlib.ExitStack() as stack:
        made = []
        for number, backend in enumerate(request.param):
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path}/store{number}.db"
            else:
                name = f"taskrouter_stores_{uuid.uuid4().hex[:12]}"
                _admin(f'CREATE DATABASE "{name}"')
                stack.callback(_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                url = urllib.parse.urlunparse(urllib.parse.urlparse(POSTGRES_URL)._replace(path="/" + name))
            side = Side(url, f"side{number}")
            stack.callback(side.close)
            made.append(side)
        yield made


def test_each_server_writes_only_its_own_database(sides):
    first, second = sides
    assert first.host.env.store is not second.host.env.store
    with concurrent.futures.ThreadPoolExecutor(2 * TASKS) as pool:
        created = list(pool.map(lambda side: side.create_task().sid, [first, second] * TASKS))
    assert len(set(created)) == 2 * TASKS
    for side, other in ((first, second), (second, first)):
        assert _rows(side.url, "SELECT DISTINCT workspace_sid FROM task") == [(side.workspace.sid,)]
        assert _rows(side.url, "SELECT COUNT(*) FROM task") == [(TASKS,)]
        accounts = {sid for (sid,) in _rows(side.url, "SELECT sid FROM account")}
        assert accounts == {side.account["accountSid"]}, other.account["accountSid"]
        assert {sid for (sid,) in _rows(side.url, "SELECT workspace_sid FROM event")} == {side.workspace.sid}
    for side in (first, second):  # each server's dispatcher matches in its own database
        reserved = eventually(lambda side=side: _rows(side.url, "SELECT worker_sid, task_sid FROM reservation"))
        assert [worker for worker, _ in reserved] == [side.worker.sid]
        assert reserved[0][1] in created


def test_a_transaction_held_on_one_store_does_not_hold_the_other(sides):
    first, second = sides
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with db.write_transaction():
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=first.host.env.store.run, args=(hold,))
    holder.start()
    try:
        assert holding.wait(10)
        second.create_task(timeout=5)
        with pytest.raises(grpc.RpcError) as waited:
            first.create_task(timeout=1)  # SQLite's one writer is held: the call waits for it
        assert waited.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED
    finally:
        release.set()
        holder.join(10)
    eventually(lambda: _rows(first.url, "SELECT COUNT(*) FROM task") == [(1,)])
    assert _rows(second.url, "SELECT DISTINCT workspace_sid FROM task") == [(second.workspace.sid,)]
