"""WorkforceService workers through the real server: the seed's Worker section."""

from __future__ import annotations

import json
import re

import pytest
from helpers import (
    BAD,
    EXISTS,
    MISSING,
    NOT_FOUND,
    make_activity,
    make_queue,
    make_worker,
    make_workspace,
    names,
    page_uri,
    raises,
    sids,
    worker_attributes,
)

from taskrouter.v1 import configuration_service_pb2 as cs
from taskrouter.v1 import workforce_service_pb2 as wks

SEED_ATTRIBUTES = '{"language":["en", "hi"], "contact_uri":"919960639901"}'


def get(api, sid):
    return api.workforce.GetWorker(wks.GetWorkerRequest(sid=sid))


def update(api, sid, **fields):
    return api.workforce.UpdateWorker(wks.UpdateWorkerRequest(sid=sid, **fields))


def delete(api, sid):
    return api.workforce.DeleteWorker(wks.DeleteWorkerRequest(sid=sid))


def list_workers(api, **fields):
    return api.workforce.ListWorkers(wks.ListWorkersRequest(**fields))


def activity_named(api, workspace_sid, name):
    return api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=workspace_sid, name=name)).result[0]


# Create


def test_create_starts_in_the_default_activity(api, workspace):
    worker = make_worker(api, workspace.sid, "Worker Test1", attributes=SEED_ATTRIBUTES)
    assert re.fullmatch(r"WK[0-9a-f]{32}", worker.sid)
    assert worker.workspace_sid == workspace.sid and worker.enterprise_sid == api.account["enterpriseSid"]
    assert worker.name == "Worker Test1"
    assert worker.attributes == SEED_ATTRIBUTES
    assert worker.activity_sid == workspace.default_activity_sid
    assert worker.activity_name == "Offline" and worker.available is False
    assert worker.uri == f"/taskrouter/workers/search/{worker.sid}"
    assert worker.account_email == api.account["accountEmail"]
    assert worker.capacity == 1
    assert get(api, worker.sid) == worker


def test_create_in_a_given_activity(api, workspace):
    online = activity_named(api, workspace.sid, "Online")
    worker = make_worker(api, workspace.sid, activity_sid=online.sid)
    assert (worker.activity_sid, worker.activity_name, worker.available) == (online.sid, "Online", True)


def test_create_follows_a_changed_default_activity(api, workspace):
    online = activity_named(api, workspace.sid, "Online")
    api.configuration.UpdateWorkspace(cs.UpdateWorkspaceRequest(sid=workspace.sid, default_activity_sid=online.sid))
    worker = make_worker(api, workspace.sid)
    assert (worker.activity_sid, worker.available) == (online.sid, True)


@pytest.mark.parametrize("attributes", [None, "", "   ", "not json", "{'single': 'quotes'}", "[1, 2]", '"text"',
                                        "42", "{}"])
def test_attributes_invalid_or_empty_is_531(api, workspace, attributes):
    request = wks.CreateWorkerRequest(workspace_sid=workspace.sid, name="w")
    if attributes is not None:
        request.attributes = attributes
    with raises(BAD, "WORKER_ATTRIBUTES_INVALID", code="531"):
        api.workforce.CreateWorker(request)
    assert list_workers(api, workspace_sid=workspace.sid).total == 0


def test_capacity_bounds(api, workspace):
    assert make_worker(api, workspace.sid, capacity=50).capacity == 50
    worker = make_worker(api, workspace.sid, capacity=1)
    assert update(api, worker.sid, capacity=3).capacity == 3
    for bad in (0, 51):
        with raises(BAD, "INVALID_ARGUMENT", data="capacity"):
            make_worker(api, workspace.sid, capacity=bad)
        with raises(BAD, "INVALID_ARGUMENT", data="capacity"):
            update(api, worker.sid, capacity=bad)
    assert get(api, worker.sid).capacity == 3


def test_attributes_without_contact_uri_is_532(api, workspace):
    attributes = '{"language": ["en"]}'
    with raises(BAD, "WORKER_CONTACT_URI_MISSING", code="532", data=attributes):
        make_worker(api, workspace.sid, attributes=attributes)


def test_duplicate_name_is_536(api, workspace):
    make_worker(api, workspace.sid, "Amit Test1 jp vn")
    with raises(EXISTS, "WORKER_NOT_UNIQUE", code="536", data="Amit Test1 jp vn"):
        make_worker(api, workspace.sid, "Amit Test1 jp vn")
    assert make_worker(api, make_workspace(api).sid, "Amit Test1 jp vn").name == "Amit Test1 jp vn"


def test_unknown_activity_is_510(api, workspace):
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        make_worker(api, workspace.sid, activity_sid=MISSING["activity"])


def test_activity_of_another_workspace_is_510(api, workspace):
    elsewhere = make_activity(api, make_workspace(api).sid)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=elsewhere.sid):
        make_worker(api, workspace.sid, activity_sid=elsewhere.sid)
    assert list_workers(api, workspace_sid=workspace.sid).total == 0


def test_mandatory_workspace_and_name(api, workspace):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        make_worker(api, MISSING["workspace"])
    with raises(BAD, "MISSING_FIELD", data="workspaceSid"):
        api.workforce.CreateWorker(wks.CreateWorkerRequest(name="w", attributes=worker_attributes()))
    with raises(BAD, "MISSING_FIELD", data="name"):
        api.workforce.CreateWorker(wks.CreateWorkerRequest(workspace_sid=workspace.sid,
                                                           attributes=worker_attributes()))
    with raises(BAD, "INVALID_ARGUMENT", data="name"):
        make_worker(api, workspace.sid, "w" * 256)


# Get, update, delete


@pytest.mark.parametrize("call", [get, delete, lambda api, sid: update(api, sid, name="x")])
def test_unknown_worker_is_530(api, call):
    with raises(NOT_FOUND, "WORKER_NOT_FOUND", code="530", data=MISSING["worker"]):
        call(api, MISSING["worker"])


def test_update_activity_changes_available_and_activity_name(api, workspace):
    worker = make_worker(api, workspace.sid)
    online = activity_named(api, workspace.sid, "Online")
    updated = update(api, worker.sid, activity_sid=online.sid)
    assert (updated.activity_sid, updated.activity_name, updated.available) == (online.sid, "Online", True)
    assert updated.attributes == worker.attributes and updated.name == worker.name
    assert get(api, worker.sid) == updated
    back = update(api, worker.sid, activity_sid=workspace.default_activity_sid)
    assert (back.activity_name, back.available) == ("Offline", False)


def test_available_and_activity_name_follow_the_activity_itself(api, workspace):
    lunch = make_activity(api, workspace.sid, "Lunch", available=False)
    worker = make_worker(api, workspace.sid, activity_sid=lunch.sid)
    assert (worker.activity_name, worker.available) == ("Lunch", False)
    api.configuration.UpdateActivity(cs.UpdateActivityRequest(sid=lunch.sid, name="Ready", available=True))
    now = get(api, worker.sid)
    assert (now.activity_sid, now.activity_name, now.available) == (lunch.sid, "Ready", True)
    assert sids(list_workers(api, workspace_sid=workspace.sid, available=True)) == [worker.sid]


def test_update_name_and_attributes(api, workspace):
    worker = make_worker(api, workspace.sid, "Before")
    attributes = worker_attributes(skills=["support"])
    updated = update(api, worker.sid, name="After", attributes=attributes)
    assert (updated.name, updated.attributes) == ("After", attributes)
    assert updated.activity_sid == worker.activity_sid
    assert updated.date_created == worker.date_created and updated.date_updated >= worker.date_updated
    assert get(api, worker.sid) == updated


def test_update_errors_leave_the_worker_unchanged(api, workspace):
    worker = make_worker(api, workspace.sid, "Mine")
    make_worker(api, workspace.sid, "Taken")
    with raises(EXISTS, "WORKER_NOT_UNIQUE", code="536", data="Taken"):
        update(api, worker.sid, name="Taken")
    with raises(BAD, "WORKER_ATTRIBUTES_INVALID", code="531"):
        update(api, worker.sid, attributes="{broken")
    with raises(BAD, "WORKER_ATTRIBUTES_INVALID", code="531"):
        update(api, worker.sid, attributes="")
    with raises(BAD, "WORKER_CONTACT_URI_MISSING", code="532"):
        update(api, worker.sid, attributes='{"skills": []}')
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        update(api, worker.sid, activity_sid=MISSING["activity"])
    elsewhere = make_activity(api, make_workspace(api).sid)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=elsewhere.sid):
        update(api, worker.sid, activity_sid=elsewhere.sid)
    assert get(api, worker.sid) == worker


def test_delete(api, workspace):
    worker = make_worker(api, workspace.sid)
    deleted = delete(api, worker.sid)
    assert deleted.sid == worker.sid and deleted.name == worker.name
    with raises(NOT_FOUND, "WORKER_NOT_FOUND", code="530", data=worker.sid):
        get(api, worker.sid)
    assert list_workers(api, workspace_sid=workspace.sid).total == 0


# List


@pytest.fixture
def team(api, workspace):
    """Three workers: X (support, sales; EN), Y (sales; JP, EN) online, Z (billing) offline."""
    online = activity_named(api, workspace.sid, "Online")
    x = make_worker(api, workspace.sid, "Worker X",
                    attributes=worker_attributes(skills=["support", "sales"], languages=["EN"]))
    y = make_worker(api, workspace.sid, "Worker Y", activity_sid=online.sid,
                    attributes=worker_attributes(skills=["sales"], languages=["JP", "EN"]))
    z = make_worker(api, workspace.sid, "Worker Z", attributes=worker_attributes(skills=["billing"]))
    return {"x": x, "y": y, "z": z, "online": online}


def test_list_filters_by_workspace_name_activity_and_available(api, workspace, team):
    elsewhere = make_worker(api, make_workspace(api).sid, "Worker elsewhere")
    assert list_workers(api).total == 4
    assert set(sids(list_workers(api, workspace_sid=workspace.sid))) == {team[k].sid for k in "xyz"}
    assert sids(list_workers(api, name="ELSEWHERE")) == [elsewhere.sid]
    assert names(list_workers(api, workspace_sid=workspace.sid, name="worker y")) == ["Worker Y"]
    assert sids(list_workers(api, activity_sid=team["online"].sid)) == [team["y"].sid]
    assert sids(list_workers(api, workspace_sid=workspace.sid, available=True)) == [team["y"].sid]
    unavailable = list_workers(api, workspace_sid=workspace.sid, available=False, sort_by="name:asc")
    assert names(unavailable) == ["Worker X", "Worker Z"]
    assert all(w.activity_name == "Offline" and not w.available for w in unavailable.result)
    assert sids(list_workers(api, activity_name="onl")) == [team["y"].sid]
    assert list_workers(api, workspace_sid=workspace.sid, activity_name="Offline").total == 2


def test_list_by_target_worker_expression(api, workspace, team):
    sales = list_workers(api, workspace_sid=workspace.sid, target_worker_expression="skills HAS 'sales'",
                         sort_by="name:asc")
    assert names(sales) == ["Worker X", "Worker Y"] and sales.total == 2
    assert names(list_workers(api, target_worker_expression="languages[any] = 'JP'")) == ["Worker Y"]
    assert list_workers(api, target_worker_expression="skills HAS 'cooking'").total == 0
    paged = list_workers(api, target_worker_expression="1==1", page_size=2, sort_by="name:asc")
    assert names(paged) == ["Worker X", "Worker Y"] and paged.total == 3
    assert "targetWorkerExpression=" in paged.next_page_uri
    with raises(BAD, "INVALID_EXPRESSION"):
        list_workers(api, target_worker_expression="skills HAS")


def test_filters_with_nul_are_invalid_or_match_nothing(api, workspace, team):
    with raises(BAD, "INVALID_ARGUMENT", data="activityName"):
        list_workers(api, activity_name="Off\x00")
    with raises(BAD, "INVALID_ARGUMENT", data="taskQueueName"):
        list_workers(api, task_queue_name="Sales\x00")
    with raises(BAD, "INVALID_ARGUMENT", data="workspaceSid"):
        list_workers(api, workspace_sid=workspace.sid + "\x00")
    with raises(BAD, "INVALID_ARGUMENT", data="sid"):
        get(api, team["x"].sid + "\x00")


def test_list_by_task_queue_follows_target_workers(api, workspace, team):
    sales = make_queue(api, workspace.sid, "Sales", target_workers="skills HAS 'sales'")
    support = make_queue(api, workspace.sid, "Support", target_workers="skills[any] = 'support'")
    everyone = make_queue(api, workspace.sid, "Everyone")

    def by_sid(queue):
        return set(sids(list_workers(api, task_queue_sid=queue.sid)))

    def by_name(name):
        return set(sids(list_workers(api, task_queue_name=name)))

    x, y, z = team["x"].sid, team["y"].sid, team["z"].sid
    assert by_sid(sales) == by_name("Sales") == {x, y}
    assert by_sid(support) == by_name("Support") == {x}
    assert by_sid(everyone) == {x, y, z}

    # A worker's attributes change: its memberships follow.
    update(api, z, attributes=worker_attributes(skills=["sales", "support"]))
    assert by_sid(sales) == {x, y, z} and by_sid(support) == {x, z}
    update(api, x, attributes=worker_attributes(skills=["billing"]))
    assert by_sid(sales) == {y, z} and by_name("Support") == {z}

    # A queue's targetWorkers change: its members follow.
    api.configuration.UpdateTaskQueue(cs.UpdateTaskQueueRequest(sid=support.sid, target_workers="skills HAS 'billing'"))
    assert by_sid(support) == by_name("Support") == {x}

    # New workers join, deleted workers leave.
    new = make_worker(api, workspace.sid, attributes=worker_attributes(skills=["billing"])).sid
    assert by_sid(support) == {x, new}
    delete(api, x)
    assert by_sid(support) == {new}
    assert by_sid(everyone) == {y, z, new}

    # Filters combine.
    assert set(sids(list_workers(api, task_queue_sid=sales.sid, available=True))) == {y}
    assert list_workers(api, task_queue_sid=MISSING["queue"]).total == 0
    assert list_workers(api, task_queue_name="No such queue").total == 0


def test_queue_created_after_the_workers_finds_them(api, workspace, team):
    queue = make_queue(api, workspace.sid, "Japanese", target_workers="languages HAS 'JP'")
    assert sids(list_workers(api, task_queue_sid=queue.sid)) == [team["y"].sid]


def test_list_paging_and_sorting(api, workspace, team):
    first = list_workers(api, workspace_sid=workspace.sid, page_size=2, sort_by="name:desc")
    assert names(first) == ["Worker Z", "Worker Y"]
    assert (first.total, first.num_pages, first.start, first.end) == (3, 2, 0, 1)
    assert first.next_page_uri.startswith(page_uri("workers", 2, 1))
    assert first.first_page_uri.startswith(page_uri("workers", 2, 0))
    second = list_workers(api, workspace_sid=workspace.sid, page_size=2, page=1, sort_by="name:desc")
    assert names(second) == ["Worker X"] and not second.HasField("next_page_uri")
    assert names(list_workers(api, workspace_sid=workspace.sid, sort_by="dateCreated:desc")) == \
        ["Worker Z", "Worker Y", "Worker X"]
    by_activity = names(list_workers(api, workspace_sid=workspace.sid, sort_by="activityName:asc"))
    assert by_activity[-1] == "Worker Y"  # Offline < Online
    whole = list_workers(api, workspace_sid=workspace.sid)
    assert whole.page_size == 10 and whole.uri.startswith(page_uri("workers"))
    with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
        list_workers(api, page_size=5000)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_workers(api, sort_by="attributes:asc")
    with raises(BAD, "INVALID_ARGUMENT", data="startTime"):
        list_workers(api, start_time="soon")


def test_list_result_carries_activity_name(api, workspace, team):
    rows = {w.sid: w for w in list_workers(api, workspace_sid=workspace.sid).result}
    assert rows[team["y"].sid].activity_name == "Online" and rows[team["y"].sid].available is True
    assert rows[team["x"].sid].activity_name == "Offline" and rows[team["x"].sid].available is False
    assert json.loads(rows[team["x"].sid].attributes)["skills"] == ["support", "sales"]
