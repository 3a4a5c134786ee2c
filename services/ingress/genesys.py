"""Genesys Context Services ingress: Start Service, Start Task, Create Task Extension Schema.

A service is bound at start to one workflow (the given workflowSid, else the only workflow of the
given workspace or of the caller's enterprise); each of its tasks is an ordinary task routed by
that workflow, with origin "genesys" and external_id the Genesys task id.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.ingress import store
from taskrouter.server.ingress.errors import IngressError, refuse_nul
from taskrouter.server.routing import scope, tasks
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.store import models
from taskrouter.server.store.availability import DatabaseUnavailable
from taskrouter.server.store.db import write_transaction

ORIGIN = "genesys"
MAX_TASK_ID = 2**31 - 1
ATTRIBUTE_TYPES = ("string", "integer", "long", "number", "boolean", "date")
BUSINESS_FIELDS = ("task_type", "application_type", "resource_type", "media_type")
# Start Task fields recorded as given.
RECORDED_FIELDS = ("state_id", "session_id", "interaction_id", "application_id", "resource_id", "est_duration")


@dataclasses.dataclass(frozen=True)
class ServiceStart:
    """Start Service's body. service_type is a JSON value (a business-attribute id or name), None when absent."""
    workflow_sid: str = ""
    workspace_sid: str = ""
    service_type: Any = None
    customer_id: str = ""


@dataclasses.dataclass(frozen=True)
class TaskStart:
    """Start Task's body, None where a field is absent. The business attributes (BUSINESS_FIELDS) are
    JSON values, a number or a string; extensions holds every other top-level key, by extension name."""
    service_id: int
    task_type: Any = None
    state_id: int | None = None
    session_id: str | None = None
    interaction_id: str | None = None
    application_type: Any = None
    application_id: int | None = None
    resource_type: Any = None
    resource_id: int | None = None
    media_type: Any = None
    est_duration: int | None = None
    timestamp: str | None = None
    extensions: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class AttributeDefinition:
    name: str
    type: str = ""
    mandatory: bool = False


@dataclasses.dataclass(frozen=True)
class SchemaDefinition:
    """Create Task Extension Schema's body; single_valued None: not given (true)."""
    name: str
    attributes: tuple[AttributeDefinition, ...] = ()
    single_valued: bool | None = None


def _bad(message: str, data: str = "") -> IngressError:
    return IngressError(400, "BadRequest", message, data)


def _not_found(message: str, data: str = "") -> IngressError:
    return IngressError(404, "NotFound", message, data)


def _translate(err: TaskRouterError) -> TaskRouterError:
    if isinstance(err, (IngressError, DatabaseUnavailable)):  # an outage stays UNAVAILABLE (503)
        return err
    status = {"NOT_FOUND": 404, "INVALID_ARGUMENT": 400, "FAILED_PRECONDITION": 409}.get(err.kind.status.name, 500)
    return IngressError(status, {404: "NotFound", 400: "BadRequest", 409: "Conflict"}.get(status, "InternalError"),
                        err.message, err.data)


def _workflow(caller: Caller, workflow_sid: str, workspace_sid: str) -> models.Workflow:
    workflow_sid, workspace_sid = scope.clean_sid(workflow_sid), scope.clean_sid(workspace_sid)
    query = models.Workflow.select().where(models.Workflow.enterprise_sid == caller.enterprise_sid)
    if workflow_sid:
        query = query.where(models.Workflow.sid == workflow_sid)
    if workspace_sid:
        query = query.where(models.Workflow.workspace_sid == workspace_sid)
    found = list(query.limit(2))
    if workflow_sid and not found:
        raise _not_found(f"Workflow {workflow_sid} not found", workflow_sid)
    W = models.Workspace
    if workspace_sid and not found and not W.select().where(
            (W.sid == workspace_sid) & (W.enterprise_sid == caller.enterprise_sid)).exists():
        raise _not_found(f"Workspace {workspace_sid} not found", workspace_sid)
    if len(found) != 1:
        where = f"workspace {workspace_sid}" if workspace_sid else "the enterprise"
        raise _bad(f"workflowSid is required: {where} has {'several workflows' if found else 'no workflow'}",
                   "workflowSid")
    return found[0]


def _business_value(value, field: str):
    """A Genesys "long or string" business-attribute value, as JSON (int or str), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _bad(f"{field} must be a number or a string", field)
    if isinstance(value, float):
        if not value.is_integer():
            raise _bad(f"{field} must be an integer (long) or a string", field)
        value = int(value)
    if isinstance(value, str) and not value.strip():
        raise _bad(f"{field} must not be empty", field)
    return value


def start_service(env: Environment, caller: Caller, start: ServiceStart) -> store.GenesysService:
    workflow = _workflow(caller, start.workflow_sid, start.workspace_sid)
    refuse_nul(start.service_type, "service_type", _bad)
    attributes = {"customer_id": start.customer_id or None,
                  "service_type": _business_value(start.service_type, "service_type")}
    with write_transaction():
        return store.GenesysService.create(
            enterprise_sid=caller.enterprise_sid, workspace_sid=workflow.workspace_sid, workflow_sid=workflow.sid,
            attributes=json.dumps({k: v for k, v in attributes.items() if v is not None}),
            created_at=env.clock.now())


def _timestamp(text: str | None, now: float) -> str:
    if text is None or not text.strip():
        when = datetime.datetime.fromtimestamp(now, datetime.UTC)
    else:
        try:
            when = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise _bad(f"timestamp must be ISO-8601, as 2017-11-23T16:00:00.000Z, not {text!r}", "timestamp") \
                from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        when = when.astimezone(datetime.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


_CHECKS = {
    "string": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and -2**31 <= v < 2**31,
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
}


def _integral(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _check_extension_object(name: str, obj, attributes: list[dict]) -> dict:
    if not isinstance(obj, dict):
        raise _bad(f"Extension {name} must be an object of its schema's attributes", name)
    by_name = {a["name"]: a for a in attributes}
    checked = {}
    for key, value in obj.items():
        spec = by_name.get(key)
        if spec is None:
            raise _bad(f"Extension {name} has no attribute {key!r}", f"{name}.{key}")
        if spec["type"] in ("integer", "long"):
            value = _integral(value)  # Struct carries every number as a double
        if value is not None and not _CHECKS[spec["type"]](value):
            raise _bad(f"Extension attribute {name}.{key} must be of type {spec['type']}", f"{name}.{key}")
        if spec["type"] == "date" and value is not None:
            _timestamp(value, 0)
        checked[key] = value
    for spec in attributes:
        if spec.get("mandatory") and checked.get(spec["name"]) is None:
            raise _bad(f"Extension {name} lacks its mandatory attribute {spec['name']!r}", f"{name}.{spec['name']}")
    return checked


def _extensions(caller: Caller, given: dict[str, Any]) -> dict:
    if not given:
        return {}
    schemas = {row.name: row for row in store.GenesysExtensionSchema.select().where(
        (store.GenesysExtensionSchema.enterprise_sid == caller.enterprise_sid)
        & (store.GenesysExtensionSchema.name.in_(list(given))))}
    result: dict[str, Any] = {}
    for name, value in given.items():
        schema = schemas.get(name)
        if schema is None:
            raise _bad(f"Unknown field or extension {name!r}: create its extension schema first "
                       "(POST /metadata/tasks/extensions)", name)
        attributes = json.loads(schema.attributes)
        if schema.single_valued:
            result[name] = _check_extension_object(name, value, attributes)
        else:
            if not isinstance(value, list):
                raise _bad(f"Extension {name} is multi-valued: send a list of objects", name)
            result[name] = [_check_extension_object(name, item, attributes) for item in value]
    return result


def start_task(env: Environment, caller: Caller, start: TaskStart) -> tuple[store.GenesysTask, str]:
    """The Genesys task row and the routed task's SID."""
    Service = store.GenesysService
    service = Service.get_or_none((Service.id == start.service_id)
                                  & (Service.enterprise_sid == caller.enterprise_sid))
    if service is None:
        raise _not_found(f"Service {start.service_id} not found", str(start.service_id))
    attributes: dict = {}
    if _business_value(start.task_type, "task_type") is None:
        raise _bad("Missing mandatory field: task_type", "task_type")
    for field in BUSINESS_FIELDS:
        value = _business_value(getattr(start, field), field)
        if value is not None:
            attributes[field] = value
    for field in RECORDED_FIELDS:
        if getattr(start, field) is not None:
            attributes[field] = getattr(start, field)
    if attributes.get("est_duration", 0) < 0:
        raise _bad("est_duration must not be negative", "est_duration")
    now = env.clock.now()
    attributes["timestamp"] = _timestamp(start.timestamp, now)
    attributes.update(_extensions(caller, start.extensions))
    refuse_nul(attributes, "extensions", _bad)
    attributes["service_id"] = service.id
    # One transaction: the Genesys task id exists exactly when its task does (a crash keeps neither).
    try:
        with write_transaction():
            row = store.GenesysTask.create(service_id=service.id, enterprise_sid=caller.enterprise_sid,
                                           created_at=now)
            if row.id > MAX_TASK_ID:
                raise IngressError(500, "InternalError", "Genesys task ids are exhausted")
            attributes["task_id"] = row.id
            task = tasks.create(env, caller, tasks.NewTask(
                workflow_sid=service.workflow_sid, workspace_sid=service.workspace_sid,
                attributes=json.dumps(attributes), origin=ORIGIN, external_id=str(row.id)))
            row.task_sid = task.sid
            store.GenesysTask.update(task_sid=task.sid).where(store.GenesysTask.id == row.id).execute()
    except TaskRouterError as err:
        raise _translate(err) from None
    env.wake(task.workspace_sid)  # tasks.create woke the matcher before this transaction committed
    env.notify()
    return row, task.sid


# Body keys read as Start Task fields (any letter case), so no extension may use them.
TASK_FIELD_NAMES = frozenset(field.name for field in dataclasses.fields(TaskStart))


def create_extension_schema(env: Environment, caller: Caller,
                            schema: SchemaDefinition) -> store.GenesysExtensionSchema:
    name = schema.name.strip()
    if not name:
        raise _bad("Missing mandatory field: name", "name")
    if len(name) > 255:
        raise _bad("name is longer than 255 characters", "name")
    if name.lower() in TASK_FIELD_NAMES:
        raise _bad(f"{name!r} is a Start Task field, not an extension name", "name")
    attributes, seen = [], set()
    for attribute in schema.attributes:
        kind = (attribute.type or "string").strip().lower()
        refuse_nul([attribute.name, attribute.type], "attributes", _bad)
        if not attribute.name.strip():
            raise _bad("Every attribute needs a name", "attributes")
        if kind not in ATTRIBUTE_TYPES:
            raise _bad(f"Attribute {attribute.name!r}: type must be one of {', '.join(ATTRIBUTE_TYPES)}",
                       attribute.name)
        if attribute.name in seen:
            raise _bad(f"Attribute {attribute.name!r} is listed twice", attribute.name)
        seen.add(attribute.name)
        attributes.append({"name": attribute.name, "type": kind, "mandatory": attribute.mandatory})
    single = schema.single_valued if schema.single_valued is not None else True
    with write_transaction():
        if store.GenesysExtensionSchema.get_or_none(
                (store.GenesysExtensionSchema.enterprise_sid == caller.enterprise_sid)
                & (store.GenesysExtensionSchema.name == name)) is not None:
            raise IngressError(409, "Conflict", f"Extension schema {name!r} already exists", name)
        return store.GenesysExtensionSchema.create(
            enterprise_sid=caller.enterprise_sid, name=name, single_valued=single, attributes=json.dumps(attributes),
            created_at=env.clock.now())
