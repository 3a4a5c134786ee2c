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


@dataclasses.dataclass(frozen=True)
class ResponseRule:
    style: str = "envelope"
    success_status: int = 200
    error_style: str = "seed"
    headers: tuple[tuple[str, str], ...] = ()
    omit_fields: tuple[str, ...] = ()
    extra_body_fields: str = ""  # a google.protobuf.Struct field of the request, or ""

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
    rule = ResponseRule(
        style=opt.style or "envelope",
        success_status=opt.success_status or 200,
        error_style=opt.error_style or "seed",
        headers=tuple((h.name, h.value) for h in opt.headers),
        omit_fields=tuple(opt.omit_fields),
        extra_body_fields=opt.extra_body_fields,
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
    return rule
