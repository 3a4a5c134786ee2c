"""Resource identifiers: a two-letter prefix and 32 hex digits, as in the seed."""

import uuid

ENTERPRISE = "EN"
ACCOUNT = "AC"
WORKSPACE = "WS"
ACTIVITY = "AT"
TASK_QUEUE = "TQ"
WORKER = "WK"
WORKFLOW = "WF"
TASK = "TK"
RESERVATION = "WR"
EVENT = "EV"
TASK_CHANNEL = "TC"
WORKER_CHANNEL = "WC"
TRANSFER = "TT"


def new_sid(prefix: str) -> str:
    return prefix + uuid.uuid4().hex


def is_sid(value: str, prefix: str) -> bool:
    """`value` has the shape of a SID of that kind: the prefix, then 32 lowercase hex digits."""
    body = value[len(prefix):]
    return value.startswith(prefix) and len(body) == 32 and all(c in "0123456789abcdef" for c in body)
