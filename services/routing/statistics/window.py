"""The window of time a statistics call covers, in whole minutes (the rollups' finest bucket),
and the minute, hour and day buckets that exactly cover it."""

from __future__ import annotations

import dataclasses
import math

from taskrouter.server.clock import parse_time
from taskrouter.server.errors import invalid
from taskrouter.server.routing.statistics.rollup import GRANULARITIES

DEFAULT_MINUTES = 15
MAX_MINUTES = 60 * 24 * 366 * 10  # ten years: "any window of the whole history"
MINUTE = GRANULARITIES[0]


@dataclasses.dataclass(frozen=True)
class Window:
    """[start, end): start on a minute; end is now, or a minute boundary in the past."""

    start: float
    end: float

    def buckets(self) -> list[tuple[int, int, int]]:
        """(granularity, first bucket start, last bucket start + granularity) runs that cover the
        window, each bucket as coarse as fits: at most a few runs, however long the window."""
        runs: list[list[int]] = []
        t, end = int(self.start // MINUTE) * MINUTE, int(math.ceil(self.end / MINUTE) * MINUTE)
        while t < end:
            size = next(g for g in reversed(GRANULARITIES) if t % g == 0 and t + g <= end)
            if runs and runs[-1][0] == size and runs[-1][2] == t:
                runs[-1][2] = t + size
            else:
                runs.append([size, t, t + size])
            t += size
        return [(size, first, last) for size, first, last in runs]


def _time(text: str, field: str) -> float:
    try:
        return parse_time(text)
    except ValueError:
        raise invalid(field, f"{text!r} is not a date-time (2020-06-15T07:00:25+0000 or RFC 3339)") from None


def window(now: float, minutes: int | None, start_date: str, end_date: str) -> Window:
    """From `minutes` back (default 15), or from startDate; to endDate or now."""
    start_date, end_date = start_date.strip(), end_date.strip()
    if minutes is not None and start_date:
        raise invalid("minutes", "give minutes or startDate, not both")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise invalid("minutes", f"must be between 1 and {MAX_MINUTES}")
    end = min(now, _time(end_date, "endDate")) if end_date else now
    if start_date:
        start = _time(start_date, "startDate")
        if start > end:
            raise invalid("startDate", "must not be after endDate (or now)")
    else:
        start = end - (minutes or DEFAULT_MINUTES) * 60
    if end < now:
        end = math.ceil(end / MINUTE) * MINUTE
    return Window(start=math.floor(start / MINUTE) * MINUTE, end=min(end, now))
