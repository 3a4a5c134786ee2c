"""Tasks: created pending, routed by their workflow into a queue (at once, or at their scheduled
time), reserved, assigned, optionally wrapping, and finally completed or canceled. Only valid
transitions are allowed: completed and canceled are final, an assigned task can only wrap up or
complete, a wrapping one only complete."""

from __future__ import annotations

from dataclasses import dataclass

from taskrouter.server import json_depth, sids
from taskrouter.server.clock import format_time, parse_time
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import (
    events,
    locks,
    membership,
    placement,
    reservations,
    scope,
    statuses,
    task_channels,
    transfers,
    workflow_config,
)
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, paginate, time_range
from taskrouter.server.routing.statuses import FINAL_TASK, HELD_TASK, LIVE_TASK, TaskStatus
from taskrouter.server.store import models
from taskrouter.server.store.db import in_shared_transaction, write_transaction
from taskrouter.server.store.prepared import Arg, Insert, Prepared

DEFAULT_TIMEOUT = 86_400
MAX_TIMEOUT = 1_209_600
SORTABLE: Sortable = {"dateCreated": models.Task.created_at, "dateUpdated": models.Task.updated_at,
                      "priority": models.Task.priority, "assignmentStatus": models.Task.status,
                      "age": models.Task.created_at}


_INSERT = Insert(models.Task)
_WORKFLOW_EXISTS = Prepared(lambda: models.Workflow.select(models.Workflow.id).where(
    models.Workflow.sid == Arg("sid")).limit(1))
_QUEUE = Prepared(lambda: models.TaskQueue.select(models.TaskQueue.sid, models.TaskQueue.name).where(
    (models.TaskQueue.sid == Arg("sid")) & (models.TaskQueue.workspace_sid == Arg("workspace_sid"))).limit(1))


def status_of(text: str, field: str = "assignmentStatus") -> TaskStatus:
    """Any letter case; the seed's "Cancelled" is Canceled."""
    status = statuses.parse(TaskStatus, text)
    if status is None:
        raise invalid(field, f"must be one of Pending, Reserved, Assigned, Wrapping, Canceled, Completed, not {text!r}")
    return status


def checked_attributes(text: str | None) -> str:
    if text is None or not text.strip():
        return "{}"
    try:
        value = json_depth.loads(text)
    except json_depth.TooDeep as exc:
        raise invalid("attributes", str(exc)) from None
    except ValueError:
        raise TaskRouterError("INVALID_TASK_ATTRIBUTES", text, "Task attributes are not valid JSON") from None
    if not isinstance(value, dict):
        raise TaskRouterError("INVALID_TASK_ATTRIBUTES", text)
    return text


def _workflow_for(caller: Caller, workflow_sid: str, workspace_sid: str) -> models.Workflow:
    """The named workflow, or the only one of the workspace (or of the enterprise)."""
    workspace_sid = scope.clean_sid(workspace_sid)
    if scope.clean_sid(workflow_sid):
        workflow = scope.get(models.Workflow, workflow_sid, caller.enterprise_sid)
        if workspace_sid and workflow.workspace_sid != workspace_sid:
            raise TaskRouterError("WORKFLOW_NOT_FOUND", scope.clean_sid(workflow_sid))
        return workflow
    query = models.Workflow.select().where(models.Workflow.enterprise_sid == caller.enterprise_sid)
    if workspace_sid:
        scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        query = query.where(models.Workflow.workspace_sid == workspace_sid)
    found = list(query.limit(2))
    if len(found) != 1:
        raise missing("workflowSid") if found else TaskRouterError(
            "WORKFLOW_NOT_FOUND", "", "No workflow to route the task: create one or pass workflowSid")
    return found[0]


def scheduled_time(text: str | None) -> float | None:
    """The seed's time format or RFC 3339; None when absent or blank."""
    if text is None or not text.strip():
        return None
    try:
        return parse_time(text)
    except ValueError:
        raise invalid("scheduledTime", f"{text!r} is not a date-time (2020-06-15T07:00:25+0000 or RFC 3339)") from None


def waits_for_schedule(task: models.Task) -> bool:
    """A scheduled task not yet routed: pending, in no queue, until its scheduled time."""
    return task.status == TaskStatus.PENDING and task.scheduled_at is not None and task.task_queue_sid is None


@dataclass(frozen=True)
class NewTask:
    """A task as its creator asks for it; None is the default (DEFAULT_TIMEOUT, priority 0, the
    `default` channel, the workspace's only workflow when workflow_sid is blank)."""

    workflow_sid: str
    workspace_sid: str
    attributes: str | None = None
    timeout: int | None = None
    priority: int | None = None
    task_channel: str | None = None
    bypass_reserved_state: bool = False
    scheduled_at: float | None = None
    origin: str = "taskrouter"  # the ingress that created it
    external_id: str | None = None  # the ingress's own id of the task


def create(env: Environment, caller: Caller, new: NewTask) -> models.Task:
    attributes = checked_attributes(new.attributes)
    if new.timeout is not None and not 1 <= new.timeout <= MAX_TIMEOUT:
        raise invalid("timeout", f"must be between 1 and {MAX_TIMEOUT} seconds")
    workflow = _workflow_for(caller, new.workflow_sid, new.workspace_sid)
    now = env.clock.now()
    ttl = new.timeout if new.timeout is not None else DEFAULT_TIMEOUT
    scheduled_at = new.scheduled_at
    starts = scheduled_at if scheduled_at is not None and scheduled_at > now else None
    task = models.Task(
        sid=sids.new_sid(sids.TASK), enterprise_sid=workflow.enterprise_sid, workspace_sid=workflow.workspace_sid,
        workflow_sid=workflow.sid, workflow_name=workflow.name, account_sid=caller.account_sid,
        account_email=caller.email, timeout=ttl, priority=new.priority or 0, requested_priority=new.priority or 0,
        attributes=attributes, status=TaskStatus.PENDING,
        bypass_reserved_state=new.bypass_reserved_state, expires_at=(starts or now) + ttl,
        origin=new.origin, external_id=new.external_id, created_at=now, updated_at=now,
        scheduled_at=scheduled_at, target_expires_at=starts,
    )

    def write() -> None:
        # Under the workspace's structure lock (shared): the workflow read above may since have
        # been deleted, and its queues cannot go while this transaction lasts.
        if _WORKFLOW_EXISTS.first(sid=workflow.sid) is None:
            raise TaskRouterError("WORKFLOW_NOT_FOUND", workflow.sid)
        channel = task_channels.resolve(workflow.workspace_sid, new.task_channel)  # (nor can the channel go)
        task.task_channel, task.task_channel_sid = channel.unique_name, channel.sid
        created = {"attributes": attributes, "priority": task.priority, "taskChannel": channel.unique_name}
        if scheduled_at is not None:
            created["scheduledTime"] = format_time(scheduled_at)
        pending = [PendingEvent("task.created", task, "Task created", created)]
        if starts is None:  # a scheduled task is routed by its timer (timers.py)
            route(env, task, workflow, pending)
        if task.id is None:  # routing saves the task only when it cancels it
            _INSERT.save(task)
        events.record_many(env, task.workspace_sid, pending)

    # A new task changes nothing another writer reads under the workspace's routing lock:
    # concurrent creates share one transaction (group commit) and the structure lock
    # (routing/locks.py), and the dispatcher matches the task after the commit.
    in_shared_transaction(write, shared_keys=(locks.structure(task.workspace_sid),))
    if task.status == TaskStatus.PENDING and task.task_queue_sid:
        env.wake(task.workspace_sid, task.task_queue_sid)
    env.notify()
    return task


def route(env: Environment, task: models.Task, workflow: models.Workflow | None, pending: list[PendingEvent]) -> None:
    """Evaluates the workflow for the task and places it in the first target's queue."""
    if workflow is None:
        cancel(env, task, "The task's workflow no longer exists", pending)
        return
    _enter_filter(env, task, workflow, workflow_config.parse(workflow.configuration), 0, pending)


def _enter_filter(env: Environment, task: models.Task, workflow: models.Workflow,
                  config: workflow_config.RoutingConfig, start: int, pending: list[PendingEvent]) -> None:
    """Places the task in the first filter from `start` on that matches it (else the default)."""
    index, matched = config.match(membership.attributes_of(task), start)
    if not config.targets(index):
        cancel(env, task, f"Task matched no filter of workflow {workflow.name!r}, which has no default_filter",
               pending)
        return
    task.filter_index = index
    pending.append(PendingEvent("workflow.target-matched", task, "Task matched a workflow filter",
                                {"workflowSid": workflow.sid,
                                 "filterName": matched.name if matched else "default_filter", "filterIndex": index}))
    enter_target(env, task, config, 0, pending, workflow=workflow)


def enter_target(env: Environment, task: models.Task, config: workflow_config.RoutingConfig, index: int,
                 pending: list[PendingEvent], *, workflow: models.Workflow | None = None) -> None:
    """Places the task in target `index` of its filter, passing over targets whose queue is gone,
    whose known worker does not exist and whose skip_if holds. Skipped past the last target, the
    task goes on to the next matching filter (as if it had not matched this one; the default
    filter's last target is never skipped); timed out past it, the task is canceled, as the seed says."""
    assert task.filter_index is not None  # the filter it entered (_enter_filter)
    targets = config.targets(task.filter_index)
    now = env.clock.now()
    skipped = False
    for position in range(index, len(targets)):
        target = targets[position]
        queue = _QUEUE.first(sid=target.queue, workspace_sid=task.workspace_sid)
        if queue is None:
            continue
        final = position == len(targets) - 1 and task.filter_index == workflow_config.DEFAULT_FILTER
        known = (placement.known_worker(task, target, membership.attributes_of(task), queue.sid)
                 if target.known_worker else None)
        why = ("its known worker is not a member of the queue" if target.known_worker and known is None else
               "its skip_if holds" if not final and placement.skips(target, queue.sid) else None)
        if why is not None:
            skipped = True
            pending.append(PendingEvent("workflow.skipped", task, f"Task skipped workflow target {position}: {why}",
                                        {"taskQueueSid": queue.sid, "filterIndex": task.filter_index,
                                         "targetIndex": position, "reason": why}))
            continue
        previous = task.task_queue_sid
        task.task_queue_sid, task.task_queue_name, task.queue_entered_at = queue.sid, queue.name, now
        task.target_index, task.known_worker_sid = position, known
        task.target_expires_at = now + target.timeout if target.timeout else None
        task.priority = target.priority if target.priority is not None else own_priority(task)
        task.updated_at = now
        kind = "task-queue.moved" if previous and previous != queue.sid else "task-queue.entered"
        pending.append(PendingEvent(kind, task, f"Task entered queue {queue.name}",
                                    {"taskQueueSid": queue.sid, "taskQueueName": queue.name, "targetIndex": position,
                                     "previousTaskQueueSid": previous}))
        return
    if skipped and task.filter_index != workflow_config.DEFAULT_FILTER:
        workflow = workflow or models.Workflow.get_or_none(models.Workflow.sid == task.workflow_sid)
        if workflow is not None:
            _enter_filter(env, task, workflow, config, task.filter_index + 1, pending)
            return
    cancel(env, task, "Task passed the final target of its workflow without being accepted", pending)


def own_priority(task: models.Task) -> int:
    """The task's own priority, which a workflow target's priority overrides while in it."""
    return task.requested_priority if task.requested_priority is not None else task.priority


def cancel(env: Environment, task: models.Task, reason: str, pending: list[PendingEvent]) -> None:
    transfers.end_for_task(env, task, f"The task was canceled: {reason}", pending)
    reservations.end_for_task(env, task, pending)
    task.status, task.reason, task.target_expires_at = TaskStatus.CANCELED, reason, None
    task.updated_at = env.clock.now()
    task.save()
    pending.append(PendingEvent("task.canceled", task, reason, {"reason": reason}))


def complete(env: Environment, task: models.Task, reason: str | None, pending: list[PendingEvent]) -> None:
    transfers.end_for_task(env, task, "The task was completed", pending)
    reservations.end_for_task(env, task, pending)
    task.status, task.reason, task.target_expires_at = TaskStatus.COMPLETED, reason, None
    task.updated_at = env.clock.now()
    task.save()
    pending.append(PendingEvent("task.completed", task, reason or "Task completed", {"reason": reason}))


def wrap_up(env: Environment, task: models.Task, pending: list[PendingEvent]) -> None:
    """Assigned to wrapping: the worker keeps the task's channel capacity until it completes,
    or until the queue's wrapUpTimeout completes it."""
    now = env.clock.now()
    reservations.wrap_up_for_task(env, task, pending)
    queue = models.TaskQueue.get_or_none(models.TaskQueue.sid == task.task_queue_sid)
    task.status, task.updated_at = TaskStatus.WRAPPING, now
    task.target_expires_at = now + queue.wrap_up_timeout if queue and queue.wrap_up_timeout else None
    task.save()
    pending.append(PendingEvent("task.wrapup", task, "Task wrapping up", {"workerSid": task.worker_sid}))


def get(caller: Caller, sid: str) -> models.Task:
    return scope.get(models.Task, sid, caller.enterprise_sid)


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks a list shows; blank filters nothing. The seed: isLiveSession=true lists
    in-flight tasks; absent or false lists finished ones. An explicit assignmentStatus filter takes
    the place of that default."""

    workspace_sid: str = ""
    is_live_session: bool | None = None
    assignment_status: str = ""
    workflow_sid: str = ""
    task_queue_sid: str = ""
    task_channel: str = ""
    worker_sid: str = ""  # offered to or held by the worker: any reservation of it


def list_tasks(caller: Caller, params: ListParams, wanted: TaskFilter) -> Page:
    T = models.Task
    query = T.select().where(T.enterprise_sid == caller.enterprise_sid)
    for column, value in ((T.workspace_sid, wanted.workspace_sid), (T.workflow_sid, wanted.workflow_sid),
                          (T.task_queue_sid, wanted.task_queue_sid)):
        if value:
            query = query.where(column == scope.clean_sid(value))
    if wanted.task_channel.strip():
        query = query.where(T.task_channel_sid.in_(task_channels.filter_sids(caller, wanted.task_channel)))
    if wanted.worker_sid:
        R = models.Reservation
        query = query.where(T.sid.in_(R.select(R.task_sid).where(
            R.worker_sid == scope.clean_sid(wanted.worker_sid))))
    if wanted.assignment_status:
        query = query.where(T.status == status_of(wanted.assignment_status))
    else:
        query = query.where(T.status.in_(LIVE_TASK if wanted.is_live_session else FINAL_TASK))
    query = time_range(query, T.created_at, params)
    return paginate("/taskrouter/tasks/search", query, params, SORTABLE)


@dataclass(frozen=True)
class TaskChanges:
    """What an update asks to change; None leaves it as it is."""

    attributes: str | None = None
    assignment_status: str | None = None
    reason: str | None = None
    priority: int | None = None
    task_queue_sid: str | None = None  # refused: the workflow places a task


def update(env: Environment, caller: Caller, sid: str, changes: TaskChanges) -> models.Task:
    if changes.task_queue_sid is not None:
        raise invalid("taskQueueSid", "cannot be changed: the task's workflow places it in a queue "
                      "(update its attributes to route it again)")
    status = changes.assignment_status
    wanted = status_of(status) if status is not None and status.strip() else None
    attributes = checked_attributes(changes.attributes) if changes.attributes is not None else None
    priority, reason = changes.priority, changes.reason
    task = get(caller, sid)
    with write_transaction(locks.routing(task.workspace_sid)):
        task = get(caller, sid)
        pending: list[PendingEvent] = []
        changed: dict[str, str | int] = {}
        if attributes is not None or priority is not None:
            if task.status in FINAL_TASK:
                raise TaskRouterError("INVALID_TRANSITION", task.sid, f"Task is {task.status}; it cannot change")
            if attributes is not None and attributes != task.attributes:
                task.attributes = changed["attributes"] = attributes
            if priority is not None:
                task.priority = task.requested_priority = changed["priority"] = priority
        if reason is not None:
            task.reason = reason
        if changed:
            task.updated_at = env.clock.now()
            task.save()
            pending.append(PendingEvent("task.updated", task, "Task updated", changed))
            if "attributes" in changed and task.status == TaskStatus.PENDING and not waits_for_schedule(task):
                route(env, task, models.Workflow.get_or_none(models.Workflow.sid == task.workflow_sid), pending)
                task.save()
        if wanted is not None and wanted != task.status:
            _transition(env, task, wanted, reason, pending)
        elif reason is not None:
            task.save()
        events.record_many(env, task.workspace_sid, pending)
    env.wake(task.workspace_sid)
    env.notify()
    return task


def _transition(env: Environment, task: models.Task, wanted: TaskStatus, reason: str | None,
                pending: list[PendingEvent]) -> None:
    if task.status in FINAL_TASK:
        raise TaskRouterError("INVALID_TRANSITION", task.sid, f"Task is already {task.status}")
    if wanted == TaskStatus.CANCELED:
        if task.status in HELD_TASK:
            raise TaskRouterError("INVALID_TRANSITION", task.sid, f"A {task.status} task can only be completed")
        cancel(env, task, reason or "Task canceled by API", pending)
    elif wanted == TaskStatus.COMPLETED:
        if task.status not in HELD_TASK:
            raise TaskRouterError("INVALID_TRANSITION", task.sid,
                                  f"Task is {task.status}; only an assigned or wrapping task can be completed")
        complete(env, task, reason, pending)
    elif wanted == TaskStatus.WRAPPING:
        if task.status != TaskStatus.ASSIGNED:
            raise TaskRouterError("INVALID_TRANSITION", task.sid,
                                  f"Task is {task.status}; only an assigned task can wrap up")
        if task.transfer_sid is not None:
            raise TaskRouterError("INVALID_TRANSITION", task.sid, "Task is being transferred; it cannot wrap up")
        wrap_up(env, task, pending)
    else:
        raise TaskRouterError("INVALID_TRANSITION", task.sid,
                              f"assignmentStatus can be set to Canceled, Wrapping or Completed, not {wanted}")


def delete(env: Environment, caller: Caller, sid: str) -> models.Task:
    task = get(caller, sid)
    with write_transaction(locks.routing(task.workspace_sid)):
        task = get(caller, sid)
        pending: list[PendingEvent] = []
        transfers.end_for_task(env, task, "The task was deleted", pending)
        reservations.end_for_task(env, task, pending)
        pending.append(PendingEvent("task.deleted", task, "Task deleted", {}))
        events.record_many(env, task.workspace_sid, pending)
        task.delete_instance()
    env.wake(task.workspace_sid)
    env.notify()
    return task


def cancel_all_live(env: Environment, workspace: models.Workspace, reason: str) -> None:
    pending: list[PendingEvent] = []
    for task in models.Task.select().where(
            (models.Task.workspace_sid == workspace.sid) & models.Task.status.in_(LIVE_TASK)):
        if task.status in HELD_TASK:
            complete(env, task, reason, pending)
        else:
            cancel(env, task, reason, pending)
    events.record_many(env, workspace, pending)
