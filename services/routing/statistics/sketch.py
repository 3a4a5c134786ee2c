"""Durations' distributions as DDSketch bins. A bin holds the values within a factor (1 + alpha) of
each other, so any quantile read back from the bins is within alpha of the exact one; bins of two
buckets merge by adding their counts, which is what lets the rollups sum them in SQL.

DDSketch (Datadog's `ddsketch`, maintained, pure Python) rather than Apache DataSketches' KLL:
KLL's error is in rank (a p99 can be off by the spread of the values near it), DDSketch's is
relative to the value itself, which is the guarantee "within 1%" asks for; and its bins are
plain integers a database can add up, where a KLL sketch is an opaque blob merged in Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ddsketch import DDSketch
from ddsketch.mapping import LogarithmicMapping

# 0.5%: half the promised 1%, so a percentile stays within 1% even next to a bin's edge.
RELATIVE_ACCURACY = 0.005
ZERO_BIN = -(2**31)  # durations of 0 (the logarithmic mapping has no bin for them)
_MAPPING = LogarithmicMapping(RELATIVE_ACCURACY)


def bin_of(value: float) -> int:
    return ZERO_BIN if value <= 0 else int(_MAPPING.key(value))


def value_of(bin_: int) -> float:
    """The value a bin stands for (within alpha of every value in it)."""
    return 0.0 if bin_ == ZERO_BIN else _MAPPING.value(bin_)


def quantiles(bins: Mapping[int, int], wanted: Iterable[float]) -> list[float]:
    """The values at quantiles `wanted` (the value of rank floor(q * (n - 1)) in sorted order)."""
    sketch = DDSketch(RELATIVE_ACCURACY)
    for bin_, count in bins.items():
        if count > 0:
            sketch.add(value_of(bin_), count)
    if sketch.count == 0:
        return [0.0 for _ in wanted]
    return [sketch.get_quantile_value(q) or 0.0 for q in wanted]
