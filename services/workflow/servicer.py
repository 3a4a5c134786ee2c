"""WorkflowService: workflows."""

from __future__ import annotations

import grpc

from taskrouter.server import messages
from taskrouter.server.interceptor import caller
from taskrouter.server.messages import list_params, optional, page_response, statistics_query
from taskrouter.server.routing import workflows
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.statistics import reports
from taskrouter.v1 import resources_pb2 as resources
from taskrouter.v1 import statistics_pb2
from taskrouter.v1 import workflow_service_pb2 as api
from taskrouter.v1 import workflow_service_pb2_grpc as api_grpc


def _reservation_timeout(request):
    """Either spelling the seed uses; the correct one wins when both are given."""
    value = optional(request, "task_reservation_timeout")
    return value if value is not None else optional(request, "task_reservationn_timeout")


class WorkflowServicer(api_grpc.WorkflowServiceServicer):
    def __init__(self, env: Environment):
        self.env = env

    def CreateWorkflow(self, request: api.CreateWorkflowRequest,
                       context: grpc.aio.ServicerContext) -> resources.Workflow:
        row = workflows.create(self.env, caller(), request.workspace_sid, workflows.WorkflowSettings(
            name=request.name, configuration=optional(request, "configuration"),
            assignment_callback_url=request.assignment_callback_url,
            fallback_assignment_callback_url=request.fallback_assignment_callback_url,
            task_reservation_timeout=_reservation_timeout(request),
        ))
        return messages.workflows([row])[0]

    def GetWorkflow(self, request: api.GetWorkflowRequest, context: grpc.aio.ServicerContext) -> resources.Workflow:
        return messages.workflows([workflows.get(caller(), request.sid)])[0]

    def ListWorkflows(self, request: api.ListWorkflowsRequest,
                      context: grpc.aio.ServicerContext) -> api.ListWorkflowsResponse:
        params = list_params(request, workspaceSid=request.workspace_sid)
        page = workflows.list_workflows(caller(), params, request.workspace_sid)
        return page_response(api.ListWorkflowsResponse, page, messages.workflows)

    def UpdateWorkflow(self, request: api.UpdateWorkflowRequest,
                       context: grpc.aio.ServicerContext) -> resources.Workflow:
        row = workflows.update(self.env, caller(), request.sid, workflows.WorkflowSettings(
            name=optional(request, "name"), configuration=optional(request, "configuration"),
            assignment_callback_url=optional(request, "assignment_callback_url"),
            fallback_assignment_callback_url=optional(request, "fallback_assignment_callback_url"),
            task_reservation_timeout=_reservation_timeout(request),
            re_evaluate_tasks=bool(optional(request, "re_evaluate_tasks")),
        ))
        return messages.workflows([row])[0]

    def DeleteWorkflow(self, request: api.DeleteWorkflowRequest,
                       context: grpc.aio.ServicerContext) -> resources.Workflow:
        return messages.workflows([workflows.delete(caller(), request.sid)])[0]

    def GetWorkflowStatistics(self, request: statistics_pb2.GetWorkflowStatisticsRequest,
                              context: grpc.aio.ServicerContext
                              ) -> statistics_pb2.Statistics:
        report = reports.workflow(caller(), request.sid, self.env.clock.now(), statistics_query(request))
        return statistics_pb2.Statistics(**report)
