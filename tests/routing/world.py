"""A workspace to route in, built through the real gRPC API: the tests of tests/routing share it."""

from __future__ import annotations

import json

from polling import eventually

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force


class World:
    """A workspace with its Offline/Online activities and builders for the rest."""

    def __init__(self, api, name="Routing"):
        self.api = api
        self.ws = api.configuration.CreateWorkspace(
            conf.CreateWorkspaceRequest(enterprise_sid=api.account["enterpriseSid"], name=name))
        listed = api.configuration.ListActivities(conf.ListActivitiesRequest(workspace_sid=self.ws.sid)).result
        self.activity = {a.name: a.sid for a in listed}
        self.online, self.offline = self.activity["Online"], self.activity["Offline"]

    def activity_named(self, name, available):
        sid = self.api.configuration.CreateActivity(
            conf.CreateActivityRequest(workspace_sid=self.ws.sid, name=name, available=available)).sid
        self.activity[name] = sid
        return sid

    def queue(self, name, target="1==1", **kw):
        return self.api.configuration.CreateTaskQueue(
            conf.CreateTaskQueueRequest(workspace_sid=self.ws.sid, name=name, target_workers=target, **kw))

    def worker(self, name, online=True, **attributes):
        attributes.setdefault("contact_uri", f"client:{name}")
        return self.api.workforce.CreateWorker(force.CreateWorkerRequest(
            workspace_sid=self.ws.sid, name=name, activity_sid=self.online if online else self.offline,
            attributes=json.dumps(attributes)))

    def workflow(self, routing, name="Flow", **kw):
        return self.api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
            workspace_sid=self.ws.sid, name=name, configuration=json.dumps({"task_routing": routing}), **kw))

    def task(self, workflow, **attributes):
        return self.api.tasks.CreateTask(tasks.CreateTaskRequest(
            workflow_sid=workflow.sid, attributes=json.dumps(attributes)))

    def task_status(self, task):
        return self.api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid)).assignment_status

    def reservations(self, task=None, worker=None, status=""):
        return list(self.api.tasks.ListReservations(tasks.ListReservationsRequest(
            workspace_sid=self.ws.sid, task_sid=task.sid if task else "", worker_sid=worker.sid if worker else "",
            reservation_status=status, page_size=100)).result)

    def pending_reservation(self, task):
        return eventually(lambda: self.reservations(task=task, status="pending"))[0]

    def set_activity(self, worker, activity_sid):
        return self.api.workforce.UpdateWorker(force.UpdateWorkerRequest(sid=worker.sid, activity_sid=activity_sid))

    def get_worker(self, worker):
        return self.api.workforce.GetWorker(force.GetWorkerRequest(sid=worker.sid))

    def respond(self, reservation, status, **kw):
        return self.api.tasks.UpdateReservation(
            tasks.UpdateReservationRequest(sid=reservation.sid, reservation_status=status, **kw))

    def event_types(self, resource_sid=""):
        listed = self.api.tasks.ListEvents(tasks.ListEventsRequest(
            workspace_sid=self.ws.sid, resource_sid=resource_sid, page_size=1000)).result
        return [e.event_type for e in listed]
