"""Workflows: the routing rules of a workspace (see workflow_config) and their callbacks."""

from __future__ import annotations

from dataclasses import dataclass

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import events, locks, scope, tasks, workflow_config
from taskrouter.server.routing.callback_urls import checked_url
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, by_name_and_time, paginate
from taskrouter.server.routing.statuses import TaskStatus
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

DEFAULT_RESERVATION_TIMEOUT = 120
MAX_RESERVATION_TIMEOUT = 86_400
SORTABLE: Sortable = {"dateCreated": models.Workflow.created_at, "dateUpdated": models.Workflow.updated_at,
                      "name": models.Workflow.name}


def checked_configuration(text: str | None, workspace: models.Workspace) -> str:
    if text is None or not text.strip():
        raise missing("configuration")
    config = workflow_config.check(text)
    known = {q.sid for q in models.TaskQueue.select(models.TaskQueue.sid)
             .where(models.TaskQueue.workspace_sid == workspace.sid)}
    for queue in sorted(config.queue_sids() - known):
        raise TaskRouterError("TASK_QUEUE_NOT_FOUND", queue)
    return text


def _reservation_timeout(value: int) -> int:
    if not 1 <= value <= MAX_RESERVATION_TIMEOUT:
        raise invalid("taskReservationTimeout", f"must be between 1 and {MAX_RESERVATION_TIMEOUT}")
    return value


@dataclass(frozen=True)
class WorkflowSettings:
    """A workflow's settings as a create or update gives them; None: not given (on create: no
    callbacks, DEFAULT_RESERVATION_TIMEOUT; the configuration is required)."""

    name: str | None = None
    configuration: str | None = None
    assignment_callback_url: str | None = None
    fallback_assignment_callback_url: str | None = None
    task_reservation_timeout: int | None = None
    re_evaluate_tasks: bool = False  # on update: route the workflow's pending tasks again


def create(env: Environment, caller: Caller, workspace_sid: str, settings: WorkflowSettings) -> models.Workflow:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    name = scope.require_name(settings.name)
    timeout = settings.task_reservation_timeout
    now = env.clock.now()
    with write_transaction():
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        scope.ensure_unique_name(models.Workflow, name, workspace_sid=workspace.sid)
        workflow = models.Workflow(
            sid=sids.new_sid(sids.WORKFLOW), enterprise_sid=workspace.enterprise_sid, workspace_sid=workspace.sid,
            name=name, configuration=checked_configuration(settings.configuration, workspace),
            assignment_callback_url=checked_url(settings.assignment_callback_url or "", "assignmentCallbackUrl"),
            fallback_assignment_callback_url=checked_url(settings.fallback_assignment_callback_url or "",
                                                         "fallbackAssignmentCallbackUrl"),
            task_reservation_timeout=_reservation_timeout(timeout) if timeout is not None
            else DEFAULT_RESERVATION_TIMEOUT,
            account_email=caller.email, created_at=now, updated_at=now,
        )
        scope.save_unique(workflow, force_insert=True)
    return workflow


def get(caller: Caller, sid: str) -> models.Workflow:
    return scope.get(models.Workflow, sid, caller.enterprise_sid)


def list_workflows(caller: Caller, params: ListParams, workspace_sid: str) -> Page:
    query = by_name_and_time(scope.owned(models.Workflow, caller.enterprise_sid, workspace_sid), params)
    return paginate("/taskrouter/workflows/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, settings: WorkflowSettings) -> models.Workflow:
    workflow = get(caller, sid)
    with write_transaction(lock_key=workflow.workspace_sid):
        workflow = get(caller, sid)
        if settings.name is not None:
            workflow.name = scope.require_name(settings.name)
            scope.ensure_unique_name(models.Workflow, workflow.name, exclude_sid=workflow.sid,
                                     workspace_sid=workflow.workspace_sid)
        if settings.configuration is not None:
            workspace = models.Workspace.get(models.Workspace.sid == workflow.workspace_sid)
            workflow.configuration = checked_configuration(settings.configuration, workspace)
        if settings.assignment_callback_url is not None:
            workflow.assignment_callback_url = checked_url(settings.assignment_callback_url, "assignmentCallbackUrl")
        if settings.fallback_assignment_callback_url is not None:
            workflow.fallback_assignment_callback_url = checked_url(settings.fallback_assignment_callback_url,
                                                                    "fallbackAssignmentCallbackUrl")
        if settings.task_reservation_timeout is not None:
            workflow.task_reservation_timeout = _reservation_timeout(settings.task_reservation_timeout)
        workflow.updated_at = env.clock.now()
        scope.save_unique(workflow)
        if settings.re_evaluate_tasks:
            _re_evaluate(env, workflow)
    if settings.re_evaluate_tasks:
        env.wake(workflow.workspace_sid)
        env.notify()
    return workflow


def _re_evaluate(env: Environment, workflow: models.Workflow) -> None:
    """Routes the workflow's pending tasks again from its first filter (reserved ones keep their
    offers; scheduled ones not yet due are routed at their time)."""
    T = models.Task
    pending: list[PendingEvent] = []
    for task in T.select().where((T.workflow_sid == workflow.sid) & (T.status == TaskStatus.PENDING)
                                 & T.task_queue_sid.is_null(False) & T.transfer_sid.is_null()):
        task.known_worker_sid = None
        tasks.route(env, task, workflow, pending)
        task.save()
    events.record_many(env, workflow.workspace_sid, pending)


def delete(caller: Caller, sid: str) -> models.Workflow:
    """Under the workspace's structure lock: a task being created finds the workflow or not."""
    workspace_sid = get(caller, sid).workspace_sid
    with write_transaction(exclusive_keys=(locks.structure(workspace_sid),)):
        workflow = get(caller, sid)
        workflow.delete_instance()
    return workflow
