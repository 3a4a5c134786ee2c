"""Task queues: where routed tasks wait, and which workers (targetWorkers) may take them."""

from __future__ import annotations

from dataclasses import dataclass

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import locks, membership, scope
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.listing import ListParams, Page, Sortable, by_name_and_time, paginate
from taskrouter.server.routing.statuses import LIVE_TASK
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

MAX_RESERVED_WORKERS = 50
SORTABLE: Sortable = {"dateCreated": models.TaskQueue.created_at, "dateUpdated": models.TaskQueue.updated_at,
                      "name": models.TaskQueue.name}


def _task_order(value: str) -> str:
    order = value.strip().upper()
    if order not in ("FIFO", "LIFO"):
        raise invalid("taskOrder", "must be FIFO or LIFO")
    return order


def _max_reserved(value: int) -> int:
    if not 1 <= value <= MAX_RESERVED_WORKERS:
        raise invalid("maxReservedWorkers", f"must be between 1 and {MAX_RESERVED_WORKERS}")
    return value


MAX_WRAP_UP_TIMEOUT = 86_400


def _wrap_up_timeout(value: int | None) -> int | None:
    """Seconds, 1 to 86,400; None (or 0 on update) removes the limit."""
    if not value:
        return None
    if not 1 <= value <= MAX_WRAP_UP_TIMEOUT:
        raise invalid("wrapUpTimeout", f"must be between 1 and {MAX_WRAP_UP_TIMEOUT} seconds")
    return value


def _activity(workspace_sid: str, enterprise_sid: str, sid: str | None) -> str | None:
    if sid is None or not sid.strip():
        return None
    return scope.get(models.Activity, sid, enterprise_sid, for_workspace=workspace_sid).sid


@dataclass(frozen=True)
class QueueSettings:
    """A queue's settings as a create or update gives them; None: not given (on create, the
    default: every worker, FIFO, one reserved worker, no wrap-up limit, activities unchanged)."""

    name: str | None = None
    assignment_activity_sid: str | None = None
    reservation_activity_sid: str | None = None
    target_workers: str | None = None
    task_order: str | None = None
    max_reserved_workers: int | None = None
    wrap_up_timeout: int | None = None  # on update, 0 removes the limit


def create(env: Environment, caller: Caller, workspace_sid: str, settings: QueueSettings) -> models.TaskQueue:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    if settings.wrap_up_timeout is not None and settings.wrap_up_timeout < 1:
        raise invalid("wrapUpTimeout", f"must be between 1 and {MAX_WRAP_UP_TIMEOUT} seconds")
    name = scope.require_name(settings.name)
    target = scope.text((settings.target_workers or "").strip() or "1==1", "targetWorkers")
    membership.compile_checked(target, "targetWorkers")
    max_reserved = settings.max_reserved_workers
    now = env.clock.now()
    with write_transaction():
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        scope.ensure_unique_name(models.TaskQueue, name, workspace_sid=workspace.sid)
        queue = models.TaskQueue(
            sid=sids.new_sid(sids.TASK_QUEUE), enterprise_sid=workspace.enterprise_sid, workspace_sid=workspace.sid,
            name=name, target_workers=target,
            task_order=_task_order(settings.task_order) if settings.task_order else "FIFO",
            max_reserved_workers=_max_reserved(max_reserved) if max_reserved is not None else 1,
            assignment_activity_sid=_activity(workspace.sid, workspace.enterprise_sid,
                                              settings.assignment_activity_sid),
            reservation_activity_sid=_activity(workspace.sid, workspace.enterprise_sid,
                                               settings.reservation_activity_sid),
            wrap_up_timeout=_wrap_up_timeout(settings.wrap_up_timeout), account_email=caller.email, created_at=now,
            updated_at=now,
        )
        scope.save_unique(queue, force_insert=True)
        membership.refresh_queue(queue)
    return queue


def get(caller: Caller, sid: str) -> models.TaskQueue:
    return scope.get(models.TaskQueue, sid, caller.enterprise_sid)


def list_queues(caller: Caller, params: ListParams, workspace_sid: str) -> Page:
    query = by_name_and_time(scope.owned(models.TaskQueue, caller.enterprise_sid, workspace_sid), params)
    return paginate("/taskrouter/taskqueues/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, settings: QueueSettings) -> models.TaskQueue:
    target_workers = settings.target_workers
    if target_workers is not None:
        target_workers = scope.text(target_workers.strip() or "1==1", "targetWorkers")
        membership.compile_checked(target_workers, "targetWorkers")
    with write_transaction():
        queue = get(caller, sid)
        if settings.name is not None:
            queue.name = scope.require_name(settings.name)
            scope.ensure_unique_name(models.TaskQueue, queue.name, exclude_sid=queue.sid,
                                     workspace_sid=queue.workspace_sid)
        if settings.assignment_activity_sid is not None:
            queue.assignment_activity_sid = _activity(queue.workspace_sid, queue.enterprise_sid,
                                                      settings.assignment_activity_sid)
        if settings.reservation_activity_sid is not None:
            queue.reservation_activity_sid = _activity(queue.workspace_sid, queue.enterprise_sid,
                                                       settings.reservation_activity_sid)
        if settings.task_order is not None:
            queue.task_order = _task_order(settings.task_order)
        if settings.max_reserved_workers is not None:
            queue.max_reserved_workers = _max_reserved(settings.max_reserved_workers)
        if settings.wrap_up_timeout is not None:
            queue.wrap_up_timeout = _wrap_up_timeout(settings.wrap_up_timeout)
        retarget = target_workers is not None and target_workers != queue.target_workers
        if target_workers is not None:
            queue.target_workers = target_workers
        queue.updated_at = env.clock.now()
        scope.save_unique(queue)
        if retarget:
            membership.refresh_queue(queue)
    env.wake(queue.workspace_sid)
    return queue


def delete(caller: Caller, sid: str) -> models.TaskQueue:
    """Refused while tasks are waiting in or assigned from the queue, as in Twilio. Under the
    workspace's structure and routing locks: no task can enter the queue meanwhile."""
    workspace_sid = get(caller, sid).workspace_sid
    with write_transaction(locks.routing(workspace_sid), exclusive_keys=(locks.structure(workspace_sid),)):
        queue = get(caller, sid)
        live = models.Task.select().where(
            (models.Task.task_queue_sid == queue.sid)
            & models.Task.status.in_(LIVE_TASK)).first()
        if live is not None:
            raise TaskRouterError("INVALID_TRANSITION", queue.sid,
                                  f"TaskQueue {queue.name!r} still holds live task {live.sid}")
        membership.forget_queue(queue.sid)
        queue.delete_instance()
    return queue
