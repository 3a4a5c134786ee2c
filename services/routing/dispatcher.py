"""The per-process routing loop: runs a matching pass for every workspace that changed (woken
by the API calls that changed it, so a task is offered at once) and fires due timers. A slow
sweep every second catches what other processes changed and timers of crashed ones."""

from __future__ import annotations

import threading

import peewee as pw

from taskrouter.server.routing import matching, timers
from taskrouter.server.routing.backoff import Backoff
from taskrouter.server.routing.context import Environment
from taskrouter.server.store import models

SWEEP_SECONDS = 1.0
TIMER_CHECK_SECONDS = 0.05  # how often the earliest timer is read again (timers set since then fire this late at most)


class Dispatcher:
    def __init__(self, env: Environment):
        self.env = env
        self._dirty: dict[str, set[str] | None] = {}  # workspace -> the queues to look at (None: all)
        # Workspaces whose last check found no free worker: a new task there (a wake for its queue
        # only) cannot be offered; any other change (a wake for all queues, the sweep) looks again.
        self._no_free_worker: set[str] = set()
        # Failures stay with what failed: a workspace's pass, one timer, the sweep (backoff.py).
        self._failed_passes = Backoff("matching pass")
        self._failed_timers = Backoff("timer")
        self._failed_rounds = Backoff("dispatcher")
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
            now = self.env.clock.now()
            with self._lock:
                dirty, self._dirty = self._dirty, {}
            dirty.update(dict.fromkeys(self._failed_passes.due(now)))
            if now >= next_sweep:
                next_sweep = now + SWEEP_SECONDS
                dirty.update(dict.fromkeys(self._isolated("sweep", self._sweep, set())))
            if now >= next_check or (due is not None and now >= due):
                dirty.update(dict.fromkeys(self._isolated("timers", lambda: timers.fire_due(
                    self.env, self._failed_timers), set())))
                due, next_check = self._isolated("timers", timers.next_due, None), now + TIMER_CHECK_SECONDS
            for workspace_sid, queue_sids in dirty.items():
                if self._failed_passes.waiting(workspace_sid, now):
                    continue
                try:
                    self._pass(workspace_sid, queue_sids)
                except Exception:  # noqa: BLE001 - this workspace only; the others go on
                    self._failed_passes.failed(workspace_sid, self.env.clock.now())
                else:
                    self._failed_passes.succeeded(workspace_sid)
            if dirty:
                self.env.notify()
            wake_at = [t for t in (next_sweep, next_check, due, self._failed_passes.next_retry(),
                                   self._failed_timers.next_retry()) if t is not None]
            wait = min(wake_at) - self.env.clock.now()
            if wait > 0:
                self._wake.wait(wait)

    def _isolated(self, what: str, run, fallback):
        """The sweep and the timer reads: a failure (the database away) is logged and waited out."""
        try:
            result = run()
        except Exception:  # noqa: BLE001 - retried on the next round
            self._failed_rounds.failed(what, self.env.clock.now())
            return fallback
        self._failed_rounds.succeeded(what)
        return result

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
        offers, more = matching.match_workspace(self.env, workspace_sid, queue_sids)
        if offers and more:  # a pass looks at a bounded part of each queue: look again
            for queue_sid in queue_sids or (None,):
                self.wake(workspace_sid, queue_sid)
