"""The live statistics stream: the current state first, then an update when something changes,
coalesced, and computed once per change however many watch."""

from __future__ import annotations

import json
import threading
import time

import grpc

from taskrouter.server.clock import FakeClock
from taskrouter.server.routing.statistics.feed import StatisticsFeed
from taskrouter.v1 import statistics_pb2


def _sse_updates(response):
    """Yields (arrival time, data) for each SSE message."""
    for line in response.iter_lines():
        if line.startswith("data: "):
            yield time.monotonic(), json.loads(line[len("data: "):])


def test_sse_pushes_the_workspace_and_its_queues_when_they_change(floor):
    queue = floor.queue("Live")
    flow = floor.workflow(queue["sid"])
    with floor.http.stream("GET", "/taskrouter/statistics/stream", params={"workspaceSid": floor.ws["sid"]},
                           timeout=30) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        updates = _sse_updates(response)
        _, first = next(updates)
        assert first["workspaceSid"] == floor.ws["sid"] and first["realtime"]["totalTasks"] == 0
        assert [q["taskQueueSid"] for q in first["taskQueues"]] == [queue["sid"]]
        created_at = time.monotonic()
        task = floor.task(flow["sid"])
        arrived_at, update = next((at, u) for at, u in updates if u["realtime"]["totalTasks"] == 1)
        assert arrived_at - created_at < 1.5
        assert update["taskQueues"][0]["realtime"]["tasksByStatus"]["pending"] == 1
        assert update["realtime"]["longestTaskWaitingSid"] == task["sid"]
        burst_at = time.monotonic()
        for _ in range(15):
            floor.task(flow["sid"])
        seen = []
        for arrived, update in updates:
            seen.append(arrived)
            if update["realtime"]["totalTasks"] == 16:
                break
        per_second = len(seen) / max(1.0, seen[-1] - burst_at)
        assert per_second <= 6, seen  # 15 changes, coalesced


def test_grpc_stream(floor, api):
    queue = floor.queue("Live")
    flow = floor.workflow(queue["sid"])
    stream = api.configuration.WatchStatistics(statistics_pb2.WatchStatisticsRequest(workspace_sid=floor.ws["sid"]))
    try:
        first = next(stream)
        assert first.realtime.total_tasks == 0 and first.task_queues[0].task_queue_name == "Live"
        floor.task(flow["sid"])
        for update in stream:
            if update.realtime.total_tasks == 1:
                break
        assert update.task_queues[0].realtime.total_eligible_workers == 0
    finally:
        stream.cancel()


def test_one_computation_per_change_however_many_watch():
    computed = []

    def compute(workspace_sid, now):
        computed.append(now)
        time.sleep(0.05)
        return {"workspace_sid": workspace_sid, "date_updated": str(now), "total": len(computed)}

    clock = FakeClock()
    feed = StatisticsFeed(compute, clock)
    watchers = [threading.Thread(target=feed.latest, args=("WS1", (0, 1))) for _ in range(100)]
    for watcher in watchers:
        watcher.start()
    for watcher in watchers:
        watcher.join()
    assert len(computed) == 1
    version, _ = feed.latest("WS1", (0, 1))
    assert feed.latest("WS1", (0, 2))[0] == version + 1 and len(computed) == 2  # a change
    assert feed.latest("WS1", (0, 2))[0] == version + 1 and len(computed) == 2  # none: no computation
    clock.advance(1.0)
    feed.latest("WS1", (0, 2))
    assert len(computed) == 3  # once a second regardless (the waiting tasks' ages)


def test_stream_needs_a_workspace(api):
    stream = api.configuration.WatchStatistics(statistics_pb2.WatchStatisticsRequest())
    try:
        next(stream)
    except grpc.RpcError as error:
        assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    else:
        raise AssertionError("a stream without a workspace")
