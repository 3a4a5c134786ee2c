"""Signatures on callbacks, so a receiver can tell they are ours and fresh:
X-TaskRouter-Timestamp is the Unix time of sending, and X-TaskRouter-Signature is
`v1=<hex HMAC-SHA256(signingKey, "<timestamp>.<body>")>`, one `v1=` per signing key in force
(comma-separated: more than one during a rotation's grace period, or for an enterprise of
several accounts). Pure: imports nothing of ours."""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-TaskRouter-Timestamp"
SIGNATURE_HEADER = "X-TaskRouter-Signature"


def signature(key: str, timestamp: str, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of "timestamp.body" under `key`."""
    return "v1=" + hmac.new(key.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signed_headers(keys: list[str], body: bytes, now: float) -> dict[str, str]:
    """The two headers for a callback body sent at `now` (no signature when there is no key)."""
    timestamp = str(int(now))
    headers = {TIMESTAMP_HEADER: timestamp}
    if keys:
        headers[SIGNATURE_HEADER] = ",".join(signature(key, timestamp, body) for key in dict.fromkeys(keys))
    return headers
