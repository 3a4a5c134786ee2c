"""What happened in a window: sums of the rollup rows of the buckets that cover it (a few runs of
minutes, hours and days), percentiles from the sums of their DDSketch bins."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import peewee as pw

from taskrouter.server.clock import format_time
from taskrouter.server.errors import invalid
from taskrouter.server.routing.statistics import rollup, sketch
from taskrouter.server.routing.statistics.window import Window
from taskrouter.server.store import models
from taskrouter.server.store.prepared import Arg, Prepared
from taskrouter.server.store.rows import tuples

C, B, S = models.StatisticsCount, models.StatisticsBin, models.WorkerActivitySpan
PERCENTILES = (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99))
MAX_SPLITS = 10
MAX_SPLIT_SECONDS = 1_209_600  # a task's longest TTL


def split_thresholds(text: str) -> list[int]:
    """splitByWaitTime: "20,60" → [20, 60] (whole seconds, distinct, ascending)."""
    if not text.strip():
        return []
    values = set()
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit() or int(part) > MAX_SPLIT_SECONDS:
            raise invalid("splitByWaitTime", f"must be comma-separated whole seconds up to {MAX_SPLIT_SECONDS}, "
                                             f"not {text!r}")
        values.add(int(part))
    if len(values) > MAX_SPLITS:
        raise invalid("splitByWaitTime", f"at most {MAX_SPLITS} thresholds")
    return sorted(values)


def _filtered(model: type[models.StatisticsCount | models.StatisticsBin], columns: tuple[str, ...]) -> pw.Node:
    """The workspace, the columns named (each equal to the Arg of its name), and one run of
    buckets: each statement reads one range of the table's key (an OR of the runs would read the
    workspace's every row)."""
    where = model.workspace_sid == Arg("workspace_sid")
    for name in columns:
        where &= getattr(model, name) == Arg(name)
    return where & (model.granularity == Arg("granularity")) & (model.start >= Arg("first")) & (
        model.start < Arg("last"))


@functools.cache
def _count_sums(columns: tuple[str, ...]) -> Prepared:
    return Prepared(lambda: C.select(C.metric, pw.fn.SUM(C.count), pw.fn.SUM(C.total), pw.fn.MIN(C.minimum),
                                     pw.fn.MAX(C.maximum)).where(_filtered(C, columns)).group_by(C.metric).tuples())


@functools.cache
def _bin_sums(columns: tuple[str, ...], metrics: int) -> Prepared:
    return Prepared(lambda: B.select(B.metric, B.bin, pw.fn.SUM(B.count)).where(
        _filtered(B, columns) & B.metric.in_([Arg(f"metric{i}") for i in range(metrics)])).group_by(
        B.metric, B.bin).tuples())


def _task_filter(queue: str, workflow: str, channel: str) -> dict[str, str]:
    """The filters given (a blank one filters nothing), by column."""
    return {name: value for name, value in (("task_queue_sid", queue), ("workflow_sid", workflow),
                                            ("task_channel", channel)) if value}


def _counts(workspace_sid: str, where: dict[str, str], window: Window) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    statement = _count_sums(tuple(where))
    for size, first, last in window.buckets():
        rows = statement.rows(workspace_sid=workspace_sid, granularity=size, first=first, last=last, **where)
        for metric, n, total, low, high in rows:
            if metric in out:
                before = out[metric]
                low = before[2] if low is None else low if before[2] is None else min(low, before[2])
                high = before[3] if high is None else high if before[3] is None else max(high, before[3])
                n, total = before[0] + n, before[1] + total
            out[metric] = (int(n or 0), float(total or 0), low, high)
    return out


def _bins(workspace_sid: str, where: dict[str, str], window: Window, metrics: list[str]) -> dict[str, dict[int, int]]:
    out: dict[str, dict[int, int]] = {}
    statement = _bin_sums(tuple(where), len(metrics))
    named = {f"metric{i}": metric for i, metric in enumerate(metrics)}
    for size, first, last in window.buckets():
        rows = statement.rows(workspace_sid=workspace_sid, granularity=size, first=first, last=last, **where, **named)
        for metric, bin_, n in rows:
            bins = out.setdefault(metric, {})
            bins[bin_] = bins.get(bin_, 0) + int(n)
    return out


def tasks(workspace_sid: str, window: Window, *, queue: str = "", workflow: str = "", channel: str = "",
          splits: Sequence[int] = ()) -> dict:
    """A workspace's (or one queue's, workflow's, channel's) tasks and reservations in the window."""
    where = _task_filter(queue, workflow, channel)
    counts = _counts(workspace_sid, {"worker_sid": "", **where}, window)
    metrics = [m for m in rollup.DURATIONS if m in counts]
    metrics += [rollup.WAIT_SECONDS[m] for m in metrics if m in rollup.WAIT_SECONDS] if splits else []
    bins = _bins(workspace_sid, where, window, metrics) if metrics else {}
    out = _window_fields(window)
    out.update({_field(metric): counts.get(metric, (0,))[0] for metric in rollup.COUNTERS})
    for metric in rollup.DURATIONS:
        out[_field(metric)] = _duration(counts.get(metric), bins.get(metric, {}))
    out["split_by_wait_time"] = {str(t): _split(t, bins) for t in splits}
    return out


def _window_fields(window: Window) -> dict:
    return {"start_time": format_time(window.start), "end_time": format_time(window.end)}


def _field(metric: str) -> str:
    """tasksCreated → tasks_created (the message field)."""
    return "".join("_" + c.lower() if c.isupper() else c for c in metric)


def _duration(count: tuple | None, bins: dict[int, int]) -> dict:
    if not count or not count[0]:
        return dict.fromkeys(("avg", "min", "max", "total", *(name for name, _ in PERCENTILES)), 0.0)
    n, total, low, high = count
    values = sketch.quantiles(bins, [q for _, q in PERCENTILES])
    out = {"avg": total / n, "min": low, "max": high, "total": total}
    out.update({name: min(max(value, low), high) for (name, _), value in zip(PERCENTILES, values, strict=True)})
    return out


def _split(threshold: int, bins: dict[str, dict[int, int]]) -> dict:
    """Waits below the threshold (in whole seconds: a wait of 19.9 s is below 20) and the others."""
    out: dict[str, dict[str, int]] = {"below": {}, "above": {}}
    for field, metric in (("tasks_accepted", rollup.WAIT_ACCEPTED), ("tasks_canceled", rollup.WAIT_CANCELED)):
        seconds = bins.get(rollup.WAIT_SECONDS[metric], {})
        below = sum(n for second, n in seconds.items() if second < threshold)
        out["below"][field], out["above"][field] = below, sum(seconds.values()) - below
    return out


def worker(worker: models.Worker, window: Window, activities: dict[str, str]) -> dict:
    """A worker's reservations in the window and its time in each activity (`activities`: sid → name)."""
    counts = _counts(worker.workspace_sid, {"worker_sid": worker.sid}, window)
    out = _window_fields(window)
    out.update({_field(metric): counts.get(metric, (0,))[0] for metric in rollup.RESERVATION_COUNTERS.values()})
    out["activity_durations"] = _activity_durations(worker.sid, window, activities)
    return out


def _activity_durations(worker_sid: str, window: Window, activities: dict[str, str]) -> list[dict]:
    """The worker's stays in each activity, cut to the window: the last span that began before the
    window, and every span that began in it."""
    before = S.select(pw.fn.MAX(S.started_at)).where((S.worker_sid == worker_sid) & (S.started_at <= window.start))
    spans = tuples(S.select(S.activity_sid, S.started_at).where(
        (S.worker_sid == worker_sid) & (S.started_at < window.end)
        & ((S.started_at >= before) | (S.started_at > window.start))).order_by(S.started_at, S.id))
    stays: dict[str, list[float]] = {}
    for index, (activity_sid, started_at) in enumerate(spans):
        ended_at = spans[index + 1][1] if index + 1 < len(spans) else window.end
        seconds = min(ended_at, window.end) - max(started_at, window.start)
        if seconds > 0 or started_at >= window.start:
            stays.setdefault(activity_sid, []).append(max(0.0, seconds))
    out = []
    for activity_sid, name in activities.items():
        seconds = stays.get(activity_sid, [])
        total = sum(seconds)
        out.append({"activity_sid": activity_sid, "activity_name": name, "total": total,
                    "min": min(seconds, default=0.0), "max": max(seconds, default=0.0),
                    "avg": total / len(seconds) if seconds else 0.0})
    return out
