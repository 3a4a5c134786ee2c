"""What the routing core reports while it works: one object on the Environment (env.observe), so
the domain says what happened in one line and knows nothing of Prometheus or OpenTelemetry."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator
from typing import Any

import peewee as pw
import psycopg

from taskrouter.server.observability import metrics, tracing
from taskrouter.server.store.availability import DatabaseUnavailable

# (DatabaseUnavailable: refused at once while an outage is known, without touching the driver)
_DATABASE_ERRORS = (pw.DatabaseError, pw.InterfaceError, sqlite3.Error, psycopg.Error, DatabaseUnavailable)


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, _DATABASE_ERRORS)


class Observer:
    """Counts into the process's Prometheus metrics (when `metrics`) and makes spans (when a
    tracer provider is installed)."""

    def __init__(self, metrics_on: bool = True):
        self.metrics_on = metrics_on
        self._origins = tracing.Origins()
        self._by_event: dict[str, Any] = {}
        self._recorded: dict[str, Any] = {}  # events_recorded's series by type, looked up once
        if metrics_on:
            metrics.touch_series()
            # A new reservation (event reservation.created) is pending; the others are named as their events.
            self._by_event = {f"reservation.{'created' if s == 'pending' else s}": metrics.reservations.labels(s)
                              for s in metrics.RESERVATION_STATUSES}
            self._by_event["task.created"] = metrics.tasks_created

    def events_recorded(self, rows: Iterable[dict[str, Any]]) -> None:
        """Events about to be committed: tasks created, reservations by status, events by type."""
        if not self.metrics_on:
            return
        for row in rows:
            event_type = row["event_type"]
            recorded = self._recorded.get(event_type)
            if recorded is None:
                recorded = self._recorded[event_type] = metrics.events_recorded.labels(event_type)
            recorded.inc()
            counter = self._by_event.get(event_type)
            if counter is not None:
                counter.inc()

    def offered(self, ready_at: float, now: float) -> None:
        """A reservation was made for a task that became ready in its queue at `ready_at`."""
        if self.metrics_on:
            metrics.routing_latency.observe(max(0.0, now - ready_at))

    def woke(self, workspace_sid: str) -> None:
        """A call asked for a matching pass over the workspace: the pass joins its trace."""
        if tracing.active():
            self._origins.note("workspace:" + workspace_sid)

    @contextlib.contextmanager
    def matching_pass(self, workspace_sid: str) -> Iterator[None]:
        """Times one matching pass, in a span that is a child of the call that woke it."""
        started = time.perf_counter()
        if tracing.active():
            with tracing.background_span("taskrouter.matching.pass", self._origins.take("workspace:" + workspace_sid),
                                         {"taskrouter.workspace_sid": workspace_sid}):
                yield
        else:
            yield
        if self.metrics_on:
            metrics.matching_pass.observe(time.perf_counter() - started)

    def timer_fired(self, due_at: float, now: float) -> None:
        """The earliest due timer fired at `now`."""
        if self.metrics_on:
            metrics.timer_lag.observe(max(0.0, now - due_at))

    def delivery_queued(self, key: str) -> None:
        """A callback was queued (key: the reservation SID of an assignment, the event SID of an
        event callback): its delivery joins the trace of the call or pass that queued it."""
        if tracing.active():
            self._origins.note("delivery:" + key)

    @contextlib.contextmanager
    def callback_delivery(self, kind: str, reservation_sid: str | None, body: str) -> Iterator[Any]:
        """A span around one delivery attempt (its HTTP request carries the span's traceparent)."""
        if not tracing.active():
            yield None
            return
        key = reservation_sid if kind == "assignment" else _event_sid(body)
        origins = self._origins.take("delivery:" + key) if key else []
        with tracing.background_span("taskrouter.callback.delivery", origins,
                                     {"taskrouter.callback.kind": kind}) as span:
            yield span

    def callback(self, kind: str, outcome: str) -> None:
        """One delivery attempt ended: delivered, retried, failed (no attempt left) or skipped."""
        if self.metrics_on:
            metrics.callback_deliveries.labels(kind, outcome).inc()

    def failed(self, source: str, exc: BaseException) -> None:
        """An exception escaped a call or a background loop: counted when the database raised it."""
        if self.metrics_on and is_database_error(exc):
            metrics.database_errors.labels(source, type(exc).__name__).inc()


def _event_sid(body: str) -> str:
    try:
        return str(json.loads(body).get("EventSid", ""))
    except (ValueError, AttributeError):
        return ""


NULL = Observer(metrics_on=False)
