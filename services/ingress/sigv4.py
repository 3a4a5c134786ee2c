"""AWS Signature Version 4, the algorithm and the gateway's half: access key id = account SID,
secret = the account's auth token (for accounts that opted in: sigv4_accounts.py).

The HTTP gateway cannot verify it alone (it holds no secrets and may run apart from the
services), so for an `Authorization: AWS4-HMAC-SHA256 ...` request its hook `forwarded_request`
(registered where the gateway is assembled) forwards what the signature covers as the gRPC
metadata `x-sigv4-request`: a JSON object with the HTTP method, raw path, raw query string, the
signed headers' values and the SHA-256 of the raw body. The services' interceptor hands that to
sigv4_accounts.authenticate, which `verify`s it here. Nothing here touches the store.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import json
import re
import time
from typing import Any
from urllib.parse import quote

SCHEME = "AWS4-HMAC-SHA256"
METADATA_KEY = "x-sigv4-request"
# How far x-amz-date may be from the server's clock (AWS allows 5 minutes; we allow 15).
MAX_SKEW_SECONDS = 15 * 60

_PARAM = re.compile(r"(\w+)=([^,\s]+)")
_SIGNED_HEADERS = re.compile(r"SignedHeaders=([^,\s]+)")


def parse_authorization(header: str) -> dict[str, str] | None:
    """{"access_key", "date", "region", "service", "signed_headers", "signature"} or None."""
    scheme, _, rest = header.strip().partition(" ")
    if scheme != SCHEME:
        return None
    params = dict(_PARAM.findall(rest))
    credential = params.get("Credential", "").split("/")
    if len(credential) != 5 or credential[4] != "aws4_request" or not params.get("SignedHeaders") \
            or not params.get("Signature"):
        return None
    return {"access_key": credential[0], "date": credential[1], "region": credential[2], "service": credential[3],
            "signed_headers": params["SignedHeaders"], "signature": params["Signature"]}


def signed_header_names(header: str) -> list[str]:
    parsed = parse_authorization(header)
    return parsed["signed_headers"].split(";") if parsed else []


def _normalize_path(path: str) -> str:
    # botocore: remove dot segments, keep a trailing slash, then URI-encode (again).
    segments: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if segments:
                segments.pop()
        elif part and part != ".":
            segments.append(part)
    normalized = "/" + "/".join(segments)
    if path.endswith("/") and normalized != "/":
        normalized += "/"
    return quote(normalized, safe="/~")


def _canonical_query(query: str) -> str:
    if not query:
        return ""
    pairs = []
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        pairs.append((key, value))
    return "&".join(f"{k}={v}" for k, v in sorted(pairs))


def canonical_request(request: dict, signed_headers: str) -> str:
    headers = request.get("headers", {})
    lines = []
    for name in signed_headers.split(";"):
        value = headers.get(name)
        if value is None:
            raise ValueError(f"signed header {name} is missing")
        lines.append(f"{name}:{' '.join(str(value).split())}")
    return "\n".join([
        request["method"], _normalize_path(request["path"]), _canonical_query(request.get("query", "")),
        "\n".join(lines) + "\n", signed_headers, request["payload_sha256"],
    ])


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def signature(secret: str, amz_date: str, scope: dict[str, str], canonical: str) -> str:
    credential_scope = f"{scope['date']}/{scope['region']}/{scope['service']}/aws4_request"
    string_to_sign = "\n".join([SCHEME, amz_date, credential_scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(("AWS4" + secret).encode(), scope["date"])
    for part in (scope["region"], scope["service"], "aws4_request"):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def _amz_time(value: str) -> float | None:
    try:
        return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        return None


def verify(header: str, request: dict, secret_for, now: float | None = None) -> str | None:
    """The access key id when the signature is valid, else None. `secret_for(access_key)` gives
    the secret or None."""
    parsed = parse_authorization(header)
    if parsed is None:
        return None
    headers = request.get("headers", {})
    amz_date = headers.get("x-amz-date", "")
    when = _amz_time(amz_date)
    now = time.time() if now is None else now
    if when is None or abs(now - when) > MAX_SKEW_SECONDS or not amz_date.startswith(parsed["date"]):
        return None
    if "host" not in parsed["signed_headers"].split(";"):
        return None
    secret = secret_for(parsed["access_key"])
    if not secret:
        return None
    try:
        canonical = canonical_request(request, parsed["signed_headers"])
    except (KeyError, ValueError, TypeError):
        return None
    expected = signature(secret, amz_date, parsed, canonical)
    return parsed["access_key"] if hmac.compare_digest(expected, parsed["signature"].lower()) else None


def forwarded_request(authorization: str, scope: dict[str, Any], headers: dict[str, str],
                      body: bytes) -> dict[str, str]:
    """The gateway's hook for this scheme: what the signature covers (from the ASGI scope, the
    lower-cased headers and the raw body), as the metadata the services verify."""
    raw_path = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
    m = _SIGNED_HEADERS.search(authorization)
    names = m.group(1).lower().split(";") if m else []
    return {METADATA_KEY: json.dumps({
        "method": scope["method"], "path": raw_path.decode("latin-1"),
        "query": scope.get("query_string", b"").decode("latin-1"),
        "headers": {name: headers[name] for name in names if name in headers},
        "payload_sha256": hashlib.sha256(body).hexdigest(),
    }, ensure_ascii=True, separators=(",", ":"))}
