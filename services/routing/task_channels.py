"""Task channels: the kinds of work (voice, chat, ...) a workspace routes. Every workspace starts
with the default ones; each worker has a worker channel (capacity, availability) per channel."""

from __future__ import annotations

from collections.abc import Iterable

from taskrouter.server import sids
from taskrouter.server.errors import TaskRouterError, invalid, missing
from taskrouter.server.routing import events, locks, scope, worker_channels
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.routing.listing import ListParams, Page, Sortable, by_name_and_time, paginate
from taskrouter.server.routing.statuses import LIVE_TASK
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, Prepared

TC = models.TaskChannel
DEFAULT = models.DEFAULT_TASK_CHANNELS[0][0]
MAX_UNIQUE_NAME = 64
SORTABLE: Sortable = {"dateCreated": TC.created_at, "dateUpdated": TC.updated_at, "name": TC.name,
                      "uniqueName": TC.unique_name}

_BY_UNIQUE_NAME = Prepared(lambda: TC.select(TC.sid, TC.unique_name).where(
    (TC.workspace_sid == Arg("workspace_sid")) & (TC.unique_name == Arg("unique_name"))).limit(1))
_BY_SID = Prepared(lambda: TC.select(TC.sid, TC.unique_name).where(
    (TC.workspace_sid == Arg("workspace_sid")) & (TC.sid == Arg("sid"))).limit(1))


def _unique_name(value: str | None) -> str:
    name = (value or "").strip()
    if not name:
        raise missing("uniqueName")
    if len(name) > MAX_UNIQUE_NAME:
        raise invalid("uniqueName", f"must be at most {MAX_UNIQUE_NAME} characters")
    return scope.text(name, "uniqueName")


def resolve(workspace_sid: str, channel: str | None) -> models.TaskChannel:
    """A channel of the workspace by uniqueName or TC SID; None or blank is `default`. Unknown:
    TASK_CHANNEL_NOT_FOUND."""
    wanted = scope.clean_sid(channel) or DEFAULT
    statement = _BY_SID if wanted.startswith(sids.TASK_CHANNEL) and len(wanted) == 34 else _BY_UNIQUE_NAME
    row = statement.first(workspace_sid=workspace_sid, sid=wanted, unique_name=wanted)
    if row is None:
        raise TaskRouterError("TASK_CHANNEL_NOT_FOUND", wanted)
    return row


def filter_sids(caller: Caller, channel: str) -> list[str]:
    """The SIDs of the caller's channels a list filter names (by uniqueName or SID): one per workspace."""
    wanted = scope.clean_sid(channel)
    query = TC.select(TC.sid).where((TC.enterprise_sid == caller.enterprise_sid)
                                    & ((TC.sid == wanted) | (TC.unique_name == wanted)))
    return [row.sid for row in query]


def create_defaults(env: Environment, workspace: models.Workspace, email: str) -> None:
    """The channels of a new workspace (inside its creating transaction)."""
    now = env.clock.now()
    TC.insert_many([{"sid": sids.new_sid(sids.TASK_CHANNEL), "enterprise_sid": workspace.enterprise_sid,
                     "workspace_sid": workspace.sid, "name": name, "unique_name": unique_name,
                     "account_email": email, "created_at": now, "updated_at": now}
                    for unique_name, name in models.DEFAULT_TASK_CHANNELS]).execute()


def create(env: Environment, caller: Caller, workspace_sid: str, name: str, unique_name: str) -> models.TaskChannel:
    if not scope.clean_sid(workspace_sid):
        raise missing("workspaceSid")
    name = scope.require_name(name)
    unique_name = _unique_name(unique_name)
    now = env.clock.now()
    with write_transaction(lock_key=scope.clean_sid(workspace_sid)):
        workspace = scope.get(models.Workspace, workspace_sid, caller.enterprise_sid)
        _ensure_unique(workspace.sid, unique_name)
        channel = TC(sid=sids.new_sid(sids.TASK_CHANNEL), enterprise_sid=workspace.enterprise_sid,
                     workspace_sid=workspace.sid, name=name, unique_name=unique_name, account_email=caller.email,
                     created_at=now, updated_at=now)
        scope.save_unique(channel, force_insert=True)
        worker_channels.create_for_channel(env, channel)
        events.record(env, workspace, "task-channel.created", channel, f"TaskChannel {unique_name} created",
                      uniqueName=unique_name, name=name)
    env.notify()
    return channel


def _ensure_unique(workspace_sid: str, unique_name: str, exclude_sid: str = "") -> None:
    query = TC.select(TC.id).where((TC.workspace_sid == workspace_sid) & (TC.unique_name == unique_name))
    if exclude_sid:
        query = query.where(TC.sid != exclude_sid)
    if query.exists():
        raise TaskRouterError("TASK_CHANNEL_NOT_UNIQUE", unique_name)


def get(caller: Caller, sid: str) -> models.TaskChannel:
    return scope.get(TC, sid, caller.enterprise_sid)


def unique_names(sids: Iterable[str | None]) -> dict[str, str]:
    """The unique name of each of these channels by SID (empty ones skipped), for naming a
    reservation's or worker channel's channel."""
    wanted = [s for s in set(sids) if s]
    if not wanted:
        return {}
    return {c.sid: c.unique_name for c in TC.select(TC.sid, TC.unique_name).where(TC.sid.in_(wanted))}


def list_channels(caller: Caller, params: ListParams, workspace_sid: str, unique_name: str) -> Page:
    query = by_name_and_time(scope.owned(TC, caller.enterprise_sid, workspace_sid), params)
    if unique_name.strip():
        query = query.where(TC.unique_name == scope.text(unique_name.strip(), "uniqueName"))
    return paginate("/taskrouter/taskchannels/search", query, params, SORTABLE)


def update(env: Environment, caller: Caller, sid: str, *, name: str | None,
           unique_name: str | None) -> models.TaskChannel:
    channel = get(caller, sid)
    with write_transaction(lock_key=channel.workspace_sid):
        channel = get(caller, sid)
        changed = {}
        if name is not None:
            channel.name = changed["name"] = scope.require_name(name)
        if unique_name is not None and _unique_name(unique_name) != channel.unique_name:
            channel.unique_name = changed["uniqueName"] = _unique_name(unique_name)
            _ensure_unique(channel.workspace_sid, channel.unique_name, channel.sid)
            models.Task.update(task_channel=channel.unique_name).where(
                models.Task.task_channel_sid == channel.sid).execute()
        channel.updated_at = env.clock.now()
        scope.save_unique(channel)
        if changed:
            events.record(env, channel.workspace_sid, "task-channel.updated", channel,
                          f"TaskChannel {channel.unique_name} updated", **changed)
    env.notify()
    return channel


def delete(env: Environment, caller: Caller, sid: str) -> models.TaskChannel:
    """Refused while a live task uses the channel; its worker channels go with it."""
    channel = get(caller, sid)
    # The structure lock, exclusive: no task being created can pick the channel meanwhile.
    with write_transaction(locks.routing(channel.workspace_sid),
                           exclusive_keys=(locks.structure(channel.workspace_sid),)):
        channel = get(caller, sid)
        live = models.Task.select(models.Task.sid).where(
            (models.Task.task_channel_sid == channel.sid) & models.Task.status.in_(LIVE_TASK)).first()
        if live is not None:
            raise TaskRouterError("INVALID_TRANSITION", channel.sid,
                                  f"TaskChannel {channel.unique_name!r} is used by live task {live.sid}")
        models.WorkerChannel.delete().where(models.WorkerChannel.task_channel_sid == channel.sid).execute()
        channel.delete_instance()
        events.record(env, channel.workspace_sid, "task-channel.deleted", channel,
                      f"TaskChannel {channel.unique_name} deleted")
    env.notify()
    return channel
