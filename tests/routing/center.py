"""A contact center to route in, built through the HTTP API (the seed's envelope and lowerCamel
JSON): the channel, wrap-up, transfer, target-rule and scheduling tests share it."""

from __future__ import annotations

import json
import uuid

from polling import eventually


class Center:
    """A workspace with its activities, and builders and readers for everything in it."""

    def __init__(self, http, account, multi_task=True):
        self.http = http
        self.ws = self.post("/taskrouter/workspaces", {"enterpriseSid": account["enterpriseSid"],
                                                       "name": f"center {uuid.uuid4().hex[:8]}",
                                                       "multiTaskEnabled": multi_task})
        activities = self.get("/taskrouter/activities/search", workspaceSid=self.ws["sid"])["result"]
        self.activity = {a["name"]: a["sid"] for a in activities}
        self.online, self.offline = self.activity["Online"], self.activity["Offline"]

    # -- the envelope ---------------------------------------------------------------------------
    def call(self, method: str, path: str, body=None, **params):
        response = self.http.request(method, path, json=body, params=params or None)
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        envelope = response.json()
        assert envelope["code"] == 200 and envelope["message"] == "OK", envelope
        return envelope["data"]

    def get(self, path, **params):
        return self.call("GET", path, **params)

    def post(self, path, body):
        return self.call("POST", path, body)

    def put(self, path, body):
        return self.call("PUT", path, body)

    def error(self, method: str, path: str, body=None, status: int = 400, **params) -> dict:
        response = self.http.request(method, path, json=body, params=params or None)
        assert response.status_code == status, (response.status_code, response.text)
        error = response.json()
        assert set(error) == {"errorCode", "message", "data"}, error
        return error

    # -- builders -------------------------------------------------------------------------------
    def queue(self, name="Everyone", target="1==1", **fields):
        return self.post("/taskrouter/taskqueues", {"workspaceSid": self.ws["sid"], "name": name,
                                                    "targetWorkers": target, **fields})

    def worker(self, name, online=True, **attributes):
        attributes.setdefault("contact_uri", f"client:{name}")
        return self.post("/taskrouter/workers", {"workspaceSid": self.ws["sid"], "name": name,
                                                 "activitySid": self.online if online else self.offline,
                                                 "attributes": json.dumps(attributes)})

    def workflow(self, routing, name="Flow", **fields):
        return self.post("/taskrouter/workflows", {"workspaceSid": self.ws["sid"], "name": name,
                                                   "configuration": json.dumps({"task_routing": routing}), **fields})

    def simple_workflow(self, queue, **fields):
        return self.workflow({"filters": [], "default_filter": {"queue": queue["sid"]}}, **fields)

    def task(self, workflow, channel=None, **fields):
        body = {"workflowSid": workflow["sid"], "attributes": json.dumps(fields.pop("attributes", {})), **fields}
        if channel is not None:
            body["taskChannel"] = channel
        return self.post("/taskrouter/tasks", body)

    # -- readers --------------------------------------------------------------------------------
    def task_now(self, task):
        return self.get(f"/taskrouter/tasks/search/{task['sid']}")

    def reservations(self, task=None, worker=None, status=""):
        params = {"workspaceSid": self.ws["sid"], "pageSize": 1000}
        if task:
            params["taskSid"] = task["sid"]
        if worker:
            params["workerSid"] = worker["sid"]
        if status:
            params["reservationStatus"] = status
        return self.get("/taskrouter/reservations/search", **params)["result"]

    def offer(self, task):
        """The task's pending reservation, once the router has made it."""
        return eventually(lambda: self.reservations(task=task, status="pending"))[0]

    def respond(self, reservation, status, **fields):
        return self.put(f"/taskrouter/reservations/{reservation['sid']}", {"reservationStatus": status, **fields})

    def assign(self, task):
        """Waits for the offer of `task` and accepts it; returns the accepted reservation."""
        return self.respond(self.offer(task), "accepted")

    def set_status(self, task, status, **fields):
        return self.put(f"/taskrouter/tasks/{task['sid']}", {"assignmentStatus": status, **fields})

    def worker_channels(self, worker):
        listed = self.get("/taskrouter/workerchannels/search", workerSid=worker["sid"], pageSize=100)["result"]
        return {c["taskChannelUniqueName"]: c for c in listed}

    def set_channel(self, worker, unique_name, **fields):
        channel = self.worker_channels(worker)[unique_name]
        return self.put(f"/taskrouter/workerchannels/{channel['sid']}", fields)

    def event_types(self, resource_sid=""):
        params = {"workspaceSid": self.ws["sid"], "pageSize": 1000}
        if resource_sid:
            params["resourceSid"] = resource_sid
        return [e["eventType"] for e in self.get("/taskrouter/events/search", **params)["result"]]
