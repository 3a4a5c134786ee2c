"""What one process takes on, in one place (docs/deploy.md): `serve` flags and TASKROUTER_*
variables set them; the gRPC server and the gateway's channel share the message limit."""

from __future__ import annotations

import dataclasses

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
MAX_BODY_BYTES = 1 << 20  # an HTTP request body


def message_options(max_message_bytes: int = MAX_MESSAGE_BYTES) -> list[tuple[str, int]]:
    """gRPC channel and server options for messages up to `max_message_bytes`, both ways."""
    return [("grpc.max_receive_message_length", max_message_bytes),
            ("grpc.max_send_message_length", max_message_bytes)]


@dataclasses.dataclass(frozen=True)
class Limits:
    threads: int = 32  # the pool of blocking domain calls (each holds a database connection)
    max_message_bytes: int = MAX_MESSAGE_BYTES  # gRPC messages in and out, the gateway's channel too
    max_streams_per_account: int = 1000  # open event streams per account, gRPC and SSE together
    stream_poll_seconds: float = 5.0  # a stream reads again this often even when nothing woke it
    # Failed logins allowed in a burst, per account SID and per client address; the allowance comes
    # back evenly over failed_login_window seconds (docs/security.md).
    failed_logins_per_account: int = 10
    failed_logins_per_client: int = 30
    failed_login_window: float = 60.0
