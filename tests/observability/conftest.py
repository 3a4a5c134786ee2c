"""`taskrouter serve` as a real subprocess whose output the test reads (the helpers the tests share
are in observing.py)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest


class Served:
    """`taskrouter serve ...` in a subprocess: its stdout lines (addresses, the account) and its
    stderr (the log) in a file."""

    def __init__(self, args: list[str], env: dict | None = None):
        self.log_path = Path(tempfile.mkstemp(prefix="taskrouter-log-", suffix=".txt")[1])
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen([sys.executable, "-m", "taskrouter.server.cli", "serve", *args],
                                     stdout=subprocess.PIPE, stderr=self._log, text=True,
                                     env={**os.environ, **(env or {})}, start_new_session=True)
        self.lines: list[str] = []
        self._seen = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    def expect(self, pattern: str, count: int = 1, timeout: float = 60.0) -> list[re.Match]:
        deadline = time.monotonic() + timeout
        with self._seen:
            while True:
                found = [m for m in (re.search(pattern, line) for line in self.lines) if m]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                assert remaining > 0 and self.proc.poll() is None, (
                    f"no {pattern!r} in the output:\n" + "\n".join(self.lines) + "\n" + self.log())
                self._seen.wait(min(remaining, 0.5))

    def account(self) -> dict:
        return json.loads(self.expect(r"^\{.*\"authToken\".*\}$")[0].group(0))

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        if not self._log.closed:
            self._log.close()


@pytest.fixture
def serve():
    """Starts `taskrouter serve` subprocesses; stops them after the test."""
    started: list[Served] = []

    def start(*args: str, env: dict | None = None) -> Served:
        started.append(Served(list(args), env))
        return started[-1]

    yield start
    for served in started:
        served.stop()
        served.log_path.unlink(missing_ok=True)
