"""Request messages from keyword arguments: the request's fields by their proto names. Plain
Python values are taken where a field wants a message (a dict for a message, Struct or Value) or
JSON text (a dict or list for a string field such as `attributes` is sent as its JSON)."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message


def build(request_class: type[Message], method_name: str, fields: dict[str, Any]) -> Message:
    request = request_class()
    by_name = request.DESCRIPTOR.fields_by_name
    for name, value in fields.items():
        field = by_name.get(name)
        if field is None:
            known = ", ".join(sorted(by_name))
            raise TypeError(f"{method_name}() got an unexpected keyword argument {name!r} (fields: {known})")
        if value is not None:
            _set(request, field, value)
    return request


def _set(message: Message, field: FieldDescriptor, value: Any) -> None:
    name = field.name
    if field.message_type is not None and field.message_type.GetOptions().map_entry:
        target = getattr(message, name)
        value_field = field.message_type.fields_by_name["value"]
        for key, item in dict(value).items():
            if value_field.message_type is not None:
                _merge(target[key], item)
            else:
                target[key] = item
    elif is_repeated(field):
        target = getattr(message, name)
        for item in value:
            if field.message_type is not None:
                _merge(target.add(), item)
            else:
                target.append(item)
    elif field.message_type is not None:
        _merge(getattr(message, name), value)
    elif field.type == FieldDescriptor.TYPE_STRING and isinstance(value, (dict, list)):
        setattr(message, name, json.dumps(value))
    else:
        setattr(message, name, value)


def is_repeated(field: FieldDescriptor) -> bool:
    """protobuf 7 dropped `label` for `is_repeated`, which older 5.x releases lack."""
    flag = getattr(field, "is_repeated", None)
    return bool(flag) if flag is not None else field.label == FieldDescriptor.LABEL_REPEATED


def _merge(target: Message, value: Any) -> None:
    if isinstance(value, Message):
        target.CopyFrom(value)
    else:  # a dict (or any JSON value for google.protobuf.Value), by proto or JSON names
        json_format.ParseDict(value, target)
