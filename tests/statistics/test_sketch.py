"""Percentiles read straight from summed bins are those a DDSketch of the same values gives."""

from __future__ import annotations

from ddsketch import DDSketch
from hypothesis import given
from hypothesis import strategies as st

from taskrouter.server.routing.statistics import sketch

QUANTILES = [0.0, 0.5, 0.9, 0.95, 0.99, 1.0]
durations = st.lists(st.one_of(st.just(0.0), st.floats(min_value=1e-6, max_value=1_209_600)), max_size=60)


def _binned(values: list[float]) -> dict[int, int]:
    bins: dict[int, int] = {}
    for value in values:
        bins[sketch.bin_of(value)] = bins.get(sketch.bin_of(value), 0) + 1
    return bins


@given(durations)
def test_quantiles_of_bins_match_a_ddsketch_of_the_values(values):
    reference = DDSketch(sketch.RELATIVE_ACCURACY)
    for value in values:
        reference.add(value)
    expected = [reference.get_quantile_value(q) or 0.0 for q in QUANTILES] if values else [0.0] * len(QUANTILES)
    assert sketch.quantiles(_binned(values), QUANTILES) == expected


def test_no_values_and_empty_bins_read_as_zero():
    assert sketch.quantiles({}, QUANTILES) == [0.0] * len(QUANTILES)
    assert sketch.quantiles({sketch.bin_of(3.0): 0}, [0.5]) == [0.0]
