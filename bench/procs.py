"""The processes under test: `taskrouter serve` (one or --processes N), the echo server, and
the databases they run on (a temp SQLite file; a fresh PostgreSQL database, dropped after)."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "bench"
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def taskrouter_command() -> list[str]:
    """The `taskrouter` console script of this interpreter's environment."""
    script = Path(sys.executable).parent / "taskrouter"
    return [str(script)] if script.exists() else [sys.executable, "-m", "taskrouter.server.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), str(ROOT / "generated"), env.get("PYTHONPATH")]))
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


class Process:
    """A server subprocess whose stdout lines we read (for its listening addresses)."""

    def __init__(self, name: str, argv: list[str]):
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.argv = argv
        self.log_path = LOG_DIR / f"{name}.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log, text=True, cwd=ROOT,
                                     env=_env(), start_new_session=True)
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None  # started with stdout=PIPE
        for line in self.proc.stdout:
            self._log.write(line)
            self._log.flush()
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def expect(self, pattern: str, timeout: float = 60.0) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.05, deadline - time.monotonic()))
            except queue.Empty:
                line = ""
            if line is None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not print {pattern!r} (see {self.log_path}):\n{self.tail()}")
            match = re.search(pattern, line)
            if match:
                return match

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def pid(self) -> int:
        return self.proc.pid

    def status(self, field: str) -> int | None:
        """A /proc/<pid>/status memory field in kB (VmHWM: peak RSS, VmRSS: current)."""
        try:
            text = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
        return int(match.group(1)) if match else None

    def stop(self, timeout: float = 20.0) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()


class TaskRouter(Process):
    """`taskrouter serve` on free ports. With processes > 1 the children share one fixed port."""

    def __init__(self, name: str, database_url: str, *, http: bool = True, processes: int = 1,
                 extra: tuple[str, ...] = ()):
        """`extra`: more `serve` arguments (`--metrics-addr off`)."""
        grpc_port = free_port() if processes > 1 else 0
        http_addr = f"127.0.0.1:{free_port() if processes > 1 else 0}" if http else "off"
        argv = [*taskrouter_command(), "serve", "--grpc-addr", f"127.0.0.1:{grpc_port}", "--http-addr", http_addr,
                "--database", database_url]
        if processes > 1:
            argv += ["--processes", str(processes)]
        super().__init__(name, argv + list(extra))
        self.processes = processes
        self.http = http
        self.grpc_target = ""
        self.http_port: int | None = None

    def ready(self) -> TaskRouter:
        """Waits until it listens (the constructor only launches it, so set-up can overlap)."""
        if self.grpc_target:
            return self
        ports = {int(self.expect(r"gRPC listening on .*:(\d+)$").group(1)) for _ in range(self.processes)}
        self.grpc_port = ports.pop()
        self.grpc_target = f"127.0.0.1:{self.grpc_port}"
        if self.http:
            self.http_port = int(self.expect(r"HTTP listening on http://.*:(\d+)$").group(1))
        _wait_grpc_ready(self.grpc_target)
        return self


class EchoServer(Process):
    def __init__(self):
        super().__init__("echo", [sys.executable, "-m", "bench.echo", "--addr", "127.0.0.1:0"])
        port = int(self.expect(r"echo listening on .*:(\d+)$").group(1))
        self.grpc_target = f"127.0.0.1:{port}"


def _wait_grpc_ready(target: str, timeout: float = 30.0) -> None:
    import grpc

    with grpc.insecure_channel(target) as channel:
        grpc.channel_ready_future(channel).result(timeout=timeout)


def create_account(database_url: str, email: str = "bench@localhost") -> dict:
    out = subprocess.run([*taskrouter_command(), "accounts", "create", "--email", email, "--database", database_url],
                         capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"taskrouter accounts create failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- databases ---------------------------------------------------------------------------------------


def _pg_connect(url: str, timeout: float = 3.0):
    import psycopg

    parts = urllib.parse.urlparse(url)
    return psycopg.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 5432,
                           user=urllib.parse.unquote(parts.username or "postgres"),
                           password=urllib.parse.unquote(parts.password) if parts.password else None,
                           dbname=parts.path.lstrip("/") or "postgres", autocommit=True, connect_timeout=int(timeout))


def postgres_reachable(url: str = POSTGRES_ADMIN_URL) -> bool:
    try:
        with _pg_connect(url, timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


@contextlib.contextmanager
def sqlite_database() -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix="taskrouter-bench-")
    try:
        yield f"sqlite:///{directory}/taskrouter.db"
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def postgres_database(admin_url: str = POSTGRES_ADMIN_URL) -> Iterator[str]:
    name = f"taskrouter_bench_{uuid.uuid4().hex[:12]}"
    with _pg_connect(admin_url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunparse(urllib.parse.urlparse(admin_url)._replace(path="/" + name))
    finally:
        with _pg_connect(admin_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
