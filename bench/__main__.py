"""`python -m bench` (what `make bench` runs): see docs/benchmarks.md.

Starts real `taskrouter serve` subprocesses on a temp SQLite file and, when
postgresql://postgres@127.0.0.1:5432/postgres answers (or BENCH_POSTGRES_URL), on a fresh
PostgreSQL database that is dropped afterwards; drives them from spawned load processes; prints
a table and writes var/bench/results.json. BENCH_QUICK=1 runs a short version (< 60 s)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from bench import procs, scenario
from bench.figures import FIGURES, Bench, Settings, _fmt
from bench.pool import LoadPool
from bench.profiling import Profiler
from bench.scale_out import ScaleOut

RESULTS = procs.LOG_DIR / "results.json"


def table(results) -> str:
    rows = [("database", "figure", "value", "unit", "target", "ok")]
    for r in results:
        ok = "" if r.ok is None else ("yes" if r.ok else "NO")
        rows.append((r.database, r.name, _fmt(r.value), r.unit, r.target or "", ok))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [row[i].rjust(widths[i]) if i == 2 else row[i].ljust(widths[i]) for i in range(len(row))]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--databases", default="sqlite,postgres",
                        help="comma-separated: sqlite, postgres (skipped when unreachable)")
    parser.add_argument("--profile", action="store_true",
                        help="sample the server with py-spy during each figure into var/bench/profile-*.txt")
    parser.add_argument("--figures", default=",".join(FIGURES),
                        help="comma-separated subset of: " + ", ".join(FIGURES))
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    settings.figures = tuple(f.strip() for f in args.figures.split(",") if f.strip())
    wanted = [d.strip() for d in args.databases.split(",") if d.strip()]
    started = time.monotonic()
    procs.LOG_DIR.mkdir(parents=True, exist_ok=True)
    print(f"taskrouter benchmarks ({'quick' if settings.quick else 'full'}): "
          f"{settings.client_processes} client processes x {settings.client_threads} threads, "
          f"{settings.window:g}s windows" + ("; figure 7 (serve --processes 2) is left out" if not
                                              settings.figure_processes else ""), flush=True)
    load1 = os.getloadavg()[0]
    if load1 > 0.5:
        print(f"note: load average {load1:.1f} before the start: other processes compete for the "
              f"{os.cpu_count()} cores, and the figures move with them", flush=True)
    pool = LoadPool(max(settings.client_processes, settings.pacer_processes) + 2)
    bench = Bench(settings, pool, Profiler(args.profile))
    try:
        try:
            bench.start_echo()
        except Exception as exc:  # noqa: BLE001 - report and go on
            bench.fail("-", "echo server", exc)
        for db in wanted:
            if db == "postgres" and not procs.postgres_reachable():
                print(f"postgres: {procs.POSTGRES_ADMIN_URL} not reachable; skipped", flush=True)
                continue
            print(f"{db}:", flush=True)
            database = procs.sqlite_database() if db == "sqlite" else procs.postgres_database()
            try:
                with database as url:
                    bench.database(db, url)
            except Exception as exc:  # noqa: BLE001
                bench.fail(db, "run", exc)
            if "nodes" in settings.figures:
                try:
                    ScaleOut(bench).nodes(db)
                except Exception as exc:  # noqa: BLE001
                    bench.fail(db, "nodes", exc)
        try:
            if "expressions" in settings.figures:
                bench.expressions(scenario.workflow_configuration([f"TQ{i:032x}" for i in range(scenario.QUEUES)]))
        except Exception as exc:  # noqa: BLE001
            bench.fail("-", "expressions", exc)
    finally:
        bench.stop_echo()
        pool.close()
    RESULTS.write_text(json.dumps([r.as_dict() for r in bench.results], indent=2) + "\n")
    print()
    print(table(bench.results))
    print(f"\nwrote {RESULTS.relative_to(procs.ROOT)} in {time.monotonic() - started:.0f}s", flush=True)
    for error in bench.errors:
        print(f"error: {error}", file=sys.stderr)
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
