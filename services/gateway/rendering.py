"""Message → JSON as the seed shows it: lowerCamel names, every non-`optional` field printed,
64-bit integers as JSON numbers (json_format renders them as strings), and the success envelope.
"""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from services.gateway.descriptors import is_map, is_repeated

_INT64_TYPES = {
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED64,
}
_INT64_WRAPPERS = {"google.protobuf.Int64Value", "google.protobuf.UInt64Value"}

# A plan says where in a message's JSON the 64-bit integers are, as entries
# (json_name, kind, repeated, nested plan): kind "int" is the value itself, "msg" a nested message,
# "map" a map whose values follow the nested plan (or are ints when nested is None).
_Plan = tuple[tuple[str, str, bool, Any], ...]
_plans: dict[str, _Plan] = {}
_EMPTY: _Plan = ()


def int64_plan(desc: Descriptor) -> _Plan:
    """Where the 64-bit integers of a message's JSON are, computed once per message type."""
    if desc.full_name in _plans:
        return _plans[desc.full_name]
    _plans[desc.full_name] = _EMPTY  # breaks recursion; recursive int64 fields are rare
    plan: list[tuple[str, str, bool, Any]] = []
    for field in desc.fields:
        repeated = is_repeated(field)
        if field.type in _INT64_TYPES:
            plan.append((field.json_name, "int", repeated, None))
        elif is_map(field):
            value_field = field.message_type.fields_by_name["value"]
            if value_field.type in _INT64_TYPES:
                plan.append((field.json_name, "map", False, None))
            elif value_field.message_type is not None:
                nested = int64_plan(value_field.message_type)
                if nested:
                    plan.append((field.json_name, "map", False, nested))
        elif field.message_type is not None:
            if field.message_type.full_name in _INT64_WRAPPERS:
                plan.append((field.json_name, "int", repeated, None))
            else:
                nested = int64_plan(field.message_type)
                if nested:
                    plan.append((field.json_name, "msg", repeated, nested))
    _plans[desc.full_name] = tuple(plan)
    return _plans[desc.full_name]


def _to_int(value: Any) -> Any:
    return int(value) if isinstance(value, str) else value


def _apply(obj: dict[str, Any], plan: _Plan) -> None:
    for name, kind, repeated, nested in plan:
        if name not in obj:
            continue
        value = obj[name]
        if kind == "int":
            obj[name] = [_to_int(v) for v in value] if repeated else _to_int(value)
        elif kind == "msg":
            for item in value if repeated else (value,):
                if isinstance(item, dict):
                    _apply(item, nested)
        else:  # map
            for key, item in value.items():
                if nested is None:
                    value[key] = _to_int(item)
                elif isinstance(item, dict):
                    _apply(item, nested)


def message_to_json(message: Message) -> dict[str, Any]:
    """The message as the seed's JSON object."""
    obj = json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    plan = int64_plan(message.DESCRIPTOR)
    if plan:
        _apply(obj, plan)
    return obj


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode()


def envelope(data: Any) -> bytes:
    """The seed's success body: {"data": ..., "code": 200, "message": "OK"}."""
    return dumps({"data": data, "code": 200, "message": "OK"})
