"""Benchmarks of a real `taskrouter serve` process, driven from separate load-generating
processes. Run with `python -m bench` (what `make bench` does); `BENCH_QUICK=1` for a short run.
See docs/benchmarks.md for what each figure means."""
