"""Reservations: a task offered to a worker. Accepting assigns the task; rejecting, timing out,
rescinding or canceling puts the task back in its queue and frees the worker. An accepted
reservation follows its task into wrap-up and completion; one that offers a transfer (transfer_sid)
tells the transfer how it ended."""

from __future__ import annotations

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid
from taskrouter.server.routing import activities, events, locks, scope, statuses, task_channels
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, paginate
from taskrouter.server.routing.statuses import ACTIVE_RESERVATION, ReservationStatus, TaskStatus
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

_ANSWERS = {"accept": ReservationStatus.ACCEPTED, "accepted": ReservationStatus.ACCEPTED,
            "reject": ReservationStatus.REJECTED, "rejected": ReservationStatus.REJECTED}
SORTABLE: Sortable = {"dateCreated": models.Reservation.created_at, "dateUpdated": models.Reservation.updated_at,
                      "reservationStatus": models.Reservation.status}


def get(caller: Caller, sid: str) -> models.Reservation:
    return scope.get(models.Reservation, sid, caller.enterprise_sid)


def list_reservations(caller: Caller, params: ListParams, *, workspace_sid: str, task_sid: str, worker_sid: str,
                      status: str, task_channel: str = "") -> Page:
    R = models.Reservation
    query = R.select().where(R.enterprise_sid == caller.enterprise_sid)
    for column, value in ((R.workspace_sid, workspace_sid), (R.task_sid, task_sid), (R.worker_sid, worker_sid)):
        if value:
            query = query.where(column == scope.clean_sid(value))
    if status:
        wanted = statuses.parse(ReservationStatus, status)
        if wanted is None:
            raise invalid("reservationStatus", f"must be one of {', '.join(ReservationStatus)}")
        query = query.where(R.status == wanted)
    if task_channel.strip():
        query = query.where(R.task_channel_sid.in_(task_channels.filter_sids(caller, task_channel)))
    return paginate("/taskrouter/reservations/search", query, params, SORTABLE)


def _move_worker(env: Environment, reservation: models.Reservation, activity_sid: str | None,
                 pending: list[PendingEvent]) -> None:
    worker = models.Worker.get_or_none(models.Worker.sid == reservation.worker_sid)
    if worker is None or not activity_sid:
        return
    activity = models.Activity.get_or_none(models.Activity.sid == activity_sid)
    if activity is not None:
        activities.move_worker(env, worker, activity, pending)
        worker.save()


def _release_task(env: Environment, task_sid: str, pending: list[PendingEvent]) -> None:
    """Back to pending, in the same queue, once no offer of the task is left open."""
    still_offered = models.Reservation.select().where(
        (models.Reservation.task_sid == task_sid) & (models.Reservation.status == ReservationStatus.PENDING)).exists()
    task = models.Task.get_or_none(models.Task.sid == task_sid)
    if task is not None and task.status == TaskStatus.RESERVED and not still_offered:
        task.status = TaskStatus.PENDING
        task.updated_at = env.clock.now()
        task.save()
        pending.append(PendingEvent("task.updated", task, "Task returned to its queue",
                                    {"assignmentStatus": TaskStatus.PENDING}))


def close(env: Environment, reservation: models.Reservation, status: ReservationStatus, pending: list[PendingEvent],
          *, activity_sid: str | None = None) -> None:
    """Ends a pending reservation as rejected, timeout, canceled or rescinded: the worker goes to
    `activity_sid` if given, else back where the reservation found it; the task is released."""
    reservation.status = status
    reservation.updated_at = env.clock.now()
    reservation.save()
    _move_worker(env, reservation, activity_sid or reservation.previous_activity_sid, pending)
    pending.append(PendingEvent(f"reservation.{status}", reservation, f"Reservation {status}",
                                {"taskSid": reservation.task_sid, "workerSid": reservation.worker_sid}))
    _release_task(env, reservation.task_sid, pending)
    if reservation.transfer_sid:
        from taskrouter.server.routing import transfers  # a cycle: transfers imports this module

        transfers.offer_closed(env, reservation, pending)


def accept(env: Environment, reservation: models.Reservation, pending: list[PendingEvent]) -> None:
    task = models.Task.get(models.Task.sid == reservation.task_sid)
    warm = reservation.transfer_sid is not None and task.status == TaskStatus.ASSIGNED  # the first worker holds it
    if task.status != TaskStatus.RESERVED and not warm:
        raise TaskRouterError("INVALID_TRANSITION", task.sid, f"Task is {task.status}; it cannot be assigned")
    now = env.clock.now()
    reservation.status = ReservationStatus.ACCEPTED
    reservation.timeout_at = None
    reservation.updated_at = now
    reservation.save()
    if warm:
        release_worker(env, task, pending)
    task.status, task.worker_sid = TaskStatus.ASSIGNED, reservation.worker_sid
    task.target_expires_at, task.updated_at = None, now
    task.known_worker_sid = None
    if reservation.task_queue_sid and reservation.task_queue_sid != task.task_queue_sid:
        queue = models.TaskQueue.get_or_none(models.TaskQueue.sid == reservation.task_queue_sid)
        if queue is not None:
            task.task_queue_sid, task.task_queue_name = queue.sid, queue.name
    task.assigned_at = now
    pending.append(PendingEvent("reservation.accepted", reservation, "Reservation accepted",
                                {"taskSid": task.sid, "workerSid": reservation.worker_sid}))
    if reservation.transfer_sid:
        from taskrouter.server.routing import transfers  # a cycle: transfers imports this module

        transfers.offer_accepted(env, reservation, task, pending)
    task.save()
    others = models.Reservation.select().where(
        (models.Reservation.task_sid == task.sid) & (models.Reservation.status == ReservationStatus.PENDING))
    for other in others:
        close(env, other, ReservationStatus.RESCINDED, pending)
    queue = models.TaskQueue.get_or_none(models.TaskQueue.sid == reservation.task_queue_sid)
    if queue is not None and queue.assignment_activity_sid:
        _move_worker(env, reservation, queue.assignment_activity_sid, pending)


def update(env: Environment, caller: Caller, sid: str, status: str, worker_activity_sid: str | None
           ) -> models.Reservation:
    """accepted or rejected; only a pending reservation can be either (a late accept is a conflict)."""
    wanted = answer(status or "")
    if wanted is None:
        raise invalid("reservationStatus", "must be accepted or rejected")
    reservation = get(caller, sid)
    with write_transaction(locks.routing(reservation.workspace_sid)):
        reservation = get(caller, sid)
        apply(env, reservation, wanted, worker_activity_sid, caller.enterprise_sid)
    env.wake(reservation.workspace_sid)
    env.notify()
    return reservation


def answer(text: str) -> ReservationStatus | None:
    """accepted or rejected (also spelled accept, reject), as a worker answers an offer; else None."""
    return _ANSWERS.get(text.strip().lower())


def apply(env: Environment, reservation: models.Reservation, wanted: ReservationStatus,
          worker_activity_sid: str | None, enterprise_sid: str) -> None:
    """Accepts or rejects inside the caller's transaction (API calls and callback instructions)."""
    if reservation.status != ReservationStatus.PENDING:
        raise TaskRouterError("RESERVATION_NOT_PENDING", reservation.sid,
                              f"Reservation is {reservation.status}; only a pending reservation can be {wanted}")
    pending: list[PendingEvent] = []
    if wanted == ReservationStatus.ACCEPTED:
        accept(env, reservation, pending)
    else:
        activity = None
        if worker_activity_sid and worker_activity_sid.strip():
            activity = scope.get(models.Activity, worker_activity_sid, enterprise_sid,
                                 for_workspace=reservation.workspace_sid).sid
        close(env, reservation, ReservationStatus.REJECTED, pending, activity_sid=activity)
    events.record_many(env, reservation.workspace_sid, pending)


def end_for_task(env: Environment, task: models.Task, pending: list[PendingEvent]) -> None:
    """The task ends (canceled, completed, deleted): its offers are canceled, its accepted or
    wrapping reservation completes."""
    R = models.Reservation
    for reservation in R.select().where((R.task_sid == task.sid) & R.status.in_(ACTIVE_RESERVATION)):
        if reservation.status == ReservationStatus.PENDING:
            close(env, reservation, ReservationStatus.CANCELED, pending)
        else:
            _complete(env, reservation, pending)


def _complete(env: Environment, reservation: models.Reservation, pending: list[PendingEvent]) -> None:
    """An accepted or wrapping reservation is done: the worker's capacity is free again."""
    reservation.status = ReservationStatus.COMPLETED
    reservation.updated_at = env.clock.now()
    reservation.save()
    pending.append(PendingEvent("reservation.completed", reservation, "Reservation completed",
                                {"taskSid": reservation.task_sid, "workerSid": reservation.worker_sid}))
    models.Worker.update(idle_since=env.clock.now()).where(models.Worker.sid == reservation.worker_sid).execute()


def release_worker(env: Environment, task: models.Task, pending: list[PendingEvent]) -> models.Reservation | None:
    """Completes the accepted reservation of the task's current worker (a transfer hands the task
    on); returns it."""
    R = models.Reservation
    held = R.select().where((R.task_sid == task.sid) & (R.worker_sid == task.worker_sid)
                            & (R.status == ReservationStatus.ACCEPTED)).first()
    if held is not None:
        _complete(env, held, pending)
    return held


def wrap_up_for_task(env: Environment, task: models.Task, pending: list[PendingEvent]) -> None:
    """The task's accepted reservation wraps up with it (and keeps holding the capacity)."""
    R = models.Reservation
    for reservation in R.select().where((R.task_sid == task.sid) & (R.status == ReservationStatus.ACCEPTED)):
        reservation.status = ReservationStatus.WRAPPING
        reservation.updated_at = env.clock.now()
        reservation.save()
        pending.append(PendingEvent("reservation.wrapup", reservation, "Reservation wrapping up",
                                    {"taskSid": task.sid, "workerSid": reservation.worker_sid}))


def rescind_for_worker(env: Environment, worker: models.Worker) -> None:
    pending: list[PendingEvent] = []
    rescind_pending(env, worker, pending)
    events.record_many(env, worker.workspace_sid, pending)


def rescind_pending(env: Environment, worker: models.Worker, pending: list[PendingEvent]) -> None:
    """Rescinds the worker's pending reservations (its tasks go back to their queues)."""
    R = models.Reservation
    for reservation in R.select().where((R.worker_sid == worker.sid) & (R.status == ReservationStatus.PENDING)):
        close(env, reservation, ReservationStatus.RESCINDED, pending)


def new_reservation(task: models.Task, worker: models.Worker, now: float, timeout: int | None,
                    previous_activity_sid: str | None, *, task_queue_sid: str | None = None) -> dict:
    """A row for insert_many by the matcher (a warm transfer's offer names the target queue)."""
    return {
        "sid": sids.new_sid(sids.RESERVATION), "enterprise_sid": task.enterprise_sid,
        "workspace_sid": task.workspace_sid, "account_email": task.account_email, "created_at": now,
        "updated_at": now, "task_sid": task.sid, "worker_sid": worker.sid, "worker_name": worker.name,
        "task_queue_sid": task_queue_sid or task.task_queue_sid or "", "workflow_sid": task.workflow_sid or "",
        "task_channel_sid": task.task_channel_sid, "transfer_sid": task.transfer_sid,
        "status": ReservationStatus.PENDING if timeout is not None else ReservationStatus.ACCEPTED,
        "timeout_at": now + timeout if timeout is not None else None,
        "previous_activity_sid": previous_activity_sid,
    }
