"""Fixtures for the client tests; what they build on is in desks.py beside this file."""

from __future__ import annotations

import os
import sys
import uuid

import httpx
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from desks import Desk, Node


@pytest.fixture
def desk(server, http, account):
    made = Desk(http, server, account)
    yield made
    made.close()


@pytest.fixture
def other_http(server):
    """An HTTP client of an account of another enterprise."""
    from taskrouter.server.accounts import create_account

    other = create_account(f"{uuid.uuid4().hex[:8]}@other.example.com")
    with httpx.Client(base_url=server.http_url, auth=(other["accountSid"], other["authToken"]), timeout=30) as c:
        yield c


@pytest.fixture
def node_b(server, database_url):
    """A second `taskrouter serve` process over the test database."""
    node = Node(database_url)
    yield node
    node.stop()


@pytest.fixture
def nodes(server, database_url):
    """Starts server processes over the test database (on a given gRPC port, to restart one); stops
    them all afterwards."""
    started: list[Node] = []

    def start(grpc_port: int | None = None) -> Node:
        started.append(Node(database_url, grpc_port))
        return started[-1]

    yield start
    for node in started:
        node.stop()
