"""The per-process routing loop: runs a matching pass for every workspace that changed (woken
by the API calls that changed it, so a task is offered at once) and fires due timers. A slow
sweep every second catches what other processes changed and timers of crashed ones."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import peewee as pw

from taskrouter.server.routing import matching, timers
from taskrouter.server.routing.context import Environment
from taskrouter.server.store import models

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

    def start(self) -> None:
        self._thread.start()

    def wake(self, workspace_sid: str, queue_sid: str | None = None) -> None:
        with self._lock:
            if queue_sid is None:
                self._dirty[workspace_sid] = None
            elif workspace_sid not in self._dirty:
                self._dirty[workspace_sid] = {queue_sid}
            elif self._dirty[workspace_sid] is not None:
                self._dirty[workspace_sid].add(queue_sid)
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _sweep(self) -> set[str]:
        """Workspaces with a task waiting in a queue (one indexed EXISTS each, not a scan of tasks)."""
        T, W = models.Task, models.Workspace
        waiting = T.select(T.id).where((T.workspace_sid == W.sid) & (T.status == "pending")
                                       & T.task_queue_sid.is_null(False))
        return {sid for (sid,) in W.select(W.sid).where(pw.fn.EXISTS(waiting)).tuples()}

    def _run(self) -> None:
        next_sweep = next_check = 0.0
        due: float | None = None
        while not self._stop.is_set():
            self._wake.clear()  # before taking the dirty set, so no wake-up is lost
            try:
                now = self.env.clock.now()
                with self._lock:
                    dirty, self._dirty = self._dirty, {}
                if now >= next_sweep:
                    dirty.update(dict.fromkeys(self._sweep()))
                    for sweep in self.sweeps:
                        dirty.update(dict.fromkeys(sweep()))
                    next_sweep = now + SWEEP_SECONDS
                if now >= next_check or (due is not None and now >= due):
                    dirty.update(dict.fromkeys(timers.fire_due(self.env)))
                    due, next_check = timers.next_due(), now + TIMER_CHECK_SECONDS
                for workspace_sid, queue_sids in dirty.items():
                    if queue_sids is not None and workspace_sid in self._no_free_worker:
                        continue
                    why = matching.blocked(workspace_sid)
                    if why == matching.NO_WORKER:
                        self._no_free_worker.add(workspace_sid)
                    else:
                        self._no_free_worker.discard(workspace_sid)
                    if why is not None:
                        continue
                    offers, more = matching.match_workspace(self.env, workspace_sid, queue_sids)
                    if offers and more:  # a pass looks at a bounded part of each queue: look again
                        for queue_sid in queue_sids or (None,):
                            self.wake(workspace_sid, queue_sid)
                if dirty:
                    self.env.notify()
                wait = min(next_sweep, next_check, due if due is not None else next_sweep) - self.env.clock.now()
            except Exception:
                log.exception("routing pass failed; retrying")
                wait = 0.5
            if wait > 0:
                self._wake.wait(wait)
