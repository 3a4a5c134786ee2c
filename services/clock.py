"""The one source of time. Tests replace it to drive timers without sleeping."""

from __future__ import annotations

import datetime as dt
import functools
import math
import time


class Clock:
    def now(self) -> float:
        """Seconds since the epoch, UTC."""
        return time.time()


class FakeClock(Clock):
    def __init__(self, start: float = 1_700_000_000.0):
        self.value = start

    def now(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


def format_time(epoch: float | None) -> str:
    """The seed's timestamp format: 2020-06-15T07:00:25+0000."""
    if epoch is None:
        return ""
    if epoch < 0:
        return _format_second(epoch)
    fraction, whole = math.modf(epoch)
    # the second datetime shows: it rounds to the microsecond (half to even, as round() does)
    return _cached_second(int(whole) + (round(fraction * 1_000_000) >= 1_000_000))


def _format_second(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


# A response shows a few times, mostly of the last seconds: strftime once per second, not per time.
_cached_second = functools.lru_cache(maxsize=1024)(_format_second)


def parse_time(text: str) -> float:
    """ISO-8601 date or date-time; naive values are UTC, a bare date is midnight. Raises ValueError."""
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) > 5 and text[-5] in "+-" and text[-3] != ":" and "T" in text:
        text = text[:-2] + ":" + text[-2:]  # +0000 -> +00:00
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()
