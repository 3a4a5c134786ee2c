"""Transfers: an assigned task handed from its worker to another worker (offered to that worker
only) or to a queue.

Cold: the first worker's reservation completes at once (freeing the capacity) and the task is
pending again, in the target queue or restricted to the target worker; the transfer completes
when a reservation of it is accepted. A cold transfer to a worker who rejects or lets the offer
time out fails, and the task is routed again through its workflow.
Warm: the first worker keeps the task while the matcher offers it to the target (a reservation
that names the transfer); accepting it completes the first worker's reservation and the
transfer; a reject or timeout fails the transfer and the task stays with the first worker."""

from __future__ import annotations

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import events, reservations, scope, statuses
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, paginate
from taskrouter.server.routing.statuses import REFUSED_RESERVATION, ReservationStatus, TaskStatus, TransferStatus
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

TT = models.Transfer
MODES = ("cold", "warm")
SORTABLE: Sortable = {"dateCreated": TT.created_at, "dateUpdated": TT.updated_at, "transferStatus": TT.status}


def _data(transfer: models.Transfer, **more) -> dict:
    return {"transferSid": transfer.sid, "from": transfer.from_worker_sid, "to": transfer.to_sid,
            "mode": transfer.mode, **more}


def create(env: Environment, caller: Caller, task_sid: str, to: str, mode: str) -> models.Transfer:
    if not scope.clean_sid(task_sid):
        raise missing("taskSid")
    target_sid = scope.clean_sid(to)
    if not target_sid:
        raise missing("to")
    mode = (mode or "cold").strip().lower()
    if mode not in MODES:
        raise invalid("mode", "must be cold or warm")
    if not target_sid.startswith((sids.WORKER, sids.TASK_QUEUE)):
        raise invalid("to", "must be a worker SID (WK...) or a task queue SID (TQ...)")
    task = scope.get(models.Task, task_sid, caller.enterprise_sid)
    with write_transaction(lock_key=task.workspace_sid):
        task = scope.get(models.Task, task_sid, caller.enterprise_sid)
        if task.status != TaskStatus.ASSIGNED:
            raise TaskRouterError("INVALID_TRANSITION", task.sid,
                                  f"Task is {task.status}; only an assigned task can be transferred")
        if task.transfer_sid is not None:
            raise TaskRouterError("INVALID_TRANSITION", task.sid,
                                  f"Task is already being transferred ({task.transfer_sid})")
        model: type[models.Worker | models.TaskQueue] = (models.Worker if target_sid.startswith(sids.WORKER)
                                                          else models.TaskQueue)
        target = scope.get(model, target_sid, caller.enterprise_sid, for_workspace=task.workspace_sid)
        if target.sid == task.worker_sid:
            raise invalid("to", "the task's own worker already holds it")
        held = models.Reservation.select().where((models.Reservation.task_sid == task.sid)
                                                 & (models.Reservation.status == ReservationStatus.ACCEPTED)).first()
        now = env.clock.now()
        transfer = TT.create(sid=sids.new_sid(sids.TRANSFER), enterprise_sid=task.enterprise_sid,
                             workspace_sid=task.workspace_sid, task_sid=task.sid, from_worker_sid=task.worker_sid,
                             from_reservation_sid=held.sid if held else "", to_sid=target.sid, mode=mode,
                             status=TransferStatus.INITIATED, account_email=caller.email, created_at=now,
                             updated_at=now)
        pending = [PendingEvent("task.transfer-initiated", task,
                                f"Task {mode} transfer to {target.sid} initiated", _data(transfer))]
        task.transfer_sid, task.updated_at = transfer.sid, now
        if mode == "cold":
            _hand_over(env, task, target, pending)
        task.save()
        events.record_many(env, task.workspace_sid, pending)
    env.wake(task.workspace_sid)
    env.notify()
    return transfer


def _hand_over(env: Environment, task: models.Task, target: models.Worker | models.TaskQueue,
               pending: list[PendingEvent]) -> None:
    """Cold: the first worker is done with the task, which waits for the target."""
    reservations.release_worker(env, task, pending)
    now = env.clock.now()
    previous = task.task_queue_sid
    if isinstance(target, models.TaskQueue):
        task.task_queue_sid, task.task_queue_name, task.known_worker_sid = target.sid, target.name, None
    else:
        task.known_worker_sid = target.sid
    task.status, task.worker_sid, task.queue_entered_at, task.updated_at = TaskStatus.PENDING, None, now, now
    task.target_index = task.target_expires_at = None  # out of its workflow's steps: no target timeout
    kind = "task-queue.moved" if previous != task.task_queue_sid else "task-queue.entered"
    pending.append(PendingEvent(kind, task, f"Task entered queue {task.task_queue_name}",
                                {"taskQueueSid": task.task_queue_sid, "taskQueueName": task.task_queue_name,
                                 "previousTaskQueueSid": previous, "knownWorkerSid": task.known_worker_sid}))


def _finish(env: Environment, transfer: models.Transfer, status: TransferStatus, reason: str | None, task: models.Task,
            pending: list[PendingEvent]) -> None:
    """Ends the transfer; the caller saves the task."""
    transfer.status, transfer.reason, transfer.updated_at = status, reason, env.clock.now()
    transfer.save()
    task.transfer_sid = None
    pending.append(PendingEvent(f"task.transfer-{status}", task,
                                f"Task transfer {status}" + (f": {reason}" if reason else ""),
                                _data(transfer, reason=reason)))


def offer_accepted(env: Environment, reservation: models.Reservation, task: models.Task,
                   pending: list[PendingEvent]) -> None:
    """A reservation of the transfer was accepted: the transfer is complete."""
    transfer = TT.get_or_none(TT.sid == reservation.transfer_sid)
    if transfer is not None and transfer.status == TransferStatus.INITIATED:
        transfer.reservation_sid = reservation.sid
        _finish(env, transfer, TransferStatus.COMPLETED, None, task, pending)


def offer_closed(env: Environment, reservation: models.Reservation, pending: list[PendingEvent]) -> None:
    """A reservation of the transfer ended unaccepted. Rejected or timed out: a warm transfer, or a
    cold one to a worker, fails (a cold transfer to a queue goes on with the queue's other workers).
    Canceled or rescinded: the task ended or another worker took it; that decides the transfer."""
    transfer = TT.get_or_none(TT.sid == reservation.transfer_sid)
    if (transfer is None or transfer.status != TransferStatus.INITIATED
            or reservation.status not in REFUSED_RESERVATION):
        return
    to_queue = transfer.to_sid.startswith(sids.TASK_QUEUE)
    if transfer.mode == "cold" and to_queue:
        return
    task = models.Task.get(models.Task.sid == transfer.task_sid)
    transfer.reservation_sid = reservation.sid
    _finish(env, transfer, TransferStatus.FAILED, f"Reservation {reservation.status}", task, pending)
    if transfer.mode == "cold":
        _reroute(env, task, pending)
    task.save()


def _reroute(env: Environment, task: models.Task, pending: list[PendingEvent]) -> None:
    """A failed or canceled cold transfer: the task goes through its workflow again."""
    from taskrouter.server.routing import tasks  # a cycle: tasks imports this module

    task.known_worker_sid = None
    if task.status == TaskStatus.PENDING:
        tasks.route(env, task, models.Workflow.get_or_none(models.Workflow.sid == task.workflow_sid), pending)


def end_for_task(env: Environment, task: models.Task, reason: str, pending: list[PendingEvent]) -> None:
    """The task ends (completed, canceled, deleted) while a transfer of it is initiated: the
    transfer is canceled; the caller saves the task."""
    transfer = TT.get_or_none(TT.sid == task.transfer_sid) if task.transfer_sid else None
    if transfer is not None and transfer.status == TransferStatus.INITIATED:
        _finish(env, transfer, TransferStatus.CANCELED, reason, task, pending)


def get(caller: Caller, sid: str) -> models.Transfer:
    return scope.get(TT, sid, caller.enterprise_sid)


def list_transfers(caller: Caller, params: ListParams, *, workspace_sid: str, task_sid: str, status: str) -> Page:
    query = TT.select().where(TT.enterprise_sid == caller.enterprise_sid)
    for column, value in ((TT.workspace_sid, workspace_sid), (TT.task_sid, task_sid)):
        if value.strip():
            query = query.where(column == scope.clean_sid(value))
    if status.strip():
        wanted = statuses.parse(TransferStatus, status)
        if wanted is None:
            raise invalid("transferStatus", f"must be one of {', '.join(TransferStatus)}")
        query = query.where(TT.status == wanted)
    return paginate("/taskrouter/transfers/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, status: str) -> models.Transfer:
    """Cancels an initiated transfer: a warm one's open offer is canceled (the task stays with its
    worker); a cold one's task goes through its workflow again."""
    if statuses.parse(TransferStatus, status or "") != TransferStatus.CANCELED:
        raise invalid("transferStatus", "can only be set to canceled")
    transfer = get(caller, sid)
    with write_transaction(lock_key=transfer.workspace_sid):
        transfer = get(caller, sid)
        if transfer.status != TransferStatus.INITIATED:
            raise TaskRouterError("INVALID_TRANSITION", transfer.sid,
                                  f"Transfer is {transfer.status}; only an initiated transfer can be canceled")
        task = models.Task.get(models.Task.sid == transfer.task_sid)
        pending: list[PendingEvent] = []
        _finish(env, transfer, TransferStatus.CANCELED, "Canceled by API", task, pending)
        task.save()
        R = models.Reservation
        for offer in R.select().where((R.transfer_sid == transfer.sid) & (R.status == ReservationStatus.PENDING)):
            reservations.close(env, offer, ReservationStatus.CANCELED, pending)
        if transfer.mode == "cold":
            task = models.Task.get(models.Task.sid == transfer.task_sid)
            _reroute(env, task, pending)
            task.save()
        events.record_many(env, transfer.workspace_sid, pending)
    env.wake(transfer.workspace_sid)
    env.notify()
    return transfer
