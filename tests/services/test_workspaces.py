"""ConfigurationService workspaces through the real server: the seed's Workspace section."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import re

import grpc
import pytest
from helpers import (
    BAD,
    EXISTS,
    MISSING,
    NOT_FOUND,
    check_error,
    make_activity,
    make_queue,
    make_task,
    make_worker,
    make_workflow,
    make_workspace,
    names,
    page_uri,
    raises,
    sids,
    today,
    unique,
)

from taskrouter.v1 import configuration_service_pb2 as cs
from taskrouter.v1 import task_service_pb2 as ts
from taskrouter.v1 import workflow_service_pb2 as wfs
from taskrouter.v1 import workforce_service_pb2 as wks

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$")


def list_ws(api, **fields):
    return api.configuration.ListWorkspaces(cs.ListWorkspacesRequest(**fields))


# Create


def test_create_returns_the_seeds_fields(api):
    ws = make_workspace(api, "MyTestWorkSpace")
    assert re.fullmatch(r"WS[0-9a-f]{32}", ws.sid)
    assert ws.enterprise_sid == api.account["enterpriseSid"]
    assert ws.name == "MyTestWorkSpace"
    assert ws.account_email == api.account["accountEmail"]
    assert ws.uri == f"/taskrouter/workspaces/search/{ws.sid}"
    assert TIME.match(ws.date_created) and ws.date_updated == ws.date_created
    assert ws.multi_task_enabled is False
    assert ws.prioritize_queue_order == "FIFO" and ws.priortize_queue_order == "FIFO"


def test_new_workspace_is_seeded_with_offline_and_online(api):
    ws = make_workspace(api)
    acts = api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=ws.sid, sort_by="name:asc"))
    assert [(a.name, a.available) for a in acts.result] == [("Offline", False), ("Online", True)]
    offline = acts.result[0]
    assert all(a.workspace_sid == ws.sid and a.sid.startswith("AT") for a in acts.result)
    assert (ws.default_activity_sid, ws.default_activity_name) == (offline.sid, "Offline")
    assert (ws.timeout_activity_sid, ws.timeout_activity_name) == (offline.sid, "Offline")


@pytest.mark.parametrize("field", ["prioritize_queue_order", "priortize_queue_order"])
@pytest.mark.parametrize("value", ["FIFO", "fifo"])
def test_both_spellings_accepted(api, field, value):
    ws = make_workspace(api, **{field: value})
    assert ws.prioritize_queue_order == "FIFO"
    assert ws.priortize_queue_order == "FIFO"
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid)).prioritize_queue_order == "FIFO"


@pytest.mark.parametrize("field", ["prioritize_queue_order", "priortize_queue_order"])
@pytest.mark.parametrize("value", ["LIFO", "lifo"])
def test_lifo_is_refused_not_ignored(api, field, value):
    """Only FIFO is implemented: LIFO is refused by name rather than silently stored as FIFO."""
    with pytest.raises(grpc.RpcError) as caught:
        make_workspace(api, **{field: value})
    check_error(caught.value, BAD, reason="INVALID_ARGUMENT")
    assert "prioritizeQueueOrder" in caught.value.details()


def test_unknown_queue_order_is_invalid(api):
    with raises(BAD, "INVALID_ARGUMENT"):
        make_workspace(api, prioritize_queue_order="RANDOM")


def test_name_is_mandatory(api):
    with raises(BAD, "MISSING_FIELD", code="400", data="name"):
        make_workspace(api, name="   ")


def test_enterprise_sid_is_mandatory(api):
    with raises(BAD, "MISSING_FIELD", data="enterpriseSid"):
        api.configuration.CreateWorkspace(cs.CreateWorkspaceRequest(name=unique()))


def test_enterprise_sid_must_be_the_callers(api, other_api):
    with raises(grpc.StatusCode.PERMISSION_DENIED, "PERMISSION_DENIED"):
        api.configuration.CreateWorkspace(cs.CreateWorkspaceRequest(
            enterprise_sid=other_api.account["enterpriseSid"], name=unique()))
    assert list_ws(other_api).total == 0


def test_enterprise_sid_with_the_seeds_stray_spaces_is_accepted(api):
    ws = api.configuration.CreateWorkspace(cs.CreateWorkspaceRequest(
        enterprise_sid=" " + api.account["enterpriseSid"], name=unique()))
    assert ws.enterprise_sid == api.account["enterpriseSid"]


def test_duplicate_name_is_526(api):
    make_workspace(api, "MyTestWorkSpace 5")
    with raises(EXISTS, "WORKSPACE_NOT_UNIQUE", code="526", data="MyTestWorkSpace 5") as err:
        make_workspace(api, "MyTestWorkSpace 5")
    assert err[0].metadata["errorCode"] == "526"
    assert list_ws(api, name="MyTestWorkSpace 5").total == 1


def test_concurrent_creates_of_one_name_make_one_workspace(api):
    def create(_):
        try:
            return make_workspace(api, "Racing").sid
        except grpc.RpcError as error:
            check_error(error, EXISTS, reason="WORKSPACE_NOT_UNIQUE", error_code="526", data="Racing")
            return None

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        created = [sid for sid in pool.map(create, range(8)) if sid]
    assert len(created) == 1
    assert sids(list_ws(api)) == created
    assert api.configuration.ListActivities(cs.ListActivitiesRequest()).total == 2


def test_name_length_and_characters(api):
    assert make_workspace(api, "x" * 255).name == "x" * 255
    with raises(BAD, "INVALID_ARGUMENT", data="name"):
        make_workspace(api, "x" * 256)
    with raises(BAD, "INVALID_ARGUMENT", data="name"):
        make_workspace(api, "nul\x00name")
    with raises(BAD, "INVALID_ARGUMENT", data="eventCallbackUrl"):
        make_workspace(api, event_callback_url="http://example.com/\x00")
    assert list_ws(api).total == 1


def test_name_is_unique_per_enterprise_only(api, other_api):
    mine = make_workspace(api, "Shared name")
    theirs = make_workspace(other_api, "Shared name")
    assert mine.sid != theirs.sid
    assert theirs.enterprise_sid == other_api.account["enterpriseSid"]


# Get


def test_get_returns_the_created_workspace(api):
    ws = make_workspace(api)
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid)) == ws


def test_get_unknown_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=MISSING["workspace"]))


def test_get_sid_with_nul_is_invalid(api):
    with raises(BAD, "INVALID_ARGUMENT", data="sid"):
        api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=MISSING["workspace"] + "\x00"))


def test_get_empty_sid_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520"):
        api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=""))


# Update


def update(api, sid, **fields):
    return api.configuration.UpdateWorkspace(cs.UpdateWorkspaceRequest(sid=sid, **fields))


def test_update_name(api):
    ws = make_workspace(api)
    updated = update(api, ws.sid, name="Renamed")
    assert updated.name == "Renamed"
    assert updated.date_created == ws.date_created and updated.date_updated >= ws.date_updated
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid)).name == "Renamed"


def test_update_to_its_own_name_is_fine(api):
    ws = make_workspace(api)
    assert update(api, ws.sid, name=ws.name).name == ws.name


def test_update_to_a_taken_name_is_526(api):
    taken = make_workspace(api)
    ws = make_workspace(api)
    with raises(EXISTS, "WORKSPACE_NOT_UNIQUE", code="526", data=taken.name):
        update(api, ws.sid, name=taken.name)
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid)).name == ws.name


def test_update_to_a_name_taken_in_another_enterprise_is_fine(api, other_api):
    theirs = make_workspace(other_api)
    ws = make_workspace(api)
    assert update(api, ws.sid, name=theirs.name).name == theirs.name


def test_update_unknown_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        update(api, MISSING["workspace"], name="x")


@pytest.mark.parametrize("field", ["prioritize_queue_order", "priortize_queue_order"])
def test_update_lifo_is_refused(api, field):
    ws = make_workspace(api)
    with raises(BAD, "INVALID_ARGUMENT"):
        update(api, ws.sid, **{field: "LIFO"})
    assert api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid)).prioritize_queue_order == "FIFO"


def test_update_default_and_timeout_activity_by_sid(api):
    ws = make_workspace(api)
    busy = make_activity(api, ws.sid, "Busy", available=False)
    updated = update(api, ws.sid, default_activity_sid=busy.sid, timeout_activity_sid=busy.sid)
    assert (updated.default_activity_sid, updated.default_activity_name) == (busy.sid, "Busy")
    assert (updated.timeout_activity_sid, updated.timeout_activity_name) == (busy.sid, "Busy")
    # New workers now start in the new default activity.
    assert make_worker(api, ws.sid).activity_sid == busy.sid


def test_update_default_and_timeout_activity_by_name(api):
    ws = make_workspace(api)
    online = api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=ws.sid, name="Online")).result[0]
    updated = update(api, ws.sid, default_activity_name="Online", timeout_activity_name="Online")
    assert updated.default_activity_sid == online.sid and updated.default_activity_name == "Online"
    assert updated.timeout_activity_sid == online.sid and updated.timeout_activity_name == "Online"


def test_activity_sid_takes_preference_over_name(api):
    ws = make_workspace(api)
    busy = make_activity(api, ws.sid, "Busy", available=False)
    updated = update(api, ws.sid, default_activity_sid=busy.sid, default_activity_name="Online",
                     timeout_activity_sid=busy.sid, timeout_activity_name="Online")
    assert updated.default_activity_sid == busy.sid and updated.timeout_activity_sid == busy.sid


def test_update_with_unknown_activity_is_510(api):
    ws = make_workspace(api)
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=MISSING["activity"]):
        update(api, ws.sid, default_activity_sid=MISSING["activity"])
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data="No such activity"):
        update(api, ws.sid, timeout_activity_name="No such activity")
    after = api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid))
    assert after.default_activity_sid == ws.default_activity_sid
    assert after.timeout_activity_sid == ws.timeout_activity_sid


def test_update_with_activity_of_another_workspace_is_510(api):
    ws = make_workspace(api)
    elsewhere = make_activity(api, make_workspace(api).sid, "Elsewhere")
    with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510", data=elsewhere.sid):
        update(api, ws.sid, default_activity_sid=elsewhere.sid)


# Delete


def test_delete_returns_the_workspace_and_it_is_gone(api):
    ws = make_workspace(api)
    deleted = api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=ws.sid))
    assert deleted.sid == ws.sid and deleted.name == ws.name
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=ws.sid):
        api.configuration.GetWorkspace(cs.GetWorkspaceRequest(sid=ws.sid))
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=ws.sid):
        api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=ws.sid))
    assert ws.sid not in sids(list_ws(api))


def test_delete_unknown_is_520(api):
    with raises(NOT_FOUND, "WORKSPACE_NOT_FOUND", code="520", data=MISSING["workspace"]):
        api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=MISSING["workspace"]))


def test_delete_removes_its_resources_but_tasks_stay_readable(api):
    ws = make_workspace(api)
    keep = make_workspace(api)
    queue = make_queue(api, ws.sid)
    worker = make_worker(api, ws.sid)
    workflow = make_workflow(api, ws.sid, queue.sid)
    activity = make_activity(api, ws.sid)
    task = make_task(api, workflow.sid, attributes='{"type": "support"}')
    kept_queue = make_queue(api, keep.sid)

    api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=ws.sid))

    with raises(NOT_FOUND, "TASK_QUEUE_NOT_FOUND", code="540"):
        api.configuration.GetTaskQueue(cs.GetTaskQueueRequest(sid=queue.sid))
    with raises(NOT_FOUND, "WORKER_NOT_FOUND", code="530"):
        api.workforce.GetWorker(wks.GetWorkerRequest(sid=worker.sid))
    with raises(NOT_FOUND, "WORKFLOW_NOT_FOUND", code="550"):
        api.workflow.GetWorkflow(wfs.GetWorkflowRequest(sid=workflow.sid))
    for sid in (activity.sid, ws.default_activity_sid):
        with raises(NOT_FOUND, "ACTIVITY_NOT_FOUND", code="510"):
            api.configuration.GetActivity(cs.GetActivityRequest(sid=sid))
    assert api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=ws.sid)).total == 0
    assert api.workforce.ListWorkers(wks.ListWorkersRequest(workspace_sid=ws.sid)).total == 0
    assert api.configuration.ListTaskQueues(cs.ListTaskQueuesRequest(workspace_sid=ws.sid)).total == 0
    assert api.workflow.ListWorkflows(wfs.ListWorkflowsRequest(workspace_sid=ws.sid)).total == 0

    # "The Tasks details remain."
    kept = api.tasks.GetTask(ts.GetTaskRequest(sid=task.sid))
    assert kept.workspace_sid == ws.sid and kept.attributes == '{"type": "support"}'
    assert kept.workflow_sid == workflow.sid
    # The other workspace is untouched.
    assert api.configuration.GetTaskQueue(cs.GetTaskQueueRequest(sid=kept_queue.sid)).sid == kept_queue.sid
    assert api.configuration.ListActivities(cs.ListActivitiesRequest(workspace_sid=keep.sid)).total == 2


def test_name_is_free_again_after_delete(api):
    ws = make_workspace(api, "Reusable")
    api.configuration.DeleteWorkspace(cs.DeleteWorkspaceRequest(sid=ws.sid))
    assert make_workspace(api, "Reusable").sid != ws.sid


# List: paging


def test_list_defaults_to_page_0_of_10(api):
    created = [make_workspace(api, f"WS {i:02d}") for i in range(3)]
    response = list_ws(api)
    assert response.page == 0 and response.page_size == 10
    assert response.total == 3 and response.num_pages == 1
    assert (response.start, response.end) == (0, 2)
    assert set(sids(response)) == {w.sid for w in created}
    assert response.first_page_uri == page_uri("workspaces")
    assert response.uri == "/taskrouter/workspaces/search/?pageSize=10&page=0"
    assert not response.HasField("next_page_uri")


def test_list_pages_through_everything(api):
    created = {make_workspace(api, f"WS {i:02d}").sid for i in range(5)}
    first = list_ws(api, page_size=2, sort_by="name:asc")
    assert names(first) == ["WS 00", "WS 01"]
    assert (first.total, first.num_pages, first.start, first.end) == (5, 3, 0, 1)
    assert first.first_page_uri.startswith(page_uri("workspaces", 2, 0))
    assert first.next_page_uri.startswith(page_uri("workspaces", 2, 1))
    assert first.uri.startswith(page_uri("workspaces", 2, 0))

    second = list_ws(api, page_size=2, page=1, sort_by="name:asc")
    assert names(second) == ["WS 02", "WS 03"]
    assert (second.page, second.start, second.end) == (1, 2, 3)
    assert second.next_page_uri.startswith(page_uri("workspaces", 2, 2))

    last = list_ws(api, page_size=2, page=2, sort_by="name:asc")
    assert names(last) == ["WS 04"]
    assert (last.start, last.end) == (4, 4)
    assert not last.HasField("next_page_uri")
    assert set(sids(first) + sids(second) + sids(last)) == created

    beyond = list_ws(api, page_size=2, page=7)
    assert list(beyond.result) == [] and beyond.total == 5 and not beyond.HasField("next_page_uri")


def test_next_page_uri_keeps_the_filters(api):
    for i in range(3):
        make_workspace(api, f"Sales {i}")
    response = list_ws(api, page_size=1, name="sales", sort_by="name:desc")
    assert "page=1" in response.next_page_uri
    assert "name=sales" in response.next_page_uri and "SortBy=name%3Adesc" in response.next_page_uri


def test_page_size_bounds(api):
    make_workspace(api)
    assert list_ws(api, page_size=1000).page_size == 1000
    assert list_ws(api, page_size=1).page_size == 1
    for bad in (0, -1, 1001):
        with raises(BAD, "INVALID_ARGUMENT", data="pageSize"):
            list_ws(api, page_size=bad)
    with raises(BAD, "INVALID_ARGUMENT", data="page"):
        list_ws(api, page=-1)
    # Past what the paging block's offsets can say.
    with raises(BAD, "INVALID_ARGUMENT", data="page"):
        list_ws(api, page=2**31 - 1, page_size=1000)
    assert list_ws(api, page=2**31 - 1, page_size=1).result == []


# List: filters and sorting


def test_name_filter_is_partial_and_case_insensitive(api):
    a = make_workspace(api, "Customer Support")
    b = make_workspace(api, "support desk")
    make_workspace(api, "Sales")
    response = list_ws(api, name="SUPPORT")
    assert set(sids(response)) == {a.sid, b.sid} and response.total == 2
    assert sids(list_ws(api, name="Customer Support")) == [a.sid]
    assert list_ws(api, name="nothing like it").total == 0
    with raises(BAD, "INVALID_ARGUMENT", data="name"):
        list_ws(api, name="sup\x00port")


def test_name_filter_treats_like_wildcards_literally(api):
    make_workspace(api, "100% done")
    make_workspace(api, "1000 done")
    make_workspace(api, "a_b")
    make_workspace(api, "axb")
    assert names(list_ws(api, name="0%")) == ["100% done"]
    assert names(list_ws(api, name="a_b")) == ["a_b"]


def test_time_filters_with_bare_dates(api):
    ws = make_workspace(api)
    day = today()
    tomorrow, yesterday = day + dt.timedelta(days=1), day - dt.timedelta(days=1)
    assert sids(list_ws(api, start_time=day.isoformat())) == [ws.sid]
    assert sids(list_ws(api, start_time=yesterday.isoformat(), end_time=tomorrow.isoformat())) == [ws.sid]
    assert list_ws(api, start_time=tomorrow.isoformat()).total == 0
    # A bare endTime date means midnight at the start of that day: today's workspace is later.
    assert list_ws(api, end_time=day.isoformat()).total == 0


def test_time_filters_are_inclusive_to_the_second(api):
    ws = make_workspace(api)
    created = ws.date_created[:-5]  # "2020-06-15T07:00:25"
    assert sids(list_ws(api, start_time=created)) == [ws.sid]
    assert sids(list_ws(api, end_time=created)) == [ws.sid]
    assert sids(list_ws(api, start_time=created, end_time=created)) == [ws.sid]
    assert sids(list_ws(api, start_time=created + "Z")) == [ws.sid]
    later = (dt.datetime.fromisoformat(created) + dt.timedelta(seconds=1)).isoformat()
    assert list_ws(api, start_time=later).total == 0


@pytest.mark.parametrize("field", ["start_time", "end_time"])
@pytest.mark.parametrize("value", ["yesterday", "2020-13-01", "2020-06-15T25:00:00", "15/06/2020"])
def test_invalid_time_is_invalid_argument(api, field, value):
    with raises(BAD, "INVALID_ARGUMENT", data={"start_time": "startTime", "end_time": "endTime"}[field]):
        list_ws(api, **{field: value})


def test_sort_by_name_and_date(api):
    b = make_workspace(api, "beta")
    a = make_workspace(api, "Alpha")
    c = make_workspace(api, "gamma")
    assert names(list_ws(api, sort_by="name:asc")) == ["Alpha", "beta", "gamma"]
    assert names(list_ws(api, sort_by="name:desc")) == ["gamma", "beta", "Alpha"]
    assert names(list_ws(api, sort_by="name")) == names(list_ws(api, sort_by="name:asc"))
    assert sids(list_ws(api, sort_by="dateCreated:desc")) == [c.sid, a.sid, b.sid]
    assert sids(list_ws(api, sort_by="dateCreated:asc")) == [b.sid, a.sid, c.sid]
    # The default order is newest first.
    assert sids(list_ws(api)) == [c.sid, a.sid, b.sid]


@pytest.mark.parametrize("sort_by", ["colour:asc", "name:sideways", "sid:asc"])
def test_bad_sort_is_invalid_argument(api, sort_by):
    make_workspace(api)
    with raises(BAD, "INVALID_ARGUMENT", data="SortBy"):
        list_ws(api, sort_by=sort_by)
