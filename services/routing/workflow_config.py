"""A workflow's configuration: a case statement over task attributes. The first filter whose
expression matches routes the task to its targets, tried in order; default_filter catches
the rest. Parsed and compiled once per configuration text."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from taskrouter.server import json_depth
from taskrouter.server.errors import TaskRouterError
from taskrouter.server.routing.expressions import Expression, ExpressionError, compile_expression

DEFAULT_FILTER = -1
# A bound on the whole document (each expression in it has its own, expressions.MAX_SOURCE_CHARS).
MAX_CONFIGURATION_CHARS = 262_144
MAX_FILTERS = 1_000


@dataclasses.dataclass(frozen=True)
class Target:
    queue: str
    priority: int | None = None
    timeout: int | None = None  # seconds before the task moves on to the next target
    expression: Expression | None = None  # which of the queue's workers qualify, per task


@dataclasses.dataclass(frozen=True)
class Filter:
    name: str
    expression: Expression
    targets: tuple[Target, ...]


@dataclasses.dataclass(frozen=True)
class RoutingConfig:
    filters: tuple[Filter, ...]
    default: tuple[Target, ...]

    def match(self, task_attributes: dict) -> tuple[int, Filter | None]:
        """The index of the first matching filter (DEFAULT_FILTER for the default) and the filter."""
        for index, candidate in enumerate(self.filters):
            if candidate.expression.matches(task_attributes, task=task_attributes):
                return index, candidate
        return DEFAULT_FILTER, None

    def targets(self, filter_index: int) -> tuple[Target, ...]:
        if filter_index == DEFAULT_FILTER:
            return self.default
        if 0 <= filter_index < len(self.filters):
            return self.filters[filter_index].targets
        return ()

    def queue_sids(self) -> set[str]:
        return {t.queue for f in self.filters for t in f.targets} | {t.queue for t in self.default}


def _fail(why: str, data: str = "") -> TaskRouterError:
    return TaskRouterError("INVALID_WORKFLOW_CONFIGURATION", data, f"Invalid workflow configuration: {why}")


def _expression(source: Any, where: str) -> Expression:
    if not isinstance(source, str):
        raise _fail(f"{where} must be a string")
    try:
        return compile_expression(source)
    except ExpressionError as exc:
        raise _fail(f"{where}: {exc.message}", source) from None


def _int(value: Any, where: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(f"{where} must be an integer from {low} to {high}")
    return value


def _target(raw: Any, where: str) -> Target:
    if isinstance(raw, str):
        raw = {"queue": raw}
    if not isinstance(raw, dict):
        raise _fail(f"{where} must be an object with a queue")
    queue = raw.get("queue")
    if not isinstance(queue, str) or not queue.strip():
        raise _fail(f"{where} needs a queue SID")
    return Target(
        queue=queue.strip(),
        priority=_int(raw["priority"], f"{where}.priority", -(2**31), 2**31 - 1) if raw.get("priority") is not None else None,
        timeout=_int(raw["timeout"], f"{where}.timeout", 1, 1_209_600) if raw.get("timeout") is not None else None,
        expression=_expression(raw["expression"], f"{where}.expression") if raw.get("expression") else None,
    )


@functools.lru_cache(maxsize=1024)
def parse(text: str) -> RoutingConfig:
    """Parses and checks a configuration; raises INVALID_WORKFLOW_CONFIGURATION naming the problem."""
    if len(text) > MAX_CONFIGURATION_CHARS:
        raise _fail(f"it is {len(text)} characters long; the limit is {MAX_CONFIGURATION_CHARS}")
    try:
        document = json_depth.loads(text)
    except json_depth.TooDeep as exc:
        raise _fail(str(exc)) from None
    except ValueError as exc:
        raise _fail(f"not valid JSON ({exc})") from None
    routing = document.get("task_routing") if isinstance(document, dict) else None
    if not isinstance(routing, dict):
        raise _fail('it must be a JSON object with a "task_routing" object')
    raw_filters = routing.get("filters", [])
    if not isinstance(raw_filters, list):
        raise _fail("task_routing.filters must be a list")
    if len(raw_filters) > MAX_FILTERS:
        raise _fail(f"task_routing.filters has {len(raw_filters)} filters; the limit is {MAX_FILTERS}")
    filters = []
    for i, raw in enumerate(raw_filters):
        where = f"filters[{i}]"
        if not isinstance(raw, dict):
            raise _fail(f"{where} must be an object")
        targets = raw.get("targets")
        if not isinstance(targets, list) or not targets:
            raise _fail(f"{where}.targets must be a non-empty list")
        filters.append(Filter(
            name=str(raw.get("filter_friendly_name") or raw.get("friendly_name") or f"filter {i}"),
            expression=_expression(raw.get("expression", ""), f"{where}.expression"),
            targets=tuple(_target(t, f"{where}.targets[{j}]") for j, t in enumerate(targets)),
        ))
    raw_default = routing.get("default_filter")
    if raw_default is None:
        default: tuple[Target, ...] = ()
    elif isinstance(raw_default, list):
        default = tuple(_target(t, f"default_filter[{j}]") for j, t in enumerate(raw_default))
    else:
        default = (_target(raw_default, "default_filter"),)
    if not filters and not default:
        raise _fail("it routes nowhere: give filters or a default_filter")
    return RoutingConfig(filters=tuple(filters), default=default)
