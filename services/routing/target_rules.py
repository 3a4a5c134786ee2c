"""The per-target rules of a workflow beyond queue, priority, timeout and expression: which known
worker a task is for (known_worker_sid / known_worker_friendly_name), how eligible workers are
ranked (order_by) and when a target is skipped (skip_if). Pure: parsing and evaluation only."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from taskrouter.server.routing.expressions import Expression

_PATH = re.compile(r"[^\W\d]\w*(?:\.\w+)*")
_LITERAL = re.compile(r"""'([^'\\]*)'|"([^"\\]*)\"""")
_ORDER_TERM = re.compile(r"\s*(\S+?)(?:\s+(ASC|DESC))?\s*", re.IGNORECASE)


class RuleError(ValueError):
    """A rule that does not parse; the message says what was expected."""


def _walk(value: Any, segments: tuple[str, ...]) -> Any:
    for segment in segments:
        if not isinstance(value, Mapping):
            return None
        value = value.get(segment)
    return value


@dataclasses.dataclass(frozen=True)
class TaskValue:
    """A value taken from the task: a path into its attributes (`task.preferred_agent`, the
    `task.` prefix optional) or a quoted literal ('WK...')."""

    source: str
    literal: str | None = None
    path: tuple[str, ...] = ()

    @classmethod
    def parse(cls, source: Any) -> TaskValue:
        if not isinstance(source, str) or not source.strip():
            raise RuleError("must be a task attribute path such as task.preferred_agent, or a quoted value")
        text = source.strip()
        literal = _LITERAL.fullmatch(text)
        if literal:
            return cls(text, literal=literal.group(1) if literal.group(1) is not None else literal.group(2))
        if not _PATH.fullmatch(text):
            raise RuleError(f"{text!r} is not a task attribute path such as task.preferred_agent, or a quoted value")
        segments = tuple(text.split("."))
        return cls(text, path=segments[1:] if segments[0] == "task" and len(segments) > 1 else segments)

    def of(self, task_attributes: Mapping[str, Any]) -> str | None:
        """The value as text, or None when the task has none (or it is not a string or number)."""
        if self.literal is not None:
            return self.literal or None
        value = _walk(task_attributes, self.path)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return None
        return str(value).strip() or None


class _Descending:
    """Reverses the order of the value it wraps."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value

    def __lt__(self, other: _Descending) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Descending) and other.value == self.value


@dataclasses.dataclass(frozen=True)
class OrderBy:
    """`worker.level DESC, worker.tenure ASC`: ranks eligible workers (the first term first);
    workers without a value for a term come after those with one; longest idle breaks ties."""

    source: str
    terms: tuple[tuple[tuple[str, ...], bool], ...]  # (path in the worker, descending)

    @classmethod
    def parse(cls, source: Any) -> OrderBy:
        if not isinstance(source, str) or not source.strip():
            raise RuleError("must be a list such as \"worker.level DESC, worker.tenure ASC\"")
        terms = []
        for part in source.split(","):
            match = _ORDER_TERM.fullmatch(part)
            if not match or not _PATH.fullmatch(match.group(1)):
                raise RuleError(f"{part.strip()!r} is not a worker attribute followed by ASC or DESC")
            segments = tuple(match.group(1).split("."))
            if segments[0] == "worker" and len(segments) > 1:
                segments = segments[1:]
            terms.append((segments, (match.group(2) or "ASC").upper() == "DESC"))
        return cls(source.strip(), tuple(terms))

    def rank(self, worker: Mapping[str, Any]) -> tuple:
        """The sort key of a worker (its attributes, with sid and friendly_name): lower first."""
        key: list = []
        for path, descending in self.terms:
            value = _walk(worker, path)
            if isinstance(value, bool):
                value = int(value)
            if isinstance(value, (int, float)):
                kind = 0
            elif isinstance(value, str):
                kind = 1
            else:
                key.append((1, 0, 0))  # missing or not orderable: last
                continue
            key.append((0, kind, _Descending(value) if descending else value))
        return tuple(key)


@dataclasses.dataclass(frozen=True)
class SkipIf:
    """`workers.available == 0`: skips the target when it holds as the task enters it. Names:
    workers.available, workers.unavailable and workers.<activity SID>, counted over the target
    queue's members."""

    expression: Expression

    def holds(self, available: int, unavailable: int, by_activity: Mapping[str, int]) -> bool:
        workers = {**by_activity, "available": available, "unavailable": unavailable}
        return self.expression.matches({"workers": workers})
