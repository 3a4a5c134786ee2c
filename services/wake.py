"""Who is woken after a commit: the Environment's wake() and notify() land here and reach the
dispatcher, the callback sender and the event streams of this process, and (through a bus,
wake_bus.py) those of every other process over the same database.

notify() wakes only the streams of the workspaces this thread woke since its last notify()
(domain code calls env.wake(workspace) then env.notify()); with none noted, every stream looks."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Protocol

from taskrouter.server.routing.callbacks import CallbackSender
from taskrouter.server.routing.dispatcher import Dispatcher
from taskrouter.server.streams import EventSignal


class Bus(Protocol):
    """Carries wake-ups to the other processes (wake_bus.py)."""

    def publish(self, wakes: Iterable[tuple[str, str | None]], events: Iterable[str] | None,
                delivery: bool) -> None: ...

    def close(self) -> None: ...


class Wakeups:
    def __init__(self, dispatcher: Dispatcher, sender: CallbackSender, signal: EventSignal, bus: Bus | None = None):
        self.dispatcher = dispatcher
        self.sender = sender
        self.signal = signal
        self.bus = bus
        self._noted = threading.local()

    def _pending(self) -> dict[str, str | None]:
        pending = getattr(self._noted, "wakes", None)
        if pending is None:
            pending = self._noted.wakes = {}
        return pending

    def wake(self, workspace_sid: str, queue_sid: str | None = None) -> None:
        """Environment.wake: a matching pass over the workspace (one queue, or all: None)."""
        self.dispatcher.wake(workspace_sid, queue_sid)
        pending = self._pending()
        same_queue = queue_sid is not None and pending.get(workspace_sid, queue_sid) == queue_sid
        pending[workspace_sid] = queue_sid if same_queue else None  # two queues: all of them

    def notify(self, workspace_sids: Iterable[str] | None = None) -> None:
        """Environment.notify: new rows are committed (events, deliveries) in these workspaces, or
        in those this thread woke since its last notify()."""
        pending = self._pending()
        wakes = list(pending.items())
        pending.clear()
        named = list(workspace_sids) if workspace_sids is not None else [sid for sid, _ in wakes]
        workspaces = named or None
        delivery = self.sender.expecting()
        self.signal.fire(workspaces)
        self.sender.notify()
        if self.bus is not None:
            self.bus.publish(wakes, workspaces, delivery)

    def remote(self, wakes: Iterable[tuple[str, str | None]], events: Iterable[str] | None, delivery: bool) -> None:
        """Another process committed: wake what it woke there, here too."""
        for workspace_sid, queue_sid in wakes:
            self.dispatcher.wake(workspace_sid, queue_sid)
        self.signal.fire(events)
        if delivery:
            self.sender.wake()

    def everything(self) -> None:
        """After a gap in what the bus heard (a reconnect): every listener looks again."""
        self.signal.fire(None)
        self.sender.wake()
