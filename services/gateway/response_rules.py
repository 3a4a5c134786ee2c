"""The `taskrouter.v1.http_response` method option (protos/taskrouter/v1/http_options.proto): how
an RPC's HTTP success and error responses look when they are not the seed's envelope. Read once per
route at start-up, like `google.api.http`; nothing here is written per endpoint."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from google.protobuf.descriptor import MethodDescriptor

from taskrouter.v1 import http_options_pb2

STYLES = ("envelope", "raw")
ERROR_STYLES = ("seed", "aws", "plain", "egain")
_TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")
_XML_NAME = re.compile(r"[A-Za-z_][\w.-]*")


@dataclasses.dataclass(frozen=True)
class UnknownQueryError:
    """How a route with a closed set of query parameters refuses another one."""

    status: int = 400
    type: str = ""
    message: str = "Unsupported query parameter(s): {names}"

    def text(self, names: list[str]) -> str:
        return self.message.replace("{names}", ", ".join(names))


@dataclasses.dataclass(frozen=True)
class ResponseRule:
    style: str = "envelope"
    success_status: int = 200
    error_style: str = "seed"
    headers: tuple[tuple[str, str], ...] = ()
    omit_fields: tuple[str, ...] = ()
    extra_body_fields: str = ""  # a google.protobuf.Struct field of the request, or ""
    xml_root: str = ""  # set: the route speaks XML too (success bodies' root element)
    xml_error_root: str = ""
    query_params: tuple[str, ...] = ()  # set: the only query parameters taken (JSON names)
    query_fields: tuple[str, ...] = ()  # their proto names
    unknown_query: UnknownQueryError = UnknownQueryError()
    request_headers: tuple[tuple[str, str], ...] = ()  # (header, request field's proto name)
    error_statuses: tuple[int, ...] = ()

    @property
    def speaks_xml(self) -> bool:
        return bool(self.xml_root)

    def fixed_fields(self) -> frozenset[str]:
        """Proto names of the request fields that only the query or a header may set."""
        return frozenset(self.query_fields) | frozenset(field for _, field in self.request_headers)

    def error_status(self, status: int) -> int:
        """The status an error is answered with: one the API documents, when it lists them."""
        if not self.error_statuses or status in self.error_statuses:
            return status
        return 500 if status >= 500 else 400

    def render_headers(self, data: dict[str, Any], base_url: str) -> list[tuple[str, str]]:
        def value(m: re.Match[str]) -> str:
            name = m.group(1)
            return base_url if name == "base_url" else str(data.get(name, ""))

        return [(name, _TEMPLATE_FIELD.sub(value, template)) for name, template in self.headers]

    def body(self, data: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k not in self.omit_fields} if self.omit_fields else data


DEFAULT = ResponseRule()


def response_rule(method: MethodDescriptor, where: str) -> ResponseRule:
    options = method.GetOptions()
    if not options.HasExtension(http_options_pb2.http_response):
        return DEFAULT
    opt = options.Extensions[http_options_pb2.http_response]
    by_json = {f.json_name: f for f in method.input_type.fields}
    for name in opt.query_params:
        field = by_json.get(name)
        if field is None or field.message_type is not None:
            raise ValueError(f"{where}: query_params names {name!r}, "
                             f"not a scalar field of {method.input_type.full_name}")
    rule = ResponseRule(
        style=opt.style or "envelope",
        success_status=opt.success_status or 200,
        error_style=opt.error_style or "seed",
        headers=tuple((h.name, h.value) for h in opt.headers),
        omit_fields=tuple(opt.omit_fields),
        extra_body_fields=opt.extra_body_fields,
        xml_root=opt.xml.root,
        xml_error_root=opt.xml.error_root or ("error" if opt.xml.root else ""),
        query_params=tuple(opt.query_params),
        query_fields=tuple(by_json[name].name for name in opt.query_params),
        unknown_query=UnknownQueryError(opt.unknown_query_error.status or 400, opt.unknown_query_error.type,
                                        opt.unknown_query_error.message or UnknownQueryError.message),
        request_headers=tuple((h.name, h.field) for h in opt.request_headers),
        error_statuses=tuple(opt.error_statuses),
    )
    if rule.style not in STYLES:
        raise ValueError(f"{where}: http_response.style must be one of {STYLES}, not {rule.style!r}")
    if rule.error_style not in ERROR_STYLES:
        raise ValueError(f"{where}: http_response.error_style must be one of {ERROR_STYLES}")
    if not 200 <= rule.success_status <= 299:
        raise ValueError(f"{where}: http_response.success_status must be a 2xx status")
    out_names = {f.json_name for f in method.output_type.fields}
    for name in rule.omit_fields:
        if name not in out_names:
            raise ValueError(f"{where}: omit_fields names {name!r}, not a field of {method.output_type.full_name}")
    for _, template in rule.headers:
        for name in _TEMPLATE_FIELD.findall(template):
            if name != "base_url" and name not in out_names:
                raise ValueError(f"{where}: header template names {name!r}, not a response field")
    if rule.extra_body_fields:
        field = method.input_type.fields_by_name.get(rule.extra_body_fields)
        if field is None or field.message_type is None or field.message_type.full_name != "google.protobuf.Struct":
            raise ValueError(f"{where}: extra_body_fields must name a google.protobuf.Struct request field")
    for name in (rule.xml_root, rule.xml_error_root):
        if name and not _XML_NAME.fullmatch(name):
            raise ValueError(f"{where}: xml roots must be XML element names, not {name!r}")
    if not 400 <= rule.unknown_query.status <= 499:
        raise ValueError(f"{where}: unknown_query_error.status must be a 4xx status")
    for header, name in rule.request_headers:
        field = method.input_type.fields_by_name.get(name)
        if not header or field is None or field.message_type is not None:
            raise ValueError(f"{where}: request_headers field {name!r} is not a scalar field of "
                             f"{method.input_type.full_name}")
    for status in rule.error_statuses:
        if not 400 <= status <= 599:
            raise ValueError(f"{where}: error_statuses must be 4xx or 5xx statuses")
    return rule
