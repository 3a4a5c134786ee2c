"""Statistics agree with a recount from the event log: counts exactly, percentiles within 1%.
A mixed workload (two queues, two channels, accepts, rejects, completions, cancellations) runs
through the real server; the recount reads the event log and the tasks' own timestamps."""

from __future__ import annotations

import json
import random
import time

from polling import eventually

from taskrouter.server.store import models

COUNTED = {
    "task.created": "tasksCreated", "task.canceled": "tasksCanceled", "task.completed": "tasksCompleted",
    "task-queue.moved": "tasksMoved", "reservation.created": "reservationsCreated",
    "reservation.accepted": "reservationsAccepted", "reservation.rejected": "reservationsRejected",
    "reservation.timeout": "reservationsTimedOut", "reservation.canceled": "reservationsCanceled",
    "reservation.rescinded": "reservationsRescinded",
}


def _rank(values, q):
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def recount(workspace_sid, queue=None, channel=None):
    """Counters and durations from the events of the workspace (optionally one queue or channel)."""
    tasks = {t.sid: t for t in models.Task.select().where(models.Task.workspace_sid == workspace_sid)}
    events = list(models.Event.select().where(models.Event.workspace_sid == workspace_sid).order_by(models.Event.id))

    def task_of(event):
        return tasks[event.resource_sid if event.resource_type == "task" else json.loads(event.data)["taskSid"]]

    counts = dict.fromkeys(COUNTED.values(), 0)
    durations = {"waitDurationUntilAccepted": [], "waitDurationUntilCanceled": [], "handleDuration": []}
    for event in events:
        if event.event_type not in COUNTED:
            continue
        task = task_of(event)
        if (queue and task.task_queue_sid != queue) or (channel and task.task_channel != channel):
            continue
        counts[COUNTED[event.event_type]] += 1
        if event.event_type == "reservation.accepted":
            durations["waitDurationUntilAccepted"].append(event.created_at - task.created_at)
        elif event.event_type == "task.canceled" and task.assigned_at is None:
            durations["waitDurationUntilCanceled"].append(event.created_at - task.created_at)
        elif event.event_type == "task.completed":
            durations["handleDuration"].append(event.created_at - task.assigned_at)
    return counts, durations


def assert_agrees(cumulative, counts, durations, splits=()):
    assert {name: cumulative[name] for name in counts} == counts
    for name, values in durations.items():
        got = cumulative[name]
        if not values:
            assert got == dict.fromkeys(("avg", "min", "max", "total", "p50", "p90", "p95", "p99"), 0), got
            continue
        assert abs(got["total"] - sum(values)) <= 1e-6 * max(1, sum(values)), (name, got)
        assert abs(got["min"] - min(values)) <= 1e-9 and abs(got["max"] - max(values)) <= 1e-9, (name, got)
        assert abs(got["avg"] - sum(values) / len(values)) <= 1e-6, (name, got)
        for key, q in (("p50", 0.5), ("p90", 0.9), ("p95", 0.95), ("p99", 0.99)):
            exact = _rank(values, q)
            assert abs(got[key] - exact) <= 0.01 * exact, (name, key, got[key], exact)
    for threshold in splits:
        split = cumulative["splitByWaitTime"][str(threshold)]
        accepted, canceled = durations["waitDurationUntilAccepted"], durations["waitDurationUntilCanceled"]
        assert split["below"] == {"tasksAccepted": sum(v < threshold for v in accepted),
                                  "tasksCanceled": sum(v < threshold for v in canceled)}
        assert split["above"] == {"tasksAccepted": sum(v >= threshold for v in accepted),
                                  "tasksCanceled": sum(v >= threshold for v in canceled)}


def test_statistics_agree_with_a_recount_of_the_event_log(floor):
    rng = random.Random(13)
    sales, support = floor.queue("Sales", "skill == 'sales'"), floor.queue("Support", "skill == 'support'")
    flow = floor.workflow(support["sid"], filters=[
        {"filter_friendly_name": "sales", "expression": "kind == 'sales'", "targets": [{"queue": sales["sid"]}]}])
    for index in range(4):
        floor.worker(f"agent {index}", skill="sales" if index % 2 else "support")
    created = [floor.task(flow["sid"], channel=rng.choice(["voice", "chat"]), kind=rng.choice(["sales", "support"]))
               for _ in range(24)]
    open_tasks = {t["sid"] for t in created}
    deadline = time.monotonic() + 60
    while open_tasks and time.monotonic() < deadline:
        time.sleep(rng.uniform(0.02, 0.12))  # durations of varied length
        pending = floor.reservations(reservationStatus="pending")
        for reservation in pending:
            outcome = rng.random()
            floor.respond(reservation["sid"], "rejected" if outcome < 0.25 else "accepted")
        assigned = floor.ok(floor.http.get("/taskrouter/tasks/search", params={
            "workspaceSid": floor.ws["sid"], "assignmentStatus": "assigned", "pageSize": 100}))["result"]
        for task in assigned:
            if rng.random() < 0.6:
                floor.update_task(task["sid"], "completed")
                open_tasks.discard(task["sid"])
        waiting = floor.ok(floor.http.get("/taskrouter/tasks/search", params={
            "workspaceSid": floor.ws["sid"], "assignmentStatus": "pending", "pageSize": 100}))["result"]
        for task in waiting:
            if rng.random() < 0.1:
                floor.update_task(task["sid"], "canceled")
                open_tasks.discard(task["sid"])
    assert not open_tasks

    counts, durations = recount(floor.ws["sid"])
    assert counts["tasksCreated"] == 24 and counts["reservationsAccepted"] > 5 and counts["tasksCanceled"] > 0
    workspace = floor.statistics("workspaces", floor.ws["sid"], splitByWaitTime="1,5")
    assert_agrees(workspace["cumulative"], counts, durations, splits=(1, 5))
    for queue in (sales, support):
        stats = floor.statistics("taskqueues", queue["sid"], minutes=60)
        assert_agrees(stats["cumulative"], *recount(floor.ws["sid"], queue=queue["sid"]))
    stats = floor.statistics("workflows", flow["sid"], taskChannel="voice")
    assert_agrees(stats["cumulative"], *recount(floor.ws["sid"], channel="voice"))


def test_realtime_counts_are_exact(floor):
    queue = floor.queue("Line")
    flow = floor.workflow(queue["sid"])
    worker = floor.worker("only")
    tasks = [floor.task(flow["sid"]) for _ in range(5)]
    reservation = floor.pending_reservation(tasks[0]["sid"])

    def live():
        return floor.statistics("workspaces", floor.ws["sid"])["realtime"]

    now = live()
    assert now["tasksByStatus"] == {"pending": 4, "reserved": 1, "assigned": 0, "wrapping": 0}
    assert now["totalTasks"] == 5
    assert now["longestTaskWaitingSid"] == tasks[0]["sid"]
    by_activity = {a["activityName"]: a["workers"] for a in now["activityStatistics"]}
    assert sum(by_activity.values()) == 1
    floor.respond(reservation["sid"], "accepted")
    floor.update_task(tasks[4]["sid"], "canceled")
    now = eventually(lambda: (lambda r: r if r["tasksByStatus"]["assigned"] == 1 else None)(live()))
    assert now["tasksByStatus"] == {"pending": 3, "reserved": 0, "assigned": 1, "wrapping": 0}
    assert now["longestTaskWaitingSid"] == tasks[1]["sid"]
    queue_now = floor.statistics("taskqueues", queue["sid"])["realtime"]
    assert queue_now["totalEligibleWorkers"] == 1 and queue_now["totalTasks"] == 4
    assert "totalEligibleWorkers" not in now
    me = floor.statistics("workers", worker["sid"])["realtime"]
    assert me["tasksByChannel"] == [{"taskChannel": "default", "reservedTasks": 0, "assignedTasks": 1}]
