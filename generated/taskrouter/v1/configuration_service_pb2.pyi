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

class CreateWorkspaceRequest(_message.Message):
    __slots__ = ("enterprise_sid", "name", "prioritize_queue_order", "priortize_queue_order", "multi_task_enabled", "event_callback_url", "disconnect_activity_sid", "disconnect_grace_seconds", "disconnect_activity_name")
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRIORITIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    PRIORTIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    MULTI_TASK_ENABLED_FIELD_NUMBER: _ClassVar[int]
    EVENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_GRACE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    enterprise_sid: str
    name: str
    prioritize_queue_order: str
    priortize_queue_order: str
    multi_task_enabled: bool
    event_callback_url: str
    disconnect_activity_sid: str
    disconnect_grace_seconds: int
    disconnect_activity_name: str
    def __init__(self, enterprise_sid: _Optional[str] = ..., name: _Optional[str] = ..., prioritize_queue_order: _Optional[str] = ..., priortize_queue_order: _Optional[str] = ..., multi_task_enabled: _Optional[bool] = ..., event_callback_url: _Optional[str] = ..., disconnect_activity_sid: _Optional[str] = ..., disconnect_grace_seconds: _Optional[int] = ..., disconnect_activity_name: _Optional[str] = ...) -> None: ...

class GetWorkspaceRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteWorkspaceRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListWorkspacesRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ...) -> None: ...

class ListWorkspacesResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Workspace]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Workspace, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateWorkspaceRequest(_message.Message):
    __slots__ = ("sid", "name", "prioritize_queue_order", "priortize_queue_order", "timeout_activity_name", "timeout_activity_sid", "default_activity_name", "default_activity_sid", "multi_task_enabled", "event_callback_url", "disconnect_activity_sid", "disconnect_grace_seconds", "disconnect_activity_name")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRIORITIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    PRIORTIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    MULTI_TASK_ENABLED_FIELD_NUMBER: _ClassVar[int]
    EVENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_GRACE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    prioritize_queue_order: str
    priortize_queue_order: str
    timeout_activity_name: str
    timeout_activity_sid: str
    default_activity_name: str
    default_activity_sid: str
    multi_task_enabled: bool
    event_callback_url: str
    disconnect_activity_sid: str
    disconnect_grace_seconds: int
    disconnect_activity_name: str
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., prioritize_queue_order: _Optional[str] = ..., priortize_queue_order: _Optional[str] = ..., timeout_activity_name: _Optional[str] = ..., timeout_activity_sid: _Optional[str] = ..., default_activity_name: _Optional[str] = ..., default_activity_sid: _Optional[str] = ..., multi_task_enabled: _Optional[bool] = ..., event_callback_url: _Optional[str] = ..., disconnect_activity_sid: _Optional[str] = ..., disconnect_grace_seconds: _Optional[int] = ..., disconnect_activity_name: _Optional[str] = ...) -> None: ...

class CreateActivityRequest(_message.Message):
    __slots__ = ("workspace_sid", "name", "available")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    name: str
    available: bool
    def __init__(self, workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., available: _Optional[bool] = ...) -> None: ...

class GetActivityRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteActivityRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListActivitiesRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid", "available")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    workspace_sid: str
    available: bool
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., available: _Optional[bool] = ...) -> None: ...

class ListActivitiesResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Activity]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Activity, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateActivityRequest(_message.Message):
    __slots__ = ("sid", "name", "available")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    available: bool
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., available: _Optional[bool] = ...) -> None: ...

class CreateTaskQueueRequest(_message.Message):
    __slots__ = ("workspace_sid", "name", "assignment_activity_sid", "reservation_activity_sid", "target_workers", "task_order", "max_reserved_workers", "enterprise_sid", "wrap_up_timeout")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    TARGET_WORKERS_FIELD_NUMBER: _ClassVar[int]
    TASK_ORDER_FIELD_NUMBER: _ClassVar[int]
    MAX_RESERVED_WORKERS_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WRAP_UP_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    name: str
    assignment_activity_sid: str
    reservation_activity_sid: str
    target_workers: str
    task_order: str
    max_reserved_workers: int
    enterprise_sid: str
    wrap_up_timeout: int
    def __init__(self, workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., assignment_activity_sid: _Optional[str] = ..., reservation_activity_sid: _Optional[str] = ..., target_workers: _Optional[str] = ..., task_order: _Optional[str] = ..., max_reserved_workers: _Optional[int] = ..., enterprise_sid: _Optional[str] = ..., wrap_up_timeout: _Optional[int] = ...) -> None: ...

class GetTaskQueueRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteTaskQueueRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListTaskQueuesRequest(_message.Message):
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

class ListTaskQueuesResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskQueue]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.TaskQueue, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateTaskQueueRequest(_message.Message):
    __slots__ = ("sid", "name", "assignment_activity_sid", "reservation_activity_sid", "target_workers", "task_order", "max_reserved_workers", "wrap_up_timeout")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    TARGET_WORKERS_FIELD_NUMBER: _ClassVar[int]
    TASK_ORDER_FIELD_NUMBER: _ClassVar[int]
    MAX_RESERVED_WORKERS_FIELD_NUMBER: _ClassVar[int]
    WRAP_UP_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    assignment_activity_sid: str
    reservation_activity_sid: str
    target_workers: str
    task_order: str
    max_reserved_workers: int
    wrap_up_timeout: int
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., assignment_activity_sid: _Optional[str] = ..., reservation_activity_sid: _Optional[str] = ..., target_workers: _Optional[str] = ..., task_order: _Optional[str] = ..., max_reserved_workers: _Optional[int] = ..., wrap_up_timeout: _Optional[int] = ...) -> None: ...

class CreateTaskChannelRequest(_message.Message):
    __slots__ = ("workspace_sid", "name", "unique_name")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    name: str
    unique_name: str
    def __init__(self, workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., unique_name: _Optional[str] = ...) -> None: ...

class GetTaskChannelRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteTaskChannelRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListTaskChannelsRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid", "unique_name")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    workspace_sid: str
    unique_name: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., unique_name: _Optional[str] = ...) -> None: ...

class ListTaskChannelsResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskChannel]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.TaskChannel, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateTaskChannelRequest(_message.Message):
    __slots__ = ("sid", "name", "unique_name")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    unique_name: str
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., unique_name: _Optional[str] = ...) -> None: ...
