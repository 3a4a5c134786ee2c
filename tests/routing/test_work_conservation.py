"""Work conservation end to end: a task never waits while a free, eligible member of its queue
that has not refused it could take it (issue 10, defects 1 and 2)."""

from __future__ import annotations

from polling import eventually
from world import World

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import workforce_service_pb2 as force


def _single_queue(api, **workflow):
    world = World(api)
    queue = world.queue("Q")
    flow = world.workflow({"filters": [], "default_filter": {"queue": queue.sid}}, **workflow)
    return world, flow


def test_a_rejected_task_does_not_block_the_next_one_from_the_rejecter(api):
    """Defect 1: A is offered to X, X rejects; B must be offered to X at once while A waits."""
    world, flow = _single_queue(api)
    x = world.worker("X")
    a = world.task(flow)
    world.respond(world.pending_reservation(a), "rejected")
    b = world.task(flow)
    offer = world.pending_reservation(b)
    assert offer.worker_sid == x.sid
    assert world.task_status(a) == "Pending"


def test_a_timed_out_task_does_not_block_the_next_one_once_the_worker_is_back(api):
    """Defect 1, timeout flavour: X lets A's offer time out (and goes Offline), comes back Online;
    B is offered to X, A is not."""
    world, flow = _single_queue(api, task_reservation_timeout=1)
    x = world.worker("X")
    a = world.task(flow)
    first = world.pending_reservation(a)
    eventually(lambda: world.reservations(task=a, status="timeout"))
    assert first.worker_sid == x.sid
    eventually(lambda: world.get_worker(x).activity_sid == world.offline)
    b = world.task(flow)
    world.set_activity(x, world.online)
    offer = world.pending_reservation(b)
    assert offer.worker_sid == x.sid
    assert not world.reservations(task=a, status="pending")


def test_multitask_a_free_worker_behind_a_busy_one_gets_the_task(api):
    """Defect 2: in a multitasking workspace the longest idle member is at capacity; the next one,
    with room, must get the new task."""
    world, flow = _single_queue(api)
    api.configuration.UpdateWorkspace(conf.UpdateWorkspaceRequest(sid=world.ws.sid, multi_task_enabled=True))
    busy = world.worker("Busy")  # capacity 1, idle the longest
    roomy = world.worker("Roomy")
    api.workforce.UpdateWorker(force.UpdateWorkerRequest(sid=roomy.sid, capacity=3))
    first = world.task(flow)
    assert world.pending_reservation(first).worker_sid == busy.sid
    second = world.task(flow)
    assert world.pending_reservation(second).worker_sid == roomy.sid
    third = world.task(flow)
    assert world.pending_reservation(third).worker_sid == roomy.sid
