"""Any window of the history: the rollups' minute, hour and day buckets add up to exactly the
observations inside the window (whole minutes), however long it is and wherever it falls."""

from __future__ import annotations

import random
import uuid

import pytest

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.routing.statistics import cumulative, rollup
from taskrouter.server.routing.statistics.window import Window, window
from taskrouter.server.store import db

DAY = 86_400
BASE = 1_700_006_400  # a midnight, UTC


def test_any_window_sums_exactly_the_observations_inside_it(server):
    rng = random.Random(7)
    workspace_sid = "WS" + uuid.uuid4().hex
    moments = [BASE + rng.uniform(0, 9 * DAY) for _ in range(400)]
    with db.write_transaction():
        for at in moments:
            rollup.record_observations([rollup.Observation(workspace_sid, at, "", "TQ1", "WF1", "voice",
                                                           "tasksCreated")])
    for _ in range(60):
        start = BASE + rng.randrange(0, 9 * DAY // 60) * 60
        end = start + rng.randrange(1, 9 * DAY // 60) * 60
        span = Window(start, end)
        expected = sum(start <= at < end for at in moments)
        assert cumulative.tasks(workspace_sid, span)["tasks_created"] == expected, (start, end)
        assert cumulative.tasks(workspace_sid, span, queue="TQ2")["tasks_created"] == 0
        assert len(span.buckets()) <= 5


def test_the_window_is_whole_minutes_up_to_now():
    now = BASE + 3 * DAY + 125.5
    assert window(now, None, "", "") == Window(now - 15 * 60 - 5.5, now)
    assert window(now, 60, "", "") == Window(now - 3600 - 5.5, now)
    assert window(now, None, "2023-11-15T00:00:30Z", "2023-11-16T00:00:00+0000") == Window(
        1_700_006_400, 1_700_092_800)
    for bad in ({"minutes": 0}, {"minutes": 10**9}, {"start_date": "yesterday"}, {"end_date": "2023-13-01"},
                {"minutes": 5, "start_date": "2023-11-15T00:00:00Z"},
                {"start_date": "2023-11-16T00:00:00Z", "end_date": "2023-11-15T00:00:00Z"}):
        with pytest.raises(TaskRouterError):
            window(now, bad.get("minutes"), bad.get("start_date", ""), bad.get("end_date", ""))
