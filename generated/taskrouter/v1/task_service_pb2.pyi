from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from taskrouter.v1 import field_rules_pb2 as _field_rules_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from taskrouter.v1 import http_options_pb2 as _http_options_pb2
from taskrouter.v1 import resources_pb2 as _resources_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CreateTaskRequest(_message.Message):
    __slots__ = ("workflow_sid", "workspace_sid", "timeout", "priority", "bypass_reserved_state", "attributes", "task_channel", "scheduled_time")
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    BYPASS_RESERVED_STATE_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_TIME_FIELD_NUMBER: _ClassVar[int]
    workflow_sid: str
    workspace_sid: str
    timeout: int
    priority: int
    bypass_reserved_state: bool
    attributes: str
    task_channel: str
    scheduled_time: str
    def __init__(self, workflow_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., timeout: _Optional[int] = ..., priority: _Optional[int] = ..., bypass_reserved_state: _Optional[bool] = ..., attributes: _Optional[str] = ..., task_channel: _Optional[str] = ..., scheduled_time: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("page", "page_size", "name", "start_time", "end_time", "sort_by", "workspace_sid", "is_live_session", "assignment_status", "workflow_sid", "task_queue_sid", "task_channel", "worker_sid")
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
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
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
    task_channel: str
    worker_sid: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., name: _Optional[str] = ..., start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., is_live_session: _Optional[bool] = ..., assignment_status: _Optional[str] = ..., workflow_sid: _Optional[str] = ..., task_queue_sid: _Optional[str] = ..., task_channel: _Optional[str] = ..., worker_sid: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("sid", "attributes", "assignment_status", "reason", "priority", "task_queue_sid")
    SID_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    attributes: str
    assignment_status: str
    reason: str
    priority: int
    task_queue_sid: str
    def __init__(self, sid: _Optional[str] = ..., attributes: _Optional[str] = ..., assignment_status: _Optional[str] = ..., reason: _Optional[str] = ..., priority: _Optional[int] = ..., task_queue_sid: _Optional[str] = ...) -> None: ...

class GetReservationRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListReservationsRequest(_message.Message):
    __slots__ = ("page", "page_size", "sort_by", "workspace_sid", "task_sid", "worker_sid", "reservation_status", "task_channel")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_STATUS_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    sort_by: str
    workspace_sid: str
    task_sid: str
    worker_sid: str
    reservation_status: str
    task_channel: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., task_sid: _Optional[str] = ..., worker_sid: _Optional[str] = ..., reservation_status: _Optional[str] = ..., task_channel: _Optional[str] = ...) -> None: ...

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

class CreateTransferRequest(_message.Message):
    __slots__ = ("task_sid", "to", "mode")
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    task_sid: str
    to: str
    mode: str
    def __init__(self, task_sid: _Optional[str] = ..., to: _Optional[str] = ..., mode: _Optional[str] = ...) -> None: ...

class GetTransferRequest(_message.Message):
    __slots__ = ("sid",)
    SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    def __init__(self, sid: _Optional[str] = ...) -> None: ...

class ListTransfersRequest(_message.Message):
    __slots__ = ("page", "page_size", "sort_by", "workspace_sid", "task_sid", "transfer_status")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_STATUS_FIELD_NUMBER: _ClassVar[int]
    page: int
    page_size: int
    sort_by: str
    workspace_sid: str
    task_sid: str
    transfer_status: str
    def __init__(self, page: _Optional[int] = ..., page_size: _Optional[int] = ..., sort_by: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., task_sid: _Optional[str] = ..., transfer_status: _Optional[str] = ...) -> None: ...

class ListTransfersResponse(_message.Message):
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
    result: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Transfer]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str
    uri: str
    def __init__(self, result: _Optional[_Iterable[_Union[_resources_pb2.Transfer, _Mapping]]] = ..., page_size: _Optional[int] = ..., total: _Optional[int] = ..., page: _Optional[int] = ..., num_pages: _Optional[int] = ..., start: _Optional[int] = ..., end: _Optional[int] = ..., first_page_uri: _Optional[str] = ..., next_page_uri: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class UpdateTransferRequest(_message.Message):
    __slots__ = ("sid", "transfer_status")
    SID_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_STATUS_FIELD_NUMBER: _ClassVar[int]
    sid: str
    transfer_status: str
    def __init__(self, sid: _Optional[str] = ..., transfer_status: _Optional[str] = ...) -> None: ...

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

class WatchWorkerRequest(_message.Message):
    __slots__ = ("sid", "after_id")
    SID_FIELD_NUMBER: _ClassVar[int]
    AFTER_ID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    after_id: int
    def __init__(self, sid: _Optional[str] = ..., after_id: _Optional[int] = ...) -> None: ...

class StartGenesysServiceRequest(_message.Message):
    __slots__ = ("workflow_sid", "workspace_sid", "service_type", "customer_id")
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    workflow_sid: str
    workspace_sid: str
    service_type: _struct_pb2.Value
    customer_id: str
    def __init__(self, workflow_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., service_type: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., customer_id: _Optional[str] = ...) -> None: ...

class GenesysService(_message.Message):
    __slots__ = ("service_id", "workspace_sid", "workflow_sid")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    service_id: int
    workspace_sid: str
    workflow_sid: str
    def __init__(self, service_id: _Optional[int] = ..., workspace_sid: _Optional[str] = ..., workflow_sid: _Optional[str] = ...) -> None: ...

class StartGenesysTaskRequest(_message.Message):
    __slots__ = ("service_id", "task_type", "state_id", "session_id", "interaction_id", "application_type", "application_id", "resource_type", "resource_id", "media_type", "est_duration", "timestamp", "extensions")
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_FIELD_NUMBER: _ClassVar[int]
    STATE_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    INTERACTION_ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    EST_DURATION_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    service_id: int
    task_type: _struct_pb2.Value
    state_id: int
    session_id: str
    interaction_id: str
    application_type: _struct_pb2.Value
    application_id: int
    resource_type: _struct_pb2.Value
    resource_id: int
    media_type: _struct_pb2.Value
    est_duration: int
    timestamp: str
    extensions: _struct_pb2.Struct
    def __init__(self, service_id: _Optional[int] = ..., task_type: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., state_id: _Optional[int] = ..., session_id: _Optional[str] = ..., interaction_id: _Optional[str] = ..., application_type: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., application_id: _Optional[int] = ..., resource_type: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., resource_id: _Optional[int] = ..., media_type: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., est_duration: _Optional[int] = ..., timestamp: _Optional[str] = ..., extensions: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class GenesysTaskStarted(_message.Message):
    __slots__ = ("task_id", "service_id", "task_sid")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    task_id: int
    service_id: int
    task_sid: str
    def __init__(self, task_id: _Optional[int] = ..., service_id: _Optional[int] = ..., task_sid: _Optional[str] = ...) -> None: ...

class GenesysExtensionAttribute(_message.Message):
    __slots__ = ("name", "type", "mandatory")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    MANDATORY_FIELD_NUMBER: _ClassVar[int]
    name: str
    type: str
    mandatory: bool
    def __init__(self, name: _Optional[str] = ..., type: _Optional[str] = ..., mandatory: _Optional[bool] = ...) -> None: ...

class CreateGenesysTaskExtensionSchemaRequest(_message.Message):
    __slots__ = ("name", "attributes", "single_valued")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    SINGLE_VALUED_FIELD_NUMBER: _ClassVar[int]
    name: str
    attributes: _containers.RepeatedCompositeFieldContainer[GenesysExtensionAttribute]
    single_valued: bool
    def __init__(self, name: _Optional[str] = ..., attributes: _Optional[_Iterable[_Union[GenesysExtensionAttribute, _Mapping]]] = ..., single_valued: _Optional[bool] = ...) -> None: ...

class GenesysExtensionSchema(_message.Message):
    __slots__ = ("name", "attributes", "single_valued")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    SINGLE_VALUED_FIELD_NUMBER: _ClassVar[int]
    name: str
    attributes: _containers.RepeatedCompositeFieldContainer[GenesysExtensionAttribute]
    single_valued: bool
    def __init__(self, name: _Optional[str] = ..., attributes: _Optional[_Iterable[_Union[GenesysExtensionAttribute, _Mapping]]] = ..., single_valued: _Optional[bool] = ...) -> None: ...

class EnableSigV4Request(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SigV4Credentials(_message.Message):
    __slots__ = ("access_key_id",)
    ACCESS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    access_key_id: str
    def __init__(self, access_key_id: _Optional[str] = ...) -> None: ...

class ConnectReference(_message.Message):
    __slots__ = ("type", "value")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    type: str
    value: str
    def __init__(self, type: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...

class StartTaskContactRequest(_message.Message):
    __slots__ = ("instance_id", "contact_flow_id", "name", "description", "attributes", "references", "client_token", "previous_contact_id", "scheduled_time", "related_contact_id", "quick_connect_id", "task_template_id", "segment_attributes", "attachments")
    class AttributesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    class ReferencesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: ConnectReference
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[ConnectReference, _Mapping]] = ...) -> None: ...
    INSTANCE_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FLOW_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    REFERENCES_FIELD_NUMBER: _ClassVar[int]
    CLIENT_TOKEN_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_TIME_FIELD_NUMBER: _ClassVar[int]
    RELATED_CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    QUICK_CONNECT_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    instance_id: str
    contact_flow_id: str
    name: str
    description: str
    attributes: _containers.ScalarMap[str, str]
    references: _containers.MessageMap[str, ConnectReference]
    client_token: str
    previous_contact_id: str
    scheduled_time: float
    related_contact_id: str
    quick_connect_id: str
    task_template_id: str
    segment_attributes: _struct_pb2.Struct
    attachments: _struct_pb2.Value
    def __init__(self, instance_id: _Optional[str] = ..., contact_flow_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., attributes: _Optional[_Mapping[str, str]] = ..., references: _Optional[_Mapping[str, ConnectReference]] = ..., client_token: _Optional[str] = ..., previous_contact_id: _Optional[str] = ..., scheduled_time: _Optional[float] = ..., related_contact_id: _Optional[str] = ..., quick_connect_id: _Optional[str] = ..., task_template_id: _Optional[str] = ..., segment_attributes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., attachments: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...

class StartTaskContactResponse(_message.Message):
    __slots__ = ("contact_id",)
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    def __init__(self, contact_id: _Optional[str] = ...) -> None: ...

class EgainValue(_message.Message):
    __slots__ = ("value",)
    VALUE_FIELD_NUMBER: _ClassVar[int]
    value: str
    def __init__(self, value: _Optional[str] = ...) -> None: ...

class EgainName(_message.Message):
    __slots__ = ("name",)
    NAME_FIELD_NUMBER: _ClassVar[int]
    name: str
    def __init__(self, name: _Optional[str] = ...) -> None: ...

class EgainType(_message.Message):
    __slots__ = ("value", "subtype")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SUBTYPE_FIELD_NUMBER: _ClassVar[int]
    value: str
    subtype: EgainValue
    def __init__(self, value: _Optional[str] = ..., subtype: _Optional[_Union[EgainValue, _Mapping]] = ...) -> None: ...

class EgainCase(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class CreateEgainTaskActivityRequest(_message.Message):
    __slots__ = ("search_contact_on_attribute", "create_customer", "activity_contact", "workflow_sid", "department", "type", "subject", "customer", "priority", "due_date", "case_ref", "custom_attributes", "payload", "status", "attachments", "accept_language")
    SEARCH_CONTACT_ON_ATTRIBUTE_FIELD_NUMBER: _ClassVar[int]
    CREATE_CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_CONTACT_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    DEPARTMENT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    CASE_REF_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    ACCEPT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    search_contact_on_attribute: str
    create_customer: str
    activity_contact: str
    workflow_sid: str
    department: EgainName
    type: EgainType
    subject: str
    customer: _struct_pb2.Struct
    priority: _struct_pb2.Value
    due_date: str
    case_ref: EgainCase
    custom_attributes: _struct_pb2.Struct
    payload: _struct_pb2.Struct
    status: _struct_pb2.Struct
    attachments: _struct_pb2.Value
    accept_language: str
    def __init__(self, search_contact_on_attribute: _Optional[str] = ..., create_customer: _Optional[str] = ..., activity_contact: _Optional[str] = ..., workflow_sid: _Optional[str] = ..., department: _Optional[_Union[EgainName, _Mapping]] = ..., type: _Optional[_Union[EgainType, _Mapping]] = ..., subject: _Optional[str] = ..., customer: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., priority: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., due_date: _Optional[str] = ..., case_ref: _Optional[_Union[EgainCase, _Mapping]] = ..., custom_attributes: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., payload: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., status: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., attachments: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., accept_language: _Optional[str] = ...) -> None: ...

class EgainActivity(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class EgainCustomAttribute(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[str]] = ...) -> None: ...

class EgainActivityAttributes(_message.Message):
    __slots__ = ("subtypes", "custom_attributes")
    SUBTYPES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    subtypes: _containers.RepeatedScalarFieldContainer[str]
    custom_attributes: _containers.RepeatedCompositeFieldContainer[EgainCustomAttribute]
    def __init__(self, subtypes: _Optional[_Iterable[str]] = ..., custom_attributes: _Optional[_Iterable[_Union[EgainCustomAttribute, _Mapping]]] = ...) -> None: ...

class GetEgainActivityAttributesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class UpdateEgainActivityAttributesRequest(_message.Message):
    __slots__ = ("subtypes", "custom_attributes")
    SUBTYPES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    subtypes: _containers.RepeatedScalarFieldContainer[str]
    custom_attributes: _containers.RepeatedCompositeFieldContainer[EgainCustomAttribute]
    def __init__(self, subtypes: _Optional[_Iterable[str]] = ..., custom_attributes: _Optional[_Iterable[_Union[EgainCustomAttribute, _Mapping]]] = ...) -> None: ...
