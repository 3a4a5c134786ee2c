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
