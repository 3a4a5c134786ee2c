"""AWS SigV4 for accounts: opting in (EnableSigV4 keeps the auth token as the signing secret), and
the caller of a signed request, which is the interceptor's hook for the AWS4-HMAC-SHA256 scheme
(registered in server.py). The signature itself is checked by sigv4.py."""

from __future__ import annotations

import json

from taskrouter.server.ingress.sigv4 import METADATA_KEY, verify
from taskrouter.server.ingress.store import SigningSecret
from taskrouter.server.routing.context import Caller
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction


def enable(account_sid: str, token: str, now: float) -> None:
    """Opts the account in: SigV4 needs the plain token as its secret, which the account table
    only keeps hashed (docs/ingress.md)."""
    with write_transaction():
        updated = SigningSecret.update(secret=token, created_at=now).where(
            SigningSecret.account_sid == account_sid).execute()
        if not updated:
            SigningSecret.create(account_sid=account_sid, secret=token, created_at=now)


def _secret_for(access_key: str) -> str | None:
    row = SigningSecret.get_or_none(SigningSecret.account_sid == access_key)
    return row.secret if row else None


def authenticate(header: str, metadata) -> Caller | None:
    """The caller of a SigV4-signed request forwarded by the gateway, or None."""
    raw = next((value for key, value in metadata if key == METADATA_KEY), None)
    if not raw:
        return None
    try:
        request = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(request, dict) or not isinstance(request.get("headers"), dict):
        return None
    access_key = verify(header, request, _secret_for)
    if access_key is None:
        return None
    account = models.Account.get_or_none(models.Account.sid == access_key)
    if account is None:
        return None
    return Caller(account_sid=account.sid, enterprise_sid=account.enterprise_sid, email=account.email)
