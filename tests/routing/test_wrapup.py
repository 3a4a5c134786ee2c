"""Wrap-up (after-work): an assigned task wraps up, keeps its channel capacity until completed,
and a queue's wrapUpTimeout completes it."""

from __future__ import annotations

import time

import grpc
import pytest
from center import Center
from polling import eventually

from taskrouter.v1 import task_service_pb2 as ts


def test_wrapping_then_completed_and_the_reservation_follows(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    center.worker("Ann")
    task = center.task(flow)
    reservation = center.assign(task)
    wrapping = center.set_status(task, "wrapping")
    assert wrapping["assignmentStatus"] == "Wrapping" and wrapping["assignmentState"] == "WRAPPING"
    assert center.get(f"/taskrouter/reservations/search/{reservation['sid']}")["reservationStatus"] == "wrapping"
    listed = center.get("/taskrouter/tasks/search", workspaceSid=center.ws["sid"], assignmentStatus="wrapping")
    assert [t["sid"] for t in listed["result"]] == [task["sid"]]
    assert task["sid"] in [t["sid"] for t in center.get("/taskrouter/tasks/search", workspaceSid=center.ws["sid"],
                                                         isLiveSession="true")["result"]]
    done = center.set_status(task, "completed", reason="done")
    assert done["assignmentStatus"] == "Completed"
    assert center.get(f"/taskrouter/reservations/search/{reservation['sid']}")["reservationStatus"] == "completed"
    types = center.event_types()
    assert "task.wrapup" in types and "reservation.wrapup" in types
    assert types.index("task.wrapup") < types.index("task.completed")


def test_only_an_assigned_task_wraps_up_and_a_wrapping_one_only_completes(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    task = center.task(flow)  # no worker: pending
    refused = center.error("PUT", f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": "wrapping"}, status=409)
    assert "only an assigned task" in refused["message"]
    center.worker("Ann")
    center.assign(task)
    center.set_status(task, "Wrapping")
    for status in ("canceled", "pending", "reserved"):
        center.error("PUT", f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": status}, status=409)


def test_a_wrapping_task_keeps_its_channel_capacity_until_completed(http, account):
    center = Center(http, account, multi_task=False)
    flow = center.simple_workflow(center.queue())
    worker = center.worker("Ann")
    first, second = center.task(flow), center.task(flow)
    center.assign(first)
    center.set_status(first, "wrapping")
    time.sleep(0.5)
    assert center.task_now(second)["assignmentStatus"] == "Pending"
    assert center.worker_channels(worker)["default"]["assignedTasks"] == 1
    center.set_status(first, "completed")
    assert center.offer(second)["workerSid"] == worker["sid"]


def test_the_queues_wrap_up_timeout_completes_the_task(http, account):
    center = Center(http, account)
    queue = center.queue(wrapUpTimeout=1)
    assert queue["wrapUpTimeout"] == 1
    flow = center.simple_workflow(queue)
    center.worker("Ann")
    task = center.task(flow)
    reservation = center.assign(task)
    center.set_status(task, "wrapping")
    done = eventually(lambda: (t := center.task_now(task))["assignmentStatus"] == "Completed" and t)
    assert done["reason"] == "Wrap-up timeout"
    assert center.get(f"/taskrouter/reservations/search/{reservation['sid']}")["reservationStatus"] == "completed"


def test_wrap_up_timeout_is_checked_and_can_be_removed(http, account):
    center = Center(http, account)
    queue = center.queue()
    assert "wrapUpTimeout" not in queue
    bad = center.error("PUT", f"/taskrouter/taskqueues/{queue['sid']}", {"wrapUpTimeout": 86401})
    assert "wrapUpTimeout" in bad["message"]
    assert center.put(f"/taskrouter/taskqueues/{queue['sid']}", {"wrapUpTimeout": 30})["wrapUpTimeout"] == 30
    assert "wrapUpTimeout" not in center.put(f"/taskrouter/taskqueues/{queue['sid']}", {"wrapUpTimeout": 0})


def test_wrap_up_over_grpc(http, account, api):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    center.worker("Ann")
    task = center.task(flow)
    center.assign(task)
    wrapping = api.tasks.UpdateTask(ts.UpdateTaskRequest(sid=task["sid"], assignment_status="wrapping"))
    assert wrapping.assignment_status == "Wrapping"
    with pytest.raises(grpc.RpcError) as caught:
        api.tasks.UpdateTask(ts.UpdateTaskRequest(sid=task["sid"], assignment_status="canceled"))
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert api.tasks.UpdateTask(ts.UpdateTaskRequest(sid=task["sid"], assignment_status="completed")
                                ).assignment_status == "Completed"
