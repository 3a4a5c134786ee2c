"""Shared fixtures: a real taskrouter server (gRPC and the HTTP shim) on free ports, over a real
database created for the run: SQLite always, and PostgreSQL when TASKROUTER_TEST_POSTGRES_URL is
set. Every test gets its own account in its own enterprise, so tests never see each other's data."""

from __future__ import annotations

import base64
import os
import tempfile
import urllib.parse
import uuid

import grpc
import httpx
import psycopg
import pytest

from taskrouter.v1 import (
    configuration_service_pb2_grpc,
    task_service_pb2_grpc,
    workflow_service_pb2_grpc,
    workforce_service_pb2_grpc,
)

POSTGRES_URL = os.environ.get("TASKROUTER_TEST_POSTGRES_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlparse(url)
    return urllib.parse.urlunparse(parts._replace(path="/" + name))


def _admin(url: str) -> psycopg.Connection:
    parts = urllib.parse.urlparse(url)
    return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                           user=parts.username or "postgres", dbname=parts.path.lstrip("/") or "postgres",
                           autocommit=True)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request):
    """A database of our own for this run, dropped afterwards."""
    if request.param == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite:///{directory}/taskrouter.db"
        return
    name = f"taskrouter_test_{uuid.uuid4().hex[:12]}"
    with _admin(POSTGRES_URL) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        with _admin(POSTGRES_URL) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Running:
    def __init__(self, host, gateway):
        self.host = host
        self.gateway = gateway
        self.grpc_target = f"127.0.0.1:{host.port}"
        self.http_url = gateway.url


@pytest.fixture(scope="session")
def server(database_url):
    from taskrouter.server.gateway.server import HttpGateway
    from taskrouter.server.ingress import sigv4
    from taskrouter.server.server import create_server

    host = create_server("127.0.0.1:0", database_url)
    gateway = HttpGateway(f"127.0.0.1:{host.port}", "127.0.0.1", 0, channel=host.local_channel,
                          signed_schemes={sigv4.SCHEME: sigv4.forwarded_request})
    gateway.start()
    yield Running(host, gateway)
    gateway.stop()
    host.stop(grace=1)


@pytest.fixture
def account(server):
    from taskrouter.server.accounts import create_account

    return create_account(f"{uuid.uuid4().hex[:8]}@example.com")


def basic(account_sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{account_sid}:{token}".encode()).decode()


class Api:
    """The four gRPC stubs with the account's credentials on every call."""

    def __init__(self, channel: grpc.Channel, account: dict):
        self.account = account
        self.metadata = (("authorization", basic(account["accountSid"], account["authToken"])),)
        self.configuration = self._bind(configuration_service_pb2_grpc.ConfigurationServiceStub(channel))
        self.workforce = self._bind(workforce_service_pb2_grpc.WorkforceServiceStub(channel))
        self.workflow = self._bind(workflow_service_pb2_grpc.WorkflowServiceStub(channel))
        self.tasks = self._bind(task_service_pb2_grpc.TaskServiceStub(channel))

    def _bind(self, stub):
        metadata = self.metadata

        class Bound:
            def __getattr__(self, name):
                method = getattr(stub, name)
                return lambda request, **kw: method(request, metadata=metadata, timeout=kw.pop("timeout", 30), **kw)

        return Bound()


@pytest.fixture(scope="session")
def channel(server):
    with grpc.insecure_channel(server.grpc_target) as ch:
        yield ch


@pytest.fixture
def api(channel, account) -> Api:
    return Api(channel, account)


@pytest.fixture
def api_at(account):
    """Stubs for the same account against another server process at `target`."""
    channels = []

    def connect(target: str) -> Api:
        channels.append(grpc.insecure_channel(target))
        return Api(channels[-1], account)

    yield connect
    for ch in channels:
        ch.close()


@pytest.fixture
def http(server, account):
    with httpx.Client(base_url=server.http_url, auth=(account["accountSid"], account["authToken"]),
                      timeout=30) as client:
        yield client
