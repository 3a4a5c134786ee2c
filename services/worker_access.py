"""What a worker token may do: the exact allowed set, in one table.

A worker token may read its worker and change its activity, read its workspace's activities,
list, read and answer its own reservations, read and update (wrap up, complete) its own tasks,
and open its own worker stream. Every other RPC is refused with PERMISSION_DENIED (403), including
RPCs added later (the table is an allow list). Another worker's resources look not found, exactly
as another enterprise's do."""

from __future__ import annotations

from collections.abc import Callable

from google.protobuf.message import Message

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.routing import scope
from taskrouter.server.routing.context import Caller
from taskrouter.server.store import models
from taskrouter.v1 import configuration_service_pb2, task_service_pb2, workforce_service_pb2

Check = Callable[[Caller, Message], None]


def denied(what: str) -> TaskRouterError:
    return TaskRouterError("PERMISSION_DENIED", what, f"A worker token cannot {what}")


def _only_fields(request: Message, allowed: set[str], resource: str) -> None:
    extra = sorted(f.json_name for f, _ in request.ListFields() if f.name not in allowed)
    if extra:
        raise denied(f"change a {resource}'s {', '.join(extra)}")


def _own_worker(caller: Caller, sid: str) -> None:
    if scope.clean_sid(sid) != caller.worker_sid:
        raise TaskRouterError("WORKER_NOT_FOUND", scope.clean_sid(sid))


def _own_workspace(caller: Caller, request: Message) -> None:
    """An absent workspace filter becomes the worker's workspace; another one is not found."""
    if not scope.clean_sid(request.workspace_sid):
        request.workspace_sid = caller.workspace_sid
    elif scope.clean_sid(request.workspace_sid) != caller.workspace_sid:
        raise TaskRouterError("WORKSPACE_NOT_FOUND", scope.clean_sid(request.workspace_sid))


def _own_task(caller: Caller, sid: str) -> None:
    """A task is the worker's while it is offered to or held by it (any of its reservations)."""
    sid = scope.clean_sid(sid)
    R = models.Reservation
    if not R.select().where((R.task_sid == sid) & (R.worker_sid == caller.worker_sid)).exists():
        raise TaskRouterError("TASK_NOT_FOUND", sid)


def _own_reservation(caller: Caller, sid: str) -> None:
    sid = scope.clean_sid(sid)
    R = models.Reservation
    if not R.select().where((R.sid == sid) & (R.worker_sid == caller.worker_sid)).exists():
        raise TaskRouterError("RESERVATION_NOT_FOUND", sid)


def _get_worker(caller: Caller, request: Message) -> None:
    _own_worker(caller, request.sid)


def _update_worker(caller: Caller, request: Message) -> None:
    _own_worker(caller, request.sid)
    _only_fields(request, {"sid", "activity_sid"}, "worker")


def _get_activity(caller: Caller, request: Message) -> None:
    row = models.Activity.get_or_none(models.Activity.sid == scope.clean_sid(request.sid))
    if row is None or row.workspace_sid != caller.workspace_sid:
        raise TaskRouterError("ACTIVITY_NOT_FOUND", scope.clean_sid(request.sid))


def _list_reservations(caller: Caller, request: Message) -> None:
    if scope.clean_sid(request.worker_sid):
        _own_worker(caller, request.worker_sid)
    request.worker_sid = caller.worker_sid
    _own_workspace(caller, request)


def _reservation(caller: Caller, request: Message) -> None:
    _own_reservation(caller, request.sid)


def _get_task(caller: Caller, request: Message) -> None:
    _own_task(caller, request.sid)


def _list_tasks(caller: Caller, request: Message) -> None:
    if scope.clean_sid(request.worker_sid):
        _own_worker(caller, request.worker_sid)
    request.worker_sid = caller.worker_sid
    _own_workspace(caller, request)


# What a worker may set on its task: wrap it up or complete it, with a reason, and its attributes
# (notes taken during the work). Canceling, re-prioritising, deleting stay with the application.
TASK_STATUSES = ("completed", "wrapping")


def _update_task(caller: Caller, request: Message) -> None:
    _own_task(caller, request.sid)
    _only_fields(request, {"sid", "assignment_status", "reason", "attributes"}, "task")
    if request.HasField("assignment_status") and request.assignment_status.strip().lower() not in TASK_STATUSES:
        raise denied(f"set a task's assignmentStatus to {request.assignment_status.strip()!r}")


def _watch_worker(caller: Caller, request: Message) -> None:
    _own_worker(caller, request.sid)


def _path(module, service: str, method: str) -> str:
    descriptor = module.DESCRIPTOR.services_by_name[service].methods_by_name[method]  # KeyError on a typo
    return f"/{descriptor.containing_service.full_name}/{descriptor.name}"


_CONFIGURATION = (configuration_service_pb2, "ConfigurationService")
_WORKFORCE = (workforce_service_pb2, "WorkforceService")
_TASKS = (task_service_pb2, "TaskService")

ALLOWED: dict[str, Check] = {
    _path(*_WORKFORCE, "GetWorker"): _get_worker,
    _path(*_WORKFORCE, "UpdateWorker"): _update_worker,
    _path(*_CONFIGURATION, "ListActivities"): _own_workspace,
    _path(*_CONFIGURATION, "GetActivity"): _get_activity,
    _path(*_TASKS, "ListReservations"): _list_reservations,
    _path(*_TASKS, "GetReservation"): _reservation,
    _path(*_TASKS, "UpdateReservation"): _reservation,
    _path(*_TASKS, "GetTask"): _get_task,
    _path(*_TASKS, "ListTasks"): _list_tasks,
    _path(*_TASKS, "UpdateTask"): _update_task,
    _path(*_TASKS, "WatchWorker"): _watch_worker,
}


def authorize(caller: Caller, method: str, request: Message) -> None:
    """Raises unless a worker token may make this call; may narrow the request to the worker's
    own resources (list filters). Account callers pass untouched."""
    if not caller.is_worker:
        return
    check = ALLOWED.get(method)
    if check is None:
        raise denied(f"call {method.rsplit('/', 1)[-1]}")
    check(caller, request)
