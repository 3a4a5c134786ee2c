"""TaskService tasks through the real server: the seed's Tasks section (the resource API; the
routing lifecycle itself is tested elsewhere)."""

from __future__ import annotations

import json
import re

import pytest
from helpers import (
    BAD,
    MISSING,
    NOT_FOUND,
    PRECONDITION,
    cancel_task,
    make_queue,
    make_task,
    make_worker,
    make_workflow,
    make_workspace,
    page_uri,
    raises,
    routing,
    sids,
    today,
)
from polling import eventually

from taskrouter.v1 import configuration_service_pb2 as cs
from taskrouter.v1 import task_service_pb2 as ts

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


def get(api, sid):
    return api.tasks.GetTask(ts.GetTaskRequest(sid=sid))


def update(api, sid, **fields):
    return api.tasks.UpdateTask(ts.UpdateTaskRequest(sid=sid, **fields))


def delete(api, sid):
    return api.tasks.DeleteTask(ts.DeleteTaskRequest(sid=sid))


def list_tasks(api, **fields):
    return api.tasks.ListTasks(ts.ListTasksRequest(**fields))



# Create


def test_create_returns_the_seeds_fields(api, workspace, queue, workflow):
    task = make_task(api, workflow.sid, attributes='{"type":"support"}')
    assert re.fullmatch(r"TK[0-9a-f]{32}", task.sid)
    assert task.enterprise_sid == api.account["enterpriseSid"] and task.workspace_sid == workspace.sid
    assert task.workflow_sid == workflow.sid and task.workflow_friendly_name == workflow.name
    assert task.timeout == 86_400
    assert task.priority == 0
    assert task.attributes == '{"type":"support"}'
    assert (task.assignment_status, task.assignment_state) == ("Pending", "PENDING")
    assert task.task_queue_sid == queue.sid and task.task_queue_friendly_name == queue.name
    assert TIME.match(task.task_queue_entered_date)
    assert 0 <= task.age <= 5
    assert task.bypass_reserved_state is False
    assert not task.HasField("reason") and not task.HasField("worker_sid")
    assert task.restcomm_account.account_sid == api.account["accountSid"]
    assert task.restcomm_account.account_email == task.account_email == api.account["accountEmail"]
    assert TIME.match(task.date_created) and task.uri == f"/taskrouter/tasks/search/{task.sid}"
    fetched = get(api, task.sid)
    assert fetched.sid == task.sid and fetched.attributes == task.attributes and fetched.timeout == 86_400


def test_create_with_every_optional_field(api, workspace, workflow):
    task = make_task(api, workflow.sid, workspace_sid=workspace.sid, timeout=120, priority=7,
                     bypass_reserved_state=True, attributes='{"skill": "sales"}', task_channel="voice")
    assert (task.timeout, task.priority, task.bypass_reserved_state, task.task_channel) == (120, 7, True, "voice")


def test_attributes_default_to_an_empty_object(api, workflow):
    assert json.loads(make_task(api, workflow.sid).attributes) == {}


@pytest.mark.parametrize("attributes", ["[1, 2]", '"support"', "42", "null", "not json", "{broken"])
def test_attributes_must_be_a_json_object(api, workspace, workflow, attributes):
    with raises(BAD, "INVALID_TASK_ATTRIBUTES", code="400"):
        make_task(api, workflow.sid, attributes=attributes)
    assert list_tasks(api, workspace_sid=workspace.sid, is_live_session=True).total == 0


def test_timeout_bounds(api, workflow):
    assert make_task(api, workflow.sid, timeout=1_209_600).timeout == 1_209_600
    assert make_task(api, workflow.sid, timeout=1).timeout == 1
    for bad in (0, -1, 1_209_601):
        with raises(BAD, "INVALID_ARGUMENT", data="timeout"):
            make_task(api, workflow.sid, timeout=bad)


def test_workflow_sid_is_optional_with_exactly_one_workflow(api, workspace, queue, workflow):
    task = make_task(api, workspace_sid=workspace.sid)
    assert task.workflow_sid == workflow.sid and task.task_queue_sid == queue.sid
    # With a second workflow the choice is ambiguous, so workflowSid is mandatory again.
    make_workflow(api, workspace.sid, queue.sid)
    with raises(BAD, "MISSING_FIELD", data="workflowSid"):
        make_task(api, workspace_sid=workspace.sid)
    assert make_task(api, workflow.sid, workspace_sid=workspace.sid).workflow_sid == workflow.sid


def test_workspace_without_workflow_cannot_take_tasks(api, workspace):
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550"):
        make_task(api, workspace_sid=workspace.sid)


def test_unknown_workflow_is_550(api, workspace):
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=MISSING["workflow"]):
        make_task(api, MISSING["workflow"])
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=MISSING["workflow"]):
        make_task(api, MISSING["workflow"], workspace_sid=workspace.sid)


def test_workflow_of_another_workspace_is_550(api, workflow):
    other = make_workspace(api)
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550", data=workflow.sid):
        make_task(api, workflow.sid, workspace_sid=other.sid)


def test_unknown_workspace_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        make_task(api, workspace_sid=MISSING["workspace"])


# Get, update, delete


@pytest.mark.parametrize("call", [get, delete, lambda api, sid: update(api, sid, reason="x")])
def test_unknown_task_is_560(api, call):
    with raises(NOT_FOUND, "TASK_NOT_FOUND", code="560", data=MISSING["task"]):
        call(api, MISSING["task"])


@pytest.mark.parametrize("status", ["Cancelled", "Canceled", "canceled", "CANCELLED", "cAnCeLeD"])
def test_cancel_in_any_spelling(api, workflow, status):
    task = make_task(api, workflow.sid)
    canceled = update(api, task.sid, assignment_status=status, reason="Task was cancelled by API Call")
    assert (canceled.assignment_status, canceled.assignment_state) == ("Canceled", "CANCELED")
    assert canceled.reason == "Task was cancelled by API Call"
    assert get(api, task.sid).assignment_status == "Canceled"
    # Canceled is final.
    with raises(PRECONDITION, "INVALID_TRANSITION"):
        update(api, task.sid, assignment_status="Pending")
    with raises(PRECONDITION, "INVALID_TRANSITION"):
        update(api, task.sid, attributes='{"late": true}')


def test_update_attributes_and_priority(api, workflow):
    task = make_task(api, workflow.sid, attributes='{"type": "support"}')
    updated = update(api, task.sid, attributes='{"type": "sales"}', priority=5)
    assert updated.attributes == '{"type": "sales"}' and updated.priority == 5
    assert updated.assignment_status == "Pending"
    assert get(api, task.sid).attributes == '{"type": "sales"}'
    with raises(BAD, "INVALID_TASK_ATTRIBUTES"):
        update(api, task.sid, attributes="[]")
    assert get(api, task.sid).attributes == '{"type": "sales"}'


def test_update_rejects_unknown_status_and_pending_completion(api, workflow):
    task = make_task(api, workflow.sid)
    with raises(BAD, "INVALID_ARGUMENT", data="assignmentStatus"):
        update(api, task.sid, assignment_status="Finished")
    with raises(PRECONDITION, "INVALID_TRANSITION"):
        update(api, task.sid, assignment_status="Completed")
    assert get(api, task.sid).assignment_status == "Pending"


def test_delete(api, workflow):
    task = make_task(api, workflow.sid)
    assert delete(api, task.sid).sid == task.sid
    with raises(NOT_FOUND, "TASK_NOT_FOUND", code="560", data=task.sid):
        get(api, task.sid)
    with raises(NOT_FOUND, "TASK_NOT_FOUND", code="560", data=task.sid):
        delete(api, task.sid)


def test_tasks_stay_readable_after_their_workspace_is_deleted(api, workspace, workflow):
    pending = make_task(api, workflow.sid, attributes='{"n": 1}')
    done = cancel_task(api, make_task(api, workflow.sid).sid)
    api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=workspace.sid))
    kept = get(api, pending.sid)
    assert kept.attributes == '{"n": 1}' and kept.workspace_sid == workspace.sid
    assert kept.assignment_status == "Canceled"  # nothing can route it any more
    assert get(api, done.sid).reason == "test"
    assert set(sids(list_tasks(api, workspace_sid=workspace.sid))) == {pending.sid, done.sid}


# List


@pytest.fixture
def lifecycle(api, workspace, queue, workflow):
    """One task in each state: pending, reserved, assigned, canceled, completed."""
    W = api.tasks
    canceled = cancel_task(api, make_task(api, workflow.sid, attributes='{"n": "canceled"}').sid)
    online = api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=workspace.sid,
                                                                       name="Online")).result[0]

    def offered(task_sid):
        found = W.ListReservations(ts.ListReservationsRequest(task_sid=task_sid, reservation_status="pending"))
        return found.result[0] if found.result else None

    # Worker A takes a task to completion, then another one to assignment; worker B holds one reserved.
    make_worker(api, workspace.sid, "A", activity_sid=online.sid)
    completed = make_task(api, workflow.sid, attributes='{"n": "completed"}')
    W.UpdateReservation(ts.UpdateReservationRequest(sid=eventually(lambda: offered(completed.sid)).sid,
                                                    reservation_status="accepted"))
    update(api, completed.sid, assignment_status="completed", reason="done")
    assigned = make_task(api, workflow.sid, attributes='{"n": "assigned"}')
    W.UpdateReservation(ts.UpdateReservationRequest(sid=eventually(lambda: offered(assigned.sid)).sid,
                                                    reservation_status="accepted"))
    make_worker(api, workspace.sid, "B", activity_sid=online.sid)
    reserved = make_task(api, workflow.sid, attributes='{"n": "reserved"}')
    eventually(lambda: offered(reserved.sid))
    # No worker left: this one stays pending.
    pending = make_task(api, workflow.sid, attributes='{"n": "pending"}')
    tasks = {"pending": pending, "reserved": reserved, "assigned": assigned, "canceled": canceled,
             "completed": completed}
    states = {name: get(api, t.sid).assignment_status for name, t in tasks.items()}
    assert states == {name: name.capitalize() for name in tasks}
    return {name: t.sid for name, t in tasks.items()}


def test_is_live_session(api, workspace, lifecycle):
    live = {lifecycle[k] for k in ("pending", "reserved", "assigned")}
    finished = {lifecycle[k] for k in ("canceled", "completed")}
    assert set(sids(list_tasks(api, workspace_sid=workspace.sid, is_live_session=True))) == live
    # Absent or false: only the finished ones, as the seed says.
    assert set(sids(list_tasks(api, workspace_sid=workspace.sid))) == finished
    assert set(sids(list_tasks(api, workspace_sid=workspace.sid, is_live_session=False))) == finished
    assert list_tasks(api, workspace_sid=workspace.sid, is_live_session=True).total == 3


@pytest.mark.parametrize("spelling", [str.lower, str.upper, str.capitalize])
def test_assignment_status_filter_any_case(api, workspace, lifecycle, spelling):
    for status, sid in lifecycle.items():
        found = list_tasks(api, workspace_sid=workspace.sid, assignment_status=spelling(status))
        assert sids(found) == [sid], status
    assert sids(list_tasks(api, workspace_sid=workspace.sid, assignment_status="Cancelled")) == [lifecycle["canceled"]]


def test_bad_assignment_status_filter_is_invalid(api):
    with raises(BAD, "INVALID_ARGUMENT", data="assignmentStatus"):
        list_tasks(api, assignment_status="Finished")


def test_list_filters_by_workspace_and_time(api, workspace, workflow):
    other = make_workspace(api)
    other_queue = make_queue(api, other.sid)
    other_workflow = make_workflow(api, other.sid, other_queue.sid, configuration=routing(other_queue.sid))
    mine = cancel_task(api, make_task(api, workflow.sid).sid)
    theirs = cancel_task(api, make_task(api, other_workflow.sid).sid)
    assert set(sids(list_tasks(api))) == {mine.sid, theirs.sid}
    assert sids(list_tasks(api, workspace_sid=workspace.sid)) == [mine.sid]
    assert sids(list_tasks(api, workspace_sid=other.sid)) == [theirs.sid]
    assert sids(list_tasks(api, workflow_sid=other_workflow.sid)) == [theirs.sid]
    assert sids(list_tasks(api, task_queue_sid=other_queue.sid)) == [theirs.sid]
    day = today().isoformat()
    assert list_tasks(api, start_time=day).total == 2
    assert list_tasks(api, end_time=day).total == 0
    created = mine.date_created[:-5]
    assert mine.sid in sids(list_tasks(api, start_time=created, end_time=created))
    with raises(BAD, "INVALID_ARGUMENT", data="startTime"):
        list_tasks(api, start_time="15/06/2020")


def test_list_paging_and_sorting(api, workspace, workflow):
    made = [cancel_task(api, make_task(api, workflow.sid, priority=p).sid) for p in (3, 1, 2)]
    first = list_tasks(api, workspace_sid=workspace.sid, page_size=2)
    assert sids(first) == [made[2].sid, made[1].sid]  # newest first by default
    assert (first.total, first.num_pages, first.start, first.end, first.page_size) == (3, 2, 0, 1, 2)
    assert first.first_page_uri.startswith(page_uri("tasks", 2, 0))
    assert first.next_page_uri.startswith(page_uri("tasks", 2, 1))
    last = list_tasks(api, workspace_sid=workspace.sid, page_size=2, page=1)
    assert sids(last) == [made[0].sid] and not last.HasField("next_page_uri")
    assert sids(list_tasks(api, workspace_sid=workspace.sid, sort_by="dateCreated:asc")) == [t.sid for t in made]
    by_priority = list_tasks(api, workspace_sid=workspace.sid, sort_by="priority:desc")
    assert [t.priority for t in by_priority.result] == [3, 2, 1]
    whole = list_tasks(api, workspace_sid=workspace.sid)
    assert whole.page_size == 10 and whole.uri.startswith(page_uri("tasks"))
    with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
        list_tasks(api, page_size=1001)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_tasks(api, sort_by="name:asc")
