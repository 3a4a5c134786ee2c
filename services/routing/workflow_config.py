"""A workflow's configuration: a case statement over task attributes. The first filter whose
expression matches routes the task to its targets, tried in order; default_filter catches
the rest. Parsed and compiled once per configuration text."""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Any

from taskrouter.server import json_depth
from taskrouter.server.errors import TaskRouterError
from taskrouter.server.routing.expressions import Expression, ExpressionError, compile_expression
from taskrouter.server.routing.target_rules import OrderBy, RuleError, SkipIf, TaskValue

DEFAULT_FILTER = -1
# A bound on the whole document (each expression in it has its own, expressions.MAX_SOURCE_CHARS).
MAX_CONFIGURATION_CHARS = 262_144
MAX_FILTERS = 1_000

# The keys each level of a configuration understands; any other key is refused by name, so nobody
# believes a rule is in force when it is not.
KNOWN_KEYS = {
    "configuration": ("task_routing",),
    "task_routing": ("filters", "default_filter"),
    "filter": ("filter_friendly_name", "friendly_name", "expression", "targets"),
    "target": ("queue", "priority", "timeout", "expression", "known_worker_sid", "known_worker_friendly_name",
               "order_by", "skip_if"),
}


@dataclasses.dataclass(frozen=True)
class Target:
    queue: str
    priority: int | None = None
    timeout: int | None = None  # seconds before the task moves on to the next target
    expression: Expression | None = None  # which of the queue's workers qualify, per task
    # Only this worker (a SID or a friendly name taken from the task) may take the task here.
    known_worker_sid: TaskValue | None = None
    known_worker_friendly_name: TaskValue | None = None
    order_by: OrderBy | None = None  # ranks the eligible workers ahead of longest idle
    skip_if: SkipIf | None = None  # skips the target when it holds as the task enters it

    @property
    def known_worker(self) -> bool:
        return self.known_worker_sid is not None or self.known_worker_friendly_name is not None


@dataclasses.dataclass(frozen=True)
class Filter:
    name: str
    expression: Expression
    targets: tuple[Target, ...]


@dataclasses.dataclass(frozen=True)
class RoutingConfig:
    filters: tuple[Filter, ...]
    default: tuple[Target, ...]

    def match(self, task_attributes: dict, start: int = 0) -> tuple[int, Filter | None]:
        """The index of the first matching filter from `start` on (DEFAULT_FILTER for the default)
        and the filter."""
        for index, candidate in enumerate(self.filters):
            if index >= start and candidate.expression.matches(task_attributes, task=task_attributes):
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


def _rule(kind, value: Any, where: str):
    try:
        return kind.parse(value)
    except RuleError as exc:
        raise _fail(f"{where}: {exc}", str(value)) from None


def _target(raw: Any, where: str) -> Target:
    if isinstance(raw, str):
        raw = {"queue": raw}
    if not isinstance(raw, dict):
        raise _fail(f"{where} must be an object with a queue")
    queue = raw.get("queue")
    if not isinstance(queue, str) or not queue.strip():
        raise _fail(f"{where} needs a queue SID")
    given = {key for key, value in raw.items() if value is not None}
    if {"known_worker_sid", "known_worker_friendly_name"} <= given:
        raise _fail(f"{where} names its known worker twice: give known_worker_sid or known_worker_friendly_name")
    return Target(
        queue=queue.strip(),
        priority=(_int(raw["priority"], f"{where}.priority", -(2**31), 2**31 - 1)
                  if raw.get("priority") is not None else None),
        timeout=_int(raw["timeout"], f"{where}.timeout", 1, 1_209_600) if raw.get("timeout") is not None else None,
        expression=_expression(raw["expression"], f"{where}.expression") if raw.get("expression") else None,
        known_worker_sid=_rule(TaskValue, raw["known_worker_sid"], f"{where}.known_worker_sid")
        if "known_worker_sid" in given else None,
        known_worker_friendly_name=_rule(TaskValue, raw["known_worker_friendly_name"],
                                         f"{where}.known_worker_friendly_name")
        if "known_worker_friendly_name" in given else None,
        order_by=_rule(OrderBy, raw["order_by"], f"{where}.order_by") if "order_by" in given else None,
        skip_if=SkipIf(_expression(raw["skip_if"], f"{where}.skip_if")) if "skip_if" in given else None,
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


def check(text: str) -> RoutingConfig:
    """parse(), and also refuse every key we do not implement, naming it: for configurations
    given through the API (a stored one was checked when it was written)."""
    config = parse(text)
    document = json.loads(text)
    _known_keys(document, "configuration", "configuration")
    routing = document["task_routing"]
    _known_keys(routing, "task_routing", "task_routing")
    for i, raw in enumerate(routing.get("filters", [])):
        _known_keys(raw, "filter", f"filters[{i}]")
        for j, target in enumerate(raw["targets"]):
            _known_keys(target, "target", f"filters[{i}].targets[{j}]")
    default = routing.get("default_filter")
    for j, target in enumerate(default if isinstance(default, list) else [default] if default is not None else []):
        _known_keys(target, "target", f"default_filter[{j}]" if isinstance(default, list) else "default_filter")
    return config


def _known_keys(raw: Any, level: str, where: str) -> None:
    if not isinstance(raw, dict):  # a target given as a bare queue SID
        return
    for key in raw:
        if key not in KNOWN_KEYS[level]:
            raise _fail(f"{where}.{key} is not a known key (known keys: {', '.join(KNOWN_KEYS[level])})", key)
