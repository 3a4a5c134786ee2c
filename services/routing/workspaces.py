"""Workspaces: the container of everything else, with its default and timeout activities."""

from __future__ import annotations

from dataclasses import dataclass

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import locks, scope, task_channels, tasks
from taskrouter.server.routing.callback_urls import checked_url
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.listing import ListParams, Page, Sortable, by_name_and_time, paginate
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

# Every new workspace gets these, as the seed says: Offline (unavailable) and Online (available).
# Offline is the default activity of new workers and where a worker goes on reservation timeout.
DEFAULT_ACTIVITIES = (("Offline", False), ("Online", True))
SORTABLE: Sortable = {"dateCreated": models.Workspace.created_at, "dateUpdated": models.Workspace.updated_at,
                      "name": models.Workspace.name}


MAX_DISCONNECT_GRACE = 86400


@dataclass(frozen=True)
class PresenceSettings:
    """disconnectActivitySid / disconnectGraceSeconds as given (None: not given); see routing/presence.py."""

    activity_sid: str | None = None
    activity_name: str | None = None
    grace_seconds: int | None = None

    def apply(self, workspace: models.Workspace) -> None:
        activity = _activity_by(workspace, self.activity_sid, self.activity_name)
        if activity:
            workspace.disconnect_activity_sid = activity
        elif self.activity_sid is not None or self.activity_name is not None:  # given, but empty: off
            workspace.disconnect_activity_sid = ""
        if self.grace_seconds is not None:
            if not 0 <= self.grace_seconds <= MAX_DISCONNECT_GRACE:
                raise invalid("disconnectGraceSeconds", f"must be between 0 and {MAX_DISCONNECT_GRACE}")
            workspace.disconnect_grace_seconds = self.grace_seconds


def queue_order(value: str | None) -> str:
    """Only FIFO is implemented. The seed accepts LIFO and stores FIFO; we refuse it instead, so
    nobody believes LIFO queues are preferred when they are not."""
    order = (value or "").strip().upper() or "FIFO"
    if order == "LIFO":
        raise TaskRouterError("INVALID_ARGUMENT", value or "",
                              "prioritizeQueueOrder LIFO is not supported yet: only FIFO is (omit it or pass FIFO)")
    if order != "FIFO":
        raise TaskRouterError("INVALID_ARGUMENT", value or "", "prioritizeQueueOrder must be FIFO")
    return order


@dataclass(frozen=True)
class WorkspaceSettings:
    """A workspace's settings as a create or update gives them; None: not given (on create, the
    default: FIFO, no multitasking, no callback, Offline as default and timeout activity)."""

    name: str | None = None
    queue_order: str | None = None  # prioritizeQueueOrder
    multi_task_enabled: bool | None = None
    event_callback_url: str | None = None
    timeout_activity_sid: str | None = None
    timeout_activity_name: str | None = None
    default_activity_sid: str | None = None
    default_activity_name: str | None = None
    presence: PresenceSettings = PresenceSettings()

    def apply(self, workspace: models.Workspace) -> None:
        """Sets what is given but the name (its uniqueness is the caller's to check)."""
        if self.queue_order is not None:
            workspace.prioritize_queue_order = queue_order(self.queue_order)
        timeout = _activity_by(workspace, self.timeout_activity_sid, self.timeout_activity_name)
        if timeout:
            workspace.timeout_activity_sid = timeout
        default = _activity_by(workspace, self.default_activity_sid, self.default_activity_name)
        if default:
            workspace.default_activity_sid = default
        if self.multi_task_enabled is not None:
            workspace.multi_task_enabled = self.multi_task_enabled
        if self.event_callback_url is not None:
            workspace.event_callback_url = checked_url(self.event_callback_url, "eventCallbackUrl")
        self.presence.apply(workspace)


def create(env: Environment, caller: Caller, enterprise_sid: str, settings: WorkspaceSettings) -> models.Workspace:
    enterprise_sid = scope.clean_sid(enterprise_sid)
    if not enterprise_sid:
        raise missing("enterpriseSid")
    if enterprise_sid != caller.enterprise_sid:
        raise TaskRouterError("PERMISSION_DENIED", enterprise_sid,
                              "enterpriseSid is not the enterprise of the calling account")
    name = scope.require_name(settings.name)
    now = env.clock.now()
    with write_transaction():
        scope.ensure_unique_name(models.Workspace, name, enterprise_sid=enterprise_sid)
        workspace = models.Workspace(
            sid=sids.new_sid(sids.WORKSPACE), enterprise_sid=enterprise_sid, name=name, account_email=caller.email,
            created_at=now, updated_at=now,
        )
        scope.save_unique(workspace, force_insert=True)
        created = [
            models.Activity.create(
                sid=sids.new_sid(sids.ACTIVITY), enterprise_sid=enterprise_sid, workspace_sid=workspace.sid,
                name=activity_name, available=available, account_email=caller.email, created_at=now, updated_at=now,
            )
            for activity_name, available in DEFAULT_ACTIVITIES
        ]
        workspace.default_activity_sid = workspace.timeout_activity_sid = created[0].sid
        settings.apply(workspace)
        workspace.save()
        task_channels.create_defaults(env, workspace, caller.email)
    return workspace


def get(caller: Caller, sid: str) -> models.Workspace:
    return scope.get(models.Workspace, sid, caller.enterprise_sid)


def list_workspaces(caller: Caller, params: ListParams) -> Page:
    query = by_name_and_time(scope.owned(models.Workspace, caller.enterprise_sid), params)
    return paginate("/taskrouter/workspaces/search", query, params, SORTABLE)


def _activity_by(workspace: models.Workspace, sid: str | None, name: str | None) -> str | None:
    """An activity of this workspace by SID (preferred) or by name, or None if neither is given."""
    if sid is not None and sid.strip():
        return scope.get(models.Activity, sid, workspace.enterprise_sid, for_workspace=workspace.sid).sid
    if name is not None and name.strip():
        row = models.Activity.get_or_none(
            (models.Activity.workspace_sid == workspace.sid) & (models.Activity.name == name.strip()))
        if row is None:
            raise TaskRouterError("ACTIVITY_NOT_FOUND", name.strip())
        return row.sid
    return None


def update(env: Environment, caller: Caller, sid: str, settings: WorkspaceSettings) -> models.Workspace:
    with write_transaction():
        workspace = get(caller, sid)
        if settings.name is not None:
            workspace.name = scope.require_name(settings.name)
            scope.ensure_unique_name(models.Workspace, workspace.name, exclude_sid=workspace.sid,
                                     enterprise_sid=workspace.enterprise_sid)
        settings.apply(workspace)
        workspace.updated_at = env.clock.now()
        scope.save_unique(workspace)
    env.wake(workspace.sid)
    return workspace


def delete(env: Environment, caller: Caller, sid: str) -> models.Workspace:
    """Deletes the workspace and its workflows, queues, workers and activities. Its tasks stay
    readable; the ones still waiting are canceled, since nothing can route them any more."""
    workspace_sid = scope.clean_sid(sid)
    with write_transaction(locks.routing(workspace_sid), exclusive_keys=(locks.structure(workspace_sid),)):
        workspace = get(caller, sid)
        tasks.cancel_all_live(env, workspace, "Workspace deleted")
        worker_sids = [w.sid for w in models.Worker.select(models.Worker.sid)
                       .where(models.Worker.workspace_sid == workspace.sid)]
        for start in range(0, len(worker_sids), 500):
            chunk = worker_sids[start:start + 500]
            models.QueueMember.delete().where(models.QueueMember.worker_sid.in_(chunk)).execute()
        for model in (models.Workflow, models.TaskQueue, models.Worker, models.Activity, models.TaskChannel,
                      models.WorkerChannel):
            model.delete().where(model.workspace_sid == workspace.sid).execute()
        workspace.delete_instance()
    return workspace
