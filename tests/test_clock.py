"""The seed's time format, including the second shown when the microseconds round up."""

from __future__ import annotations

import pytest

from taskrouter.server.clock import format_time, parse_time


@pytest.mark.parametrize(("epoch", "text"), [
    (None, ""),
    (0.0, "1970-01-01T00:00:00+0000"),
    (1592204425.25, "2020-06-15T07:00:25+0000"),
    (1592204425.9999994, "2020-06-15T07:00:25+0000"),
    (1592204425.9999996, "2020-06-15T07:00:26+0000"),  # rounds to the next microsecond, and second
    (-0.5, "1969-12-31T23:59:59+0000"),
    (-1.000001, "1969-12-31T23:59:58+0000"),
    (-1.0000001, "1969-12-31T23:59:59+0000"),
])
def test_format_time(epoch, text):
    assert format_time(epoch) == text
    assert format_time(epoch) == text  # the second time from the cache


def test_format_time_reads_back():
    assert parse_time(format_time(1592204425.0)) == 1592204425.0
