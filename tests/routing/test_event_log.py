"""The event log as streams see it: positions 1, 2, 3, ... per workspace in commit order, so a
stream that resumes after position N misses nothing, even when a transaction that began first
commits last (issue 10, defect 3: PostgreSQL handed out ids before commit and streams skipped)."""

from __future__ import annotations

import queue
import threading

from polling import eventually
from world import World

from taskrouter.v1 import task_service_pb2 as tasks


def _stream(api, workspace_sid, after=0):
    """A WatchEvents stream read by a thread into a queue, and the call to cancel it."""
    call = api.tasks.WatchEvents(tasks.WatchEventsRequest(workspace_sid=workspace_sid, after_id=after), timeout=60)
    seen: queue.Queue = queue.Queue()

    def read():
        try:
            for event in call:
                seen.put(event)
        except Exception:  # noqa: BLE001 - canceled at the end of the test
            pass

    threading.Thread(target=read, daemon=True).start()
    return call, seen


def _drain(seen: queue.Queue, count: int, timeout=5.0) -> list:
    """Up to `count` events, or fewer when no more come within `timeout`."""
    got = []
    try:
        while len(got) < count:
            got.append(seen.get(timeout=timeout))
    except queue.Empty:
        pass
    return got


def test_a_transaction_that_commits_last_is_still_streamed(api):
    from taskrouter.server.routing import events
    from taskrouter.server.routing.context import Environment
    from taskrouter.server.store.db import write_transaction

    world = World(api)
    queue_ = world.queue("Q")
    flow = world.workflow({"filters": [], "default_filter": {"queue": queue_.sid}})
    first = world.task(flow)  # a task to speak about, and some history
    history = eventually(lambda: api.tasks.ListEvents(
        tasks.ListEventsRequest(workspace_sid=world.ws.sid, page_size=1000)).result)
    call, seen = _stream(api, world.ws.sid, after=history[-1].id)

    started, release = threading.Event(), threading.Event()

    def slow_writer():
        """Begins first, writes its event, and commits only once the others have committed."""
        with write_transaction():
            events.record(Environment(), world.ws.sid, "task.updated",
                          events.Ref("task", first.sid, api.account["enterpriseSid"], world.ws.sid), "slow writer")
            started.set()
            release.wait(10)

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert started.wait(10)
    creator = threading.Thread(target=lambda: world.task(flow))  # waits for the slow writer on SQLite only
    creator.start()
    release_timer = threading.Timer(1.5, release.set)
    release_timer.start()
    creator.join(30)
    writer.join(30)
    release_timer.join()

    logged = api.tasks.ListEvents(tasks.ListEventsRequest(workspace_sid=world.ws.sid, page_size=1000)).result
    streamed = _drain(seen, len(logged) - len(history))
    call.cancel()
    assert [e.sid for e in streamed] == [e.sid for e in logged[len(history):]], "the stream skipped events"
    assert [e.id for e in logged] == list(range(1, len(logged) + 1)), "positions are 1, 2, 3, ... without gaps"

    # A stream resumed after any position gets exactly the rest.
    middle = len(logged) // 2
    call, seen = _stream(api, world.ws.sid, after=middle)
    resumed = _drain(seen, len(logged) - middle)
    call.cancel()
    assert [e.sid for e in resumed] == [e.sid for e in logged[middle:]]


def test_positions_are_per_workspace_and_start_at_one(api):
    one, two = World(api, "One"), World(api, "Two")
    for world in (one, two):
        q = world.queue("Q")
        world.task(world.workflow({"filters": [], "default_filter": {"queue": q.sid}}))
    for world in (one, two):
        logged = eventually(lambda w=world: api.tasks.ListEvents(
            tasks.ListEventsRequest(workspace_sid=w.ws.sid, page_size=100)).result)
        assert [e.id for e in logged] == list(range(1, len(logged) + 1))
