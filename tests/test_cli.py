"""The `taskrouter` command as a newcomer meets it: clear one-line errors, and `make run`'s account
printed once per database."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

TASKROUTER = [sys.executable, "-m", "taskrouter.server.cli"]


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*TASKROUTER, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path}/cli.db"


def test_enterprise_sid_is_validated(database):
    result = run("accounts", "create", "--email", "a@example.com", "--enterprise-sid", "ENnope", "--database", database)
    assert result.returncode == 2
    assert result.stderr.strip() == ("taskrouter: error: 'ENnope' is not an enterprise SID (EN followed by 32 hex "
                                     "digits)")
    assert run("accounts", "list", "--database", database).stdout == ""


def test_accounts_list_shows_accounts_without_secrets(database):
    created = json.loads(run("accounts", "create", "--email", "a@example.com", "--database", database).stdout)
    again = json.loads(run("accounts", "create", "--email", "b@example.com", "--enterprise-sid",
                           created["enterpriseSid"], "--database", database).stdout)
    listed = [json.loads(line) for line in run("accounts", "list", "--database", database).stdout.splitlines()]
    assert [a["accountSid"] for a in listed] == [created["accountSid"], again["accountSid"]]
    assert all(set(a) == {"enterpriseSid", "accountSid", "accountEmail"} for a in listed)


def test_unknown_database_scheme_is_one_line(database):
    result = run("serve", "--database", "mysql://localhost/x", "--grpc-addr", "127.0.0.1:0", "--http-addr", "off")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "unsupported database URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_port_in_use_is_one_line(database):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run("serve", "--database", database, "--grpc-addr", f"127.0.0.1:{port}", "--http-addr", "off")
    assert result.returncode == 2
    assert result.stderr.startswith(f"taskrouter: error: cannot listen on 127.0.0.1:{port}")
    assert result.stderr.count("\n") == 1


def _first_lines(database: str, count: int) -> list[str]:
    """Starts `serve --print-account`, reads `count` lines of its output, stops it."""
    process = subprocess.Popen([*TASKROUTER, "serve", "--print-account", "--database", database,
                                "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"],
                               stdout=subprocess.PIPE, text=True)
    try:
        return [process.stdout.readline().strip() for _ in range(count)]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_run_prints_an_account_only_for_a_new_database(database):
    first = _first_lines(database, 4)
    account = json.loads(first[3])
    assert account["accountSid"].startswith("AC") and account["authToken"]
    second = _first_lines(database, 3)
    assert "1 account(s) already in" in second[2] and "taskrouter accounts list" in second[2]
    listed = run("accounts", "list", "--database", database).stdout.splitlines()
    assert len(listed) == 1
