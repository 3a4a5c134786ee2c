"""Matching: offers waiting tasks to free workers, one workspace at a time, under the
workspace's lock, so no worker exceeds its capacity and no task is offered twice.

Within a queue tasks go by priority (higher first), then age (FIFO, or LIFO per taskOrder);
across a worker's queues the same order decides. Among eligible free workers the longest idle
goes first. A queue's maxReservedWorkers offers a task to that many workers at once."""

from __future__ import annotations

import collections

import peewee as pw

from services.routing import events, membership, reservations, workflow_config
from services.routing.context import Environment
from services.routing.tasks import attributes_of as task_attributes
from services.store import models
from services.store.db import write_transaction

_CHUNK = 500
BATCH = 50  # waiting tasks per queue looked at in one pass; the dispatcher runs another pass after offers
QM = models.QueueMember


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def match_workspace(env: Environment, workspace_sid: str) -> int:
    """One matching pass; returns the number of reservations made."""
    with write_transaction(lock_key=workspace_sid):
        return _match(env, workspace_sid)


def _match(env: Environment, workspace_sid: str) -> int:
    T, W, R, Q = models.Task, models.Worker, models.Reservation, models.TaskQueue
    waiting = T.select(T.id).where((T.workspace_sid == workspace_sid) & (T.status == "pending")
                                   & T.task_queue_sid.is_null(False))
    if not waiting.exists():
        return 0
    workspace = models.Workspace.get_or_none(models.Workspace.sid == workspace_sid)
    if workspace is None:
        return 0
    available = [a.sid for a in models.Activity.select(models.Activity.sid).where(
        (models.Activity.workspace_sid == workspace_sid) & (models.Activity.available == True))]  # noqa: E712
    if not available:
        return 0
    open_offers = R.select(R.worker_sid).where((R.workspace_sid == workspace_sid) & R.status.in_(reservations.ACTIVE))
    if not workspace.multi_task_enabled and not W.select(W.id).where(
            (W.workspace_sid == workspace_sid) & W.activity_sid.in_(available) & W.sid.not_in(open_offers)).exists():
        return 0  # nobody is free: skip reading the queues
    queues = {q.sid: q for q in Q.select().where(Q.workspace_sid == workspace_sid)}
    # Per queue, only the head of its line and as many of its free members as that head needs:
    # the work of a pass follows what can be matched, not the size of the workspace.
    workflows = {f.sid: f for f in models.Workflow.select().where(models.Workflow.workspace_sid == workspace_sid)}
    refused: set[tuple[str, str]] = set()  # (task, worker) pairs that were rejected or timed out
    workers: dict[str, models.Worker] = {}
    members: dict[str, list[str]] = {}
    waiting: dict[str, list[models.Task]] = {}
    for queue in queues.values():
        age = T.queue_entered_at.desc() if queue.task_order == "LIFO" else T.queue_entered_at.asc()
        head = list(T.select().where((T.task_queue_sid == queue.sid) & (T.status == "pending"))
                    .order_by(T.priority.desc(), age, T.id).limit(BATCH))
        if not head:
            continue
        free_members = (W.select().join(QM, on=(QM.worker_sid == W.sid))
                        .where((QM.queue_sid == queue.sid) & W.activity_sid.in_(available)))
        if not workspace.multi_task_enabled:  # one task at a time: anyone holding an offer is busy
            free_members = free_members.where(W.sid.not_in(open_offers))
        refusals = set(R.select(R.task_sid, R.worker_sid).where(
            R.task_sid.in_([t.sid for t in head]) & R.status.in_(("rejected", "timeout"))).tuples())
        refused |= refusals
        free_members = free_members.order_by(W.idle_since, W.id)
        if not any(getattr(_target_of(t, workflows.get(t.workflow_sid)), "expression", None) for t in head):
            # Without per-task worker expressions, the longest idle ones are all that can be chosen.
            free_members = free_members.limit(len(head) * queue.max_reserved_workers + len(refusals))
        found = list(free_members)
        if found:
            members[queue.sid] = [w.sid for w in found]
            workers.update((w.sid, w) for w in found)
            waiting[queue.sid] = head
    if not workers:
        return 0
    busy: dict[str, int] = {}
    if workspace.multi_task_enabled:
        for chunk in _chunks(list(workers)):
            busy.update(R.select(R.worker_sid, pw.fn.COUNT(R.id)).where(
                R.worker_sid.in_(chunk) & R.status.in_(reservations.ACTIVE)).group_by(R.worker_sid).tuples())
    free = {}
    for sid, worker in workers.items():
        capacity = worker.capacity if workspace.multi_task_enabled else 1
        if capacity - busy.get(sid, 0) > 0:
            free[sid] = capacity - busy.get(sid, 0)
    if not free:
        return 0
    candidates = [task for queue_sid, head in waiting.items()
                  for task in head[: sum(free.get(s, 0) for s in members[queue_sid])]]
    if not candidates:
        return 0
    candidates.sort(key=lambda t: (-t.priority, -t.queue_entered_at if queues[t.task_queue_sid].task_order == "LIFO"
                                   else t.queue_entered_at, t.id))

    worker_attributes: dict[str, dict] = {}
    start = {queue_sid: 0 for queue_sid in members}
    now = env.clock.now()
    offers: list[tuple[models.Task, models.Worker, models.TaskQueue, models.Workflow | None]] = []
    for task in candidates:
        queue = queues[task.task_queue_sid]
        workflow = workflows.get(task.workflow_sid)
        target = _target_of(task, workflow)
        sids = members[queue.sid]
        position = start[queue.sid]
        while position < len(sids) and free.get(sids[position], 0) <= 0:
            position += 1
        start[queue.sid] = position
        chosen = []
        attributes = task_attributes(task) if target is not None and target.expression is not None else None
        for worker_sid in sids[position:]:
            if free[worker_sid] <= 0 or (task.sid, worker_sid) in refused:
                continue
            if attributes is not None:
                if worker_sid not in worker_attributes:
                    worker_attributes[worker_sid] = membership.attributes_of(workers[worker_sid])
                mine = worker_attributes[worker_sid]
                if not target.expression.matches(mine, task=attributes, worker=mine):
                    continue
            chosen.append(worker_sid)
            free[worker_sid] -= 1
            if len(chosen) >= (1 if task.bypass_reserved_state else queue.max_reserved_workers):
                break
        offers.extend((task, workers[sid], queue, workflow) for sid in chosen)
    _write_offers(env, workspace, offers, now)
    return len(offers)


def _target_of(task: models.Task, workflow: models.Workflow | None) -> workflow_config.Target | None:
    if workflow is None or task.filter_index is None or task.target_index is None:
        return None
    targets = workflow_config.parse(workflow.configuration).targets(task.filter_index)
    return targets[task.target_index] if task.target_index < len(targets) else None


def _write_offers(env: Environment, workspace: models.Workspace, offers: list, now: float) -> None:
    """Writes all reservations of a pass in a few bulk statements."""
    if not offers:
        return
    T, W = models.Task, models.Worker
    rows, pending = [], []
    reserved, assigned = set(), []
    moves: dict[str, list[str]] = collections.defaultdict(list)
    activities = {a.sid: a for a in models.Activity.select().where(models.Activity.workspace_sid == workspace.sid)}
    for task, worker, queue, workflow in offers:
        bypass = task.bypass_reserved_state
        activity_sid = queue.assignment_activity_sid if bypass else queue.reservation_activity_sid
        moved = activity_sid and activity_sid in activities and activity_sid != worker.activity_sid
        timeout = None if bypass else (workflow.task_reservation_timeout if workflow else 120)
        row = reservations.new_reservation(task, worker, now, timeout, worker.activity_sid if moved else None)
        rows.append(row)
        if bypass:
            assigned.append((task.sid, worker.sid))
        else:
            reserved.add(task.sid)
        if moved:
            moves[activity_sid].append(worker.sid)
            activity = activities[activity_sid]
            worker.activity_sid = activity_sid
            pending.append(("worker.activity.update", worker, f"Worker {worker.name} updated to {activity.name}",
                            {"activitySid": activity.sid, "activityName": activity.name,
                             "available": activity.available}))
        reservation = models.Reservation(**row)
        pending.append(("reservation.created", reservation, f"Reservation created for {worker.name}",
                        {"taskSid": task.sid, "workerSid": worker.sid, "taskQueueSid": queue.sid}))
        if bypass:
            pending.append(("reservation.accepted", reservation, "Reservation accepted (bypassReservedState)",
                            {"taskSid": task.sid, "workerSid": worker.sid}))
        if workflow is not None and workflow.assignment_callback_url and not bypass:
            from services.routing import callbacks

            callbacks.queue_assignment(task, worker, workflow, row, now)
    for chunk in _chunks(rows, 200):
        models.Reservation.insert_many(chunk).execute()
    for chunk in _chunks(sorted(reserved)):
        T.update(status="reserved", updated_at=now).where(T.sid.in_(chunk) & (T.status == "pending")).execute()
    for task_sid, worker_sid in assigned:
        T.update(status="assigned", worker_sid=worker_sid, target_expires_at=None, updated_at=now).where(
            T.sid == task_sid).execute()
    for chunk in _chunks([worker.sid for _, worker, _, _ in offers]):
        W.update(idle_since=now).where(W.sid.in_(chunk)).execute()
    for activity_sid, worker_sids in moves.items():
        for chunk in _chunks(worker_sids):
            W.update(activity_sid=activity_sid, status_changed_at=now, updated_at=now).where(W.sid.in_(chunk)).execute()
    events.record_many(env, workspace, pending)
