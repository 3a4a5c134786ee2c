"""Durations' distributions as DDSketch bins. A bin holds the values within a factor (1 + alpha) of
each other, so any quantile read back from the bins is within alpha of the exact one; bins of two
buckets merge by adding their counts, which is what lets the rollups sum them in SQL.

DDSketch (Datadog's `ddsketch`, maintained, pure Python) rather than Apache DataSketches' KLL:
KLL's error is in rank (a p99 can be off by the spread of the values near it), DDSketch's is
relative to the value itself, which is the guarantee "within 1%" asks for; and its bins are
plain integers a database can add up, where a KLL sketch is an opaque blob merged in Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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
    """The values at quantiles `wanted`: the value of the bin that holds rank q * (n - 1) in
    sorted order, as DDSketch.get_quantile_value reads it (ZERO_BIN, the lowest key, first), read
    straight from the bins instead of adding each bin to a DDSketch first."""
    ordered = sorted((bin_, count) for bin_, count in bins.items() if count > 0)
    total = sum(count for _, count in ordered)
    if not total:
        return [0.0 for _ in wanted]
    out = []
    for q in wanted:
        rank, running = q * (total - 1), 0
        for bin_, count in ordered:
            running += count
            if running > rank:
                out.append(value_of(bin_))
                break
    return out
