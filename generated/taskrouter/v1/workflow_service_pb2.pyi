from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from taskrouter.v1 import field_rules_pb2 as _field_rules_pb2
from taskrouter.v1 import resources_pb2 as _resources_pb2
from taskrouter.v1 import statistics_pb2 as _statistics_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateWorkflowRequest(_message.Message):
    __slots__ = ("workspace_sid", "name", "configuration", "assignment_callback_url", "fallback_assignment_callback_url", "task_reservation_timeout", "task_reservationn_timeout", "enterprise_sid")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    TASK_RESERVATION_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TASK_RESERVATIONN_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    name: str
    configuration: str
    assignment_callback_url: str
    fallback_assignment_callback_url: str
    task_reservation_timeout: int
    task_reservationn_timeout: int
    enterprise_sid: str
    def __init__(self, workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., configuration: _Optional[str] = ..., assignment_callback_url: _Optional[str] = ..., fallback_assignment_callback_url: _Optional[str] = ..., task_reservation_timeout: _Optional[int] = ..., task_reservationn_timeout: _Optional[int] = ..., enterprise_sid: _Optional[str] = ...) -> None: ...

class GetWorkflowRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteWorkflowRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListWorkflowsRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    workspace_sid: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ...) -> None: ...

class ListWorkflowsResponse(_message.Message):
    __slots__ = ("result", "page_size", "total", "page", "num_pages", "start", "end", "first_page_uri", "next_page_uri", "uri")
    RESULT_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    NUM_PAGES_FIELD_NUMBER: _ClassVar[int]
    START_FIELD_NUMBER: _ClassVar[int]
    END_FIELD_NUMBER: _ClassVar[int]
    FIRST_PAGE_URI_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_URI_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Workflow]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Workflow, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateWorkflowRequest(_message.Message):
    __slots__ = ("sid", "name", "configuration", "assignment_callback_url", "fallback_assignment_callback_url", "task_reservation_timeout", "task_reservationn_timeout", "re_evaluate_tasks")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    TASK_RESERVATION_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TASK_RESERVATIONN_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    RE_EVALUATE_TASKS_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    configuration: str
    assignment_callback_url: str
    fallback_assignment_callback_url: str
    task_reservation_timeout: int
    task_reservationn_timeout: int
    re_evaluate_tasks: bool
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., configuration: _Optional[str] = ..., assignment_callback_url: _Optional[str] = ..., fallback_assignment_callback_url: _Optional[str] = ..., task_reservation_timeout: _Optional[int] = ..., task_reservationn_timeout: _Optional[int] = ..., re_evaluate_tasks: _Optional[bool] = ...) -> None: ...
