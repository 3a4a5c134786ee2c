"""Enterprises and accounts. An auth token is shown once, at creation; the store keeps only a
salted PBKDF2 hash of it."""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from taskrouter.server import sids
from taskrouter.server.clock import Clock
from taskrouter.server.routing.context import Caller
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

ITERATIONS = 100_000


def _hash(token: str, salt: str) -> str:
    return hashlib.pbkdf2_hmac("sha256", token.encode(), bytes.fromhex(salt), ITERATIONS).hex()


def create_account(email: str, enterprise_sid: str | None = None, clock: Clock | None = None) -> dict:
    """Creates an account (and its enterprise when none is given); returns the one-time credentials."""
    now = (clock or Clock()).now()
    token = secrets.token_hex(16)
    salt = secrets.token_hex(16)
    if enterprise_sid is not None and not sids.is_sid(enterprise_sid.strip(), sids.ENTERPRISE):
        raise ValueError(f"{enterprise_sid!r} is not an enterprise SID (EN followed by 32 hex digits)")
    with write_transaction():
        if enterprise_sid:
            enterprise_sid = enterprise_sid.strip()
            models.Enterprise.get_or_create(sid=enterprise_sid, defaults={"created_at": now})
        else:
            enterprise_sid = models.Enterprise.create(sid=sids.new_sid(sids.ENTERPRISE), created_at=now).sid
        account = models.Account.create(sid=sids.new_sid(sids.ACCOUNT), enterprise_sid=enterprise_sid, email=email,
                                        token_salt=salt, token_hash=_hash(token, salt), created_at=now)
    return {"enterpriseSid": enterprise_sid, "accountSid": account.sid, "authToken": token, "accountEmail": email}


def list_accounts() -> list[dict]:
    """Every account, oldest first, without secrets (the store has none to show)."""
    query = models.Account.select().order_by(models.Account.id)
    return [{"enterpriseSid": a.enterprise_sid, "accountSid": a.sid, "accountEmail": a.email} for a in query]


@functools.lru_cache(maxsize=4096)
def authenticate(account_sid: str, token: str) -> Caller | None:
    """The caller for these credentials, or None. Answers are remembered, since the hash is
    deliberately slow; an account is never deleted and its token never changes."""
    account = models.Account.get_or_none(models.Account.sid == account_sid)
    if account is None or not hmac.compare_digest(_hash(token, account.token_salt), account.token_hash):
        return None
    return Caller(account_sid=account.sid, enterprise_sid=account.enterprise_sid, email=account.email)
