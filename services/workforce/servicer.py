"""WorkforceService: workers."""

from __future__ import annotations

import grpc

from taskrouter.server import messages, worker_tokens
from taskrouter.server.clock import format_time
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response, statistics_query
from taskrouter.server.routing import worker_channels, workers
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.statistics import reports
from taskrouter.v1 import resources_pb2 as resources
from taskrouter.v1 import statistics_pb2
from taskrouter.v1 import workforce_service_pb2 as api
from taskrouter.v1 import workforce_service_pb2_grpc as api_grpc


class WorkforceServicer(api_grpc.WorkforceServiceServicer):
    def __init__(self, env: Environment):
        self.env = env

    def CreateWorker(self, request: api.CreateWorkerRequest, context: grpc.aio.ServicerContext) -> resources.Worker:
        row = workers.create(self.env, caller(), request.workspace_sid, request.name,
                             activity_sid=optional(request, "activity_sid"),
                             attributes=optional(request, "attributes"), capacity=optional(request, "capacity"))
        return messages.workers([row])[0]

    def GetWorker(self, request: api.GetWorkerRequest, context: grpc.aio.ServicerContext) -> resources.Worker:
        return messages.workers([workers.get(caller(), request.sid)])[0]

    def ListWorkers(self, request: api.ListWorkersRequest,
                    context: grpc.aio.ServicerContext) -> api.ListWorkersResponse:
        available = optional(request, "available")
        filters = {
            "workspaceSid": request.workspace_sid, "activityName": request.activity_name,
            "activitySid": request.activity_sid, "available": available,
            "targetWorkerExpression": request.target_worker_expression, "taskQueueSid": request.task_queue_sid,
            "taskQueueName": request.task_queue_name,
        }
        page = workers.list_workers(caller(), list_params(request, **filters), workers.WorkerFilter(
            workspace_sid=request.workspace_sid, activity_name=request.activity_name,
            activity_sid=request.activity_sid, available=available,
            target_worker_expression=request.target_worker_expression, task_queue_sid=request.task_queue_sid,
            task_queue_name=request.task_queue_name,
        ))
        return page_response(api.ListWorkersResponse, page, messages.workers)

    def UpdateWorker(self, request: api.UpdateWorkerRequest, context: grpc.aio.ServicerContext) -> resources.Worker:
        row = workers.update(self.env, caller(), request.sid, name=optional(request, "name"),
                             activity_sid=optional(request, "activity_sid"),
                             attributes=optional(request, "attributes"), capacity=optional(request, "capacity"))
        return messages.workers([row])[0]

    def DeleteWorker(self, request: api.DeleteWorkerRequest, context: grpc.aio.ServicerContext) -> resources.Worker:
        return messages.workers([workers.delete(self.env, caller(), request.sid)])[0]

    def GetWorkerChannel(self, request: api.GetWorkerChannelRequest,
                         context: grpc.aio.ServicerContext) -> resources.WorkerChannel:
        return messages.worker_channels([worker_channels.get(caller(), request.sid)])[0]

    def ListWorkerChannels(self, request: api.ListWorkerChannelsRequest,
                           context: grpc.aio.ServicerContext) -> api.ListWorkerChannelsResponse:
        available = optional(request, "available")
        params = list_params(request, workspaceSid=request.workspace_sid, workerSid=request.worker_sid,
                             taskChannel=request.task_channel, available=available)
        page = worker_channels.list_worker_channels(caller(), params, workspace_sid=request.workspace_sid,
                                                    worker_sid=request.worker_sid, task_channel=request.task_channel,
                                                    available=available)
        return page_response(api.ListWorkerChannelsResponse, page, messages.worker_channels)

    def UpdateWorkerChannel(self, request: api.UpdateWorkerChannelRequest,
                            context: grpc.aio.ServicerContext) -> resources.WorkerChannel:
        row = worker_channels.update(self.env, caller(), request.sid, capacity=optional(request, "capacity"),
                                     available=optional(request, "available"))
        return messages.worker_channels([row])[0]

    def GetWorkerStatistics(self, request: statistics_pb2.GetWorkerStatisticsRequest, context: grpc.aio.ServicerContext
                            ) -> statistics_pb2.WorkerStatistics:
        report = reports.worker(caller(), request.sid, self.env.clock.now(), statistics_query(request))
        return statistics_pb2.WorkerStatistics(**report)

    def CreateWorkerToken(self, request: api.CreateWorkerTokenRequest,
                          context: grpc.aio.ServicerContext) -> api.WorkerToken:
        token, row = worker_tokens.issue(self.env, caller(), request.sid, optional(request, "ttl"))
        return api.WorkerToken(token=token, worker_sid=row.worker_sid, expires_at=format_time(row.expires_at))

    def RevokeWorkerTokens(self, request: api.RevokeWorkerTokensRequest, context: grpc.aio.ServicerContext
                           ) -> api.RevokeWorkerTokensResponse:
        worker_sid, revoked = worker_tokens.revoke(self.env, caller(), request.sid)
        return api.RevokeWorkerTokensResponse(worker_sid=worker_sid, revoked=revoked)
