"""Fixtures for the security tests: a little routing world over HTTP (workspace, queue, worker,
workflow), a callback receiver on loopback that records what it is sent, and servers of our own
where a test needs a fresh state or other options (throttling, a callback deny-list)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from security_helpers import Receiver, World


@pytest.fixture
def world(http, account) -> World:
    return World(http, account)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


class Served:
    """A `taskrouter serve` process of a test's own."""

    def __init__(self, grpc_target: str, http_url: str):
        self.grpc_target = grpc_target
        self.http_url = http_url


@pytest.fixture
def own_server(server, database_url):
    """Starts `taskrouter serve ARGS...` (over the session's database unless told otherwise), with
    its own throttling state and options; stopped after the test."""
    children = []

    def start(*args: str, database: str = database_url, env: dict | None = None) -> Served:
        child = subprocess.Popen(
            [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", "127.0.0.1:0",
             "--http-addr", "127.0.0.1:0", "--database", database, *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        children.append(child)
        grpc_line, http_line = child.stdout.readline(), child.stdout.readline()
        assert "HTTP listening" in http_line, grpc_line + http_line + (child.stdout.read() if child.poll() else "")
        return Served("127.0.0.1:" + grpc_line.rsplit(":", 1)[1].strip(), http_line.split(" on ", 1)[1].strip())

    yield start
    for child in children:
        child.terminate()
        child.wait(timeout=15)


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "taskrouter.server.cli", *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def taskrouter_cli():
    """Runs the `taskrouter` command; returns the CompletedProcess."""
    return cli
