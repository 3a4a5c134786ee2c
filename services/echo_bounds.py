"""How much of a caller's input an error may echo back. An error names its culprit in `data`
(and sometimes its message quotes it); echoed whole, 20 KB of input made 20 KB errors, and over
gRPC, whose metadata is capped at 16 KiB, the client saw a bogus 429 instead of the error. Pure:
imports nothing of ours, so the services and the gateway share it."""

from __future__ import annotations

MAX_DATA_CHARS = 256
MAX_MESSAGE_CHARS = 1024


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    note = f"... ({len(text) - limit} more characters)"
    return text[: max(0, limit - len(note))] + note
