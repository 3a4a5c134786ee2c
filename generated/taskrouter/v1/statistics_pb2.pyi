from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetWorkspaceStatisticsRequest(_message.Message):
    __slots__ = ("sid", "minutes", "start_date", "end_date", "task_channel", "split_by_wait_time")
    SID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_WAIT_TIME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    minutes: int
    start_date: str
    end_date: str
    task_channel: str
    split_by_wait_time: str
    def __init__(self, sid: _Optional[str] = ..., minutes: _Optional[int] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., task_channel: _Optional[str] = ..., split_by_wait_time: _Optional[str] = ...) -> None: ...

class GetTaskQueueStatisticsRequest(_message.Message):
    __slots__ = ("sid", "minutes", "start_date", "end_date", "task_channel", "split_by_wait_time")
    SID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_WAIT_TIME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    minutes: int
    start_date: str
    end_date: str
    task_channel: str
    split_by_wait_time: str
    def __init__(self, sid: _Optional[str] = ..., minutes: _Optional[int] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., task_channel: _Optional[str] = ..., split_by_wait_time: _Optional[str] = ...) -> None: ...

class GetWorkflowStatisticsRequest(_message.Message):
    __slots__ = ("sid", "minutes", "start_date", "end_date", "task_channel", "split_by_wait_time")
    SID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_WAIT_TIME_FIELD_NUMBER: _ClassVar[int]
    sid: str
    minutes: int
    start_date: str
    end_date: str
    task_channel: str
    split_by_wait_time: str
    def __init__(self, sid: _Optional[str] = ..., minutes: _Optional[int] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ..., task_channel: _Optional[str] = ..., split_by_wait_time: _Optional[str] = ...) -> None: ...

class GetWorkerStatisticsRequest(_message.Message):
    __slots__ = ("sid", "minutes", "start_date", "end_date")
    SID_FIELD_NUMBER: _ClassVar[int]
    MINUTES_FIELD_NUMBER: _ClassVar[int]
    START_DATE_FIELD_NUMBER: _ClassVar[int]
    END_DATE_FIELD_NUMBER: _ClassVar[int]
    sid: str
    minutes: int
    start_date: str
    end_date: str
    def __init__(self, sid: _Optional[str] = ..., minutes: _Optional[int] = ..., start_date: _Optional[str] = ..., end_date: _Optional[str] = ...) -> None: ...

class TasksByStatus(_message.Message):
    __slots__ = ("pending", "reserved", "assigned", "wrapping")
    PENDING_FIELD_NUMBER: _ClassVar[int]
    RESERVED_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_FIELD_NUMBER: _ClassVar[int]
    WRAPPING_FIELD_NUMBER: _ClassVar[int]
    pending: int
    reserved: int
    assigned: int
    wrapping: int
    def __init__(self, pending: _Optional[int] = ..., reserved: _Optional[int] = ..., assigned: _Optional[int] = ..., wrapping: _Optional[int] = ...) -> None: ...

class ActivityStatistics(_message.Message):
    __slots__ = ("activity_sid", "activity_name", "workers")
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    activity_sid: str
    activity_name: str
    workers: int
    def __init__(self, activity_sid: _Optional[str] = ..., activity_name: _Optional[str] = ..., workers: _Optional[int] = ...) -> None: ...

class RealtimeStatistics(_message.Message):
    __slots__ = ("tasks_by_status", "total_tasks", "longest_task_waiting_age", "longest_task_waiting_sid", "activity_statistics", "total_available_workers", "total_eligible_workers")
    TASKS_BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TASKS_FIELD_NUMBER: _ClassVar[int]
    LONGEST_TASK_WAITING_AGE_FIELD_NUMBER: _ClassVar[int]
    LONGEST_TASK_WAITING_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_STATISTICS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AVAILABLE_WORKERS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ELIGIBLE_WORKERS_FIELD_NUMBER: _ClassVar[int]
    tasks_by_status: TasksByStatus
    total_tasks: int
    longest_task_waiting_age: int
    longest_task_waiting_sid: str
    activity_statistics: _containers.RepeatedCompositeFieldContainer[ActivityStatistics]
    total_available_workers: int
    total_eligible_workers: int
    def __init__(self, tasks_by_status: _Optional[_Union[TasksByStatus, _Mapping]] = ..., total_tasks: _Optional[int] = ..., longest_task_waiting_age: _Optional[int] = ..., longest_task_waiting_sid: _Optional[str] = ..., activity_statistics: _Optional[_Iterable[_Union[ActivityStatistics, _Mapping]]] = ..., total_available_workers: _Optional[int] = ..., total_eligible_workers: _Optional[int] = ...) -> None: ...

class DurationStatistics(_message.Message):
    __slots__ = ("avg", "min", "max", "total", "p50", "p90", "p95", "p99")
    AVG_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    P50_FIELD_NUMBER: _ClassVar[int]
    P90_FIELD_NUMBER: _ClassVar[int]
    P95_FIELD_NUMBER: _ClassVar[int]
    P99_FIELD_NUMBER: _ClassVar[int]
    avg: float
    min: float
    max: float
    total: float
    p50: float
    p90: float
    p95: float
    p99: float
    def __init__(self, avg: _Optional[float] = ..., min: _Optional[float] = ..., max: _Optional[float] = ..., total: _Optional[float] = ..., p50: _Optional[float] = ..., p90: _Optional[float] = ..., p95: _Optional[float] = ..., p99: _Optional[float] = ...) -> None: ...

class WaitSplitCounts(_message.Message):
    __slots__ = ("tasks_accepted", "tasks_canceled")
    TASKS_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    TASKS_CANCELED_FIELD_NUMBER: _ClassVar[int]
    tasks_accepted: int
    tasks_canceled: int
    def __init__(self, tasks_accepted: _Optional[int] = ..., tasks_canceled: _Optional[int] = ...) -> None: ...

class WaitSplit(_message.Message):
    __slots__ = ("below", "above")
    BELOW_FIELD_NUMBER: _ClassVar[int]
    ABOVE_FIELD_NUMBER: _ClassVar[int]
    below: WaitSplitCounts
    above: WaitSplitCounts
    def __init__(self, below: _Optional[_Union[WaitSplitCounts, _Mapping]] = ..., above: _Optional[_Union[WaitSplitCounts, _Mapping]] = ...) -> None: ...

class CumulativeStatistics(_message.Message):
    __slots__ = ("start_time", "end_time", "tasks_created", "tasks_canceled", "tasks_completed", "tasks_moved", "reservations_created", "reservations_accepted", "reservations_rejected", "reservations_timed_out", "reservations_canceled", "reservations_rescinded", "wait_duration_until_accepted", "wait_duration_until_canceled", "handle_duration", "split_by_wait_time")
    class SplitByWaitTimeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: WaitSplit
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[WaitSplit, _Mapping]] = ...) -> None: ...
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    TASKS_CREATED_FIELD_NUMBER: _ClassVar[int]
    TASKS_CANCELED_FIELD_NUMBER: _ClassVar[int]
    TASKS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TASKS_MOVED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_CREATED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_CANCELED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_RESCINDED_FIELD_NUMBER: _ClassVar[int]
    WAIT_DURATION_UNTIL_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    WAIT_DURATION_UNTIL_CANCELED_FIELD_NUMBER: _ClassVar[int]
    HANDLE_DURATION_FIELD_NUMBER: _ClassVar[int]
    SPLIT_BY_WAIT_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: str
    end_time: str
    tasks_created: int
    tasks_canceled: int
    tasks_completed: int
    tasks_moved: int
    reservations_created: int
    reservations_accepted: int
    reservations_rejected: int
    reservations_timed_out: int
    reservations_canceled: int
    reservations_rescinded: int
    wait_duration_until_accepted: DurationStatistics
    wait_duration_until_canceled: DurationStatistics
    handle_duration: DurationStatistics
    split_by_wait_time: _containers.MessageMap[str, WaitSplit]
    def __init__(self, start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., tasks_created: _Optional[int] = ..., tasks_canceled: _Optional[int] = ..., tasks_completed: _Optional[int] = ..., tasks_moved: _Optional[int] = ..., reservations_created: _Optional[int] = ..., reservations_accepted: _Optional[int] = ..., reservations_rejected: _Optional[int] = ..., reservations_timed_out: _Optional[int] = ..., reservations_canceled: _Optional[int] = ..., reservations_rescinded: _Optional[int] = ..., wait_duration_until_accepted: _Optional[_Union[DurationStatistics, _Mapping]] = ..., wait_duration_until_canceled: _Optional[_Union[DurationStatistics, _Mapping]] = ..., handle_duration: _Optional[_Union[DurationStatistics, _Mapping]] = ..., split_by_wait_time: _Optional[_Mapping[str, WaitSplit]] = ...) -> None: ...

class Statistics(_message.Message):
    __slots__ = ("realtime", "cumulative")
    REALTIME_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_FIELD_NUMBER: _ClassVar[int]
    realtime: RealtimeStatistics
    cumulative: CumulativeStatistics
    def __init__(self, realtime: _Optional[_Union[RealtimeStatistics, _Mapping]] = ..., cumulative: _Optional[_Union[CumulativeStatistics, _Mapping]] = ...) -> None: ...

class ChannelTasks(_message.Message):
    __slots__ = ("task_channel", "reserved_tasks", "assigned_tasks")
    TASK_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    RESERVED_TASKS_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_TASKS_FIELD_NUMBER: _ClassVar[int]
    task_channel: str
    reserved_tasks: int
    assigned_tasks: int
    def __init__(self, task_channel: _Optional[str] = ..., reserved_tasks: _Optional[int] = ..., assigned_tasks: _Optional[int] = ...) -> None: ...

class WorkerRealtimeStatistics(_message.Message):
    __slots__ = ("activity_sid", "activity_name", "available", "activity_since", "activity_age", "tasks_by_channel")
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_SINCE_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_AGE_FIELD_NUMBER: _ClassVar[int]
    TASKS_BY_CHANNEL_FIELD_NUMBER: _ClassVar[int]
    activity_sid: str
    activity_name: str
    available: bool
    activity_since: str
    activity_age: int
    tasks_by_channel: _containers.RepeatedCompositeFieldContainer[ChannelTasks]
    def __init__(self, activity_sid: _Optional[str] = ..., activity_name: _Optional[str] = ..., available: _Optional[bool] = ..., activity_since: _Optional[str] = ..., activity_age: _Optional[int] = ..., tasks_by_channel: _Optional[_Iterable[_Union[ChannelTasks, _Mapping]]] = ...) -> None: ...

class ActivityDuration(_message.Message):
    __slots__ = ("activity_sid", "activity_name", "total", "min", "max", "avg")
    ACTIVITY_SID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_NAME_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    AVG_FIELD_NUMBER: _ClassVar[int]
    activity_sid: str
    activity_name: str
    total: float
    min: float
    max: float
    avg: float
    def __init__(self, activity_sid: _Optional[str] = ..., activity_name: _Optional[str] = ..., total: _Optional[float] = ..., min: _Optional[float] = ..., max: _Optional[float] = ..., avg: _Optional[float] = ...) -> None: ...

class WorkerCumulativeStatistics(_message.Message):
    __slots__ = ("start_time", "end_time", "reservations_created", "reservations_accepted", "reservations_rejected", "reservations_timed_out", "reservations_canceled", "reservations_rescinded", "activity_durations")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_CREATED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_TIMED_OUT_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_CANCELED_FIELD_NUMBER: _ClassVar[int]
    RESERVATIONS_RESCINDED_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_DURATIONS_FIELD_NUMBER: _ClassVar[int]
    start_time: str
    end_time: str
    reservations_created: int
    reservations_accepted: int
    reservations_rejected: int
    reservations_timed_out: int
    reservations_canceled: int
    reservations_rescinded: int
    activity_durations: _containers.RepeatedCompositeFieldContainer[ActivityDuration]
    def __init__(self, start_time: _Optional[str] = ..., end_time: _Optional[str] = ..., reservations_created: _Optional[int] = ..., reservations_accepted: _Optional[int] = ..., reservations_rejected: _Optional[int] = ..., reservations_timed_out: _Optional[int] = ..., reservations_canceled: _Optional[int] = ..., reservations_rescinded: _Optional[int] = ..., activity_durations: _Optional[_Iterable[_Union[ActivityDuration, _Mapping]]] = ...) -> None: ...

class WorkerStatistics(_message.Message):
    __slots__ = ("realtime", "cumulative")
    REALTIME_FIELD_NUMBER: _ClassVar[int]
    CUMULATIVE_FIELD_NUMBER: _ClassVar[int]
    realtime: WorkerRealtimeStatistics
    cumulative: WorkerCumulativeStatistics
    def __init__(self, realtime: _Optional[_Union[WorkerRealtimeStatistics, _Mapping]] = ..., cumulative: _Optional[_Union[WorkerCumulativeStatistics, _Mapping]] = ...) -> None: ...

class WatchStatisticsRequest(_message.Message):
    __slots__ = ("workspace_sid",)
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    def __init__(self, workspace_sid: _Optional[str] = ...) -> None: ...

class TaskQueueRealtimeStatistics(_message.Message):
    __slots__ = ("task_queue_sid", "task_queue_name", "realtime")
    TASK_QUEUE_SID_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUE_NAME_FIELD_NUMBER: _ClassVar[int]
    REALTIME_FIELD_NUMBER: _ClassVar[int]
    task_queue_sid: str
    task_queue_name: str
    realtime: RealtimeStatistics
    def __init__(self, task_queue_sid: _Optional[str] = ..., task_queue_name: _Optional[str] = ..., realtime: _Optional[_Union[RealtimeStatistics, _Mapping]] = ...) -> None: ...

class StatisticsUpdate(_message.Message):
    __slots__ = ("workspace_sid", "date_updated", "realtime", "task_queues")
    WORKSPACE_SID_FIELD_NUMBER: _ClassVar[int]
    DATE_UPDATED_FIELD_NUMBER: _ClassVar[int]
    REALTIME_FIELD_NUMBER: _ClassVar[int]
    TASK_QUEUES_FIELD_NUMBER: _ClassVar[int]
    workspace_sid: str
    date_updated: str
    realtime: RealtimeStatistics
    task_queues: _containers.RepeatedCompositeFieldContainer[TaskQueueRealtimeStatistics]
    def __init__(self, workspace_sid: _Optional[str] = ..., date_updated: _Optional[str] = ..., realtime: _Optional[_Union[RealtimeStatistics, _Mapping]] = ..., task_queues: _Optional[_Iterable[_Union[TaskQueueRealtimeStatistics, _Mapping]]] = ...) -> None: ...
