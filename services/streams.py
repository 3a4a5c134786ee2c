"""What the open streams of a process share: the signal that wakes them when their workspace
has new events, and the per-account cap on how many may be open at once."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

from taskrouter.server.errors import TaskRouterError

Version = tuple[int, int]


def _release(futures: list[asyncio.Future]) -> None:
    for future in futures:
        if not future.done():
            future.set_result(None)


class EventSignal:
    """Wakes the streams waiting on a workspace, from any thread, on any event loop. A waiting
    stream holds no thread: it awaits a future that fire() completes with one callback per loop.

    A stream notes version(workspace) before it reads, and waits only while it is unchanged, so
    events written between its read and its wait cannot be missed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._everything = 0  # bumped by fire(None): every workspace may have new events
        self._counts: dict[str, int] = defaultdict(int)
        self._waiters: dict[str, dict[asyncio.Future, asyncio.AbstractEventLoop]] = defaultdict(dict)

    def version(self, workspace_sid: str) -> Version:
        with self._lock:
            return self._everything, self._counts.get(workspace_sid, 0)

    def fire(self, workspace_sids: Iterable[str] | None = None) -> None:
        """New events in these workspaces (None: in any of them)."""
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = defaultdict(list)
        with self._lock:
            if workspace_sids is None:
                self._everything += 1
                woken = list(self._waiters.values())
                self._waiters.clear()
            else:
                woken = []
                for sid in set(workspace_sids):
                    self._counts[sid] += 1
                    waiting = self._waiters.pop(sid, None)
                    if waiting:
                        woken.append(waiting)
        for waiting in woken:
            for future, loop in waiting.items():
                by_loop[loop].append(future)
        for loop, futures in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits there any more
                loop.call_soon_threadsafe(_release, futures)

    async def wait(self, workspace_sid: str, seen: Version, timeout: float) -> None:
        """Returns when the workspace's version moves past `seen`, or after `timeout` seconds."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            if (self._everything, self._counts.get(workspace_sid, 0)) != seen:
                return
            self._waiters[workspace_sid][future] = loop
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            pass
        finally:
            with self._lock:
                waiting = self._waiters.get(workspace_sid)
                if waiting is not None:
                    waiting.pop(future, None)
                    if not waiting:
                        del self._waiters[workspace_sid]

    def waiting(self) -> int:
        """How many streams wait right now (for tests and statistics)."""
        with self._lock:
            return sum(len(w) for w in self._waiters.values())


class StreamQuota:
    """At most `per_account` streams open at once per account, so one tenant's clients cannot
    take the whole process; the next one is refused with RESOURCE_EXHAUSTED (HTTP 429)."""

    def __init__(self, per_account: int):
        self.per_account = per_account
        self._lock = threading.Lock()
        self._open: dict[str, int] = defaultdict(int)

    @contextlib.contextmanager
    def hold(self, account_sid: str) -> Iterator[None]:
        with self._lock:
            if self._open[account_sid] >= self.per_account:
                raise TaskRouterError("TOO_MANY_STREAMS", str(self.per_account),
                                      f"Too many open streams: this account may hold {self.per_account} at once")
            self._open[account_sid] += 1
        try:
            yield
        finally:
            with self._lock:
                self._open[account_sid] -= 1
                if not self._open[account_sid]:
                    del self._open[account_sid]

    def open(self, account_sid: str) -> int:
        with self._lock:
            return self._open.get(account_sid, 0)
