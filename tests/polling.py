"""Waiting for what the server does on its own (matching, timers, callbacks)."""

from __future__ import annotations

import time


def eventually(check, timeout=8.0, interval=0.05):
    """Polls `check` until it returns something truthy; fails with the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, f"condition not met within {timeout}s: {value!r}"
            return value
        time.sleep(interval)
