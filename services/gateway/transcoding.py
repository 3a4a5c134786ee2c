"""HTTP request → request message: path variables, query parameters, JSON or form bodies.

Names match a field's json_name, its proto name, or either case-insensitively; unknown names are
ignored (the seed's examples send fields the requests do not have). Precedence, lowest first:
query parameters, body, path variables, then the `Last-Event-ID` header. A route's
`taskrouter.v1.http_response` may close its query (`query_params`: other names are refused) and
fill fields from request headers (`request_headers`); such fields come from there only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from taskrouter.server.gateway.descriptors import is_repeated
from taskrouter.server.gateway.error_mapping import GatewayError
from taskrouter.server.gateway.routes import Route

_INT_TYPES = {
    FieldDescriptor.TYPE_INT32,
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT32,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT32,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED32,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED32,
    FieldDescriptor.TYPE_SFIXED64,
}
_FLOAT_TYPES = {FieldDescriptor.TYPE_FLOAT, FieldDescriptor.TYPE_DOUBLE}
_BOOLS = {"true": True, "1": True, "false": False, "0": False}

_field_indexes: dict[str, dict[str, FieldDescriptor]] = {}


def field_index(desc: Descriptor) -> dict[str, FieldDescriptor]:
    """Every accepted spelling of every field: exact json_name, exact proto name, then lower case."""
    index = _field_indexes.get(desc.full_name)
    if index is None:
        index = {}
        for field in desc.fields:
            index.setdefault(field.json_name, field)
        for field in desc.fields:
            index.setdefault(field.name, field)
        for field in desc.fields:
            index.setdefault(field.json_name.lower(), field)
            index.setdefault(field.name.lower(), field)
        _field_indexes[desc.full_name] = index
    return index


def lookup_field(desc: Descriptor, name: str) -> FieldDescriptor | None:
    index = field_index(desc)
    return index.get(name) or index.get(name.lower())


def _enum_value(field: FieldDescriptor, value: str | int, where: str) -> str | int:
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)
    known = field.enum_type.values_by_number if isinstance(value, int) else field.enum_type.values_by_name
    if value not in known:
        names = ", ".join(field.enum_type.values_by_name)
        raise GatewayError(400, f"Invalid value for field '{where}': expected one of {names}, got {value!r}", where)
    return value


def convert_text(field: FieldDescriptor, text: str, where: str) -> Any:
    """A query, form or path value as the JSON value json_format expects for this field."""
    kind = field.type
    try:
        if kind in _INT_TYPES:
            return int(text.strip())
        if kind in _FLOAT_TYPES:
            return float(text.strip())
    except ValueError:
        expected = "an integer" if kind in _INT_TYPES else "a number"
        raise GatewayError(400, f"Invalid value for field '{where}': expected {expected}, got {text!r}",
                           where) from None
    if kind == FieldDescriptor.TYPE_BOOL:
        value = _BOOLS.get(text.strip().lower())
        if value is None:
            raise GatewayError(
                400, f"Invalid value for field '{where}': expected true or false, got {text!r}", where
            )
        return value
    if kind == FieldDescriptor.TYPE_ENUM:
        return _enum_value(field, text.strip(), where)
    if kind == FieldDescriptor.TYPE_MESSAGE:
        raise GatewayError(400, f"Field '{where}' cannot be set from a query or form parameter", where)
    return text  # string, bytes (base64)


def _assign_params(
    values: dict[str, Any], desc: Descriptor, params: Iterable[tuple[str, str]], prefix: str = ""
) -> None:
    """Query or form parameters into `values`, a dict in json_format's shape."""
    for name, text in params:
        target, target_desc, field, where = values, desc, None, prefix
        parts = name.split(".")
        for i, part in enumerate(parts):
            field = lookup_field(target_desc, part)
            if field is None:
                break
            where = f"{where}{field.json_name}"
            if i < len(parts) - 1:
                if field.message_type is None or is_repeated(field):
                    field = None
                    break
                nested = target.get(field.json_name)
                if not isinstance(nested, dict):
                    nested = target[field.json_name] = {}
                target, target_desc, where = nested, field.message_type, where + "."
        if field is None:
            continue  # unknown parameters are ignored, like unknown body fields
        if text == "" and field.type != FieldDescriptor.TYPE_STRING:
            continue  # an empty form/query value for a non-string field means "not given"
        value = convert_text(field, text, where)
        if is_repeated(field):
            existing = target.get(field.json_name)
            if not isinstance(existing, list):
                existing = target[field.json_name] = []
            existing.append(value)
        else:
            target[field.json_name] = value


def _merge_object(values: dict[str, Any], desc: Descriptor, body: dict[str, Any]) -> None:
    """A JSON object's top-level keys onto canonical json names; unknown keys are dropped."""
    for key, value in body.items():
        field = lookup_field(desc, key)
        if field is None:
            continue
        if field.type == FieldDescriptor.TYPE_BOOL and not is_repeated(field) and isinstance(value, str):
            # The seed's own examples show "multiTaskEnabled": "false".
            value = _BOOLS.get(value.strip().lower(), value)
        elif (field.type == FieldDescriptor.TYPE_ENUM and not is_repeated(field) and isinstance(value, (str, int))
              and not isinstance(value, bool)):
            # json_format silently drops unknown enum names when ignoring unknown fields.
            value = _enum_value(field, value, field.json_name)
        values[field.json_name] = value


def _set_path(values: dict[str, Any], desc: Descriptor, field_path: tuple[str, ...], text: str) -> None:
    target = values
    where = ""
    for name in field_path[:-1]:
        field = desc.fields_by_name[name]
        nested = target.get(field.json_name)
        if not isinstance(nested, dict):
            nested = target[field.json_name] = {}
        target, desc, where = nested, field.message_type, f"{where}{field.json_name}."
    field = desc.fields_by_name[field_path[-1]]
    target[field.json_name] = convert_text(field, text, where + field.json_name)


_FAILED_FIELD = re.compile(r"Failed to parse (\S+) field: ")
_AT_PATH = re.compile(r" at [\w.]+?\.(\w+)\.?$")


def _parse_error(err: json_format.ParseError) -> GatewayError:
    text = str(err)
    fields = _FAILED_FIELD.findall(text)
    detail = _FAILED_FIELD.sub("", text).rstrip(".")
    if not fields:
        m = _AT_PATH.search(text)
        if m:
            fields = [m.group(1)]
            detail = text[: m.start()]
    detail = re.sub(r" at [\w.]+$", "", detail)
    detail = re.sub(r"invalid literal for int\(\) with base 10: (.*)", r"expected an integer, got \1", detail)
    if fields:
        where = ".".join(fields)
        return GatewayError(400, f"Invalid value for field '{where}': {detail}", where)
    return GatewayError(400, f"Invalid request: {detail}")


_JSON_TYPE_NAMES = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def require_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        got = "null" if body is None else _JSON_TYPE_NAMES.get(type(body), type(body).__name__)
        raise GatewayError(400, f"Request body must be a JSON object, got {got}")
    return body


def _refuse_unknown_query(route: Route, query: list[tuple[str, str]]) -> None:
    rule = route.response
    unknown = list(dict.fromkeys(name for name, _ in query if name not in rule.query_params))
    if unknown:
        refusal = rule.unknown_query
        raise GatewayError(refusal.status, refusal.text(unknown), ", ".join(unknown), type=refusal.type)


def _fill_fixed_fields(values: dict[str, Any], route: Route, query: list[tuple[str, str]],
                       headers: dict[str, str]) -> None:
    """The fields only the query or a header may set: whatever the body said is replaced."""
    desc = route.method.input_type
    rule = route.response
    for name in rule.fixed_fields():
        values.pop(desc.fields_by_name[name].json_name, None)
    _assign_params(values, desc, [(n, t) for n, t in query if n in rule.query_params])
    for header, name in rule.request_headers:
        if header.lower() in headers:
            field = desc.fields_by_name[name]
            values[field.json_name] = convert_text(field, headers[header.lower()], header)


def build_request(
    route: Route,
    path_params: dict[tuple[str, ...], str],
    query: list[tuple[str, str]],
    body: Any = None,
    form: list[tuple[str, str]] | None = None,
    last_event_id: str | None = None,
    headers: dict[str, str] | None = None,
) -> Message:
    """The request message for one HTTP request (headers: lower-case names); GatewayError(400)
    names any bad field."""
    desc = route.method.input_type
    values: dict[str, Any] = {}
    if route.response.query_params:
        _refuse_unknown_query(route, query)
    _assign_params(values, desc, query)
    if route.body == "*":
        if body is not None:
            _merge_object(values, desc, require_object(body))
            extra_field = route.response.extra_body_fields
            if extra_field:  # keys matching no field go into that Struct field (Genesys extensions)
                extras = {k: v for k, v in body.items() if lookup_field(desc, k) is None}
                values[desc.fields_by_name[extra_field].json_name] = extras
        if form is not None:
            _assign_params(values, desc, form)
    elif route.body:
        field = desc.fields_by_name[route.body]
        if body is not None:
            if field.message_type is not None and not is_repeated(field):
                nested: dict[str, Any] = {}
                _merge_object(nested, field.message_type, require_object(body))
                values[field.json_name] = nested
            else:
                values[field.json_name] = body
        if form is not None and field.message_type is not None:
            nested = {}
            _assign_params(nested, field.message_type, form, prefix=field.json_name + ".")
            values[field.json_name] = nested
    if route.response.fixed_fields():
        _fill_fixed_fields(values, route, query, headers or {})
    for field_path, text in path_params.items():
        _set_path(values, desc, field_path, text)
    if last_event_id is not None and route.resume_field is not None:
        field = route.resume_field
        values[field.json_name] = convert_text(field, last_event_id, "Last-Event-ID")
    message = route.request_class()
    try:
        json_format.ParseDict(values, message, ignore_unknown_fields=True)
    except json_format.ParseError as err:
        raise _parse_error(err) from None
    except (RecursionError, TypeError, ValueError, AttributeError) as err:
        raise GatewayError(400, f"Invalid request body: {err}") from None
    return message
