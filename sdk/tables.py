"""How the CLI prints messages: a readable table by default, JSON (the HTTP API's field names)
for scripts."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from google.protobuf import json_format
from google.protobuf.message import Message

# The columns of a list, by resource message; other messages show their first scalar fields.
COLUMNS = {
    "Workspace": ("sid", "name", "default_activity_name", "timeout_activity_name", "multi_task_enabled",
                  "date_created"),
    "Activity": ("sid", "name", "available"),
    "TaskQueue": ("sid", "name", "target_workers", "task_order", "max_reserved_workers"),
    "Worker": ("sid", "name", "activity_name", "available", "capacity", "date_status_changed"),
    "Workflow": ("sid", "name", "task_reservation_timeout", "date_created"),
    "Task": ("sid", "assignment_status", "priority", "task_queue_friendly_name", "worker_sid", "age",
             "date_created"),
    "Reservation": ("sid", "reservation_status", "task_sid", "worker_name", "date_created"),
    "Event": ("id", "event_date", "event_type", "resource_sid", "description"),
}
MAX_CELL = 40


def to_json(message: Message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=False)


def _columns(message: Message) -> tuple[str, ...]:
    name = message.DESCRIPTOR.name
    if name in COLUMNS:
        return COLUMNS[name]
    return tuple(f.name for f in message.DESCRIPTOR.fields if f.message_type is None)[:7]


def _cell(value) -> str:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def _header(message: Message, column: str) -> str:
    return message.DESCRIPTOR.fields_by_name[column].json_name


def print_table(items: list[Message], out: IO[str]) -> None:
    if not items:
        out.write("(none)\n")
        return
    columns = _columns(items[0])
    rows = [[_header(items[0], c) for c in columns]] + [[_cell(getattr(item, c)) for c in columns] for item in items]
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    for row in rows:
        out.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip() + "\n")


def print_record(message: Message, out: IO[str]) -> None:
    """One message as `field  value` lines (fields that are set)."""
    data = to_json(message)
    width = max((len(key) for key in data), default=0)
    for key, value in data.items():
        text = value if isinstance(value, str) else json.dumps(value)
        out.write(f"{key.ljust(width)}  {text}\n")


def print_json(value: Message | Iterable[Message], out: IO[str]) -> None:
    data = to_json(value) if isinstance(value, Message) else [to_json(item) for item in value]
    out.write(json.dumps(data, indent=2) + "\n")


def print_event_line(event: Message, out: IO[str], as_json: bool) -> None:
    """Streams print one line per event (JSON lines with --json), flushed at once."""
    if as_json:
        out.write(json.dumps(to_json(event)) + "\n")
    else:
        out.write("  ".join(_cell(getattr(event, c)) for c in _columns(event)) + "\n")
    out.flush()
