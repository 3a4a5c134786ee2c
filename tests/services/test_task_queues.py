"""ConfigurationService task queues through the real server: the seed's TaskQueue section."""

from __future__ import annotations

import re

import pytest
from helpers import (
    BAD,
    EXISTS,
    MISSING,
    NOT_FOUND,
    PRECONDITION,
    cancel_task,
    make_activity,
    make_queue,
    make_task,
    make_workflow,
    make_workspace,
    names,
    page_uri,
    raises,
    sids,
)

from taskrouter.v1 import configuration_service_pb2 as cs


def get(api, sid):
    return api.configuration.GetTaskQueue(cs.GetTaskQueueRequest(sid=sid))


def update(api, sid, **fields):
    return api.configuration.UpdateTaskQueue(cs.UpdateTaskQueueRequest(sid=sid, **fields))


def delete(api, sid):
    return api.configuration.DeleteTaskQueue(cs.DeleteTaskQueueRequest(sid=sid))


def list_queues(api, **fields):
    return api.configuration.ListTaskQueues(cs.ListTaskQueuesRequest(**fields))


def test_create_with_defaults(api, workspace):
    queue = make_queue(api, workspace.sid, "Customer Support Task Queue")
    assert re.fullmatch(r"TQ[0-9a-f]{32}", queue.sid)
    assert queue.workspace_sid == workspace.sid and queue.enterprise_sid == api.account["enterpriseSid"]
    assert queue.name == "Customer Support Task Queue"
    assert queue.target_workers == "1==1"
    assert queue.task_order == "FIFO"
    assert queue.max_reserved_workers == 1
    assert not queue.HasField("assignment_activity_sid") and not queue.HasField("reservation_activity_sid")
    assert queue.uri == f"/taskrouter/taskqueues/search/{queue.sid}"
    assert queue.account_email == api.account["accountEmail"]
    assert get(api, queue.sid) == queue


def test_create_with_the_seeds_example_body(api, workspace):
    assigned = make_activity(api, workspace.sid, "Busy", available=False)
    reserved = make_activity(api, workspace.sid, "Ringing", available=False)
    queue = make_queue(
        api, workspace.sid, "Customer Support Task Queue 4", enterprise_sid=api.account["enterpriseSid"],
        target_workers="language[any]='vn'", task_order="FIFO", max_reserved_workers=1,
        assignment_activity_sid=assigned.sid, reservation_activity_sid=reserved.sid,
    )
    assert queue.target_workers == "language[any]='vn'"
    assert queue.assignment_activity_sid == assigned.sid
    assert queue.reservation_activity_sid == reserved.sid
    assert get(api, queue.sid) == queue


def test_max_reserved_workers_bounds(api, workspace):
    assert make_queue(api, workspace.sid, max_reserved_workers=50).max_reserved_workers == 50
    for bad in (0, 51):
        with raises(BAD, "INVALID_ARGUMENT", data="maxReservedWorkers"):
            make_queue(api, workspace.sid, max_reserved_workers=bad)


def test_bad_task_order_and_target_workers_are_invalid(api, workspace):
    with raises(BAD, "INVALID_ARGUMENT", data="taskOrder"):
        make_queue(api, workspace.sid, task_order="RANDOM")
    with raises(BAD, "INVALID_EXPRESSION"):
        make_queue(api, workspace.sid, target_workers="skills HAS (")
    with raises(BAD, "INVALID_ARGUMENT", data="targetWorkers"):
        make_queue(api, workspace.sid, target_workers="language == 'v\x00n'")
    with raises(BAD, "INVALID_ARGUMENT", data="name"):
        make_queue(api, workspace.sid, "q" * 256)
    assert list_queues(api, workspace_sid=workspace.sid).total == 0


def test_mandatory_fields(api, workspace):
    with raises(BAD, "MISSING_FIELD", data="name"):
        api.configuration.CreateTaskQueue(cs.CreateTaskQueueRequest(workspace_sid=workspace.sid))
    with raises(BAD, "MISSING_FIELD", data="workspaceSid"):
        api.configuration.CreateTaskQueue(cs.CreateTaskQueueRequest(name="x"))
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        make_queue(api, MISSING["workspace"])


def test_duplicate_name_in_the_workspace_is_546(api, workspace):
    make_queue(api, workspace.sid, "All Sales")
    with raises(EXISTS, "TASK_QUEUE_NOT_UNIQUE", code="546", data="All Sales"):
        make_queue(api, workspace.sid, "All Sales")
    assert make_queue(api, make_workspace(api).sid, "All Sales").name == "All Sales"


@pytest.mark.parametrize("field", ["assignment_activity_sid", "reservation_activity_sid"])
def test_unknown_activity_is_510(api, workspace, field):
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        make_queue(api, workspace.sid, **{field: MISSING["activity"]})
    elsewhere = make_activity(api, make_workspace(api).sid)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=elsewhere.sid):
        make_queue(api, workspace.sid, **{field: elsewhere.sid})
    assert list_queues(api, workspace_sid=workspace.sid).total == 0


def test_get_unknown_is_540(api):
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=MISSING["queue"]):
        get(api, MISSING["queue"])


def test_update_every_field(api, workspace):
    queue = make_queue(api, workspace.sid, "Customer Support Task Queue 4")
    offline = workspace.default_activity_sid
    updated = update(api, queue.sid, name="Customer Support Task Queue 4 Updated",
                     target_workers="language[any]='vn'", task_order="LIFO", max_reserved_workers=3,
                     assignment_activity_sid=offline, reservation_activity_sid=offline)
    assert updated.name == "Customer Support Task Queue 4 Updated"
    assert updated.target_workers == "language[any]='vn'"
    assert updated.task_order == "LIFO" and updated.max_reserved_workers == 3
    assert updated.assignment_activity_sid == updated.reservation_activity_sid == offline
    assert updated.date_created == queue.date_created and updated.date_updated >= queue.date_updated
    assert get(api, queue.sid) == updated
    # Fields not given are kept; an empty activity SID clears it.
    kept = update(api, queue.sid, max_reserved_workers=2)
    assert kept.name == updated.name and kept.target_workers == updated.target_workers
    cleared = update(api, queue.sid, reservation_activity_sid="")
    assert not cleared.HasField("reservation_activity_sid") and cleared.assignment_activity_sid == offline


def test_update_errors(api, workspace):
    queue = make_queue(api, workspace.sid, "Mine")
    make_queue(api, workspace.sid, "Taken")
    with raises(EXISTS, "TASK_QUEUE_NOT_UNIQUE", code="546", data="Taken"):
        update(api, queue.sid, name="Taken")
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        update(api, queue.sid, assignment_activity_sid=MISSING["activity"])
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=MISSING["queue"]):
        update(api, MISSING["queue"], name="x")
    with raises(BAD, "INVALID_EXPRESSION"):
        update(api, queue.sid, target_workers="a ==")
    assert get(api, queue.sid) == queue


def test_delete(api, workspace):
    queue = make_queue(api, workspace.sid, "Customer Support Task Queue 3")
    deleted = delete(api, queue.sid)
    assert deleted.sid == queue.sid and deleted.name == queue.name
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=queue.sid):
        get(api, queue.sid)
    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540", data=queue.sid):
        delete(api, queue.sid)


def test_queue_holding_a_live_task_cannot_be_deleted(api, workspace):
    queue = make_queue(api, workspace.sid)
    workflow = make_workflow(api, workspace.sid, queue.sid)
    task = make_task(api, workflow.sid)
    assert task.task_queue_sid == queue.sid
    with raises(PRECONDITION, "INVALID_TRANSITION", data=queue.sid):
        delete(api, queue.sid)
    assert get(api, queue.sid) == queue
    cancel_task(api, task.sid)
    delete(api, queue.sid)


def test_list_filters_paging_and_sorting(api, workspace):
    other = make_workspace(api)
    for name in ("Sales EN", "Sales VN", "Support"):
        make_queue(api, workspace.sid, name)
    elsewhere = make_queue(api, other.sid, "Sales elsewhere")

    assert list_queues(api).total == 4
    mine = list_queues(api, workspace_sid=workspace.sid, sort_by="name:asc")
    assert names(mine) == ["Sales EN", "Sales VN", "Support"]
    assert mine.uri.startswith(page_uri("taskqueues")) and not mine.HasField("next_page_uri")
    assert sorted(names(list_queues(api, name="sales"))) == ["Sales EN", "Sales VN", "Sales elsewhere"]
    assert sids(list_queues(api, name="ELSEWHERE")) == [elsewhere.sid]
    assert names(list_queues(api, workspace_sid=workspace.sid, sort_by="name:desc")) == \
        ["Support", "Sales VN", "Sales EN"]
    assert names(list_queues(api, workspace_sid=workspace.sid, sort_by="dateCreated:desc"))[0] == "Support"

    page = list_queues(api, workspace_sid=workspace.sid, page_size=2, page=1, sort_by="name:asc")
    assert names(page) == ["Support"]
    assert (page.total, page.num_pages, page.start, page.end) == (3, 2, 2, 2)
    assert page.first_page_uri.startswith(page_uri("taskqueues", 2, 0))
    assert not page.HasField("next_page_uri")
    with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
        list_queues(api, page_size=0)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_queues(api, sort_by="targetWorkers:asc")
    with raises(BAD, "INVALID_ARGUMENT", data="startTime"):
        list_queues(api, start_time="2020-02-30")
