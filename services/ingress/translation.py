"""The ingress RPCs' protobuf requests as the plain values the domain modules take (genesys.py,
connect.py, egain*.py know nothing of protobuf)."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format
from google.protobuf.message import Message

from taskrouter.server.ingress import connect, egain, genesys
from taskrouter.server.messages import optional
from taskrouter.v1 import task_service_pb2 as api

# StartTaskContact fields this server does not implement (connect.py refuses them by API name).
CONNECT_UNSUPPORTED = ("related_contact_id", "quick_connect_id", "task_template_id", "segment_attributes",
                       "attachments")


def _json(request: Message, field: str) -> Any:
    """A google.protobuf Value or Struct field as its JSON value; None when not set."""
    return json_format.MessageToDict(getattr(request, field)) if request.HasField(field) else None


def service_start(request: api.StartGenesysServiceRequest) -> genesys.ServiceStart:
    return genesys.ServiceStart(workflow_sid=request.workflow_sid, workspace_sid=request.workspace_sid,
                                service_type=_json(request, "service_type"), customer_id=request.customer_id)


def task_start(request: api.StartGenesysTaskRequest) -> genesys.TaskStart:
    return genesys.TaskStart(
        service_id=request.service_id,
        **{field: _json(request, field) for field in genesys.BUSINESS_FIELDS},
        **{field: optional(request, field) for field in (*genesys.RECORDED_FIELDS, "timestamp")},
        extensions=_json(request, "extensions") or {})


def schema_definition(request: api.CreateGenesysTaskExtensionSchemaRequest) -> genesys.SchemaDefinition:
    return genesys.SchemaDefinition(
        name=request.name,
        attributes=tuple(genesys.AttributeDefinition(a.name, a.type, a.mandatory) for a in request.attributes),
        single_valued=optional(request, "single_valued"))


def task_contact(request: api.StartTaskContactRequest) -> connect.TaskContact:
    fields = request.DESCRIPTOR.fields_by_name
    return connect.TaskContact(
        instance_id=request.instance_id, contact_flow_id=request.contact_flow_id, name=optional(request, "name"),
        description=request.description, attributes=dict(request.attributes),
        references={key: connect.Reference(r.type, r.value) for key, r in request.references.items()},
        client_token=optional(request, "client_token"), previous_contact_id=optional(request, "previous_contact_id"),
        scheduled_time=optional(request, "scheduled_time"),
        unsupported=tuple(fields[name].json_name for name in CONNECT_UNSUPPORTED if request.HasField(name)))


def new_activity(request: api.CreateEgainTaskActivityRequest) -> egain.NewActivity:
    return egain.NewActivity(
        search_contact_on_attribute=request.search_contact_on_attribute, create_customer=request.create_customer,
        activity_contact=request.activity_contact, workflow_sid=request.workflow_sid,
        accept_language=request.accept_language, department=request.department.name, type=request.type.value,
        subtype=request.type.subtype.value, subject=optional(request, "subject"), customer=_json(request, "customer"),
        priority=_json(request, "priority"), due_date=optional(request, "due_date"), case_id=request.case_ref.id,
        custom_attributes=_json(request, "custom_attributes"), payload=_json(request, "payload"),
        status=_json(request, "status"), attachments=_json(request, "attachments"))


def custom_attributes(request: api.UpdateEgainActivityAttributesRequest) -> list[tuple[str, list[str]]]:
    """(name, values) of each custom attribute, in the request's order."""
    return [(attribute.name, list(attribute.values)) for attribute in request.custom_attributes]
