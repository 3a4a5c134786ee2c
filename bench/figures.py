"""The figures, measured against real server processes from the load pool. Every throughput is
closed-loop (each client thread calls back to back) over a fixed window after a warm-up; every
ratio compares two figures taken in this run with the same client set-up."""

from __future__ import annotations

import dataclasses
import json
import math
import os
import time
from typing import Any

from bench import load, procs, scenario
from bench.pool import LoadPool
from bench.profiling import Profiler
from bench.scale_out import ScaleOut

FIGURES = ("throughput", "processes", "metrics", "latency", "streams", "drain", "statistics", "nodes",
           "expressions")


@dataclasses.dataclass
class Settings:
    quick: bool
    # closed-loop throughput: client processes x threads per process, window and warm-up
    client_processes: int = 4
    client_threads: int = 2
    window: float = 5.0
    warmup: float = 1.0
    server_warmup: float = 3.0  # more unmeasured CreateTask load on a fresh server (caches, PG statistics)
    # routing latency
    latency_workers: int = 1000
    idle_tasks: int = 200
    idle_gap: float = 0.1
    half_load_seconds: float = 8.0
    pacer_processes: int = 2
    pacer_threads: int = 6
    # drain
    drain_workers: int = 10_000
    drain_tasks: int = 100_000
    drain_cap: float = 180.0  # seconds of draining at most (the full run must stay near 10 minutes)
    figure_processes: bool = True  # figure 7, `serve --processes 2`
    # metrics on vs off: rounds of (on, off) CreateTask measurements, averaged
    metrics_rounds: int = 4
    # open streams (bench/scale_out.py): unary latency probed at probe_rate for probe_seconds
    open_streams: int = 1000
    probe_rate: float = 50.0
    probe_seconds: float = 6.0
    # two nodes over one database
    cross_node_samples: int = 200
    cross_node_routing_samples: int = 50
    # statistics: a workspace with this much history, and the calls timed against it
    history_tasks: int = 1_000_000
    history_days: int = 30
    statistics_calls: int = 300
    # expression micro-benchmark
    expression_evals: int = 200_000
    figures: tuple[str, ...] = FIGURES  # the subset to measure (--figures)

    @classmethod
    def from_env(cls) -> Settings:
        quick = os.environ.get("BENCH_QUICK", "") not in ("", "0", "false", "no")
        if not quick:
            return cls(quick=False)
        return cls(quick=True, window=1.0, warmup=0.3, server_warmup=0.5, idle_tasks=20, idle_gap=0.07,
                   half_load_seconds=1.2, drain_workers=1_000, drain_tasks=10_000, drain_cap=20.0,
                   figure_processes=False, expression_evals=50_000, metrics_rounds=2, probe_seconds=2.0,
                   cross_node_samples=40, cross_node_routing_samples=15, history_tasks=50_000, history_days=3,
                   statistics_calls=60)


@dataclasses.dataclass
class Result:
    name: str
    value: float | None
    unit: str
    database: str
    target: str | None = None
    ok: bool | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def _check(value: float | None, target: str | None) -> bool | None:
    if target is None:
        return None
    if value is None:
        return False
    op, _, threshold = target.partition(" ")
    limit = float(threshold)
    return value >= limit if op == ">=" else value <= limit


class Bench:
    def __init__(self, settings: Settings, pool: LoadPool, profiler: Profiler):
        self.s = settings
        self.pool = pool
        self.profiler = profiler
        self.results: list[Result] = []
        self.errors: list[str] = []
        self.echo: procs.EchoServer | None = None
        self.started = time.monotonic()

    def add(self, name: str, value: float | None, unit: str, database: str, target: str | None = None) -> Result:
        if value is not None and not math.isfinite(value):
            value = None
        result = Result(name, None if value is None else round(float(value), 3), unit, database, target,
                        _check(value, target))
        self.results.append(result)
        print(f"  [{time.monotonic() - self.started:5.1f}s] {database:9s} {name:30s} {_fmt(result.value):>10s} "
              f"{unit:8s} {target or ''}", flush=True)
        return result

    def get(self, name: str, database: str) -> float | None:
        return next((r.value for r in self.results if r.name == name and r.database == database), None)

    # -- helpers ------------------------------------------------------------------------------------------

    def closed_loop(self, job: str, warmup: float | None = None, spread: list[dict] | None = None,
                    **kwargs: Any) -> tuple[float, dict]:
        """Runs `job` on client_processes processes at once; returns calls/s over the window that
        follows `warmup` seconds of the same, unmeasured load. `spread`: arguments that differ by
        process, taken in turn (process i gets spread[i % len(spread)])."""
        warmup = self.s.warmup if warmup is None else warmup
        start_at = time.monotonic() + warmup + 0.3
        spread = spread or [{}]
        parts = self.pool.run_all([(job, dict(kwargs, **spread[i % len(spread)], threads=self.s.client_threads,
                                              start_at=start_at, duration=self.s.window))
                                   for i in range(self.s.client_processes)])
        count = sum(p["count"] for p in parts)
        errors = sum(p["errors"] for p in parts)
        first_error = next((p["first_error"] for p in parts if p["first_error"]), "")
        if errors:
            print(f"    ({errors} failed calls; first: {first_error})", flush=True)
            if count == 0:
                raise RuntimeError(f"{job}: every call failed: {first_error}")
        return count / self.s.window, {"count": count, "errors": errors}

    def create_rate(self, target: str, account: dict, workflow_sid: str, warm: bool = True) -> float:
        """CreateTask/s; `warm`: a fresh server and database run slower for their first few hundred
        tasks (caches, PostgreSQL statistics), so the warm-up is longer."""
        payloads = [load.task_request(workflow_sid, team).SerializeToString() for team in range(10)]
        rate, _ = self.closed_loop("unary", warmup=self.s.warmup + (self.s.server_warmup if warm else 0),
                                   target=target, method=load.CREATE_TASK, payloads=payloads, account=account)
        return rate

    # -- figures --------------------------------------------------------------------------------------------

    def start_echo(self) -> None:
        self.echo = procs.EchoServer()

    def stop_echo(self) -> None:
        if self.echo is not None:
            self.echo.stop()

    def echo_ceiling(self, db: str) -> float:
        """The ceiling, measured right before the CreateTask figure it is compared with (other
        processes on the machine change what the cores give between minutes)."""
        payloads = [load.task_request("WF" + "0" * 32, team).SerializeToString() for team in range(10)]
        assert self.echo is not None  # started by the figures that measure against it
        rate, _ = self.closed_loop("unary", target=self.echo.grpc_target, method="/bench.Echo/Echo",
                                   payloads=payloads, account={"accountSid": "AC0", "authToken": "x"})
        self.add("grpc_echo_ceiling", rate, "req/s", db)
        return rate

    def expressions(self, configuration: str) -> None:
        job = self.pool.start("expressions", workflow_configuration=configuration, n=self.s.expression_evals)
        out = job.result()
        self.add("expr_target_workers_simple", out["target_simple_ns"], "ns/eval", "-", "<= 2000")
        self.add("expr_target_workers_compound", out["target_compound_ns"], "ns/eval", "-", "<= 2000")
        self.add("expr_workflow_10_filters", out["workflow_ns"], "ns/eval", "-", "<= 2000")

    def database(self, db: str, url: str) -> None:
        """All figures of one database. `serve --processes 2` goes first, so the one-process
        figure it is compared with is taken right after it, on the same database state."""
        two = None
        if self.s.figure_processes and "processes" in self.s.figures:
            two_server = procs.TaskRouter(f"serve-{db}-processes2", url, http=False, processes=2)
            account = procs.create_account(url)  # while the servers start
            try:
                two = self.processes(db, account, two_server.ready())
            except Exception as exc:  # noqa: BLE001 - report, go on
                self.fail(db, "serve --processes 2", exc)
            server = procs.TaskRouter(f"serve-{db}", url)
            two_server.stop()
        else:
            server = procs.TaskRouter(f"serve-{db}", url)
            account = procs.create_account(url)  # while the server starts
        try:
            server.ready()
            admin = scenario.Admin(server.grpc_target, account)
            for what, figure in (("throughput", self.throughput), ("metrics", self.metrics_cost),
                                 ("latency", self.latency), ("streams", ScaleOut(self).streams),
                                 ("drain", self.drain), ("statistics", self.statistics)):
                if what not in self.s.figures:
                    continue
                try:
                    figure(db, url, account, server, admin)
                except Exception as exc:  # noqa: BLE001
                    self.fail(db, what, exc)
                if what == "throughput" and two is not None:
                    one = self.get("create_task_grpc", db)
                    self.add("create_task_grpc_2_processes", two, "req/s", db)
                    self.add("processes_2_vs_1", two / one if one else None, "ratio", db)
            admin.close()
            hwm = server.status("VmHWM")
            self.add("server_peak_rss", hwm / 1024 if hwm else None, "MB", db, "<= 500")
        finally:
            server.stop()

    def processes(self, db: str, account: dict, server: procs.TaskRouter) -> float:
        """Figure 7: CreateTask against `serve --processes 2` (SO_REUSEPORT, one database)."""
        admin = scenario.Admin(server.grpc_target, account)
        ws = admin.workspace("throughput-2-processes")
        admin.close()
        return self.create_rate(server.grpc_target, account, ws.workflow)

    def throughput(self, db: str, url: str, account: dict, server: procs.TaskRouter, admin: scenario.Admin) -> None:
        """Figures 1 and 2: CreateTask over gRPC against the echo ceiling, and through the HTTP shim."""
        ws = admin.workspace("throughput")
        echo_rps = self.echo_ceiling(db) if self.echo is not None else None
        seconds = self.s.window + self.s.warmup + self.s.server_warmup + 1
        with self.profiler.record(server, f"{db}-create-grpc", seconds):
            grpc_rps = self.create_rate(server.grpc_target, account, ws.workflow)
        self.add("create_task_grpc", grpc_rps, "req/s", db)
        self.add("create_task_vs_echo_ceiling", grpc_rps / echo_rps if echo_rps else None, "ratio", db, ">= 0.5")
        bodies = [json.dumps({"workflowSid": ws.workflow,
                              "attributes": json.dumps({"team": f"q{team}", "bench": True})}).encode()
                  for team in range(10)]
        with self.profiler.record(server, f"{db}-create-http", self.s.window + self.s.warmup + 1):
            http_rps, _ = self.closed_loop("http_create", host="127.0.0.1", port=server.http_port,
                                           account=account, bodies=bodies)
        self.add("create_task_http", http_rps, "req/s", db)
        self.add("http_vs_grpc", http_rps / grpc_rps if grpc_rps else None, "ratio", db, ">= 0.85")

    def metrics_cost(self, db: str, url: str, account: dict, server: procs.TaskRouter,
                     admin: scenario.Admin) -> None:
        """Figure 8: CreateTask over gRPC on two new servers over this database, one as by default
        (metrics on) and one started with `--metrics-addr off`, equally warmed up, then measured in
        turns (on, off, off, on, ...: each goes first as often) so that a change in the machine's
        load falls on both alike. (`server` is left idle meanwhile.)"""
        ws = admin.workspace("metrics-cost")
        on = procs.TaskRouter(f"serve-{db}-metrics-on", url)
        off = procs.TaskRouter(f"serve-{db}-metrics-off", url, extra=("--metrics-addr", "off"))
        on_rates: list[float] = []
        off_rates: list[float] = []
        try:
            for fresh in (on.ready(), off.ready()):
                self.create_rate(fresh.grpc_target, account, ws.workflow, warm=True)  # unmeasured
            for turn in range(self.s.metrics_rounds):
                order = [(on_rates, on), (off_rates, off)]
                for rates, measured in order if turn % 2 == 0 else order[::-1]:
                    rates.append(self.create_rate(measured.grpc_target, account, ws.workflow, warm=False))
        finally:
            on.stop()
            off.stop()
        on_rps, off_rps = sum(on_rates) / len(on_rates), sum(off_rates) / len(off_rates)
        self.add("create_task_metrics_on", on_rps, "req/s", db)
        self.add("create_task_metrics_off", off_rps, "req/s", db)
        self.add("metrics_on_vs_off", on_rps / off_rps if off_rps else None, "ratio", db, ">= 0.95")

    def _templates(self, admin: scenario.Admin, ws: scenario.Workspace, activity: str, prefix: str) -> list[str]:
        from taskrouter.v1 import workforce_service_pb2, workforce_service_pb2_grpc

        stub = workforce_service_pb2_grpc.WorkforceServiceStub(admin.channel)
        sids = []
        for team in range(scenario.QUEUES):
            name = f"{prefix}t{team}"
            attributes = json.dumps({"contact_uri": f"client:{name}", "team": f"q{team}",
                                     "skills": ["sales", "support"], "languages": ["en"]})
            sids.append(stub.CreateWorker(workforce_service_pb2.CreateWorkerRequest(
                workspace_sid=ws.sid, name=name, activity_sid=activity, attributes=attributes),
                metadata=admin.md, timeout=30).sid)
        return sids

    def latency(self, db: str, url: str, account: dict, server: procs.TaskRouter, admin: scenario.Admin) -> None:
        """Figure 3: CreateTask's return -> reservation.created on WatchEvents, at idle and at half
        of the measured CreateTask rate, with latency_workers Online workers in 10 queues."""
        ws = admin.workspace("latency", reservation_timeout=86_400)
        templates = self._templates(admin, ws, ws.online, "lat")
        self.pool.start("seed", database_url=url, workspace_sid=ws.sid, worker_templates=templates,
                        workers=self.s.latency_workers, task_templates=[], tasks=0, name_prefix="lat").result()
        target = server.grpc_target
        max_rate = self.get("create_task_grpc", db) or 50.0
        half = max_rate / 2
        idle_count = self.s.idle_tasks
        # every task keeps its worker (nobody accepts), so stay below the number of workers
        budget = int(0.9 * self.s.latency_workers) - idle_count
        load_count = max(10, min(int(half * self.s.half_load_seconds), budget))
        after_id = 1  # a fresh workspace: its whole stream
        for phase, rate, count, pacers, threads in (
                ("idle", 1 / self.s.idle_gap, idle_count, 1, 1),
                ("half_load", half, load_count, self.s.pacer_processes, self.s.pacer_threads)):
            observer = self.pool.start("observe", target=target, account=account, workspace_sid=ws.sid,
                                       expected=count, timeout=count / rate + 30, after_id=after_id)
            observer.wait_signal("ready")
            start_at = time.monotonic() + 0.5
            duration = count / rate
            with self.profiler.record(server, f"{db}-latency-{phase}", duration + 1):
                jobs = [self.pool.start("paced_create", target=target, account=account, workflow_sid=ws.workflow,
                                        rate=rate / pacers, count=len(range(p, count, pacers)), threads=threads,
                                        start_at=start_at, offset=p, stride=pacers)
                        for p in range(pacers)]
                created = [row for job in jobs for row in job.result()]
            ended = max(row[2] for row in created)
            watched = observer.result()
            seen, after_id = watched["arrivals"], watched["last_id"]
            delays = sorted(max(0.0, seen[sid] - returned) * 1000 for sid, _, returned in created if sid in seen)
            missing = len(created) - len(delays)
            if missing:
                print(f"    ({missing} of {len(created)} tasks got no reservation.created in time)", flush=True)
                delays += [float("inf")] * missing
            achieved = len(created) / max(1e-9, ended - start_at)
            if phase == "half_load":
                self.add("half_load_create_rate", achieved, "req/s", db)
            limit = "<= 10" if phase == "idle" else "<= 50"
            self.add(f"routing_latency_{phase}_p50", _pct(delays, 50), "ms", db)
            self.add(f"routing_latency_{phase}_p99", _pct(delays, 99), "ms", db, limit)

    def drain(self, db: str, url: str, account: dict, server: procs.TaskRouter, admin: scenario.Admin) -> None:
        """Figure 4: drain_tasks pending tasks and drain_workers Offline workers; every worker but
        one per queue goes Online in one database transaction, then those ten through UpdateWorker
        (which wakes the server). Time from that commit until every worker holds a reservation."""
        n_workers, n_tasks = self.s.drain_workers, self.s.drain_tasks
        ws = admin.workspace("drain", reservation_timeout=86_400)
        worker_templates = self._templates(admin, ws, ws.offline, "drn")
        from taskrouter.v1 import (
            task_service_pb2_grpc,
            workforce_service_pb2,
            workforce_service_pb2_grpc,
        )

        stub = task_service_pb2_grpc.TaskServiceStub(admin.channel)
        task_templates = [stub.CreateTask(load.task_request(ws.workflow, team), metadata=admin.md, timeout=30).sid
                          for team in range(scenario.QUEUES)]
        seeded = self.pool.start("seed", database_url=url, workspace_sid=ws.sid, worker_templates=worker_templates,
                                 workers=n_workers, task_templates=task_templates, tasks=n_tasks,
                                 name_prefix="drn").result(timeout=900)
        print(f"    (seeded {n_workers:,} workers and {n_tasks:,} tasks in {seeded['seconds']:.1f}s)", flush=True)
        observer = self.pool.start("observe", target=server.grpc_target, account=account, workspace_sid=ws.sid,
                                   expected=n_workers, timeout=self.s.drain_cap + 60)
        observer.wait_signal("ready")
        workforce = workforce_service_pb2_grpc.WorkforceServiceStub(admin.channel)
        with self.profiler.record(server, f"{db}-drain", 10):
            start = self.pool.start("switch_online", database_url=url, workspace_sid=ws.sid, activity_sid=ws.online,
                                    keep=worker_templates).result(timeout=300)
            for sid in worker_templates:
                workforce.UpdateWorker(workforce_service_pb2.UpdateWorkerRequest(sid=sid, activity_sid=ws.online),
                                       metadata=admin.md, timeout=30)
            deadline = time.monotonic() + self.s.drain_cap
            while not observer.done() and time.monotonic() < deadline:
                time.sleep(0.05)
        observer.stop()
        order = observer.result(timeout=60)["order"]
        reserved = min(len(order), n_workers)
        self.add("drain_workers_reserved", reserved, "workers", db, f">= {n_workers}")
        if not reserved:
            return
        last = order[reserved - 1]
        self.add("drain_seconds", last - start, "s", db)
        self.add("drain_assignments_per_s", reserved / (last - start), "/s", db, ">= 2000")

    def statistics(self, db: str, url: str, account: dict, server: procs.TaskRouter, admin: scenario.Admin) -> None:
        """Statistics calls (HTTP, one after another) on a workspace with history_tasks finished
        tasks over history_days days, seeded in bulk with their rollups, plus live ones now."""
        ws = admin.workspace("statistics")
        workers = self._templates(admin, ws, ws.online, "st")
        seeded = self.pool.start("seed_history", database_url=url, workspace_sid=ws.sid, workflow_sid=ws.workflow,
                                 queue_sids=ws.queues, worker_sids=workers, tasks=self.s.history_tasks,
                                 days=self.s.history_days).result(timeout=1800)
        print(f"    (seeded {seeded['tasks']:,} tasks of history over {self.s.history_days} days: "
              f"{seeded['count_rows']:,} count and {seeded['bin_rows']:,} bin rollup rows in "
              f"{seeded['seconds']:.0f}s)", flush=True)
        for team in range(2 * scenario.QUEUES):  # live ones: some reserved, the rest waiting
            admin.tasks.CreateTask(load.task_request(ws.workflow, team % scenario.QUEUES), metadata=admin.md,
                                   timeout=30)
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - self.s.history_days * 86_400))
        calls = {"statistics_workspace": f"/taskrouter/statistics/workspaces/{ws.sid}?splitByWaitTime=20,60",
                 "statistics_taskqueue": f"/taskrouter/statistics/taskqueues/{ws.queues[3]}?splitByWaitTime=20",
                 "statistics_whole_history": f"/taskrouter/statistics/workspaces/{ws.sid}?startDate={since}"}
        for name, path in calls.items():
            whole = name == "statistics_whole_history"  # seconds a call: a few calls say enough
            assert server.http_port is not None  # the statistics server serves HTTP
            timings = load.timed_gets(server.http_port, account, path,
                                      max(10, self.s.statistics_calls // 30) if whole else self.s.statistics_calls)
            target = None if whole else "<= 20"
            self.add(f"{name}_p50", _pct(timings, 50), "ms", db)
            self.add(f"{name}_p99", _pct(timings, 99), "ms", db, target)

    def fail(self, db: str, what: str, exc: BaseException) -> None:
        message = f"{db}: {what} failed: {exc}"
        print(f"    !! {message}", flush=True)
        self.errors.append(message)


def _pct(values: list[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def _fmt(value: float | None) -> str:
    if value is None:
        return "n/a"
    if value == float("inf"):
        return "inf"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"

