"""Fixtures for the gRPC resource tests: a second enterprise, and a ready workspace setup.

The shared builders and assertions are in helpers.py beside this file."""

from __future__ import annotations

import os
import sys
import uuid

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from helpers import make_queue, make_workflow, make_workspace


@pytest.fixture
def other_api(api, channel):
    """The stubs bound to an account of another enterprise (same class as `api`)."""
    from taskrouter.server.accounts import create_account

    other = create_account(f"{uuid.uuid4().hex[:8]}@other.example.com")
    assert other["enterpriseSid"] != api.account["enterpriseSid"]
    return type(api)(channel, other)


@pytest.fixture
def workspace(api):
    return make_workspace(api)


@pytest.fixture
def queue(api, workspace):
    return make_queue(api, workspace.sid)


@pytest.fixture
def workflow(api, workspace, queue):
    return make_workflow(api, workspace.sid, queue.sid)
