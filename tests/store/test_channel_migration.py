"""The schema step that brings task channels to a database made before them: tables and columns
added, every workspace given the default channels, every worker its worker channels (the default
one with the worker's capacity), tasks and reservations tied to their channel. Runs in a process
of its own (the store is process-wide) on a database of its own, SQLite and PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import urllib.parse
import uuid

import psycopg
import pytest

POSTGRES_URL = os.environ.get("TASKROUTER_TEST_POSTGRES_URL", "")

SCRIPT = textwrap.dedent('''
    import sys, uuid
    from taskrouter.server.store import db, models

    def sid(prefix):
        return prefix + uuid.uuid4().hex

    url = sys.argv[1]
    store = db.connect(url)
    database = store.database
    en = sid("EN")
    base = dict(enterprise_sid=en, created_at=1.0, updated_at=1.0)
    ws = models.Workspace.create(sid=sid("WS"), name="old", **base)
    worker = models.Worker.create(sid=sid("WK"), workspace_sid=ws.sid, name="w", activity_sid=sid("AT"), capacity=3,
                                  **base)
    chat = models.Task.create(sid=sid("TK"), workspace_sid=ws.sid, status="assigned", task_channel="chat",
                              priority=4, expires_at=9e9, **base)
    free_text = models.Task.create(sid=sid("TK"), workspace_sid=ws.sid, status="pending", task_channel="CALL",
                                   expires_at=9e9, **base)
    held = models.Reservation.create(sid=sid("WR"), workspace_sid=ws.sid, task_sid=chat.sid, worker_sid=worker.sid,
                                     status="accepted", **base)
    # Back to the schema before the step.
    step = db.MIGRATIONS.index(db._migration_9) + 1
    database.drop_tables(models.CHANNEL_MODELS)
    for table, columns in (("task", ("task_channel_sid", "requested_priority", "known_worker_sid", "transfer_sid",
                                     "scheduled_at")),
                           ("reservation", ("task_channel_sid", "transfer_sid")), ("task_queue", ("wrap_up_timeout",))):
        for column in columns:
            database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    models.SchemaVersion.delete().where(models.SchemaVersion.version >= step).execute()
    store.close()

    db.connect(url)
    TC, WC = models.TaskChannel, models.WorkerChannel
    channels = {c.unique_name: c.sid for c in TC.select().where(TC.workspace_sid == ws.sid)}
    assert set(channels) == {"default", "voice", "chat", "sms", "video", "email"}, channels
    capacities = {c.task_channel_sid: c.capacity for c in WC.select().where(WC.worker_sid == worker.sid)}
    assert capacities == {sid: (3 if name == "default" else 1) for name, sid in channels.items()}, capacities
    chat = models.Task.get(models.Task.sid == chat.sid)
    assert (chat.task_channel_sid, chat.requested_priority) == (channels["chat"], 4)
    free_text = models.Task.get(models.Task.sid == free_text.sid)
    assert (free_text.task_channel, free_text.task_channel_sid) == ("default", channels["default"])
    assert models.Reservation.get(models.Reservation.sid == held.sid).task_channel_sid == channels["chat"]
    db.connect(url)  # a second start changes nothing
    assert TC.select().where(TC.workspace_sid == ws.sid).count() == 6
    print("migrated")
''')


def _admin(statement: str) -> None:
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(statement)


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def test_a_database_from_before_channels_is_migrated(backend):
    with tempfile.TemporaryDirectory() as directory:
        if backend == "sqlite":
            url = f"sqlite:///{directory}/old.db"
        else:
            name = f"taskrouter_migration_{uuid.uuid4().hex[:12]}"
            _admin(f'CREATE DATABASE "{name}"')
            url = urllib.parse.urlunparse(urllib.parse.urlparse(POSTGRES_URL)._replace(path="/" + name))
        try:
            done = subprocess.run([sys.executable, "-c", SCRIPT, url], capture_output=True, text=True, timeout=120)
        finally:
            if backend == "postgres":
                _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert done.returncode == 0, done.stderr[-3000:]
    assert "migrated" in done.stdout
