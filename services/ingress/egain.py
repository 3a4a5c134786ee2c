"""eGain ingress: Create task activity. The department is a workspace (by name) of the caller's
enterprise; the activity is an ordinary routed task (origin "egain") whose SID is the activity id.
eGain's customer store, users and cases are not ours: the customer, target user and case are
recorded in the task's attributes, not looked up."""

from __future__ import annotations

import datetime
import json

from google.protobuf import json_format

from services.errors import TaskRouterError
from services.ingress.errors import IngressError, refuse_nul
from services.routing import scope, tasks
from services.routing.context import Caller, Environment
from services.store import models

ORIGIN = "egain"
CONTACT_ATTRIBUTES = ("email.emailAddress", "home.phone", "mobile.phone", "office.phone", "social.facebookId",
                      "social.twitterId", "social.instagramId")
PRIORITIES = ("1", "2", "3", "4", "5", "6", "7")
MAX_SUBJECT = 255

# Error codes, in eGain's "<status>-<number>" form.
MISSING = "400-102"
INVALID = "400-103"
NOT_FOUND = "400-104"


def _error(code: str, message: str, data: str = "") -> IngressError:
    return IngressError(int(code[:3]), code, message, data)


def _struct(request, field: str):
    return json_format.MessageToDict(getattr(request, field)) if request.HasField(field) else None


def _has_key(value, key: str) -> bool:
    """Whether `key` names a non-empty value anywhere in the customer representation."""
    if isinstance(value, dict):
        return any((k == key and v not in (None, "", [], {})) or _has_key(v, key) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_key(item, key) for item in value)
    return False


def _contact_key(attribute: str) -> str:
    # email.emailAddress -> emailAddress, home.phone -> phone, custom.loyaltyId -> loyaltyId
    return attribute.partition(".")[2]


def _content(payload) -> object:
    task = payload.get("task") if isinstance(payload, dict) else None
    content = task.get("content") if isinstance(task, dict) else None
    return content if content not in (None, "", [], {}) else None


def _workflow(caller: Caller, workspace_sid: str, workflow_sid: str) -> models.Workflow:
    query = models.Workflow.select().where((models.Workflow.enterprise_sid == caller.enterprise_sid)
                                           & (models.Workflow.workspace_sid == workspace_sid))
    if workflow_sid:
        query = query.where(models.Workflow.sid == scope.clean_sid(workflow_sid))
    found = list(query.limit(2))
    if workflow_sid and not found:
        raise _error(NOT_FOUND, f"Workflow {workflow_sid} not found in the department", "workflowSid")
    if len(found) != 1:
        raise _error(MISSING, "The department has " + ("several workflows: pass workflowSid" if found else
                                                       "no workflow to route the activity"), "workflowSid")
    return found[0]


def create_task_activity(env: Environment, caller: Caller, request) -> str:
    """The activity id (the task SID)."""
    search = request.search_contact_on_attribute.strip()
    if not search:
        raise _error(MISSING, "Missing mandatory query parameter: searchContactOnAttribute", "searchContactOnAttribute")
    if search not in CONTACT_ATTRIBUTES and not (search.startswith("custom.") and len(search) > len("custom.")):
        raise _error(INVALID, f"Invalid value for searchContactOnAttribute: {search!r}", "searchContactOnAttribute")
    if request.create_customer and request.create_customer != "yes":
        raise _error(INVALID, "createCustomer must be \"yes\" when given", "createCustomer")
    contact = request.activity_contact.strip()
    if contact and contact not in CONTACT_ATTRIBUTES or contact == "mobile.phone":
        raise _error(INVALID, f"Invalid value for activityContact: {contact!r}", "activityContact")
    department = request.department.name.strip()
    if not department:
        raise _error(MISSING, "Missing mandatory element: department.name", "department.name")
    if request.type.value != "task":
        raise _error(INVALID if request.type.value else MISSING, "type.value must be \"task\"", "type.value")
    subtype = request.type.subtype.value.strip()
    if not subtype:
        raise _error(MISSING, "Missing mandatory element: type.subtype.value", "type.subtype.value")
    subject = request.subject if request.HasField("subject") else None
    payload = _struct(request, "payload")
    if not (subject or "").strip() and _content(payload) is None:
        raise _error(MISSING, "Provide subject or payload.task.content", "subject")
    if subject is not None and len(subject) > MAX_SUBJECT:
        raise _error(INVALID, f"subject is longer than {MAX_SUBJECT} characters", "subject")
    customer = _struct(request, "customer")
    if not customer:
        raise _error(MISSING, "Missing mandatory element: customer", "customer")
    for attribute in (search, contact):
        if attribute and not _has_key(customer, _contact_key(attribute)):
            raise _error(INVALID, f"The customer lacks {attribute}, named by the query parameters", "customer")
    priority = None
    if request.HasField("priority"):
        raw = json_format.MessageToDict(request.priority)
        priority = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else raw
        if priority not in PRIORITIES:
            raise _error(INVALID, "priority must be one of \"1\" to \"7\"", "priority")
    due = None
    if request.HasField("due_date"):
        try:
            when = datetime.datetime.fromisoformat(request.due_date.strip().replace("Z", "+00:00"))
        except ValueError:
            raise _error(INVALID, f"dueDate is not an ISO-8601 date-time: {request.due_date!r}", "dueDate") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        if when.timestamp() <= env.clock.now():
            raise _error(INVALID, "dueDate must be in the future", "dueDate")
        due = when.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
            f"{when.microsecond // 1000:03d}Z"
    workspace = models.Workspace.get_or_none((models.Workspace.enterprise_sid == caller.enterprise_sid)
                                             & (models.Workspace.name == department))
    if workspace is None:
        raise _error(NOT_FOUND, f"Department {department!r} not found", "department.name")
    workflow = _workflow(caller, workspace.sid, request.workflow_sid)
    attributes = {
        "type": "task", "subtype": subtype, "subject": subject, "department": department,
        "priority": priority, "dueDate": due, "customer": customer,
        "searchContactOnAttribute": search, "activityContact": contact or None,
        "createCustomer": request.create_customer == "yes",
        "case": {"id": request.case_ref.id} if request.case_ref.id else None,
        "customAttributes": _struct(request, "custom_attributes"), "payload": payload,
        "assigned": (_struct(request, "status") or {}).get("assigned"),
        "attachments": json_format.MessageToDict(request.attachments) if request.HasField("attachments") else None,
    }
    attributes = {k: v for k, v in attributes.items() if v is not None}
    refuse_nul(attributes, "request", lambda message, where: _error(INVALID, message, where))
    try:
        task = tasks.create(env, caller, workflow_sid=workflow.sid, workspace_sid=workspace.sid, timeout=None,
                            priority=None, attributes=json.dumps(attributes), task_channel=None,
                            bypass_reserved_state=False, origin=ORIGIN,
                            external_id=request.case_ref.id[:128] or None)
    except TaskRouterError as err:
        if isinstance(err, IngressError):
            raise
        raise _error(INVALID if err.kind.status.name != "NOT_FOUND" else NOT_FOUND, err.message, err.data) from None
    return task.sid
