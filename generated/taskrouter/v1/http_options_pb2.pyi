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
    __slots__ = ("style", "success_status", "error_style", "headers", "omit_fields", "extra_body_fields", "xml", "query_params", "unknown_query_error", "request_headers", "error_statuses")
    STYLE_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_STATUS_FIELD_NUMBER: _ClassVar[int]
    ERROR_STYLE_FIELD_NUMBER: _ClassVar[int]
    HEADERS_FIELD_NUMBER: _ClassVar[int]
    OMIT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EXTRA_BODY_FIELDS_FIELD_NUMBER: _ClassVar[int]
    XML_FIELD_NUMBER: _ClassVar[int]
    QUERY_PARAMS_FIELD_NUMBER: _ClassVar[int]
    UNKNOWN_QUERY_ERROR_FIELD_NUMBER: _ClassVar[int]
    REQUEST_HEADERS_FIELD_NUMBER: _ClassVar[int]
    ERROR_STATUSES_FIELD_NUMBER: _ClassVar[int]
    style: str
    success_status: int
    error_style: str
    headers: _containers.RepeatedCompositeFieldContainer[HttpHeaderTemplate]
    omit_fields: _containers.RepeatedScalarFieldContainer[str]
    extra_body_fields: str
    xml: HttpXml
    query_params: _containers.RepeatedScalarFieldContainer[str]
    unknown_query_error: HttpErrorTemplate
    request_headers: _containers.RepeatedCompositeFieldContainer[HttpHeaderField]
    error_statuses: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, style: _Optional[str] = ..., success_status: _Optional[int] = ..., error_style: _Optional[str] = ..., headers: _Optional[_Iterable[_Union[HttpHeaderTemplate, _Mapping]]] = ..., omit_fields: _Optional[_Iterable[str]] = ..., extra_body_fields: _Optional[str] = ..., xml: _Optional[_Union[HttpXml, _Mapping]] = ..., query_params: _Optional[_Iterable[str]] = ..., unknown_query_error: _Optional[_Union[HttpErrorTemplate, _Mapping]] = ..., request_headers: _Optional[_Iterable[_Union[HttpHeaderField, _Mapping]]] = ..., error_statuses: _Optional[_Iterable[int]] = ...) -> None: ...

class HttpXml(_message.Message):
    __slots__ = ("root", "error_root")
    ROOT_FIELD_NUMBER: _ClassVar[int]
    ERROR_ROOT_FIELD_NUMBER: _ClassVar[int]
    root: str
    error_root: str
    def __init__(self, root: _Optional[str] = ..., error_root: _Optional[str] = ...) -> None: ...

class HttpHeaderField(_message.Message):
    __slots__ = ("name", "field")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    name: str
    field: str
    def __init__(self, name: _Optional[str] = ..., field: _Optional[str] = ...) -> None: ...

class HttpErrorTemplate(_message.Message):
    __slots__ = ("status", "type", "message")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    status: int
    type: str
    message: str
    def __init__(self, status: _Optional[int] = ..., type: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class HttpHeaderTemplate(_message.Message):
    __slots__ = ("name", "value")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    name: str
    value: str
    def __init__(self, name: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
