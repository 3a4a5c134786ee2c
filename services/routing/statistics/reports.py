"""The statistics of a workspace, task queue, workflow or worker, as the API answers them:
the resource looked up in the caller's enterprise, the window, realtime and cumulative blocks."""

from __future__ import annotations

import dataclasses

from taskrouter.server import sids
from taskrouter.server.clock import format_time
from taskrouter.server.errors import invalid, missing
from taskrouter.server.routing import scope, workflow_config
from taskrouter.server.routing.context import Caller
from taskrouter.server.routing.statistics import cumulative, realtime
from taskrouter.server.routing.statistics.window import window
from taskrouter.server.store import models

MAX_CHANNEL = 64


@dataclasses.dataclass(frozen=True)
class Query:
    """A statistics call's window and filters, as given (validated here)."""

    minutes: int | None = None
    start_date: str = ""
    end_date: str = ""
    task_channel: str = ""
    split_by_wait_time: str = ""


def _channel(workspace_sid: str, query: Query) -> str:
    """The unique name the counts are filtered by: the filter names a channel by unique name or, as
    Twilio allows, by TaskChannel SID (one of another workspace, like an unknown name, matches nothing)."""
    channel = scope.clean_sid(query.task_channel)
    if len(channel) > MAX_CHANNEL:
        raise invalid("taskChannel", f"must be at most {MAX_CHANNEL} characters")
    if channel.startswith(sids.TASK_CHANNEL) and len(channel) == 34:
        TC = models.TaskChannel
        named = TC.select(TC.unique_name).where((TC.workspace_sid == workspace_sid) & (TC.sid == channel)).first()
        return named.unique_name if named is not None else channel
    return channel


def _get(model: type[scope.M], sid: str, caller: Caller) -> scope.M:
    if not scope.clean_sid(sid):
        raise missing("sid")
    return scope.get(model, sid, caller.enterprise_sid)


def _report(workspace_sid: str, now: float, query: Query, channel: str, live: dict, **which: str) -> dict:
    splits = cumulative.split_thresholds(query.split_by_wait_time)
    span = window(now, query.minutes, query.start_date, query.end_date)
    return {"realtime": live, "cumulative": cumulative.tasks(workspace_sid, span, channel=channel,
                                                             splits=splits, **which)}


def workspace(caller: Caller, sid: str, now: float, query: Query) -> dict:
    ws = _get(models.Workspace, sid, caller)
    channel = _channel(ws.sid, query)
    return _report(ws.sid, now, query, channel, realtime.workspace(ws.sid, now, channel))


def task_queue(caller: Caller, sid: str, now: float, query: Query) -> dict:
    queue = _get(models.TaskQueue, sid, caller)
    channel = _channel(queue.workspace_sid, query)
    live = realtime.queues(queue.workspace_sid, [queue.sid], now, channel)[queue.sid]
    return _report(queue.workspace_sid, now, query, channel, live, queue=queue.sid)


def workflow(caller: Caller, sid: str, now: float, query: Query) -> dict:
    flow = _get(models.Workflow, sid, caller)
    channel = _channel(flow.workspace_sid, query)
    queue_sids = workflow_config.parse(flow.configuration).queue_sids()
    live = realtime.workflow(flow.workspace_sid, flow.sid, queue_sids, now, channel)
    return _report(flow.workspace_sid, now, query, channel, live, workflow=flow.sid)


def worker(caller: Caller, sid: str, now: float, query: Query) -> dict:
    person = _get(models.Worker, sid, caller)
    span = window(now, query.minutes, query.start_date, query.end_date)
    activities = {a.sid: a.name for a in models.Activity.select(models.Activity.sid, models.Activity.name).where(
        models.Activity.workspace_sid == person.workspace_sid).order_by(models.Activity.created_at, models.Activity.id)}
    return {"realtime": realtime.worker(person, now), "cumulative": cumulative.worker(person, span, activities)}


def live_update(workspace_sid: str, now: float) -> dict:
    """The stream's message: the workspace's realtime block and each of its queues'."""
    queues = list(models.TaskQueue.select(models.TaskQueue.sid, models.TaskQueue.name).where(
        models.TaskQueue.workspace_sid == workspace_sid).order_by(models.TaskQueue.created_at, models.TaskQueue.id))
    blocks = realtime.queues(workspace_sid, [q.sid for q in queues], now)
    return {
        "workspace_sid": workspace_sid, "date_updated": format_time(now),
        "realtime": realtime.workspace(workspace_sid, now),
        "task_queues": [{"task_queue_sid": q.sid, "task_queue_name": q.name, "realtime": blocks[q.sid]}
                        for q in queues],
    }
