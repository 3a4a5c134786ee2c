"""Worker-scoped tokens: issued with account credentials, sent as Bearer over HTTP and gRPC, and
held to exactly what an agent's desktop needs (services/worker_access.py)."""

from __future__ import annotations

import re
import time

import grpc
import pytest
from desks import Stubs, bearer
from google.protobuf import descriptor_pb2  # noqa: F401 - descriptors below
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from taskrouter.server.clock import parse_time
from taskrouter.server.worker_access import ALLOWED
from taskrouter.v1 import (
    configuration_service_pb2 as cs,
)
from taskrouter.v1 import (
    task_service_pb2 as ts,
)
from taskrouter.v1 import (
    workflow_service_pb2 as wfs,
)
from taskrouter.v1 import (
    workforce_service_pb2 as wks,
)

SERVICE_MODULES = [(cs, "ConfigurationService"), (wks, "WorkforceService"), (wfs, "WorkflowService"),
                   (ts, "TaskService")]


def error_body(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"errorCode", "message", "data"}, body
    assert body["errorCode"] == code, body
    return body


def reason_of(error: grpc.RpcError) -> str:
    status = rpc_status.from_call(error)
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.reason
    raise AssertionError(f"no ErrorInfo in {error}")


# -- issuing ------------------------------------------------------------------------------------

def test_issue_returns_token_worker_and_expiry(desk):
    before = time.time()
    data = desk.ok(desk.http.post(f"/taskrouter/workers/{desk.a['sid']}/tokens", json={"ttl": 600}))
    assert set(data) == {"token", "workerSid", "expiresAt"}
    assert data["workerSid"] == desk.a["sid"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", data["expiresAt"])
    assert before + 598 <= parse_time(data["expiresAt"]) <= time.time() + 601
    default = desk.ok(desk.http.post(f"/taskrouter/workers/{desk.a['sid']}/tokens", json={}))
    assert abs(parse_time(default["expiresAt"]) - time.time() - 3600) < 5
    assert default["token"] != data["token"]


@pytest.mark.parametrize("ttl", [0, -5, 86401])
def test_ttl_out_of_range_is_refused(desk, ttl):
    response = desk.http.post(f"/taskrouter/workers/{desk.a['sid']}/tokens", json={"ttl": ttl})
    assert error_body(response, 400, "400")["data"] == "ttl"


def test_most_ttl_is_a_day(desk):
    data = desk.ok(desk.http.post(f"/taskrouter/workers/{desk.a['sid']}/tokens", json={"ttl": 86400}))
    assert abs(parse_time(data["expiresAt"]) - time.time() - 86400) < 5


def test_token_for_unknown_or_foreign_worker_is_not_found(desk, other_http):
    response = desk.http.post("/taskrouter/workers/WK" + "0" * 32 + "/tokens", json={})
    error_body(response, 409, "530")
    response = other_http.post(f"/taskrouter/workers/{desk.a['sid']}/tokens", json={})
    error_body(response, 409, "530")


def test_token_is_stored_hashed(desk, server):
    from taskrouter.server.store import models

    rows = list(models.WorkerToken.select().where(models.WorkerToken.worker_sid == desk.a["sid"]))
    assert rows and all(desk.token_a not in (r.token_hash, r.worker_sid) for r in rows)
    assert all(re.fullmatch(r"[0-9a-f]{64}", r.token_hash) for r in rows)


# -- allowed, over HTTP ---------------------------------------------------------------------------

def test_agent_reads_its_worker_and_changes_its_activity(desk):
    agent = desk.agent(desk.token_a)
    assert desk.ok(agent.get(f"/taskrouter/workers/search/{desk.a['sid']}"))["name"] == "agent a"
    updated = desk.ok(agent.put(f"/taskrouter/workers/{desk.a['sid']}",
                                json={"activitySid": desk.activities["Offline"]}))
    assert updated["activityName"] == "Offline" and updated["available"] is False


def test_agent_reads_the_workspace_activities(desk):
    agent = desk.agent(desk.token_a)
    listed = desk.ok(agent.get("/taskrouter/activities/search"))  # narrowed to its workspace
    assert {a["name"] for a in listed["result"]} == {"Offline", "Online"}
    listed = desk.ok(agent.get("/taskrouter/activities/search", params={"workspaceSid": desk.workspace["sid"]}))
    assert {a["sid"] for a in listed["result"]} == set(desk.activities.values())
    one = desk.ok(agent.get(f"/taskrouter/activities/search/{desk.activities['Online']}"))
    assert one["name"] == "Online"


def test_agent_lists_and_answers_its_reservations_then_completes_its_task(desk):
    task, reservation = desk.offered()
    agent = desk.agent(desk.token_a)
    mine = desk.ok(agent.get("/taskrouter/reservations/search"))["result"]
    assert [r["sid"] for r in mine] == [reservation["sid"]]
    assert desk.ok(agent.get(f"/taskrouter/reservations/search/{reservation['sid']}"))["taskSid"] == task["sid"]
    assert desk.ok(agent.get(f"/taskrouter/tasks/search/{task['sid']}"))["assignmentStatus"] == "Reserved"
    accepted = desk.ok(agent.put(f"/taskrouter/reservations/{reservation['sid']}",
                                 json={"reservationStatus": "accepted"}))
    assert accepted["reservationStatus"] == "accepted"
    listed = desk.ok(agent.get("/taskrouter/tasks/search", params={"isLiveSession": "true"}))["result"]
    assert [t["sid"] for t in listed] == [task["sid"]]
    noted = desk.ok(agent.put(f"/taskrouter/tasks/{task['sid']}", json={"attributes": '{"note": "called back"}'}))
    assert noted["attributes"] == '{"note": "called back"}'
    done = desk.ok(agent.put(f"/taskrouter/tasks/{task['sid']}",
                             json={"assignmentStatus": "completed", "reason": "resolved"}))
    assert done["assignmentStatus"] == "Completed"


def test_agent_rejects_an_offer(desk):
    _, reservation = desk.offered()
    agent = desk.agent(desk.token_a)
    body = {"reservationStatus": "rejected", "workerActivitySid": desk.activities["Offline"]}
    rejected = desk.ok(agent.put(f"/taskrouter/reservations/{reservation['sid']}", json=body))
    assert rejected["reservationStatus"] == "rejected"


def test_agent_opens_its_own_stream(desk):
    agent = desk.agent(desk.token_a)
    with agent.stream("GET", f"/taskrouter/workers/{desk.a['sid']}/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert next(response.iter_lines()) == ": connected"


# -- refused or not found, over HTTP --------------------------------------------------------------

def test_another_workers_resources_look_not_found(desk):
    task, reservation = desk.offered()
    other = desk.agent(desk.token_b)
    error_body(other.get(f"/taskrouter/workers/search/{desk.a['sid']}"), 409, "530")
    error_body(other.put(f"/taskrouter/workers/{desk.a['sid']}", json={"activitySid": desk.activities["Offline"]}),
               409, "530")
    error_body(other.get(f"/taskrouter/reservations/search/{reservation['sid']}"), 409, "570")
    error_body(other.put(f"/taskrouter/reservations/{reservation['sid']}", json={"reservationStatus": "accepted"}),
               409, "570")
    error_body(other.get("/taskrouter/reservations/search", params={"workerSid": desk.a["sid"]}), 409, "530")
    assert desk.ok(other.get("/taskrouter/reservations/search"))["result"] == []
    error_body(other.get(f"/taskrouter/tasks/search/{task['sid']}"), 409, "560")
    error_body(other.put(f"/taskrouter/tasks/{task['sid']}", json={"assignmentStatus": "completed"}), 409, "560")
    error_body(other.get("/taskrouter/tasks/search", params={"workerSid": desk.a["sid"]}), 409, "530")
    error_body(other.get(f"/taskrouter/workers/{desk.a['sid']}/stream"), 409, "530")
    error_body(other.get("/taskrouter/activities/search", params={"workspaceSid": "WS" + "1" * 32}), 409, "520")


def test_agent_may_change_only_the_activity_of_its_worker(desk):
    agent = desk.agent(desk.token_a)
    for body in ({"attributes": '{"contact_uri": "x", "level": 9}'}, {"name": "boss"}, {"capacity": 5},
                 {"activitySid": desk.activities["Online"], "capacity": 2}):
        body = error_body(agent.put(f"/taskrouter/workers/{desk.a['sid']}", json=body), 403, "403")
        assert "worker token" in body["message"]


def test_agent_cannot_cancel_or_reprioritise_its_task(desk):
    task, reservation = desk.offered()
    agent = desk.agent(desk.token_a)
    desk.ok(agent.put(f"/taskrouter/reservations/{reservation['sid']}", json={"reservationStatus": "accepted"}))
    error_body(agent.put(f"/taskrouter/tasks/{task['sid']}", json={"assignmentStatus": "canceled"}), 403, "403")
    error_body(agent.put(f"/taskrouter/tasks/{task['sid']}", json={"priority": 9}), 403, "403")
    error_body(agent.delete(f"/taskrouter/tasks/{task['sid']}"), 403, "403")


REFUSED_HTTP = [
    ("GET", "/taskrouter/workspaces/search", None),
    ("GET", "/taskrouter/workspaces/search/{ws}", None),
    ("PUT", "/taskrouter/workspaces/{ws}", {"name": "mine now"}),
    ("POST", "/taskrouter/activities", {"workspaceSid": "{ws}", "name": "Lunch", "available": False}),
    ("GET", "/taskrouter/taskqueues/search", None),
    ("GET", "/taskrouter/workers/search", None),
    ("POST", "/taskrouter/workers", {"workspaceSid": "{ws}", "name": "x", "attributes": '{"contact_uri": "x"}'}),
    ("DELETE", "/taskrouter/workers/{a}", None),
    ("POST", "/taskrouter/workers/{a}/tokens", {}),
    ("DELETE", "/taskrouter/workers/{a}/tokens", None),
    ("GET", "/taskrouter/workflows/search", None),
    ("POST", "/taskrouter/tasks", {"workflowSid": "{wf}"}),
    ("GET", "/taskrouter/events/search", None),
    ("GET", "/taskrouter/events/stream?workspaceSid={ws}", None),
]


@pytest.mark.parametrize("method,path,body", REFUSED_HTTP)
def test_everything_else_is_forbidden_over_http(desk, method, path, body):
    values = {"ws": desk.workspace["sid"], "a": desk.a["sid"], "wf": desk.workflow["sid"]}
    agent = desk.agent(desk.token_a)
    path = path.format(**values)
    if isinstance(body, dict):
        body = {k: values.get(v.strip("{}"), v) if isinstance(v, str) else v for k, v in body.items()}
    response = agent.request(method, path, json=body)
    assert error_body(response, 403, "403")["message"].startswith("A worker token cannot")


# -- credentials that do not work -----------------------------------------------------------------

def test_expired_token_is_401(desk):
    token = desk.token(desk.a["sid"], ttl=1)
    agent = desk.agent(token)
    desk.ok(agent.get(f"/taskrouter/workers/search/{desk.a['sid']}"))
    time.sleep(1.2)
    body = error_body(agent.get(f"/taskrouter/workers/search/{desk.a['sid']}"), 401, "401")
    assert "expired" in body["message"]


def test_unknown_revoked_and_orphaned_tokens_are_401(desk):
    error_body(desk.agent("wt_nope").get(f"/taskrouter/workers/search/{desk.a['sid']}"), 401, "401")
    agent = desk.agent(desk.token_a)
    revoked = desk.ok(desk.http.delete(f"/taskrouter/workers/{desk.a['sid']}/tokens"))
    assert revoked == {"workerSid": desk.a["sid"], "revoked": 1}
    error_body(agent.get(f"/taskrouter/workers/search/{desk.a['sid']}"), 401, "401")
    orphan = desk.agent(desk.token_b)
    desk.ok(desk.http.delete(f"/taskrouter/workers/{desk.b['sid']}"))
    error_body(orphan.get(f"/taskrouter/workers/search/{desk.b['sid']}"), 401, "401")


# -- the same over gRPC ---------------------------------------------------------------------------

def test_grpc_allowed_set(desk, channel):
    task, reservation = desk.offered()
    agent = Stubs(channel, desk.token_a)
    assert agent.call(agent.workforce, "GetWorker", wks.GetWorkerRequest(sid=desk.a["sid"])).name == "agent a"
    assert agent.call(agent.configuration, "ListActivities", cs.ListActivitiesRequest()).total == 2
    assert agent.call(agent.configuration, "GetActivity",
                      cs.GetActivityRequest(sid=desk.activities["Online"])).name == "Online"
    listed = agent.call(agent.tasks, "ListReservations", ts.ListReservationsRequest())
    assert [r.sid for r in listed.result] == [reservation["sid"]]
    assert agent.call(agent.tasks, "GetReservation", ts.GetReservationRequest(sid=reservation["sid"])).sid
    assert agent.call(agent.tasks, "GetTask", ts.GetTaskRequest(sid=task["sid"])).sid == task["sid"]
    agent.call(agent.tasks, "UpdateReservation",
               ts.UpdateReservationRequest(sid=reservation["sid"], reservation_status="accepted"))
    listed = agent.call(agent.tasks, "ListTasks", ts.ListTasksRequest(is_live_session=True))
    assert [t.sid for t in listed.result] == [task["sid"]]
    done = agent.call(agent.tasks, "UpdateTask", ts.UpdateTaskRequest(sid=task["sid"], assignment_status="completed"))
    assert done.assignment_status == "Completed"
    moved = agent.call(agent.workforce, "UpdateWorker",
                       wks.UpdateWorkerRequest(sid=desk.a["sid"], activity_sid=desk.activities["Offline"]))
    assert moved.activity_name == "Offline"
    stream = agent.call(agent.tasks, "WatchWorker", ts.WatchWorkerRequest(sid=desk.a["sid"]))
    assert dict(stream.initial_metadata())["taskrouter-last-event-id"].isdigit()
    stream.cancel()


def test_grpc_other_workers_resources_are_not_found(desk, channel):
    task, reservation = desk.offered()
    other = Stubs(channel, desk.token_b)
    cases = [
        (other.workforce, "GetWorker", wks.GetWorkerRequest(sid=desk.a["sid"]), "WORKER_NOT_FOUND"),
        (other.workforce, "UpdateWorker", wks.UpdateWorkerRequest(sid=desk.a["sid"], activity_sid="x"),
         "WORKER_NOT_FOUND"),
        (other.tasks, "GetReservation", ts.GetReservationRequest(sid=reservation["sid"]), "RESERVATION_NOT_FOUND"),
        (other.tasks, "UpdateReservation", ts.UpdateReservationRequest(sid=reservation["sid"],
                                                                       reservation_status="accepted"),
         "RESERVATION_NOT_FOUND"),
        (other.tasks, "GetTask", ts.GetTaskRequest(sid=task["sid"]), "TASK_NOT_FOUND"),
        (other.tasks, "UpdateTask", ts.UpdateTaskRequest(sid=task["sid"], reason="x"), "TASK_NOT_FOUND"),
    ]
    for stub, method, request, reason in cases:
        with pytest.raises(grpc.RpcError) as caught:
            other.call(stub, method, request)
        assert caught.value.code() == grpc.StatusCode.NOT_FOUND, method
        assert reason_of(caught.value) == reason, method
    stream = other.call(other.tasks, "WatchWorker", ts.WatchWorkerRequest(sid=desk.a["sid"]))
    with pytest.raises(grpc.RpcError) as caught:
        next(stream)
    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def _every_rpc():
    for module, service in SERVICE_MODULES:
        descriptor = module.DESCRIPTOR.services_by_name[service]
        for method in descriptor.methods:
            yield f"/{descriptor.full_name}/{method.name}", method


@pytest.mark.parametrize("path,method", [(p, m) for p, m in _every_rpc() if p not in ALLOWED],
                         ids=[p.rsplit("/", 1)[1] for p, _ in _every_rpc() if p not in ALLOWED])
def test_grpc_every_other_rpc_is_permission_denied(desk, channel, path, method):
    from google.protobuf import message_factory

    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    factory = channel.unary_stream if method.server_streaming else channel.unary_unary
    call = factory(path, request_serializer=request_class.SerializeToString,
                   response_deserializer=response_class.FromString)
    with pytest.raises(grpc.RpcError) as caught:
        result = call(request_class(), metadata=bearer(desk.token_a), timeout=30)
        if method.server_streaming:
            next(result)
    assert caught.value.code() == grpc.StatusCode.PERMISSION_DENIED, caught.value
    assert reason_of(caught.value) == "PERMISSION_DENIED"


def test_grpc_expired_token_is_unauthenticated(desk, channel):
    agent = Stubs(channel, desk.token(desk.a["sid"], ttl=1))
    agent.call(agent.workforce, "GetWorker", wks.GetWorkerRequest(sid=desk.a["sid"]))
    time.sleep(1.2)
    with pytest.raises(grpc.RpcError) as caught:
        agent.call(agent.workforce, "GetWorker", wks.GetWorkerRequest(sid=desk.a["sid"]))
    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert "expired" in caught.value.details()
