"""The status vocabularies of routing/statuses.py are the ones docs/api.md documents, and a
status given in any spelling the API accepts parses to its member."""

from __future__ import annotations

import pathlib
import re

import pytest

from taskrouter.server.routing import statuses
from taskrouter.server.routing.statuses import ReservationStatus, TaskStatus, TransferStatus

API = (pathlib.Path(__file__).parents[2] / "docs" / "api.md").read_text()


def _documented(pattern: str) -> list[str]:
    """The backquoted values of the passage of docs/api.md that `pattern` finds."""
    found = re.search(pattern, API, re.DOTALL)
    assert found, pattern
    return re.findall(r"`(\w+)`", found.group(1))


def test_task_statuses_are_the_documented_assignment_statuses():
    documented = _documented(r"A task's `assignmentStatus` is (.*?)[(.]")
    assert documented == [status.capitalize() for status in TaskStatus]


def test_reservation_statuses_are_the_documented_ones():
    documented = _documented(r"## Reservations.*?Statuses: (.*?)\.")
    assert documented == list(ReservationStatus)


def test_transfer_statuses_are_the_documented_ones():
    documented = _documented(r"`transferStatus` \((.*?)\)")
    assert documented == list(TransferStatus)


@pytest.mark.parametrize(("vocabulary", "text", "expected"), [
    (TaskStatus, "Pending", TaskStatus.PENDING),
    (TaskStatus, " WRAPPING ", TaskStatus.WRAPPING),
    (TaskStatus, "Cancelled", TaskStatus.CANCELED),
    (TaskStatus, "canceled", TaskStatus.CANCELED),
    (TaskStatus, "accepted", None),  # a reservation's status, not a task's
    (TaskStatus, "", None),
    (ReservationStatus, "Timeout", ReservationStatus.TIMEOUT),
    (ReservationStatus, "cancelled", ReservationStatus.CANCELED),
    (ReservationStatus, "reserved", None),
    (TransferStatus, "Initiated", TransferStatus.INITIATED),
    (TransferStatus, "CANCELLED", TransferStatus.CANCELED),
    (TransferStatus, "pending", None),
])
def test_a_status_parses_in_any_spelling_the_api_accepts(vocabulary, text, expected):
    assert statuses.parse(vocabulary, text) is expected


def test_a_status_equals_its_stored_string():
    assert TaskStatus.PENDING == "pending"
    assert "reserved" in statuses.LIVE_TASK
    assert f"reservation.{ReservationStatus.RESCINDED}" == "reservation.rescinded"
