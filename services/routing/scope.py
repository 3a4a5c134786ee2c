"""Looking resources up within the caller's enterprise: another enterprise's SID is not found."""

from __future__ import annotations

from typing import TypeAlias, TypeVar

import peewee as pw

from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.store import models
from taskrouter.server.store.prepared import Arg, Prepared

M = TypeVar("M", bound=models.Resource)
# The resources whose name is unique in their scope (NOT_UNIQUE).
Named: TypeAlias = models.Workspace | models.WorkspaceResource

NOT_FOUND = {
    models.Workspace: "WORKSPACE_NOT_FOUND",
    models.Activity: "ACTIVITY_NOT_FOUND",
    models.TaskQueue: "TASK_QUEUE_NOT_FOUND",
    models.Worker: "WORKER_NOT_FOUND",
    models.Workflow: "WORKFLOW_NOT_FOUND",
    models.Task: "TASK_NOT_FOUND",
    models.Reservation: "RESERVATION_NOT_FOUND",
    models.TaskChannel: "TASK_CHANNEL_NOT_FOUND",
    models.WorkerChannel: "WORKER_CHANNEL_NOT_FOUND",
    models.Transfer: "TRANSFER_NOT_FOUND",
}

_BY_SID = {model: Prepared(lambda model=model: model.select().where(  # type: ignore[misc]  # lambda defaults
    (model.sid == Arg("sid")) & (model.enterprise_sid == Arg("enterprise_sid"))).limit(1)) for model in NOT_FOUND}

MAX_NAME = 255  # the size of the name columns

NOT_UNIQUE = {
    models.Workspace: "WORKSPACE_NOT_UNIQUE",
    models.Activity: "ACTIVITY_NOT_UNIQUE",
    models.TaskQueue: "TASK_QUEUE_NOT_UNIQUE",
    models.Worker: "WORKER_NOT_UNIQUE",
    models.Workflow: "WORKFLOW_NOT_UNIQUE",
    models.TaskChannel: "TASK_CHANNEL_NOT_UNIQUE",
}


def clean_sid(sid: str | None) -> str:
    """The seed's examples carry stray spaces around SIDs; they are not part of the SID. No SID
    holds a NUL, which PostgreSQL cannot take as text: it becomes U+FFFD and matches nothing."""
    return (sid or "").strip().replace("\x00", "\ufffd")


def text(value: str, field: str) -> str:
    """Text to store or to filter by: PostgreSQL text cannot hold NUL characters."""
    if "\x00" in value:
        raise invalid(field, "must not contain NUL characters")
    return value


def get(model: type[M], sid: str, enterprise_sid: str, *, for_workspace: str | None = None) -> M:
    """The resource, or its documented not-found error. With `for_workspace`, it must also
    belong to that workspace (an activity of another workspace is not found)."""
    sid = clean_sid(sid)
    row = _BY_SID[model].first(sid=sid, enterprise_sid=enterprise_sid) if sid else None
    if row is None or (for_workspace is not None and row.workspace_sid != for_workspace):
        raise TaskRouterError(NOT_FOUND[model], sid)
    return row


def owned(model: type[M], enterprise_sid: str, workspace_sid: str = "") -> pw.ModelSelect[M]:
    """The enterprise's rows of `model`; only those of `workspace_sid` when one is given."""
    query = model.select().where(model.enterprise_sid == enterprise_sid)
    if workspace_sid:
        # a model listed by workspace has the column
        query = query.where(model.workspace_sid == clean_sid(workspace_sid))  # type: ignore[attr-defined]
    return query


def require_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name:
        raise missing("name")
    if len(name) > MAX_NAME:
        raise invalid("name", f"must be at most {MAX_NAME} characters")
    return text(name, "name")


def ensure_unique_name(model: type[Named], name: str, exclude_sid: str = "", **scope: str) -> None:
    query = model.select(model.id).where(model.name == name)
    for column, value in scope.items():
        query = query.where(getattr(model, column) == value)
    if exclude_sid:
        query = query.where(model.sid != exclude_sid)
    if query.exists():
        raise TaskRouterError(NOT_UNIQUE[model], name)


def save_unique(row: Named, *, force_insert: bool = False) -> None:
    """Saves, turning a lost race on a unique name into the documented not-unique error."""
    try:
        with models.database.atomic():
            row.save(force_insert=force_insert)
    except pw.IntegrityError:
        raise TaskRouterError(NOT_UNIQUE[type(row)], getattr(row, "unique_name", row.name)) from None
