"""The operator CLI, `taskrouter <resource> <verb>`, against a live server."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import uuid

import polling
import pytest

from taskrouter.server import cli


@pytest.fixture
def env(server, account, monkeypatch):
    values = {"TASKROUTER_TARGET": server.grpc_target, "TASKROUTER_ACCOUNT_SID": account["accountSid"],
              "TASKROUTER_AUTH_TOKEN": account["authToken"]}
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, *argv: str):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == "taskrouter 0.1.0"


def _all_parsers(parser: argparse.ArgumentParser, path=()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _all_parsers(sub, (*path, name))


def test_every_help_shows_defaults_and_environment_variables():
    helps = dict(_all_parsers(cli.parser()))
    for path in [("serve",), ("gateway",), ("accounts", "create")]:
        text = " ".join(helps[path].format_help().split())
        assert "(default:" in text and "env TASKROUTER_" in text, path
    resource_verbs = [p for p in helps if len(p) == 2 and p[0] not in ("accounts",)]
    assert {("tasks", "list"), ("workers", "update"), ("events", "tail"), ("workers", "token")} <= set(resource_verbs)
    for path in resource_verbs:
        text = " ".join(helps[path].format_help().split())
        for variable in ("TASKROUTER_TARGET", "TASKROUTER_ACCOUNT_SID", "TASKROUTER_AUTH_TOKEN"):
            assert variable in text, (path, variable)
        assert "(default: 127.0.0.1:50051)" in text or "(default: 127.0.0.1:" in text, path


def test_resources_end_to_end(capsys, env, account):
    ws = run_json(capsys, "workspaces", "create", "--enterprise-sid", account["enterpriseSid"],
                  "--name", f"cli {uuid.uuid4().hex[:6]}")
    assert ws["sid"].startswith("WS")
    queue = run_json(capsys, "taskqueues", "create", "--workspace", ws["sid"], "--name", "support")
    config = json.dumps({"task_routing": {"default_filter": {"queue": queue["sid"]}}})
    workflow = run_json(capsys, "workflows", "create", "--workspace", ws["name"], "--name", "main",
                        "--configuration", config)  # the workspace by name
    worker = run_json(capsys, "workers", "create", "--workspace", ws["sid"], "--name", "ada",
                      "--attributes", '{"contact_uri": "client:ada"}')
    assert worker["activityName"] == "Offline"
    code, out, err = run(capsys, "workers", "update", worker["sid"], "--activity", "Online")  # by name
    assert code == 0, err
    assert "activityName" in out and "Online" in out
    task = run_json(capsys, "tasks", "create", "--workflow", workflow["sid"], "--attributes", '{"kind": "call"}',
                    "--timeout", "600")
    assert task["timeout"] == 600
    # Offered to ada (the router matches in the background): the reserved list holds it.
    def reserved():
        listed = run(capsys, "tasks", "list", "--workspace", ws["sid"], "--status", "reserved")
        return listed if task["sid"] in listed[1] else None

    code, out, err = polling.eventually(reserved)
    assert code == 0 and out.splitlines()[0].split()[:2] == ["sid", "assignmentStatus"]
    assert "page 0 of 1 (1 in all)" in err
    assert run_json(capsys, "tasks", "list", "--workspace", ws["sid"], "--status", "pending") == []
    reservations = run_json(capsys, "reservations", "list", "--workspace", ws["sid"], "--all")
    assert [r["taskSid"] for r in reservations] == [task["sid"]]
    accepted = run_json(capsys, "reservations", "update", reservations[0]["sid"], "--status", "accepted")
    assert accepted["reservationStatus"] == "accepted"
    token = run_json(capsys, "workers", "token", worker["sid"], "--ttl", "60")
    assert token["workerSid"] == worker["sid"] and token["token"].startswith("wt_")
    code, out, err = run(capsys, "tasks", "update", task["sid"], "--status", "completed",
                         "--worker-token", token["token"], "--account-sid", "")
    assert code == 0, err
    assert "Completed" in out
    events = run_json(capsys, "events", "list", "--workspace", ws["sid"], "--page-size", "100")
    assert "task.completed" in [e["eventType"] for e in events]


def test_errors_are_one_line_with_the_api_code(capsys, env):
    code, out, err = run(capsys, "workers", "get", "WK" + "0" * 32)
    assert code == 1 and out == ""
    assert err.strip() == f"taskrouter: error: 530 Sid of passed worker is not found: WK{'0' * 32}"
    code, _, err = run(capsys, "workers", "update", "WK" + "0" * 32, "--activity", "Online")
    assert code == 1 and "530" in err  # the worker, whose workspace names the activity, is not there
    code, _, err = run(capsys, "tasks", "create", "--workflow", "main")
    assert code == 1 and "is a name: give --workspace too" in err


def test_missing_credentials(capsys, server, monkeypatch):
    for key in ("TASKROUTER_ACCOUNT_SID", "TASKROUTER_AUTH_TOKEN", "TASKROUTER_WORKER_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    code, _, err = run(capsys, "workspaces", "list", "--target", server.grpc_target)
    assert code == 1 and "TASKROUTER_ACCOUNT_SID" in err


def test_events_tail_prints_each_event_until_interrupted(capsys, env, account):
    ws = run_json(capsys, "workspaces", "create", "--enterprise-sid", account["enterpriseSid"],
                  "--name", f"tail {uuid.uuid4().hex[:6]}")
    queue = run_json(capsys, "taskqueues", "create", "--workspace", ws["sid"], "--name", "q")
    workflow = run_json(capsys, "workflows", "create", "--workspace", ws["sid"], "--name", "wf", "--configuration",
                        json.dumps({"task_routing": {"default_filter": {"queue": queue["sid"]}}}))
    task = run_json(capsys, "tasks", "create", "--workflow", workflow["sid"])
    # From the log's first event (-1), so the task's event is there however late the command connects.
    tail = subprocess.Popen([sys.executable, "-m", "taskrouter.server.cli", "events", "tail", "--workspace", ws["sid"],
                             "--event-type", "task.created", "--after-id", "-1", "--json"], env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = json.loads(tail.stdout.readline())
        assert line["eventType"] == "task.created" and line["resourceSid"] == task["sid"]
        tail.send_signal(signal.SIGINT)
        assert tail.wait(timeout=15) == 0, tail.stderr.read()
    finally:
        if tail.poll() is None:
            tail.kill()
