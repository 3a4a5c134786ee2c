"""How many more tasks each worker can take on each task channel, read for a matching pass.
With multitasking: the worker channel's capacity minus the tasks of that channel the worker holds
(offered, assigned or wrapping), and nothing on an unavailable channel. Without it a free worker
holds nothing, so only its unavailable or zero-capacity channels limit it."""

from __future__ import annotations

import peewee as pw

from taskrouter.server.routing.statuses import ACTIVE_RESERVATION
from taskrouter.server.store import models
from taskrouter.server.store.prepared import Arg, ForEach, Prepared

WC, R, W = models.WorkerChannel, models.Reservation, models.Worker

_CHANNELS = ForEach(lambda sids: WC.select(WC.worker_sid, WC.task_channel_sid, WC.capacity, WC.available).where(
    WC.worker_sid.in_(sids)).tuples())
_CLOSED = Prepared(lambda: WC.select(WC.worker_sid, WC.task_channel_sid).where(
    (WC.workspace_sid == Arg("workspace_sid")) & models.CLOSED_CHANNEL).tuples())
_HELD = ForEach(lambda sids: R.select(R.worker_sid, R.task_channel_sid, pw.fn.COUNT(R.id)).where(
    R.worker_sid.in_(sids) & R.status.in_(ACTIVE_RESERVATION)).group_by(R.worker_sid, R.task_channel_sid).tuples())


def total_capacity() -> pw.Select:
    """For a worker row (W): the sum of its available channels' capacities."""
    return WC.select(pw.fn.COALESCE(pw.fn.SUM(WC.capacity), 0)).where(
        (WC.worker_sid == W.sid) & (WC.available == True))  # noqa: E712


def held(worker_sids: list[str]) -> dict[tuple[str, str], int]:
    """Tasks each (worker, channel SID) holds now: offered, assigned or wrapping."""
    return {(worker_sid, channel_sid): count for worker_sid, channel_sid, count in _HELD.rows(worker_sids)}


def room(workspace_sid: str, worker_sids: list[str], multi: bool) -> dict[str, dict[str, int]]:
    """Per worker, the room on each channel that limits it (policy.Worker.free_by_channel)."""
    result: dict[str, dict[str, int]] = {}
    if not worker_sids:
        return result
    if not multi:  # one read of the workspace's closed channels (a partial index), whatever the workers
        wanted = set(worker_sids)
        for worker_sid, channel_sid in _CLOSED.rows(workspace_sid=workspace_sid):
            if worker_sid in wanted:
                result.setdefault(worker_sid, {})[channel_sid] = 0
        return result
    holding = held(worker_sids)
    for worker_sid, channel_sid, capacity, available in _CHANNELS.rows(worker_sids):
        free = max(0, capacity - holding.get((worker_sid, channel_sid), 0)) if available else 0
        result.setdefault(worker_sid, {})[channel_sid] = free
    return result
