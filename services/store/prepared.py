"""Statements of the hot paths, built by peewee once and then only run.

peewee builds a statement's SQL text on every execution: about a millisecond for a Task insert or
a select of a whole row (docs/benchmarks.md), several times what the database needs to run it.
A Prepared statement is an ordinary peewee query whose values are named `Arg`s; its SQL is built
once per database, and each call binds the values and reads the rows through peewee's own
cursor wrappers (model instances, tuples or dicts, as the query asked).

peewee has no public API for four things this needs: a parameter whose value comes later
(`Context._values`), the cursor wrapper of the row type a query asked for (`_get_cursor_wrapper`),
that wrapper's set-up kept from one run to the next (the attributes its `initialize` sets), and
its exception translation around a raw cursor (`peewee.__exception_wrapper__`). pyproject.toml pins
the peewee range these were tested with; tests/store/test_prepared.py covers each of them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import peewee as pw

from taskrouter.server.store import models
from taskrouter.server.store.db import driver_calls


class Arg(pw.Node):
    """A named value of a Prepared statement."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def __sql__(self, ctx):
        ctx._values.append(self)
        return ctx.literal(ctx.state.param or "?")


# What a model cursor wrapper's initialize() works out from a statement's columns (which fields,
# which converters, the names, the named-tuple class): the same for every run of one statement.
_ROW_SETUP = ("columns", "fields", "converters", "no_convert", "convert", "ncols", "unique_columns", "impl")
_SET_UP_ONCE = (pw.ModelObjectCursorWrapper, pw.ModelDictCursorWrapper, pw.ModelTupleCursorWrapper,
                pw.ModelNamedTupleCursorWrapper)


class Prepared:
    def __init__(self, build: Callable[[], pw.Query], *, plan_each_run: bool = False):
        """`plan_each_run`: PostgreSQL plans the statement for each run's values instead of keeping
        a generic plan after five runs (psycopg prepares statements on the server): for reads whose
        best plan depends on the values, e.g. a queue of 10 members or of 10,000."""
        self._build = build
        self._built: tuple[pw.Database, pw.Query, str, list] | None = None
        self._row_setup: dict[str, Any] | None = None  # of the statement built, once rows were read
        self.plan_each_run = plan_each_run

    def _compiled(self) -> tuple[pw.Database, Any, str, list]:
        db = models.database.obj
        if db is None:
            raise pw.InterfaceError("no store is open")
        built = self._built
        if built is None or built[0] is not db:
            query = self._build()
            sql, params = db.get_sql_context().sql(query).query()
            built = self._built = (db, query, sql, params)
            self._row_setup = None
        return built

    @staticmethod
    def _bind(params: list, values: Mapping[str, Any]) -> list:
        return [values[p.name] if isinstance(p, Arg) else p for p in params]

    def _run(self, db: pw.Database, sql: str, params: list):
        if self.plan_each_run and isinstance(db, pw.PostgresqlDatabase):
            with driver_calls(), pw.__exception_wrapper__:  # type: ignore[attr-defined]  # a peewee internal
                cursor = db.cursor()
                cursor.execute(sql, params, prepare=False)
                return cursor
        return db.execute_sql(sql, params)

    def execute(self, **values: Any):
        """Runs the statement; the DB-API cursor."""
        db, _, sql, params = self._compiled()
        return self._run(db, sql, self._bind(params, values))

    def execute_in_order(self, values: list) -> None:
        """Runs a statement whose parameters are all Args, given their values in the order the
        Args stand in its SQL (a multi-row insert: row after row, column after column): no
        lookup by name for each value."""
        db, _, sql, params = self._compiled()
        if len(params) != len(values):
            raise ValueError(f"{len(values)} values for a statement of {len(params)} parameters")
        self._run(db, sql, values)

    def rows(self, **values: Any) -> list:
        """The rows of a select, as the query's row type (model instances unless .tuples()/.dicts())."""
        db, query, sql, params = self._compiled()
        wrapper = query._get_cursor_wrapper(self._run(db, sql, self._bind(params, values)))
        setup = self._row_setup
        if setup is not None:  # peewee would work it out again for every run (40% of a one-row read)
            wrapper.__dict__.update(setup)
            wrapper.initialized = True
            return list(wrapper)
        rows = list(wrapper)
        if wrapper.initialized and type(wrapper) in _SET_UP_ONCE:
            setup = {name: wrapper.__dict__[name] for name in _ROW_SETUP if name in wrapper.__dict__}
            if "impl" in setup:  # named tuples (peewee's constructor would keep this run's wrapper alive)
                setup["constructor"] = setup["impl"]._make
            self._row_setup = setup
        return rows

    def first(self, **values: Any):
        rows = self.rows(**values)
        return rows[0] if rows else None

    def execute_many(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Runs the statement once per row of values (inserts: one statement, many rows)."""
        db, _, sql, params = self._compiled()
        bound = [self._bind(params, row) for row in rows]
        if bound:
            with driver_calls(), pw.__exception_wrapper__:  # type: ignore[attr-defined]  # a peewee internal
                db.cursor().executemany(sql, bound)


CHUNK = 100  # rows per multi-row insert, values per IN list: one round trip each on PostgreSQL


def _in_list(build: Callable[[list[Arg]], pw.Query], size: int) -> pw.Query:
    return build([Arg(f"in{i}") for i in range(size)])


class ForEach:
    """A statement over a list of values, given to it as an IN list: built once for each of a few
    list sizes, run once per CHUNK values, the last list padded with NULL (which no IN matches).
    `build` gets the Args of the IN list."""

    SIZES = (1, 10, CHUNK)

    def __init__(self, build: Callable[[list[Arg]], pw.Query]):
        self._by_size = {n: Prepared(functools.partial(_in_list, build, n)) for n in self.SIZES}

    def _runs(self, values: list, fixed: dict) -> Iterable[tuple[Prepared, dict]]:
        for start in range(0, len(values), CHUNK):
            part = values[start:start + CHUNK]
            size = next(n for n in self.SIZES if n >= len(part))
            yield self._by_size[size], {**fixed, **{f"in{i}": part[i] if i < len(part) else None for i in range(size)}}

    def execute(self, values: list, **fixed: Any) -> None:
        for statement, bound in self._runs(values, fixed):
            statement.execute(**bound)

    def rows(self, values: list, **fixed: Any) -> list:
        return [row for statement, bound in self._runs(values, fixed) for row in statement.rows(**bound)]


class Insert:
    """Inserts of rows of a model, every column but the auto-incremented id: one statement per
    CHUNK rows (the statement for each row count is built once). `on_conflict`, for a model whose
    primary key is its own columns: builds the update of a row that exists already (an upsert);
    called when a statement is built, so it may depend on the database."""

    def __init__(self, model: type[models.BaseModel], on_conflict: Callable[[], dict] | None = None):
        fields = [f for f in model._meta.sorted_fields if not isinstance(f, pw.AutoField)]
        self.model = model
        self.fields = [f.name for f in fields]
        self.defaults = {f.name: f.default for f in fields if f.default is not None and not callable(f.default)}
        self.on_conflict = on_conflict
        self._by_count: dict[int, Prepared] = {}

    def _statement(self, count: int) -> Prepared:
        statement = self._by_count.get(count)
        if statement is None:
            statement = self._by_count[count] = Prepared(functools.partial(self._build, count))
        return statement

    def _build(self, count: int) -> pw.Query:
        columns = [getattr(self.model, f) for f in self.fields]
        query = self.model.insert_many([[Arg(f"{f}{i}") for f in self.fields] for i in range(count)], fields=columns)
        if self.on_conflict is not None:
            # (an upsert's table is keyed by a CompositeKey)
            key = [self.model._meta.fields[name] for name in self.model._meta.primary_key.field_names]  # type: ignore[union-attr]
            query = query.on_conflict(conflict_target=key, update=self.on_conflict())
        return query.returning()

    def save(self, row: models.BaseModel) -> None:
        """Inserts the model instance; its id stays unset."""
        self.insert_many([row.__data__])

    def insert_many(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Inserts rows given as dicts of column values; unset columns take their field's default,
        or NULL."""
        defaults = self.defaults
        self.insert_rows([tuple(row[f] if f in row else defaults.get(f) for f in self.fields) for row in rows])

    def insert_rows(self, rows: list[tuple]) -> None:
        """Inserts rows given as tuples of every column's value, in the order of `fields`."""
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            self._statement(len(part)).execute_in_order([value for row in part for value in row])
