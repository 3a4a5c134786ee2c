"""A bug answers INTERNAL with an ErrorInfo and a request id, logged once; the body never carries
the exception's text (issue 10). The bug here is real: a workspace row whose creation time no
clock can format, written behind the API's back."""

from __future__ import annotations

import logging

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from world import World

from taskrouter.v1 import configuration_service_pb2 as conf


@pytest.fixture
def broken_workspace(api):
    from taskrouter.server.store import models

    world = World(api, "Broken")
    models.Workspace.update(created_at=float("inf")).where(models.Workspace.sid == world.ws.sid).execute()
    return world.ws.sid


def test_an_unexpected_exception_is_internal_with_a_request_id(api, broken_workspace, caplog):
    caplog.set_level(logging.ERROR)
    with pytest.raises(grpc.RpcError) as caught:
        api.configuration.GetWorkspace(conf.GetWorkspaceRequest(sid=broken_workspace))
    error = caught.value
    assert error.code() == grpc.StatusCode.INTERNAL
    status = rpc_status.from_call(error)
    info = error_details_pb2.ErrorInfo()
    assert status.details[0].Unpack(info)
    assert (info.reason, info.domain, info.metadata["errorCode"]) == ("INTERNAL", "taskrouter", "500")
    request_id = info.metadata["data"]
    assert request_id and request_id in error.details()
    assert "timestamp" not in error.details() and "Overflow" not in error.details()
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert len(logged) == 1 and logged[0].exc_info is not None


def test_over_http_it_is_a_500_in_the_seed_envelope(http, broken_workspace):
    response = http.get(f"/taskrouter/workspaces/search/{broken_workspace}")
    assert response.status_code == 500
    body = response.json()
    assert {"errorCode", "message", "data"} <= set(body) and body["errorCode"] == "500"
    assert body["data"] and body["data"] in body["message"]
    assert "timestamp" not in response.text and "Overflow" not in response.text
