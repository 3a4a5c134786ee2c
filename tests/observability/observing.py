"""Helpers the observability tests import: scraping /metrics into numbers, a small routing setup
over gRPC, a free port. (A module of its own: `from conftest import ...` finds another folder's
conftest when several test folders run together.)"""

from __future__ import annotations

import json
import socket
import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import workflow_service_pb2 as flows
from taskrouter.v1 import workforce_service_pb2 as force


def scrape(url: str) -> dict[tuple[str, frozenset], float]:
    """Every sample of a /metrics page: (sample name, its labels) -> value."""
    response = httpx.get(url, timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    """One sample's value (0 when the series does not exist yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


class Routing:
    """A workspace with one queue, one workflow (optionally with an assignment callback) and
    `workers` Online workers, built over gRPC with the `api` stubs."""

    def __init__(self, api, workers: int = 1, **workflow_options):
        self.api = api
        self.ws = api.configuration.CreateWorkspace(conf.CreateWorkspaceRequest(
            enterprise_sid=api.account["enterpriseSid"], name=f"obs {uuid.uuid4().hex[:8]}"))
        listed = api.configuration.ListActivities(conf.ListActivitiesRequest(workspace_sid=self.ws.sid)).result
        self.online = next(a.sid for a in listed if a.name == "Online")
        self.queue = api.configuration.CreateTaskQueue(conf.CreateTaskQueueRequest(
            workspace_sid=self.ws.sid, name="Q", target_workers="1==1"))
        self.workers = [api.workforce.CreateWorker(force.CreateWorkerRequest(
            workspace_sid=self.ws.sid, name=f"W{i}", activity_sid=self.online,
            attributes=json.dumps({"contact_uri": f"client:w{i}"}))) for i in range(workers)]
        self.workflow = api.workflow.CreateWorkflow(flows.CreateWorkflowRequest(
            workspace_sid=self.ws.sid, name="Flow",
            configuration=json.dumps({"task_routing": {"default_filter": {"queue": self.queue.sid}}}),
            **workflow_options))

    def task(self, **attributes):
        return self.api.tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=self.workflow.sid,
                                                                 attributes=json.dumps(attributes)))

    def reservations(self, status: str = "") -> list:
        return list(self.api.tasks.ListReservations(tasks.ListReservationsRequest(
            workspace_sid=self.ws.sid, reservation_status=status, page_size=100)).result)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
