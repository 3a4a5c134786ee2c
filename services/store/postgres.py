"""PostgreSQL connections that outlive a database restart.

peewee keeps one connection per thread for as long as the thread lives; once PostgreSQL restarts,
every one of them is dead and each call on it fails ("the connection is closed") until the server
itself restarts. Here a thread drops a dead connection before its next transaction and makes a new
one; a statement that finds its connection broken raises DatabaseUnavailable (gRPC UNAVAILABLE,
HTTP 503); during an outage no thread but the watcher (availability.py) tries to connect, so calls
fail at once. Only a BEGIN is retried on a new connection: it has done nothing yet. A statement
outside a transaction or a COMMIT that broke is not retried, as it may have been applied."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import peewee as pw

from taskrouter.server.store.availability import Availability, DatabaseUnavailable

# A connection attempt gives up after this long, and a silent peer (a host or network gone, not a
# refused connection) is noticed by TCP keepalives within about half a minute.
CONNECT_PARAMS = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                  "keepalives_count": 3}


class ResilientPostgresDatabase(pw.PostgresqlDatabase):
    _state: Any  # peewee's per-thread connection state (not in its type stubs)

    def __init__(self, database: str, availability: Availability, **kwargs):
        self.availability = availability
        self._generation = threading.local()  # the availability generation of this thread's connection
        super().__init__(database, **{**CONNECT_PARAMS, **kwargs})

    # Connecting.
    def _connect(self):
        if not self.availability.may_connect():
            raise DatabaseUnavailable()
        generation = self.availability.generation
        try:
            conn = super()._connect()  # type: ignore[misc]
        except Exception as exc:  # psycopg.OperationalError: refused, timed out, shutting down, ...
            self.availability.unreachable(exc)
            raise DatabaseUnavailable() from exc
        self._generation.value = generation
        return conn

    def _broken(self) -> bool:
        conn = self._state.conn
        return self._state.closed or conn is None or conn.closed or conn.broken

    def _drop_if_stale(self) -> None:
        """Outside a transaction: forget this thread's connection if it died or may have died."""
        if self._state.closed or self.in_transaction():
            return
        if self._broken() or getattr(self._generation, "value", None) != self.availability.generation:
            conn = self._state.conn
            self._state.reset()
            with contextlib.suppress(Exception):
                conn.close()

    def _raise_if_lost(self, exc: BaseException) -> None:
        """After a driver error (translated by peewee): DatabaseUnavailable if the connection broke."""
        if self._broken():
            self.availability.connection_lost()
            raise DatabaseUnavailable() from exc

    @contextlib.contextmanager
    def statement(self) -> Iterator[None]:
        """Around driver calls made outside execute_sql: outside a transaction a stale connection is
        dropped first; a broken connection's errors become DatabaseUnavailable."""
        self._drop_if_stale()
        try:
            yield
        except (pw.OperationalError, pw.InterfaceError) as exc:
            self._raise_if_lost(exc)
            raise

    # Statements and transactions (no context managers here: execute_sql is on every hot path).
    def execute_sql(self, sql, params=None):
        self._drop_if_stale()
        try:
            return super().execute_sql(sql, params)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            self._raise_if_lost(exc)
            raise

    def begin(self, isolation_level=None):
        self._drop_if_stale()
        try:
            return super().begin(isolation_level)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            if not self._broken():
                raise
            self.availability.connection_lost()
            failed = exc
        self._drop_if_stale()  # the connection had died unnoticed (a restart): BEGIN once on a new one
        try:
            return super().begin(isolation_level)
        except (pw.OperationalError, pw.InterfaceError) as exc:
            self._raise_if_lost(exc)
            raise exc from failed

    def commit(self):
        if self._broken():  # never COMMIT on a new connection: that would "succeed" with nothing in it
            raise DatabaseUnavailable()
        try:
            return super().commit()
        except (pw.OperationalError, pw.InterfaceError) as exc:
            self._raise_if_lost(exc)
            raise

    def rollback(self):
        if self._broken():
            return  # the server rolled the transaction back when the connection ended
        try:
            super().rollback()
        except (pw.OperationalError, pw.InterfaceError):
            if not self._broken():
                raise
            self.availability.connection_lost()
