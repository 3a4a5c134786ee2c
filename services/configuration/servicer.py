"""ConfigurationService: workspaces, activities and task queues."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import grpc

from taskrouter.server import messages
from taskrouter.server.blocking import BlockingCalls
from taskrouter.server.errors import missing
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response, statistics_query
from taskrouter.server.routing import activities, queues, scope, task_channels, workspaces
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.statistics import reports
from taskrouter.server.routing.statistics.feed import COALESCE_SECONDS, REFRESH_SECONDS, StatisticsFeed
from taskrouter.server.streams import EventSignal
from taskrouter.v1 import configuration_service_pb2 as api
from taskrouter.v1 import configuration_service_pb2_grpc as api_grpc
from taskrouter.v1 import resources_pb2 as resources
from taskrouter.v1 import statistics_pb2


def _one(convert, row):
    return convert([row])[0]


def _presence(request: api.CreateWorkspaceRequest | api.UpdateWorkspaceRequest) -> workspaces.PresenceSettings:
    return workspaces.PresenceSettings(activity_sid=optional(request, "disconnect_activity_sid"),
                                       activity_name=optional(request, "disconnect_activity_name"),
                                       grace_seconds=optional(request, "disconnect_grace_seconds"))


def _queue_order(request: api.CreateWorkspaceRequest | api.UpdateWorkspaceRequest) -> str | None:
    """Either spelling the seed uses."""
    return optional(request, "prioritize_queue_order") or optional(request, "priortize_queue_order")


def _queue_settings(request: api.CreateTaskQueueRequest | api.UpdateTaskQueueRequest,
                    name: str | None) -> queues.QueueSettings:
    return queues.QueueSettings(
        name=name,
        assignment_activity_sid=optional(request, "assignment_activity_sid"),
        reservation_activity_sid=optional(request, "reservation_activity_sid"),
        target_workers=optional(request, "target_workers"), task_order=optional(request, "task_order"),
        max_reserved_workers=optional(request, "max_reserved_workers"),
        wrap_up_timeout=optional(request, "wrap_up_timeout"),
    )


class ConfigurationServicer(api_grpc.ConfigurationServiceServicer):
    def __init__(self, env: Environment, feed: StatisticsFeed, signal: EventSignal, blocking: BlockingCalls):
        self.env = env
        self.feed = feed
        self.signal = signal
        self.blocking = blocking

    # Workspaces

    def CreateWorkspace(self, request: api.CreateWorkspaceRequest,
                        context: grpc.aio.ServicerContext) -> resources.Workspace:
        row = workspaces.create(self.env, caller(), request.enterprise_sid, workspaces.WorkspaceSettings(
            name=request.name, queue_order=_queue_order(request),
            multi_task_enabled=optional(request, "multi_task_enabled"),
            event_callback_url=optional(request, "event_callback_url"), presence=_presence(request),
        ))
        return _one(messages.workspaces, row)

    def GetWorkspace(self, request: api.GetWorkspaceRequest, context: grpc.aio.ServicerContext) -> resources.Workspace:
        return _one(messages.workspaces, workspaces.get(caller(), request.sid))

    def ListWorkspaces(self, request: api.ListWorkspacesRequest,
                       context: grpc.aio.ServicerContext) -> api.ListWorkspacesResponse:
        page = workspaces.list_workspaces(caller(), list_params(request))
        return page_response(api.ListWorkspacesResponse, page, messages.workspaces)

    def UpdateWorkspace(self, request: api.UpdateWorkspaceRequest,
                        context: grpc.aio.ServicerContext) -> resources.Workspace:
        row = workspaces.update(self.env, caller(), request.sid, workspaces.WorkspaceSettings(
            name=optional(request, "name"), queue_order=_queue_order(request),
            multi_task_enabled=optional(request, "multi_task_enabled"),
            event_callback_url=optional(request, "event_callback_url"),
            timeout_activity_sid=optional(request, "timeout_activity_sid"),
            timeout_activity_name=optional(request, "timeout_activity_name"),
            default_activity_sid=optional(request, "default_activity_sid"),
            default_activity_name=optional(request, "default_activity_name"),
            presence=_presence(request),
        ))
        return _one(messages.workspaces, row)

    def DeleteWorkspace(self, request: api.DeleteWorkspaceRequest,
                        context: grpc.aio.ServicerContext) -> resources.Workspace:
        return _one(messages.workspaces, workspaces.delete(self.env, caller(), request.sid))

    # Activities

    def CreateActivity(self, request: api.CreateActivityRequest,
                       context: grpc.aio.ServicerContext) -> resources.Activity:
        row = activities.create(self.env, caller(), request.workspace_sid, request.name, optional(request, "available"))
        return _one(messages.activities, row)

    def GetActivity(self, request: api.GetActivityRequest, context: grpc.aio.ServicerContext) -> resources.Activity:
        return _one(messages.activities, activities.get(caller(), request.sid))

    def ListActivities(self, request: api.ListActivitiesRequest,
                       context: grpc.aio.ServicerContext) -> api.ListActivitiesResponse:
        available = optional(request, "available")
        params = list_params(request, workspaceSid=request.workspace_sid, available=available)
        page = activities.list_activities(caller(), params, request.workspace_sid, available)
        return page_response(api.ListActivitiesResponse, page, messages.activities)

    def UpdateActivity(self, request: api.UpdateActivityRequest,
                       context: grpc.aio.ServicerContext) -> resources.Activity:
        row = activities.update(self.env, caller(), request.sid, optional(request, "name"),
                                optional(request, "available"))
        return _one(messages.activities, row)

    def DeleteActivity(self, request: api.DeleteActivityRequest,
                       context: grpc.aio.ServicerContext) -> resources.Activity:
        return _one(messages.activities, activities.delete(caller(), request.sid))

    # Task queues

    def CreateTaskQueue(self, request: api.CreateTaskQueueRequest,
                        context: grpc.aio.ServicerContext) -> resources.TaskQueue:
        row = queues.create(self.env, caller(), request.workspace_sid, _queue_settings(request, request.name))
        return _one(messages.task_queues, row)

    def GetTaskQueue(self, request: api.GetTaskQueueRequest, context: grpc.aio.ServicerContext) -> resources.TaskQueue:
        return _one(messages.task_queues, queues.get(caller(), request.sid))

    def ListTaskQueues(self, request: api.ListTaskQueuesRequest,
                       context: grpc.aio.ServicerContext) -> api.ListTaskQueuesResponse:
        params = list_params(request, workspaceSid=request.workspace_sid)
        page = queues.list_queues(caller(), params, request.workspace_sid)
        return page_response(api.ListTaskQueuesResponse, page, messages.task_queues)

    def UpdateTaskQueue(self, request: api.UpdateTaskQueueRequest,
                        context: grpc.aio.ServicerContext) -> resources.TaskQueue:
        row = queues.update(self.env, caller(), request.sid, _queue_settings(request, optional(request, "name")))
        return _one(messages.task_queues, row)

    def DeleteTaskQueue(self, request: api.DeleteTaskQueueRequest,
                        context: grpc.aio.ServicerContext) -> resources.TaskQueue:
        return _one(messages.task_queues, queues.delete(caller(), request.sid))

    # Task channels

    def CreateTaskChannel(self, request: api.CreateTaskChannelRequest,
                          context: grpc.aio.ServicerContext) -> resources.TaskChannel:
        row = task_channels.create(self.env, caller(), request.workspace_sid, request.name, request.unique_name)
        return _one(messages.task_channels, row)

    def GetTaskChannel(self, request: api.GetTaskChannelRequest,
                       context: grpc.aio.ServicerContext) -> resources.TaskChannel:
        return _one(messages.task_channels, task_channels.get(caller(), request.sid))

    def ListTaskChannels(self, request: api.ListTaskChannelsRequest,
                         context: grpc.aio.ServicerContext) -> api.ListTaskChannelsResponse:
        params = list_params(request, workspaceSid=request.workspace_sid, uniqueName=request.unique_name)
        page = task_channels.list_channels(caller(), params, request.workspace_sid, request.unique_name)
        return page_response(api.ListTaskChannelsResponse, page, messages.task_channels)

    def UpdateTaskChannel(self, request: api.UpdateTaskChannelRequest,
                          context: grpc.aio.ServicerContext) -> resources.TaskChannel:
        row = task_channels.update(self.env, caller(), request.sid, name=optional(request, "name"),
                                   unique_name=optional(request, "unique_name"))
        return _one(messages.task_channels, row)

    def DeleteTaskChannel(self, request: api.DeleteTaskChannelRequest,
                          context: grpc.aio.ServicerContext) -> resources.TaskChannel:
        return _one(messages.task_channels, task_channels.delete(self.env, caller(), request.sid))

    # Statistics

    def GetWorkspaceStatistics(self, request: statistics_pb2.GetWorkspaceStatisticsRequest,
                               context: grpc.aio.ServicerContext
                               ) -> statistics_pb2.Statistics:
        report = reports.workspace(caller(), request.sid, self.env.clock.now(), statistics_query(request))
        return statistics_pb2.Statistics(**report)

    def GetTaskQueueStatistics(self, request: statistics_pb2.GetTaskQueueStatisticsRequest,
                               context: grpc.aio.ServicerContext
                               ) -> statistics_pb2.Statistics:
        report = reports.task_queue(caller(), request.sid, self.env.clock.now(), statistics_query(request))
        return statistics_pb2.Statistics(**report)

    async def WatchStatistics(self, request: statistics_pb2.WatchStatisticsRequest, context: grpc.aio.ServicerContext
                              ) -> AsyncIterator[statistics_pb2.StatisticsUpdate]:
        """The workspace's live statistics now, then whenever they change, coalesced. Between
        updates it awaits the workspace's signal (or the refresh) and holds no thread."""
        who = caller()
        if not scope.clean_sid(request.workspace_sid):
            raise missing("workspaceSid")
        workspace = await self.blocking.run(workspaces.get, who, request.workspace_sid)
        await context.send_initial_metadata(())  # the stream is open: HTTP clients get their 200 now
        sent = 0
        while True:
            seen = self.signal.version(workspace.sid)
            version, update = await self.blocking.run(self.feed.latest, workspace.sid, seen)
            if version != sent:
                sent = version
                yield statistics_pb2.StatisticsUpdate(**update)
                await asyncio.sleep(COALESCE_SECONDS)  # the changes meanwhile go out as one update
            await self.signal.wait(workspace.sid, seen, REFRESH_SECONDS)
