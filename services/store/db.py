"""Opening the database from a URL, the schema and its versions, and the transactions the
domain uses. SQLite (WAL) is the embedded default; PostgreSQL is the scale-out choice."""

from __future__ import annotations

import contextlib
import contextvars
import fcntl
import logging
import os
import threading
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as schema_migrate

from taskrouter.server.store import current, models
from taskrouter.server.store.availability import Availability, LoopFailures
from taskrouter.server.store.postgres import ResilientPostgresDatabase

DEFAULT_URL = "sqlite:///var/taskrouter.db"
log = logging.getLogger(__name__)
T = TypeVar("T")


def _create_indexes(model: type[models.BaseModel]) -> None:
    model._schema.create_indexes(safe=True)  # type: ignore[attr-defined]  # the schema manager peewee's metaclass adds


def _migration_1(db: pw.Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion])


def _migration_2(db: pw.Database) -> None:
    """The queue line index (models.QUEUE_LINE), for databases made before it."""
    _create_indexes(models.Task)


# Each step moves the schema one version up; append, never edit, so existing databases migrate.
def _migration_3(db: pw.Database) -> None:
    """The ingress tables (Genesys services and tasks, extension schemas, SigV4 secrets, client tokens)."""
    db.create_tables(models.INGRESS_MODELS, safe=True)


def _migration_4(db: pw.Database) -> None:
    """The indexes of the hot reads: the FIFO queue line, timers, free workers, waiting tasks; and
    no more the task indexes they make redundant (every index costs every insert)."""
    for model in (models.Task, models.Reservation, models.Worker):
        _create_indexes(model)
    for name in ("task_workspace_sid", "task_status", "task_task_queue_sid", "task_expires_at",
                 "task_target_expires_at", "reservation_worker_sid", "reservation_status", "reservation_timeout_at"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')


def _migration_5(db: pw.Database) -> None:
    """The eGain ingress tables (customers, their contact points, cases, activity configuration)."""
    db.create_tables(models.EGAIN_MODELS, safe=True)


def _migration_6(db: pw.Database) -> None:
    """Event positions per workspace in commit order: the seq column, numbered for the rows
    already there (in id order), and the counters that hand out the next ones."""
    if "seq" not in {c.name for c in db.get_columns("event")}:
        schema_migrate(SchemaMigrator.from_database(db).add_column("event", "seq", pw.BigIntegerField(null=True)))
    db.create_tables([models.EventSequence], safe=True)
    db.execute_sql("UPDATE event SET seq = numbered.n FROM (SELECT id, ROW_NUMBER() OVER "
                   "(PARTITION BY workspace_sid ORDER BY id) AS n FROM event) AS numbered "
                   "WHERE event.id = numbered.id AND event.seq IS NULL")
    db.execute_sql("INSERT INTO event_sequence (workspace_sid, last) SELECT workspace_sid, MAX(seq) FROM event "
                   "GROUP BY workspace_sid ON CONFLICT (workspace_sid) DO NOTHING")
    db.execute_sql('DROP INDEX IF EXISTS "event_workspace_sid_id"')
    _create_indexes(models.Event)


def _migration_7(db: pw.Database) -> None:
    """Credentials (rotation, callback signing keys): each account's token hash becomes its first
    generation, with a new signing key."""
    import secrets

    db.create_tables([models.Credential], safe=True)
    rows = [{"account_sid": a.sid, "token_salt": a.token_salt, "token_hash": a.token_hash,
             "signing_key": secrets.token_hex(32), "created_at": a.created_at, "expires_at": None}
            for a in models.Account.select()]
    for start in range(0, len(rows), 100):
        models.Credential.insert_many(rows[start:start + 100]).execute()


def _migration_8(db: pw.Database) -> None:
    """Statistics: the rollup tables, the worker activity spans, and when each task was assigned."""
    db.create_tables(models.STATISTICS_MODELS, safe=True)
    if "assigned_at" not in {c.name for c in db.get_columns("task")}:
        schema_migrate(SchemaMigrator.from_database(db).add_column("task", "assigned_at", pw.DoubleField(null=True)))


def _add_missing_columns(db: pw.Database, model: type[models.BaseModel], names: tuple[str, ...]) -> None:
    """Adds the model's columns a database made before them lacks (migration 1 makes new databases
    with every column of today's models)."""
    table = model._meta.table_name
    present = {column.name for column in db.get_columns(table)}
    migrator = SchemaMigrator.from_database(db)
    schema_migrate(*(migrator.add_column(table, name, model._meta.fields[name]) for name in names
                     if name not in present))


def _migration_9(db: pw.Database) -> None:
    """Task channels, worker channels and transfers; the task, reservation and queue columns they
    need; every existing workspace gets the default channels and every worker its worker channels."""
    from taskrouter.server import sids

    db.create_tables(models.CHANNEL_MODELS, safe=True)
    _add_missing_columns(db, models.Task, ("task_channel_sid", "requested_priority", "known_worker_sid",
                                           "transfer_sid", "scheduled_at"))
    _add_missing_columns(db, models.Reservation, ("task_channel_sid", "transfer_sid"))
    _add_missing_columns(db, models.TaskQueue, ("wrap_up_timeout",))
    TC, WC, T, R = models.TaskChannel, models.WorkerChannel, models.Task, models.Reservation
    for workspace in models.Workspace.select():
        if TC.select().where(TC.workspace_sid == workspace.sid).exists():
            continue
        channels = [TC.create(sid=sids.new_sid(sids.TASK_CHANNEL), enterprise_sid=workspace.enterprise_sid,
                              workspace_sid=workspace.sid, name=name, unique_name=unique_name,
                              account_email=workspace.account_email, created_at=workspace.created_at,
                              updated_at=workspace.created_at)
                    for unique_name, name in models.DEFAULT_TASK_CHANNELS]
        for worker in models.Worker.select().where(models.Worker.workspace_sid == workspace.sid):
            WC.insert_many([{"sid": sids.new_sid(sids.WORKER_CHANNEL), "enterprise_sid": worker.enterprise_sid,
                             "workspace_sid": worker.workspace_sid, "worker_sid": worker.sid,
                             "task_channel_sid": channel.sid, "account_email": worker.account_email,
                             "capacity": worker.capacity if channel.unique_name == "default" else 1,
                             "created_at": worker.created_at, "updated_at": worker.created_at}
                            for channel in channels]).execute()
    by_name = TC.select(TC.sid).where((TC.workspace_sid == T.workspace_sid) & (TC.unique_name == T.task_channel))
    T.update(task_channel_sid=by_name).where(T.task_channel_sid.is_null()).execute()
    default = TC.select(TC.sid).where((TC.workspace_sid == T.workspace_sid) & (TC.unique_name == "default"))
    T.update(task_channel_sid=default, task_channel="default").where(T.task_channel_sid.is_null()).execute()
    T.update(requested_priority=T.priority).where(T.requested_priority.is_null()).execute()
    of_task = T.select(T.task_channel_sid).where(T.sid == R.task_sid)
    R.update(task_channel_sid=of_task).where(R.task_channel_sid.is_null()).execute()


def _migration_10(db: pw.Database) -> None:
    """The index of closed worker channels (models.WorkerChannel), read by every matching pass."""
    _create_indexes(models.WorkerChannel)


def _migration_11(db: pw.Database) -> None:
    """Clients (docs/clients.md): worker tokens, worker streams' leases, the workspace's presence
    settings, and the worker each event concerns (the worker stream's index)."""
    db.create_tables(models.CLIENT_MODELS, safe=True)
    _add_missing_columns(db, models.Workspace, ("disconnect_activity_sid", "disconnect_grace_seconds"))
    _add_missing_columns(db, models.Event, ("worker_sid",))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "event_worker_sid_seq" ON "event" ("worker_sid", "seq")')


MIGRATIONS: list[Callable[[pw.Database], None]] = [_migration_1, _migration_2, _migration_3, _migration_4,
                                                   _migration_5, _migration_6, _migration_7, _migration_8,
                                                   _migration_9, _migration_10, _migration_11]


def connect(url: str) -> Store:
    """Opens the database at `url` (sqlite:///path or postgresql://user@host:port/db) and brings its
    schema up to date. It is the store in use where no other was activated, until it is closed."""
    parsed = urllib.parse.urlparse(url)
    availability = Availability()
    writer_file = None
    if parsed.scheme == "sqlite":
        path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else parsed.path
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            writer_file = os.open(os.path.abspath(path) + "-writer", os.O_RDWR | os.O_CREAT, 0o600)
        database: pw.Database = pw.SqliteDatabase(
            path,
            pragmas={"journal_mode": "wal", "synchronous": "normal", "busy_timeout": 30000, "foreign_keys": 0},
            timeout=30,
            check_same_thread=False,
        )
    elif parsed.scheme in ("postgresql", "postgres"):
        database = ResilientPostgresDatabase(
            parsed.path.lstrip("/") or "postgres",
            availability,
            user=urllib.parse.unquote(parsed.username or "postgres"),
            password=urllib.parse.unquote(parsed.password) if parsed.password else None,
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 5432,
        )
    else:
        raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path or postgresql://user@host:port/db")
    store = Store(database, availability, writer_file)
    current.opened(store)
    try:
        store.run(store.migrate)
    except BaseException:
        store.close()
        raise
    return store


class HeldBack:
    """Writes a transaction keeps until just before it commits (the event log, whose positions
    must follow commit order: services/routing/events.py). Per thread, like the connection."""

    def mark(self) -> int:
        """Where the held writes stand, for rollback_to."""
        raise NotImplementedError

    def rollback_to(self, mark: int) -> None:
        """Drops what was held since `mark`: its savepoint or transaction rolled back."""
        raise NotImplementedError

    def flush(self) -> None:
        """Writes what is held, inside the transaction, as its last statements."""
        raise NotImplementedError


_held_back: list[HeldBack] = []


def hold_back_until_commit(held: HeldBack) -> None:
    """Registers a kind of held-back writes (once, at import)."""
    _held_back.append(held)


def _marks() -> list[int]:
    return [held.mark() for held in _held_back]


def _rollback_to(marks: list[int]) -> None:
    for held, mark in zip(_held_back, marks, strict=True):
        held.rollback_to(mark)


def _flush() -> None:
    for held in _held_back:
        held.flush()


@contextlib.contextmanager
def _undoing_held_writes() -> Iterator[None]:
    """Held-back writes made in the block are dropped when the block fails (its savepoint or
    transaction rolls back with it)."""
    marks = _marks()
    try:
        yield
    except BaseException:
        _rollback_to(marks)
        raise


def lock_id(key: str) -> int:
    return zlib.crc32(key.encode())


class _Job:
    __slots__ = ("done", "error", "result", "run", "shared_keys")

    def __init__(self, run: Callable[[], Any], shared_keys: tuple[str, ...] = ()):
        self.run, self.shared_keys, self.done = run, shared_keys, False
        self.result: Any = None
        self.error: Exception | None = None


class Store:
    """One open database and what this process keeps beside it: whether it answers, SQLite's writer
    lock, the group-commit batch. The models use the store in use where the code runs (current.py):
    an Environment's threads and calls activate its store, so two can serve side by side."""

    def __init__(self, database: pw.Database, availability: Availability, writer_file: int | None):
        self.database = database
        self.availability = availability
        self.is_postgres = isinstance(database, pw.PostgresqlDatabase)
        # SQLite allows one writer at a time. Writers of this process queue on this lock, and
        # processes sharing the file on an flock of "<database>-writer" (see _file_lock), instead of
        # in SQLite's busy handler, which sleeps up to 100 ms between tries.
        self._sqlite_writer = threading.RLock()
        self._writer_file = writer_file  # the open "<database>-writer" file (None: in memory)
        self._batch: list[_Job] = []
        self._batch_mutex = threading.Lock()  # guards _batch
        self._batch_leader = threading.Lock()  # PostgreSQL: one batch at a time (SQLite: the writer lock)

    def activate(self) -> None:
        """Makes this the store in use in the current context: at the top of a thread working for it."""
        current.activate(self)

    def run(self, function: Callable[..., T], *args: Any) -> T:
        """Calls `function` with this store in use (in a copy of the current context)."""
        context = contextvars.copy_context()
        context.run(self.activate)
        return context.run(function, *args)

    def migrate(self) -> int:
        """Brings the schema to the latest version; safe to run from several processes at once. Runs
        where this store is in use."""
        with self.write_transaction(lock_key="schema"):
            self.database.create_tables([models.SchemaVersion], safe=True)
            row = models.SchemaVersion.select().order_by(models.SchemaVersion.version.desc()).first()
            version = row.version if row else 0
            for step in MIGRATIONS[version:]:
                step(self.database)
                version += 1
                models.SchemaVersion.create(version=version)
        return version

    def close(self) -> None:
        """Closes this thread's connection and the writer file; the store is no longer in use where
        it was only the one opened last."""
        current.closed(self)
        if not self.database.is_closed():
            self.database.close()
        if self._writer_file is not None:
            os.close(self._writer_file)
            self._writer_file = None

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        """The writer lock between processes: the kernel hands it over the moment it is released."""
        if self._writer_file is None:
            yield
            return
        fcntl.flock(self._writer_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._writer_file, fcntl.LOCK_UN)

    def driver_calls(self) -> contextlib.AbstractContextManager:
        """Around driver calls made outside peewee's execute_sql (see ResilientPostgresDatabase.statement)."""
        database = self.database
        return database.statement() if isinstance(database, ResilientPostgresDatabase) else contextlib.nullcontext()

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the transaction under way that fails alone: its writes, held-back ones included,
        are undone and its exception goes on to the caller."""
        with _undoing_held_writes(), self.database.atomic():
            yield

    @contextlib.contextmanager
    def write_transaction(self, lock_key: str | None = None, *, shared_keys: tuple[str, ...] = (),
                          exclusive_keys: tuple[str, ...] = ()) -> Iterator[None]:
        """A transaction that writes. On SQLite it takes the write lock at once (BEGIN IMMEDIATE),
        so concurrent writers queue instead of failing; on PostgreSQL it takes transaction-scoped
        advisory locks in the order of routing/locks.py: `shared_keys` shared, `exclusive_keys` in
        the order given, then `lock_key`, exclusive. Nested in another, it is a savepoint of it. The
        outermost one writes the held-back writes just before it commits."""
        db = self.database
        outer = not db.in_transaction()
        with _undoing_held_writes():
            if self.is_postgres:
                with db.atomic():
                    self.take_locks(shared_keys, (*exclusive_keys, *((lock_key,) if lock_key else ())))
                    yield
                    if outer:
                        _flush()
            else:
                with self._sqlite_writer:
                    if not outer:
                        with db.atomic():
                            yield
                    else:
                        with self._file_lock(), db.atomic("IMMEDIATE"):
                            yield
                            _flush()

    def take_locks(self, shared_keys: tuple[str, ...] = (), exclusive_keys: tuple[str, ...] = ()) -> None:
        """PostgreSQL advisory locks until the transaction ends: the shared ones in sorted order, then
        the exclusive ones in the order given."""
        if not self.is_postgres:
            return  # SQLite: the one writer holds everything already
        for key in sorted(set(shared_keys)):
            self.database.execute_sql("SELECT pg_advisory_xact_lock_shared(%s)", (lock_id(key),))
        for key in exclusive_keys:
            self.database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock_id(key),))

    def in_shared_transaction(self, run: Callable[[], T], shared_keys: tuple[str, ...] = ()) -> T:
        """Runs `run` in a write transaction shared with the concurrent callers of this function (group
        commit): whoever takes the write lock first runs every job queued by then, each in a savepoint
        of one transaction, and commits once; the others find their job done when the lock reaches
        them. A job's exception is raised to its own caller and undoes only its own writes. For short
        jobs that need no exclusive lock (CreateTask): it saves the lock hand-overs and commits.
        `shared_keys`: advisory locks the job needs shared (all the batch's, taken first, in order)."""
        if self.database.in_transaction():  # inside the caller's own transaction, which may yet roll back
            with self.savepoint():
                self.take_locks(shared_keys)
                return run()
        job = _Job(run, shared_keys)
        with self._batch_mutex:
            self._batch.append(job)
        with self._batch_leader if self.is_postgres else self._sqlite_writer:
            if not job.done:
                with self._batch_mutex:
                    jobs = self._batch[:]
                    self._batch.clear()
                try:
                    with self.write_transaction(shared_keys=tuple(k for each in jobs for k in each.shared_keys)):
                        for each in jobs:
                            try:
                                with self.savepoint():
                                    each.result = each.run()
                            except Exception as exc:  # noqa: BLE001 - handed to the job's caller
                                each.error = exc
                except Exception as exc:  # noqa: BLE001 - the commit failed: every job of the batch failed
                    for each in jobs:
                        each.error = each.error or exc
                for each in jobs:
                    each.done = True
        if job.error is not None:
            raise job.error
        return job.result


def in_use() -> Store:
    """The store of the code running here (current.py)."""
    store = current.store()
    if store is None:
        raise RuntimeError("no database is open: db.connect(url) first")
    return store


# The domain's transactions, on the store in use (Store has their docstrings).
def write_transaction(lock_key: str | None = None, *, shared_keys: tuple[str, ...] = (),
                      exclusive_keys: tuple[str, ...] = ()) -> contextlib.AbstractContextManager[None]:
    return in_use().write_transaction(lock_key, shared_keys=shared_keys, exclusive_keys=exclusive_keys)


def in_shared_transaction(run: Callable[[], T], shared_keys: tuple[str, ...] = ()) -> T:
    return in_use().in_shared_transaction(run, shared_keys)


def savepoint() -> contextlib.AbstractContextManager[None]:
    return in_use().savepoint()


def take_locks(shared_keys: tuple[str, ...] = (), exclusive_keys: tuple[str, ...] = ()) -> None:
    in_use().take_locks(shared_keys, exclusive_keys)


def is_postgres() -> bool:
    return in_use().is_postgres


def driver_calls() -> contextlib.AbstractContextManager:
    return in_use().driver_calls()


class Checkpointer:
    """SQLite: copies the write-ahead log into the database file from a thread of its own. By
    default the commit that grows the log past 1,000 pages does that copy and its fsyncs itself,
    which added half a millisecond to the average CreateTask; a server process turns that off and
    checkpoints here (PASSIVE: readers and writers go on meanwhile). Nothing to do on PostgreSQL."""

    def __init__(self, store: Store, every: float = 0.5):
        self.database = store.database if isinstance(store.database, pw.SqliteDatabase) else None
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._failures = LoopFailures("WAL checkpoint", log, store.availability)

    def start(self) -> None:
        if self.database is None:
            return
        self.database.pragma("wal_autocheckpoint", 0, permanent=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self.database is not None and self._thread.is_alive():
            self._thread.join(timeout=10)
            self.database.pragma("wal_autocheckpoint", 1000, permanent=True)
            self.database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")

    def _run(self) -> None:
        database = self.database
        assert database is not None  # started only on SQLite
        wait = self.every
        while not self._stop.wait(wait):
            wait = self.every
            try:
                database.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")
            except pw.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):  # busy: the next round catches up
                    wait = max(wait, self._failures.failed(exc))
            except Exception as exc:  # noqa: BLE001 - a failing disk must not end the thread
                wait = max(wait, self._failures.failed(exc))
            else:
                self._failures.succeeded()
        database.close()


class Watcher:
    """PostgreSQL: probes the database from a thread of its own (availability.py), so gRPC health
    and the loops learn of an outage and of its end even when no call comes in."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="database-watcher", daemon=True)

    def start(self) -> None:
        if self.store.is_postgres:
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.store.availability.probe_soon()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def _run(self) -> None:
        database = self.store.database
        try:
            self.store.availability.watch(lambda: database.execute_sql("SELECT 1"), self._stop)
        finally:
            if not database.is_closed():
                database.close()
