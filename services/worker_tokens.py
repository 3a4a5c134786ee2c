"""Worker-scoped bearer tokens: what an agent's desktop holds instead of the account's token.

Stored hashed, not signed: a token is 256 random bits looked up by its SHA-256 hash, so the server
can end it before it expires (the worker is deleted, the tokens are revoked) on every node at once,
and it depends on no key that account rotation would have to carry along. The cost is one indexed
read per call, which a signed token would save."""

from __future__ import annotations

import hashlib
import secrets

from taskrouter.server.clock import Clock
from taskrouter.server.errors import TaskRouterError, invalid
from taskrouter.server.routing import scope
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

DEFAULT_TTL = 3600
MAX_TTL = 86400
PREFIX = "wt_"  # tells a worker token from other credentials at a glance (logs, secret scanners)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ttl(value: int | None) -> int:
    if value is None:
        return DEFAULT_TTL
    if not 1 <= value <= MAX_TTL:
        raise invalid("ttl", f"must be between 1 and {MAX_TTL} seconds")
    return value


def issue(env: Environment, caller: Caller, worker_sid: str, ttl: int | None) -> tuple[str, models.WorkerToken]:
    """A new token for the worker (the caller's enterprise); the token text is returned only here."""
    seconds = _ttl(ttl)
    worker = scope.get(models.Worker, worker_sid, caller.enterprise_sid)
    now = env.clock.now()
    token = PREFIX + secrets.token_urlsafe(32)
    with write_transaction():
        T = models.WorkerToken
        T.delete().where((T.worker_sid == worker.sid) & (T.expires_at <= now)).execute()  # keep the table small
        row = T.create(token_hash=_hash(token), worker_sid=worker.sid, workspace_sid=worker.workspace_sid,
                       enterprise_sid=worker.enterprise_sid, account_sid=caller.account_sid,
                       account_email=caller.email, expires_at=now + seconds, created_at=now)
    return token, row


def revoke(env: Environment, caller: Caller, worker_sid: str) -> tuple[str, int]:
    """Ends every token of the worker; returns the worker SID and how many were still valid."""
    worker = scope.get(models.Worker, worker_sid, caller.enterprise_sid)
    T = models.WorkerToken
    with write_transaction():
        live = T.select().where((T.worker_sid == worker.sid) & (T.expires_at > env.clock.now())).count()
        T.delete().where(T.worker_sid == worker.sid).execute()
    return worker.sid, live


def authenticate(token: str, clock: Clock) -> Caller:
    """The worker's caller for a bearer token; UNAUTHENTICATED (401) when it is unknown, revoked,
    expired, or its worker is gone."""
    row = models.WorkerToken.get_or_none(models.WorkerToken.token_hash == _hash(token)) if token else None
    if row is None:
        raise TaskRouterError("UNAUTHENTICATED", "", "Unknown or revoked worker token")
    if row.expires_at <= clock.now():
        raise TaskRouterError("UNAUTHENTICATED", row.worker_sid, "Worker token expired")
    if not models.Worker.select().where(models.Worker.sid == row.worker_sid).exists():
        raise TaskRouterError("UNAUTHENTICATED", row.worker_sid, "The token's worker no longer exists")
    return Caller(account_sid=row.account_sid, enterprise_sid=row.enterprise_sid, email=row.account_email,
                  worker_sid=row.worker_sid, workspace_sid=row.workspace_sid)
