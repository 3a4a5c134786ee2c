"""The serving and scale-out figures (docs/benchmarks.md, docs/deploy.md):

- streams: unary CreateTask latency, p99, while 1,000 event streams (gRPC and SSE, opened by
  load processes, on another workspace) are open, against the same with none open.
- nodes: two `taskrouter serve` processes on separate ports over one fresh database:
  a task created on node B -> its task.created on a stream at node A (p50, p99); a worker made
  free on node A, then a task created on node B -> its reservation.created (p50, p99); and
  CreateTask with the clients spread over both nodes against all of them on one."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

from bench import load, procs, scenario

if TYPE_CHECKING:
    from bench.figures import Bench


def _latencies_ms(rows: list) -> list[float]:
    return sorted((returned - sent) * 1000 for _, sent, returned in rows)


class ScaleOut:
    def __init__(self, bench: Bench):
        self.b = bench
        self.s = bench.s

    # -- open streams ---------------------------------------------------------------------------------------

    def _probe(self, target: str, account: dict, workflow_sid: str) -> list[float]:
        """CreateTask latencies (ms) at a steady, modest rate: what a client sees, not a ceiling."""
        count = int(self.s.probe_rate * self.s.probe_seconds)
        rows = self.b.pool.start("paced_create", target=target, account=account, workflow_sid=workflow_sid,
                                 rate=self.s.probe_rate, count=count, threads=4,
                                 start_at=time.monotonic() + 0.3).result()
        return _latencies_ms(rows)

    def streams(self, db: str, url: str, account: dict, server: procs.TaskRouter, admin: scenario.Admin) -> None:
        from bench.figures import _pct

        watched = admin.workspace("streams-watched")
        probed = admin.workspace("streams-probed")
        self._probe(server.grpc_target, account, probed.workflow)  # warm-up
        before = self._probe(server.grpc_target, account, probed.workflow)
        per_holder = self.s.open_streams // 2
        holders = [self.b.pool.start("hold_streams", target=server.grpc_target, http_port=server.http_port,
                                     account=account, workspace_sid=watched.sid,
                                     grpc_streams=per_holder * 3 // 5, sse_streams=per_holder - per_holder * 3 // 5)
                   for _ in range(2)]
        try:
            for holder in holders:
                holder.wait_signal("ready", timeout=180)
            with self.b.profiler.record(server, f"{db}-streams", self.s.probe_seconds + 1):
                during = self._probe(server.grpc_target, account, probed.workflow)
        finally:
            for holder in holders:
                holder.stop()
        held = [holder.result(timeout=60) for holder in holders]
        after = self._probe(server.grpc_target, account, probed.workflow)
        opened = sum(h["grpc"] + h["sse"] for h in held)
        refused = sum(h["refused"] for h in held)
        if refused:
            print(f"    ({refused} SSE streams refused)", flush=True)
        # without streams: measured before and after, averaged (the machine's load moves meanwhile)
        none_p99 = ((_pct(before, 99) or 0) + (_pct(after, 99) or 0)) / 2
        with_p99 = _pct(during, 99)
        self.b.add("open_streams", opened, "streams", db, f">= {self.s.open_streams}")
        self.b.add("unary_p99_no_streams", none_p99, "ms", db)
        self.b.add("unary_p99_with_streams", with_p99, "ms", db)
        self.b.add("unary_p99_streams_vs_none", with_p99 / none_p99 if with_p99 and none_p99 else None, "ratio",
                   db, "<= 1.5")

    # -- two nodes -----------------------------------------------------------------------------------------

    def nodes(self, db: str) -> None:
        """On a fresh database of its own: two nodes, started side by side."""
        database = procs.postgres_database() if db == "postgres" else procs.sqlite_database()
        with database as url:
            node_a = procs.TaskRouter(f"node-a-{db}", url, http=False)
            account = procs.create_account(url)  # the schema exists once node A is up
            node_a.ready()
            node_b = procs.TaskRouter(f"node-b-{db}", url, http=False)
            admin = scenario.Admin(node_a.grpc_target, account)
            try:
                node_b.ready()
                for what, figure in (("stream", self._cross_node_stream), ("routing", self._cross_node_routing),
                                     ("throughput", self._two_nodes_throughput)):
                    try:
                        figure(db, account, node_a, node_b, admin)
                    except Exception as exc:  # noqa: BLE001 - report, go on
                        self.b.fail(db, f"nodes {what}", exc)
            finally:
                admin.close()
                node_b.stop()
                node_a.stop()

    def _cross_node_stream(self, db: str, account: dict, node_a, node_b, admin: scenario.Admin) -> None:
        from bench.figures import _pct

        ws = admin.workspace("cross-node-stream")
        count = self.s.cross_node_samples
        observer = self.b.pool.start("observe", target=node_a.grpc_target, account=account, workspace_sid=ws.sid,
                                     expected=count, timeout=count / 20 + 30, event_type="task.created",
                                     after_id=0)  # from now on: on a fresh database the first event is id 1
        observer.wait_signal("ready")
        created = self.b.pool.start("paced_create", target=node_b.grpc_target, account=account,
                                    workflow_sid=ws.workflow, rate=20.0, count=count, threads=1,
                                    start_at=time.monotonic() + 0.5).result()
        arrivals = observer.result()["arrivals"]
        delays = sorted(max(0.0, arrivals[sid] - returned) * 1000 if sid in arrivals else float("inf")
                        for sid, _, returned in created)
        target = "<= 20" if db == "postgres" else None
        self.b.add("cross_node_stream_p50", _pct(delays, 50), "ms", db)
        self.b.add("cross_node_stream_p99", _pct(delays, 99), "ms", db, target)

    def _cross_node_routing(self, db: str, account: dict, node_a, node_b, admin: scenario.Admin) -> None:
        from bench.figures import _pct
        from taskrouter.v1 import workforce_service_pb2, workforce_service_pb2_grpc

        ws = admin.workspace("cross-node-routing", reservation_timeout=86_400)
        workforce = workforce_service_pb2_grpc.WorkforceServiceStub(admin.channel)
        worker = workforce.CreateWorker(workforce_service_pb2.CreateWorkerRequest(
            workspace_sid=ws.sid, name="roaming", activity_sid=ws.offline,
            attributes=json.dumps({"team": "q0", "contact_uri": "client:roaming"})), metadata=admin.md, timeout=30)
        samples = self.s.cross_node_routing_samples
        observer = self.b.pool.start("observe", target=node_b.grpc_target, account=account, workspace_sid=ws.sid,
                                     expected=samples, timeout=samples * 0.5 + 30, after_id=0)
        observer.wait_signal("ready")
        rows = self.b.pool.start("cross_node_routing", node_a=node_a.grpc_target, node_b=node_b.grpc_target,
                                 account=account, workspace_sid=ws.sid, workflow_sid=ws.workflow,
                                 worker_sid=worker.sid, online=ws.online, offline=ws.offline,
                                 samples=samples).result()
        arrivals = observer.result()["arrivals"]
        delays = sorted(max(0.0, arrivals[sid] - returned) * 1000 if sid in arrivals else float("inf")
                        for sid, returned in rows)
        target = "<= 20" if db == "postgres" else None
        self.b.add("cross_node_routing_p50", _pct(delays, 50), "ms", db)
        self.b.add("cross_node_routing_p99", _pct(delays, 99), "ms", db, target)

    def _two_nodes_throughput(self, db: str, account: dict, node_a, node_b, admin: scenario.Admin) -> None:
        ws = admin.workspace("cross-node-throughput")
        payloads = [load.task_request(ws.workflow, team).SerializeToString() for team in range(10)]
        common: dict[str, Any] = {"method": load.CREATE_TASK, "payloads": payloads, "account": account}
        one, _ = self.b.closed_loop("unary", warmup=self.s.warmup + self.s.server_warmup,
                                    target=node_a.grpc_target, **common)
        two, _ = self.b.closed_loop("unary", spread=[{"target": node.grpc_target} for node in (node_a, node_b)],
                                    **common)
        self.b.add("create_task_1_node", one, "req/s", db)
        self.b.add("create_task_2_nodes", two, "req/s", db)
        self.b.add("nodes_2_vs_1", two / one if one else None, "ratio", db, ">= 1.0" if db == "postgres" else None)
