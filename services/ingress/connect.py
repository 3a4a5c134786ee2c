"""Amazon Connect ingress: StartTaskContact. InstanceId is a workspace SID, ContactFlowId a workflow
SID of that workspace; the contact is an ordinary routed task (origin "amazon-connect") whose SID
is the ContactId. A ClientToken makes the call idempotent for TOKEN_RETENTION_SECONDS."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.ingress import store
from taskrouter.server.ingress.errors import IngressError
from taskrouter.server.routing import scope, tasks
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.store import models
from taskrouter.server.store.availability import DatabaseUnavailable
from taskrouter.server.store.db import write_transaction

ORIGIN = "amazon-connect"
TOKEN_RETENTION_SECONDS = 7 * 86_400
MAX_ATTRIBUTE_BYTES = 32_768
MAX_SCHEDULE_AHEAD_SECONDS = 6 * 86_400  # Amazon Connect: ScheduledTime at most 6 days ahead
_ATTRIBUTE_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclasses.dataclass(frozen=True)
class Reference:
    type: str
    value: str


@dataclasses.dataclass(frozen=True)
class TaskContact:
    """StartTaskContact's parameters, None where an optional one is absent. `unsupported`: the API
    names of the given fields this server does not implement, which are refused, never ignored."""
    instance_id: str = ""
    contact_flow_id: str = ""
    name: str | None = None
    description: str = ""
    attributes: dict[str, str] = dataclasses.field(default_factory=dict)
    references: dict[str, Reference] = dataclasses.field(default_factory=dict)
    client_token: str | None = None
    previous_contact_id: str | None = None
    scheduled_time: float | None = None
    unsupported: tuple[str, ...] = ()


def _invalid(message: str, data: str = "") -> IngressError:
    return IngressError(400, "InvalidParameterException", message, data)


def _not_found(message: str, data: str = "") -> IngressError:
    return IngressError(404, "ResourceNotFoundException", message, data)


def _length(name: str, value: str, low: int, high: int) -> None:
    if not low <= len(value) <= high:
        raise _invalid(f"{name} must be {low} to {high} characters long", name)


def validate(contact: TaskContact) -> None:
    if contact.unsupported:
        name = contact.unsupported[0]
        raise _invalid(f"{name} is not supported by this server", name)
    if not contact.instance_id:
        raise _invalid("InstanceId is required", "InstanceId")
    _length("InstanceId", contact.instance_id, 1, 100)
    if not contact.contact_flow_id:
        raise _invalid("ContactFlowId is required", "ContactFlowId")
    _length("ContactFlowId", contact.contact_flow_id, 1, 500)
    if contact.name is None:
        raise _invalid("Name is required", "Name")
    _length("Name", contact.name, 0, 512)
    _length("Description", contact.description, 0, 4096)
    _length("ClientToken", contact.client_token or "", 0, 500)
    if contact.previous_contact_id is not None:
        _length("PreviousContactId", contact.previous_contact_id, 1, 256)
    total = 0
    for key, value in contact.attributes.items():
        if "\x00" in key or "\x00" in value:
            raise _invalid("Attributes must not contain NUL characters", "Attributes")
        _length("Attributes key", key, 1, 32_767)
        _length(f"Attributes value of {key}", value, 0, 32_767)
        if not _ATTRIBUTE_KEY.fullmatch(key):
            raise _invalid(f"Attribute key {key!r} may hold only alphanumeric, dash and underscore characters",
                           "Attributes")
        total += len(key.encode()) + len(value.encode())
    if total > MAX_ATTRIBUTE_BYTES:
        raise _invalid(f"Attributes hold {total} UTF-8 bytes; at most {MAX_ATTRIBUTE_BYTES} are allowed", "Attributes")
    for key, reference in contact.references.items():
        _length("References key", key, 1, 4096)
        if "\x00" in key + reference.type + reference.value:
            raise _invalid("References must not contain NUL characters", "References")
        if not reference.type or not reference.value:
            raise _invalid(f"Reference {key!r} needs a Type and a Value", "References")


def scheduled_at(contact: TaskContact, now: float) -> float | None:
    """ScheduledTime (epoch seconds): not in the past, at most six days ahead, as Amazon Connect
    requires."""
    value = contact.scheduled_time
    if value is None:
        return None
    if value != value or value < now - 1:  # NaN, or the past (a second of clock skew allowed)
        raise _invalid("ScheduledTime must not be in the past", "ScheduledTime")
    if value > now + MAX_SCHEDULE_AHEAD_SECONDS:
        raise _invalid("ScheduledTime must be at most 6 days in the future", "ScheduledTime")
    return value


def _request_hash(contact: TaskContact) -> str:
    body = {"InstanceId": contact.instance_id, "ContactFlowId": contact.contact_flow_id, "Name": contact.name,
            "Description": contact.description, "Attributes": contact.attributes,
            "References": {k: [r.type, r.value] for k, r in contact.references.items()},
            "PreviousContactId": contact.previous_contact_id or "", "ScheduledTime": contact.scheduled_time}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _earlier_task(caller: Caller, token: str, digest: str, now: float) -> str | None:
    """The task SID that the first request with this ClientToken created, or None when this
    request is the first. Raises for a token reused with other parameters. Runs in the call's
    one transaction, under the token's lock: a concurrent retry waits for the first to commit."""
    T = store.IdempotencyToken
    if T.select().where(T.created_at < now - TOKEN_RETENTION_SECONDS).limit(1).exists():
        T.delete().where(T.created_at < now - TOKEN_RETENTION_SECONDS).execute()
    row = T.get_or_none((T.enterprise_sid == caller.enterprise_sid) & (T.source == ORIGIN) & (T.token == token))
    if row is None:
        return None
    if row.request_hash != digest:
        raise IngressError(400, "InvalidRequestException",
                           "ClientToken was already used with different parameters", "ClientToken")
    return row.task_sid


def start_task_contact(env: Environment, caller: Caller, contact: TaskContact) -> str:
    """The ContactId (the task SID)."""
    validate(contact)
    schedule = scheduled_at(contact, env.clock.now())
    workspace_sid, workflow_sid = scope.clean_sid(contact.instance_id), scope.clean_sid(contact.contact_flow_id)
    if not models.Workspace.select().where((models.Workspace.sid == workspace_sid)
                                           & (models.Workspace.enterprise_sid == caller.enterprise_sid)).exists():
        raise _not_found(f"Instance {contact.instance_id} not found", "InstanceId")
    if not models.Workflow.select().where((models.Workflow.sid == workflow_sid)
                                          & (models.Workflow.workspace_sid == workspace_sid)
                                          & (models.Workflow.enterprise_sid == caller.enterprise_sid)).exists():
        raise _not_found(f"Contact flow {contact.contact_flow_id} not found in instance {contact.instance_id}",
                         "ContactFlowId")
    if contact.previous_contact_id is not None:
        previous = scope.clean_sid(contact.previous_contact_id)
        if not models.Task.select().where((models.Task.sid == previous)
                                          & (models.Task.enterprise_sid == caller.enterprise_sid)).exists():
            raise _not_found(f"Previous contact {contact.previous_contact_id} not found", "PreviousContactId")
    token = contact.client_token or None
    connect = {"instance_id": workspace_sid, "contact_flow_id": workflow_sid}
    if contact.previous_contact_id is not None:
        connect["previous_contact_id"] = contact.previous_contact_id
    attributes = {"name": contact.name, "description": contact.description, "attributes": contact.attributes,
                  "references": {k: dataclasses.asdict(r) for k, r in contact.references.items()},
                  "connect": connect}
    now = env.clock.now()
    # One transaction: the token is claimed exactly when the task exists (a crash keeps neither).
    try:
        with write_transaction(f"ingress-token:{caller.enterprise_sid}:{token}" if token is not None else None):
            if token is not None:
                digest = _request_hash(contact)
                earlier = _earlier_task(caller, token, digest, now)
                if earlier is not None:
                    return earlier
            task = tasks.create(env, caller, tasks.NewTask(
                workflow_sid=workflow_sid, workspace_sid=workspace_sid, attributes=json.dumps(attributes),
                scheduled_at=schedule, origin=ORIGIN, external_id=token if token and len(token) <= 128 else None))
            if token is not None:
                store.IdempotencyToken.create(enterprise_sid=caller.enterprise_sid, source=ORIGIN, token=token,
                                              request_hash=digest, task_sid=task.sid, created_at=now)
    except IngressError:
        raise
    except TaskRouterError as err:
        if isinstance(err, DatabaseUnavailable):  # an outage stays UNAVAILABLE (503)
            raise
        status = 404 if err.kind.status.name == "NOT_FOUND" else 400
        raise IngressError(status, "ResourceNotFoundException" if status == 404 else "InvalidRequestException",
                           err.message, err.data) from None
    env.wake(task.workspace_sid)  # tasks.create woke the matcher before this transaction committed
    env.notify()
    return task.sid
