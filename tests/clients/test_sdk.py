"""The Python SDK against a live server: methods generated per RPC, iterator twins, errors,
worker tokens, asyncio, retries and stream resumption across a server restart."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid

import grpc
import pytest
from polling import eventually

from taskrouter.client import AsyncClient, Client, RetryPolicy, TaskRouterError
from taskrouter.client.rpcs import RPCS
from taskrouter.v1 import configuration_service_pb2, resources_pb2, task_service_pb2, workforce_service_pb2

FAST = RetryPolicy(attempts=40, initial_backoff=0.05, max_backoff=0.3)


@pytest.fixture
def client(server, account):
    with Client(server.grpc_target, account_sid=account["accountSid"], auth_token=account["authToken"]) as made:
        yield made


def setup_desk(client: Client, enterprise_sid: str) -> dict:
    workspace = client.create_workspace(enterprise_sid=enterprise_sid, name=f"sdk {uuid.uuid4().hex[:8]}")
    activities = {a.name: a.sid for a in client.iter_activities(workspace_sid=workspace.sid)}
    queue = client.create_task_queue(workspace_sid=workspace.sid, name="support")
    workflow = client.create_workflow(
        workspace_sid=workspace.sid, name="main",
        configuration={"task_routing": {"filters": [], "default_filter": {"queue": queue.sid}}})
    return {"workspace": workspace, "activities": activities, "queue": queue, "workflow": workflow}


def test_every_rpc_is_a_method_with_its_request_fields(client):
    services = [configuration_service_pb2.DESCRIPTOR.services_by_name["ConfigurationService"],
                workforce_service_pb2.DESCRIPTOR.services_by_name["WorkforceService"],
                task_service_pb2.DESCRIPTOR.services_by_name["TaskService"]]
    names = {m.name for s in services for m in s.methods}
    assert {rpc.method.name for rpc in RPCS.values()} >= names
    for name in ("create_workspace", "list_task_queues", "iter_task_queues", "iter_workspaces", "watch_events",
                 "watch_worker", "create_worker_token", "update_reservation", "create_workflow", "iter_events"):
        assert callable(getattr(client, name)), name
        assert getattr(AsyncClient, name).__doc__
    assert "enterprise_sid" in Client.create_workspace.__doc__
    with pytest.raises(TypeError, match="unexpected keyword argument 'nam'"):
        client.create_workspace(enterprise_sid="EN", nam="typo")


def test_create_get_update_and_iterate_all_pages(client, account):
    desk = setup_desk(client, account["enterpriseSid"])
    workspace = desk["workspace"]
    assert isinstance(workspace, resources_pb2.Workspace) and workspace.sid.startswith("WS")
    assert client.get_workspace(sid=workspace.sid).name == workspace.name
    for i in range(23):
        client.create_worker(workspace_sid=workspace.sid, name=f"agent {i:02}",
                             attributes={"contact_uri": f"client:{i}", "skills": ["en"]})
    first = client.list_workers(workspace_sid=workspace.sid, page_size=5)
    assert len(first.result) == 5 and first.total == 23
    walked = list(client.iter_workers(workspace_sid=workspace.sid, page_size=5))
    assert sorted(w.name for w in walked) == [f"agent {i:02}" for i in range(23)]
    assert len({w.sid for w in walked}) == 23
    renamed = client.update_workspace(sid=workspace.sid, name=workspace.name + " (renamed)")
    assert renamed.name.endswith("(renamed)")


def test_errors_carry_error_code_and_message(client, account):
    with pytest.raises(TaskRouterError) as caught:
        client.get_worker(sid="WK" + "0" * 32)
    error = caught.value
    assert error.error_code == "530" and error.message == "Sid of passed worker is not found"
    assert error.reason == "WORKER_NOT_FOUND" and error.data == "WK" + "0" * 32
    assert error.status == grpc.StatusCode.NOT_FOUND
    with pytest.raises(TaskRouterError) as caught:
        client.create_workspace(enterprise_sid=account["enterpriseSid"], name="")
    assert (caught.value.error_code, caught.value.data) == ("400", "name")


def test_worker_token_client(client, server, account):
    desk = setup_desk(client, account["enterpriseSid"])
    worker = client.create_worker(workspace_sid=desk["workspace"].sid, name="agent",
                                  attributes={"contact_uri": "client:agent"})
    token = client.create_worker_token(sid=worker.sid, ttl=600)
    assert token.worker_sid == worker.sid
    with Client(server.grpc_target, worker_token=token.token) as agent:
        moved = agent.update_worker(sid=worker.sid, activity_sid=desk["activities"]["Online"])
        assert moved.available
        with pytest.raises(TaskRouterError) as caught:
            agent.list_workspaces()
        assert caught.value.error_code == "403" and caught.value.status == grpc.StatusCode.PERMISSION_DENIED


def test_credentials_are_one_kind_or_the_other(server):
    with pytest.raises(ValueError):
        Client(server.grpc_target, account_sid="AC1", auth_token="x", worker_token="wt_y")
    with pytest.raises(ValueError):
        Client(server.grpc_target, account_sid="AC1")


def test_async_client(server, account):
    async def scenario():
        async with AsyncClient(server.grpc_target, account_sid=account["accountSid"],
                               auth_token=account["authToken"]) as aclient:
            workspace = await aclient.create_workspace(enterprise_sid=account["enterpriseSid"],
                                                       name=f"async {uuid.uuid4().hex[:8]}")
            names = [a.name async for a in aclient.iter_activities(workspace_sid=workspace.sid, page_size=1)]
            with pytest.raises(TaskRouterError) as caught:
                await aclient.get_task(sid="TK" + "0" * 32)
            events = aclient.watch_events(workspace_sid=workspace.sid)
            reader = asyncio.ensure_future(events.__anext__())
            await asyncio.sleep(0.3)
            queue = await aclient.create_task_queue(workspace_sid=workspace.sid, name="q")
            workflow = await aclient.create_workflow(workspace_sid=workspace.sid, name="wf", configuration={
                "task_routing": {"default_filter": {"queue": queue.sid}}})
            await aclient.create_task(workflow_sid=workflow.sid, attributes={"kind": "chat"})
            first = await asyncio.wait_for(reader, 15)
            await events.aclose()
            return sorted(names), caught.value.error_code, first.event_type

    names, code, event_type = asyncio.run(scenario())
    assert names == ["Offline", "Online"] and code == "560" and event_type == "task.created"


def test_idempotent_call_retries_until_the_server_is_up(nodes, account):
    from desks import free_port

    port = free_port()
    starter = threading.Timer(0.5, nodes, args=(port,))
    starter.start()
    with Client(f"127.0.0.1:{port}", account_sid=account["accountSid"], auth_token=account["authToken"],
                retry=FAST) as late:
        started = time.monotonic()
        assert late.list_workspaces().page == 0  # UNAVAILABLE until the node listens
        assert time.monotonic() - started >= 0.4
    starter.join()


def test_non_idempotent_call_is_not_retried(account):
    from desks import free_port

    with Client(f"127.0.0.1:{free_port()}", account_sid=account["accountSid"], auth_token=account["authToken"],
                retry=FAST) as nowhere:
        with pytest.raises(TaskRouterError) as caught:
            nowhere.create_workspace(enterprise_sid=account["enterpriseSid"], name="never")
        assert caught.value.status == grpc.StatusCode.UNAVAILABLE and caught.value.error_code == "503"


def test_watch_events_resumes_after_a_server_restart(client, nodes, account):
    desk = setup_desk(client, account["enterpriseSid"])
    node = nodes()
    seen: list = []
    with Client(node.grpc_target, account_sid=account["accountSid"], auth_token=account["authToken"],
                retry=FAST) as watcher:
        stream = watcher.watch_events(workspace_sid=desk["workspace"].sid, event_type="task.created")

        def follow():
            for event in stream:
                seen.append(event)
                if len(seen) == 4:
                    return

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        assert stream.connected.wait(15)  # connected, nothing seen yet
        client.create_task(workflow_sid=desk["workflow"].sid, attributes={"n": 1})
        eventually(lambda: len(seen) == 1, timeout=15)
        node.stop()
        for n in (2, 3):  # written through the other server while this one is down
            client.create_task(workflow_sid=desk["workflow"].sid, attributes={"n": n})
        nodes(node.grpc_port)
        client.create_task(workflow_sid=desk["workflow"].sid, attributes={"n": 4})
        reader.join(30)
    assert [json.loads(client.get_task(sid=e.resource_sid).attributes)["n"] for e in seen] == [1, 2, 3, 4]
    assert len({e.id for e in seen}) == 4


def test_watch_worker_resumes_from_the_start_position_when_nothing_was_seen(client, nodes, account):
    desk = setup_desk(client, account["enterpriseSid"])
    worker = client.create_worker(workspace_sid=desk["workspace"].sid, name="agent",
                                  attributes={"contact_uri": "client:agent"})
    node = nodes()
    token = client.create_worker_token(sid=worker.sid).token
    seen: list = []
    with Client(node.grpc_target, worker_token=token, retry=FAST) as agent:
        stream = agent.watch_worker(sid=worker.sid)

        def follow():
            for event in stream:
                seen.append(event.event_type)
                return

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        assert stream.connected.wait(15)
        node.stop()
        client.update_worker(sid=worker.sid, activity_sid=desk["activities"]["Online"])  # while it is down
        nodes(node.grpc_port)
        reader.join(30)
    assert seen == ["worker.activity.update"]


def test_type_stubs_match_the_protos(tmp_path):
    """sdk/*.pyi are what `make proto` writes from today's protos (CI's staleness check for them)."""
    import pathlib

    from taskrouter.client import stubgen

    stubgen.main(str(tmp_path))
    sdk = pathlib.Path(stubgen.__file__).parent
    for name in ("client.pyi", "aio.pyi"):
        assert (tmp_path / name).read_text() == (sdk / name).read_text(), f"{name} is stale: run make proto"
    assert (sdk / "py.typed").exists()
