"""Failures of background work kept apart: what failed (a workspace's matching pass, one timer),
logged once, and retried later and later, while everything else goes on (issue 10, defect 5)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)
FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 30.0


class Backoff:
    """Keys (a workspace SID, a timer) that failed, and when each may run again."""

    def __init__(self, what: str):
        self.what = what  # "matching pass", "timer": how the log line names the work
        self._retry_at: dict[str, float] = {}
        self._failures: dict[str, int] = {}

    def failed(self, key: str, now: float) -> None:
        """Called from an `except` block; logs the first failure of `key` with its traceback."""
        count = self._failures.get(key, 0) + 1
        self._failures[key] = count
        if count == 1:
            log.exception("%s of %s failed; retrying with backoff, other work goes on", self.what, key)
        self._retry_at[key] = now + min(LAST_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** (count - 1))

    def succeeded(self, key: str) -> None:
        if self._failures.pop(key, 0) > 1:
            log.info("%s of %s succeeded again", self.what, key)
        self._retry_at.pop(key, None)

    def waiting(self, key: str, now: float) -> bool:
        """The key failed and its retry is not due yet: leave it alone for now."""
        return self._retry_at.get(key, now) > now

    def due(self, now: float) -> list[str]:
        """Failed keys whose retry is due."""
        return [key for key, at in self._retry_at.items() if at <= now]

    def next_retry(self) -> float | None:
        return min(self._retry_at.values(), default=None)
