"""The live statistics of a workspace, shared by every stream that watches it: recomputed once
per change (or once a second, for the waiting tasks' ages), never once per watcher, so a hundred
wallboards cost what one costs."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Hashable

from taskrouter.server.clock import Clock

REFRESH_SECONDS = 1.0  # the ages of waiting tasks move on; so may what no event announced
COALESCE_SECONDS = 0.25  # a stream sends at most four updates a second


@dataclasses.dataclass
class _Latest:
    version: int = 0
    update: dict | None = None
    changes_seen: Hashable = None
    computed_at: float = float("-inf")
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


class StatisticsFeed:
    """`latest(ws, changes)` gives a workspace's current update and its version, which moves only
    when the update's content does. `changes` marks the workspace's changes (the event signal's
    version): the update is computed again when it moved, or when the last one is a second old."""

    def __init__(self, compute: Callable[[str, float], dict], clock: Clock):
        self._compute, self._clock = compute, clock
        self._latest: dict[str, _Latest] = {}
        self._mutex = threading.Lock()

    def latest(self, workspace_sid: str, changes: Hashable) -> tuple[int, dict]:
        with self._mutex:
            latest = self._latest.setdefault(workspace_sid, _Latest())
        with latest.lock:  # one watcher computes; the others wait for it and share the result
            now = self._clock.now()
            if latest.update is None or latest.changes_seen != changes or now - latest.computed_at >= REFRESH_SECONDS:
                update = self._compute(workspace_sid, now)
                if latest.update is None or _content(update) != _content(latest.update):
                    latest.version += 1
                    latest.update = update
                latest.changes_seen, latest.computed_at = changes, now
            return latest.version, latest.update


def _content(update: dict) -> dict:
    return {key: value for key, value in update.items() if key != "date_updated"}
