"""The routing policy, as a pure function: given what waits and who is free (a Snapshot), which
offers to make. No database, no clock: matching.py reads the snapshot and writes the offers, so
every rule of who gets what lives here and is tested with plain tables (tests/routing/test_policy.py).

The rules: tasks go by priority (higher first), then age in their queue's order (FIFO: oldest
first; LIFO: newest first). Each task goes to the members of its queue with room for it, longest
idle first, skipping workers who already rejected it or let its offer time out and workers its
target's expression excludes; a queue's maxReservedWorkers offers one task to that many workers at
once (one when the task bypasses the reserved state). A worker never gets more offers than its
free capacity, in total and per channel. The result is work-conserving: after it, no task of the
snapshot is left without an offer while a free, eligible, non-refusing member of its queue has
room for it (capacity only shrinks while the function runs, so a task skipped once stays skipped
for a reason)."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from taskrouter.server.routing.expressions import Expression


@dataclasses.dataclass(frozen=True)
class Worker:
    """A member of at least one queue of the snapshot, available, with room for one more task."""

    sid: str
    idle_since: float
    order: int  # tie-break between equal idle_since (the row id)
    free: int  # offers it can still take, over all channels
    # Room left per task channel, for channels that limit it (a channel not named here: no limit
    # but `free`).
    free_by_channel: Mapping[str, int] = dataclasses.field(default_factory=dict)
    attributes: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # read only when an expression needs them


@dataclasses.dataclass(frozen=True)
class Task:
    """A task waiting (pending) in a queue."""

    sid: str
    queue_sid: str
    priority: int
    entered_at: float  # when it entered its current queue
    order: int  # tie-break between equal entered_at (the row id)
    channel: str = "default"
    bypass_reserved_state: bool = False
    attributes: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    expression: Expression | None = None  # its workflow target's worker expression
    known_worker_sid: str | None = None  # only this worker may take it
    # An extra ranking of the eligible workers (lower first), ahead of longest idle.
    worker_rank: Callable[[Worker], Any] | None = None


@dataclasses.dataclass(frozen=True)
class Queue:
    sid: str
    members: Sequence[str]  # the workers of `Snapshot.workers` in this queue, in any order
    lifo: bool = False
    max_reserved_workers: int = 1


@dataclasses.dataclass(frozen=True)
class Snapshot:
    queues: Mapping[str, Queue]
    tasks: Sequence[Task]
    workers: Mapping[str, Worker]
    refused: frozenset[tuple[str, str]] = frozenset()  # (task, worker) pairs rejected or timed out


class Offer(NamedTuple):
    task_sid: str
    worker_sid: str


def task_order(task: Task, lifo: bool) -> tuple:
    """The key that orders tasks: priority, then age in the queue's order, then arrival."""
    if lifo:
        return (-task.priority, -task.entered_at, -task.order)
    return (-task.priority, task.entered_at, task.order)


def _by_idle(worker: Worker) -> tuple:
    return (worker.idle_since, worker.order)


def choose(snapshot: Snapshot) -> list[Offer]:
    """The offers to make, best task first."""
    free = {sid: worker.free for sid, worker in snapshot.workers.items()}
    free_by_channel = {sid: dict(worker.free_by_channel) for sid, worker in snapshot.workers.items()}
    members = {sid: sorted((snapshot.workers[w] for w in queue.members if w in snapshot.workers), key=_by_idle)
               for sid, queue in snapshot.queues.items()}
    offers: list[Offer] = []
    waiting = [t for t in snapshot.tasks if t.queue_sid in snapshot.queues]
    waiting.sort(key=lambda t: task_order(t, snapshot.queues[t.queue_sid].lifo))
    for task in waiting:
        queue = snapshot.queues[task.queue_sid]
        wanted = 1 if task.bypass_reserved_state else queue.max_reserved_workers
        candidates = (w for w in members[queue.sid]
                      if _has_room(free, free_by_channel, w.sid, task.channel)
                      and (task.sid, w.sid) not in snapshot.refused and _eligible(task, w))
        rank = task.worker_rank
        if rank is not None:
            chosen = sorted(candidates, key=lambda w: (rank(w), _by_idle(w)))[:wanted]
        else:
            chosen = list(itertools.islice(candidates, wanted))
        for worker in chosen:
            free[worker.sid] -= 1
            if task.channel in free_by_channel[worker.sid]:
                free_by_channel[worker.sid][task.channel] -= 1
            offers.append(Offer(task.sid, worker.sid))
    return offers


def _has_room(free: dict[str, int], free_by_channel: dict[str, dict[str, int]], worker_sid: str, channel: str) -> bool:
    return free[worker_sid] > 0 and free_by_channel[worker_sid].get(channel, 1) > 0


def _eligible(task: Task, worker: Worker) -> bool:
    if task.known_worker_sid is not None and worker.sid != task.known_worker_sid:
        return False
    if task.expression is None:
        return True
    return task.expression.matches(worker.attributes, task=task.attributes, worker=worker.attributes)
