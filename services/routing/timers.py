"""Timers kept in the database, so they survive a restart and any process can fire them:
reservation timeouts, workflow target timeouts, scheduled tasks' start, wrap-up timeouts and task
TTLs."""

from __future__ import annotations

import peewee as pw

from taskrouter.server.routing import events, locks, reservations, tasks, workflow_config
from taskrouter.server.routing.backoff import Backoff
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.statuses import WAITING_TASK, ReservationStatus, TaskStatus
from taskrouter.server.store import models
from taskrouter.server.store.availability import DatabaseUnavailable
from taskrouter.server.store.db import savepoint, write_transaction
from taskrouter.server.store.prepared import Arg, Prepared

T, R = models.Task, models.Reservation

# (what fires, the rows' SID and workspace, the due moment): each an index range (models.py).
_TIMERS = (
    ("reservation", R.sid, R.workspace_sid, R.timeout_at, R.status == ReservationStatus.PENDING),
    ("ttl", T.sid, T.workspace_sid, T.expires_at, T.status == TaskStatus.PENDING),
    ("ttl", T.sid, T.workspace_sid, T.expires_at, T.status == TaskStatus.RESERVED),
    ("target", T.sid, T.workspace_sid, T.target_expires_at, T.status == TaskStatus.PENDING),
    ("wrapup", T.sid, T.workspace_sid, T.target_expires_at, T.status == TaskStatus.WRAPPING),
)
# The earliest of each kind in one statement (one round trip): it runs every TIMER_CHECK_SECONDS.
_NEXT = Prepared(lambda: pw.Select(columns=[at.model.select(pw.fn.MIN(at)).where(where & at.is_null(False))
                                            for _, _, _, at, where in _TIMERS]).tuples())
_DUE = [(kind, Prepared(lambda sid=sid, ws=ws, at=at, where=where: sid.model.select(sid, ws).where(  # type: ignore[misc]  # lambda defaults
    where & (at <= Arg("now"))).limit(Arg("limit")).tuples())) for kind, sid, ws, at, where in _TIMERS]


def next_due() -> float | None:
    """The earliest moment any timer is due, or None when none is set."""
    present = [at for at in _NEXT.first() if at is not None]
    return min(present) if present else None


def fire_due(env: Environment, failed: Backoff | None = None, limit: int = 500) -> set[str]:
    """Fires every timer that is due; returns the workspaces that changed. Each timer fires in a
    savepoint of its own: one that fails is undone, noted in `failed` and retried later, and
    the others fire all the same."""
    failed = failed if failed is not None else Backoff("timer")
    now = env.clock.now()
    due: dict[str, list[tuple[str, str]]] = {}
    for kind, statement in _DUE:
        for sid, ws in statement.rows(now=now, limit=limit):
            if not failed.waiting(f"{kind} {sid}", now):
                due.setdefault(ws, []).append((kind, sid))
    for workspace_sid, items in due.items():
        with write_transaction(locks.routing(workspace_sid)):
            pending: list[PendingEvent] = []
            for kind, sid in items:
                key, mark = f"{kind} {sid}", len(pending)
                try:
                    with savepoint():
                        _fire(env, kind, sid, now, pending)
                except DatabaseUnavailable:
                    raise  # an outage, not this timer's fault
                except Exception:  # noqa: BLE001 - this timer only; the others fire
                    del pending[mark:]
                    failed.failed(key, now)
                else:
                    failed.succeeded(key)
            events.record_many(env, workspace_sid, pending)
    return set(due)


def _fire(env: Environment, kind: str, sid: str, now: float, pending: list[PendingEvent]) -> None:
    """Re-reads the row inside the lock: another process may have fired it already."""
    if kind == "reservation":
        reservation = R.get_or_none(R.sid == sid)
        if (reservation is None or reservation.status != ReservationStatus.PENDING or reservation.timeout_at is None
                or reservation.timeout_at > now):
            return
        workspace = models.Workspace.get_or_none(models.Workspace.sid == reservation.workspace_sid)
        reservations.close(env, reservation, ReservationStatus.TIMEOUT, pending,
                           activity_sid=workspace.timeout_activity_sid if workspace else None)
        return
    task = T.get_or_none(T.sid == sid)
    if task is None:
        return
    if kind == "ttl" and task.status in WAITING_TASK and task.expires_at <= now:
        tasks.cancel(env, task, "Task TTL Exceeded", pending)
    elif (kind == "wrapup" and task.status == TaskStatus.WRAPPING
          and task.target_expires_at and task.target_expires_at <= now):
        tasks.complete(env, task, "Wrap-up timeout", pending)
    elif (kind == "target" and tasks.waits_for_schedule(task)
          and task.target_expires_at is not None and task.target_expires_at <= now):
        task.target_expires_at = None
        tasks.route(env, task, models.Workflow.get_or_none(models.Workflow.sid == task.workflow_sid), pending)
        task.save()
    elif (kind == "target" and task.status == TaskStatus.PENDING
          and task.target_expires_at and task.target_expires_at <= now):
        workflow = models.Workflow.get_or_none(models.Workflow.sid == task.workflow_sid)
        pending.append(PendingEvent("workflow.timeout", task, "Task timed out of its workflow target",
                                    {"taskQueueSid": task.task_queue_sid, "targetIndex": task.target_index}))
        if workflow is None:
            tasks.cancel(env, task, "The task's workflow no longer exists", pending)
        else:
            assert task.target_index is not None  # a pending task with a target timeout is in that target
            tasks.enter_target(env, task, workflow_config.parse(workflow.configuration), task.target_index + 1, pending)
            task.save()
