"""What is live now, counted exactly from the live rows with indexed reads (tasks by workspace
or queue and status, workers by workspace and activity, queue members): never from history."""

from __future__ import annotations

from collections.abc import Iterable

import peewee as pw

from taskrouter.server.clock import format_time
from taskrouter.server.routing.statuses import LIVE_TASK, WAITING_TASK, ReservationStatus, TaskStatus
from taskrouter.server.store import models
from taskrouter.server.store.rows import tuples

T, W, A, M = models.Task, models.Worker, models.Activity, models.QueueMember


def _tasks(where: pw.Expression, channel: str, now: float, group: pw.Field | None = None) -> dict[str, dict]:
    """Live task counts and the longest waiting task, per value of `group` ("" without one)."""
    if channel:
        where &= T.task_channel == channel
    key = group if group is not None else pw.Value("")
    out: dict[str, dict] = {}
    query = T.select(key.alias("key"), T.status, pw.fn.COUNT(T.id).alias("n")).where(
        where & T.status.in_(LIVE_TASK)).group_by(key, T.status)
    for name, status, count in tuples(query):
        block = out.setdefault(name or "", _empty_tasks())
        block["tasks_by_status"][status] = count
        block["total_tasks"] += count
    for name, block in out.items():
        waiting = where & T.status.in_(WAITING_TASK)
        if group is not None:
            waiting &= group == name
        oldest = T.select(T.sid, T.created_at).where(waiting).order_by(T.created_at, T.id).limit(1).first()
        if oldest is not None:
            block["longest_task_waiting_age"] = max(0, int(now - oldest.created_at))
            block["longest_task_waiting_sid"] = oldest.sid
    return out


def _empty_tasks() -> dict:
    return {"tasks_by_status": {status.value: 0 for status in TaskStatus if status in LIVE_TASK}, "total_tasks": 0,
            "longest_task_waiting_age": 0, "longest_task_waiting_sid": ""}


def _workers(activities: list[models.Activity], counts: dict[str, int]) -> dict:
    return {
        "activity_statistics": [{"activity_sid": a.sid, "activity_name": a.name, "workers": counts.get(a.sid, 0)}
                                for a in activities],
        "total_available_workers": sum(counts.get(a.sid, 0) for a in activities if a.available),
    }


def _activities(workspace_sid: str) -> list[models.Activity]:
    query = A.select(A.sid, A.name, A.available).where(A.workspace_sid == workspace_sid)
    return list(query.order_by(A.created_at, A.id))


def workspace(workspace_sid: str, now: float, channel: str = "") -> dict:
    counts = dict(tuples(W.select(W.activity_sid, pw.fn.COUNT(W.id)).where(W.workspace_sid == workspace_sid)
                         .group_by(W.activity_sid)))
    tasks = _tasks(T.workspace_sid == workspace_sid, channel, now).get("", _empty_tasks())
    return {**tasks, **_workers(_activities(workspace_sid), counts)}


def workflow(workspace_sid: str, workflow_sid: str, queue_sids: Iterable[str], now: float, channel: str = "") -> dict:
    """The workflow's tasks; the workers of the queues it routes to."""
    members = M.select(M.worker_sid).where(M.queue_sid.in_(sorted(queue_sids)))
    counts = dict(tuples(W.select(W.activity_sid, pw.fn.COUNT(W.id)).where(
        (W.workspace_sid == workspace_sid) & W.sid.in_(members)).group_by(W.activity_sid)))
    where = (T.workspace_sid == workspace_sid) & (T.workflow_sid == workflow_sid)
    tasks = _tasks(where, channel, now).get("", _empty_tasks())
    return {**tasks, **_workers(_activities(workspace_sid), counts)}


def queues(workspace_sid: str, queue_sids: list[str], now: float, channel: str = "") -> dict[str, dict]:
    """Each queue's block, in few statements however many queues there are."""
    if not queue_sids:
        return {}
    tasks = _tasks((T.workspace_sid == workspace_sid) & T.task_queue_sid.in_(queue_sids), channel, now,
                   group=T.task_queue_sid)
    per_queue: dict[str, dict[str, int]] = {sid: {} for sid in queue_sids}
    for queue_sid, activity_sid, count in tuples(
            M.select(M.queue_sid, W.activity_sid, pw.fn.COUNT(W.id))
            .join(W, on=(W.sid == M.worker_sid)).where(M.queue_sid.in_(queue_sids))
            .group_by(M.queue_sid, W.activity_sid)):
        per_queue[queue_sid][activity_sid] = count
    activities = _activities(workspace_sid)
    return {sid: {**tasks.get(sid, _empty_tasks()), **_workers(activities, per_queue[sid]),
                  "total_eligible_workers": sum(per_queue[sid].values())} for sid in queue_sids}


def worker(worker: models.Worker, now: float) -> dict:
    """Its activity and since when, and its open reservations per task channel."""
    activity = A.get_or_none(A.sid == worker.activity_sid)
    R = models.Reservation
    by_channel: dict[str, dict] = {}
    for channel, status, count in tuples(
            R.select(T.task_channel, R.status, pw.fn.COUNT(R.id)).join(T, on=(T.sid == R.task_sid))
            .where((R.worker_sid == worker.sid) & R.status.in_((ReservationStatus.PENDING, ReservationStatus.ACCEPTED)))
            .group_by(T.task_channel, R.status)):
        block = by_channel.setdefault(channel, {"task_channel": channel, "reserved_tasks": 0, "assigned_tasks": 0})
        block["reserved_tasks" if status == ReservationStatus.PENDING else "assigned_tasks"] += count
    return {
        "activity_sid": worker.activity_sid, "activity_name": activity.name if activity else "",
        "available": bool(activity and activity.available), "activity_since": format_time(worker.status_changed_at),
        "activity_age": max(0, int(now - worker.status_changed_at)),
        "tasks_by_channel": [by_channel[c] for c in sorted(by_channel)],
    }
