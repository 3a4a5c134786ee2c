"""The durable, ordered event log. Events are written in the same transaction as the change
they report, so the log never disagrees with the state; an event callback is queued with them.

Each event has a position (`seq`) in its workspace's log, in commit order: a transaction holds
its events back until just before it commits (store/db.py, HeldBack), then takes its workspaces'
EventSequence rows, in SID order, numbers its events and inserts them. The row locks last until
the commit, so a later position is never visible before an earlier one, and a stream that
resumes after position N misses nothing (docs/routing.md, "The event log")."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeAlias

import peewee as pw

from taskrouter.server import sids
from taskrouter.server.clock import format_time
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.listing import ListParams, Page, paginate, time_range
from taskrouter.server.routing.statistics import rollup
from taskrouter.server.store import db, models
from taskrouter.server.store.prepared import Arg, Insert, Prepared

EVENT_TYPES = (
    "task.created", "task.updated", "task.canceled", "task.completed", "task.deleted",
    "task-queue.entered", "task-queue.moved",
    "reservation.created", "reservation.accepted", "reservation.rejected", "reservation.timeout",
    "reservation.canceled", "reservation.rescinded", "reservation.completed",
    "worker.activity.update", "worker.attributes.update",
    "workflow.target-matched", "workflow.timeout", "workflow.entered", "workflow.skipped",
    "task.wrapup", "reservation.wrapup",
    "task.transfer-initiated", "task.transfer-completed", "task.transfer-failed", "task.transfer-canceled",
    "task-channel.created", "task-channel.updated", "task-channel.deleted",
    "worker.channel.capacity.update", "worker.channel.availability.update",
    "worker.disconnected",
)


class Ref(NamedTuple):
    """What an event is about, when it is not at hand as a model row."""

    kind: str  # task, reservation, worker
    sid: str
    enterprise_sid: str
    workspace_sid: str


# What an event can be about: a row that belongs to a workspace, or a Ref.
Subject: TypeAlias = (models.WorkspaceResource | models.Task | models.Reservation | models.Transfer
                      | models.WorkerChannel | Ref)


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event of the change under way; record_many numbers and writes a pass's events together."""

    event_type: str
    resource: Subject  # the task, reservation, worker or channel it is about
    description: str
    data: dict[str, Any] = field(default_factory=dict)


_INSERT_EVENT = Insert(models.Event)
_INSERT_DELIVERY = Insert(models.Delivery)
_CALLBACK_URL = Prepared(lambda: models.Workspace.select(models.Workspace.event_callback_url).where(
    models.Workspace.sid == Arg("sid")).limit(1))


def record(
    env: Environment,
    workspace: models.Workspace | str,
    event_type: str,
    resource: Subject,
    description: str = "",
    **data: Any,
) -> None:
    """Appends one event; `resource` is the task, reservation or worker it is about."""
    record_many(env, workspace, [PendingEvent(event_type, resource, description, data)])


def record_many(env: Environment, workspace: models.Workspace | str, items: list[PendingEvent],
                tasks: Iterable = ()) -> None:
    """Appends events to the log of the transaction under way (one of its own when none is).
    `tasks`: rows of the tasks the items' reservations are about, when the caller has them."""
    if not items:
        return
    if not models.database.in_transaction():
        with db.write_transaction():
            record_many(env, workspace, items, tasks)
        return
    ws = workspace if isinstance(workspace, models.Workspace) else _CALLBACK_URL.first(sid=workspace)
    now = env.clock.now()
    rows: list[dict[str, Any]] = []
    for item in items:
        resource = item.resource
        rows.append({
            "sid": sids.new_sid(sids.EVENT),
            "enterprise_sid": resource.enterprise_sid,
            "workspace_sid": resource.workspace_sid,
            "event_type": item.event_type,
            "resource_type": resource.kind if isinstance(resource, Ref) else type(resource).__name__.lower(),
            "resource_sid": resource.sid,
            "description": item.description,
            "data": json.dumps(item.data, separators=(",", ":"), default=str),
            "created_at": now,
            "worker_sid": _worker_of(resource, item.data),
        })
    env.observe.events_recorded(rows)
    rollup.record(items, now, tasks)
    callback_url = ws.event_callback_url if ws is not None else ""
    if callback_url:
        env.expect_delivery()
        for row in rows:
            env.observe.delivery_queued(row["sid"])
    _held.rows.extend((row, callback_url) for row in rows)


_NEXT_POSITIONS = Prepared(lambda: models.EventSequence.insert(
    workspace_sid=Arg("workspace_sid"), last=Arg("count")).on_conflict(
    conflict_target=[models.EventSequence.workspace_sid],
    update={models.EventSequence.last: models.EventSequence.last + pw.EXCLUDED.last}).returning(
    models.EventSequence.last))


class _HeldEvents(db.HeldBack, threading.local):
    """This thread's events of the transaction under way, with their callback URLs."""

    def __init__(self):
        self.rows: list[tuple[dict, str]] = []

    def mark(self) -> int:
        return len(self.rows)

    def rollback_to(self, mark: int) -> None:
        del self.rows[mark:]

    def flush(self) -> None:
        held, self.rows = self.rows, []
        if not held:
            return
        by_workspace: dict[str, list[tuple[dict, str]]] = {}
        for row, url in held:
            by_workspace.setdefault(row["workspace_sid"], []).append((row, url))
        ordered = []
        for workspace_sid in sorted(by_workspace):  # one order for every transaction: no lock cycles
            rows = by_workspace[workspace_sid]
            last = _NEXT_POSITIONS.execute(workspace_sid=workspace_sid, count=len(rows)).fetchone()[0]
            for position, (row, _) in enumerate(rows, start=last - len(rows) + 1):
                row["seq"] = position
            ordered.extend(rows)
        _INSERT_EVENT.insert_many([row for row, _ in ordered])
        deliveries = [{"kind": "event", "url": url, "body": json.dumps(_callback_form(row)),
                       "due_at": row["created_at"]} for row, url in ordered if url]
        if deliveries:
            _INSERT_DELIVERY.insert_many(deliveries)


_held = _HeldEvents()
db.hold_back_until_commit(_held)


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
                    {"id": models.Event.seq, "eventDate": models.Event.seq, "dateCreated": models.Event.seq}, "id:asc")


def _after(by_type: bool) -> Prepared:
    E = models.Event

    def build():
        query = E.select().where((E.enterprise_sid == Arg("enterprise_sid")) & (E.workspace_sid == Arg("workspace_sid"))
                                 & (E.seq > Arg("after")))
        if by_type:
            query = query.where(E.event_type == Arg("event_type"))
        return query.order_by(E.seq).limit(Arg("limit"))
    return Prepared(build)


_AFTER = {by_type: _after(by_type) for by_type in (False, True)}
_LAST = Prepared(lambda: models.EventSequence.select(models.EventSequence.last).where(
    models.EventSequence.workspace_sid == Arg("workspace_sid")).tuples())


def events_after(enterprise_sid: str, workspace_sid: str, after: int, event_type: str = "",
                 limit: int = 500) -> list[models.Event]:
    """The workspace's events after position `after`, in order (complete: see the module's docstring)."""
    values = {"event_type": event_type} if event_type else {}
    return _AFTER[bool(event_type)].rows(enterprise_sid=enterprise_sid, workspace_sid=workspace_sid,
                                         after=after, limit=limit, **values)


_FOR_WORKER = Prepared(lambda: models.Event.select().where(
    (models.Event.worker_sid == Arg("worker_sid")) & (models.Event.seq > Arg("after"))).order_by(
    models.Event.seq).limit(Arg("limit")))


def worker_events_after(worker_sid: str, after: int, limit: int = 500) -> list[models.Event]:
    """The events about one worker after position `after` of its workspace's log, in order."""
    return _FOR_WORKER.rows(worker_sid=worker_sid, after=after, limit=limit)


def last_position(workspace_sid: str) -> int:
    """The position of the workspace's last committed event (0: none yet)."""
    row = _LAST.first(workspace_sid=workspace_sid)
    return row[0] if row else 0
