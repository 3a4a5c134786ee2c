"""Rollups: what each event adds to the statistics, summed per minute, hour and day. They are
written in the transaction that writes the events (just before its commit, like the events: see
db.HeldBack), so a statistics call sums a few rollup rows instead of reading history."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

import peewee as pw

from taskrouter.server.routing.statistics import sketch
from taskrouter.server.store import db, models
from taskrouter.server.store.prepared import ForEach, Insert

if TYPE_CHECKING:  # events calls record(); only the annotation names its PendingEvent
    from taskrouter.server.routing.events import PendingEvent

GRANULARITIES = (60, 3600, 86400)  # a minute, an hour, a day; each bucket starts at a multiple

# Event type → the counter it adds one to, for the tasks' rows and (reservations) the worker's.
TASK_COUNTERS = {
    "task.created": "tasksCreated", "task.canceled": "tasksCanceled", "task.completed": "tasksCompleted",
    "task-queue.moved": "tasksMoved",
}
RESERVATION_COUNTERS = {
    "reservation.created": "reservationsCreated", "reservation.accepted": "reservationsAccepted",
    "reservation.rejected": "reservationsRejected", "reservation.timeout": "reservationsTimedOut",
    "reservation.canceled": "reservationsCanceled", "reservation.rescinded": "reservationsRescinded",
}
COUNTERS = (*TASK_COUNTERS.values(), *RESERVATION_COUNTERS.values())
# Durations, and the whole-second histograms that splitByWaitTime counts exactly.
WAIT_ACCEPTED, WAIT_CANCELED, HANDLE = "waitDurationUntilAccepted", "waitDurationUntilCanceled", "handleDuration"
DURATIONS = (WAIT_ACCEPTED, WAIT_CANCELED, HANDLE)
WAIT_SECONDS = {WAIT_ACCEPTED: "waitSecondsUntilAccepted", WAIT_CANCELED: "waitSecondsUntilCanceled"}


class TaskFacts(NamedTuple):
    """What a task's rollup rows are keyed by, and the moments its durations start at."""

    sid: str
    task_queue_sid: str
    workflow_sid: str
    task_channel: str
    created_at: float
    assigned_at: float | None


class Observation(NamedTuple):
    """One counter step (value None) or one duration, at moment `at`."""

    workspace_sid: str
    at: float
    worker_sid: str
    task_queue_sid: str
    workflow_sid: str
    task_channel: str
    metric: str
    value: float | None = None


def _facts(task) -> TaskFacts:
    """Of a Task, or of a named tuple of its columns."""
    return TaskFacts(task.sid, task.task_queue_sid or "", task.workflow_sid or "", task.task_channel or "",
                     task.created_at, task.assigned_at)


_TASK_FACTS = ForEach(lambda sids: models.Task.select(
    models.Task.sid, models.Task.task_queue_sid, models.Task.workflow_sid, models.Task.task_channel,
    models.Task.created_at, models.Task.assigned_at).where(models.Task.sid.in_(sids)).namedtuples())
_INSERT_SPANS = Insert(models.WorkerActivitySpan)


def _tasks_named(sids: set[str]) -> dict[str, TaskFacts]:
    if not sids:
        return {}
    return {facts.sid: facts for facts in (_facts(task) for task in _TASK_FACTS.rows(sorted(sids)))}


def record(items: list[PendingEvent], now: float, tasks: Iterable = ()) -> None:
    """Adds what the events `items` (as given to events.record_many) count to the rollups.
    `tasks`: rows of the tasks the items' reservations are about, when the caller has them
    (else they are read)."""
    known = {task.sid: _facts(task) for task in tasks}
    known.update((item.resource.sid, _facts(item.resource)) for item in items if isinstance(item.resource, models.Task))
    wanted = {item.data["taskSid"] for item in items if item.event_type in RESERVATION_COUNTERS
              and item.data.get("taskSid") and item.data["taskSid"] not in known}
    known.update(_tasks_named(wanted))
    observations: list[Observation] = []
    spans = []
    for item in items:
        kind, resource, data = item.event_type, item.resource, item.data
        if kind == "worker.activity.update":
            spans.append({"worker_sid": resource.sid, "activity_sid": data["activitySid"], "started_at": now})
            continue
        facts = known.get(resource.sid if kind in TASK_COUNTERS else data.get("taskSid", ""))
        if facts is None:
            continue
        observations.extend(_observed(kind, resource, data, facts, now))
    if spans:
        _INSERT_SPANS.insert_many(spans)
    record_observations(observations)


def record_observations(observations: list[Observation]) -> None:
    """Adds the observations to the rollups when the open transaction commits."""
    _held.observations.extend(observations)


class _HeldObservations(db.HeldBack, threading.local):
    """This thread's observations of the transaction under way. They are summed and added to the
    rollup rows just before it commits, once, in key order: concurrent writers on PostgreSQL lock
    those rows in one order and only for the commit itself, so they never deadlock on them."""

    def __init__(self):
        self.observations: list[Observation] = []

    def mark(self) -> int:
        return len(self.observations)

    def rollback_to(self, mark: int) -> None:
        del self.observations[mark:]

    def flush(self) -> None:
        held, self.observations = self.observations, []
        if held:
            _write(held)


_held = _HeldObservations()
db.hold_back_until_commit(_held)


def _observed(kind: str, resource, data: dict, facts: TaskFacts, now: float) -> Iterable[Observation]:
    ws = resource.workspace_sid
    queue = data.get("previousTaskQueueSid") or "" if kind == "task-queue.moved" else facts.task_queue_sid
    key = (ws, now, "", queue, facts.workflow_sid, facts.task_channel)
    if kind in TASK_COUNTERS:
        yield Observation(*key, TASK_COUNTERS[kind])
    if kind in RESERVATION_COUNTERS:
        yield Observation(*key, RESERVATION_COUNTERS[kind])
        if data.get("workerSid"):
            yield Observation(ws, now, data["workerSid"], "", "", "", RESERVATION_COUNTERS[kind])
    if kind == "reservation.accepted":
        yield Observation(*key, WAIT_ACCEPTED, max(0.0, now - facts.created_at))
    elif kind == "task.canceled" and facts.assigned_at is None:
        yield Observation(*key, WAIT_CANCELED, max(0.0, now - facts.created_at))
    elif kind == "task.completed" and facts.assigned_at is not None:
        yield Observation(*key, HANDLE, max(0.0, now - facts.assigned_at))


def worker_entered(worker_sid: str, activity_sid: str, now: float) -> None:
    """A new worker's first activity (later ones come with their worker.activity.update events)."""
    _INSERT_SPANS.insert_many([{"worker_sid": worker_sid, "activity_sid": activity_sid, "started_at": now}])


def aggregate(observations: Iterable[Observation], granularities: Iterable[int] = GRANULARITIES,
              into: tuple[dict, dict] | None = None) -> tuple[dict, dict]:
    """Sums observations per bucket: count rows (key → [count, total, min, max]) and bin rows
    (key → count), keyed as the tables are."""
    counts, bins = into if into is not None else ({}, {})
    sizes = tuple(granularities)
    for o in observations:
        for granularity in sizes:
            start = int(o.at // granularity) * granularity
            where = (o.workspace_sid, granularity, start, o.task_queue_sid, o.workflow_sid, o.task_channel)
            key = (where[0], o.worker_sid, *where[1:], o.metric)
            row = counts.get(key)
            if row is None:
                row = counts[key] = [0, 0.0, o.value, o.value]
            row[0] += 1
            if o.value is not None:
                row[1] += o.value
                row[2], row[3] = min(row[2], o.value), max(row[3], o.value)
                for metric, bin_ in _bins(o.metric, o.value):
                    bins[(*where, metric, bin_)] = bins.get((*where, metric, bin_), 0) + 1
    return counts, bins


def table_rows(counts: dict, bins: dict) -> tuple[list[tuple], list[tuple]]:
    """The aggregates as rows of StatisticsCount and StatisticsBin (their field order), in key order."""
    return ([(*key, *row) for key, row in sorted(counts.items())],
            [(*key, count) for key, count in sorted(bins.items())])


def _write(observations: list[Observation]) -> None:
    """Adds a transaction's observations to the rollup rows, in key order (no deadlocks)."""
    count_rows, bin_rows = table_rows(*aggregate(observations))
    _UPSERT_COUNTS.insert_rows(count_rows)
    _UPSERT_BINS.insert_rows(bin_rows)


def _bins(metric: str, value: float) -> Iterable[tuple[str, int]]:
    yield metric, sketch.bin_of(value)
    if metric in WAIT_SECONDS:
        yield WAIT_SECONDS[metric], int(value)


def _least(a, b):
    return pw.fn.LEAST(a, b) if db.is_postgres() else pw.fn.MIN(a, b)


def _greatest(a, b):
    return pw.fn.GREATEST(a, b) if db.is_postgres() else pw.fn.MAX(a, b)


C, B = models.StatisticsCount, models.StatisticsBin


def _count_update() -> dict:
    return {C.count: C.count + pw.EXCLUDED.count, C.total: C.total + pw.EXCLUDED.total,
            C.minimum: _least(C.minimum, pw.EXCLUDED.minimum), C.maximum: _greatest(C.maximum, pw.EXCLUDED.maximum)}


def _bin_update() -> dict:
    return {B.count: B.count + pw.EXCLUDED.count}


# (table_rows gives the rows in the tables' field order, which is what Insert.insert_rows takes)
_UPSERT_COUNTS = Insert(C, on_conflict=_count_update)
_UPSERT_BINS = Insert(B, on_conflict=_bin_update)
