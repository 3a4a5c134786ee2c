"""Wake-ups between the processes over one database, so a change committed by one node reaches
the dispatcher, the callback sender and the event streams of every other node at once instead
of at their next poll (the polls stay, as a safety net).

- PostgreSQL: NOTIFY on one channel, LISTEN on a connection of its own (autocommit; peewee has
  no API for it). Every node of a deployment hears every other.
- SQLite (`serve --processes N` on one machine): a Unix datagram socket per process in the
  directory "<database>-wake"; a process sends to every other socket found there.

A publisher thread merges what piles up while it sends, so a burst of commits costs one message.
One message: {"w": [[workspace, queue or null], ...], "e": [workspace, ...] or null (all), "d": bool}."""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from taskrouter.server.store.availability import LoopFailures

log = logging.getLogger(__name__)

CHANNEL = "taskrouter_wake"
MAX_PAYLOAD = 7900  # PostgreSQL refuses NOTIFY payloads of 8000 bytes and more
RETRY_SECONDS = 1.0

Deliver = Callable[[list[tuple[str, str | None]], list[str] | None, bool], None]


class _Pending:
    """What is still to be sent, merged: wakes by workspace, events' workspaces, a delivery flag."""

    def __init__(self) -> None:
        self.wakes: dict[str, str | None] = {}
        self.events: set[str] | None = set()
        self.delivery = False

    def add(self, wakes: Iterable[tuple[str, str | None]], events: Iterable[str] | None, delivery: bool) -> None:
        for workspace_sid, queue_sid in wakes:
            same = queue_sid is not None and self.wakes.get(workspace_sid, queue_sid) == queue_sid
            self.wakes[workspace_sid] = queue_sid if same else None
        if events is None:
            self.events = None
        elif self.events is not None:
            self.events.update(events)
        self.delivery = self.delivery or delivery

    def __bool__(self) -> bool:
        return bool(self.wakes) or self.events is None or bool(self.events) or self.delivery

    def payloads(self) -> list[str]:
        """One or more messages, each under MAX_PAYLOAD bytes."""
        wakes = [[sid, queue] for sid, queue in self.wakes.items()]
        events = None if self.events is None else sorted(self.events)
        out: list[str] = []
        while True:
            message = {"w": wakes[:100], "e": events if events is None else events[:100], "d": self.delivery}
            out.append(json.dumps(message, separators=(",", ":")))
            wakes = wakes[100:]
            events = events if events is None else events[100:]
            if not wakes and (events is None or not events):
                return out


def parse(payload: str) -> tuple[list[tuple[str, str | None]], list[str] | None, bool]:
    message = json.loads(payload)
    wakes = [(str(sid), None if queue is None else str(queue)) for sid, queue in message.get("w", ())]
    events = message.get("e", None)
    return wakes, None if events is None else [str(sid) for sid in events], bool(message.get("d"))


class Bus:
    """The common part: a publisher thread that merges and sends, a listener thread that hands
    what other processes sent to `deliver`, and `on_gap` after a stretch when nothing could be
    heard (a lost connection): then every listener should look again."""

    name = "bus"

    def __init__(self, deliver: Deliver, on_gap: Callable[[], None]):
        self.deliver = deliver
        self.on_gap = on_gap
        self._pending = _Pending()
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._publisher = threading.Thread(target=self._publish_loop, name=f"{self.name}-publish", daemon=True)
        self._listener = threading.Thread(target=self._listen_loop, name=f"{self.name}-listen", daemon=True)
        # A database outage: one line when sending or listening starts failing and one when it works again.
        self._publish_failures = LoopFailures(f"{self.name}: publishing wake-ups", log, expected=(Exception,),
                                              first=RETRY_SECONDS, most=2 * RETRY_SECONDS)
        self._listen_failures = LoopFailures(f"{self.name}: listening for wake-ups", log, expected=(Exception,),
                                             first=RETRY_SECONDS, most=2 * RETRY_SECONDS)

    def start(self) -> Bus:
        self._publisher.start()
        self._listener.start()
        return self

    def publish(self, wakes: Iterable[tuple[str, str | None]], events: Iterable[str] | None, delivery: bool) -> None:
        """After a commit: tell the other processes (returns at once; the publisher thread sends)."""
        with self._lock:
            self._pending.add(wakes, events, delivery)
        self._ready.set()

    def close(self) -> None:
        self._stop.set()
        self._ready.set()
        self._publisher.join(5)
        self._listener.join(5)

    def _publish_loop(self) -> None:
        while not self._stop.is_set():
            self._ready.wait()
            self._ready.clear()
            with self._lock:
                pending, self._pending = self._pending, _Pending()
            if not pending:
                continue
            try:
                for payload in pending.payloads():
                    self._send(payload)
                self._publish_failures.succeeded()
            except Exception as exc:  # noqa: BLE001 - the others find the change at their next poll
                self._reset_sender()
                self._stop.wait(self._publish_failures.failed(exc))

    def _listen_loop(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                self._open_listener()
                self._listen_failures.succeeded()
                if not first:
                    self.on_gap()
                first = False
                self._receive_until_stopped()
            except Exception as exc:  # noqa: BLE001 - reconnect; meanwhile the polls catch up
                if not self._stop.is_set():
                    first = False
                    self._stop.wait(self._listen_failures.failed(exc))
            finally:
                self._close_listener()

    def _hand_over(self, payload: str) -> None:
        try:
            wakes, events, delivery = parse(payload)
        except (ValueError, TypeError, AttributeError):
            log.warning("%s: ignoring a malformed wake-up %r", self.name, payload[:200])
            return
        self.deliver(wakes, events, delivery)

    # the transport
    def _send(self, payload: str) -> None:
        raise NotImplementedError

    def _reset_sender(self) -> None:
        pass

    def _open_listener(self) -> None:
        raise NotImplementedError

    def _receive_until_stopped(self) -> None:
        raise NotImplementedError

    def _close_listener(self) -> None:
        pass


class PostgresBus(Bus):
    """LISTEN/NOTIFY: two autocommit connections per process (one sends, one listens)."""

    name = "pg-wake"

    def __init__(self, url: str, deliver: Deliver, on_gap: Callable[[], None]):
        super().__init__(deliver, on_gap)
        self.url = url
        self._sender: Any = None  # psycopg.Connection, imported lazily
        self._sender_pid = 0  # our sending backend: NOTIFY echoes to its own session's listeners too
        self._listening: Any = None

    def _connect(self):
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=5)

    def _send(self, payload: str) -> None:
        if self._sender is None or self._sender.closed:
            self._sender = self._connect()
            self._sender_pid = self._sender.info.backend_pid
        self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))

    def _reset_sender(self) -> None:
        if self._sender is not None:
            with contextlib.suppress(Exception):
                self._sender.close()
        self._sender = None

    def _open_listener(self) -> None:
        self._listening = self._connect()
        self._listening.execute(f"LISTEN {CHANNEL}")

    def _receive_until_stopped(self) -> None:
        while not self._stop.is_set():
            for notify in self._listening.notifies(timeout=1.0):
                if notify.pid != self._sender_pid:
                    self._hand_over(notify.payload)

    def _close_listener(self) -> None:
        if self._listening is not None:
            with contextlib.suppress(Exception):
                self._listening.close()
            self._listening = None

    def close(self) -> None:
        super().close()
        self._reset_sender()


class LocalBus(Bus):
    """Unix datagram sockets in "<database>-wake/": one per process, named by its pid."""

    name = "local-wake"

    def __init__(self, directory: str, deliver: Deliver, on_gap: Callable[[], None]):
        super().__init__(deliver, on_gap)
        self.directory = directory
        os.makedirs(directory, mode=0o700, exist_ok=True)
        self.path = os.path.join(directory, f"{os.getpid()}.sock")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)  # a previous process of this pid
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._socket.bind(self.path)
        self._socket.settimeout(1.0)
        self._out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._out.setblocking(False)
        self._peers: list[str] = []
        self._peers_read = 0.0

    def _others(self) -> list[str]:
        now = time.monotonic()
        if now - self._peers_read > 1.0:  # new processes are found within a second
            names = os.listdir(self.directory)
            self._peers = [os.path.join(self.directory, n) for n in names if n.endswith(".sock")]
            self._peers = [p for p in self._peers if p != self.path]
            self._peers_read = now
        return self._peers

    def _send(self, payload: str) -> None:
        data = payload.encode()
        for peer in self._others():
            try:
                self._out.sendto(data, peer)
            except OSError as exc:
                if exc.errno in (errno.ECONNREFUSED, errno.ENOENT):  # that process is gone
                    with contextlib.suppress(OSError):
                        os.unlink(peer)
                    self._peers_read = 0.0
                # EAGAIN: its queue is full; it is busy and will poll anyway

    def _open_listener(self) -> None:
        pass  # bound in __init__, so a sibling can reach us from the start

    def _receive_until_stopped(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._socket.recv(65536)
            except TimeoutError:
                continue
            self._hand_over(data.decode("utf-8", "replace"))

    def close(self) -> None:
        super().close()
        self._socket.close()
        self._out.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)


def open_bus(database_url: str, deliver: Deliver, on_gap: Callable[[], None]) -> Bus | None:
    """The bus for this database: PostgreSQL's NOTIFY, or sockets beside a SQLite file (None for
    an in-memory database, which no other process can open)."""
    parsed = urllib.parse.urlparse(database_url)
    if parsed.scheme in ("postgresql", "postgres"):
        return PostgresBus(database_url, deliver, on_gap).start()
    path = database_url[len("sqlite:///"):] if database_url.startswith("sqlite:///") else parsed.path
    if parsed.scheme != "sqlite" or path in ("", ":memory:"):
        return None
    directory = os.path.abspath(path) + "-wake"
    if len(os.path.join(directory, "4194304.sock").encode()) >= 104:  # AF_UNIX path limit
        log.warning("%s is too long a path for wake-up sockets: other processes poll (up to 1 s)", directory)
        return None
    return LocalBus(directory, deliver, on_gap).start()
