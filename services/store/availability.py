"""Whether the database answers, who wants to know, and how background loops wait for it.

During an outage calls fail at once (DatabaseUnavailable: gRPC UNAVAILABLE, HTTP 503) instead of
each trying to connect; a watcher thread probes the database and, when it answers again, tells the
listeners (gRPC health, the loops) and lets connections be made again. docs/security.md, "Outages"."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from taskrouter.server.errors import TaskRouterError

log = logging.getLogger(__name__)
PROBE_SECONDS = 1.0  # while the database answers
PROBE_DOWN_SECONDS = 0.25  # while it does not: how soon a return is noticed


def one_line(why: BaseException | str) -> str:
    """A driver's message (psycopg's span lines) on one line of the log."""
    return " ".join(str(why).split())


class DatabaseUnavailable(TaskRouterError):
    """The database cannot be reached (not connected, connection lost, or refusing): retry later.
    Nothing of the failed call was committed, unless the connection broke during its commit."""

    def __init__(self) -> None:
        super().__init__("DATABASE_UNAVAILABLE", "database")


class Availability:
    """The database's state as this process sees it. `generation` changes whenever connections may
    have died, so that each thread drops its connection before its next transaction."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Callable[[bool], None]] = []
        self._probing = threading.local()
        self._probe_now = threading.Event()
        self._up = threading.Event()
        self._up.set()
        self._down_since = 0.0
        self.generation = 0

    @property
    def up(self) -> bool:
        return self._up.is_set()

    def subscribe(self, listener: Callable[[bool], None]) -> Callable[[], None]:
        """`listener(up)` runs on every change of state; returns the function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._unsubscribe(listener)

    def _unsubscribe(self, listener: Callable[[bool], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def may_connect(self) -> bool:
        """Connections are made while the database is up; during an outage only the watcher tries."""
        return self.up or getattr(self._probing, "on", False)

    def connection_lost(self) -> None:
        """A connection broke: every thread reconnects, and the watcher looks at once."""
        with self._lock:
            self.generation += 1
        self.probe_soon()

    def unreachable(self, why: BaseException | str) -> None:
        with self._lock:
            self.generation += 1
            if not self.up:
                return
            self._up.clear()
            self._down_since = time.monotonic()
            listeners = list(self._listeners)
        log.warning("database unavailable (%s); calls fail with UNAVAILABLE until it answers again", one_line(why))
        self._tell(listeners, False)

    def reachable(self) -> None:
        with self._lock:
            if self.up:
                return
            self._up.set()
            listeners = list(self._listeners)
        log.warning("database available again after %.1f s", time.monotonic() - self._down_since)
        self._tell(listeners, True)

    @staticmethod
    def _tell(listeners: list[Callable[[bool], None]], up: bool) -> None:
        for listener in listeners:
            try:
                listener(up)
            except Exception:  # one listener must not keep the news from the others
                log.exception("database availability listener failed")

    def probe_soon(self) -> None:
        self._probe_now.set()

    def watch(self, probe: Callable[[], None], stop: threading.Event) -> None:
        """The watcher's loop (run on a thread of its own until `stop`, then probe_soon()): `probe`
        runs a trivial statement."""
        self._probing.on = True
        while not stop.is_set():
            self._probe_now.wait(PROBE_SECONDS if self.up else PROBE_DOWN_SECONDS)
            self._probe_now.clear()
            if stop.is_set():
                break
            self._probe_once(probe)

    def _probe_once(self, probe: Callable[[], None]) -> None:
        for attempt in range(2):  # a second try on a fresh connection if only the old one had died
            try:
                probe()
            except DatabaseUnavailable as exc:
                if attempt == 1:
                    self.unreachable(exc.__cause__ or exc)
            except Exception as exc:  # noqa: BLE001 - anything else that stops a SELECT 1 is an outage too
                self.unreachable(exc)
                return
            else:
                self.reachable()
                return


class LoopFailures:
    """A background loop's failures: it backs off (0.5 s doubling to 5 s), logs the first failure
    and the recovery but not every retry, and during an outage is woken (`wake`) as soon as the
    database answers again."""

    def __init__(self, what: str, logger: logging.Logger, availability: Availability | None = None,
                 wake: threading.Event | None = None, first: float = 0.5, most: float = 5.0,
                 expected: tuple[type[BaseException], ...] = (DatabaseUnavailable,)):
        """`expected`: failures logged as one line with their message (an outage); any other is
        logged with its traceback (a bug). `wake` needs `availability`."""
        self.what, self.log, self.expected = what, logger, expected
        self.first, self.most = first, most
        self._availability, self._wake = availability, wake
        self._unsubscribe: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._count = 0
        self._since = 0.0

    @property
    def failing(self) -> bool:
        return self._count > 0

    def failed(self, exc: BaseException) -> float:
        """Records a failure; the seconds to wait before the next try."""
        with self._lock:
            self._count += 1
            count = self._count
            if count == 1:
                self._since = time.monotonic()
            listen = (self._wake is not None and self._availability is not None and self._unsubscribe is None
                      and isinstance(exc, DatabaseUnavailable))
            if listen and self._availability is not None:
                self._unsubscribe = self._availability.subscribe(self._on_change)
        if count == 1:
            if isinstance(exc, DatabaseUnavailable):
                self.log.warning("%s failed: the database is unavailable; retrying with backoff", self.what)
            elif isinstance(exc, self.expected):
                self.log.warning("%s failed (%s); retrying with backoff", self.what, one_line(exc))
            else:
                self.log.exception("%s failed; retrying with backoff (later failures are not logged)", self.what)
        if listen and self._availability is not None and self._availability.up:  # back before we listened
            self._on_change(True)
        return min(self.most, self.first * 2 ** min(count - 1, 16))

    def _on_change(self, up: bool) -> None:
        if up and self._wake is not None:
            self._wake.set()

    def succeeded(self) -> None:
        if not self._count:
            return
        with self._lock:
            count, self._count = self._count, 0
            unsubscribe, self._unsubscribe = self._unsubscribe, None
        if unsubscribe is not None:
            unsubscribe()
        if count:
            self.log.warning("%s works again after %d failed tries in %.1f s", self.what, count,
                             time.monotonic() - self._since)
