"""The per-process routing loop: runs a matching pass for every workspace that changed (woken
by the API calls that changed it, so a task is offered at once) and fires due timers. A slow
sweep every second catches what other processes changed and timers of crashed ones."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import peewee as pw

from taskrouter.server.routing import matching, timers
from taskrouter.server.routing.backoff import Backoff
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.statuses import TaskStatus, TransferStatus
from taskrouter.server.store import db, models
from taskrouter.server.store.availability import DatabaseUnavailable
from taskrouter.server.store.rows import tuples

log = logging.getLogger(__name__)
SWEEP_SECONDS = 1.0
TIMER_CHECK_SECONDS = 0.05  # how often the earliest timer is read again (timers set since then fire this late at most)


class Dispatcher:
    def __init__(self, env: Environment, sweeps: Iterable[Callable[[], set[str]]] = ()):
        self.env = env
        # More slow sweeps (presence): each returns the workspaces it changed, to match again.
        self.sweeps = list(sweeps)
        self._dirty: dict[str, set[str] | None] = {}  # workspace -> the queues to look at (None: all)
        # Workspaces whose last check found no free worker: a new task there (a wake for its queue
        # only) cannot be offered; any other change (a wake for all queues, the sweep) looks again.
        self._no_free_worker: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dispatcher", daemon=True)
        # An outage backs the whole loop off; any other failure stays with what failed, a
        # workspace's pass or one timer, retried with backoff of its own (backoff.py).
        self._failures = db.LoopFailures("routing loop", log, env.store.availability, wake=self._wake)
        self._failed_passes = Backoff("matching pass")
        self._failed_timers = Backoff("timer")

    def start(self) -> None:
        self._thread.start()

    def wake(self, workspace_sid: str, queue_sid: str | None = None) -> None:
        with self._lock:
            if queue_sid is None:
                self._dirty[workspace_sid] = None
            elif workspace_sid not in self._dirty:
                self._dirty[workspace_sid] = {queue_sid}
            elif (queues := self._dirty[workspace_sid]) is not None:
                queues.add(queue_sid)
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _sweep(self) -> set[str]:
        """Workspaces with a task waiting in a queue or a transfer under way (indexed EXISTS each,
        not a scan of tasks)."""
        T, W, TT = models.Task, models.Workspace, models.Transfer
        waiting = T.select(T.id).where((T.workspace_sid == W.sid) & (T.status == TaskStatus.PENDING)
                                       & T.task_queue_sid.is_null(False))
        transferring = TT.select(TT.id).where((TT.workspace_sid == W.sid) & (TT.status == TransferStatus.INITIATED))
        return {sid for (sid,) in tuples(W.select(W.sid).where(pw.fn.EXISTS(waiting) | pw.fn.EXISTS(transferring)))}

    def _run(self) -> None:
        self.env.store.activate()
        next_sweep = next_check = previous = 0.0
        due: float | None = None
        while not self._stop.is_set():
            self._wake.clear()  # before taking the dirty set, so no wake-up is lost
            try:
                now = self.env.clock.now()
                if now < previous:  # the clock was set back: what was due "later" may be due now
                    next_sweep = next_check = now
                    due = None
                previous = now
                with self._lock:
                    dirty, self._dirty = self._dirty, {}
                dirty.update(dict.fromkeys(self._failed_passes.due(now)))
                if now >= next_sweep:
                    dirty.update(dict.fromkeys(self._sweep()))
                    for sweep in self.sweeps:
                        dirty.update(dict.fromkeys(sweep()))
                    next_sweep = now + SWEEP_SECONDS
                if now >= next_check or (due is not None and now >= due):
                    if due is not None and now >= due:
                        self.env.observe.timer_fired(due, now)
                    due = timers.next_due()
                    if due is not None and due <= self.env.clock.now():  # (else none is due: no reads for them)
                        dirty.update(dict.fromkeys(timers.fire_due(self.env, self._failed_timers)))
                        due = timers.next_due()
                    next_check = now + TIMER_CHECK_SECONDS
                for workspace_sid, queue_sids in dirty.items():
                    if self._failed_passes.waiting(workspace_sid, now):
                        continue
                    try:
                        self._pass(workspace_sid, queue_sids)
                    except DatabaseUnavailable:
                        raise  # an outage: the whole loop backs off
                    except Exception:  # noqa: BLE001 - this workspace only; the others go on
                        self._failed_passes.failed(workspace_sid, self.env.clock.now())
                    else:
                        self._failed_passes.succeeded(workspace_sid)
                if dirty:
                    self.env.notify(dirty)
                wake_at = [t for t in (next_sweep, next_check, due, self._failed_passes.next_retry(),
                                       self._failed_timers.next_retry()) if t is not None]
                wait = min(wake_at) - self.env.clock.now()
                self._failures.succeeded()
            except Exception as exc:  # noqa: BLE001 - an outage, or the sweep or timer reads fail
                self.env.observe.failed("dispatcher", exc)
                wait = self._failures.failed(exc)
            if wait > 0:
                self._wake.wait(min(wait, SWEEP_SECONDS))

    def _pass(self, workspace_sid: str, queue_sids: set[str] | None) -> None:
        if queue_sids is not None and workspace_sid in self._no_free_worker:
            return
        why = matching.blocked(workspace_sid)
        if why == matching.NO_WORKER:
            self._no_free_worker.add(workspace_sid)
        else:
            self._no_free_worker.discard(workspace_sid)
        if why is not None:
            return
        with self.env.observe.matching_pass(workspace_sid):
            offers, more = matching.match_workspace(self.env, workspace_sid, queue_sids)
        if offers and more:  # a pass looks at a bounded part of each queue: look again
            for queue_sid in queue_sids or (None,):
                self.wake(workspace_sid, queue_sid)
