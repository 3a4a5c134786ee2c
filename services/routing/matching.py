"""Matching: offers waiting tasks to free workers, one workspace at a time, under the
workspace's lock, so no worker exceeds its capacity and no task is offered twice.

A pass reads a snapshot (the head of each queue's line, its members with room, the refusals),
lets the pure policy.choose decide who gets what (every rule of the policy lives there), and
writes the offers in a few bulk statements."""

from __future__ import annotations

import collections
from typing import NamedTuple

import peewee as pw

from taskrouter.server.routing import events, locks, membership, policy, reservations, workflow_config
from taskrouter.server.routing.context import Environment
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, ForEach, Insert, Prepared

BATCH = 50  # waiting tasks per queue read first; a pass reads further only where a match may hide
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
      (T.priority.desc(), T.queue_entered_at, T.id))).limit(Arg("limit")).namedtuples())
    for order in ("FIFO", "LIFO")}
_REFUSALS = ForEach(lambda tasks: R.select(R.task_sid, R.worker_sid).where(
    R.task_sid.in_(tasks) & R.status.in_(("rejected", "timeout"))).tuples())


def _open_offers() -> pw.Select:
    return R.select(pw.fn.COUNT(R.id)).where((R.worker_sid == W.sid) & R.status.in_(reservations.ACTIVE))


def _members(multi: bool, limited: bool) -> Prepared:
    """A queue's members whose activity is available and who have room for one more task, longest
    idle first; `multi`: room is capacity minus open offers (read as `busy`), else no open offer;
    `limited`: at most `limit` of them."""
    def build():
        busy = _open_offers()
        query = (W.select(W, busy.alias("busy")) if multi else W.select()).join(
            QM, on=(QM.worker_sid == W.sid)).where((QM.queue_sid == Arg("queue_sid")) & W.activity_sid.in_(_available()))
        query = query.where(busy < W.capacity) if multi else query.where(_free())
        query = query.order_by(W.idle_since, W.id).namedtuples()
        return query.limit(Arg("limit")) if limited else query
    # (a generic plan for this read was 15 times slower for the drain on PostgreSQL)
    return Prepared(build, plan_each_run=True)


_MEMBERS = {(multi, limited): _members(multi, limited) for multi in (False, True) for limited in (False, True)}
_INSERT_RESERVATION = Insert(R)
# (the pass read these tasks as pending under the same lock)
_RESERVE_TASKS = ForEach(lambda sids: T.update(status="reserved", updated_at=Arg("now")).where(T.sid.in_(sids)))
_ASSIGN_TASK = Prepared(lambda: T.update(status="assigned", worker_sid=Arg("worker_sid"), target_expires_at=None,
                                         updated_at=Arg("now")).where(T.sid == Arg("sid")))
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
    more: bool  # a queue's head and its list of free members were both cut short: another pass may offer more


def match_workspace(env: Environment, workspace_sid: str, queue_sids: set[str] | None = None) -> Pass:
    """One matching pass over the workspace's queues (or only `queue_sids`, when only their lines
    changed): read a snapshot, let policy.choose decide, write its offers. Check blocked() first."""
    with write_transaction(locks.routing(workspace_sid)):
        workspace = _WORKSPACE.first(workspace_sid=workspace_sid)
        if workspace is None:
            return Pass(0, False)
        snapshot = Snapshot.read(workspace, queue_sids)
        offers = snapshot.choose()
        _write_offers(env, workspace, snapshot.rows_of(offers), env.clock.now())
        return Pass(len(offers), bool(offers) and snapshot.cut_short())


class _Line:
    """What a pass has read of one queue: the head of its line and its free members. Either may be
    cut short (a bounded read); `Snapshot` reads further when the policy's result says it must."""

    def __init__(self, queue: models.TaskQueue, multi: bool, workflows: dict[str, models.Workflow]):
        self.queue, self.multi, self.workflows = queue, multi, workflows
        self.tasks: list = []
        self.tasks_cut = False
        self.members: list = []
        self.member_limit: int | None = None  # None: every free member was read
        self.refused: set[tuple[str, str]] = set()
        self.targets: dict[str, workflow_config.Target | None] = {}

    def read_tasks(self, limit: int) -> None:
        self.tasks = _HEAD["LIFO" if self.queue.task_order == "LIFO" else "FIFO"].rows(
            queue_sid=self.queue.sid, limit=limit + 1)
        self.tasks_cut = len(self.tasks) > limit
        del self.tasks[limit:]
        self.refused = set(_REFUSALS.rows([t.sid for t in self.tasks]))
        self.targets = {t.sid: _target_of(t, self.workflows.get(t.workflow_sid)) for t in self.tasks}

    @property
    def members_cut(self) -> bool:
        return self.member_limit is not None and len(self.members) >= self.member_limit

    def read_members(self, limit: int | None) -> None:
        """`limit` free members, longest idle first; all of them when a task of the head has a
        worker expression (the longest idle ones may not qualify)."""
        if any(target is not None and target.expression is not None for target in self.targets.values()):
            limit = None
        self.member_limit = limit
        self.members = _MEMBERS[(self.multi, limit is not None)].rows(
            queue_sid=self.queue.sid, workspace_sid=self.queue.workspace_sid, limit=limit or 0)

    def first_member_limit(self) -> int:
        """Enough for every task of the head to get all its offers, past the workers that refused it."""
        return len(self.tasks) * self.queue.max_reserved_workers + len(self.refused)


class Snapshot:
    """The matching pass's read of a workspace, turned into policy.Snapshot for `choose`."""

    def __init__(self, workspace: models.Workspace, lines: dict[str, _Line]):
        self.workspace, self.lines = workspace, lines

    @classmethod
    def read(cls, workspace: models.Workspace, queue_sids: set[str] | None) -> Snapshot:
        workflows = {f.sid: f for f in _WORKFLOWS.rows(workspace_sid=workspace.sid)}
        lines = {}
        for queue in _QUEUES.rows(workspace_sid=workspace.sid):
            if queue_sids is not None and queue.sid not in queue_sids:
                continue
            line = _Line(queue, workspace.multi_task_enabled, workflows)
            line.read_tasks(BATCH)
            if line.tasks:
                line.read_members(line.first_member_limit())
                lines[queue.sid] = line
        return cls(workspace, lines)

    def choose(self) -> list[policy.Offer]:
        """policy.choose over what was read; where a bounded read may have hidden a match (a
        member left with room while more tasks wait, a task short of offers while more members
        are free), reads further and chooses again, so the pass leaves no match behind."""
        while True:
            offers = policy.choose(self.policy_snapshot())
            if not self._read_further(offers):
                return offers

    def _read_further(self, offers: list[policy.Offer]) -> bool:
        taken = collections.Counter(o.worker_sid for o in offers)
        offered = collections.Counter(o.task_sid for o in offers)
        further = False
        for line in self.lines.values():
            if line.tasks_cut and any(_room(w, self.workspace.multi_task_enabled) > taken[w.sid] for w in line.members):
                line.read_tasks(len(line.tasks) * 2)
                further = True
            if line.members_cut and any(offered[t.sid] < _wanted(t, line.queue) for t in line.tasks):
                line.read_members(len(line.members) * 2)
                further = True
        return further

    def cut_short(self) -> bool:
        return any(line.tasks_cut and line.members_cut for line in self.lines.values())

    def policy_snapshot(self) -> policy.Snapshot:
        multi = self.workspace.multi_task_enabled
        workers: dict[str, policy.Worker] = {}
        tasks, queues, refused = [], {}, set()
        for line in self.lines.values():
            expressions = False
            for task in line.tasks:
                target = line.targets[task.sid]
                expression = target.expression if target is not None else None
                expressions = expressions or expression is not None
                tasks.append(policy.Task(
                    sid=task.sid, queue_sid=task.task_queue_sid, priority=task.priority,
                    entered_at=task.queue_entered_at, order=task.id, channel=task.task_channel,
                    bypass_reserved_state=task.bypass_reserved_state, expression=expression,
                    attributes=membership.attributes_of(task) if expression is not None else {}))
            for worker in line.members:
                if worker.sid not in workers or (expressions and not workers[worker.sid].attributes):
                    workers[worker.sid] = policy.Worker(
                        sid=worker.sid, idle_since=worker.idle_since, order=worker.id, free=_room(worker, multi),
                        attributes=membership.attributes_of(worker) if expressions else {})
            queues[line.queue.sid] = policy.Queue(
                sid=line.queue.sid, members=[w.sid for w in line.members], lifo=line.queue.task_order == "LIFO",
                max_reserved_workers=line.queue.max_reserved_workers)
            refused |= line.refused
        return policy.Snapshot(queues=queues, tasks=tasks, workers=workers, refused=frozenset(refused))

    def rows_of(self, offers: list[policy.Offer]) -> list[tuple]:
        """The rows the writes need for each offer: (task, worker, queue, workflow)."""
        tasks = {t.sid: (t, line) for line in self.lines.values() for t in line.tasks}
        workers = {w.sid: w for line in self.lines.values() for w in line.members}
        rows = []
        for offer in offers:
            task, line = tasks[offer.task_sid]
            rows.append((task, workers[offer.worker_sid], line.queue, line.workflows.get(task.workflow_sid)))
        return rows


def _room(worker, multi: bool) -> int:
    """Offers the worker can still take (the members read has only workers with room)."""
    return worker.capacity - worker.busy if multi else 1


def _wanted(task, queue: models.TaskQueue) -> int:
    return 1 if task.bypass_reserved_state else queue.max_reserved_workers


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
        env.observe.offered(max(task.queue_entered_at or now, task.updated_at), now)
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
