from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
HTTP_RESPONSE_FIELD_NUMBER: _ClassVar[int]
http_response: _descriptor.FieldDescriptor

class HttpResponseRule(_message.Message):
    __slots__ = ("style", "success_status", "error_style", "headers", "omit_fields", "extra_body_fields")
    STYLE_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    ERROR_STYLE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    OMIT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_BODY_FIELDS_FIELD_NUMBER: _ClassVar[int]
    style: str
    success_status: int
    error_style: str
    headers: _containers.RepeatedCompositeFieldContainer[HttpHeaderTemplate]
    omit_fields: _containers.RepeatedScalarFieldContainer[str]
    extra_body_fields: str
    def __init__(self, style: _Optional[str] = ..., success_status: _Optional[int] = ..., error_style: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[HttpHeaderTemplate, _Mapping]]] = ..., omit_fields: _Optional[_Iterable[str]] = ..., extra_body_fields: _Optional[str] = ...) -> None: ...

class HttpHeaderTemplate(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
