"""A small pool of load-generating processes (multiprocessing, spawn start method).

Each process imports grpc once and then runs one job at a time, given by name (a function of
bench.load) and keyword arguments. Jobs can send signals back ("ready") before their result, so
the coordinator can start load only once an observer is listening. Each job opens its own gRPC
channels: nothing is shared between processes."""

from __future__ import annotations

import contextlib
import itertools
import multiprocessing as mp
import queue as queue_module
import time
import traceback
from typing import Any


class JobFailed(RuntimeError):
    pass


def _worker_main(index: int, jobs: mp.Queue, results: mp.Queue, stop) -> None:
    from bench import load  # imported in the child: grpc, protobuf stubs

    load.STOP = stop  # set by the coordinator to end the running job early (Job.stop)

    results.put(("alive", index, None))
    while True:
        item = jobs.get()
        if item is None:
            return
        job_id, name, kwargs = item

        def signal(what: str, value: Any = None, _job_id=job_id) -> None:
            results.put(("signal", _job_id, (what, value)))

        try:
            value = getattr(load, name)(signal=signal, **kwargs)
        except BaseException:  # noqa: BLE001 - reported to the coordinator
            results.put(("error", job_id, traceback.format_exc()))
        else:
            results.put(("result", job_id, value))


class Job:
    def __init__(self, pool: LoadPool, job_id: int, name: str, worker: int):
        self.pool, self.id, self.name, self.worker = pool, job_id, name, worker

    def wait_signal(self, what: str, timeout: float = 60.0) -> Any:
        return self.pool._wait(self.id, ("signal", what), timeout)

    def result(self, timeout: float = 600.0) -> Any:
        return self.pool._wait(self.id, ("result",), timeout)

    def stop(self) -> None:
        """Asks the job to end now (jobs that watch bench.load.STOP do)."""
        self.pool._stops[self.worker].set()

    def done(self) -> bool:
        with contextlib.suppress(queue_module.Empty):
            self.pool._pump(0.0)
        return any(kind in ("result", "error") for kind, _ in self.pool._inbox.get(self.id, []))


class LoadPool:
    def __init__(self, size: int):
        ctx = mp.get_context("spawn")
        self.size = size
        self._results: mp.Queue = ctx.Queue()
        self._queues = [ctx.Queue() for _ in range(size)]
        self._stops = [ctx.Event() for _ in range(size)]
        self._procs = [ctx.Process(target=_worker_main, args=(i, self._queues[i], self._results, self._stops[i]),
                                   daemon=True, name=f"bench-load-{i}") for i in range(size)]
        self._ids = itertools.count(1)
        self._busy: dict[int, int] = {}  # worker -> job id
        self._inbox: dict[int, list] = {}
        self._alive = 0
        for proc in self._procs:
            proc.start()  # they import grpc while the coordinator starts servers

    def _wait_alive(self) -> None:
        deadline = time.monotonic() + 60
        while self._alive < self.size:
            kind, job_id, value = self._results.get(timeout=max(0.1, deadline - time.monotonic()))
            if kind == "alive":
                self._alive += 1
            else:
                self._inbox.setdefault(job_id, []).append((kind, value))

    def start(self, name: str, worker: int | None = None, **kwargs: Any) -> Job:
        """Runs `bench.load.<name>(**kwargs)` on a free process (or the given one)."""
        self._wait_alive()
        if worker is None:
            free = [i for i in range(self.size) if i not in self._busy]
            if not free:
                raise RuntimeError("no free load process")
            worker = free[0]
        elif worker in self._busy:
            raise RuntimeError(f"load process {worker} is busy")
        job_id = next(self._ids)
        self._stops[worker].clear()
        self._busy[worker] = job_id
        self._inbox[job_id] = []
        self._queues[worker].put((job_id, name, kwargs))
        return Job(self, job_id, name, worker)

    def run_all(self, jobs: list[tuple[str, dict]], timeout: float = 900.0) -> list[Any]:
        """Starts every job at once (one per process) and returns their results in order."""
        started = [self.start(name, **kwargs) for name, kwargs in jobs]
        return [job.result(timeout) for job in started]

    def _pump(self, timeout: float) -> None:
        kind, job_id, value = self._results.get(timeout=timeout)
        if kind == "alive":
            self._alive += 1
            return
        self._inbox.setdefault(job_id, []).append((kind, value))
        if kind in ("result", "error"):
            for worker, busy_id in list(self._busy.items()):
                if busy_id == job_id:
                    del self._busy[worker]

    def _wait(self, job_id: int, wanted: tuple, timeout: float) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            box = self._inbox.get(job_id, [])
            for position, (kind, value) in enumerate(box):
                if kind == "error":
                    raise JobFailed(f"load job {job_id} failed:\n{value}")
                if kind == wanted[0] and (kind == "result" or value[0] == wanted[1]):
                    box.pop(position)
                    return value if kind == "result" else value[1]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"load job {job_id}: no {wanted} within {timeout:.0f}s")
            for proc in self._procs:
                if not proc.is_alive():
                    raise JobFailed(f"load process {proc.name} died (exit code {proc.exitcode})")
            with contextlib.suppress(queue_module.Empty):
                self._pump(min(remaining, 1.0))

    def close(self) -> None:
        for q in self._queues:
            with contextlib.suppress(OSError, ValueError):
                q.put(None)
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
