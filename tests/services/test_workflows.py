"""WorkflowService workflows through the real server: the seed's Workflows section."""

from __future__ import annotations

import json
import re

import pytest
from helpers import (
    BAD,
    EXISTS,
    MISSING,
    NOT_FOUND,
    make_queue,
    make_task,
    make_workflow,
    make_workspace,
    names,
    page_uri,
    raises,
    routing,
    sids,
)

from taskrouter.v1 import workflow_service_pb2 as wfs


def get(api, sid):
    return api.workflow.GetWorkflow(wfs.GetWorkflowRequest(sid=sid))


def update(api, sid, **fields):
    return api.workflow.UpdateWorkflow(wfs.UpdateWorkflowRequest(sid=sid, **fields))


def delete(api, sid):
    return api.workflow.DeleteWorkflow(wfs.DeleteWorkflowRequest(sid=sid))


def list_workflows(api, **fields):
    return api.workflow.ListWorkflows(wfs.ListWorkflowsRequest(**fields))


def seed_configuration(queue_sid: str, other_queue_sid: str) -> str:
    """The seed's "Configuring Workflow" document, with our queues."""
    return json.dumps({"task_routing": {
        "filters": [
            {"filter_friendly_name": "JP Support Filter", "expression": "(skill='support') AND (selected_language='jp')",
             "targets": [{"queue": other_queue_sid}]},
            {"filter_friendly_name": "Sales Filter", "expression": "(skill='sales')",
             "targets": [{"queue": queue_sid}]},
        ],
        "default_filter": queue_sid,
    }}, indent=1)


# Create


def test_create_returns_the_seeds_fields(api, workspace, queue):
    configuration = routing({"queue": queue.sid})
    workflow = make_workflow(api, workspace.sid, queue.sid, "Main Workflow", configuration=configuration,
                             assignment_callback_url="http://waithook.com/testing_791",
                             fallback_assignment_callback_url="http://example.com/fallback")
    assert re.fullmatch(r"WF[0-9a-f]{32}", workflow.sid)
    assert workflow.workspace_sid == workspace.sid and workflow.enterprise_sid == api.account["enterpriseSid"]
    assert workflow.name == "Main Workflow"
    assert workflow.configuration == configuration
    assert workflow.assignment_callback_url == "http://waithook.com/testing_791"
    assert workflow.fallback_assignment_callback_url == "http://example.com/fallback"
    assert workflow.task_reservation_timeout == 120
    assert workflow.uri == f"/taskrouter/workflows/search/{workflow.sid}"
    assert workflow.account_email == api.account["accountEmail"]
    assert get(api, workflow.sid) == workflow


def test_seed_configuration_routes_by_the_first_matching_filter(api, workspace):
    sales = make_queue(api, workspace.sid, "Sales")
    jp = make_queue(api, workspace.sid, "JP Support")
    workflow = make_workflow(api, workspace.sid, sales.sid, configuration=seed_configuration(sales.sid, jp.sid))
    routed = {
        '{"skill":"support","selected_language":"jp"}': jp.sid,
        '{"skill":"sales","selected_language":"jp"}': sales.sid,
        '{"skill":"support","selected_language":"en"}': sales.sid,  # default_filter
    }
    for attributes, queue_sid in routed.items():
        task = make_task(api, workflow.sid, attributes=attributes)
        assert task.task_queue_sid == queue_sid, attributes
        assert task.workflow_sid == workflow.sid and task.workflow_friendly_name == workflow.name


@pytest.mark.parametrize("form", ["sid", "object"])
def test_default_filter_as_sid_string_or_queue_object(api, workspace, queue, form):
    default = queue.sid if form == "sid" else {"queue": queue.sid}
    workflow = make_workflow(api, workspace.sid, queue.sid, configuration=routing(default))
    task = make_task(api, workflow.sid, attributes='{"anything": 1}')
    assert task.task_queue_sid == queue.sid and task.task_queue_friendly_name == queue.name


def test_reservation_timeout_bounds_and_spellings(api, workspace, queue):
    assert make_workflow(api, workspace.sid, queue.sid, task_reservation_timeout=86_400).task_reservation_timeout == \
        86_400
    assert make_workflow(api, workspace.sid, queue.sid, task_reservationn_timeout=100).task_reservation_timeout == 100
    both = make_workflow(api, workspace.sid, queue.sid, task_reservation_timeout=30, task_reservationn_timeout=60)
    assert both.task_reservation_timeout == 30
    for field in ("task_reservation_timeout", "task_reservationn_timeout"):
        for bad in (0, -5, 86_401):
            with raises(BAD, "INVALID_ARGUMENT", data="taskReservationTimeout"):
                make_workflow(api, workspace.sid, queue.sid, **{field: bad})
    assert list_workflows(api, workspace_sid=workspace.sid).total == 3


@pytest.mark.parametrize("configuration", [
    "not json",
    '{"task_routing": ',
    "[]",
    '{"filters": []}',
    '{"task_routing": "TQ"}',
    '{"task_routing": {"filters": []}}',
    '{"task_routing": {"filters": {}}}',
    '{"task_routing": {"filters": [{"expression": "a == 1", "targets": []}]}}',
    '{"task_routing": {"filters": [{"expression": "a ==", "targets": ["TQ1"]}]}}',
])
def test_invalid_configuration_is_rejected_and_nothing_stored(api, workspace, queue, configuration):
    with raises(BAD, "INVALID_WORKFLOW_CONFIGURATION", code="400"):
        make_workflow(api, workspace.sid, queue.sid, configuration=configuration)
    assert list_workflows(api, workspace_sid=workspace.sid).total == 0


def test_configuration_is_mandatory(api, workspace):
    with raises(BAD, "MISSING_FIELD", data="configuration"):
        api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(workspace_sid=workspace.sid, name="wf"))


def test_unknown_queue_in_configuration_is_540_and_nothing_stored(api, workspace, queue):
    filters = [{"expression": "type == 'sales'", "targets": [{"queue": MISSING["queue"]}]}]
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=MISSING["queue"]):
        make_workflow(api, workspace.sid, queue.sid, configuration=routing(queue.sid, filters))
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=MISSING["queue"]):
        make_workflow(api, workspace.sid, queue.sid, configuration=routing({"queue": MISSING["queue"]}))
    assert list_workflows(api, workspace_sid=workspace.sid).total == 0


def test_queue_of_another_workspace_is_540(api, workspace, queue):
    elsewhere = make_queue(api, make_workspace(api).sid)
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=elsewhere.sid):
        make_workflow(api, workspace.sid, queue.sid, configuration=routing(elsewhere.sid))


def test_duplicate_name_is_556(api, workspace, queue):
    make_workflow(api, workspace.sid, queue.sid, "Main Workflow 1")
    with raises(EXISTS, "WORKFLOW_NOT_UNIQUE", code="556", data="Main Workflow 1"):
        make_workflow(api, workspace.sid, queue.sid, "Main Workflow 1")
    other = make_workspace(api)
    assert make_workflow(api, other.sid, make_queue(api, other.sid).sid, "Main Workflow 1").workspace_sid == other.sid


def test_mandatory_workspace_and_name(api, workspace, queue):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        make_workflow(api, MISSING["workspace"], queue.sid)
    with raises(BAD, "MISSING_FIELD", data="name"):
        api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(workspace_sid=workspace.sid,
                                                              configuration=routing(queue.sid)))
    with raises(BAD, "MISSING_FIELD", data="workspaceSid"):
        api.workflow.CreateWorkflow(wfs.CreateWorkflowRequest(name="wf", configuration=routing(queue.sid)))


# Get, update, delete


@pytest.mark.parametrize("call", [get, delete, lambda api, sid: update(api, sid, name="x")])
def test_unknown_workflow_is_550(api, call):
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=MISSING["workflow"]):
        call(api, MISSING["workflow"])


def test_update_every_field(api, workspace, queue, workflow):
    english = make_queue(api, workspace.sid, "English")
    configuration = routing({"queue": queue.sid}, [
        {"filter_friendly_name": "Language - English", "expression": "selected_language = 'en'",
         "targets": [{"queue": english.sid}]}])
    updated = update(api, workflow.sid, name="Renamed", configuration=configuration,
                     assignment_callback_url="http://example.com/a", fallback_assignment_callback_url="http://b",
                     task_reservation_timeout=300)
    assert updated.name == "Renamed" and updated.configuration == configuration
    assert updated.assignment_callback_url == "http://example.com/a"
    assert updated.fallback_assignment_callback_url == "http://b"
    assert updated.task_reservation_timeout == 300
    assert updated.date_created == workflow.date_created and updated.date_updated >= workflow.date_updated
    assert get(api, workflow.sid) == updated
    # The new rules route new tasks.
    assert make_task(api, workflow.sid, attributes='{"selected_language": "en"}').task_queue_sid == english.sid
    # The other spelling, and fields not given are kept.
    kept = update(api, workflow.sid, task_reservationn_timeout=45)
    assert kept.task_reservation_timeout == 45 and kept.configuration == configuration and kept.name == "Renamed"


def test_update_errors_leave_the_workflow_unchanged(api, workspace, queue, workflow):
    make_workflow(api, workspace.sid, queue.sid, "Taken")
    with raises(EXISTS, "WORKFLOW_NOT_UNIQUE", code="556", data="Taken"):
        update(api, workflow.sid, name="Taken")
    with raises(BAD, "INVALID_WORKFLOW_CONFIGURATION"):
        update(api, workflow.sid, configuration="{not json")
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=MISSING["queue"]):
        update(api, workflow.sid, configuration=routing(MISSING["queue"]))
    with raises(BAD, "INVALID_ARGUMENT", data="taskReservationTimeout"):
        update(api, workflow.sid, task_reservation_timeout=86_401)
    with raises(BAD, "INVALID_ARGUMENT", data="assignmentCallbackUrl"):
        update(api, workflow.sid, assignment_callback_url="http://a\x00")
    with raises(BAD, "INVALID_ARGUMENT", data="fallbackAssignmentCallbackUrl"):
        update(api, workflow.sid, fallback_assignment_callback_url="http://b\x00")
    assert get(api, workflow.sid) == workflow


def test_delete(api, workspace, queue, workflow):
    deleted = delete(api, workflow.sid)
    assert deleted.sid == workflow.sid and deleted.name == workflow.name
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=workflow.sid):
        get(api, workflow.sid)
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=workflow.sid):
        make_task(api, workflow.sid)


# List


def test_list_filters_paging_and_sorting(api, workspace, queue):
    other = make_workspace(api)
    for name in ("Main Workflow", "Main Workflow 1", "Escalations"):
        make_workflow(api, workspace.sid, queue.sid, name)
    elsewhere = make_workflow(api, other.sid, make_queue(api, other.sid).sid, "Main elsewhere")

    assert list_workflows(api).total == 4
    mine = list_workflows(api, workspace_sid=workspace.sid, sort_by="name:asc")
    assert names(mine) == ["Escalations", "Main Workflow", "Main Workflow 1"]
    assert mine.uri.startswith(page_uri("workflows")) and not mine.HasField("next_page_uri")
    assert sorted(names(list_workflows(api, name="MAIN"))) == ["Main Workflow", "Main Workflow 1", "Main elsewhere"]
    assert sids(list_workflows(api, name="elsewhere")) == [elsewhere.sid]
    assert names(list_workflows(api, workspace_sid=workspace.sid, sort_by="dateCreated:desc"))[0] == "Escalations"

    first = list_workflows(api, workspace_sid=workspace.sid, page_size=2, sort_by="name:desc")
    assert names(first) == ["Main Workflow 1", "Main Workflow"]
    assert (first.total, first.num_pages, first.start, first.end) == (3, 2, 0, 1)
    assert first.next_page_uri.startswith(page_uri("workflows", 2, 1))
    with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
        list_workflows(api, page_size=-3)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_workflows(api, sort_by="configuration")
    with raises(BAD, "INVALID_ARGUMENT", data="endTime"):
        list_workflows(api, end_time="2020-06-15T07:00:61")
