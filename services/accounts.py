"""Enterprises, accounts and their credentials. An auth token is shown once, at creation or
rotation; the store keeps only a salted PBKDF2 hash of it. The callback signing key is kept
itself, since signing needs it. Rotation makes a new generation of both and lets the old one
work for a grace period only (docs/security.md)."""

from __future__ import annotations

import hashlib
import secrets
from typing import NamedTuple

from taskrouter.server import sids
from taskrouter.server.clock import Clock
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, Prepared

ITERATIONS = 100_000
MAX_GRACE_SECONDS = 30 * 86_400


def hash_token(token: str, salt: str) -> str:
    """The deliberately slow hash the store keeps of an auth token."""
    return hashlib.pbkdf2_hmac("sha256", token.encode(), bytes.fromhex(salt), ITERATIONS).hex()


def _new_credential(account_sid: str, now: float) -> tuple[dict, dict]:
    """A Credential row and the secrets to show once: (row, {"authToken", "signingKey"})."""
    token, salt, signing_key = secrets.token_hex(16), secrets.token_hex(16), secrets.token_hex(32)
    row = {"account_sid": account_sid, "token_salt": salt, "token_hash": hash_token(token, salt),
           "signing_key": signing_key, "created_at": now, "expires_at": None}
    return row, {"authToken": token, "signingKey": signing_key}


def create_account(email: str, enterprise_sid: str | None = None, clock: Clock | None = None) -> dict:
    """Creates an account (and its enterprise when none is given); returns the one-time credentials."""
    now = (clock or Clock()).now()
    if enterprise_sid is not None and not sids.is_sid(enterprise_sid.strip(), sids.ENTERPRISE):
        raise ValueError(f"{enterprise_sid!r} is not an enterprise SID (EN followed by 32 hex digits)")
    account_sid = sids.new_sid(sids.ACCOUNT)
    credential, shown = _new_credential(account_sid, now)
    with write_transaction():
        if enterprise_sid:
            enterprise_sid = enterprise_sid.strip()
            models.Enterprise.get_or_create(sid=enterprise_sid, defaults={"created_at": now})
        else:
            enterprise_sid = models.Enterprise.create(sid=sids.new_sid(sids.ENTERPRISE), created_at=now).sid
        models.Account.create(sid=account_sid, enterprise_sid=enterprise_sid, email=email,
                              token_salt=credential["token_salt"], token_hash=credential["token_hash"],
                              created_at=now)
        models.Credential.create(**credential)
    return {"enterpriseSid": enterprise_sid, "accountSid": account_sid, "authToken": shown["authToken"],
            "accountEmail": email, "signingKey": shown["signingKey"]}


def rotate(account_sid: str, grace: float = 0.0, clock: Clock | None = None) -> dict:
    """A new auth token and signing key for the account; the live ones keep working `grace`
    seconds more (0: they stop at once), never longer than they already would."""
    if not 0 <= grace <= MAX_GRACE_SECONDS:
        raise ValueError(f"--grace must be between 0 and {MAX_GRACE_SECONDS} seconds")
    now = (clock or Clock()).now()
    C = models.Credential
    credential, shown = _new_credential(account_sid.strip(), now)
    with write_transaction():
        account = models.Account.get_or_none(models.Account.sid == account_sid.strip())
        if account is None:
            raise ValueError(f"no account {account_sid!r}")
        ends = now + grace
        live = (C.account_sid == account.sid) & (C.expires_at.is_null() | (C.expires_at > ends))
        C.update(expires_at=ends).where(live).execute()
        C.create(**credential)
        _rotate_sigv4_secret(account.sid, shown["authToken"], now)
    return {"enterpriseSid": account.enterprise_sid, "accountSid": account.sid, "authToken": shown["authToken"],
            "accountEmail": account.email, "signingKey": shown["signingKey"], "previousValidUntil": ends}


def _rotate_sigv4_secret(account_sid: str, token: str, now: float) -> None:
    """An account that opted in to AWS SigV4 signs with its auth token (services/ingress/sigv4_accounts.py):
    the new token replaces the old one there at once (SigV4 has no grace period)."""
    models.SigningSecret.update(secret=token, created_at=now).where(
        models.SigningSecret.account_sid == account_sid).execute()


def list_accounts() -> list[dict]:
    """Every account, oldest first, without secrets (the store has none to show)."""
    query = models.Account.select().order_by(models.Account.id)
    return [{"enterpriseSid": a.enterprise_sid, "accountSid": a.sid, "accountEmail": a.email} for a in query]


class LiveCredential(NamedTuple):
    id: int
    token_salt: str
    token_hash: str
    enterprise_sid: str
    email: str


_C, _A = models.Credential, models.Account
_LIVE = _C.expires_at.is_null() | (_C.expires_at > Arg("now"))
_LIVE_CREDENTIALS = Prepared(lambda: _C.select(_C.id, _C.token_salt, _C.token_hash, _A.enterprise_sid, _A.email)
                             .join(_A, on=(_A.sid == _C.account_sid))
                             .where((_C.account_sid == Arg("account_sid")) & _LIVE).order_by(_C.id.desc()).tuples())
_ENTERPRISE_KEYS = Prepared(lambda: _C.select(_C.signing_key).join(_A, on=(_A.sid == _C.account_sid))
                            .join(models.Workspace, on=(models.Workspace.enterprise_sid == _A.enterprise_sid))
                            .where((models.Workspace.sid == Arg("workspace_sid")) & _LIVE)
                            .order_by(_A.id, _C.id.desc()).tuples())


def live_credentials(account_sid: str, now: float) -> list[LiveCredential]:
    """The account's credentials that work at `now`, newest first (two during a grace period);
    none for an unknown account."""
    return [LiveCredential(*row) for row in _LIVE_CREDENTIALS.rows(account_sid=account_sid, now=now)]


def signing_keys(workspace_sid: str, now: float) -> list[str]:
    """The keys a workspace's callbacks are signed with: the live key of every account of its
    enterprise (each account's owner verifies with its own), newest first within an account."""
    return [key for (key,) in _ENTERPRISE_KEYS.rows(workspace_sid=workspace_sid, now=now)]
