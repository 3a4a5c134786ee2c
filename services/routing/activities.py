"""Activities: the states a worker can be in; `available` decides whether it gets tasks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee as pw

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, missing
from taskrouter.server.routing import scope
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, by_name_and_time, paginate
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

SORTABLE: Sortable = {"dateCreated": models.Activity.created_at, "dateUpdated": models.Activity.updated_at,
                      "name": models.Activity.name, "available": models.Activity.available}


def by_sid(sids: Iterable[str]) -> dict[str, models.Activity]:
    """The activities of these SIDs (empty ones skipped), for naming a worker's or workspace's activity."""
    wanted = [s for s in set(sids) if s]
    if not wanted:
        return {}
    return {a.sid: a for a in models.Activity.select().where(models.Activity.sid.in_(wanted))}


def move_worker(env: Environment, worker: models.Worker, activity: models.Activity,
                pending: list[PendingEvent]) -> None:
    """Moves a worker to an activity (saved by the caller); a move to an available activity
    restarts its idle clock. Appends the event to `pending` for record_many."""
    if worker.activity_sid == activity.sid:
        return
    now = env.clock.now()
    worker.activity_sid = activity.sid
    worker.status_changed_at = now
    if activity.available:
        worker.idle_since = now
    pending.append(PendingEvent("worker.activity.update", worker, f"Worker {worker.name} updated to {activity.name}",
                                {"activitySid": activity.sid, "activityName": activity.name,
                                 "available": activity.available}))


def create(env: Environment, caller: Caller, workspace_sid: str, name: str, available: bool | None) -> models.Activity:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    name = scope.require_name(name)
    if available is None:
        raise missing("available")
    now = env.clock.now()
    with write_transaction():
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        scope.ensure_unique_name(models.Activity, name, workspace_sid=workspace.sid)
        activity = models.Activity(
            sid=sids.new_sid(sids.ACTIVITY), enterprise_sid=workspace.enterprise_sid, workspace_sid=workspace.sid,
            name=name, available=available, account_email=caller.email, created_at=now, updated_at=now,
        )
        scope.save_unique(activity, force_insert=True)
    return activity


def get(caller: Caller, sid: str) -> models.Activity:
    return scope.get(models.Activity, sid, caller.enterprise_sid)


def list_activities(caller: Caller, params: ListParams, workspace_sid: str, available: bool | None) -> Page:
    query = scope.owned(models.Activity, caller.enterprise_sid, workspace_sid)
    if available is not None:
        query = query.where(models.Activity.available == available)
    query = by_name_and_time(query, params)
    return paginate("/taskrouter/activities/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, name: str | None, available: bool | None) -> models.Activity:
    with write_transaction():
        activity = get(caller, sid)
        if name is not None:
            activity.name = scope.require_name(name)
            scope.ensure_unique_name(models.Activity, activity.name, exclude_sid=activity.sid,
                                     workspace_sid=activity.workspace_sid)
        became_available = available is True and not activity.available
        if available is not None:
            activity.available = available
        activity.updated_at = env.clock.now()
        scope.save_unique(activity)
        if became_available:
            models.Worker.update(idle_since=activity.updated_at).where(
                models.Worker.activity_sid == activity.sid).execute()
    if became_available:
        env.wake(activity.workspace_sid)
    return activity


def delete(caller: Caller, sid: str) -> models.Activity:
    """Refused while a worker is in the activity or the workspace or a queue refers to it."""
    with write_transaction():
        activity = get(caller, sid)
        users: list[tuple[str, pw.ModelSelect[Any]]] = [
            ("worker", models.Worker.select().where(models.Worker.activity_sid == activity.sid)),
            ("workspace", models.Workspace.select().where(
                (models.Workspace.default_activity_sid == activity.sid)
                | (models.Workspace.timeout_activity_sid == activity.sid))),
            ("task queue", models.TaskQueue.select().where(
                (models.TaskQueue.assignment_activity_sid == activity.sid)
                | (models.TaskQueue.reservation_activity_sid == activity.sid))),
        ]
        for kind, query in users:
            user = query.first()
            if user is not None:
                raise TaskRouterError("ACTIVITY_IN_USE", activity.sid,
                                      f"Activity {activity.name!r} is in use by {kind} {user.sid}")
        activity.delete_instance()
    return activity
