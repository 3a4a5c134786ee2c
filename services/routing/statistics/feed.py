"""The live statistics of a workspace, shared by every stream that watches it: recomputed once
per change (or once a second, for other processes' changes and the waiting tasks' ages), never
once per watcher, so a hundred wallboards cost what one costs."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

from taskrouter.server.clock import Clock

REFRESH_SECONDS = 1.0  # other processes' changes, and the ages of waiting tasks
COALESCE_SECONDS = 0.25  # a stream sends at most four updates a second


@dataclasses.dataclass
class _Latest:
    version: int = 0
    update: dict | None = None
    changes_seen: int = -1
    computed_at: float = float("-inf")
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)


class StatisticsFeed:
    """`changed()` is called after every commit of this process; `latest(ws)` gives the current
    update of a workspace and its version, which moves only when the update's content does."""

    def __init__(self, compute: Callable[[str, float], dict], clock: Clock):
        self._compute, self._clock = compute, clock
        self._changes = 0
        self._condition = threading.Condition()
        self._latest: dict[str, _Latest] = {}
        self._mutex = threading.Lock()

    def changed(self) -> None:
        with self._condition:
            self._changes += 1
            self._condition.notify_all()

    def latest(self, workspace_sid: str) -> tuple[int, dict]:
        with self._mutex:
            latest = self._latest.setdefault(workspace_sid, _Latest())
        with latest.lock:  # one watcher computes; the others wait for it and share the result
            changes, now = self._changes, self._clock.now()
            if latest.changes_seen != changes or now - latest.computed_at >= REFRESH_SECONDS:
                update = self._compute(workspace_sid, now)
                if latest.update is None or _content(update) != _content(latest.update):
                    latest.version += 1
                    latest.update = update
                latest.changes_seen, latest.computed_at = changes, now
            assert latest.update is not None
            return latest.version, latest.update

    def wait(self, seen_changes: int, timeout: float) -> None:
        """Until a change after `seen_changes` (see `changes`), or `timeout` seconds."""
        with self._condition:
            self._condition.wait_for(lambda: self._changes != seen_changes, timeout)

    @property
    def changes(self) -> int:
        return self._changes


def _content(update: dict) -> dict:
    return {key: value for key, value in update.items() if key != "date_updated"}
