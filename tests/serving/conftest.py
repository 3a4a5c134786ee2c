"""Fixtures for the serving tests: `taskrouter serve` subprocesses configured by environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "services"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Node:
    """A `taskrouter serve` child process and its addresses."""

    def __init__(self, database_url: str, env: dict[str, str] | None = None, http: bool = True):
        self.grpc_target = f"127.0.0.1:{free_port()}"
        self.http_url = f"http://127.0.0.1:{free_port()}" if http else ""
        child_env = dict(os.environ, TASKROUTER_DATABASE_URL=database_url, TASKROUTER_GRPC_ADDR=self.grpc_target,
                         TASKROUTER_HTTP_ADDR=self.http_url.removeprefix("http://") or "off", **(env or {}))
        self.process = subprocess.Popen([sys.executable, "-m", "taskrouter.server.cli", "serve"], env=child_env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2 if http else 1):
            line = self.process.stdout.readline()
            assert "listening" in line, line + (self.process.stdout.read() if self.process.poll() is not None else "")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(name="free_port")
def free_port_fixture():
    """A port nobody listens on (for a child process to take)."""
    return free_port


@pytest.fixture
def start_node(server, database_url):
    """Starts `taskrouter serve` processes over the test database, configured by environment."""
    nodes = []

    def start(env: dict[str, str] | None = None, http: bool = True) -> Node:
        nodes.append(Node(database_url, env, http))
        return nodes[-1]

    yield start
    for node in nodes:
        node.stop()
