"""What both clients need before a call: credentials as metadata and the channel's settings."""

from __future__ import annotations

import base64
import os

import grpc

DEFAULT_TARGET = "127.0.0.1:50051"
# gRPC's own reconnection backoff reaches 2 minutes; a watcher waiting for a restarted server
# would sit that long after the server is back. Ours stays short. (Not grpc.min_reconnect_backoff_ms:
# gRPC also takes it as the time a connection attempt may take, 20 s by default.)
CHANNEL_OPTIONS = (
    ("grpc.initial_reconnect_backoff_ms", 100),
    ("grpc.max_reconnect_backoff_ms", 2000),
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
)
# Stream ends worth reconnecting after: the server went away or restarted.
RECONNECT_CODES = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.INTERNAL)


def auth_metadata(account_sid: str | None, auth_token: str | None, worker_token: str | None
                  ) -> tuple[tuple[str, str], ...]:
    """Basic account credentials or a worker token's Bearer; unset arguments come from
    TASKROUTER_ACCOUNT_SID / TASKROUTER_AUTH_TOKEN / TASKROUTER_WORKER_TOKEN."""
    if worker_token is None and account_sid is None and auth_token is None:
        worker_token = os.environ.get("TASKROUTER_WORKER_TOKEN") or None
        account_sid = os.environ.get("TASKROUTER_ACCOUNT_SID") or None
        auth_token = os.environ.get("TASKROUTER_AUTH_TOKEN") or None
    if worker_token:
        if account_sid or auth_token:
            raise ValueError("give either worker_token or account_sid and auth_token, not both")
        return (("authorization", f"Bearer {worker_token}"),)
    if account_sid and auth_token:
        encoded = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        return (("authorization", f"Basic {encoded}"),)
    if account_sid or auth_token:
        raise ValueError("account_sid and auth_token go together")
    return ()


def channel_options(extra) -> list[tuple[str, object]]:
    given: dict[str, object] = dict(extra or ())
    ours: list[tuple[str, object]] = [(key, value) for key, value in CHANNEL_OPTIONS if key not in given]
    return ours + list(given.items())
