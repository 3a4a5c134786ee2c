"""Which store the code running here uses: the one activated in its context (a thread working for
an Environment, a call in its blocking pool), else the one opened last that is still open. So two
stores, each with its Environment, can serve side by side in one process."""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from taskrouter.server.store.db import Store

_activated: contextvars.ContextVar[Store] = contextvars.ContextVar("store")
_open: list[Store] = []  # in the order opened


def store() -> Store | None:
    activated = _activated.get(None)
    if activated is not None:
        return activated
    return _open[-1] if _open else None


def activate(store: Store) -> None:
    """`store` is the one in use in the current context from now on (and in contexts copied from it)."""
    _activated.set(store)


def opened(store: Store) -> None:
    _open.append(store)


def closed(store: Store) -> None:
    if store in _open:
        _open.remove(store)
