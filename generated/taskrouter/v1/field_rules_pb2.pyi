from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
FIELD_RULES_FIELD_NUMBER: _ClassVar[int]
field_rules: _descriptor.FieldDescriptor

class FieldRules(_message.Message):
    __slots__ = ("minimum", "maximum", "values", "max_length")
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    MAX_LENGTH_FIELD_NUMBER: _ClassVar[int]
    minimum: float
    maximum: float
    values: _containers.RepeatedScalarFieldContainer[str]
    max_length: int
    def __init__(self, minimum: _Optional[float] = ..., maximum: _Optional[float] = ..., values: _Optional[_Iterable[str]] = ..., max_length: _Optional[int] = ...) -> None: ...
