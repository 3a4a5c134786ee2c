"""ConfigurationService activities through the real server: the seed's Activities section."""

from __future__ import annotations

import re

import pytest
from helpers import (
    BAD,
    EXISTS,
    MISSING,
    NOT_FOUND,
    PRECONDITION,
    make_activity,
    make_queue,
    make_worker,
    make_workspace,
    names,
    page_uri,
    raises,
    sids,
    today,
)

from taskrouter.v1 import configuration_service_pb2 as cs
from taskrouter.v1 import workforce_service_pb2 as wks


def list_acts(api, **fields):
    return api.configuration.ListActivities(cs.ListActivitiesRequest(**fields))


def get(api, sid):
    return api.configuration.GetActivity(cs.GetActivityRequest(sid=sid))


def update(api, sid, **fields):
    return api.configuration.UpdateActivity(cs.UpdateActivityRequest(sid=sid, **fields))


def delete(api, sid):
    return api.configuration.DeleteActivity(cs.DeleteActivityRequest(sid=sid))


def test_create_returns_the_seeds_fields(api, workspace):
    activity = make_activity(api, workspace.sid, "Reserved", available=False)
    assert re.fullmatch(r"AT[0-9a-f]{32}", activity.sid)
    assert activity.workspace_sid == workspace.sid
    assert activity.enterprise_sid == api.account["enterpriseSid"]
    assert activity.name == "Reserved" and activity.available is False
    assert activity.account_email == api.account["accountEmail"]
    assert activity.uri == f"/taskrouter/activities/search/{activity.sid}"
    assert activity.date_created and activity.date_updated == activity.date_created
    assert get(api, activity.sid) == activity
    assert make_activity(api, workspace.sid, "Available", available=True).available is True


def test_available_is_mandatory(api, workspace):
    with raises(BAD, "MISSING_FIELD", data="available"):
        api.configuration.CreateActivity(cs.CreateActivityRequest(workspace_sid=workspace.sid, name="x"))


def test_name_and_workspace_are_mandatory(api, workspace):
    with raises(BAD, "MISSING_FIELD", data="name"):
        api.configuration.CreateActivity(cs.CreateActivityRequest(workspace_sid=workspace.sid, available=True))
    with raises(BAD, "MISSING_FIELD", data="workspaceSid"):
        api.configuration.CreateActivity(cs.CreateActivityRequest(name="x", available=True))


def test_create_in_unknown_workspace_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        make_activity(api, MISSING["workspace"])


def test_duplicate_name_in_the_workspace_is_516(api, workspace):
    make_activity(api, workspace.sid, "Reserved3")
    with raises(EXISTS, "ACTIVITY_NOT_UNIQUE", code="516", data="Reserved3"):
        make_activity(api, workspace.sid, "Reserved3", available=False)
    # The seeded activities count too.
    with raises(EXISTS, "ACTIVITY_NOT_UNIQUE", code="516", data="Offline"):
        make_activity(api, workspace.sid, "Offline")
    assert list_acts(api, workspace_sid=workspace.sid).total == 3


def test_same_name_in_another_workspace_is_fine(api, workspace):
    other = make_workspace(api)
    assert make_activity(api, workspace.sid, "Lunch").workspace_sid == workspace.sid
    assert make_activity(api, other.sid, "Lunch").workspace_sid == other.sid


def test_get_unknown_is_510(api):
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        get(api, MISSING["activity"])


def test_update_name_and_available(api, workspace):
    activity = make_activity(api, workspace.sid, "Reserved", available=False)
    updated = update(api, activity.sid, name="Reserved_Updated", available=True)
    assert (updated.name, updated.available) == ("Reserved_Updated", True)
    assert updated.date_updated >= activity.date_updated and updated.date_created == activity.date_created
    assert get(api, activity.sid) == updated
    # Fields not given are kept.
    assert update(api, activity.sid, name="Only name").available is True
    assert update(api, activity.sid, available=False).name == "Only name"


def test_update_to_a_taken_name_is_516(api, workspace):
    activity = make_activity(api, workspace.sid, "Break")
    with raises(EXISTS, "ACTIVITY_NOT_UNIQUE", code="516", data="Online"):
        update(api, activity.sid, name="Online")
    assert get(api, activity.sid).name == "Break"


def test_update_unknown_is_510(api):
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        update(api, MISSING["activity"], name="x")


def test_delete_returns_the_activity_and_it_is_gone(api, workspace):
    activity = make_activity(api, workspace.sid)
    assert delete(api, activity.sid).sid == activity.sid
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=activity.sid):
        get(api, activity.sid)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=activity.sid):
        delete(api, activity.sid)


def test_delete_unknown_is_510(api):
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        delete(api, MISSING["activity"])


def test_activity_of_a_worker_cannot_be_deleted(api, workspace):
    busy = make_activity(api, workspace.sid, "Busy", available=False)
    worker = make_worker(api, workspace.sid, activity_sid=busy.sid)
    with raises(PRECONDITION, "ACTIVITY_IN_USE", data=busy.sid):
        delete(api, busy.sid)
    assert get(api, busy.sid).name == "Busy"
    # Once the worker has moved on, it can go.
    api.workforce.UpdateWorker(wks.UpdateWorkerRequest(sid=worker.sid, activity_sid=workspace.default_activity_sid))
    delete(api, busy.sid)


@pytest.mark.parametrize("role", ["default", "timeout"])
def test_default_or_timeout_activity_of_the_workspace_cannot_be_deleted(api, workspace, role):
    online = list_acts(api, workspace_sid=workspace.sid, name="Online").result[0]
    api.configuration.UpdateWorkspace(cs.UpdateWorkspaceRequest(sid=workspace.sid, **{f"{role}_activity_sid": online.sid}))
    with raises(PRECONDITION, "ACTIVITY_IN_USE", data=online.sid):
        delete(api, online.sid)
    assert get(api, online.sid).sid == online.sid


def test_seeded_default_activity_cannot_be_deleted(api, workspace):
    with raises(PRECONDITION, "ACTIVITY_IN_USE", data=workspace.default_activity_sid):
        delete(api, workspace.default_activity_sid)


def test_activity_of_a_task_queue_cannot_be_deleted(api, workspace):
    ringing = make_activity(api, workspace.sid, "Ringing", available=False)
    queue = make_queue(api, workspace.sid, reservation_activity_sid=ringing.sid)
    with raises(PRECONDITION, "ACTIVITY_IN_USE", data=ringing.sid):
        delete(api, ringing.sid)
    api.configuration.DeleteTaskQueue(cs.DeleteTaskQueueRequest(sid=queue.sid))
    delete(api, ringing.sid)


def test_list_filters(api, workspace):
    other = make_workspace(api)
    lunch = make_activity(api, workspace.sid, "Lunch Break", available=False)
    make_activity(api, other.sid, "Coffee break", available=False)

    mine = list_acts(api, workspace_sid=workspace.sid)
    assert mine.total == 3 and {a.workspace_sid for a in mine.result} == {workspace.sid}
    assert list_acts(api).total == 6  # both workspaces' seeded activities and ours

    assert sorted(names(list_acts(api, name="BREAK"))) == ["Coffee break", "Lunch Break"]
    assert sids(list_acts(api, workspace_sid=workspace.sid, name="break")) == [lunch.sid]

    available = list_acts(api, workspace_sid=workspace.sid, available=True)
    assert names(available) == ["Online"]
    unavailable = list_acts(api, workspace_sid=workspace.sid, available=False, sort_by="name:asc")
    assert names(unavailable) == ["Lunch Break", "Offline"]
    assert list_acts(api, workspace_sid=workspace.sid, start_time=today().isoformat()).total == 3


def test_list_paging_and_sorting(api, workspace):
    for name in ("A", "B", "C"):
        make_activity(api, workspace.sid, name)
    first = list_acts(api, workspace_sid=workspace.sid, page_size=2, sort_by="name:asc")
    assert names(first) == ["A", "B"]
    assert (first.total, first.num_pages, first.start, first.end) == (5, 3, 0, 1)
    assert first.next_page_uri.startswith(page_uri("activities", 2, 1))
    assert f"workspaceSid={workspace.sid}" in first.next_page_uri
    last = list_acts(api, workspace_sid=workspace.sid, page_size=2, page=2, sort_by="name:asc")
    assert names(last) == ["Online"] and not last.HasField("next_page_uri")
    assert names(list_acts(api, workspace_sid=workspace.sid, sort_by="name:desc"))[0] == "Online"
    assert names(list_acts(api, workspace_sid=workspace.sid, sort_by="dateCreated:desc"))[0] == "C"
    whole = list_acts(api, workspace_sid=workspace.sid)
    assert whole.uri.startswith(page_uri("activities")) and not whole.HasField("next_page_uri")
    with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
        list_acts(api, page_size=1001)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_acts(api, sort_by="colour:asc")
    with raises(BAD, "INVALID_ARGUMENT", data="endTime"):
        list_acts(api, end_time="not a date")
