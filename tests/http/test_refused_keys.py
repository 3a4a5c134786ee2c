"""Input we do not implement is refused by name, never accepted and dropped (issue 10, defect 6):
a user must not believe a rule is in force when it is not."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def setup(tr):
    ws = tr.workspace()
    queue = tr.queue(ws["sid"], "Q")
    return tr, ws, queue


@pytest.mark.parametrize("key,value", [("no_such_option", True), ("skip_when", "1==1"), ("orderBy", "worker.level")])
def test_workflow_target_key_we_do_not_implement_is_refused(setup, key, value):
    tr, ws, queue = setup
    routing = {"filters": [{"filter_friendly_name": "F", "expression": "1==1",
                            "targets": [{"queue": queue["sid"], key: value}]}], "default_filter": queue["sid"]}
    body = {"workspaceSid": ws["sid"], "name": "Flow", "configuration": json.dumps({"task_routing": routing})}
    error = tr.error(tr.post("/taskrouter/workflows", body), "400")
    assert key in error["message"] and error["data"] == key


@pytest.mark.parametrize("where", ["default_filter", "filter", "task_routing", "top"])
def test_unknown_key_anywhere_in_a_configuration_is_refused(setup, where):
    tr, ws, queue = setup
    target = {"queue": queue["sid"]}
    filter_ = {"expression": "1==1", "targets": [target]}
    routing = {"filters": [filter_], "default_filter": {"queue": queue["sid"]}}
    document = {"task_routing": routing}
    {"default_filter": routing["default_filter"], "filter": filter_, "task_routing": routing,
     "top": document}[where]["no_such_option"] = 1
    body = {"workspaceSid": ws["sid"], "name": "Flow", "configuration": json.dumps(document)}
    assert "no_such_option" in tr.error(tr.post("/taskrouter/workflows", body), "400")["message"]


def test_updating_a_workflow_with_an_unimplemented_key_is_refused_and_changes_nothing(setup):
    tr, ws, queue = setup
    flow = tr.workflow(ws["sid"], "Flow", {"filters": [], "default_filter": {"queue": queue["sid"]}})
    bad = json.dumps({"task_routing": {"default_filter": {"queue": queue["sid"], "order_by": "worker.x SIDEWAYS"}}})
    assert "order_by" in tr.error(tr.put(f"/taskrouter/workflows/{flow['sid']}", {"configuration": bad}),
                                  "400")["message"]
    assert tr.ok(tr.get(f"/taskrouter/workflows/search/{flow['sid']}"))["configuration"] == flow["configuration"]


def test_task_update_with_task_queue_sid_is_refused(setup):
    tr, ws, queue = setup
    other = tr.queue(ws["sid"], "Other")
    flow = tr.workflow(ws["sid"], "Flow", {"filters": [], "default_filter": {"queue": queue["sid"]}})
    task = tr.task(flow["sid"])
    error = tr.error(tr.put(f"/taskrouter/tasks/{task['sid']}", {"taskQueueSid": other["sid"]}), "400")
    assert "taskQueueSid" in error["message"]
    assert tr.ok(tr.get(f"/taskrouter/tasks/search/{task['sid']}"))["taskQueueSid"] == queue["sid"]


@pytest.mark.parametrize("field", ["prioritizeQueueOrder", "priortizeQueueOrder"])
def test_workspace_update_to_lifo_is_refused(tr, field):
    ws = tr.workspace()
    error = tr.error(tr.put(f"/taskrouter/workspaces/{ws['sid']}", {field: "LIFO"}), "400")
    assert "prioritizeQueueOrder" in error["message"]
    assert tr.ok(tr.get(f"/taskrouter/workspaces/search/{ws['sid']}"))["prioritizeQueueOrder"] == "FIFO"
