"""Matching: offers waiting tasks to free workers, one workspace at a time, under the
workspace's lock, so no worker exceeds its capacity and no task is offered twice.

Within a queue tasks go by priority (higher first), then age (FIFO, or LIFO per taskOrder);
across a worker's queues the same order decides. Among eligible free workers the longest idle
goes first. A queue's maxReservedWorkers offers a task to that many workers at once."""

from __future__ import annotations

import collections
from typing import NamedTuple

import peewee as pw

from taskrouter.server.routing import events, membership, reservations, workflow_config
from taskrouter.server.routing.context import Environment
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, ForEach, Insert, Prepared

BATCH = 50  # waiting tasks per queue looked at in one pass; the dispatcher runs another pass after offers
T, W, R, Q, A, QM = models.Task, models.Worker, models.Reservation, models.TaskQueue, models.Activity, models.QueueMember


def _available() -> pw.Select:
    return A.select(A.sid).where((A.workspace_sid == Arg("workspace_sid")) & (A.available == True))  # noqa: E712


def _free() -> pw.Expression:
    """The worker holds no open offer."""
    return ~pw.fn.EXISTS(R.select(R.id).where((R.worker_sid == W.sid) & R.status.in_(reservations.ACTIVE)))


# The statements of a pass, built once (services/store/prepared.py).
_WAITING = Prepared(lambda: T.select(T.id).where(
    (T.workspace_sid == Arg("workspace_sid")) & (T.status == "pending") & T.task_queue_sid.is_null(False)).limit(1))
_ANY_AVAILABLE = Prepared(lambda: W.select(W.id).where(
    (W.workspace_sid == Arg("workspace_sid")) & W.activity_sid.in_(_available())).limit(1))
_ANY_FREE = Prepared(lambda: W.select(W.id).where(
    (W.workspace_sid == Arg("workspace_sid")) & W.activity_sid.in_(_available()) & _free()).limit(1))
_WORKSPACE = Prepared(lambda: models.Workspace.select().where(models.Workspace.sid == Arg("workspace_sid")).limit(1))
_QUEUES = Prepared(lambda: Q.select().where(Q.workspace_sid == Arg("workspace_sid")))
_WORKFLOWS = Prepared(lambda: models.Workflow.select().where(models.Workflow.workspace_sid == Arg("workspace_sid")))
_ACTIVITIES = Prepared(lambda: A.select().where(A.workspace_sid == Arg("workspace_sid")))
_HEAD = {order: Prepared(lambda order=order: T.select().where(
    (T.task_queue_sid == Arg("queue_sid")) & (T.status == "pending")).order_by(
    *((T.priority.desc(), T.queue_entered_at.desc(), T.id.desc()) if order == "LIFO" else
      (T.priority.desc(), T.queue_entered_at, T.id))).limit(BATCH).namedtuples())
    for order in ("FIFO", "LIFO")}
_REFUSALS = ForEach(lambda tasks: R.select(R.task_sid, R.worker_sid).where(
    R.task_sid.in_(tasks) & R.status.in_(("rejected", "timeout"))).tuples())


def _members(free_only: bool, limited: bool) -> Prepared:
    """A queue's members whose activity is available, longest idle first; `free_only`: without an
    open offer; `limited`: at most `limit` of them."""
    def build():
        query = W.select().join(QM, on=(QM.worker_sid == W.sid)).where(
            (QM.queue_sid == Arg("queue_sid")) & W.activity_sid.in_(_available()))
        if free_only:
            query = query.where(_free())
        query = query.order_by(W.idle_since, W.id).namedtuples()
        return query.limit(Arg("limit")) if limited else query
    # (a generic plan for this read was 15 times slower for the drain on PostgreSQL)
    return Prepared(build, plan_each_run=True)


_OPEN_OFFERS = ForEach(lambda sids: R.select(R.worker_sid, pw.fn.COUNT(R.id)).where(
    R.worker_sid.in_(sids) & R.status.in_(reservations.ACTIVE)).group_by(R.worker_sid).tuples())
_MEMBERS = {(free_only, limited): _members(free_only, limited) for free_only in (False, True) for limited in (False, True)}
_INSERT_RESERVATION = Insert(R)
# (the pass read these tasks as pending under the same lock)
_RESERVE_TASKS = ForEach(lambda sids: T.update(status="reserved", updated_at=Arg("now")).where(T.sid.in_(sids)))
_ASSIGN_TASK = Prepared(lambda: T.update(status="assigned", worker_sid=Arg("worker_sid"), target_expires_at=None,
                                         assigned_at=Arg("now"), updated_at=Arg("now")).where(T.sid == Arg("sid")))
_OFFERED = ForEach(lambda sids: W.update(idle_since=Arg("now")).where(W.sid.in_(sids)))
_MOVE_WORKERS = ForEach(lambda sids: W.update(activity_sid=Arg("activity_sid"), status_changed_at=Arg("now"),
                                              updated_at=Arg("now")).where(W.sid.in_(sids)))


NO_TASK, NO_WORKER = "no task waits in a queue", "no available worker is free"


def blocked(workspace_sid: str) -> str | None:
    """Why a pass could offer nothing (NO_TASK, NO_WORKER), or None when it may. Indexed reads
    without the write lock: a change after them wakes the dispatcher again."""
    if _WAITING.first(workspace_sid=workspace_sid) is None:
        return NO_TASK
    if _ANY_FREE.first(workspace_sid=workspace_sid) is not None:
        return None
    workspace = _WORKSPACE.first(workspace_sid=workspace_sid)  # multitasking: any available worker may take more
    if workspace and workspace.multi_task_enabled and _ANY_AVAILABLE.first(workspace_sid=workspace_sid):
        return None
    return NO_WORKER


class Pass(NamedTuple):
    offers: int  # reservations made
    more: bool  # a queue's head or its list of free members was cut short: another pass may offer more


def match_workspace(env: Environment, workspace_sid: str, queue_sids: set[str] | None = None) -> Pass:
    """One matching pass over the workspace's queues (or only `queue_sids`, when only their lines
    changed). Check blocked() first."""
    with write_transaction(lock_key=workspace_sid):
        return _match(env, workspace_sid, queue_sids)


def _match(env: Environment, workspace_sid: str, queue_sids: set[str] | None) -> Pass:
    workspace = _WORKSPACE.first(workspace_sid=workspace_sid)
    if workspace is None:
        return Pass(0, False)
    multi = workspace.multi_task_enabled
    queues = {q.sid: q for q in _QUEUES.rows(workspace_sid=workspace_sid)}
    # Per queue, only the head of its line and as many of its free members as that head needs:
    # the work of a pass follows what can be matched, not the size of the workspace.
    workflows = {f.sid: f for f in _WORKFLOWS.rows(workspace_sid=workspace_sid)}
    refused: set[tuple[str, str]] = set()  # (task, worker) pairs that were rejected or timed out
    workers: dict[str, models.Worker] = {}
    members: dict[str, list[str]] = {}
    waiting: dict[str, list[models.Task]] = {}
    more = False
    for queue in queues.values():
        if queue_sids is not None and queue.sid not in queue_sids:
            continue
        head = _HEAD["LIFO" if queue.task_order == "LIFO" else "FIFO"].rows(queue_sid=queue.sid)
        if not head:
            continue
        heads = [t.sid for t in head]
        refusals = set(_REFUSALS.rows(heads))
        refused |= refusals
        # Without per-task worker expressions, the longest idle ones are all that can be chosen.
        limited = not any(getattr(_target_of(t, workflows.get(t.workflow_sid)), "expression", None) for t in head)
        limit = len(head) * queue.max_reserved_workers + len(refusals)
        found = _MEMBERS[(not multi, limited)].rows(queue_sid=queue.sid, workspace_sid=workspace_sid, limit=limit)
        more = more or len(head) == BATCH or (limited and len(found) == limit)
        if found:
            members[queue.sid] = [w.sid for w in found]
            workers.update((w.sid, w) for w in found)
            waiting[queue.sid] = head
    if not workers:
        return Pass(0, False)
    busy: dict[str, int] = dict(_OPEN_OFFERS.rows(list(workers))) if multi else {}
    free = {}
    for sid, worker in workers.items():
        capacity = worker.capacity if multi else 1
        if capacity - busy.get(sid, 0) > 0:
            free[sid] = capacity - busy.get(sid, 0)
    if not free:
        return Pass(0, False)
    candidates = [task for queue_sid, head in waiting.items()
                  for task in head[: sum(free.get(s, 0) for s in members[queue_sid])]]
    if not candidates:
        return Pass(0, False)
    candidates.sort(key=lambda t: (-t.priority, -t.queue_entered_at, -t.id)
                    if queues[t.task_queue_sid].task_order == "LIFO" else (-t.priority, t.queue_entered_at, t.id))

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
        attributes = membership.attributes_of(task) if target is not None and target.expression is not None else None
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
    return Pass(len(offers), more)


def _target_of(task: models.Task, workflow: models.Workflow | None) -> workflow_config.Target | None:
    if workflow is None or task.filter_index is None or task.target_index is None:
        return None
    targets = workflow_config.parse(workflow.configuration).targets(task.filter_index)
    return targets[task.target_index] if task.target_index < len(targets) else None


def _write_offers(env: Environment, workspace: models.Workspace, offers: list, now: float) -> None:
    """Writes all reservations of a pass in a few bulk statements."""
    if not offers:
        return
    rows, pending = [], []
    reserved, assigned = set(), []
    moves: dict[str, list[str]] = collections.defaultdict(list)
    current: dict[str, str] = {}  # the workers' activities as this pass leaves them
    activities = {a.sid: a for a in _ACTIVITIES.rows(workspace_sid=workspace.sid)}
    for task, worker, queue, workflow in offers:
        bypass = task.bypass_reserved_state
        activity_sid = queue.assignment_activity_sid if bypass else queue.reservation_activity_sid
        before = current.get(worker.sid, worker.activity_sid)
        moved = activity_sid and activity_sid in activities and activity_sid != before
        timeout = None if bypass else (workflow.task_reservation_timeout if workflow else 120)
        row = reservations.new_reservation(task, worker, now, timeout, before if moved else None)
        rows.append(row)
        if bypass:
            assigned.append((task.sid, worker.sid))
        else:
            reserved.add(task.sid)
        if moved:
            moves[activity_sid].append(worker.sid)
            activity = activities[activity_sid]
            current[worker.sid] = activity_sid
            pending.append(("worker.activity.update", events.Ref("worker", worker.sid, worker.enterprise_sid,
                                                                 worker.workspace_sid),
                            f"Worker {worker.name} updated to {activity.name}",
                            {"activitySid": activity.sid, "activityName": activity.name,
                             "available": activity.available}))
        reservation = events.Ref("reservation", row["sid"], row["enterprise_sid"], row["workspace_sid"])
        pending.append(("reservation.created", reservation, f"Reservation created for {worker.name}",
                        {"taskSid": task.sid, "workerSid": worker.sid, "taskQueueSid": queue.sid}))
        if bypass:
            pending.append(("reservation.accepted", reservation, "Reservation accepted (bypassReservedState)",
                            {"taskSid": task.sid, "workerSid": worker.sid}))
        if workflow is not None and workflow.assignment_callback_url and not bypass:
            from taskrouter.server.routing import callbacks

            callbacks.queue_assignment(env, task, worker, workflow, row, now)
    _INSERT_RESERVATION.insert_many(rows)
    _RESERVE_TASKS.execute(sorted(reserved), now=now)
    _ASSIGN_TASK.execute_many({"sid": task_sid, "worker_sid": worker_sid, "now": now} for task_sid, worker_sid in assigned)
    _OFFERED.execute(sorted({worker.sid for _, worker, _, _ in offers}), now=now)
    for activity_sid, worker_sids in moves.items():
        _MOVE_WORKERS.execute(worker_sids, activity_sid=activity_sid, now=now)
    events.record_many(env, workspace, pending)
