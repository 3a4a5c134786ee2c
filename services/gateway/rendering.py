"""Message → JSON as the seed shows it: lowerCamel names, every non-`optional` field printed,
64-bit integers as JSON numbers (json_format renders them as strings), and the success envelope.
"""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from taskrouter.server.gateway.descriptors import is_map, is_repeated

_INT64_TYPES = {
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED64,
}
_INT64_WRAPPERS = {"google.protobuf.Int64Value", "google.protobuf.UInt64Value"}

# A plan says where in a message's JSON the 64-bit integers are, as a list of entries
# (json_name, kind, repeated, nested plan): kind "int" is the value itself, "msg" a nested message,
# "map" a map whose values follow the nested plan (or are ints when nested is None). A recursive
# message's plan contains itself.
_Plan = list
_plans: dict[str, _Plan] = {}
_has_int64: dict[str, bool] = {}


def _value_types(desc: Descriptor):
    """(field, its int64-ness, nested message type) for every field, map values unwrapped."""
    for field in desc.fields:
        target = field.message_type.fields_by_name["value"] if is_map(field) else field
        mt = target.message_type
        direct = target.type in _INT64_TYPES or (mt is not None and mt.full_name in _INT64_WRAPPERS)
        # Other well-known types (Timestamp, Struct, ...) have their own JSON forms: leave them be.
        plain = mt is not None and not mt.full_name.startswith("google.protobuf.")
        yield field, direct, (mt if plain and not direct else None)


def contains_int64(desc: Descriptor) -> bool:
    """Whether any 64-bit integer is reachable from this message type."""
    if desc.full_name not in _has_int64:
        seen, stack, found = {desc.full_name}, [desc], False
        while stack and not found:
            for _, direct, nested in _value_types(stack.pop()):
                if direct:
                    found = True
                    break
                if nested is not None and nested.full_name not in seen:
                    seen.add(nested.full_name)
                    stack.append(nested)
        _has_int64[desc.full_name] = found
    return _has_int64[desc.full_name]


def int64_plan(desc: Descriptor) -> _Plan:
    """Where the 64-bit integers of a message's JSON are, computed once per message type."""
    plan = _plans.get(desc.full_name)
    if plan is not None:
        return plan
    plan = _plans[desc.full_name] = []
    for field, direct, nested in _value_types(desc):
        kind = "map" if is_map(field) else ("int" if direct else "msg")
        if direct:
            plan.append((field.json_name, kind, is_repeated(field) and kind != "map", None))
        elif nested is not None and contains_int64(nested):
            plan.append((field.json_name, kind, is_repeated(field) and kind != "map", int64_plan(nested)))
    return plan


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
        elif isinstance(value, dict):  # map
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
