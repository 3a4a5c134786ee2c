"""`taskrouter accounts rotate --account-sid AC… [--grace SECONDS]` prints a new auth token and
signing key; the old ones keep working for the grace period only, in every server process."""

from __future__ import annotations

import json

import httpx
from polling import eventually
from test_signed_callbacks import verify


def _status(server, sid: str, token: str) -> int:
    return httpx.get(server.http_url + "/taskrouter/workspaces/search", auth=(sid, token), timeout=30).status_code


def _rotate(taskrouter_cli, database_url, account, *extra) -> dict:
    result = taskrouter_cli("accounts", "rotate", "--account-sid", account["accountSid"], "--database", database_url,
                            *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_create_prints_a_signing_key(taskrouter_cli, tmp_path):
    result = taskrouter_cli("accounts", "create", "--email", "k@example.com", "--database", f"sqlite:///{tmp_path}/k.db")
    created = json.loads(result.stdout)
    assert set(created) >= {"enterpriseSid", "accountSid", "authToken", "accountEmail", "signingKey"}
    assert len(created["signingKey"]) == 64 and created["signingKey"] != created["authToken"]


def test_rotation_without_grace_ends_the_old_token_at_once(server, account, taskrouter_cli, database_url):
    assert _status(server, account["accountSid"], account["authToken"]) == 200  # remembered by the server
    rotated = _rotate(taskrouter_cli, database_url, account)
    assert rotated["accountSid"] == account["accountSid"]
    assert rotated["authToken"] != account["authToken"] and rotated["signingKey"] != account["signingKey"]
    assert _status(server, account["accountSid"], account["authToken"]) == 401
    assert _status(server, account["accountSid"], rotated["authToken"]) == 200


def test_old_token_and_key_work_for_the_grace_period_only(server, account, taskrouter_cli, database_url, world,
                                                          receiver):
    rotated = _rotate(taskrouter_cli, database_url, account, "--grace", "4")
    assert _status(server, account["accountSid"], account["authToken"]) == 200
    assert _status(server, account["accountSid"], rotated["authToken"]) == 200
    world.ok(world.client.put(f"/taskrouter/workspaces/{world.ws['sid']}", json={"eventCallbackUrl": receiver.url}))
    flow = world.workflow()
    world.task(flow, type="during grace")
    request = eventually(lambda: receiver.requests)[0]
    assert request["headers"]["X-TaskRouter-Signature"].startswith("v1=")
    assert verify(rotated["signingKey"], request["headers"], request["body"])
    assert verify(account["signingKey"], request["headers"], request["body"])  # receivers not yet updated
    eventually(lambda: _status(server, account["accountSid"], account["authToken"]) == 401, timeout=10)
    assert _status(server, account["accountSid"], rotated["authToken"]) == 200
    receiver.requests.clear()
    world.client.auth = (account["accountSid"], rotated["authToken"])
    world.task(flow, type="after grace")
    request = eventually(lambda: receiver.requests)[0]
    assert request["headers"]["X-TaskRouter-Signature"].count("v1=") == 1
    assert verify(rotated["signingKey"], request["headers"], request["body"])
    assert not verify(account["signingKey"], request["headers"], request["body"])


def test_rotating_an_unknown_account_is_a_one_line_error(taskrouter_cli, database_url, server):
    result = taskrouter_cli("accounts", "rotate", "--account-sid", "AC" + "0" * 32, "--database", database_url)
    assert result.returncode == 2 and "no account" in result.stderr and result.stderr.count("\n") == 1
    result = taskrouter_cli("accounts", "rotate", "--account-sid", "AC" + "0" * 32, "--grace", "-1",
                            "--database", database_url)
    assert result.returncode == 2 and "--grace" in result.stderr


def test_accounts_made_before_rotation_keep_their_token_and_get_a_signing_key(tmp_path):
    """The credentials migration on a database from before it: each account's token hash becomes its
    first credential, with a signing key of its own."""
    import subprocess
    import sys

    script = f"""
import json
from taskrouter.server import accounts
from taskrouter.server.authentication import Authenticator
from taskrouter.server.store import db, models
url = "sqlite:///{tmp_path}/old.db"
store = db.connect(url)
database = store.database
made = accounts.create_account("old@example.com")
version = next(i + 1 for i, step in enumerate(db.MIGRATIONS) if "Credential" in (step.__doc__ or ""))
database.execute_sql('DROP TABLE credential')
models.SchemaVersion.delete().where(models.SchemaVersion.version >= version).execute()
store.close()
db.connect(url)
caller = Authenticator().basic(made["accountSid"], made["authToken"], "127.0.0.1")
keys = [c.signing_key for c in models.Credential.select()]
print(json.dumps({{"caller": caller.account_sid if caller else None, "keys": keys}}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["caller"] and answer["caller"].startswith("AC")
    assert len(answer["keys"]) == 1 and len(answer["keys"][0]) == 64
