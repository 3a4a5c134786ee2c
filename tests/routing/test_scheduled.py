"""Scheduled tasks: stored and listed as pending, offered only from their scheduledTime on."""

from __future__ import annotations

import datetime as dt
import time

from center import Center
from polling import eventually

from taskrouter.v1 import task_service_pb2 as ts


def _at(seconds: float, rfc3339: bool = False) -> str:
    moment = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)
    return moment.isoformat() if rfc3339 else moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def test_a_scheduled_task_is_pending_and_offered_from_its_time(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    worker = center.worker("Ann")
    when = _at(2)
    task = center.task(flow, scheduledTime=when)
    assert task["scheduledTime"] == when and task["assignmentStatus"] == "Pending"
    listed = center.get("/taskrouter/tasks/search", workspaceSid=center.ws["sid"], isLiveSession="true")
    assert task["sid"] in [t["sid"] for t in listed["result"]]
    time.sleep(0.7)
    assert not center.reservations(task=task)
    offer = center.offer(task)
    assert offer["workerSid"] == worker["sid"]
    assert time.time() >= dt.datetime.strptime(when, "%Y-%m-%dT%H:%M:%S%z").timestamp() - 0.05


def test_rfc3339_a_past_time_and_a_bad_one(http, account, api):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue())
    center.worker("Ann")
    past = center.task(flow, scheduledTime=_at(-60, rfc3339=True))
    assert center.offer(past)
    bad = center.error("POST", "/taskrouter/tasks", {"workflowSid": flow["sid"], "scheduledTime": "tomorrow"})
    assert "scheduledTime" in bad["message"]
    later = api.tasks.CreateTask(ts.CreateTaskRequest(workflow_sid=flow["sid"], scheduled_time=_at(3600, True)))
    assert later.HasField("scheduled_time") and later.assignment_status == "Pending"
    assert not later.task_queue_sid


def test_a_scheduled_tasks_timeout_counts_from_its_time(http, account):
    center = Center(http, account)
    flow = center.simple_workflow(center.queue("Nobody", "team == 'none'"))
    task = center.task(flow, scheduledTime=_at(2), timeout=2)  # due in 1-2 s, expires 2 s after that
    time.sleep(2.5)
    assert center.task_now(task)["assignmentStatus"] == "Pending"
    eventually(lambda: center.task_now(task)["assignmentStatus"] == "Canceled")
