from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Workspace(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "name", "timeout_activity_name", "timeout_activity_sid", "default_activity_name", "default_activity_sid", "prioritize_queue_order", "priortize_queue_order", "multi_task_enabled", "account_email", "date_created", "date_updated", "uri", "event_callback_url", "disconnect_activity_sid", "disconnect_activity_name", "disconnect_grace_seconds")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    PRIORITIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    PRIORTIZE_QUEUE_ORDER_FIELD_NUMBER: _ClassVar[int]
    MULTI_TASK_ENABLED_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    EVENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_GRACE_SECONDS_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    name: str
    timeout_activity_name: str
    timeout_activity_sid: str
    default_activity_name: str
    default_activity_sid: str
    prioritize_queue_order: str
    priortize_queue_order: str
    multi_task_enabled: bool
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    event_callback_url: str
    disconnect_activity_sid: str
    disconnect_activity_name: str
    disconnect_grace_seconds: int
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., name: _Optional[str] = ..., timeout_activity_name: _Optional[str] = ..., timeout_activity_sid: _Optional[str] = ..., default_activity_name: _Optional[str] = ..., default_activity_sid: _Optional[str] = ..., prioritize_queue_order: _Optional[str] = ..., priortize_queue_order: _Optional[str] = ..., multi_task_enabled: _Optional[bool] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ..., event_callback_url: _Optional[str] = ..., disconnect_activity_sid: _Optional[str] = ..., disconnect_activity_name: _Optional[str] = ..., disconnect_grace_seconds: _Optional[int] = ...) -> None: ...

class Activity(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "name", "available", "account_email", "date_created", "date_updated", "uri")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    name: str
    available: bool
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., available: _Optional[bool] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class TaskQueue(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "name", "assignment_activity_sid", "reservation_activity_sid", "target_workers", "task_order", "max_reserved_workers", "account_email", "date_created", "date_updated", "uri", "wrap_up_timeout")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    TARGET_WORKERS_FIELD_NUMBER: _ClassVar[int]
    TASK_ORDER_FIELD_NUMBER: _ClassVar[int]
    MAX_RESERVED_WORKERS_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    WRAP_UP_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    name: str
    assignment_activity_sid: str
    reservation_activity_sid: str
    target_workers: str
    task_order: str
    max_reserved_workers: int
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    wrap_up_timeout: int
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., assignment_activity_sid: _Optional[str] = ..., reservation_activity_sid: _Optional[str] = ..., target_workers: _Optional[str] = ..., task_order: _Optional[str] = ..., max_reserved_workers: _Optional[int] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ..., wrap_up_timeout: _Optional[int] = ...) -> None: ...

class Worker(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "name", "activity_sid", "activity_name", "attributes", "available", "capacity", "account_email", "date_created", "date_updated", "uri", "date_status_changed")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    DATE_STATUS_CHANGED_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    name: str
    activity_sid: str
    activity_name: str
    attributes: str
    available: bool
    capacity: int
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    date_status_changed: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., activity_sid: _Optional[str] = ..., activity_name: _Optional[str] = ..., attributes: _Optional[str] = ..., available: _Optional[bool] = ..., capacity: _Optional[int] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ..., date_status_changed: _Optional[str] = ...) -> None: ...

class Workflow(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "name", "configuration", "assignment_callback_url", "fallback_assignment_callback_url", "task_reservation_timeout", "account_email", "date_created", "date_updated", "uri")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_ASSIGNMENT_CALLBACK_URL_FIELD_NUMBER: _ClassVar[int]
    TASK_RESERVATION_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    name: str
    configuration: str
    assignment_callback_url: str
    fallback_assignment_callback_url: str
    task_reservation_timeout: int
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., configuration: _Optional[str] = ..., assignment_callback_url: _Optional[str] = ..., fallback_assignment_callback_url: _Optional[str] = ..., task_reservation_timeout: _Optional[int] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class RestcommAccount(_message.Message):
    __slots__ = ("account_sid", "account_email")
    ACCOUNT_SID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    account_sid: str
    account_email: str
    def __init__(self, account_sid: _Optional[str] = ..., account_email: _Optional[str] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "workflow_sid", "workflow_friendly_name", "timeout", "priority", "attributes", "assignment_status", "assignment_state", "task_queue_entered_date", "age", "reason", "task_queue_sid", "task_queue_friendly_name", "worker_sid", "task_channel", "bypass_reserved_state", "account_email", "restcomm_account", "date_created", "date_updated", "uri", "origin", "external_id", "organization_sid", "task_channel_sid", "task_channel_unique_name", "scheduled_time")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FRIENDLY_NAME_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_STATUS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_STATE_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_ENTERED_DATE_FIELD_NUMBER: _ClassVar[int]
    AGE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_FRIENDLY_NAME_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    BYPASS_RESERVED_STATE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    RESTCOMM_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    EXTERNAL_ID_FIELD_NUMBER: _ClassVar[int]
    ORGANIZATION_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    SCHEDULED_TIME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    workflow_sid: str
    workflow_friendly_name: str
    timeout: int
    priority: int
    attributes: str
    assignment_status: str
    assignment_state: str
    task_queue_entered_date: str
    age: int
    reason: str
    task_queue_sid: str
    task_queue_friendly_name: str
    worker_sid: str
    task_channel: str
    bypass_reserved_state: bool
    account_email: str
    restcomm_account: RestcommAccount
    date_created: str
    date_updated: str
    uri: str
    origin: str
    external_id: str
    organization_sid: str
    task_channel_sid: str
    task_channel_unique_name: str
    scheduled_time: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., workflow_sid: _Optional[str] = ..., workflow_friendly_name: _Optional[str] = ..., timeout: _Optional[int] = ..., priority: _Optional[int] = ..., attributes: _Optional[str] = ..., assignment_status: _Optional[str] = ..., assignment_state: _Optional[str] = ..., task_queue_entered_date: _Optional[str] = ..., age: _Optional[int] = ..., reason: _Optional[str] = ..., task_queue_sid: _Optional[str] = ..., task_queue_friendly_name: _Optional[str] = ..., worker_sid: _Optional[str] = ..., task_channel: _Optional[str] = ..., bypass_reserved_state: _Optional[bool] = ..., account_email: _Optional[str] = ..., restcomm_account: _Optional[_Union[RestcommAccount, _Mapping]] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ..., origin: _Optional[str] = ..., external_id: _Optional[str] = ..., organization_sid: _Optional[str] = ..., task_channel_sid: _Optional[str] = ..., task_channel_unique_name: _Optional[str] = ..., scheduled_time: _Optional[str] = ...) -> None: ...

class Reservation(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "task_sid", "worker_sid", "worker_name", "task_queue_sid", "workflow_sid", "reservation_status", "date_created", "date_updated", "uri", "account_email", "task_channel_sid", "task_channel_unique_name", "transfer_sid")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_NAME_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_STATUS_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_SID_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    task_sid: str
    worker_sid: str
    worker_name: str
    task_queue_sid: str
    workflow_sid: str
    reservation_status: str
    date_created: str
    date_updated: str
    uri: str
    account_email: str
    task_channel_sid: str
    task_channel_unique_name: str
    transfer_sid: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., task_sid: _Optional[str] = ..., worker_sid: _Optional[str] = ..., worker_name: _Optional[str] = ..., task_queue_sid: _Optional[str] = ..., workflow_sid: _Optional[str] = ..., reservation_status: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ..., account_email: _Optional[str] = ..., task_channel_sid: _Optional[str] = ..., task_channel_unique_name: _Optional[str] = ..., transfer_sid: _Optional[str] = ...) -> None: ...

class TaskChannel(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "name", "unique_name", "account_email", "date_created", "date_updated", "uri")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    name: str
    unique_name: str
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., name: _Optional[str] = ..., unique_name: _Optional[str] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class WorkerChannel(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "worker_sid", "task_channel_sid", "task_channel_unique_name", "configured_capacity", "assigned_tasks", "available_capacity_percentage", "available", "account_email", "date_created", "date_updated", "uri")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_UNIQUE_NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIGURED_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_TASKS_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_CAPACITY_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    worker_sid: str
    task_channel_sid: str
    task_channel_unique_name: str
    configured_capacity: int
    assigned_tasks: int
    available_capacity_percentage: int
    available: bool
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., worker_sid: _Optional[str] = ..., task_channel_sid: _Optional[str] = ..., task_channel_unique_name: _Optional[str] = ..., configured_capacity: _Optional[int] = ..., assigned_tasks: _Optional[int] = ..., available_capacity_percentage: _Optional[int] = ..., available: _Optional[bool] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class Transfer(_message.Message):
    __slots__ = ("sid", "enterprise_sid", "workspace_sid", "task_sid", "from_worker_sid", "to", "mode", "transfer_status", "from_reservation_sid", "reservation_sid", "reason", "account_email", "date_created", "date_updated", "uri")
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_SID_FIELD_NUMBER: _ClassVar[int]
    FROM_WORKER_SID_FIELD_NUMBER: _ClassVar[int]
    TO_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_STATUS_FIELD_NUMBER: _ClassVar[int]
    FROM_RESERVATION_SID_FIELD_NUMBER: _ClassVar[int]
    RESERVATION_SID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_EMAIL_FIELD_NUMBER: _ClassVar[int]
    DATE_CREATED_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    URI_FIELD_NUMBER: _ClassVar[int]
    sid: str
    enterprise_sid: str
    workspace_sid: str
    task_sid: str
    from_worker_sid: str
    to: str
    mode: str
    transfer_status: str
    from_reservation_sid: str
    reservation_sid: str
    reason: str
    account_email: str
    date_created: str
    date_updated: str
    uri: str
    def __init__(self, sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., task_sid: _Optional[str] = ..., from_worker_sid: _Optional[str] = ..., to: _Optional[str] = ..., mode: _Optional[str] = ..., transfer_status: _Optional[str] = ..., from_reservation_sid: _Optional[str] = ..., reservation_sid: _Optional[str] = ..., reason: _Optional[str] = ..., account_email: _Optional[str] = ..., date_created: _Optional[str] = ..., date_updated: _Optional[str] = ..., uri: _Optional[str] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("id", "sid", "enterprise_sid", "workspace_sid", "event_type", "resource_type", "resource_sid", "description", "event_data", "event_date")
    ID_FIELD_NUMBER: _ClassVar[int]
    SID_FIELD_NUMBER: _ClassVar[int]
    ENTERPRISE_SID_FIELD_NUMBER: _ClassVar[int]
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_SID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EVENT_DATA_FIELD_NUMBER: _ClassVar[int]
    EVENT_DATE_FIELD_NUMBER: _ClassVar[int]
    id: int
    sid: str
    enterprise_sid: str
    workspace_sid: str
    event_type: str
    resource_type: str
    resource_sid: str
    description: str
    event_data: str
    event_date: str
    def __init__(self, id: _Optional[int] = ..., sid: _Optional[str] = ..., enterprise_sid: _Optional[str] = ..., workspace_sid: _Optional[str] = ..., event_type: _Optional[str] = ..., resource_type: _Optional[str] = ..., resource_sid: _Optional[str] = ..., description: _Optional[str] = ..., event_data: _Optional[str] = ..., event_date: _Optional[str] = ...) -> None: ...
