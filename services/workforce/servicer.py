"""WorkforceService: workers."""

from __future__ import annotations

from taskrouter.server import messages, worker_tokens
from taskrouter.server.clock import format_time
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response
from taskrouter.server.routing import workers
from taskrouter.server.routing.context import Environment
from taskrouter.v1 import resources_pb2 as resources
from taskrouter.v1 import workforce_service_pb2 as api
from taskrouter.v1 import workforce_service_pb2_grpc as api_grpc


class WorkforceServicer(api_grpc.WorkforceServiceServicer):
    def __init__(self, env: Environment):
        self.env = env

    def CreateWorker(self, request: api.CreateWorkerRequest, context) -> resources.Worker:
        row = workers.create(self.env, caller(), request.workspace_sid, request.name,
                             activity_sid=optional(request, "activity_sid"),
                             attributes=optional(request, "attributes"), capacity=optional(request, "capacity"))
        return messages.workers([row])[0]

    def GetWorker(self, request: api.GetWorkerRequest, context) -> resources.Worker:
        return messages.workers([workers.get(caller(), request.sid)])[0]

    def ListWorkers(self, request: api.ListWorkersRequest, context) -> api.ListWorkersResponse:
        available = optional(request, "available")
        filters = {
            "workspaceSid": request.workspace_sid, "activityName": request.activity_name,
            "activitySid": request.activity_sid, "available": available,
            "targetWorkerExpression": request.target_worker_expression, "taskQueueSid": request.task_queue_sid,
            "taskQueueName": request.task_queue_name,
        }
        page = workers.list_workers(
            caller(), list_params(request, **filters), workspace_sid=request.workspace_sid,
            activity_name=request.activity_name, activity_sid=request.activity_sid, available=available,
            target_worker_expression=request.target_worker_expression, task_queue_sid=request.task_queue_sid,
            task_queue_name=request.task_queue_name,
        )
        return page_response(api.ListWorkersResponse, page, messages.workers)

    def UpdateWorker(self, request: api.UpdateWorkerRequest, context) -> resources.Worker:
        row = workers.update(self.env, caller(), request.sid, name=optional(request, "name"),
                             activity_sid=optional(request, "activity_sid"),
                             attributes=optional(request, "attributes"), capacity=optional(request, "capacity"))
        return messages.workers([row])[0]

    def DeleteWorker(self, request: api.DeleteWorkerRequest, context) -> resources.Worker:
        return messages.workers([workers.delete(self.env, caller(), request.sid)])[0]

    def CreateWorkerToken(self, request, context):
        token, row = worker_tokens.issue(self.env, caller(), request.sid, optional(request, "ttl"))
        return api.WorkerToken(token=token, worker_sid=row.worker_sid, expires_at=format_time(row.expires_at))

    def RevokeWorkerTokens(self, request, context):
        worker_sid, revoked = worker_tokens.revoke(self.env, caller(), request.sid)
        return api.RevokeWorkerTokensResponse(worker_sid=worker_sid, revoked=revoked)
