"""TaskService: tasks, reservations and the event log."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Callable

import grpc

from taskrouter.server import messages
from taskrouter.server.blocking import BlockingCalls
from taskrouter.server.errors import missing
from taskrouter.server.ingress.servicer import IngressMethods
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response
from taskrouter.server.routing import events, reservations, scope, tasks, transfers, workers, workspaces
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.presence import Presence
from taskrouter.server.store import models
from taskrouter.server.streams import EventSignal
from taskrouter.v1 import resources_pb2 as resources
from taskrouter.v1 import task_service_pb2 as api
from taskrouter.v1 import task_service_pb2_grpc as api_grpc

# Initial metadata of an event stream: the position it starts after, so a client that saw no event
# yet can still resume without a gap (the SDK does).
POSITION_METADATA = "taskrouter-last-event-id"


class TaskServicer(IngressMethods, api_grpc.TaskServiceServicer):
    def __init__(self, env: Environment, signal: EventSignal, blocking: BlockingCalls, poll_seconds: float,
                 presence: Presence):
        self.env = env
        self.signal = signal
        self.blocking = blocking
        self.poll_seconds = poll_seconds  # the safety net: wake-ups (streams.py, wake.py) come first
        self.presence = presence

    def _tasks(self, rows):
        return messages.tasks(rows, self.env.clock.now())

    def CreateTask(self, request: api.CreateTaskRequest, context: grpc.aio.ServicerContext) -> resources.Task:
        row = tasks.create(self.env, caller(), tasks.NewTask(
            workflow_sid=request.workflow_sid, workspace_sid=request.workspace_sid,
            attributes=optional(request, "attributes"), timeout=optional(request, "timeout"),
            priority=optional(request, "priority"), task_channel=optional(request, "task_channel"),
            bypass_reserved_state=request.bypass_reserved_state,
            scheduled_at=tasks.scheduled_time(optional(request, "scheduled_time")),
        ))
        return self._tasks([row])[0]

    def GetTask(self, request: api.GetTaskRequest, context: grpc.aio.ServicerContext) -> resources.Task:
        return self._tasks([tasks.get(caller(), request.sid)])[0]

    def ListTasks(self, request: api.ListTasksRequest, context: grpc.aio.ServicerContext) -> api.ListTasksResponse:
        live = optional(request, "is_live_session")
        params = list_params(request, workspaceSid=request.workspace_sid, isLiveSession=live,
                             assignmentStatus=request.assignment_status, workflowSid=request.workflow_sid,
                             taskQueueSid=request.task_queue_sid, taskChannel=request.task_channel,
                             workerSid=request.worker_sid)
        page = tasks.list_tasks(caller(), params, tasks.TaskFilter(
            workspace_sid=request.workspace_sid, is_live_session=live, assignment_status=request.assignment_status,
            workflow_sid=request.workflow_sid, task_queue_sid=request.task_queue_sid,
            task_channel=request.task_channel, worker_sid=request.worker_sid,
        ))
        return page_response(api.ListTasksResponse, page, self._tasks)

    def UpdateTask(self, request: api.UpdateTaskRequest, context: grpc.aio.ServicerContext) -> resources.Task:
        row = tasks.update(self.env, caller(), request.sid, tasks.TaskChanges(
            attributes=optional(request, "attributes"), assignment_status=optional(request, "assignment_status"),
            reason=optional(request, "reason"), priority=optional(request, "priority"),
            task_queue_sid=optional(request, "task_queue_sid"),
        ))
        return self._tasks([row])[0]

    def DeleteTask(self, request: api.DeleteTaskRequest, context: grpc.aio.ServicerContext) -> resources.Task:
        return self._tasks([tasks.delete(self.env, caller(), request.sid)])[0]

    def GetReservation(self, request: api.GetReservationRequest,
                       context: grpc.aio.ServicerContext) -> resources.Reservation:
        return messages.reservations([reservations.get(caller(), request.sid)])[0]

    def ListReservations(self, request: api.ListReservationsRequest,
                         context: grpc.aio.ServicerContext) -> api.ListReservationsResponse:
        params = list_params(request, workspaceSid=request.workspace_sid, taskSid=request.task_sid,
                             workerSid=request.worker_sid, reservationStatus=request.reservation_status,
                             taskChannel=request.task_channel)
        page = reservations.list_reservations(caller(), params, workspace_sid=request.workspace_sid,
                                              task_sid=request.task_sid, worker_sid=request.worker_sid,
                                              status=request.reservation_status, task_channel=request.task_channel)
        return page_response(api.ListReservationsResponse, page, messages.reservations)

    def UpdateReservation(self, request: api.UpdateReservationRequest,
                          context: grpc.aio.ServicerContext) -> resources.Reservation:
        row = reservations.update(self.env, caller(), request.sid, request.reservation_status,
                                  optional(request, "worker_activity_sid"))
        return messages.reservations([row])[0]

    def CreateTransfer(self, request: api.CreateTransferRequest,
                       context: grpc.aio.ServicerContext) -> resources.Transfer:
        row = transfers.create(self.env, caller(), request.task_sid, request.to, request.mode)
        return messages.transfers([row])[0]

    def GetTransfer(self, request: api.GetTransferRequest, context: grpc.aio.ServicerContext) -> resources.Transfer:
        return messages.transfers([transfers.get(caller(), request.sid)])[0]

    def ListTransfers(self, request: api.ListTransfersRequest,
                      context: grpc.aio.ServicerContext) -> api.ListTransfersResponse:
        params = list_params(request, workspaceSid=request.workspace_sid, taskSid=request.task_sid,
                             transferStatus=request.transfer_status)
        page = transfers.list_transfers(caller(), params, workspace_sid=request.workspace_sid,
                                        task_sid=request.task_sid, status=request.transfer_status)
        return page_response(api.ListTransfersResponse, page, messages.transfers)

    def UpdateTransfer(self, request: api.UpdateTransferRequest,
                       context: grpc.aio.ServicerContext) -> resources.Transfer:
        return messages.transfers([transfers.update(self.env, caller(), request.sid, request.transfer_status)])[0]

    def ListEvents(self, request: api.ListEventsRequest, context: grpc.aio.ServicerContext) -> api.ListEventsResponse:
        params = list_params(request, workspaceSid=request.workspace_sid, eventType=request.event_type,
                             resourceSid=request.resource_sid)
        page = events.list_events(caller().enterprise_sid, params, scope.clean_sid(request.workspace_sid),
                                  request.event_type.strip(), scope.clean_sid(request.resource_sid))
        return page_response(api.ListEventsResponse, page, messages.events)

    async def WatchEvents(self, request: api.WatchEventsRequest,
                          context: grpc.aio.ServicerContext) -> AsyncIterator[resources.Event]:
        """Streams the workspace's events after `after_id` (0: from now on) until the client leaves.
        Between reads it awaits its workspace's signal and holds no thread."""
        who = caller()
        if not scope.clean_sid(request.workspace_sid):
            raise missing("workspaceSid")
        workspace = await self.blocking.run(workspaces.get, who, request.workspace_sid)
        after = await self._start(request.after_id, workspace.sid)
        await context.send_initial_metadata(((POSITION_METADATA, str(after)),))  # open: HTTP clients get their 200
        event_type = request.event_type.strip()
        async for message in self._follow(workspace.sid, after, lambda position: events.events_after(
                who.enterprise_sid, workspace.sid, position, event_type)):
            yield message

    async def WatchWorker(self, request: api.WatchWorkerRequest,
                          context: grpc.aio.ServicerContext) -> AsyncIterator[resources.Event]:
        """Streams one worker's events after `after_id` (0: from now on); while it is open the worker
        is connected (routing/presence.py)."""
        worker = await self.blocking.run(workers.get, caller(), request.sid)
        after = await self._start(request.after_id, worker.workspace_sid)
        connection = await self.blocking.run(self.presence.opened, worker)
        try:
            await context.send_initial_metadata(((POSITION_METADATA, str(after)),))
            async for message in self._follow(worker.workspace_sid, after,
                                              lambda position: events.worker_events_after(worker.sid, position)):
                yield message
        finally:  # the client left (the call is canceled) or the server stops: the lease ends now
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):  # RuntimeError: the pool has stopped
                await asyncio.shield(self.blocking.run(self.presence.closed, connection))

    async def _start(self, after_id: int, workspace_sid: str) -> int:
        """The position a stream starts after: `after_id`; 0 is the workspace's last event (from now
        on); a negative one is its very start (a client resuming before any event came)."""
        if after_id > 0:
            return after_id
        return 0 if after_id < 0 else await self.blocking.run(events.last_position, workspace_sid)

    async def _follow(self, workspace_sid: str, after: int,
                      read: Callable[[int], list[models.Event]]) -> AsyncIterator[resources.Event]:
        """Yields the events `read(after)` finds, in order, for as long as the client stays; between
        reads it awaits the workspace's signal and holds no thread."""
        while True:
            seen = self.signal.version(workspace_sid)
            rows = await self.blocking.run(read, after)
            for message in messages.events(rows):
                yield message
            if rows:
                after = rows[-1].seq  # type: ignore[assignment]  # NULL only while a migration numbers old rows
            else:
                # spread: streams opened together must not all read again at the same moment
                await self.signal.wait(workspace_sid, seen, self.poll_seconds * random.uniform(0.75, 1.25))
