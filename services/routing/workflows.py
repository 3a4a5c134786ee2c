"""Workflows: the routing rules of a workspace (see workflow_config) and their callbacks."""

from __future__ import annotations

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import locks, scope, workflow_config
from taskrouter.server.routing.callback_urls import checked_url
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.listing import ListParams, Page, by_name_and_time, paginate
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

DEFAULT_RESERVATION_TIMEOUT = 120
MAX_RESERVATION_TIMEOUT = 86_400
SORTABLE = {"dateCreated": models.Workflow.created_at, "dateUpdated": models.Workflow.updated_at,
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


def create(env: Environment, caller: Caller, workspace_sid: str, name: str, *, configuration: str | None,
           assignment_callback_url: str, fallback_assignment_callback_url: str,
           task_reservation_timeout: int | None) -> models.Workflow:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    name = scope.require_name(name)
    now = env.clock.now()
    with write_transaction():
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        scope.ensure_unique_name(models.Workflow, name, workspace_sid=workspace.sid)
        workflow = models.Workflow(
            sid=sids.new_sid(sids.WORKFLOW), enterprise_sid=workspace.enterprise_sid, workspace_sid=workspace.sid,
            name=name, configuration=checked_configuration(configuration, workspace),
            assignment_callback_url=checked_url(assignment_callback_url, "assignmentCallbackUrl"),
            fallback_assignment_callback_url=checked_url(fallback_assignment_callback_url,
                                                         "fallbackAssignmentCallbackUrl"),
            task_reservation_timeout=_reservation_timeout(task_reservation_timeout)
            if task_reservation_timeout is not None else DEFAULT_RESERVATION_TIMEOUT,
            account_email=caller.email, created_at=now, updated_at=now,
        )
        scope.save_unique(workflow, force_insert=True)
    return workflow


def get(caller: Caller, sid: str) -> models.Workflow:
    return scope.get(models.Workflow, sid, caller.enterprise_sid)


def list_workflows(caller: Caller, params: ListParams, workspace_sid: str) -> Page:
    query = by_name_and_time(scope.owned(models.Workflow, caller.enterprise_sid, workspace_sid), params)
    return paginate("/taskrouter/workflows/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, *, name: str | None, configuration: str | None,
           assignment_callback_url: str | None, fallback_assignment_callback_url: str | None,
           task_reservation_timeout: int | None, re_evaluate_tasks: bool = False) -> models.Workflow:
    workflow = get(caller, sid)
    with write_transaction(lock_key=workflow.workspace_sid):
        workflow = get(caller, sid)
        if name is not None:
            workflow.name = scope.require_name(name)
            scope.ensure_unique_name(models.Workflow, workflow.name, exclude_sid=workflow.sid,
                                     workspace_sid=workflow.workspace_sid)
        if configuration is not None:
            workspace = models.Workspace.get(models.Workspace.sid == workflow.workspace_sid)
            workflow.configuration = checked_configuration(configuration, workspace)
        if assignment_callback_url is not None:
            workflow.assignment_callback_url = checked_url(assignment_callback_url, "assignmentCallbackUrl")
        if fallback_assignment_callback_url is not None:
            workflow.fallback_assignment_callback_url = checked_url(fallback_assignment_callback_url,
                                                                    "fallbackAssignmentCallbackUrl")
        if task_reservation_timeout is not None:
            workflow.task_reservation_timeout = _reservation_timeout(task_reservation_timeout)
        workflow.updated_at = env.clock.now()
        scope.save_unique(workflow)
        if re_evaluate_tasks:
            _re_evaluate(env, workflow)
    if re_evaluate_tasks:
        env.wake(workflow.workspace_sid)
        env.notify()
    return workflow


def _re_evaluate(env: Environment, workflow: models.Workflow) -> None:
    """Routes the workflow's pending tasks again from its first filter (reserved ones keep their
    offers; scheduled ones not yet due are routed at their time)."""
    from taskrouter.server.routing import events, tasks

    T = models.Task
    pending: list = []
    for task in T.select().where((T.workflow_sid == workflow.sid) & (T.status == "pending")
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
