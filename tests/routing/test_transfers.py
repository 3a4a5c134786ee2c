"""Transfers: cold (the first worker lets go at once) and warm (the first worker keeps the task
until the target accepts), to a worker or to a queue; failures, cancels, events; HTTP and gRPC."""

from __future__ import annotations

import time

import grpc
import pytest
from center import Center
from polling import eventually

from taskrouter.v1 import task_service_pb2 as ts


def _assigned_to_ann(http, account, multi_task=False, **workflow_fields):
    """A center whose workers are Ann (holding `task`), Bob and Cid, all online."""
    center = Center(http, account, multi_task=multi_task)
    queue = center.queue()
    flow = center.simple_workflow(queue, **workflow_fields)
    ann = center.worker("Ann")
    task = center.task(flow)
    held = center.assign(task)
    assert held["workerSid"] == ann["sid"]
    bob, cid = center.worker("Bob"), center.worker("Cid")
    return center, queue, flow, task, held, (ann, bob, cid)


def _transfer(center, task, to, mode):
    return center.post("/taskrouter/transfers", {"taskSid": task["sid"], "to": to, "mode": mode})


def _transfer_now(center, transfer):
    return center.get(f"/taskrouter/transfers/search/{transfer['sid']}")


def test_cold_transfer_to_a_worker(http, account):
    center, _, flow, task, held, (ann, bob, cid) = _assigned_to_ann(http, account)
    transfer = _transfer(center, task, cid["sid"], "cold")  # Bob is idle longer: only Cid may get it
    assert transfer["sid"].startswith("TT") and transfer["transferStatus"] == "initiated"
    assert (transfer["from"], transfer["to"], transfer["mode"], transfer["taskSid"]) == (
        ann["sid"], cid["sid"], "cold", task["sid"])
    # Ann's reservation completes at once and frees her: her next task comes while Bob is offered this one.
    assert center.get(f"/taskrouter/reservations/search/{held['sid']}")["reservationStatus"] == "completed"
    offer = center.offer(task)
    assert offer["workerSid"] == cid["sid"] and offer["transferSid"] == transfer["sid"]
    next_task = center.task(flow)
    assert center.offer(next_task)["workerSid"] in (ann["sid"], bob["sid"])
    center.respond(offer, "accepted")
    now = center.task_now(task)
    assert (now["assignmentStatus"], now["workerSid"]) == ("Assigned", cid["sid"])
    done = _transfer_now(center, transfer)
    assert done["transferStatus"] == "completed" and done["reservationSid"] == offer["sid"]
    types = center.event_types(task["sid"])
    assert types.index("task.transfer-initiated") < types.index("task.transfer-completed")


def test_cold_transfer_to_a_worker_who_rejects_fails_and_the_workflow_routes_again(http, account):
    center, _, _, task, _, (ann, bob, cid) = _assigned_to_ann(http, account)
    transfer = _transfer(center, task, bob["sid"], "cold")
    center.respond(center.offer(task), "rejected")
    failed = _transfer_now(center, transfer)
    assert failed["transferStatus"] == "failed" and "rejected" in failed["reason"]
    assert center.offer(task)["workerSid"] in (ann["sid"], cid["sid"])
    assert "task.transfer-failed" in center.event_types(task["sid"])


def test_cold_transfer_to_a_queue(http, account):
    center, _, _, task, _, _ = _assigned_to_ann(http, account)
    specialists = center.queue("Specialists", "team == 'b'")
    dan = center.worker("Dan", team="b")
    transfer = _transfer(center, task, specialists["sid"], "cold")
    pending = center.task_now(task)
    assert (pending["assignmentStatus"], pending["taskQueueSid"]) in (
        ("Pending", specialists["sid"]), ("Reserved", specialists["sid"]))
    offer = center.offer(task)
    assert offer["workerSid"] == dan["sid"] and offer["taskQueueSid"] == specialists["sid"]
    center.respond(offer, "accepted")
    assert _transfer_now(center, transfer)["transferStatus"] == "completed"
    assert center.task_now(task)["workerSid"] == dan["sid"]


def test_warm_transfer_to_a_worker(http, account):
    center, _, _, task, held, (ann, bob, _) = _assigned_to_ann(http, account)
    transfer = _transfer(center, task, bob["sid"], "warm")
    offer = center.offer(task)
    assert offer["workerSid"] == bob["sid"] and offer["transferSid"] == transfer["sid"]
    during = center.task_now(task)
    assert (during["assignmentStatus"], during["workerSid"]) == ("Assigned", ann["sid"])
    assert center.get(f"/taskrouter/reservations/search/{held['sid']}")["reservationStatus"] == "accepted"
    center.respond(offer, "accepted")
    after = center.task_now(task)
    assert (after["assignmentStatus"], after["workerSid"]) == ("Assigned", bob["sid"])
    assert center.get(f"/taskrouter/reservations/search/{held['sid']}")["reservationStatus"] == "completed"
    assert _transfer_now(center, transfer)["transferStatus"] == "completed"


def test_warm_transfer_rejected_fails_and_the_task_stays(http, account):
    center, _, _, task, held, (ann, bob, cid) = _assigned_to_ann(http, account)
    transfer = _transfer(center, task, bob["sid"], "warm")
    center.respond(center.offer(task), "rejected")
    assert _transfer_now(center, transfer)["transferStatus"] == "failed"
    after = center.task_now(task)
    assert (after["assignmentStatus"], after["workerSid"]) == ("Assigned", ann["sid"])
    assert center.get(f"/taskrouter/reservations/search/{held['sid']}")["reservationStatus"] == "accepted"
    assert "task.transfer-failed" in center.event_types(task["sid"])
    # A new transfer may start once the last one has ended.
    assert _transfer(center, task, cid["sid"], "warm")["transferStatus"] == "initiated"


def test_warm_transfer_timed_out_fails(http, account):
    center, _, _, task, _, (ann, bob, _) = _assigned_to_ann(http, account, taskReservationTimeout=1)
    transfer = _transfer(center, task, bob["sid"], "warm")
    center.offer(task)
    eventually(lambda: _transfer_now(center, transfer)["transferStatus"] == "failed")
    assert center.task_now(task)["workerSid"] == ann["sid"]


def test_warm_transfer_to_a_queue_waits_for_room(http, account):
    center, _, _, task, _, _ = _assigned_to_ann(http, account)
    experts = center.queue("Experts", "team == 'x'")
    eve = center.worker("Eve", online=False, team="x")
    transfer = _transfer(center, task, experts["sid"], "warm")
    time.sleep(0.5)
    assert not center.reservations(task=task, status="pending")
    center.put(f"/taskrouter/workers/{eve['sid']}", {"activitySid": center.online})
    offer = center.offer(task)
    assert offer["workerSid"] == eve["sid"] and offer["taskQueueSid"] == experts["sid"]
    center.respond(offer, "accepted")
    after = center.task_now(task)
    assert (after["workerSid"], after["taskQueueSid"]) == (eve["sid"], experts["sid"])
    assert _transfer_now(center, transfer)["transferStatus"] == "completed"


def test_canceling_a_warm_transfer_and_completing_during_one(http, account):
    center, _, _, task, _, (ann, bob, cid) = _assigned_to_ann(http, account)
    transfer = _transfer(center, task, bob["sid"], "warm")
    offer = center.offer(task)
    canceled = center.put(f"/taskrouter/transfers/{transfer['sid']}", {"transferStatus": "canceled"})
    assert canceled["transferStatus"] == "canceled"
    assert center.get(f"/taskrouter/reservations/search/{offer['sid']}")["reservationStatus"] == "canceled"
    assert center.task_now(task)["workerSid"] == ann["sid"]
    again = center.error("PUT", f"/taskrouter/transfers/{transfer['sid']}", {"transferStatus": "canceled"}, status=409)
    assert "initiated" in again["message"]
    second = _transfer(center, task, cid["sid"], "warm")
    center.offer(task)
    center.set_status(task, "completed")
    assert _transfer_now(center, second)["transferStatus"] == "canceled"
    assert "task.transfer-canceled" in center.event_types(task["sid"])


def test_transfer_requests_are_checked(http, account):
    center, _, flow, task, _, (ann, bob, cid) = _assigned_to_ann(http, account)
    pending = center.task(flow)  # nobody free: pending
    path = "/taskrouter/transfers"
    refused = center.error("POST", path, {"taskSid": pending["sid"], "to": bob["sid"]}, status=409)
    assert "assigned" in refused["message"]
    assert "to" in center.error("POST", path, {"taskSid": task["sid"]})["message"]
    assert "mode" in center.error("POST", path, {"taskSid": task["sid"], "to": bob["sid"], "mode": "hot"})["message"]
    assert "to" in center.error("POST", path, {"taskSid": task["sid"], "to": "AT" + "0" * 32})["data"]
    assert center.error("POST", path, {"taskSid": task["sid"], "to": "WK" + "0" * 32}, status=409)["errorCode"] == "530"
    assert center.error("POST", path, {"taskSid": task["sid"], "to": ann["sid"]})["data"] == "to"
    assert center.error("POST", path, {"taskSid": "TK" + "0" * 32, "to": bob["sid"]}, status=409)["errorCode"] == "560"
    first = _transfer(center, task, bob["sid"], "warm")
    busy = center.error("POST", path, {"taskSid": task["sid"], "to": cid["sid"]}, status=409)
    assert first["sid"] in busy["message"]
    listed = center.get("/taskrouter/transfers/search", taskSid=task["sid"])
    assert [t["sid"] for t in listed["result"]] == [first["sid"]]
    assert center.get("/taskrouter/transfers/search", taskSid=task["sid"], transferStatus="failed")["result"] == []
    assert center.error("GET", "/taskrouter/transfers/search/TT" + "0" * 32, status=409)["errorCode"] == "595"


def test_transfers_over_grpc(http, account, api):
    _, _, _, task, _, (ann, bob, _) = _assigned_to_ann(http, account)
    transfer = api.tasks.CreateTransfer(ts.CreateTransferRequest(task_sid=task["sid"], to=bob["sid"], mode="warm"))
    assert transfer.transfer_status == "initiated" and transfer.from_worker_sid == ann["sid"]
    assert api.tasks.GetTransfer(ts.GetTransferRequest(sid=transfer.sid)).to == bob["sid"]
    listed = api.tasks.ListTransfers(ts.ListTransfersRequest(task_sid=task["sid"]))
    assert [t.sid for t in listed.result] == [transfer.sid]
    canceled = api.tasks.UpdateTransfer(ts.UpdateTransferRequest(sid=transfer.sid, transfer_status="canceled"))
    assert canceled.transfer_status == "canceled"
    with pytest.raises(grpc.RpcError) as caught:
        api.tasks.UpdateTransfer(ts.UpdateTransferRequest(sid=transfer.sid, transfer_status="completed"))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
