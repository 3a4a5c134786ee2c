"""Workflow target rules: known worker (by SID or friendly name, with the target's timeout to fall
through), order_by, skip_if, a target's priority, worker.sid / worker.friendly_name in
expressions, and reEvaluateTasks on workflow update."""

from __future__ import annotations

import json
import time

from center import Center
from polling import eventually

from taskrouter.v1 import workflow_service_pb2 as flows


def test_known_worker_sid_takes_the_task_only_to_that_worker(http, account):
    center = Center(http, account)
    queue = center.queue()
    center.worker("Longest idle")
    favourite = center.worker("Favourite")
    flow = center.workflow({"filters": [], "default_filter": [
        {"queue": queue["sid"], "known_worker_sid": "task.preferred_agent", "timeout": 1},
        {"queue": queue["sid"]}]})
    task = center.task(flow, attributes={"preferred_agent": favourite["sid"]})
    assert center.offer(task)["workerSid"] == favourite["sid"]


def test_known_worker_friendly_name_and_falling_through_on_timeout(http, account):
    center = Center(http, account)
    queue = center.queue()
    other = center.worker("Other")
    favourite = center.worker("Favourite", online=False)
    flow = center.workflow({"filters": [], "default_filter": [
        {"queue": queue["sid"], "known_worker_friendly_name": "task.agent_name", "timeout": 1},
        {"queue": queue["sid"]}]})
    task = center.task(flow, attributes={"agent_name": "Favourite"})
    time.sleep(0.4)
    assert not center.reservations(task=task)  # Other is free, but the task is for Favourite only
    assert center.offer(task)["workerSid"] == other["sid"]  # after the target's timeout
    assert favourite["sid"] not in [r["workerSid"] for r in center.reservations(task=task)]


def test_a_target_whose_known_worker_does_not_exist_is_skipped(http, account):
    center = Center(http, account)
    queue = center.queue()
    anyone = center.worker("Anyone")
    flow = center.workflow({"filters": [], "default_filter": [
        {"queue": queue["sid"], "known_worker_sid": "task.preferred_agent", "timeout": 600},
        {"queue": queue["sid"]}]})
    task = center.task(flow, attributes={"preferred_agent": "WK" + "0" * 32})
    assert center.offer(task)["workerSid"] == anyone["sid"]
    assert "workflow.skipped" in center.event_types(task["sid"])


def test_order_by_ranks_workers_before_longest_idle(http, account):
    center = Center(http, account)
    queue = center.queue()
    center.worker("Junior", level=1, tenure=9)
    center.worker("Senior short", level=5, tenure=1)
    senior = center.worker("Senior long", level=5, tenure=3)
    center.worker("No level")
    flow = center.workflow({"filters": [], "default_filter": {
        "queue": queue["sid"], "order_by": "worker.level DESC, worker.tenure DESC"}})
    task = center.task(flow)
    assert center.offer(task)["workerSid"] == senior["sid"]


def test_skip_if_skips_a_target_without_available_workers(http, account):
    center = Center(http, account)
    empty = center.queue("Empty", "team == 'nobody'")
    everyone = center.queue("Everyone")
    worker = center.worker("Ann")
    flow = center.workflow({"filters": [{"expression": "1==1", "targets": [
        {"queue": empty["sid"], "skip_if": "workers.available == 0", "timeout": 600},
        {"queue": everyone["sid"]}]}]})
    task = center.task(flow)
    assert center.offer(task)["workerSid"] == worker["sid"]
    assert center.task_now(task)["taskQueueSid"] == everyone["sid"]


def test_skipping_the_last_target_goes_on_to_the_next_filter(http, account):
    center = Center(http, account)
    empty = center.queue("Empty", "team == 'nobody'")
    everyone = center.queue("Everyone")
    flow = center.workflow({"filters": [
        {"expression": "1==1", "targets": [{"queue": empty["sid"], "skip_if": "workers.available == 0"}]}],
        "default_filter": {"queue": everyone["sid"]}})
    task = center.task(flow)
    assert center.task_now(task)["taskQueueSid"] == everyone["sid"]


def test_a_targets_priority_holds_only_while_in_that_target(http, account):
    center = Center(http, account)
    first, second = center.queue("First", "team == 'x'"), center.queue("Second", "team == 'x'")
    flow = center.workflow({"filters": [], "default_filter": [
        {"queue": first["sid"], "priority": 50, "timeout": 1}, {"queue": second["sid"]}]})
    task = center.task(flow, priority=3)
    assert center.task_now(task)["priority"] == 50
    moved = eventually(lambda: (t := center.task_now(task))["taskQueueSid"] == second["sid"] and t)
    assert moved["priority"] == 3


def test_worker_sid_and_friendly_name_in_expressions(http, account):
    center = Center(http, account)
    center.worker("Ann")
    bob = center.worker("Bob")
    named = center.queue("Bob only", "worker.friendly_name == 'Bob'")
    listed = center.get("/taskrouter/workers/search", workspaceSid=center.ws["sid"], taskQueueSid=named["sid"])
    assert [w["sid"] for w in listed["result"]] == [bob["sid"]]
    everyone = center.queue("Everyone")
    flow = center.workflow({"filters": [], "default_filter": {
        "queue": everyone["sid"], "expression": "worker.sid == task.agent"}})
    task = center.task(flow, attributes={"agent": bob["sid"]})
    assert center.offer(task)["workerSid"] == bob["sid"]


def test_target_rules_are_checked(http, account):
    center = Center(http, account)
    queue = center.queue()
    path = "/taskrouter/workflows"

    def refused(target):
        body = {"workspaceSid": center.ws["sid"], "name": "Bad",
                "configuration": json.dumps({"task_routing": {"default_filter": {"queue": queue["sid"], **target}}})}
        return center.error("POST", path, body)["message"]

    assert "order_by" in refused({"order_by": "worker.level SIDEWAYS"})
    assert "skip_if" in refused({"skip_if": "workers.available =="})
    assert "known_worker_sid" in refused({"known_worker_sid": "task.a b"})
    assert "twice" in refused({"known_worker_sid": "task.a", "known_worker_friendly_name": "task.b"})


def test_re_evaluate_tasks_routes_pending_tasks_through_the_new_configuration(http, account, api):
    center = Center(http, account)
    old, new = center.queue("Old", "team == 'x'"), center.queue("New", "team == 'x'")
    flow = center.simple_workflow(old)
    task = center.task(flow)
    moved_config = json.dumps({"task_routing": {"default_filter": {"queue": new["sid"]}}})
    center.put(f"/taskrouter/workflows/{flow['sid']}", {"configuration": moved_config})
    assert center.task_now(task)["taskQueueSid"] == old["sid"]  # without reEvaluateTasks: stays
    center.put(f"/taskrouter/workflows/{flow['sid']}", {"configuration": moved_config, "reEvaluateTasks": True})
    assert center.task_now(task)["taskQueueSid"] == new["sid"]
    back = json.dumps({"task_routing": {"default_filter": {"queue": old["sid"]}}})
    api.workflow.UpdateWorkflow(flows.UpdateWorkflowRequest(sid=flow["sid"], configuration=back,
                                                            re_evaluate_tasks=True))
    assert center.task_now(task)["taskQueueSid"] == old["sid"]


def test_a_known_worker_outside_the_targets_queue_skips_the_target(http, account):
    center = Center(http, account)
    sales = center.queue("Sales", "team == 'sales'")
    everyone = center.queue("Everyone")
    outsider = center.worker("Outsider", team="support")
    flow = center.workflow({"filters": [], "default_filter": [
        {"queue": sales["sid"], "known_worker_sid": "task.agent", "timeout": 600}, {"queue": everyone["sid"]}]})
    task = center.task(flow, attributes={"agent": outsider["sid"]})
    assert center.task_now(task)["taskQueueSid"] == everyone["sid"]
    assert "workflow.skipped" in center.event_types(task["sid"])
