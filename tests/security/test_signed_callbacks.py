"""Every assignment and event callback is signed: X-TaskRouter-Timestamp and
X-TaskRouter-Signature: v1=<hex HMAC-SHA256(signingKey, "timestamp.body")>, with the signing key
`accounts create` printed. The receiver below verifies them the way docs/security.md shows."""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.parse

from polling import eventually


def verify(signing_key: str, headers: dict, body: bytes) -> bool:
    """docs/security.md's five lines."""
    timestamp = headers["X-TaskRouter-Timestamp"]
    expected = "v1=" + hmac.new(signing_key.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    fresh = abs(time.time() - int(timestamp)) < 300
    return fresh and any(hmac.compare_digest(expected, s.strip()) for s in headers["X-TaskRouter-Signature"].split(","))


def test_assignment_and_event_callbacks_are_signed_with_the_account_key(world, receiver, account):
    assert len(account["signingKey"]) == 64
    world.ok(world.client.put(f"/taskrouter/workspaces/{world.ws['sid']}", json={"eventCallbackUrl": receiver.url}))
    world.worker()
    flow = world.workflow(assignmentCallbackUrl=receiver.url)
    task = world.task(flow, type="signed")

    def kinds():
        forms = [urllib.parse.parse_qs(r["body"].decode()) for r in receiver.requests]
        return {"assignment" if "ReservationSid" in f and "EventType" not in f else "event" for f in forms}
    eventually(lambda: kinds() == {"assignment", "event"})
    for request in receiver.requests:
        headers, body = request["headers"], request["body"]
        timestamp = headers["X-TaskRouter-Timestamp"]
        assert headers["X-TaskRouter-Signature"] == "v1=" + hmac.new(
            account["signingKey"].encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        assert verify(account["signingKey"], headers, body)
        assert not verify("0" * 64, headers, body)
        assert not verify(account["signingKey"], headers, body + b"&x=1")  # a changed body fails
    assert any(task["sid"] in r["body"].decode() for r in receiver.requests)


def test_every_account_of_the_enterprise_can_verify(world, receiver, account):
    from taskrouter.server.accounts import create_account

    second = create_account("second@example.com", account["enterpriseSid"])
    world.ok(world.client.put(f"/taskrouter/workspaces/{world.ws['sid']}", json={"eventCallbackUrl": receiver.url}))
    world.task(world.workflow(), type="enterprise")
    eventually(lambda: receiver.requests)
    request = receiver.requests[0]
    assert verify(account["signingKey"], request["headers"], request["body"])
    assert verify(second["signingKey"], request["headers"], request["body"])
    assert request["headers"]["X-TaskRouter-Signature"].count("v1=") == 2
