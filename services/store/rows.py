"""The rows of a select as tuples or dicts, typed as such: peewee's stubs type `.tuples()` and
`.dicts()` as the model query itself, whose rows would be model instances."""

from __future__ import annotations

from typing import Any

import peewee as pw


def tuples(query: pw.ModelSelect[Any]) -> list[tuple[Any, ...]]:
    return list(query.tuples())


def dicts(query: pw.ModelSelect[Any]) -> list[dict[str, Any]]:
    return list(query.dicts())
