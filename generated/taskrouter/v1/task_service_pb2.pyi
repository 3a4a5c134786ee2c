from google.api import annotations_pb2 as _annotations_pb2
from taskrouter.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateTaskRequest(_message.Message):
    __slots__ = ("workflow_sid", "workspace_sid", "timeout", "priority", "bypass_reserved_state", "attributes", "task_channel")
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    BYPASS_RESERVED_STATE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    workflow_sid: str
    workspace_sid: str
    timeout: int
    priority: int
    bypass_reserved_state: bool
    attributes: str
    task_channel: str
    def __init__(self, workflow_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., timeout: _Optional[int] = ..., priority: _Optional[int] = ..., bypass_reserved_state: _Optional[bool] = ..., attributes: _Optional[str] = ..., task_channel: _Optional[str] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteTaskRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid", "is_live_session", "assignment_status", "workflow_sid", "task_queue_sid")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    IS_LIVE_SESSION_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    workspace_sid: str
    is_live_session: bool
    assignment_status: str
    workflow_sid: str
    task_queue_sid: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., is_live_session: _Optional[bool] = ..., assignment_status: _Optional[str] = ..., workflow_sid: _Optional[str] = ..., task_queue_sid: _Optional[str] = ...) -> None: ...

class ListTasksResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Task]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Task, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateTaskRequest(_message.Message):
    __slots__ = ("sid", "attributes", "assignment_status", "reason", "priority")
    SID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    sid: str
    attributes: str
    assignment_status: str
    reason: str
    priority: int
    def __init__(self, sid: _Optional[str] = ..., attributes: _Optional[str] = ..., assignment_status: _Optional[str] = ..., reason: _Optional[str] = ..., priority: _Optional[int] = ...) -> None: ...

class GetReservationRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListReservationsRequest(_message.Message):
    __slots__ = ("page", "page_size", "sort_by", "workspace_sid", "task_sid", "worker_sid", "reservation_status")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_STATUS_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    sort_by: str
    workspace_sid: str
    task_sid: str
    worker_sid: str
    reservation_status: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., task_sid: _Optional[str] = ..., worker_sid: _Optional[str] = ..., reservation_status: _Optional[str] = ...) -> None: ...

class ListReservationsResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Reservation]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Reservation, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateReservationRequest(_message.Message):
    __slots__ = ("sid", "reservation_status", "worker_activity_sid")
    SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKER_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    reservation_status: str
    worker_activity_sid: str
    def __init__(self, sid: _Optional[str] = ..., reservation_status: _Optional[str] = ..., worker_activity_sid: _Optional[str] = ...) -> None: ...

class ListEventsRequest(_message.Message):
    __slots__ = ("page", "page_size", "start_time", "end_time", "workspace_sid", "event_type", "resource_sid")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_SID_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    start_time: str
    end_time: str
    workspace_sid: str
    event_type: str
    resource_sid: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., event_type: _Optional[str] = ..., resource_sid: _Optional[str] = ...) -> None: ...

class ListEventsResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Event]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Event, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ("workspace_sid", "after_id", "event_type")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    AFTER_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    after_id: int
    event_type: str
    def __init__(self, workspace_sid: _Optional[str] = ..., after_id: _Optional[int] = ..., event_type: _Optional[str] = ...) -> None: ...
