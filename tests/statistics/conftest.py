"""A workspace to gather statistics in, built and driven over the HTTP API (the way a wallboard
or a supervisor's page sees the server), and the recount from the event log they must agree with."""

from __future__ import annotations

import json
import uuid

import pytest
from polling import eventually


class Floor:
    """A workspace with its default activities, and builders for queues, workers, workflows, tasks."""

    def __init__(self, http, account):
        self.http = http
        self.account = account
        self.ws = self.ok(http.post("/taskrouter/workspaces", json={
            "enterpriseSid": account["enterpriseSid"], "name": f"Floor {uuid.uuid4().hex[:8]}"}))
        listed = self.ok(http.get("/taskrouter/activities/search", params={"workspaceSid": self.ws["sid"]}))
        self.activity = {a["name"]: a["sid"] for a in listed["result"]}

    @staticmethod
    def ok(response):
        assert response.status_code == 200, (response.status_code, response.text)
        return response.json()["data"]

    def queue(self, name, target="1==1"):
        return self.ok(self.http.post("/taskrouter/taskqueues", json={
            "workspaceSid": self.ws["sid"], "name": name, "targetWorkers": target}))

    def worker(self, name, online=True, **attributes):
        attributes.setdefault("contact_uri", f"client:{name}")
        return self.ok(self.http.post("/taskrouter/workers", json={
            "workspaceSid": self.ws["sid"], "name": name, "attributes": json.dumps(attributes),
            "activitySid": self.activity["Online" if online else "Offline"]}))

    def set_activity(self, worker_sid, name):
        return self.ok(self.http.put(f"/taskrouter/workers/{worker_sid}", json={"activitySid": self.activity[name]}))

    def workflow(self, queue_sid, name="Flow", timeout=120, filters=()):
        routing = {"filters": list(filters), "default_filter": {"queue": queue_sid}}
        return self.ok(self.http.post("/taskrouter/workflows", json={
            "workspaceSid": self.ws["sid"], "name": name, "configuration": json.dumps({"task_routing": routing}),
            "taskReservationTimeout": timeout}))

    def task(self, workflow_sid, channel=None, **attributes):
        body = {"workflowSid": workflow_sid, "attributes": json.dumps(attributes)}
        if channel:
            body["taskChannel"] = channel
        return self.ok(self.http.post("/taskrouter/tasks", json=body))

    def update_task(self, sid, status):
        return self.ok(self.http.put(f"/taskrouter/tasks/{sid}", json={"assignmentStatus": status}))

    def reservations(self, **params):
        params.setdefault("workspaceSid", self.ws["sid"])
        params.setdefault("pageSize", 1000)
        return self.ok(self.http.get("/taskrouter/reservations/search", params=params))["result"]

    def pending_reservation(self, task_sid):
        return eventually(lambda: self.reservations(taskSid=task_sid, reservationStatus="pending"))[0]

    def respond(self, reservation_sid, status):
        return self.ok(self.http.put(f"/taskrouter/reservations/{reservation_sid}", json={"reservationStatus": status}))

    def statistics(self, kind, sid, **params):
        return self.ok(self.http.get(f"/taskrouter/statistics/{kind}/{sid}", params=params))


@pytest.fixture
def floor(http, account) -> Floor:
    return Floor(http, account)
