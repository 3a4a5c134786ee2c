"""The store's hot-path mechanisms on the database of the running test server (SQLite, and
PostgreSQL when configured): statements built once (Prepared, Insert, ForEach) and group commit
(in_shared_transaction). Rows carry a workspace SID of their own, so tests never see each other's."""

from __future__ import annotations

import threading
import uuid

import pytest

from taskrouter.server.store import db, models
from taskrouter.server.store.prepared import CHUNK, Arg, ForEach, Insert, Prepared

E = models.Event
_INSERT = Insert(E)
_BY_WORKSPACE = Prepared(lambda: E.select().where(E.workspace_sid == Arg("workspace_sid")).order_by(E.id))
_SIDS = Prepared(lambda: E.select(E.sid, E.data).where(E.workspace_sid == Arg("workspace_sid")).namedtuples())
_BY_SIDS = ForEach(lambda sids: E.select(E.sid).where(E.sid.in_(sids)).tuples())
_RETYPE = ForEach(lambda sids: E.update(event_type=Arg("event_type")).where(E.sid.in_(sids)))


@pytest.fixture
def workspace_sid(server) -> str:
    return "WS" + uuid.uuid4().hex


def _rows(workspace_sid: str, count: int) -> list[dict]:
    return [{"sid": "EV" + uuid.uuid4().hex, "enterprise_sid": "EN" + "0" * 32, "workspace_sid": workspace_sid,
             "event_type": "task.created", "resource_type": "task", "resource_sid": "WT" + "0" * 32,
             "created_at": 1.0 + i} for i in range(count)]


def _insert(rows: list[dict]) -> None:
    with db.write_transaction():
        _INSERT.insert_many(rows)


@pytest.mark.parametrize("count", [0, 1, CHUNK - 1, CHUNK, 2 * CHUNK + 7])
def test_insert_many_writes_every_row_once_with_field_defaults(workspace_sid, count):
    rows = _rows(workspace_sid, count)
    _insert(rows)
    found = _BY_WORKSPACE.rows(workspace_sid=workspace_sid)
    assert [e.sid for e in found] == [r["sid"] for r in rows]
    assert all(e.description == "" and e.data == "{}" for e in found)  # unset columns take the defaults


def test_named_tuple_rows_keep_one_class_across_runs(workspace_sid):
    _insert(_rows(workspace_sid, 2))
    first, second = _SIDS.rows(workspace_sid=workspace_sid), _SIDS.rows(workspace_sid=workspace_sid)
    assert type(first[0]) is type(second[0])
    assert first == second and first[0].data == "{}"


@pytest.mark.parametrize("count", [0, 1, 9, 10, 11, CHUNK + 1, 3 * CHUNK])
def test_for_each_covers_every_value_and_nothing_else(workspace_sid, count):
    rows = _rows(workspace_sid, count + 5)
    _insert(rows)
    wanted = [r["sid"] for r in rows[:count]]
    assert sorted(sid for (sid,) in _BY_SIDS.rows(wanted)) == sorted(wanted)
    with db.write_transaction():
        _RETYPE.execute(wanted, event_type="task.updated")
    types = {e.sid: e.event_type for e in _BY_WORKSPACE.rows(workspace_sid=workspace_sid)}
    assert [types[r["sid"]] for r in rows] == ["task.updated"] * count + ["task.created"] * 5


def test_missing_value_is_an_error_not_a_null(workspace_sid):
    with pytest.raises(KeyError):
        _BY_WORKSPACE.rows(workspace=workspace_sid)


def test_group_commit_gives_each_caller_its_own_result_and_error(workspace_sid):
    """Concurrent jobs share transactions; one job's failure undoes only its own writes."""
    rows = _rows(workspace_sid, 24)
    results: dict[int, object] = {}
    start = threading.Barrier(len(rows))

    def call(i: int) -> None:
        def job():
            _INSERT.insert_many([rows[i]])
            if i % 5 == 3:
                raise ValueError(f"job {i} fails after its insert")
            return i * 10

        start.wait()
        try:
            results[i] = db.in_shared_transaction(job)
        except ValueError as exc:
            results[i] = exc

    threads = [threading.Thread(target=call, args=(i,)) for i in range(len(rows))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    failed = {i for i in range(len(rows)) if i % 5 == 3}
    assert {i: r for i, r in results.items() if i not in failed} == {i: i * 10 for i in range(len(rows)) if i not in failed}
    assert all(isinstance(results[i], ValueError) and f"job {i} " in str(results[i]) for i in failed)
    kept = {e.sid for e in _BY_WORKSPACE.rows(workspace_sid=workspace_sid)}
    assert kept == {rows[i]["sid"] for i in range(len(rows)) if i not in failed}


def test_group_commit_inside_a_transaction_joins_it(workspace_sid):
    """Called inside the caller's own transaction, the job belongs to it: rolled back with it."""
    row = _rows(workspace_sid, 1)[0]
    with pytest.raises(RuntimeError), db.write_transaction():
        db.in_shared_transaction(lambda: _INSERT.insert_many([row]))
        assert len(_BY_WORKSPACE.rows(workspace_sid=workspace_sid)) == 1
        raise RuntimeError("the caller rolls back")
    assert _BY_WORKSPACE.rows(workspace_sid=workspace_sid) == []


D = models.Delivery
_DELIVERIES = {shape: Prepared(lambda shape=shape: getattr(D.select(D.id, D.url, D.done, D.due_at).where(
    D.url == Arg("url")).order_by(D.id), shape)()) for shape in ("objects", "dicts", "tuples", "namedtuples")}


@pytest.mark.parametrize("shape", sorted(_DELIVERIES))
def test_rows_are_the_same_on_every_run_with_their_fields_converted(server, shape):
    """The set-up peewee works out on a statement's first run (fields, converters, names) serves
    the later runs: booleans (0/1 in SQLite) still come back as booleans."""
    url = f"http://example.com/{uuid.uuid4().hex}"
    with db.write_transaction():
        Insert(D).insert_many([{"kind": "event", "url": url, "body": "{}", "due_at": 1.0, "done": i == 1}
                               for i in range(2)])
    runs = [_DELIVERIES[shape].rows(url=url) for _ in range(3)]
    values = [[(r.url, r.done, r.due_at) if shape in ("objects", "namedtuples") else
               (r["url"], r["done"], r["due_at"]) if shape == "dicts" else r[1:] for r in run] for run in runs]
    assert values[0] == values[1] == values[2] == [(url, False, 1.0), (url, True, 1.0)]
    assert all(type(done) is bool for run in values for _, done, _ in run)
    if shape == "objects":
        assert all(isinstance(r, D) and not r.dirty_fields for run in runs for r in run)
