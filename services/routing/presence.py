"""Presence: a worker is connected while one of its worker streams is open on any node. When the
last one has been closed for the workspace's disconnectGraceSeconds, the worker's pending
reservations are rescinded and it moves to the workspace's disconnectActivitySid (event
`worker.disconnected`).

Every open stream is a leased row in the database (models.WorkerConnection): its node renews the
lease while the stream is open and ends it at the closing moment; a node that dies stops renewing,
and its streams count as closed when their leases run out. So any node can decide, from the
database alone, that a worker is gone; the decision is taken under the workspace's write lock, so
two nodes never both act on it."""

from __future__ import annotations

import logging
import threading
import uuid

import peewee as pw

from taskrouter.server.routing import activities, events, reservations
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.events import PendingEvent
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.rows import tuples

log = logging.getLogger(__name__)

LEASE_SECONDS = 15.0  # a crashed node's streams count as closed this long after its last renewal
RENEW_SECONDS = 5.0
DEFAULT_GRACE_SECONDS = 30
MAX_GRACE_SECONDS = 86400
C = models.WorkerConnection


class Presence:
    """This node's open worker streams, and the sweep that disconnects workers (any node's)."""

    def __init__(self, env: Environment, *, lease_seconds: float = LEASE_SECONDS,
                 renew_seconds: float = RENEW_SECONDS):
        self.env = env
        self.node = uuid.uuid4().hex
        self.lease_seconds = lease_seconds
        self.renew_seconds = renew_seconds
        self._open: set[int] = set()
        self._lock = threading.Lock()
        self._next_renewal = 0.0

    def opened(self, worker: models.Worker) -> int:
        """Records a stream of `worker` opening on this node; returns its connection id."""
        with write_transaction():
            row = C.create(worker_sid=worker.sid, workspace_sid=worker.workspace_sid, node=self.node,
                           lease_until=self.env.clock.now() + self.lease_seconds)
        with self._lock:
            self._open.add(row.id)
        return row.id

    def closed(self, connection_id: int) -> None:
        """The stream ended: its lease ends now (the grace period starts when the worker's last one does)."""
        with self._lock:
            if connection_id not in self._open:
                return
            self._open.discard(connection_id)
        try:
            with write_transaction():
                C.update(lease_until=self.env.clock.now()).where(C.id == connection_id).execute()
        except pw.DatabaseError:  # the lease then runs out by itself
            log.warning("could not end the lease of worker stream %s", connection_id, exc_info=True)

    def sweep(self) -> set[str]:
        """Renews this node's leases when due, then disconnects every worker whose streams have all
        been closed for its workspace's grace period. Returns the workspaces that changed."""
        now = self.env.clock.now()
        if now >= self._next_renewal:
            self._renew(now)
            self._next_renewal = now + self.renew_seconds
        changed: set[str] = set()
        for workspace_sid, worker_sids in _overdue(now).items():
            with write_transaction(lock_key=workspace_sid):
                if _disconnect(self.env, workspace_sid, worker_sids):
                    changed.add(workspace_sid)
        if changed:
            self.env.notify(changed)
        return changed

    def _renew(self, now: float) -> None:
        with self._lock:
            ids = sorted(self._open)
        if not ids:
            return
        with write_transaction():
            for start in range(0, len(ids), 500):
                C.update(lease_until=now + self.lease_seconds).where(C.id.in_(ids[start:start + 500])).execute()


def _overdue(now: float) -> dict[str, list[str]]:
    """Workers whose every stream has been closed for their workspace's grace period, by workspace."""
    W = models.Workspace
    last = pw.fn.MAX(C.lease_until)
    query = (C.select(C.workspace_sid, C.worker_sid)
             .join(W, on=(W.sid == C.workspace_sid))
             .group_by(C.workspace_sid, C.worker_sid, W.disconnect_grace_seconds)
             .having(last + W.disconnect_grace_seconds <= now))
    found: dict[str, list[str]] = {}
    for workspace_sid, worker_sid in tuples(query):
        found.setdefault(workspace_sid, []).append(worker_sid)
    # Streams of deleted workspaces: nothing to move, only rows to drop.
    orphans = C.select(C.workspace_sid).where(C.workspace_sid.not_in(W.select(W.sid)))
    for (workspace_sid,) in tuples(orphans.distinct()):
        found.setdefault(workspace_sid, [])
    return found


def _disconnect(env: Environment, workspace_sid: str, worker_sids: list[str]) -> bool:
    """Inside the workspace's write lock: checks again (the worker may have come back, another node
    may have acted), then rescinds, moves and records. Returns whether anything was recorded."""
    now = env.clock.now()
    workspace = models.Workspace.get_or_none(models.Workspace.sid == workspace_sid)
    if workspace is None:
        C.delete().where(C.workspace_sid == workspace_sid).execute()
        return False
    activity = (models.Activity.get_or_none(models.Activity.sid == workspace.disconnect_activity_sid)
                if workspace.disconnect_activity_sid else None)
    pending: list[PendingEvent] = []
    for worker_sid in worker_sids:
        last = C.select(pw.fn.MAX(C.lease_until)).where(C.worker_sid == worker_sid).scalar()
        if last is None or last + workspace.disconnect_grace_seconds > now:
            continue
        C.delete().where(C.worker_sid == worker_sid).execute()
        worker = models.Worker.get_or_none(models.Worker.sid == worker_sid)
        if worker is None or activity is None:
            continue  # presence is off for the workspace, or the worker is gone: only forget the streams
        reservations.rescind_pending(env, worker, pending)
        worker = models.Worker.get(models.Worker.sid == worker_sid)  # rescinding may have moved it back
        activities.move_worker(env, worker, activity, pending)
        worker.save()
        pending.append(PendingEvent("worker.disconnected", worker, f"Worker {worker.name} disconnected",
                                    {"activitySid": activity.sid, "activityName": activity.name,
                                     "graceSeconds": workspace.disconnect_grace_seconds}))
    events.record_many(env, workspace_sid, pending)
    return bool(pending)
