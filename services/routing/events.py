"""The durable, ordered event log. Events are written in the same transaction as the change
they report, so the log never disagrees with the state; an event callback is queued with them."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from taskrouter.server import sids
from taskrouter.server.clock import format_time
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.listing import ListParams, Page, paginate, time_range
from taskrouter.server.store import models
from taskrouter.server.store.prepared import Arg, Insert, Prepared

EVENT_TYPES = (
    "task.created", "task.updated", "task.canceled", "task.completed", "task.deleted",
    "task-queue.entered", "task-queue.moved",
    "reservation.created", "reservation.accepted", "reservation.rejected", "reservation.timeout",
    "reservation.canceled", "reservation.rescinded", "reservation.completed",
    "worker.activity.update", "worker.attributes.update",
    "workflow.target-matched", "workflow.timeout", "workflow.entered",
    "worker.disconnected",
)


class Ref(NamedTuple):
    """What an event is about, when it is not at hand as a model row."""

    kind: str  # task, reservation, worker
    sid: str
    enterprise_sid: str
    workspace_sid: str


_INSERT_EVENT = Insert(models.Event)
_INSERT_DELIVERY = Insert(models.Delivery)
_CALLBACK_URL = Prepared(lambda: models.Workspace.select(models.Workspace.event_callback_url).where(
    models.Workspace.sid == Arg("sid")).limit(1))


def record(
    env: Environment,
    workspace: models.Workspace | str,
    event_type: str,
    resource: models.BaseModel,
    description: str = "",
    **data: Any,
) -> None:
    """Appends one event; `resource` is the task, reservation or worker it is about."""
    record_many(env, workspace, [(event_type, resource, description, data)])


def record_many(env: Environment, workspace: models.Workspace | str, items: list[tuple]) -> None:
    if not items:
        return
    ws = workspace if isinstance(workspace, models.Workspace) else _CALLBACK_URL.first(sid=workspace)
    now = env.clock.now()
    rows = []
    for event_type, resource, description, data in items:
        rows.append({
            "sid": sids.new_sid(sids.EVENT),
            "enterprise_sid": resource.enterprise_sid,
            "workspace_sid": resource.workspace_sid,
            "event_type": event_type,
            "resource_type": resource.kind if isinstance(resource, Ref) else type(resource).__name__.lower(),
            "resource_sid": resource.sid,
            "description": description,
            "data": json.dumps(data, separators=(",", ":"), default=str),
            "created_at": now,
            "worker_sid": _worker_of(resource, data),
        })
    _INSERT_EVENT.insert_many(rows)
    if ws is not None and ws.event_callback_url:
        env.expect_delivery()
        _INSERT_DELIVERY.insert_many([
            {"kind": "event", "url": ws.event_callback_url, "body": json.dumps(_callback_form(row)), "due_at": now}
            for row in rows
        ])


def _worker_of(resource, data: dict) -> str | None:
    """The worker an event concerns, for the worker stream: the worker itself, a reservation's
    worker (reservation events name it in their data), an assigned task's worker."""
    if isinstance(resource, Ref):
        return resource.sid if resource.kind == "worker" else data.get("workerSid")
    if isinstance(resource, models.Worker):
        return resource.sid
    return getattr(resource, "worker_sid", None) or data.get("workerSid") or None


def _callback_form(row: dict) -> dict:
    return {
        "EventSid": row["sid"],
        "EventType": row["event_type"],
        "ResourceType": row["resource_type"],
        "ResourceSid": row["resource_sid"],
        "WorkspaceSid": row["workspace_sid"],
        "EventDescription": row["description"],
        "EventData": row["data"],
        "Timestamp": str(int(row["created_at"])),
        "EventDate": format_time(row["created_at"]),
    }


def list_events(enterprise_sid: str, params: ListParams, workspace_sid: str, event_type: str,
                resource_sid: str) -> Page:
    query = models.Event.select().where(models.Event.enterprise_sid == enterprise_sid)
    if workspace_sid:
        query = query.where(models.Event.workspace_sid == workspace_sid)
    if event_type:
        query = query.where(models.Event.event_type == event_type)
    if resource_sid:
        query = query.where(models.Event.resource_sid == resource_sid)
    query = time_range(query, models.Event.created_at, params)
    return paginate("/taskrouter/events/search", query, params,
                    {"id": models.Event.id, "eventDate": models.Event.id, "dateCreated": models.Event.id}, "id:asc")


def _after(by_type: bool) -> Prepared:
    E = models.Event

    def build():
        query = E.select().where((E.enterprise_sid == Arg("enterprise_sid")) & (E.workspace_sid == Arg("workspace_sid"))
                                 & (E.id > Arg("after_id")))
        if by_type:
            query = query.where(E.event_type == Arg("event_type"))
        return query.order_by(E.id).limit(Arg("limit"))
    return Prepared(build)


_AFTER = {by_type: _after(by_type) for by_type in (False, True)}


def events_after(enterprise_sid: str, workspace_sid: str, after_id: int, event_type: str = "",
                 limit: int = 500) -> list[models.Event]:
    values = {"event_type": event_type} if event_type else {}
    return _AFTER[bool(event_type)].rows(enterprise_sid=enterprise_sid, workspace_sid=workspace_sid,
                                         after_id=after_id, limit=limit, **values)


_FOR_WORKER = Prepared(lambda: models.Event.select().where(
    (models.Event.worker_sid == Arg("worker_sid")) & (models.Event.id > Arg("after_id"))).order_by(
    models.Event.id).limit(Arg("limit")))


def worker_events_after(worker_sid: str, after_id: int, limit: int = 500) -> list[models.Event]:
    """The events about one worker after `after_id`, in log order."""
    return _FOR_WORKER.rows(worker_sid=worker_sid, after_id=after_id, limit=limit)


def last_event_id() -> int:
    row = models.Event.select(models.Event.id).order_by(models.Event.id.desc()).first()
    return row.id if row else 0
