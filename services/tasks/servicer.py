"""TaskService: tasks, reservations and the event log."""

from __future__ import annotations

import threading

from taskrouter.server import messages
from taskrouter.server.errors import missing
from taskrouter.server.ingress.servicer import IngressMethods
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response
from taskrouter.server.routing import events, reservations, scope, tasks, workers
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.presence import Presence
from taskrouter.server.store import models
from taskrouter.v1 import task_service_pb2 as api
from taskrouter.v1 import task_service_pb2_grpc as api_grpc

WATCH_POLL_SECONDS = 0.5  # also picks up events written by other processes
# Initial metadata of an event stream: the id it starts after, so a client that saw no event yet
# can still resume without a gap (the SDK does).
POSITION_METADATA = "taskrouter-last-event-id"


class EventSignal:
    """Wakes event streams when this process appends events. A stream notes `count` before it
    reads, and waits for a later one: events written in between cannot be missed."""

    def __init__(self):
        self._condition = threading.Condition()
        self.count = 0

    def fire(self) -> None:
        with self._condition:
            self.count += 1
            self._condition.notify_all()

    def wait(self, seen: int, timeout: float) -> None:
        with self._condition:
            self._condition.wait_for(lambda: self.count != seen, timeout)


class TaskServicer(IngressMethods, api_grpc.TaskServiceServicer):
    def __init__(self, env: Environment, signal: EventSignal, presence: Presence):
        self.env = env
        self.signal = signal
        self.presence = presence

    def _tasks(self, rows):
        return messages.tasks(rows, self.env.clock.now())

    def CreateTask(self, request, context):
        row = tasks.create(
            self.env, caller(), workflow_sid=request.workflow_sid, workspace_sid=request.workspace_sid,
            timeout=optional(request, "timeout"), priority=optional(request, "priority"),
            attributes=optional(request, "attributes"), task_channel=optional(request, "task_channel"),
            bypass_reserved_state=request.bypass_reserved_state,
        )
        return self._tasks([row])[0]

    def GetTask(self, request, context):
        return self._tasks([tasks.get(caller(), request.sid)])[0]

    def ListTasks(self, request, context):
        live = optional(request, "is_live_session")
        params = list_params(request, workspaceSid=request.workspace_sid, isLiveSession=live,
                             assignmentStatus=request.assignment_status, workflowSid=request.workflow_sid,
                             taskQueueSid=request.task_queue_sid, workerSid=request.worker_sid)
        page = tasks.list_tasks(caller(), params, workspace_sid=request.workspace_sid, is_live_session=live,
                                assignment_status=request.assignment_status, workflow_sid=request.workflow_sid,
                                task_queue_sid=request.task_queue_sid, worker_sid=request.worker_sid)
        return page_response(api.ListTasksResponse, page, self._tasks)

    def UpdateTask(self, request, context):
        row = tasks.update(self.env, caller(), request.sid, attributes=optional(request, "attributes"),
                           assignment_status=optional(request, "assignment_status"),
                           reason=optional(request, "reason"), priority=optional(request, "priority"))
        return self._tasks([row])[0]

    def DeleteTask(self, request, context):
        return self._tasks([tasks.delete(self.env, caller(), request.sid)])[0]

    def GetReservation(self, request, context):
        return messages.reservations([reservations.get(caller(), request.sid)])[0]

    def ListReservations(self, request, context):
        params = list_params(request, workspaceSid=request.workspace_sid, taskSid=request.task_sid,
                             workerSid=request.worker_sid, reservationStatus=request.reservation_status)
        page = reservations.list_reservations(caller(), params, workspace_sid=request.workspace_sid,
                                              task_sid=request.task_sid, worker_sid=request.worker_sid,
                                              status=request.reservation_status)
        return page_response(api.ListReservationsResponse, page, messages.reservations)

    def UpdateReservation(self, request, context):
        row = reservations.update(self.env, caller(), request.sid, request.reservation_status,
                                  optional(request, "worker_activity_sid"))
        return messages.reservations([row])[0]

    def ListEvents(self, request, context):
        params = list_params(request, workspaceSid=request.workspace_sid, eventType=request.event_type,
                             resourceSid=request.resource_sid)
        page = events.list_events(caller().enterprise_sid, params, scope.clean_sid(request.workspace_sid),
                                  request.event_type.strip(), scope.clean_sid(request.resource_sid))
        return page_response(api.ListEventsResponse, page, messages.events)

    def WatchEvents(self, request, context):
        """Streams the workspace's events after `after_id` (0: from now on) until the client leaves."""
        who = caller()
        if not scope.clean_sid(request.workspace_sid):
            raise missing("workspaceSid")
        workspace = scope.get(models.Workspace, request.workspace_sid, who.enterprise_sid)
        after = request.after_id or events.last_event_id()
        context.send_initial_metadata(((POSITION_METADATA, str(after)),))  # open: HTTP clients get their 200 now
        yield from self._follow(context, after, lambda after_id: events.events_after(
            who.enterprise_sid, workspace.sid, after_id, request.event_type.strip()))

    def WatchWorker(self, request, context):
        """Streams one worker's events after `after_id` (0: from now on); while it is open the worker
        is connected (routing/presence.py)."""
        worker = workers.get(caller(), request.sid)
        after = request.after_id or events.last_event_id()
        connection = self.presence.opened(worker)
        context.add_callback(lambda: self.presence.closed(connection))  # at once when the client leaves
        try:
            context.send_initial_metadata(((POSITION_METADATA, str(after)),))
            yield from self._follow(context, after, lambda after_id: events.worker_events_after(worker.sid, after_id))
        finally:
            self.presence.closed(connection)

    def _follow(self, context, after: int, read):
        """Yields the events `read(after)` finds, for as long as the client stays."""
        while context.is_active():
            seen = self.signal.count
            rows = read(after)
            yield from messages.events(rows)
            if rows:
                after = rows[-1].id
            else:
                self.signal.wait(seen, WATCH_POLL_SECONDS)
