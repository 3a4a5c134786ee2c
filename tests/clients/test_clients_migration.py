"""Schema version 11 (worker tokens, stream leases, presence settings, the event's worker) on a
database made before it."""

from __future__ import annotations

import subprocess
import sys


def test_migration_11_upgrades_an_older_database(tmp_path):
    url = f"sqlite:///{tmp_path}/old.db"
    script = f"""
import sqlite3
from taskrouter.server.store import db
db.connect({url!r}).close()
raw = sqlite3.connect({str(tmp_path / 'old.db')!r})
raw.executescript('''
  DROP TABLE worker_token; DROP TABLE worker_connection; DROP INDEX event_worker_sid_seq;
  ALTER TABLE workspace DROP COLUMN disconnect_activity_sid;
  ALTER TABLE workspace DROP COLUMN disconnect_grace_seconds;
  ALTER TABLE event DROP COLUMN worker_sid;
  DELETE FROM schema_version WHERE version >= 11;
  INSERT INTO workspace (sid, enterprise_sid, account_email, created_at, updated_at, name,
    prioritize_queue_order, multi_task_enabled, default_activity_sid, timeout_activity_sid, event_callback_url)
    VALUES ('WS1', 'EN1', '', 0, 0, 'old', 'FIFO', 0, '', '', '');
''')
raw.commit(); raw.close()
"""
    subprocess.run([sys.executable, "-c", script], check=True)  # its own process: the store is per process
    check = f"""
from taskrouter.server.store import db, models
store = db.connect({url!r})
database = store.database
assert store.migrate() >= 11
ws = models.Workspace.get(models.Workspace.sid == 'WS1')
assert (ws.disconnect_activity_sid, ws.disconnect_grace_seconds) == ('', 30), ws.__data__
assert 'worker_sid' in {{c.name for c in database.get_columns('event')}}
assert database.table_exists('worker_token') and database.table_exists('worker_connection')
print('ok')
"""
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
