"""Matching: offers waiting tasks to free workers, one workspace at a time, under the
workspace's lock, so no worker exceeds its capacity and no task is offered twice.

A pass reads a snapshot (the head of each queue's line, its members with room, the refusals, the
room per task channel, the known workers tasks are restricted to, the warm transfers waiting for
an offer), lets the pure policy.choose decide who gets what (every rule of the policy lives
there), and writes the offers in a few bulk statements."""

from __future__ import annotations

import collections
from typing import NamedTuple

import peewee as pw

from taskrouter.server import sids
from taskrouter.server.routing import (
    callbacks,
    channel_room,
    events,
    locks,
    membership,
    policy,
    reservations,
    workflow_config,
)
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.statuses import (
    ACTIVE_RESERVATION,
    REFUSED_RESERVATION,
    ReservationStatus,
    TaskStatus,
    TransferStatus,
)
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, ForEach, Insert, Prepared

BATCH = 50  # waiting tasks per queue read first; a pass reads further only where a match may hide
T, W, R, Q = models.Task, models.Worker, models.Reservation, models.TaskQueue
A, QM = models.Activity, models.QueueMember
TT = models.Transfer


def _available() -> pw.Select:
    return A.select(A.sid).where((A.workspace_sid == Arg("workspace_sid")) & (A.available == True))  # noqa: E712


def _free() -> pw.Expression:
    """The worker holds no open offer."""
    return ~pw.fn.EXISTS(R.select(R.id).where((R.worker_sid == W.sid) & R.status.in_(ACTIVE_RESERVATION)))


# The statements of a pass, built once (services/store/prepared.py).
_WAITING = Prepared(lambda: T.select(T.id).where(
    (T.workspace_sid == Arg("workspace_sid")) & (T.status == TaskStatus.PENDING)
    & T.task_queue_sid.is_null(False)).limit(1))
_ANY_AVAILABLE = Prepared(lambda: W.select(W.id).where(
    (W.workspace_sid == Arg("workspace_sid")) & W.activity_sid.in_(_available())).limit(1))
_ANY_FREE = Prepared(lambda: W.select(W.id).where(
    (W.workspace_sid == Arg("workspace_sid")) & W.activity_sid.in_(_available()) & _free()).limit(1))
_WORKSPACE = Prepared(lambda: models.Workspace.select().where(models.Workspace.sid == Arg("workspace_sid")).limit(1))
_QUEUES = Prepared(lambda: Q.select().where(Q.workspace_sid == Arg("workspace_sid")))
_WORKFLOWS = Prepared(lambda: models.Workflow.select().where(models.Workflow.workspace_sid == Arg("workspace_sid")))
_ACTIVITIES = Prepared(lambda: A.select().where(A.workspace_sid == Arg("workspace_sid")))
_HEAD = {order: Prepared(lambda order=order: T.select().where(  # type: ignore[misc]  # lambda defaults
    (T.task_queue_sid == Arg("queue_sid")) & (T.status == TaskStatus.PENDING)).order_by(
    *((T.priority.desc(), T.queue_entered_at.desc(), T.id.desc()) if order == "LIFO" else
      (T.priority.desc(), T.queue_entered_at, T.id))).limit(Arg("limit")).namedtuples())
    for order in ("FIFO", "LIFO")}
_REFUSALS = ForEach(lambda tasks: R.select(R.task_sid, R.worker_sid).where(
    R.task_sid.in_(tasks) & R.status.in_(REFUSED_RESERVATION)).tuples())


def _open_offers() -> pw.Select:
    return R.select(pw.fn.COUNT(R.id)).where((R.worker_sid == W.sid) & R.status.in_(ACTIVE_RESERVATION))


def _with_room(multi: bool) -> pw.Select:
    """Workers whose activity is available and who have room for one more task; `multi`: room is
    the capacity of their available channels minus their open offers (read as `capacity`, `busy`),
    else no open offer."""
    if not multi:
        return W.select().where(W.activity_sid.in_(_available()) & _free())
    busy, capacity = _open_offers(), channel_room.total_capacity()
    return W.select(W, busy.alias("busy"), capacity.alias("capacity_total")).where(
        W.activity_sid.in_(_available()) & (busy < capacity))


def _members(multi: bool, limited: bool) -> Prepared:
    """A queue's members with room, longest idle first; `limited`: at most `limit` of them."""
    def build():
        query = _with_room(multi).join(QM, on=(QM.worker_sid == W.sid)).where(QM.queue_sid == Arg("queue_sid"))
        query = query.order_by(W.idle_since, W.id).namedtuples()
        return query.limit(Arg("limit")) if limited else query
    # (a generic plan for this read was 15 times slower for the drain on PostgreSQL)
    return Prepared(build, plan_each_run=True)


_MEMBERS = {(multi, limited): _members(multi, limited) for multi in (False, True) for limited in (False, True)}
# Workers named by SID (the known workers tasks are restricted to), with room.
_KNOWN = {multi: ForEach(lambda sids, multi=multi: _with_room(multi).where(  # type: ignore[misc]  # lambda defaults
    (W.workspace_sid == Arg("workspace_sid")) & W.sid.in_(sids)).namedtuples()) for multi in (False, True)}
# Warm transfers waiting for an offer: initiated, with no pending reservation of theirs.
_WARM_WAITING = Prepared(lambda: TT.select(TT.sid, TT.task_sid, TT.to_sid, TT.from_worker_sid).where(
    (TT.workspace_sid == Arg("workspace_sid")) & (TT.status == TransferStatus.INITIATED) & (TT.mode == "warm")
    & ~pw.fn.EXISTS(R.select(R.id).where((R.transfer_sid == TT.sid)
                                         & (R.status == ReservationStatus.PENDING)))).tuples())
_TASKS = ForEach(lambda sids: T.select().where(T.sid.in_(sids)).namedtuples())
_INSERT_RESERVATION = Insert(R)
# (the pass read these tasks as pending under the same lock)
_RESERVE_TASKS = ForEach(lambda sids: T.update(status=TaskStatus.RESERVED, updated_at=Arg("now")).where(
    T.sid.in_(sids)))
_ASSIGN_TASK = Prepared(lambda: T.update(status=TaskStatus.ASSIGNED, worker_sid=Arg("worker_sid"),
                                         target_expires_at=None, assigned_at=Arg("now"),
                                         updated_at=Arg("now")).where(T.sid == Arg("sid")))
_OFFERED = ForEach(lambda sids: W.update(idle_since=Arg("now")).where(W.sid.in_(sids)))
_MOVE_WORKERS = ForEach(lambda sids: W.update(activity_sid=Arg("activity_sid"), status_changed_at=Arg("now"),
                                              updated_at=Arg("now")).where(W.sid.in_(sids)))


NO_TASK, NO_WORKER = "no task waits in a queue", "no available worker is free"


def blocked(workspace_sid: str) -> str | None:
    """Why a pass could offer nothing (NO_TASK, NO_WORKER), or None when it may. Indexed reads
    without the write lock: a change after them wakes the dispatcher again."""
    if _WAITING.first(workspace_sid=workspace_sid) is None and not _WARM_WAITING.rows(workspace_sid=workspace_sid):
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
        # Assigned tasks of warm transfers to this queue (or, to a worker, from it): offered like
        # the head's tasks, never refused in advance but to the worker who holds them.
        self.transfers: list = []
        self.transfer_refused: set[tuple[str, str]] = set()

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
        worker expression or order_by (the longest idle ones may not be the ones chosen)."""
        if any(target is not None and (target.expression is not None or target.order_by is not None)
               for target in self.targets.values()):
            limit = None
        self.member_limit = limit
        self.members = _MEMBERS[(self.multi, limit is not None)].rows(
            queue_sid=self.queue.sid, workspace_sid=self.queue.workspace_sid, limit=limit or 0)

    def first_member_limit(self) -> int:
        """Enough for every task of the head to get all its offers, past the workers that refused it."""
        return (len(self.tasks) + len(self.transfers)) * self.queue.max_reserved_workers + len(self.refused)

    def all_tasks(self) -> list:
        return self.tasks + self.transfers


class Snapshot:
    """The matching pass's read of a workspace, turned into policy.Snapshot for `choose`."""

    def __init__(self, workspace: models.Workspace, lines: dict[str, _Line]):
        self.workspace, self.lines = workspace, lines
        self.known: dict[str, object] = {}  # known workers (by SID) with room, read beside the members
        self._room: dict[str, dict[str, int]] = {}  # per worker, room per channel (channel_room.room)

    @classmethod
    def read(cls, workspace: models.Workspace, queue_sids: set[str] | None) -> Snapshot:
        workflows = {f.sid: f for f in _WORKFLOWS.rows(workspace_sid=workspace.sid)}
        lines = {}
        queues = {queue.sid: queue for queue in _QUEUES.rows(workspace_sid=workspace.sid)}
        for queue in queues.values():
            if queue_sids is not None and queue.sid not in queue_sids:
                continue
            line = _Line(queue, workspace.multi_task_enabled, workflows)
            line.read_tasks(BATCH)
            if line.tasks:
                lines[queue.sid] = line
        _add_warm_transfers(workspace, queues, workflows, lines)
        for line in lines.values():
            line.read_members(line.first_member_limit())
        snapshot = cls(workspace, lines)
        snapshot.read_known()
        return snapshot

    def read_known(self) -> None:
        """The known workers of the tasks read, with room (they need not be queue members)."""
        wanted = sorted({t.known_worker_sid for line in self.lines.values() for t in line.all_tasks()
                         if t.known_worker_sid} - set(self.known))
        if wanted:
            self.known.update((w.sid, w) for w in _KNOWN[self.workspace.multi_task_enabled].rows(
                wanted, workspace_sid=self.workspace.sid))

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
                self.read_known()
                further = True
            if line.members_cut and any(offered[t.sid] < _wanted(t, line.queue) for t in line.tasks):
                line.read_members(len(line.members) * 2)
                further = True
        return further

    def cut_short(self) -> bool:
        return any(line.tasks_cut and line.members_cut for line in self.lines.values())

    def policy_snapshot(self) -> policy.Snapshot:
        """A task restricted to a known worker waits in a queue of its own whose one member is
        that worker, so the policy offers it to nobody else (and the worker need not be a member
        of the task's queue: a transfer may name anyone)."""
        multi = self.workspace.multi_task_enabled
        workers: dict[str, policy.Worker] = {}
        tasks, queues, refused = [], {}, set()
        rows = {w.sid: w for line in self.lines.values() for w in line.members} | self.known
        unread = [sid for sid in rows if sid not in self._room]
        found = channel_room.room(self.workspace.sid, unread, multi)
        self._room.update((sid, found.get(sid, {})) for sid in unread)
        contexts = False
        for line in self.lines.values():
            for task in line.all_tasks():
                target = line.targets.get(task.sid)
                expression = target.expression if target is not None else None
                order_by = target.order_by if target is not None else None
                contexts = contexts or expression is not None or order_by is not None
                queue_sid = line.queue.sid
                if task.known_worker_sid:
                    queue_sid = f"{line.queue.sid}/{task.known_worker_sid}"
                    members = [task.known_worker_sid] if task.known_worker_sid in rows else []
                    queues[queue_sid] = policy.Queue(sid=queue_sid, members=members, lifo=False,
                                                     max_reserved_workers=1)
                tasks.append(policy.Task(
                    sid=task.sid, queue_sid=queue_sid, priority=task.priority,
                    entered_at=task.queue_entered_at, order=task.id, channel=task.task_channel_sid or "",
                    bypass_reserved_state=task.bypass_reserved_state, expression=expression,
                    known_worker_sid=task.known_worker_sid,
                    worker_rank=(lambda w, rule=order_by: rule.rank(w.attributes)) if order_by else None,  # type: ignore[misc]  # lambda defaults
                    attributes=membership.attributes_of(task) if expression is not None else {}))
            queues[line.queue.sid] = policy.Queue(
                sid=line.queue.sid, members=[w.sid for w in line.members], lifo=line.queue.task_order == "LIFO",
                max_reserved_workers=line.queue.max_reserved_workers)
            refused |= line.refused | line.transfer_refused
        for worker in rows.values():
            workers[worker.sid] = policy.Worker(
                sid=worker.sid, idle_since=worker.idle_since, order=worker.id, free=_room(worker, multi),
                free_by_channel=self._room[worker.sid],
                attributes=membership.worker_context(worker) if contexts else {})
        return policy.Snapshot(queues=queues, tasks=tasks, workers=workers, refused=frozenset(refused))

    def rows_of(self, offers: list[policy.Offer]) -> list[tuple]:
        """The rows the writes need for each offer: (task, worker, queue, workflow)."""
        tasks = {t.sid: (t, line) for line in self.lines.values() for t in line.all_tasks()}
        workers = {w.sid: w for line in self.lines.values() for w in line.members} | self.known
        rows = []
        for offer in offers:
            task, line = tasks[offer.task_sid]
            rows.append((task, workers[offer.worker_sid], line.queue, line.workflows.get(task.workflow_sid)))
        return rows


def _room(worker, multi: bool) -> int:
    """Offers the worker can still take (the members read has only workers with room)."""
    return worker.capacity_total - worker.busy if multi else 1


def _add_warm_transfers(workspace: models.Workspace, queues: dict[str, models.TaskQueue],
                        workflows: dict[str, models.Workflow], lines: dict[str, _Line]) -> None:
    """Puts each warm transfer waiting for an offer in the line of its target queue (a transfer to
    a worker: of the task's queue, restricted to that worker); the worker who holds the task is
    refused it."""
    waiting = _WARM_WAITING.rows(workspace_sid=workspace.sid)
    if not waiting:
        return
    held = {t.sid: t for t in _TASKS.rows([task_sid for _, task_sid, _, _ in waiting])}
    for _, task_sid, to_sid, from_worker_sid in waiting:
        task = held.get(task_sid)
        if task is None or task.status != TaskStatus.ASSIGNED:
            continue
        to_worker = to_sid.startswith(sids.WORKER)
        queue = queues.get(task.task_queue_sid if to_worker else to_sid)
        if queue is None:
            continue
        if queue.sid not in lines:
            lines[queue.sid] = _Line(queue, workspace.multi_task_enabled, workflows)
        line = lines[queue.sid]
        line.transfers.append(task._replace(known_worker_sid=to_sid if to_worker else None))
        line.transfer_refused.add((task.sid, from_worker_sid))


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
    rows: list[dict] = []
    pending: list[PendingEvent] = []
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
        row = reservations.new_reservation(task, worker, now, timeout, before if moved else None,
                                           task_queue_sid=queue.sid)
        rows.append(row)
        env.observe.offered(max(task.queue_entered_at or now, task.updated_at), now)
        if bypass:
            assigned.append((task.sid, worker.sid))
        elif task.status == TaskStatus.PENDING:  # (a warm transfer's task stays assigned to its worker)
            reserved.add(task.sid)
        if moved:
            moves[activity_sid].append(worker.sid)
            activity = activities[activity_sid]
            current[worker.sid] = activity_sid
            pending.append(PendingEvent("worker.activity.update",
                                        events.Ref("worker", worker.sid, worker.enterprise_sid, worker.workspace_sid),
                                        f"Worker {worker.name} updated to {activity.name}",
                                        {"activitySid": activity.sid, "activityName": activity.name,
                                         "available": activity.available}))
        reservation = events.Ref("reservation", row["sid"], row["enterprise_sid"], row["workspace_sid"])
        pending.append(PendingEvent("reservation.created", reservation, f"Reservation created for {worker.name}",
                                    {"taskSid": task.sid, "workerSid": worker.sid, "taskQueueSid": queue.sid}))
        if bypass:
            pending.append(PendingEvent("reservation.accepted", reservation,
                                        "Reservation accepted (bypassReservedState)",
                                        {"taskSid": task.sid, "workerSid": worker.sid}))
        if workflow is not None and workflow.assignment_callback_url and not bypass:
            callbacks.queue_assignment(env, task, worker, workflow, row, now)
    _INSERT_RESERVATION.insert_many(rows)
    _RESERVE_TASKS.execute(sorted(reserved), now=now)
    _ASSIGN_TASK.execute_many({"sid": task_sid, "worker_sid": worker_sid, "now": now}
                              for task_sid, worker_sid in assigned)
    _OFFERED.execute(sorted({worker.sid for _, worker, _, _ in offers}), now=now)
    for activity_sid, worker_sids in moves.items():
        _MOVE_WORKERS.execute(worker_sids, activity_sid=activity_sid, now=now)
    events.record_many(env, workspace, pending, tasks=[task for task, _, _, _ in offers])
