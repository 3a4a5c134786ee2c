"""The statistics endpoints' shapes and errors, over HTTP and gRPC."""

from __future__ import annotations

import time

import grpc
import httpx
import pytest

from taskrouter.server.accounts import create_account
from taskrouter.v1 import configuration_service_pb2, statistics_pb2

DURATION = {"avg", "min", "max", "total", "p50", "p90", "p95", "p99"}
REALTIME = {"tasksByStatus", "totalTasks", "longestTaskWaitingAge", "longestTaskWaitingSid", "activityStatistics",
            "totalAvailableWorkers"}
CUMULATIVE = {"startTime", "endTime", "tasksCreated", "tasksCanceled", "tasksCompleted", "tasksMoved",
              "reservationsCreated", "reservationsAccepted", "reservationsRejected", "reservationsTimedOut",
              "reservationsCanceled", "reservationsRescinded", "waitDurationUntilAccepted",
              "waitDurationUntilCanceled", "handleDuration", "splitByWaitTime"}


def test_every_field_of_every_kind(floor):
    queue = floor.queue("Q")
    flow = floor.workflow(queue["sid"])
    worker = floor.worker("w", online=False)
    for kind, sid in (("workspaces", floor.ws["sid"]), ("taskqueues", queue["sid"]), ("workflows", flow["sid"])):
        data = floor.statistics(kind, sid, splitByWaitTime="20,60")
        assert set(data) == {"realtime", "cumulative"}
        assert set(data["realtime"]) == REALTIME | ({"totalEligibleWorkers"} if kind == "taskqueues" else set())
        assert set(data["realtime"]["tasksByStatus"]) == {"pending", "reserved", "assigned", "wrapping"}
        assert set(data["cumulative"]) == CUMULATIVE
        for name in ("waitDurationUntilAccepted", "waitDurationUntilCanceled", "handleDuration"):
            assert set(data["cumulative"][name]) == DURATION
        assert set(data["cumulative"]["splitByWaitTime"]) == {"20", "60"}
        assert data["cumulative"]["splitByWaitTime"]["20"] == {
            "below": {"tasksAccepted": 0, "tasksCanceled": 0}, "above": {"tasksAccepted": 0, "tasksCanceled": 0}}
    data = floor.statistics("workers", worker["sid"])
    assert set(data["realtime"]) == {"activitySid", "activityName", "available", "activitySince", "activityAge",
                                     "tasksByChannel"}
    assert data["realtime"]["activityName"] == "Offline" and data["realtime"]["available"] is False
    assert set(data["cumulative"]) == {"startTime", "endTime", "reservationsCreated", "reservationsAccepted",
                                       "reservationsRejected", "reservationsTimedOut", "reservationsCanceled",
                                       "reservationsRescinded", "activityDurations"}


def test_a_worker_s_time_per_activity(floor):
    worker = floor.worker("w", online=False)
    time.sleep(0.3)
    floor.set_activity(worker["sid"], "Online")
    time.sleep(0.2)
    floor.set_activity(worker["sid"], "Offline")
    floor.set_activity(worker["sid"], "Online")
    durations = {d["activityName"]: d for d in
                 floor.statistics("workers", worker["sid"])["cumulative"]["activityDurations"]}
    offline, online = durations["Offline"], durations["Online"]
    assert 0.3 <= offline["max"] < 2 and offline["min"] < 0.2 and offline["total"] == pytest.approx(
        offline["min"] + offline["max"])
    assert online["total"] >= 0.2 and online["avg"] == pytest.approx(online["total"] / 2)
    assert floor.statistics("workers", worker["sid"])["realtime"]["activityName"] == "Online"


@pytest.mark.parametrize("params, field", [
    ({"minutes": "0"}, "minutes"), ({"minutes": "abc"}, "minutes"), ({"startDate": "yesterday"}, "startDate"),
    ({"endDate": "2020-02-30T00:00:00Z"}, "endDate"), ({"splitByWaitTime": "20,x"}, "splitByWaitTime"),
    ({"splitByWaitTime": "-5"}, "splitByWaitTime"),
    ({"minutes": "5", "startDate": "2020-06-15T07:00:25+0000"}, "minutes"),
    ({"taskChannel": "x" * 65}, "taskChannel"),
])
def test_bad_queries_are_400(floor, params, field):
    response = floor.http.get(f"/taskrouter/statistics/workspaces/{floor.ws['sid']}", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert set(body) == {"errorCode", "message", "data"} and field in body["message"] + body["data"]


def test_unknown_and_foreign_resources_are_not_found(floor, server):
    other = create_account("stranger@example.com")
    with httpx.Client(base_url=server.http_url, auth=(other["accountSid"], other["authToken"])) as c:
        foreign = c.get(f"/taskrouter/statistics/workspaces/{floor.ws['sid']}")
        assert foreign.json()["errorCode"] == "520", foreign.text  # as GET of the workspace answers
    for kind, prefix in (("workspaces", "WS"), ("taskqueues", "TQ"), ("workflows", "WF"), ("workers", "WK")):
        missing = f"{prefix}{'0' * 32}"
        response = floor.http.get(f"/taskrouter/statistics/{kind}/{missing}")
        expected = floor.http.get(f"/taskrouter/{kind}/search/{missing}")
        assert (response.status_code, response.json()) == (expected.status_code, expected.json())
    missing = floor.http.get("/taskrouter/statistics/stream", params={"workspaceSid": "WS" + "0" * 32})
    assert missing.json()["errorCode"] == "520"
    assert floor.http.get("/taskrouter/statistics/stream").status_code == 400


def test_grpc_methods_live_in_the_owning_services(server, api):
    ws = api.configuration.CreateWorkspace(configuration_service_pb2.CreateWorkspaceRequest(
        enterprise_sid=api.account["enterpriseSid"], name="gRPC statistics"))
    stats = api.configuration.GetWorkspaceStatistics(
        statistics_pb2.GetWorkspaceStatisticsRequest(sid=ws.sid, minutes=30))
    assert stats.cumulative.tasks_created == 0 and len(stats.realtime.activity_statistics) >= 2
    with pytest.raises(grpc.RpcError) as caught:
        api.configuration.GetWorkspaceStatistics(statistics_pb2.GetWorkspaceStatisticsRequest(sid=ws.sid, minutes=-1))
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    for stub, method in ((api.configuration, "GetTaskQueueStatistics"), (api.workflow, "GetWorkflowStatistics"),
                         (api.workforce, "GetWorkerStatistics")):
        with pytest.raises(grpc.RpcError) as caught:
            getattr(stub, method)(getattr(statistics_pb2, f"{method}Request")(sid="XX" + "0" * 32))
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_task_channel_filter_takes_a_sid_or_a_unique_name(floor, http, account):
    queue = floor.queue("Q")
    flow = floor.workflow(queue["sid"])
    for channel in ("voice", "voice", "chat"):
        floor.task(flow["sid"], channel=channel)
    channels = floor.ok(http.get("/taskrouter/taskchannels/search", params={"workspaceSid": floor.ws["sid"]}))
    voice = next(c["sid"] for c in channels["result"] if c["uniqueName"] == "voice")
    for kind, sid in (("workspaces", floor.ws["sid"]), ("taskqueues", queue["sid"]), ("workflows", flow["sid"])):
        by_sid, by_name = (floor.statistics(kind, sid, taskChannel=channel) for channel in (voice, "voice"))
        assert by_sid["realtime"]["totalTasks"] == by_name["realtime"]["totalTasks"] == 2, kind
        assert by_sid["cumulative"]["tasksCreated"] == by_name["cumulative"]["tasksCreated"] == 2, kind

    elsewhere = floor.ok(http.post("/taskrouter/workspaces", json={"enterpriseSid": account["enterpriseSid"],
                                                                 "name": f"{floor.ws['name']} elsewhere"}))
    foreign = next(c["sid"] for c in floor.ok(http.get("/taskrouter/taskchannels/search", params={
        "workspaceSid": elsewhere["sid"]}))["result"] if c["uniqueName"] == "voice")
    other_workspace = floor.statistics("workspaces", floor.ws["sid"], taskChannel=foreign)
    assert other_workspace["realtime"]["totalTasks"] == other_workspace["cumulative"]["tasksCreated"] == 0
