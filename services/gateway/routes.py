"""The route table, read from the `google.api.http` annotations of the service descriptors.

Nothing here is written per endpoint: every annotated RPC (and each of its
`additional_bindings`) becomes one Route, matched by HTTP method and path template.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from types import ModuleType
from urllib.parse import unquote

from google.api import annotations_pb2, http_pb2
from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor
from google.protobuf.message import Message

from taskrouter.server.gateway.error_mapping import GatewayError
from taskrouter.server.gateway.response_rules import DEFAULT, ResponseRule, response_rule
from taskrouter.v1 import configuration_service_pb2, task_service_pb2, workflow_service_pb2, workforce_service_pb2

# The request field a `Last-Event-ID` header fills on server-streaming routes.
RESUME_FIELD = "after_id"
# On server-streaming routes, the response fields that become the SSE `id:` and `event:` lines.
EVENT_ID_FIELD = "id"
EVENT_TYPE_FIELD = "event_type"


@dataclasses.dataclass(frozen=True)
class PathVariable:
    group: str  # regex group name
    field_path: tuple[str, ...]  # proto field names, outermost first
    multi_segment: bool


@dataclasses.dataclass(frozen=True)
class Route:
    """One HTTP binding of one RPC."""

    http_method: str
    template: str
    openapi_path: str
    regex: re.Pattern[str] | None  # None: a literal path
    variables: tuple[PathVariable, ...]
    literal_segments: int
    body: str  # "", "*" or a request field name
    response_body: str  # "" or a response field name
    service_name: str
    method: MethodDescriptor
    rpc_path: str
    request_class: type[Message]
    response_class: type[Message]
    server_streaming: bool
    resume_field: FieldDescriptor | None
    binding_index: int  # 0 for the main binding, 1.. for additional_bindings
    # taskrouter.v1.http_response: success and error shapes other than the seed's envelope.
    response: ResponseRule = DEFAULT

    @property
    def operation_id(self) -> str:
        name = self.method.name
        return name if self.binding_index == 0 else f"{name}{self.binding_index + 1}"

    def path_params(self, match: re.Match[str] | None) -> dict[tuple[str, ...], str]:
        if match is None:
            return {}
        return {
            v.field_path: unquote(match.group(v.group)) for v in self.variables
        }


def _rule_pattern(rule: http_pb2.HttpRule) -> tuple[str, str] | None:
    kind = rule.WhichOneof("pattern")
    if kind is None:
        return None
    if kind == "custom":
        return rule.custom.kind.upper(), rule.custom.path
    return kind.upper(), getattr(rule, kind)


_VARIABLE = re.compile(r"\{([^}=]+)(?:=([^}]*))?\}")


def _segment_regex(pattern: str) -> str:
    """Regex for the `=segments` part of a variable (`*` one segment, `**` any number)."""
    parts = []
    for seg in pattern.split("/"):
        if seg == "*":
            parts.append("[^/]+")
        elif seg == "**":
            parts.append(".+")
        else:
            parts.append(re.escape(seg))
    return "/".join(parts)


def _resolve_field_path(desc: Descriptor, dotted: str, where: str) -> tuple[str, ...]:
    names = tuple(dotted.split("."))
    current: Descriptor | None = desc
    for i, name in enumerate(names):
        field = current.fields_by_name.get(name) if current else None
        if field is None:
            raise ValueError(f"{where}: {desc.full_name} has no field {'.'.join(names[: i + 1])}")
        current = field.message_type
    return names


def _split_verb(template: str) -> tuple[str, str]:
    colon = template.rfind(":")
    if colon > max(template.rfind("/"), template.rfind("}")):
        return template[:colon], template[colon + 1 :]
    return template, ""


def _compile_template(template: str, request: Descriptor, where: str):
    """(regex or None, variables, openapi path, literal segment count) for a path template."""
    path, verb = _split_verb(template)
    regex_parts: list[str] = []
    variables: list[PathVariable] = []
    openapi_parts: list[str] = []
    pos = 0
    for m in _VARIABLE.finditer(path):
        literal = path[pos : m.start()]
        regex_parts.append(_segment_regex(literal))
        openapi_parts.append(literal)
        field_path = _resolve_field_path(request, m.group(1), where)
        group = f"v{len(variables)}"
        pattern = m.group(2) or "*"
        variables.append(PathVariable(group, field_path, "**" in pattern or "/" in pattern))
        regex_parts.append(f"(?P<{group}>{_segment_regex(pattern)})")
        openapi_parts.append("{" + m.group(1) + "}")
        pos = m.end()
    regex_parts.append(_segment_regex(path[pos:]))
    openapi_parts.append(path[pos:])
    if verb:
        regex_parts.append(re.escape(":" + verb))
        openapi_parts.append(":" + verb)
    skeleton = _VARIABLE.sub("{}", path)
    literals = sum(1 for seg in skeleton.split("/") if seg and "{" not in seg and "*" not in seg)
    openapi_path = "".join(openapi_parts)
    if not variables and "*" not in path:
        return None, (), openapi_path, literals
    return re.compile("".join(regex_parts) + r"\Z"), tuple(variables), openapi_path, literals


def _routes_for_method(service_name: str, method: MethodDescriptor) -> list[Route]:
    options = method.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return []
    if method.client_streaming:
        return []  # not expressible as one HTTP request
    rule: http_pb2.HttpRule = options.Extensions[annotations_pb2.http]
    request_class = message_factory.GetMessageClass(method.input_type)
    response_class = message_factory.GetMessageClass(method.output_type)
    resume = method.input_type.fields_by_name.get(RESUME_FIELD) if method.server_streaming else None
    response = response_rule(method, f"{service_name}.{method.name}")
    routes = []
    for index, binding in enumerate([rule, *rule.additional_bindings]):
        pattern = _rule_pattern(binding)
        if pattern is None:
            continue
        http_method, template = pattern
        where = f"{service_name}.{method.name} {http_method} {template}"
        regex, variables, openapi_path, literals = _compile_template(template, method.input_type, where)
        if binding.body not in ("", "*"):
            _resolve_field_path(method.input_type, binding.body, where)
        if binding.response_body:
            _resolve_field_path(method.output_type, binding.response_body, where)
        routes.append(
            Route(
                http_method=http_method,
                template=template,
                openapi_path=openapi_path,
                regex=regex,
                variables=variables,
                literal_segments=literals,
                body=binding.body,
                response_body=binding.response_body,
                service_name=service_name,
                method=method,
                rpc_path=f"/{service_name}/{method.name}",
                request_class=request_class,
                response_class=response_class,
                server_streaming=method.server_streaming,
                resume_field=resume,
                binding_index=index,
                response=response,
            )
        )
    return routes


def routes_from_modules(modules: Iterable[ModuleType]) -> list[Route]:
    """Every annotated binding of every service defined in the given *_pb2 modules."""
    routes: list[Route] = []
    for module in modules:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                routes.extend(_routes_for_method(service.full_name, method))
    return routes


def default_modules() -> list[ModuleType]:
    return [configuration_service_pb2, workforce_service_pb2, workflow_service_pb2, task_service_pb2]


class RouteTable:
    """Finds the route for a method and a raw (still percent-encoded) path."""

    def __init__(self, routes: list[Route]):
        self.routes = routes
        self._literal: dict[str, dict[str, Route]] = {}
        templated: dict[str, dict[str, Route]] = {}
        for route in routes:
            table = self._literal if route.regex is None else templated
            by_method = table.setdefault(route.template, {})
            if route.http_method in by_method:
                other = by_method[route.http_method]
                raise ValueError(
                    f"{route.http_method} {route.template} is bound to both "
                    f"{other.rpc_path} and {route.rpc_path}"
                )
            by_method[route.http_method] = route
        # Most literal segments first, so /tasks/search/{sid} wins over /tasks/{sid}/{x}.
        ordered = sorted(templated.items(), key=lambda kv: -next(iter(kv[1].values())).literal_segments)
        self._templated: list[tuple[re.Pattern[str], dict[str, Route]]] = []
        for _, by_method in ordered:
            regex = next(iter(by_method.values())).regex
            assert regex is not None  # templated routes have one
            self._templated.append((regex, by_method))

    def allowed(self, raw_path: str) -> list[str]:
        """The methods bound to this path (what OPTIONS answers), by the same rules as match()."""
        path = self.normalize(raw_path)
        if path in self._literal:
            return sorted(self._literal[path])
        methods: set[str] = set()
        for regex, by_method in self._templated:
            if regex.match(path):
                methods.update(by_method)
        return sorted(methods)

    @staticmethod
    def normalize(path: str) -> str:
        # The seed's own paging links end in "/" ("/taskrouter/workspaces/search/?page=0").
        return path.rstrip("/") or "/"

    def match(self, http_method: str, raw_path: str) -> tuple[Route, dict[tuple[str, ...], str]]:
        path = self.normalize(raw_path)
        allowed: set[str] = set()
        by_method = self._literal.get(path)
        if by_method is not None:
            route = by_method.get(http_method)
            if route is not None:
                return route, {}
            # A literal path is never read as a template: PUT /taskrouter/tasks/search is not a
            # task whose SID is "search", it is a method the list route does not allow.
            allowed.update(by_method)
        else:
            for regex, by_method in self._templated:
                m = regex.match(path)
                if m is None:
                    continue
                route = by_method.get(http_method)
                if route is not None:
                    return route, route.path_params(m)
                allowed.update(by_method)
        if allowed:
            allow = ", ".join(sorted(allowed))
            raise GatewayError(
                405,
                f"Method {http_method} is not allowed on {path}; use {allow}",
                path,
                headers=[("allow", allow)],
            )
        raise GatewayError(404, f"No route for {http_method} {path}", path)
