"""What every domain call is given: who is calling, and the process's store, clock and signals."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from taskrouter.server.clock import Clock
from taskrouter.server.observability.observer import NULL, Observer
from taskrouter.server.store import db


@dataclasses.dataclass(frozen=True)
class Caller:
    """The authenticated account; every resource it sees belongs to its enterprise. A worker token's
    caller also names its worker: it may act only for that worker (worker_access.py)."""

    account_sid: str
    enterprise_sid: str
    email: str
    worker_sid: str = ""
    workspace_sid: str = ""

    @property
    def is_worker(self) -> bool:
        return bool(self.worker_sid)


def _ignore(_: str, queue_sid: str | None = None) -> None:
    pass


def _nothing(*_: object) -> None:
    pass


@dataclasses.dataclass
class Environment:
    # The database the domain works on: its threads and calls run with this store in use (db.Store).
    store: db.Store = dataclasses.field(default_factory=db.in_use)
    clock: Clock = dataclasses.field(default_factory=Clock)
    # Asks the dispatcher for a matching pass over a workspace (after the caller's commit): over
    # one queue when only that queue's line changed (a new task), else over all of them.
    wake: Callable[..., None] = _ignore
    # Tells event watchers and the callback sender that new rows were written (after the commit):
    # notify() for the workspaces this thread woke, notify(workspace_sids) for those named.
    notify: Callable[..., None] = _nothing
    # Tells the callback sender that the transaction under way writes a delivery, so that the next
    # notify() wakes it (otherwise it only looks every half second, for other processes' rows).
    expect_delivery: Callable[[], None] = _nothing
    # Metrics and spans of the routing core (services/observability): one call where things happen.
    observe: Observer = NULL
