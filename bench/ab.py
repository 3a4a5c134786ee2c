"""Interleaved A/B of two checkouts, for a machine whose load moves between runs:
`python -m bench.ab OLD_CHECKOUT [--rounds N] [--old-python PY] -- [python -m bench options]`
runs `python -m bench` in OLD_CHECKOUT and in this one, alternating (old, new, new, old, ...)
so that both sides see the same minutes, and prints each figure's median per side and new / old.

OLD_CHECKOUT is e.g. `git worktree add --detach ../base main`; its interpreter (--old-python,
default OLD_CHECKOUT/.venv/bin/python) must import taskrouter from that checkout. BENCH_QUICK is
passed through; runs are quick unless it is set to 0."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(checkout: Path, python: str, options: list[str]) -> dict[str, float]:
    env = dict(os.environ, BENCH_QUICK=os.environ.get("BENCH_QUICK", "1"))
    subprocess.run([python, "-m", "bench", *options], cwd=checkout, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=3600, check=False)
    results = json.loads((checkout / "var" / "bench" / "results.json").read_text())
    return {f"{r['database']}:{r['name']}": r["value"] for r in results if r["value"] is not None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ab", description=__doc__,
                                     usage="python -m bench.ab OLD_CHECKOUT [--rounds N] [--old-python PY] "
                                           "[-- BENCH_OPTIONS...]",
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path, help="the checkout to compare with (the baseline)")
    parser.add_argument("--old-python", help="its interpreter (default OLD/.venv/bin/python)")
    parser.add_argument("--rounds", type=int, default=4, help="runs of each side (default 4)")
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    args = parser.parse_args(argv[:split])
    options = argv[split + 1:]
    sides = {"old": (args.old.resolve(), args.old_python or str(args.old.resolve() / ".venv" / "bin" / "python")),
             "new": (ROOT, sys.executable)}
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for round_ in range(args.rounds):
        for side in ("old", "new") if round_ % 2 == 0 else ("new", "old"):
            runs[side].append(_run(*sides[side], options))
            print(f"round {round_ + 1}/{args.rounds}: {side} done", flush=True)
    names = sorted(set().union(*runs["old"]) & set().union(*runs["new"]))
    print(f"{'figure':45} {'old':>10} {'new':>10} {'new/old':>8}")
    for name in names:
        old = statistics.median(r[name] for r in runs["old"] if name in r)
        new = statistics.median(r[name] for r in runs["new"] if name in r)
        print(f"{name:45} {old:10.4g} {new:10.4g} {new / old if old else float('nan'):8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
