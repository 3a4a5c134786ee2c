"""services/ingress/sigv4.py against botocore's own signer (no server needed)."""

from __future__ import annotations

import hashlib
import time
from urllib.parse import urlsplit

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from taskrouter.server.ingress import sigv4

KEY, SECRET = "AC" + "1" * 32, "s3cr3t"


def signed(method="PUT", url="http://127.0.0.1:8080/contact/task", body=b'{"Name":"n"}'):
    request = AWSRequest(method=method, url=url, data=body, headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials(KEY, SECRET), "connect", "us-east-1").add_auth(request)
    parts = urlsplit(url)
    headers = {k.lower(): v for k, v in request.headers.items()}
    headers.setdefault("host", parts.netloc)
    forwarded = {"method": method, "path": parts.path, "query": parts.query,
                 "headers": {n: headers[n] for n in sigv4.signed_header_names(headers["authorization"])},
                 "payload_sha256": hashlib.sha256(body).hexdigest()}
    return headers["authorization"], forwarded


def secret_for(key):
    return SECRET if key == KEY else None


def test_valid_signatures_verify():
    for url in ("http://127.0.0.1:8080/contact/task", "http://h:1/a/b%20c/?z=1&a=2&a=1", "http://h/x/./y/../z"):
        auth, request = signed(url=url)
        assert sigv4.verify(auth, request, secret_for) == KEY, url


def test_anything_changed_fails():
    auth, request = signed()
    assert sigv4.verify(auth, {**request, "payload_sha256": hashlib.sha256(b"{}").hexdigest()}, secret_for) is None
    assert sigv4.verify(auth, {**request, "method": "POST"}, secret_for) is None
    assert sigv4.verify(auth, {**request, "path": "/contact/other"}, secret_for) is None
    assert sigv4.verify(auth, {**request, "query": "a=1"}, secret_for) is None
    headers = dict(request["headers"], host="evil:80")
    assert sigv4.verify(auth, {**request, "headers": headers}, secret_for) is None
    assert sigv4.verify(auth, request, lambda key: "other") is None
    assert sigv4.verify(auth, request, lambda key: None) is None
    assert sigv4.verify(auth.replace("Signature=", "Signature=0"), request, secret_for) is None


def test_clock_skew_and_malformed_headers():
    auth, request = signed()
    assert sigv4.verify(auth, request, secret_for, now=time.time() + 16 * 60) is None
    assert sigv4.verify(auth, request, secret_for, now=time.time() - 16 * 60) is None
    assert sigv4.verify(auth, request, secret_for, now=time.time() + 60) == KEY
    for bad in ("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 Credential=x", "Basic abc", "",
                "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=00"):
        assert sigv4.verify(bad, request, secret_for) is None
    missing_header = {**request, "headers": {k: v for k, v in request["headers"].items() if k != "x-amz-date"}}
    assert sigv4.verify(auth, missing_header, secret_for) is None
