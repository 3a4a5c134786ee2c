"""Worker channels: a worker's capacity and availability per task channel. One exists for every
worker and every channel of a workspace: made with the worker and with the channel, gone with
either. The worker's own `capacity` is the capacity of its `default` worker channel."""

from __future__ import annotations

from taskrouter.server import sids
from taskrouter.server.errors import invalid
from taskrouter.server.routing import events, scope
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.routing.listing import ListParams, Page, Sortable, paginate
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

WC, TC = models.WorkerChannel, models.TaskChannel
MAX_CAPACITY = 50
SORTABLE: Sortable = {"dateCreated": WC.created_at, "dateUpdated": WC.updated_at,
                      "taskChannelUniqueName": TC.unique_name}


def _row(worker: models.Worker, channel: models.TaskChannel, now: float) -> dict:
    return {"sid": sids.new_sid(sids.WORKER_CHANNEL), "enterprise_sid": worker.enterprise_sid,
            "workspace_sid": worker.workspace_sid, "worker_sid": worker.sid, "task_channel_sid": channel.sid,
            "capacity": worker.capacity if channel.unique_name == "default" else 1, "available": True,
            "account_email": worker.account_email, "created_at": now, "updated_at": now}


def create_for_worker(env: Environment, worker: models.Worker) -> None:
    channels = TC.select(TC.sid, TC.unique_name).where(TC.workspace_sid == worker.workspace_sid)
    rows = [_row(worker, channel, env.clock.now()) for channel in channels]
    if rows:
        WC.insert_many(rows).execute()


def create_for_channel(env: Environment, channel: models.TaskChannel) -> None:
    workers = models.Worker.select().where(models.Worker.workspace_sid == channel.workspace_sid)
    rows = [_row(worker, channel, env.clock.now()) for worker in workers]
    for start in range(0, len(rows), 200):
        WC.insert_many(rows[start:start + 200]).execute()


def forget_worker(worker_sid: str) -> None:
    WC.delete().where(WC.worker_sid == worker_sid).execute()


def set_default_capacity(env: Environment, worker: models.Worker) -> None:
    """The worker's `capacity` changed: its default channel follows."""
    default = TC.select(TC.sid).where((TC.workspace_sid == worker.workspace_sid) & (TC.unique_name == "default"))
    WC.update(capacity=worker.capacity, updated_at=env.clock.now()).where(
        (WC.worker_sid == worker.sid) & WC.task_channel_sid.in_(default)).execute()


def get(caller: Caller, sid: str) -> models.WorkerChannel:
    return scope.get(WC, sid, caller.enterprise_sid)


def list_worker_channels(caller: Caller, params: ListParams, *, workspace_sid: str, worker_sid: str,
                         task_channel: str, available: bool | None) -> Page:
    from taskrouter.server.routing import task_channels  # a cycle: task_channels imports this module

    query = WC.select(WC).join(TC, on=(TC.sid == WC.task_channel_sid)).where(WC.enterprise_sid == caller.enterprise_sid)
    for column, value in ((WC.workspace_sid, workspace_sid), (WC.worker_sid, worker_sid)):
        if value.strip():
            query = query.where(column == scope.clean_sid(value))
    if task_channel.strip():
        query = query.where(WC.task_channel_sid.in_(task_channels.filter_sids(caller, task_channel)))
    if available is not None:
        query = query.where(WC.available == available)
    return paginate("/taskrouter/workerchannels/search", query, params, SORTABLE, "dateCreated:asc")


def update(env: Environment, caller: Caller, sid: str, *, capacity: int | None,
           available: bool | None) -> models.WorkerChannel:
    if capacity is not None and not 0 <= capacity <= MAX_CAPACITY:
        raise invalid("capacity", f"must be between 0 and {MAX_CAPACITY}")
    row = get(caller, sid)
    with write_transaction(lock_key=row.workspace_sid):
        row = get(caller, sid)
        channel = TC.get_or_none(TC.sid == row.task_channel_sid)
        unique_name = channel.unique_name if channel else ""
        pending: list[PendingEvent] = []
        now = env.clock.now()
        if capacity is not None and capacity != row.capacity:
            row.capacity = capacity
            pending.append(PendingEvent("worker.channel.capacity.update", row,
                                        f"Worker channel {unique_name} capacity updated",
                                        {"workerSid": row.worker_sid, "taskChannelUniqueName": unique_name,
                                         "configuredCapacity": capacity}))
            if unique_name == "default":
                models.Worker.update(capacity=capacity, updated_at=now).where(
                    models.Worker.sid == row.worker_sid).execute()
        if available is not None and available != row.available:
            row.available = available
            pending.append(PendingEvent("worker.channel.availability.update", row,
                                        f"Worker channel {unique_name} {'available' if available else 'unavailable'}",
                                        {"workerSid": row.worker_sid, "taskChannelUniqueName": unique_name,
                                         "available": available}))
        row.updated_at = now
        row.save()
        events.record_many(env, row.workspace_sid, pending)
    env.wake(row.workspace_sid)
    env.notify()
    return row
