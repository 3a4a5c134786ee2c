"""The statuses of tasks, reservations and transfers: each vocabulary defined once. A member equals
its string, so the database rows and the API's values are the strings themselves (docs/api.md)."""

from __future__ import annotations

import enum
from typing import TypeVar


class TaskStatus(enum.StrEnum):
    PENDING = "pending"
    RESERVED = "reserved"
    ASSIGNED = "assigned"
    WRAPPING = "wrapping"
    CANCELED = "canceled"
    COMPLETED = "completed"


class ReservationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TIMEOUT = "timeout"
    CANCELED = "canceled"
    RESCINDED = "rescinded"
    WRAPPING = "wrapping"
    COMPLETED = "completed"


class TransferStatus(enum.StrEnum):
    INITIATED = "initiated"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELED = "canceled"


# A live task is in flight (wrapping: after the work, before completion); a final one never changes.
LIVE_TASK = frozenset({TaskStatus.PENDING, TaskStatus.RESERVED, TaskStatus.ASSIGNED, TaskStatus.WRAPPING})
FINAL_TASK = frozenset({TaskStatus.CANCELED, TaskStatus.COMPLETED})
# A task a worker holds: it can only wrap up or complete, never be canceled.
HELD_TASK = frozenset({TaskStatus.ASSIGNED, TaskStatus.WRAPPING})
# A task waiting for a worker to take it: its TTL still runs.
WAITING_TASK = frozenset({TaskStatus.PENDING, TaskStatus.RESERVED})
# The reservations that hold a worker's capacity (in total and on the task's channel).
ACTIVE_RESERVATION = frozenset({ReservationStatus.PENDING, ReservationStatus.ACCEPTED, ReservationStatus.WRAPPING})
# How an offer ends when its worker turned it down: the worker is not offered the task again.
REFUSED_RESERVATION = frozenset({ReservationStatus.REJECTED, ReservationStatus.TIMEOUT})


Status = TypeVar("Status", TaskStatus, ReservationStatus, TransferStatus)


def parse(vocabulary: type[Status], text: str) -> Status | None:
    """The status `text` names, in any letter case ("Cancelled" is canceled); None if none."""
    try:
        return vocabulary(text.strip().lower().replace("cancelled", "canceled"))
    except ValueError:
        return None
