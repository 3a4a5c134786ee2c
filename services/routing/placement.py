"""What a workflow target decides as a task enters it, from the database's state at that moment:
the known worker the task is for, and whether the target's skip_if holds."""

from __future__ import annotations

import peewee as pw

from taskrouter.server import sids
from taskrouter.server.routing import workflow_config
from taskrouter.server.store import models
from taskrouter.server.store.rows import tuples

W, A, QM = models.Worker, models.Activity, models.QueueMember


def known_worker(task: models.Task, target: workflow_config.Target, attributes: dict, queue_sid: str) -> str | None:
    """The SID of the worker the target names for this task, or None when the task names none or
    no such worker is a member of the target's queue (as in Twilio, known-worker routing stays
    within the queue)."""
    if target.known_worker_sid is not None:
        sid = target.known_worker_sid.of(attributes)
        if sid is None or not sid.startswith(sids.WORKER):
            return None
        named = W.sid == sid
    elif target.known_worker_friendly_name is not None:
        name = target.known_worker_friendly_name.of(attributes)
        if name is None:
            return None
        named = W.name == name
    else:
        return None
    row = (W.select(W.sid).join(QM, on=(QM.worker_sid == W.sid))
           .where(named & (W.workspace_sid == task.workspace_sid) & (QM.queue_sid == queue_sid)).first())
    return row.sid if row else None


def skips(target: workflow_config.Target, queue_sid: str) -> bool:
    """Whether the target's skip_if holds now, over the queue's members by activity."""
    if target.skip_if is None:
        return False
    rows = tuples(W.select(W.activity_sid, A.available, pw.fn.COUNT(W.id))
                  .join(QM, on=(QM.worker_sid == W.sid)).join(A, on=(A.sid == W.activity_sid))
                  .where(QM.queue_sid == queue_sid).group_by(W.activity_sid, A.available))
    by_activity = {activity_sid: count for activity_sid, _, count in rows}
    available = sum(count for _, is_available, count in rows if is_available)
    return target.skip_if.holds(available, sum(by_activity.values()) - available, by_activity)
