"""Fixtures of the fault tests: a PostgreSQL instance of their own, which they may stop and restart,
and a fresh database per test on either engine."""

from __future__ import annotations

import uuid

import pytest
from fault_tools import ThrowawayPostgres, postgres_binaries


@pytest.fixture(scope="session")
def throwaway_postgres():
    if postgres_binaries() is None:
        pytest.skip("PostgreSQL (initdb, pg_ctl) is not installed")
    instance = ThrowawayPostgres()
    yield instance
    instance.destroy()


@pytest.fixture(params=["sqlite", "postgres"])
def fresh_database(request, tmp_path):
    """A new, empty database: a SQLite file, or a database on the throwaway PostgreSQL instance."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/taskrouter.db"
    postgres = request.getfixturevalue("throwaway_postgres")
    return postgres.create_database(f"faults_{uuid.uuid4().hex[:12]}")
