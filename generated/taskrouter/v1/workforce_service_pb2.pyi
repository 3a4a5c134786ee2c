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

class CreateWorkerTokenRequest(_message.Message):
    __slots__ = ("sid", "ttl")
    SID_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    sid: str
    ttl: int
    def __init__(self, sid: _Optional[str] = ..., ttl: _Optional[int] = ...) -> None: ...

class WorkerToken(_message.Message):
    __slots__ = ("token", "worker_sid", "expires_at")
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    token: str
    worker_sid: str
    expires_at: str
    def __init__(self, token: _Optional[str] = ..., worker_sid: _Optional[str] = ..., expires_at: _Optional[str] = ...) -> None: ...

class RevokeWorkerTokensRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class RevokeWorkerTokensResponse(_message.Message):
    __slots__ = ("worker_sid", "revoked")
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    REVOKED_FIELD_NUMBER: _ClassVar[int]
    worker_sid: str
    revoked: int
    def __init__(self, worker_sid: _Optional[str] = ..., revoked: _Optional[int] = ...) -> None: ...

class CreateWorkerRequest(_message.Message):
    __slots__ = ("workspace_sid", "name", "activity_sid", "attributes", "capacity")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    name: str
    activity_sid: str
    attributes: str
    capacity: int
    def __init__(self, workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., activity_sid: _Optional[str] = ..., attributes: _Optional[str] = ..., capacity: _Optional[int] = ...) -> None: ...

class GetWorkerRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class DeleteWorkerRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListWorkersRequest(_message.Message):
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid", "activity_name", "activity_sid", "available", "target_worker_expression", "task_queue_sid", "task_queue_name")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    TARGET_WORKER_EXPRESSION_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_NAME_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    name: str
    start_time: str
    end_time: str
    sort_by: str
    workspace_sid: str
    activity_name: str
    activity_sid: str
    available: bool
    target_worker_expression: str
    task_queue_sid: str
    task_queue_name: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., activity_name: _Optional[str] = ..., activity_sid: _Optional[str] = ..., available: _Optional[bool] = ..., target_worker_expression: _Optional[str] = ..., task_queue_sid: _Optional[str] = ..., task_queue_name: _Optional[str] = ...) -> None: ...

class ListWorkersResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateWorkerRequest(_message.Message):
    __slots__ = ("sid", "name", "activity_sid", "attributes", "capacity")
    SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    sid: str
    name: str
    activity_sid: str
    attributes: str
    capacity: int
    def __init__(self, sid: _Optional[str] = ..., name: _Optional[str] = ..., activity_sid: _Optional[str] = ..., attributes: _Optional[str] = ..., capacity: _Optional[int] = ...) -> None: ...

class GetWorkerChannelRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListWorkerChannelsRequest(_message.Message):
    __slots__ = ("page", "page_size", "sort_by", "workspace_sid", "worker_sid", "task_channel", "available")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    sort_by: str
    workspace_sid: str
    worker_sid: str
    task_channel: str
    available: bool
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., worker_sid: _Optional[str] = ..., task_channel: _Optional[str] = ..., available: _Optional[bool] = ...) -> None: ...

class ListWorkerChannelsResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkerChannel]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.WorkerChannel, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateWorkerChannelRequest(_message.Message):
    __slots__ = ("sid", "capacity", "available")
    SID_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    sid: str
    capacity: int
    available: bool
    def __init__(self, sid: _Optional[str] = ..., capacity: _Optional[int] = ..., available: _Optional[bool] = ...) -> None: ...
