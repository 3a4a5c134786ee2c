"""Small questions about protobuf field descriptors, answered the same way across protobuf versions."""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor


def is_repeated(field: FieldDescriptor) -> bool:
    # protobuf 7 dropped `label`; `is_repeated` arrived in 5.x.
    flag = getattr(field, "is_repeated", None)
    if flag is not None:
        return bool(flag)
    return field.label == FieldDescriptor.LABEL_REPEATED


def is_map(field: FieldDescriptor) -> bool:
    mt = field.message_type
    return mt is not None and mt.GetOptions().map_entry
