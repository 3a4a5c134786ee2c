"""Store rows to protobuf messages, and the request plumbing every servicer shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from google.protobuf.message import Message

from taskrouter.server.clock import format_time
from taskrouter.server.routing.activities import by_sid as activities_by_sid
from taskrouter.server.routing.channel_room import held
from taskrouter.server.routing.listing import ListParams, Page
from taskrouter.server.routing.statistics import reports as statistics_reports
from taskrouter.server.routing.statuses import FINAL_TASK
from taskrouter.server.routing.task_channels import unique_names as task_channel_names
from taskrouter.server.store import models
from taskrouter.v1 import resources_pb2 as pb


def optional(request: Message, field: str):
    """The field's value if the caller set it, else None (for `optional` proto fields)."""
    return getattr(request, field) if request.HasField(field) else None


def list_params(request: Message, **filters) -> ListParams:
    fields = request.DESCRIPTOR.fields_by_name
    return ListParams(
        page=request.page,
        page_size=optional(request, "page_size"),
        name=request.name if "name" in fields else "",
        start_time=request.start_time if "start_time" in fields else "",
        end_time=request.end_time if "end_time" in fields else "",
        sort_by=request.sort_by if "sort_by" in fields else "",
        filters=filters,
    )


def page_response(response_class: type[Message], page: Page, convert: Callable[[list], Iterable[Message]]) -> Message:
    response = response_class(
        page_size=page.page_size, total=page.total, page=page.page, num_pages=page.num_pages, start=page.start,
        end=page.end, first_page_uri=page.first_page_uri, uri=page.uri,
    )
    if page.next_page_uri is not None:
        response.next_page_uri = page.next_page_uri
    response.result.extend(convert(list(page.result)))
    return response


def _uri(kind: str, sid: str) -> str:
    return f"/taskrouter/{kind}/search/{sid}"


def _common(row: models.Resource, kind: str) -> dict:
    return {
        "sid": row.sid, "enterprise_sid": row.enterprise_sid, "account_email": row.account_email,
        "date_created": format_time(row.created_at), "date_updated": format_time(row.updated_at),
        "uri": _uri(kind, row.sid),
    }


def workspaces(rows: list[models.Workspace]) -> list[pb.Workspace]:
    names = activities_by_sid([r.default_activity_sid for r in rows] + [r.timeout_activity_sid for r in rows]
                              + [r.disconnect_activity_sid for r in rows])

    def name(sid: str) -> str:
        return names[sid].name if sid in names else ""

    def presence(r: models.Workspace) -> dict:
        if not r.disconnect_activity_sid:
            return {}
        return {"disconnect_activity_sid": r.disconnect_activity_sid,
                "disconnect_activity_name": name(r.disconnect_activity_sid)}

    return [
        pb.Workspace(
            **_common(r, "workspaces"), name=r.name, timeout_activity_sid=r.timeout_activity_sid,
            timeout_activity_name=name(r.timeout_activity_sid), default_activity_sid=r.default_activity_sid,
            default_activity_name=name(r.default_activity_sid), prioritize_queue_order=r.prioritize_queue_order,
            priortize_queue_order=r.prioritize_queue_order, multi_task_enabled=r.multi_task_enabled,
            event_callback_url=r.event_callback_url, disconnect_grace_seconds=r.disconnect_grace_seconds,
            **presence(r),
        )
        for r in rows
    ]


def activities(rows: list[models.Activity]) -> list[pb.Activity]:
    return [pb.Activity(**_common(r, "activities"), workspace_sid=r.workspace_sid, name=r.name, available=r.available)
            for r in rows]


def task_queues(rows: list[models.TaskQueue]) -> list[pb.TaskQueue]:
    return [
        pb.TaskQueue(
            **_common(r, "taskqueues"), workspace_sid=r.workspace_sid, name=r.name,
            assignment_activity_sid=r.assignment_activity_sid, reservation_activity_sid=r.reservation_activity_sid,
            target_workers=r.target_workers, task_order=r.task_order, max_reserved_workers=r.max_reserved_workers,
            wrap_up_timeout=r.wrap_up_timeout,
        )
        for r in rows
    ]


def workers(rows: list[models.Worker]) -> list[pb.Worker]:
    names = activities_by_sid(r.activity_sid for r in rows)
    result = []
    for r in rows:
        activity = names.get(r.activity_sid)
        result.append(pb.Worker(
            **_common(r, "workers"), workspace_sid=r.workspace_sid, name=r.name, activity_sid=r.activity_sid,
            activity_name=activity.name if activity else "", available=bool(activity and activity.available),
            attributes=r.attributes, capacity=r.capacity, date_status_changed=format_time(r.status_changed_at),
        ))
    return result


def workflows(rows: list[models.Workflow]) -> list[pb.Workflow]:
    return [
        pb.Workflow(
            **_common(r, "workflows"), workspace_sid=r.workspace_sid, name=r.name, configuration=r.configuration,
            assignment_callback_url=r.assignment_callback_url,
            fallback_assignment_callback_url=r.fallback_assignment_callback_url,
            task_reservation_timeout=r.task_reservation_timeout,
        )
        for r in rows
    ]


def tasks(rows: list[models.Task], now: float) -> list[pb.Task]:
    result = []
    for r in rows:
        message = pb.Task(
            **_common(r, "tasks"), workspace_sid=r.workspace_sid, workflow_sid=r.workflow_sid,
            workflow_friendly_name=r.workflow_name, timeout=r.timeout, priority=r.priority, attributes=r.attributes,
            assignment_status=r.status.capitalize(), assignment_state=r.status.upper(),
            age=max(0, int((r.updated_at if r.status in FINAL_TASK else now) - r.created_at)),
            reason=r.reason, task_queue_sid=r.task_queue_sid, task_queue_friendly_name=r.task_queue_name,
            worker_sid=r.worker_sid, task_channel=r.task_channel, bypass_reserved_state=r.bypass_reserved_state,
            restcomm_account=pb.RestcommAccount(account_sid=r.account_sid, account_email=r.account_email),
            origin=r.origin, external_id=r.external_id, organization_sid="OR" + r.enterprise_sid[2:],
            task_channel_sid=r.task_channel_sid or "", task_channel_unique_name=r.task_channel,
        )
        if r.queue_entered_at is not None:
            message.task_queue_entered_date = format_time(r.queue_entered_at)
        if r.scheduled_at is not None:
            message.scheduled_time = format_time(r.scheduled_at)
        result.append(message)
    return result


def reservations(rows: list[models.Reservation]) -> list[pb.Reservation]:
    channels = task_channel_names(r.task_channel_sid for r in rows)
    return [
        pb.Reservation(
            **_common(r, "reservations"), workspace_sid=r.workspace_sid, task_sid=r.task_sid,
            worker_sid=r.worker_sid, worker_name=r.worker_name, task_queue_sid=r.task_queue_sid,
            workflow_sid=r.workflow_sid, reservation_status=r.status, task_channel_sid=r.task_channel_sid or "",
            task_channel_unique_name=channels.get(r.task_channel_sid or "", ""), transfer_sid=r.transfer_sid,
        )
        for r in rows
    ]


def task_channels(rows: list[models.TaskChannel]) -> list[pb.TaskChannel]:
    return [pb.TaskChannel(**_common(r, "taskchannels"), workspace_sid=r.workspace_sid, name=r.name,
                           unique_name=r.unique_name) for r in rows]


def worker_channels(rows: list[models.WorkerChannel]) -> list[pb.WorkerChannel]:
    channels = task_channel_names(r.task_channel_sid for r in rows)
    counts = held(list({r.worker_sid for r in rows}))
    result = []
    for r in rows:
        assigned = counts.get((r.worker_sid, r.task_channel_sid), 0)
        result.append(pb.WorkerChannel(
            **_common(r, "workerchannels"), workspace_sid=r.workspace_sid, worker_sid=r.worker_sid,
            task_channel_sid=r.task_channel_sid, task_channel_unique_name=channels.get(r.task_channel_sid, ""),
            configured_capacity=r.capacity, assigned_tasks=assigned, available=r.available,
            available_capacity_percentage=max(0, (r.capacity - assigned) * 100 // r.capacity) if r.capacity else 0,
        ))
    return result


def transfers(rows: list[models.Transfer]) -> list[pb.Transfer]:
    return [
        pb.Transfer(**_common(r, "transfers"), workspace_sid=r.workspace_sid, task_sid=r.task_sid,
                    from_worker_sid=r.from_worker_sid, to=r.to_sid, mode=r.mode, transfer_status=r.status,
                    from_reservation_sid=r.from_reservation_sid, reservation_sid=r.reservation_sid, reason=r.reason)
        for r in rows
    ]


def events(rows: list[models.Event]) -> list[pb.Event]:
    return [
        pb.Event(id=r.seq, sid=r.sid, enterprise_sid=r.enterprise_sid, workspace_sid=r.workspace_sid,
                 event_type=r.event_type, resource_type=r.resource_type, resource_sid=r.resource_sid,
                 description=r.description, event_data=r.data, event_date=format_time(r.created_at))
        for r in rows
    ]


def statistics_query(request: Message) -> statistics_reports.Query:
    """A Get<Workspace|TaskQueue|Workflow|Worker>StatisticsRequest as the statistics domain's query."""
    fields = request.DESCRIPTOR.fields_by_name
    return statistics_reports.Query(
        minutes=optional(request, "minutes"), start_date=request.start_date, end_date=request.end_date,
        task_channel=request.task_channel if "task_channel" in fields else "",
        split_by_wait_time=request.split_by_wait_time if "split_by_wait_time" in fields else "",
    )
