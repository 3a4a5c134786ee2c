# Written by `make proto` (python -m taskrouter.client.stubgen) from the protos: do not edit.
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import grpc

from taskrouter.client.retry import RetryPolicy
from taskrouter.client.streams import EventStream
from taskrouter.v1 import (
    configuration_service_pb2,
    resources_pb2,
    statistics_pb2,
    task_service_pb2,
    workflow_service_pb2,
    workforce_service_pb2,
)

class Client:
    target: str
    timeout: float | None
    retry: RetryPolicy
    def __init__(self, target: str = ..., *, account_sid: str | None = ..., auth_token: str | None = ...,
                 worker_token: str | None = ..., credentials: grpc.ChannelCredentials | None = ...,
                 timeout: float | None = ..., retry: RetryPolicy = ...,
                 options: Sequence[tuple[str, Any]] = ...) -> None: ...
    def with_options(self, *, timeout: float | None = ..., retry: RetryPolicy | None = ...) -> Client: ...
    def close(self) -> None: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, *exc: object) -> None: ...
    def create_workspace(
        self,
        *,
        enterprise_sid: str | None = ...,
        name: str | None = ...,
        prioritize_queue_order: str | None = ...,
        priortize_queue_order: str | None = ...,
        multi_task_enabled: bool | None = ...,
        event_callback_url: str | None = ...,
        disconnect_activity_sid: str | None = ...,
        disconnect_grace_seconds: int | None = ...,
        disconnect_activity_name: str | None = ...,
    ) -> resources_pb2.Workspace: ...
    def get_workspace(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Workspace: ...
    def list_workspaces(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
    ) -> configuration_service_pb2.ListWorkspacesResponse: ...
    def iter_workspaces(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
    ) -> Iterator[resources_pb2.Workspace]: ...
    def update_workspace(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        prioritize_queue_order: str | None = ...,
        priortize_queue_order: str | None = ...,
        timeout_activity_name: str | None = ...,
        timeout_activity_sid: str | None = ...,
        default_activity_name: str | None = ...,
        default_activity_sid: str | None = ...,
        multi_task_enabled: bool | None = ...,
        event_callback_url: str | None = ...,
        disconnect_activity_sid: str | None = ...,
        disconnect_grace_seconds: int | None = ...,
        disconnect_activity_name: str | None = ...,
    ) -> resources_pb2.Workspace: ...
    def delete_workspace(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Workspace: ...
    def create_activity(
        self,
        *,
        workspace_sid: str | None = ...,
        name: str | None = ...,
        available: bool | None = ...,
    ) -> resources_pb2.Activity: ...
    def get_activity(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Activity: ...
    def list_activities(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        available: bool | None = ...,
    ) -> configuration_service_pb2.ListActivitiesResponse: ...
    def iter_activities(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        available: bool | None = ...,
    ) -> Iterator[resources_pb2.Activity]: ...
    def update_activity(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        available: bool | None = ...,
    ) -> resources_pb2.Activity: ...
    def delete_activity(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Activity: ...
    def create_task_queue(
        self,
        *,
        workspace_sid: str | None = ...,
        name: str | None = ...,
        assignment_activity_sid: str | None = ...,
        reservation_activity_sid: str | None = ...,
        target_workers: str | None = ...,
        task_order: str | None = ...,
        max_reserved_workers: int | None = ...,
        enterprise_sid: str | None = ...,
        wrap_up_timeout: int | None = ...,
    ) -> resources_pb2.TaskQueue: ...
    def get_task_queue(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.TaskQueue: ...
    def list_task_queues(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
    ) -> configuration_service_pb2.ListTaskQueuesResponse: ...
    def iter_task_queues(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
    ) -> Iterator[resources_pb2.TaskQueue]: ...
    def update_task_queue(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        assignment_activity_sid: str | None = ...,
        reservation_activity_sid: str | None = ...,
        target_workers: str | None = ...,
        task_order: str | None = ...,
        max_reserved_workers: int | None = ...,
        wrap_up_timeout: int | None = ...,
    ) -> resources_pb2.TaskQueue: ...
    def delete_task_queue(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.TaskQueue: ...
    def create_task_channel(
        self,
        *,
        workspace_sid: str | None = ...,
        name: str | None = ...,
        unique_name: str | None = ...,
    ) -> resources_pb2.TaskChannel: ...
    def get_task_channel(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.TaskChannel: ...
    def list_task_channels(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        unique_name: str | None = ...,
    ) -> configuration_service_pb2.ListTaskChannelsResponse: ...
    def iter_task_channels(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        unique_name: str | None = ...,
    ) -> Iterator[resources_pb2.TaskChannel]: ...
    def update_task_channel(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        unique_name: str | None = ...,
    ) -> resources_pb2.TaskChannel: ...
    def delete_task_channel(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.TaskChannel: ...
    def get_workspace_statistics(
        self,
        *,
        sid: str | None = ...,
        minutes: int | None = ...,
        start_date: str | None = ...,
        end_date: str | None = ...,
        task_channel: str | None = ...,
        split_by_wait_time: str | None = ...,
    ) -> statistics_pb2.Statistics: ...
    def get_task_queue_statistics(
        self,
        *,
        sid: str | None = ...,
        minutes: int | None = ...,
        start_date: str | None = ...,
        end_date: str | None = ...,
        task_channel: str | None = ...,
        split_by_wait_time: str | None = ...,
    ) -> statistics_pb2.Statistics: ...
    def watch_statistics(
        self,
        *,
        workspace_sid: str | None = ...,
    ) -> Iterator[statistics_pb2.StatisticsUpdate]: ...
    def create_worker(
        self,
        *,
        workspace_sid: str | None = ...,
        name: str | None = ...,
        activity_sid: str | None = ...,
        attributes: str | Mapping[str, Any] | None = ...,
        capacity: int | None = ...,
    ) -> resources_pb2.Worker: ...
    def get_worker(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Worker: ...
    def list_workers(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        activity_name: str | None = ...,
        activity_sid: str | None = ...,
        available: bool | None = ...,
        target_worker_expression: str | None = ...,
        task_queue_sid: str | None = ...,
        task_queue_name: str | None = ...,
    ) -> workforce_service_pb2.ListWorkersResponse: ...
    def iter_workers(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        activity_name: str | None = ...,
        activity_sid: str | None = ...,
        available: bool | None = ...,
        target_worker_expression: str | None = ...,
        task_queue_sid: str | None = ...,
        task_queue_name: str | None = ...,
    ) -> Iterator[resources_pb2.Worker]: ...
    def update_worker(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        activity_sid: str | None = ...,
        attributes: str | Mapping[str, Any] | None = ...,
        capacity: int | None = ...,
    ) -> resources_pb2.Worker: ...
    def delete_worker(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Worker: ...
    def get_worker_channel(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.WorkerChannel: ...
    def list_worker_channels(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        worker_sid: str | None = ...,
        task_channel: str | None = ...,
        available: bool | None = ...,
    ) -> workforce_service_pb2.ListWorkerChannelsResponse: ...
    def iter_worker_channels(
        self,
        *,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        worker_sid: str | None = ...,
        task_channel: str | None = ...,
        available: bool | None = ...,
    ) -> Iterator[resources_pb2.WorkerChannel]: ...
    def update_worker_channel(
        self,
        *,
        sid: str | None = ...,
        capacity: int | None = ...,
        available: bool | None = ...,
    ) -> resources_pb2.WorkerChannel: ...
    def get_worker_statistics(
        self,
        *,
        sid: str | None = ...,
        minutes: int | None = ...,
        start_date: str | None = ...,
        end_date: str | None = ...,
    ) -> statistics_pb2.WorkerStatistics: ...
    def create_worker_token(
        self,
        *,
        sid: str | None = ...,
        ttl: int | None = ...,
    ) -> workforce_service_pb2.WorkerToken: ...
    def revoke_worker_tokens(
        self,
        *,
        sid: str | None = ...,
    ) -> workforce_service_pb2.RevokeWorkerTokensResponse: ...
    def create_workflow(
        self,
        *,
        workspace_sid: str | None = ...,
        name: str | None = ...,
        configuration: str | Mapping[str, Any] | None = ...,
        assignment_callback_url: str | None = ...,
        fallback_assignment_callback_url: str | None = ...,
        task_reservation_timeout: int | None = ...,
        task_reservationn_timeout: int | None = ...,
        enterprise_sid: str | None = ...,
    ) -> resources_pb2.Workflow: ...
    def get_workflow(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Workflow: ...
    def list_workflows(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
    ) -> workflow_service_pb2.ListWorkflowsResponse: ...
    def iter_workflows(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
    ) -> Iterator[resources_pb2.Workflow]: ...
    def update_workflow(
        self,
        *,
        sid: str | None = ...,
        name: str | None = ...,
        configuration: str | Mapping[str, Any] | None = ...,
        assignment_callback_url: str | None = ...,
        fallback_assignment_callback_url: str | None = ...,
        task_reservation_timeout: int | None = ...,
        task_reservationn_timeout: int | None = ...,
        re_evaluate_tasks: bool | None = ...,
    ) -> resources_pb2.Workflow: ...
    def delete_workflow(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Workflow: ...
    def get_workflow_statistics(
        self,
        *,
        sid: str | None = ...,
        minutes: int | None = ...,
        start_date: str | None = ...,
        end_date: str | None = ...,
        task_channel: str | None = ...,
        split_by_wait_time: str | None = ...,
    ) -> statistics_pb2.Statistics: ...
    def create_task(
        self,
        *,
        workflow_sid: str | None = ...,
        workspace_sid: str | None = ...,
        timeout: int | None = ...,
        priority: int | None = ...,
        bypass_reserved_state: bool | None = ...,
        attributes: str | Mapping[str, Any] | None = ...,
        task_channel: str | None = ...,
        scheduled_time: str | None = ...,
    ) -> resources_pb2.Task: ...
    def get_task(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Task: ...
    def list_tasks(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        is_live_session: bool | None = ...,
        assignment_status: str | None = ...,
        workflow_sid: str | None = ...,
        task_queue_sid: str | None = ...,
        task_channel: str | None = ...,
        worker_sid: str | None = ...,
    ) -> task_service_pb2.ListTasksResponse: ...
    def iter_tasks(
        self,
        *,
        page_size: int | None = ...,
        name: str | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        is_live_session: bool | None = ...,
        assignment_status: str | None = ...,
        workflow_sid: str | None = ...,
        task_queue_sid: str | None = ...,
        task_channel: str | None = ...,
        worker_sid: str | None = ...,
    ) -> Iterator[resources_pb2.Task]: ...
    def update_task(
        self,
        *,
        sid: str | None = ...,
        attributes: str | Mapping[str, Any] | None = ...,
        assignment_status: str | None = ...,
        reason: str | None = ...,
        priority: int | None = ...,
        task_queue_sid: str | None = ...,
    ) -> resources_pb2.Task: ...
    def delete_task(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Task: ...
    def get_reservation(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Reservation: ...
    def list_reservations(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        task_sid: str | None = ...,
        worker_sid: str | None = ...,
        reservation_status: str | None = ...,
        task_channel: str | None = ...,
    ) -> task_service_pb2.ListReservationsResponse: ...
    def iter_reservations(
        self,
        *,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        task_sid: str | None = ...,
        worker_sid: str | None = ...,
        reservation_status: str | None = ...,
        task_channel: str | None = ...,
    ) -> Iterator[resources_pb2.Reservation]: ...
    def update_reservation(
        self,
        *,
        sid: str | None = ...,
        reservation_status: str | None = ...,
        worker_activity_sid: str | None = ...,
    ) -> resources_pb2.Reservation: ...
    def create_transfer(
        self,
        *,
        task_sid: str | None = ...,
        to: str | None = ...,
        mode: str | None = ...,
    ) -> resources_pb2.Transfer: ...
    def get_transfer(
        self,
        *,
        sid: str | None = ...,
    ) -> resources_pb2.Transfer: ...
    def list_transfers(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        task_sid: str | None = ...,
        transfer_status: str | None = ...,
    ) -> task_service_pb2.ListTransfersResponse: ...
    def iter_transfers(
        self,
        *,
        page_size: int | None = ...,
        sort_by: str | None = ...,
        workspace_sid: str | None = ...,
        task_sid: str | None = ...,
        transfer_status: str | None = ...,
    ) -> Iterator[resources_pb2.Transfer]: ...
    def update_transfer(
        self,
        *,
        sid: str | None = ...,
        transfer_status: str | None = ...,
    ) -> resources_pb2.Transfer: ...
    def list_events(
        self,
        *,
        page: int | None = ...,
        page_size: int | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        workspace_sid: str | None = ...,
        event_type: str | None = ...,
        resource_sid: str | None = ...,
    ) -> task_service_pb2.ListEventsResponse: ...
    def iter_events(
        self,
        *,
        page_size: int | None = ...,
        start_time: str | None = ...,
        end_time: str | None = ...,
        workspace_sid: str | None = ...,
        event_type: str | None = ...,
        resource_sid: str | None = ...,
    ) -> Iterator[resources_pb2.Event]: ...
    def watch_events(
        self,
        *,
        workspace_sid: str | None = ...,
        after_id: int | None = ...,
        event_type: str | None = ...,
    ) -> EventStream[resources_pb2.Event]: ...
    def watch_worker(
        self,
        *,
        sid: str | None = ...,
        after_id: int | None = ...,
    ) -> EventStream[resources_pb2.Event]: ...
    def start_genesys_service(
        self,
        *,
        workflow_sid: str | None = ...,
        workspace_sid: str | None = ...,
        service_type: Any | None = ...,
        customer_id: str | None = ...,
    ) -> task_service_pb2.GenesysService: ...
    def start_genesys_task(
        self,
        *,
        service_id: int | None = ...,
        task_type: Any | None = ...,
        state_id: int | None = ...,
        session_id: str | None = ...,
        interaction_id: str | None = ...,
        application_type: Any | None = ...,
        application_id: int | None = ...,
        resource_type: Any | None = ...,
        resource_id: int | None = ...,
        media_type: Any | None = ...,
        est_duration: int | None = ...,
        timestamp: str | None = ...,
        extensions: Mapping[str, Any] | None = ...,
    ) -> task_service_pb2.GenesysTaskStarted: ...
    def create_genesys_task_extension_schema(
        self,
        *,
        name: str | None = ...,
        attributes: Sequence[task_service_pb2.GenesysExtensionAttribute | Mapping[str, Any]] | None = ...,
        single_valued: bool | None = ...,
    ) -> task_service_pb2.GenesysExtensionSchema: ...
    def enable_sig_v4(self) -> task_service_pb2.SigV4Credentials: ...
    def start_task_contact(
        self,
        *,
        instance_id: str | None = ...,
        contact_flow_id: str | None = ...,
        name: str | None = ...,
        description: str | None = ...,
        attributes: Mapping[str, str] | None = ...,
        references: Mapping[str, task_service_pb2.ConnectReference | Mapping[str, Any]] | None = ...,
        client_token: str | None = ...,
        previous_contact_id: str | None = ...,
        scheduled_time: float | None = ...,
        related_contact_id: str | None = ...,
        quick_connect_id: str | None = ...,
        task_template_id: str | None = ...,
        segment_attributes: Mapping[str, Any] | None = ...,
        attachments: Any | None = ...,
    ) -> task_service_pb2.StartTaskContactResponse: ...
    def create_egain_task_activity(
        self,
        *,
        search_contact_on_attribute: str | None = ...,
        create_customer: str | None = ...,
        activity_contact: str | None = ...,
        workflow_sid: str | None = ...,
        department: task_service_pb2.EgainName | Mapping[str, Any] | None = ...,
        type: task_service_pb2.EgainType | Mapping[str, Any] | None = ...,
        subject: str | None = ...,
        customer: Mapping[str, Any] | None = ...,
        priority: Any | None = ...,
        due_date: str | None = ...,
        case_ref: task_service_pb2.EgainCase | Mapping[str, Any] | None = ...,
        custom_attributes: Mapping[str, Any] | None = ...,
        payload: Mapping[str, Any] | None = ...,
        status: Mapping[str, Any] | None = ...,
        attachments: Any | None = ...,
        accept_language: str | None = ...,
    ) -> task_service_pb2.EgainActivity: ...
    def get_egain_activity_attributes(self) -> task_service_pb2.EgainActivityAttributes: ...
    def update_egain_activity_attributes(
        self,
        *,
        subtypes: Sequence[str] | None = ...,
        custom_attributes: Sequence[task_service_pb2.EgainCustomAttribute | Mapping[str, Any]] | None = ...,
    ) -> task_service_pb2.EgainActivityAttributes: ...
