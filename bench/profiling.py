"""Optional sampling of the server while a figure is measured (`python -m bench --profile`):
py-spy (pip install py-spy; not a project dependency) records the threads that hold the GIL,
which is what bounds a Python server, into var/bench/profile-<figure>.txt (collapsed stacks,
for flamegraph.pl or speedscope) plus a summary of the hottest functions. Figures measured
while profiling run slower; take the numbers from a run without --profile."""

from __future__ import annotations

import collections
import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from bench.procs import LOG_DIR


def _py_spy() -> str | None:
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


class Profiler:
    def __init__(self, enabled: bool):
        self.tool = _py_spy() if enabled else None
        if enabled and self.tool is None:
            print("--profile: py-spy not found (pip install py-spy); profiling off", flush=True)

    @contextlib.contextmanager
    def record(self, server, label: str, seconds: float) -> Iterator[None]:
        if self.tool is None or getattr(server, "processes", 1) != 1:
            yield
            return
        out = LOG_DIR / f"profile-{label}.txt"
        spy = subprocess.Popen([self.tool, "record", "--pid", str(server.pid), "--duration", str(max(1, int(seconds))),
                                "--rate", "250", "--gil", "--threads", "--nonblocking", "--format", "raw",
                                "--output", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            yield
        finally:
            try:
                spy.wait(timeout=seconds + 30)
            except subprocess.TimeoutExpired:
                spy.kill()
            if out.exists():
                summary = summarize(out)
                out.with_suffix(".summary.txt").write_text(summary)
                print(f"    profile: {out} (summary: {out.with_suffix('.summary.txt').name})", flush=True)


def summarize(path: Path, top: int = 40) -> str:
    """Share of GIL-holding samples per thread, per function (inclusive) and per line (self)."""
    inclusive: collections.Counter = collections.Counter()
    own: collections.Counter = collections.Counter()
    threads: collections.Counter = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        threads[frames[0].split(":")[-1].strip() or frames[0]] += n
        for frame in set(frames[1:]):
            inclusive[frame] += n
        own[frames[-1]] += n
    if not total:
        return "no samples\n"
    lines = [f"{total} samples (GIL held)", "", "by thread:"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in threads.most_common(12)]
    lines += ["", "inclusive (project code and peewee/grpc entry points):"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in inclusive.most_common(top * 3)
              if "services/" in frame or "peewee.py" in frame or "grpc/" in frame][:top]
    lines += ["", "self:"]
    lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    return "\n".join(lines) + "\n"
