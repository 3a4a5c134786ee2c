"""The ingress RPCs of TaskService, as a mixin: TaskServicer(IngressMethods, ...) gets them.
Domain code is in genesys.py, connect.py and egain*.py, which take the plain values translation.py
makes of the requests; authentication is the interceptor's (Basic, or SigV4 via sigv4_accounts.py)."""

from __future__ import annotations

import base64
import binascii
import json

import grpc

from taskrouter.server.errors import invalid
from taskrouter.server.ingress import connect, egain, egain_config, genesys, sigv4_accounts, translation
from taskrouter.server.interceptor import caller
from taskrouter.server.routing.context import Environment
from taskrouter.v1 import task_service_pb2 as api


def _basic_token(context: grpc.aio.ServicerContext) -> str | None:
    header = next((v for k, v in context.invocation_metadata() if k == "authorization"), "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode().partition(":")[2].strip() or None
    except (binascii.Error, UnicodeDecodeError):
        return None


class IngressMethods:
    """Needs `self.env` (the TaskServicer's Environment)."""

    env: Environment

    def StartGenesysService(self, request: api.StartGenesysServiceRequest,
                            context: grpc.aio.ServicerContext) -> api.GenesysService:
        row = genesys.start_service(self.env, caller(), translation.service_start(request))
        return api.GenesysService(service_id=row.id, workspace_sid=row.workspace_sid, workflow_sid=row.workflow_sid)

    def StartGenesysTask(self, request: api.StartGenesysTaskRequest,
                         context: grpc.aio.ServicerContext) -> api.GenesysTaskStarted:
        row, task_sid = genesys.start_task(self.env, caller(), translation.task_start(request))
        return api.GenesysTaskStarted(task_id=row.id, service_id=row.service_id, task_sid=task_sid)

    def CreateGenesysTaskExtensionSchema(self, request: api.CreateGenesysTaskExtensionSchemaRequest,
                                         context: grpc.aio.ServicerContext) -> api.GenesysExtensionSchema:
        row = genesys.create_extension_schema(self.env, caller(), translation.schema_definition(request))
        attributes = [api.GenesysExtensionAttribute(**a) for a in json.loads(row.attributes)]
        return api.GenesysExtensionSchema(name=row.name, attributes=attributes, single_valued=row.single_valued)

    def EnableSigV4(self, request: api.EnableSigV4Request, context: grpc.aio.ServicerContext) -> api.SigV4Credentials:
        who = caller()
        token = _basic_token(context)
        if token is None:
            raise invalid("authorization", "EnableSigV4 takes Basic credentials (account SID and auth token)")
        sigv4_accounts.enable(who.account_sid, token, self.env.clock.now())
        return api.SigV4Credentials(access_key_id=who.account_sid)

    def StartTaskContact(self, request: api.StartTaskContactRequest,
                         context: grpc.aio.ServicerContext) -> api.StartTaskContactResponse:
        return api.StartTaskContactResponse(contact_id=connect.start_task_contact(
            self.env, caller(), translation.task_contact(request)))

    def CreateEgainTaskActivity(self, request: api.CreateEgainTaskActivityRequest,
                                context: grpc.aio.ServicerContext) -> api.EgainActivity:
        return api.EgainActivity(id=egain.create_task_activity(self.env, caller(), translation.new_activity(request)))

    def GetEgainActivityAttributes(self, request: api.GetEgainActivityAttributesRequest,
                                   context: grpc.aio.ServicerContext) -> api.EgainActivityAttributes:
        return _activity_attributes(egain_config.load(caller().enterprise_sid))

    def UpdateEgainActivityAttributes(self, request: api.UpdateEgainActivityAttributesRequest,
                                      context: grpc.aio.ServicerContext) -> api.EgainActivityAttributes:
        return _activity_attributes(egain_config.update(
            self.env, caller(), request.subtypes, translation.custom_attributes(request)))


def _activity_attributes(configured: egain_config.ActivityAttributes) -> api.EgainActivityAttributes:
    return api.EgainActivityAttributes(
        subtypes=configured.subtypes,
        custom_attributes=[api.EgainCustomAttribute(name=name, values=values)
                           for name, values in configured.custom_attributes.items()])
