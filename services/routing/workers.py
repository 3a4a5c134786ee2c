"""Workers: who tasks are offered to. Their activity says whether they are available; their
attributes decide which queues they belong to."""

from __future__ import annotations

from dataclasses import dataclass

from taskrouter.server import json_depth, sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import activities, events, locks, membership, reservations, scope, worker_channels
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import (
    ListParams,
    Page,
    Sortable,
    name_filter,
    paginate,
    paginate_list,
    sort_order,
    time_range,
)
from taskrouter.server.routing.statistics import rollup
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

MAX_CAPACITY = 50
SORTABLE: Sortable = {"dateCreated": models.Worker.created_at, "dateUpdated": models.Worker.updated_at,
                      "name": models.Worker.name, "activityName": models.Activity.name}


def checked_attributes(text: str | None) -> str:
    """A JSON object with a contact_uri (codes 531 and 532)."""
    if text is None or not text.strip():
        raise TaskRouterError("WORKER_ATTRIBUTES_INVALID", text or "")
    try:
        value = json_depth.loads(text)
    except json_depth.TooDeep as exc:
        raise invalid("attributes", str(exc)) from None
    except ValueError:
        raise TaskRouterError("WORKER_ATTRIBUTES_INVALID", text) from None
    if not isinstance(value, dict) or not value:
        raise TaskRouterError("WORKER_ATTRIBUTES_INVALID", text)
    if "contact_uri" not in value:
        raise TaskRouterError("WORKER_CONTACT_URI_MISSING", text)
    return text


def _capacity(value: int) -> int:
    if not 1 <= value <= MAX_CAPACITY:
        raise invalid("capacity", f"must be between 1 and {MAX_CAPACITY}")
    return value


def create(env: Environment, caller: Caller, workspace_sid: str, name: str, *, activity_sid: str | None,
           attributes: str | None, capacity: int | None) -> models.Worker:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    name = scope.require_name(name)
    attributes = checked_attributes(attributes)
    now = env.clock.now()
    with write_transaction():
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        scope.ensure_unique_name(models.Worker, name, workspace_sid=workspace.sid)
        if activity_sid is not None and activity_sid.strip():
            activity = scope.get(models.Activity, activity_sid, caller.enterprise_sid, for_workspace=workspace.sid)
        else:
            activity = models.Activity.get(models.Activity.sid == workspace.default_activity_sid)
        worker = models.Worker(
            sid=sids.new_sid(sids.WORKER), enterprise_sid=workspace.enterprise_sid, workspace_sid=workspace.sid,
            name=name, activity_sid=activity.sid, attributes=attributes,
            capacity=_capacity(capacity) if capacity is not None else 1, idle_since=now, status_changed_at=now,
            account_email=caller.email, created_at=now, updated_at=now,
        )
        scope.save_unique(worker, force_insert=True)
        membership.refresh_worker(worker)
        worker_channels.create_for_worker(env, worker)
        rollup.worker_entered(worker.sid, activity.sid, now)
    if activity.available:
        env.wake(worker.workspace_sid)
    return worker


def get(caller: Caller, sid: str) -> models.Worker:
    return scope.get(models.Worker, sid, caller.enterprise_sid)


def activities_of(workers: list[models.Worker]) -> dict[str, models.Activity]:
    wanted = {w.activity_sid for w in workers}
    if not wanted:
        return {}
    return {a.sid: a for a in models.Activity.select().where(models.Activity.sid.in_(list(wanted)))}


@dataclass(frozen=True)
class WorkerFilter:
    """Which workers a list shows; blank (or None) filters nothing."""

    workspace_sid: str = ""
    activity_name: str = ""  # contained in the activity's name
    activity_sid: str = ""
    available: bool | None = None
    target_worker_expression: str = ""
    task_queue_sid: str = ""  # members of the queue
    task_queue_name: str = ""


def list_workers(caller: Caller, params: ListParams, wanted: WorkerFilter) -> Page:
    W, A = models.Worker, models.Activity
    query = W.select(W).join(A, on=(A.sid == W.activity_sid)).where(W.enterprise_sid == caller.enterprise_sid)
    if wanted.workspace_sid:
        query = query.where(W.workspace_sid == scope.clean_sid(wanted.workspace_sid))
    if wanted.activity_sid:
        query = query.where(W.activity_sid == scope.clean_sid(wanted.activity_sid))
    if wanted.activity_name:
        query = query.where(A.name.contains(scope.text(wanted.activity_name, "activityName")))
    if wanted.available is not None:
        query = query.where(A.available == wanted.available)
    if wanted.task_queue_sid or wanted.task_queue_name:
        queues = models.TaskQueue.select(models.TaskQueue.sid).where(
            models.TaskQueue.enterprise_sid == caller.enterprise_sid)
        if wanted.task_queue_sid:
            queues = queues.where(models.TaskQueue.sid == scope.clean_sid(wanted.task_queue_sid))
        if wanted.task_queue_name:
            queues = queues.where(
                models.TaskQueue.name == scope.text(wanted.task_queue_name.strip(), "taskQueueName"))
        members = models.QueueMember.select(models.QueueMember.worker_sid).where(
            models.QueueMember.queue_sid.in_(queues))
        query = query.where(W.sid.in_(members))
    query = time_range(name_filter(query, W.name, params), W.created_at, params)
    if not wanted.target_worker_expression:
        return paginate("/taskrouter/workers/search", query, params, SORTABLE)
    expression = membership.compile_checked(wanted.target_worker_expression, "targetWorkerExpression")
    params.validate()
    matching = [w for w in query.order_by(*sort_order(params, SORTABLE))
                if expression.matches(attrs := membership.attributes_of(w),
                                      worker=membership.worker_context(w, attrs))]
    return paginate_list("/taskrouter/workers/search", matching, params)


def update(env: Environment, caller: Caller, sid: str, *, name: str | None, activity_sid: str | None,
           attributes: str | None, capacity: int | None) -> models.Worker:
    if attributes is not None:
        attributes = checked_attributes(attributes)
    worker_sid = scope.clean_sid(sid)
    worker = get(caller, worker_sid)
    with write_transaction(locks.routing(worker.workspace_sid)):
        worker = get(caller, worker_sid)
        pending: list[PendingEvent] = []
        worker_name_before = worker.name
        if name is not None:
            worker.name = scope.require_name(name)
            scope.ensure_unique_name(models.Worker, worker.name, exclude_sid=worker.sid,
                                     workspace_sid=worker.workspace_sid)
        if activity_sid is not None and activity_sid.strip():
            activity = scope.get(models.Activity, activity_sid, caller.enterprise_sid,
                                 for_workspace=worker.workspace_sid)
            activities.move_worker(env, worker, activity, pending)
        if capacity is not None and _capacity(capacity) != worker.capacity:
            worker.capacity = capacity
            worker_channels.set_default_capacity(env, worker)
        renamed = name is not None and worker.name != worker_name_before
        retarget = attributes is not None and attributes != worker.attributes
        if attributes is not None:
            worker.attributes = attributes
        worker.updated_at = env.clock.now()
        scope.save_unique(worker)
        if retarget or renamed:  # targetWorkers may name worker.friendly_name
            membership.refresh_worker(worker)
        if retarget:
            pending.append(PendingEvent("worker.attributes.update", worker, f"Worker {worker.name} attributes updated",
                                        {"attributes": worker.attributes}))
        events.record_many(env, worker.workspace_sid, pending)
    env.wake(worker.workspace_sid)
    env.notify()
    return worker


def delete(env: Environment, caller: Caller, sid: str) -> models.Worker:
    """Deletes the worker; its pending reservations are rescinded and their tasks re-routed."""
    worker = get(caller, sid)
    with write_transaction(locks.routing(worker.workspace_sid)):
        worker = get(caller, sid)
        reservations.rescind_for_worker(env, worker)
        membership.forget_worker(worker.sid)
        worker_channels.forget_worker(worker.sid)
        worker.delete_instance()
    env.wake(worker.workspace_sid)
    env.notify()
    return worker
