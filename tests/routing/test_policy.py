"""The routing policy without a database: tables of snapshots and the offers they must give, and
a property that no result ever leaves a match behind or breaks a capacity."""

from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from taskrouter.server.routing.expressions import compile_expression
from taskrouter.server.routing.policy import Offer, Queue, Snapshot, Task, Worker, choose


def worker(sid, idle=0.0, free=1, **kw):
    return Worker(sid=sid, idle_since=idle, order=int(idle), free=free, **kw)


def task(sid, queue="Q", priority=0, at=0.0, **kw):
    return Task(sid=sid, queue_sid=queue, priority=priority, entered_at=at, order=int(at * 10), **kw)


def snapshot(tasks, workers, queues=None, refused=()):
    workers = {w.sid: w for w in workers}
    queues = queues or [Queue("Q", members=list(workers))]
    return Snapshot(queues={q.sid: q for q in queues}, tasks=tasks, workers=workers, refused=frozenset(refused))


def offers(*pairs):
    return [Offer(t, w) for t, w in pairs]


CASES = {
    "priority first, then the oldest": (
        snapshot([task("old", at=1), task("urgent", priority=5, at=3), task("new", at=2)],
                 [worker("X", idle=1), worker("Y", idle=2)]),
        offers(("urgent", "X"), ("old", "Y"))),
    "LIFO: the newest first": (
        snapshot([task("old", at=1), task("new", at=2)], [worker("X")], [Queue("Q", ["X"], lifo=True)]),
        offers(("new", "X"))),
    "the longest idle worker first": (
        snapshot([task("A")], [worker("recent", idle=9), worker("idle", idle=1)]),
        offers(("A", "idle"))),
    "a refusal skips only that pair (defect 1: B goes to X while A waits)": (
        snapshot([task("A", at=1), task("B", at=2)], [worker("X")], refused=[("A", "X")]),
        offers(("B", "X"))),
    "a worker without room is not a member of the snapshot (defect 2: the next one takes it)": (
        snapshot([task("A")], [worker("roomy", idle=5, free=2)], [Queue("Q", ["busy", "roomy"])]),
        offers(("A", "roomy"))),
    "maxReservedWorkers offers one task to several": (
        snapshot([task("A"), task("B", at=1)], [worker("X", 1), worker("Y", 2), worker("Z", 3)],
                 [Queue("Q", ["X", "Y", "Z"], max_reserved_workers=2)]),
        offers(("A", "X"), ("A", "Y"), ("B", "Z"))),
    "bypassing the reserved state takes one worker": (
        snapshot([task("A", bypass_reserved_state=True)], [worker("X", 1), worker("Y", 2)],
                 [Queue("Q", ["X", "Y"], max_reserved_workers=2)]),
        offers(("A", "X"))),
    "multitask capacity: a worker takes as many as it has room for": (
        snapshot([task("A", at=1), task("B", at=2), task("C", at=3)], [worker("X", free=2)]),
        offers(("A", "X"), ("B", "X"))),
    "per-channel room: a full channel passes the task to the next worker": (
        snapshot([task("voice1", channel="voice", at=1), task("chat1", channel="chat", at=2)],
                 [worker("X", idle=1, free=3, free_by_channel={"voice": 0}), worker("Y", idle=2)]),
        offers(("voice1", "Y"), ("chat1", "X"))),
    "a target's worker expression filters per task": (
        snapshot([task("A", expression=compile_expression("worker.level > task.level"), attributes={"level": 2})],
                 [worker("junior", idle=1, attributes={"level": 1}),
                  worker("senior", idle=2, attributes={"level": 3})]),
        offers(("A", "senior"))),
    "a known worker restricts the task to that worker": (
        snapshot([task("A", known_worker_sid="Y")], [worker("X", 1), worker("Y", 2)]),
        offers(("A", "Y"))),
    "a known worker without room leaves the task waiting": (
        snapshot([task("A", known_worker_sid="gone")], [worker("X")]),
        []),
    "an extra worker ranking goes ahead of idle time": (
        snapshot([task("A", worker_rank=lambda w: -w.attributes["skill"])],
                 [worker("X", 1, attributes={"skill": 1}), worker("Y", 2, attributes={"skill": 9})]),
        offers(("A", "Y"))),
    "across queues a shared worker takes the higher priority task": (
        snapshot([task("low", queue="Q1", at=1), task("high", queue="Q2", priority=3, at=2)], [worker("X")],
                 [Queue("Q1", ["X"]), Queue("Q2", ["X"])]),
        offers(("high", "X"))),
    "a task of a queue not in the snapshot is left alone": (
        snapshot([task("A", queue="elsewhere")], [worker("X")]),
        []),
}


@pytest.mark.parametrize("name", list(CASES))
def test_policy_table(name):
    given_snapshot, expected = CASES[name]
    assert choose(given_snapshot) == expected


@st.composite
def snapshots(draw):
    worker_sids = [f"W{i}" for i in range(draw(st.integers(0, 5)))]
    queue_sids = [f"Q{i}" for i in range(draw(st.integers(1, 3)))]
    channels = ["default", "voice"]
    workers = [Worker(sid=sid, idle_since=draw(st.integers(0, 5)), order=i, free=draw(st.integers(1, 3)),
                      free_by_channel=draw(st.dictionaries(st.sampled_from(channels), st.integers(0, 2), max_size=2)))
               for i, sid in enumerate(worker_sids)]
    queues = [Queue(sid, members=draw(st.lists(st.sampled_from(worker_sids), unique=True)) if worker_sids else [],
                    lifo=draw(st.booleans()), max_reserved_workers=draw(st.integers(1, 3))) for sid in queue_sids]
    tasks = [Task(sid=f"T{i}", queue_sid=draw(st.sampled_from(queue_sids)), priority=draw(st.integers(0, 2)),
                  entered_at=draw(st.integers(0, 5)), order=i, channel=draw(st.sampled_from(channels)),
                  bypass_reserved_state=draw(st.booleans()),
                  known_worker_sid=draw(st.none() | st.sampled_from(worker_sids)) if worker_sids else None)
             for i in range(draw(st.integers(0, 8)))]
    pairs = [(t.sid, w) for t in tasks for w in worker_sids]
    refused = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return snapshot(tasks, workers, queues, refused)


@settings(max_examples=300, deadline=None)
@given(snapshots())
def test_choose_is_work_conserving_and_within_capacity(given_snapshot):
    result = choose(given_snapshot)
    assert len(set(result)) == len(result), "an offer made twice"
    taken = collections.Counter(o.worker_sid for o in result)
    taken_by_channel = collections.Counter((o.worker_sid, t.channel) for o in result
                                           for t in given_snapshot.tasks if t.sid == o.task_sid)
    workers, queues = given_snapshot.workers, given_snapshot.queues
    for sid, count in taken.items():
        assert count <= workers[sid].free
    for (sid, channel), count in taken_by_channel.items():
        assert count <= workers[sid].free_by_channel.get(channel, count)
    offered = collections.Counter(o.task_sid for o in result)
    for t in given_snapshot.tasks:
        queue = queues[t.queue_sid]
        assert offered[t.sid] <= (1 if t.bypass_reserved_state else queue.max_reserved_workers)
        for o in result:
            if o.task_sid == t.sid:
                assert o.worker_sid in queue.members and (t.sid, o.worker_sid) not in given_snapshot.refused
                assert t.known_worker_sid in (None, o.worker_sid)
        if offered[t.sid] == (1 if t.bypass_reserved_state else queue.max_reserved_workers):
            continue
        for w in queue.members:  # short of offers: no member left that could still take it
            room = workers[w].free - taken[w] > 0 and (
                workers[w].free_by_channel.get(t.channel) is None
                or workers[w].free_by_channel[t.channel] - taken_by_channel[(w, t.channel)] > 0)
            eligible = (t.sid, w) not in given_snapshot.refused and t.known_worker_sid in (None, w)
            assert not (room and eligible and Offer(t.sid, w) not in result), (t, w)
