"""No credential reaches a log line: what redact() masks, table-driven."""

from __future__ import annotations

import pytest

from taskrouter.server.observability.logging_setup import redact

CASES = [
    ("Authorization: Basic QUMxMjM6c2VjcmV0", "QUMxMjM6c2VjcmV0"),
    ("authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0", "eyJhbGciOi"),
    ('{"authToken": "d41d8cd98f00b204", "accountSid": "AC1"}', "d41d8cd98f00b204"),
    ("{'signingKey': 'k_live_123'}", "k_live_123"),
    ("signing_key=k_live_456 rotated", "k_live_456"),
    ("GET /taskrouter/workers/WK1/stream?access_token=tok789&x=1", "tok789"),
    ("password=hunter2", "hunter2"),
    (("AWS4-HMAC-SHA256 Credential=AKIA/20261130/us-east-1/connect/aws4_request, SignedHeaders=host, "
      "Signature=fe5f80f77d5fa3beca038a248ff027"), "fe5f80f77d5fa3beca038a248ff027"),
    ("X-TaskRouter-Signature: v1=0a1b2c3d4e5f", "0a1b2c3d4e5f"),
]


@pytest.mark.parametrize(("text", "secret"), CASES)
def test_secrets_are_masked(text, secret):
    masked = redact(text)
    assert secret not in masked and "[REDACTED]" in masked
    assert redact(masked) == masked  # masking twice changes nothing


@pytest.mark.parametrize("text", ["POST /taskrouter/tasks 201 3.2ms", "workspace WS123 has 4 pending tasks",
                                  "Reservation WR1 accepted"])
def test_ordinary_lines_are_left_alone(text):
    assert redact(text) == text
