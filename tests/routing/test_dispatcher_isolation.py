"""A failure in the background routing stays with what failed (issue 10, defect 5): a timer or a
workspace's matching pass that raises is logged once with its SID and retried with backoff, and
every other workspace is matched and every other timer fires meanwhile.

The failures are real ones: a workflow configuration broken in the database behind the API's
back (the API refuses to store one), which the timer and the pass then fail to parse."""

from __future__ import annotations

import logging
import time

from polling import eventually
from world import World

from taskrouter.v1 import task_service_pb2 as tasks


def _break(flow):
    from taskrouter.server.store import models

    good = models.Workflow.get(models.Workflow.sid == flow.sid).configuration
    models.Workflow.update(configuration='{"task_routing": broken').where(models.Workflow.sid == flow.sid).execute()
    return lambda: models.Workflow.update(configuration=good).where(models.Workflow.sid == flow.sid).execute()


def _healthy_workspace_routes(api, name):
    world = World(api, name)
    queue = world.queue("Q")
    worker = world.worker("W")
    task = world.task(world.workflow({"filters": [], "default_filter": {"queue": queue.sid}}))
    assert world.pending_reservation(task).worker_sid == worker.sid


def _errors_about(caplog, sid):
    return [r for r in caplog.records if r.levelno >= logging.ERROR and sid in r.getMessage()]


def test_a_failing_timer_blocks_no_pass_and_no_other_timer(api, caplog):
    caplog.set_level(logging.INFO)
    world = World(api, "Broken timer")
    first, second = world.queue("First"), world.queue("Second")
    flow = world.workflow({"filters": [], "default_filter": [{"queue": first.sid, "timeout": 1},
                                                             {"queue": second.sid}]})
    task = world.task(flow)
    repair = _break(flow)
    time.sleep(1.5)  # the target timer is due, and fails
    _healthy_workspace_routes(api, "Healthy after a broken timer")
    assert world.api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid)).task_queue_sid == first.sid
    repair()
    eventually(lambda: world.api.tasks.GetTask(tasks.GetTaskRequest(sid=task.sid)).task_queue_sid == second.sid,
               timeout=15)
    assert len(_errors_about(caplog, task.sid)) == 1, "the failing timer is logged once, with its task"


def test_a_failing_workspace_pass_does_not_stop_the_others(api, caplog):
    caplog.set_level(logging.INFO)
    world = World(api, "Broken pass")
    queue = world.queue("Q")
    flow = world.workflow({"filters": [], "default_filter": {"queue": queue.sid, "expression": "worker.level > 1"}})
    worker = world.worker("W", online=False, level=2)
    task = world.task(flow)
    repair = _break(flow)
    world.set_activity(worker, world.online)  # its pass now fails to read the target's expression
    for n in range(3):
        _healthy_workspace_routes(api, f"Healthy {n}")
    time.sleep(1.5)  # sweeps and retries come and go
    assert not world.reservations(task=task)
    repair()
    assert eventually(lambda: world.reservations(task=task), timeout=15)[0].worker_sid == worker.sid
    assert len(_errors_about(caplog, world.ws.sid)) == 1, "the failing pass is logged once, with its workspace"
