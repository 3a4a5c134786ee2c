"""A bound on how deeply JSON may nest, checked before parsing.

Python's json module recurses once per level: a document nested 10,000 deep raises RecursionError,
and one just under the interpreter's limit still makes every later recursive walk fragile. So
every JSON text we accept (request bodies, attributes, workflow configurations) is measured first,
with C-speed regular expressions, and refused past MAX_DEPTH. Pure: imports nothing of ours."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

MAX_DEPTH = 64
# A request body is turned into protobuf, where a google.protobuf.Struct spends three message levels
# per JSON level and a decoder accepts at most 100: bodies get half the depth.
MAX_BODY_DEPTH = 32

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


class TooDeep(ValueError):
    """The text nests arrays and objects more than MAX_DEPTH levels."""

    def __init__(self, limit: int = MAX_DEPTH) -> None:
        super().__init__(f"nested more than {limit} levels deep")
        self.limit = limit


def nesting_depth(text: str | bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings do not count)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)))


def check_depth(text: str | bytes, limit: int = MAX_DEPTH) -> None:
    """Raises TooDeep when `text` nests deeper than `limit`."""
    opened = text.count(b"[") + text.count(b"{") if isinstance(text, bytes) else text.count("[") + text.count("{")
    if opened <= limit:  # the usual small document: nothing to measure
        return
    if nesting_depth(text) > limit:
        raise TooDeep(limit)


def loads(text: str | bytes, limit: int = MAX_DEPTH) -> Any:
    """json.loads, refusing (TooDeep, a ValueError) a text nested deeper than `limit`."""
    check_depth(text, limit)
    return json.loads(text)
