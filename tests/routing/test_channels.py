"""Task channels and worker channels over HTTP and gRPC, and per-channel capacity in matching:
a worker holds up to its capacity per channel (three chats and one call at once)."""

from __future__ import annotations

import time

import grpc
import pytest
from center import Center
from polling import eventually

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as ts
from taskrouter.v1 import workforce_service_pb2 as force

DEFAULTS = {"default", "voice", "chat", "sms", "video", "email"}


def test_a_new_workspace_has_the_default_channels(http, account):
    center = Center(http, account)
    listed = center.get("/taskrouter/taskchannels/search", workspaceSid=center.ws["sid"], pageSize=100)
    assert {c["uniqueName"] for c in listed["result"]} == DEFAULTS
    for channel in listed["result"]:
        assert channel["sid"].startswith("TC") and len(channel["sid"]) == 34
        assert channel["workspaceSid"] == center.ws["sid"]
        assert channel["uri"] == f"/taskrouter/taskchannels/search/{channel['sid']}"


def test_task_channel_crud_over_http(http, account):
    center = Center(http, account)
    created = center.post("/taskrouter/taskchannels", {"workspaceSid": center.ws["sid"], "name": "WhatsApp",
                                                       "uniqueName": "whatsapp"})
    assert (created["name"], created["uniqueName"]) == ("WhatsApp", "whatsapp")
    assert center.get(f"/taskrouter/taskchannels/search/{created['sid']}")["uniqueName"] == "whatsapp"
    found = center.get("/taskrouter/taskchannels/search", workspaceSid=center.ws["sid"], uniqueName="whatsapp")
    assert [c["sid"] for c in found["result"]] == [created["sid"]]
    updated = center.put(f"/taskrouter/taskchannels/{created['sid']}", {"name": "WhatsApp Business"})
    assert updated["name"] == "WhatsApp Business"
    duplicate = center.error("POST", "/taskrouter/taskchannels", {"workspaceSid": center.ws["sid"], "name": "x",
                                                                   "uniqueName": "whatsapp"}, status=409)
    assert duplicate["errorCode"] == "586" and duplicate["data"] == "whatsapp"
    missing = center.error("POST", "/taskrouter/taskchannels", {"workspaceSid": center.ws["sid"], "name": "x"})
    assert "uniqueName" in missing["message"]
    deleted = center.call("DELETE", f"/taskrouter/taskchannels/{created['sid']}")
    assert deleted["sid"] == created["sid"]
    gone = center.error("GET", f"/taskrouter/taskchannels/search/{created['sid']}", status=409)
    assert gone["errorCode"] == "580"
    assert {"task-channel.created", "task-channel.updated", "task-channel.deleted"} <= set(center.event_types())


def test_task_channel_crud_over_grpc(api):
    ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
        enterprise_sid=api.account["enterpriseSid"], name=f"grpc channels {time.time()}"))
    channel = api.configuration.CreateTaskChannel(conf.CreateTaskChannelRequest(
        workspace_sid=ws.sid, name="Fax", unique_name="fax"))
    assert api.configuration.GetTaskChannel(conf.GetTaskChannelRequest(sid=channel.sid)).unique_name == "fax"
    listed = api.configuration.ListTaskChannels(conf.ListTaskChannelsRequest(workspace_sid=ws.sid, page_size=50))
    assert {c.unique_name for c in listed.result} == DEFAULTS | {"fax"}
    renamed = api.configuration.UpdateTaskChannel(conf.UpdateTaskChannelRequest(sid=channel.sid, unique_name="telefax"))
    assert renamed.unique_name == "telefax"
    api.configuration.DeleteTaskChannel(conf.DeleteTaskChannelRequest(sid=channel.sid))
    with pytest.raises(grpc.RpcError) as caught:
        api.configuration.GetTaskChannel(conf.GetTaskChannelRequest(sid=channel.sid))
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_task_names_its_channel_by_unique_name_or_sid(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    default = center.task(flow)
    assert (default["taskChannel"], default["taskChannelUniqueName"]) == ("default", "default")
    assert default["taskChannelSid"].startswith("TC")
    chat = center.task(flow, channel="chat")
    assert chat["taskChannelUniqueName"] == "chat"
    by_sid = center.task(flow, channel=chat["taskChannelSid"])
    assert by_sid["taskChannel"] == "chat"
    unknown = center.error("POST", "/taskrouter/tasks", {"workflowSid": flow["sid"], "taskChannel": "pigeon"},
                           status=409)
    assert unknown["errorCode"] == "580" and unknown["data"] == "pigeon"
    listed = center.get("/taskrouter/tasks/search", workspaceSid=center.ws["sid"], isLiveSession="true",
                        taskChannel="chat")
    assert {t["sid"] for t in listed["result"]} == {chat["sid"], by_sid["sid"]}


def test_a_channel_in_use_by_a_live_task_cannot_be_deleted(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    task = center.task(flow, channel="sms")
    refused = center.error("DELETE", f"/taskrouter/taskchannels/{task['taskChannelSid']}", status=409)
    assert task["sid"] in refused["message"]


def test_worker_channels_come_with_workers_and_channels(http, account):
    center = Center(http, account)
    worker = center.worker("Ann")
    channels = center.worker_channels(worker)
    assert set(channels) == DEFAULTS
    for unique_name, channel in channels.items():
        assert channel["sid"].startswith("WC")
        assert channel["workerSid"] == worker["sid"]
        assert channel["taskChannelSid"].startswith("TC")
        assert (channel["configuredCapacity"], channel["assignedTasks"], channel["availableCapacityPercentage"],
                channel["available"]) == (1, 0, 100, True), unique_name
    added = center.post("/taskrouter/taskchannels", {"workspaceSid": center.ws["sid"], "name": "Social",
                                                     "uniqueName": "social"})
    assert center.worker_channels(worker)["social"]["taskChannelSid"] == added["sid"]
    center.call("DELETE", f"/taskrouter/taskchannels/{added['sid']}")
    assert "social" not in center.worker_channels(worker)


def test_worker_channel_update_and_the_workers_capacity(http, account, api):
    center = Center(http, account)
    worker = center.worker("Ann")
    chat = center.set_channel(worker, "chat", capacity=3, available=False)
    assert (chat["configuredCapacity"], chat["available"]) == (3, False)
    assert center.get(f"/taskrouter/workerchannels/search/{chat['sid']}")["configuredCapacity"] == 3
    # The worker's capacity is its default channel's, both ways.
    center.put(f"/taskrouter/workers/{worker['sid']}", {"capacity": 4})
    assert center.worker_channels(worker)["default"]["configuredCapacity"] == 4
    center.set_channel(worker, "default", capacity=2)
    assert center.get(f"/taskrouter/workers/search/{worker['sid']}")["capacity"] == 2
    bad = center.error("PUT", f"/taskrouter/workerchannels/{chat['sid']}", {"capacity": 51})
    assert "capacity" in bad["message"]
    unavailable = center.get("/taskrouter/workerchannels/search", workerSid=worker["sid"], available="false")
    assert [c["taskChannelUniqueName"] for c in unavailable["result"]] == ["chat"]
    types = center.event_types(chat["sid"])
    assert "worker.channel.capacity.update" in types and "worker.channel.availability.update" in types
    # gRPC
    listed = api.workforce.ListWorkerChannels(force.ListWorkerChannelsRequest(worker_sid=worker["sid"],
                                                                             task_channel="chat"))
    assert [c.sid for c in listed.result] == [chat["sid"]]
    updated = api.workforce.UpdateWorkerChannel(force.UpdateWorkerChannelRequest(sid=chat["sid"], available=True))
    assert updated.available and updated.configured_capacity == 3
    got = api.workforce.GetWorkerChannel(force.GetWorkerChannelRequest(sid=chat["sid"]))
    assert got.task_channel_unique_name == "chat"


def test_a_worker_holds_three_chats_and_one_call_at_once(http, account):
    center = Center(http, account, multi_task=True)
    flow = center.simple_workflow(center.queue())
    worker = center.worker("Ann")
    center.set_channel(worker, "chat", capacity=3)
    chats = [center.task(flow, channel="chat") for _ in range(4)]
    calls = [center.task(flow, channel="voice") for _ in range(2)]
    for task in chats[:3] + calls[:1]:
        center.assign(task)

    def held():
        return sorted(r["taskChannelUniqueName"] for r in center.reservations(worker=worker, status="accepted"))

    assert held() == ["chat", "chat", "chat", "voice"]
    time.sleep(0.5)  # a pass that would over-offer has had its chance
    assert not center.reservations(worker=worker, status="pending")
    assert center.task_now(chats[3])["assignmentStatus"] == "Pending"
    channels = center.worker_channels(worker)
    assert (channels["chat"]["assignedTasks"], channels["chat"]["availableCapacityPercentage"]) == (3, 0)
    assert (channels["voice"]["assignedTasks"], channels["default"]["assignedTasks"]) == (1, 0)
    # The call ends: the next call comes, not a fourth chat.
    center.set_status(calls[0], "completed")
    assert center.offer(calls[1])["workerSid"] == worker["sid"]
    assert center.task_now(chats[3])["assignmentStatus"] == "Pending"


def test_without_multitasking_one_task_in_all(http, account):
    center = Center(http, account, multi_task=False)
    flow = center.simple_workflow(center.queue())
    worker = center.worker("Ann")
    center.set_channel(worker, "chat", capacity=3)
    chat, call = center.task(flow, channel="chat"), center.task(flow, channel="voice")
    center.assign(chat)
    time.sleep(0.5)
    assert center.task_now(call)["assignmentStatus"] == "Pending"
    assert len(center.reservations(worker=worker)) == 1


def test_an_unavailable_channel_gets_no_task(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    ann, bob = center.worker("Ann"), center.worker("Bob")
    center.set_channel(ann, "chat", available=False)
    chat = center.task(flow, channel="chat")
    assert center.offer(chat)["workerSid"] == bob["sid"]
    center.set_channel(bob, "voice", available=False)
    center.set_channel(ann, "voice", available=False)
    call = center.task(flow, channel="voice")
    time.sleep(0.5)
    assert center.task_now(call)["assignmentStatus"] == "Pending"
    center.set_channel(ann, "voice", available=True)
    assert center.offer(call)["workerSid"] == ann["sid"]


def test_a_zero_capacity_channel_gets_no_task(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    ann = center.worker("Ann")
    center.set_channel(ann, "email", capacity=0)
    email = center.task(flow, channel="email")
    time.sleep(0.5)
    assert center.task_now(email)["assignmentStatus"] == "Pending"
    assert center.worker_channels(ann)["email"]["availableCapacityPercentage"] == 0
    center.set_channel(ann, "email", capacity=1)
    assert center.offer(email)["workerSid"] == ann["sid"]


def test_reservations_carry_and_filter_by_channel(http, account, api):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    center.worker("Ann")
    sms = center.task(flow, channel="sms")
    offer = center.offer(sms)
    assert offer["taskChannelUniqueName"] == "sms" and offer["taskChannelSid"] == sms["taskChannelSid"]
    assert [r["sid"] for r in center.get("/taskrouter/reservations/search", workspaceSid=center.ws["sid"],
                                         taskChannel="sms")["result"]] == [offer["sid"]]
    assert not center.get("/taskrouter/reservations/search", workspaceSid=center.ws["sid"],
                          taskChannel="voice")["result"]
    listed = api.tasks.ListReservations(ts.ListReservationsRequest(workspace_sid=center.ws["sid"], task_channel="sms"))
    assert [r.sid for r in listed.result] == [offer["sid"]]
    eventually(lambda: center.worker_channels({"sid": offer["workerSid"]})["sms"]["assignedTasks"] == 1)
