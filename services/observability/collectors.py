"""Gauges read from the database when Prometheus scrapes, not kept up to date on every change: the
database is the one truth all processes share, and a scrape every 15 s costs a few indexed reads
instead of work on every call. Per workspace, never per task, so the series stay few."""

from __future__ import annotations

import logging

import peewee as pw
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from taskrouter.server.clock import Clock
from taskrouter.server.observability import metrics
from taskrouter.server.observability.observer import is_database_error
from taskrouter.server.routing import timers
from taskrouter.server.store import db, models
from taskrouter.server.store.rows import tuples

log = logging.getLogger(__name__)


def pool_state(database: pw.Database | None) -> dict[str, int] | None:
    """Connections of this process by state, for a pooling database (peewee's pools); None without a pool."""
    if database is None or not hasattr(database, "_in_use") or not hasattr(database, "_connections"):
        return None
    return {"in_use": len(database._in_use), "idle": len(database._connections),
            "max": int(getattr(database, "_max_connections", 0) or 0)}


class DatabaseCollector(Collector):
    """taskrouter_tasks_pending and taskrouter_workers_available per workspace, how late the
    earliest due timer is, whether the database answers, and this process's connection pool. Of
    the store opened last: one collector per process, even when it holds two stores."""

    def __init__(self, clock: Clock | None = None):
        self.clock = clock or Clock()

    def describe(self):
        return []  # computed at scrape time: nothing to check at registration

    def collect(self):
        up = GaugeMetricFamily("taskrouter_database_up", "1 when the database answered this scrape's reads, else 0.")
        try:
            families = list(self._read())
        except Exception as exc:
            if not is_database_error(exc):
                raise
            metrics.database_errors.labels("metrics", type(exc).__name__).inc()
            log.warning("metrics: the database did not answer: %s", exc)
            families = []
            up.add_metric([], 0)
        else:
            up.add_metric([], 1)
        yield from families
        yield up
        yield from self._connections()
        pool = pool_state(models.database.obj)
        if pool is not None:
            connections = GaugeMetricFamily("taskrouter_database_pool_connections",
                                            "Connections of the answering process's pool, by state.", labels=["state"])
            connections.add_metric(["in_use"], pool["in_use"])
            connections.add_metric(["idle"], pool["idle"])
            yield connections
            yield GaugeMetricFamily("taskrouter_database_pool_max_connections",
                                    "The most connections the answering process's pool opens.", value=pool["max"])

    def _connections(self):
        """PostgreSQL: the server's connections to this database (every process and node) by state."""
        if not db.is_postgres() or not db.in_use().availability.up:
            return
        try:
            rows = models.database.execute_sql(
                "SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " GROUP BY 1").fetchall()
            limit = models.database.execute_sql("SHOW max_connections").fetchone()[0]
        except Exception as exc:
            if not is_database_error(exc):
                raise
            return
        connections = GaugeMetricFamily(
            "taskrouter_database_connections", "PostgreSQL: connections to the database by state, from every "
            "process and node (pg_stat_activity).", labels=["state"])
        for state, count in rows:
            connections.add_metric([state], count)
        yield connections
        yield GaugeMetricFamily("taskrouter_database_max_connections", "PostgreSQL: the server's max_connections.",
                                value=float(limit))

    def _read(self):
        T, W, A = models.Task, models.Worker, models.Activity
        pending = GaugeMetricFamily("taskrouter_tasks_pending", "Tasks waiting for a worker, per workspace.",
                                    labels=["workspace_sid"])
        for workspace_sid, count in tuples(T.select(T.workspace_sid, pw.fn.COUNT(T.id)).where(T.status == "pending")
                                           .group_by(T.workspace_sid)):
            pending.add_metric([workspace_sid], count)
        available = GaugeMetricFamily("taskrouter_workers_available",
                                      "Workers in an available activity, per workspace.", labels=["workspace_sid"])
        for workspace_sid, count in tuples(W.select(W.workspace_sid, pw.fn.COUNT(W.id))
                                           .join(A, on=(A.sid == W.activity_sid)).where(A.available == True)  # noqa: E712
                                           .group_by(W.workspace_sid)):
            available.add_metric([workspace_sid], count)
        due = timers.next_due()
        overdue = max(0.0, self.clock.now() - due) if due is not None else 0.0
        yield pending
        yield available
        yield GaugeMetricFamily("taskrouter_timers_overdue_seconds",
                                "How long the earliest due timer has waited to fire (0 when none is due).",
                                value=overdue)
