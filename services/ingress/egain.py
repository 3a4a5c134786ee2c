"""eGain ingress: Create task activity (seeds/003). The department is a workspace (by name) of the
caller's enterprise; the activity is an ordinary routed task (origin "egain") whose SID is the
activity id. The customer is looked up, or created, in our own eGain customer store by the contact
point searchContactOnAttribute names; the case is the one named, or a new one; a target user is a
worker of the department. docs/ingress.md has the mapping and every error."""

from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.ingress import egain_config
from taskrouter.server.ingress.egain_contacts import (
    CONTACT_KINDS,
    contact_points,
    is_contact_attribute,
    named_values,
    normalized,
)
from taskrouter.server.ingress.errors import IngressError, refuse_nul
from taskrouter.server.routing import membership, scope, tasks
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.store import models
from taskrouter.server.store.availability import DatabaseUnavailable
from taskrouter.server.store.db import write_transaction

ORIGIN = "egain"
ACTIVITY_CONTACTS = ("email.emailAddress", "home.phone", "office.phone", "social.facebookId", "social.twitterId",
                     "social.instagramId")
LANGUAGES = ("en-US", "es-ES", "fr-FR", "it-IT", "de-DE", "nl-NL", "pt-BR", "pt-PT", "da-DK", "ru-RU", "fr-CA",
             "zh-CN", "ja-JP", "ko-KR", "sv-SE")
DEFAULT_LANGUAGE = "en-US"
PRIORITIES = ("1", "2", "3", "4", "5", "6", "7")
MAX_SUBJECT = 255
MAX_CONTACT_VALUE = 255
MAX_CONTACT_KIND = 128
TARGET_USER_KEYS = ("id", "loginId", "externalId", "customAttributes")

# Error codes, in eGain's "<status>-<number>" form. 400-101 (unsupported query parameter) and the
# gateway's own "<status>-100" come from the proto's http_response option.
MISSING = "400-102"
INVALID = "400-103"
NOT_FOUND = "400-104"
FORBIDDEN = "403-101"


@dataclasses.dataclass(frozen=True)
class NewActivity:
    """Create task activity's query, headers and body, in eGain's terms; None where an element is
    absent, the JSON elements (customer, priority, customAttributes, payload, status, attachments)
    as JSON values."""
    search_contact_on_attribute: str = ""
    create_customer: str = ""
    activity_contact: str = ""
    workflow_sid: str = ""
    accept_language: str = ""
    department: str = ""
    type: str = ""
    subtype: str = ""
    subject: str | None = None
    customer: dict[str, Any] | None = None
    priority: Any = None
    due_date: str | None = None
    case_id: str = ""
    custom_attributes: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None
    status: dict[str, Any] | None = None
    attachments: Any = None


def _error(code: str, message: str, data: str = "") -> IngressError:
    return IngressError(int(code[:3]), code, message, data)


def _present(value) -> bool:
    return value not in (None, "", [], {})


def _content(payload) -> object:
    task = payload.get("task") if isinstance(payload, dict) else None
    content = task.get("content") if isinstance(task, dict) else None
    return content if _present(content) else None


def _check_content_types(content) -> None:
    """payload.task.content: its parts are "text" or "html" (one or both)."""
    parts = content if isinstance(content, list) else [content]
    for part in parts:
        kind = part.get("type") if isinstance(part, dict) else None
        kind = kind.get("value") if isinstance(kind, dict) else kind
        if kind is not None and str(kind).strip().lower() not in ("text", "html"):
            raise _error(INVALID, f"payload.task.content type must be text or html, not {kind!r}",
                         "payload.task.content")


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- The request, checked before anything is looked up -----------------------------------------

def _query(activity: NewActivity) -> tuple[str, str]:
    search = activity.search_contact_on_attribute.strip()
    if not search:
        raise _error(MISSING, "Missing mandatory query parameter: searchContactOnAttribute", "searchContactOnAttribute")
    if not is_contact_attribute(search) or len(search) > MAX_CONTACT_KIND:
        raise _error(INVALID, f"Invalid value for searchContactOnAttribute: {search!r}", "searchContactOnAttribute")
    if activity.create_customer and activity.create_customer != "yes":
        raise _error(INVALID, "createCustomer must be \"yes\" when given", "createCustomer")
    contact = activity.activity_contact.strip()
    if contact and contact not in ACTIVITY_CONTACTS:
        raise _error(INVALID, f"Invalid value for activityContact: {contact!r}", "activityContact")
    return search, contact


def _language(header: str) -> str:
    """The Accept-Language header: one of the seed's locales (a q-list: the first one we know)."""
    if not header.strip():
        return DEFAULT_LANGUAGE
    known = {code.lower(): code for code in LANGUAGES}
    for item in header.split(","):
        tag = item.split(";")[0].strip().replace("_", "-").lower()
        if tag == "*":
            return DEFAULT_LANGUAGE
        if tag in known:
            return known[tag]
    raise _error(INVALID, f"Unsupported Accept-Language {header.strip()!r}: use one of {', '.join(LANGUAGES)}",
                 "Accept-Language")


def _priority(raw) -> str | None:
    if raw is None:
        return None
    priority = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else raw
    if priority not in PRIORITIES:
        raise _error(INVALID, "priority must be one of \"1\" to \"7\"", "priority")
    return priority


def _due_date(env: Environment, due_date: str | None) -> str | None:
    if due_date is None:
        return None
    try:
        when = datetime.datetime.fromisoformat(due_date.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _error(INVALID, f"dueDate is not an ISO-8601 date-time: {due_date!r}", "dueDate") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.UTC)
    if when.timestamp() <= env.clock.now():
        raise _error(INVALID, "dueDate must be a future date", "dueDate")
    return when.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def _attachments(value):
    """Each attachment needs its altId: [{"altId"}], {"attachment": [...]} or one object."""
    if value is None:
        return None
    items = value.get("attachment", value) if isinstance(value, dict) else value
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, dict) or not _present(item.get("altId")):
            raise _error(MISSING, "Each attachment needs its altId", "attachments.altId")
    return value


def _target_user(status) -> tuple[str, object] | None:
    """(key, value) of status.assigned.user: exactly one of id, loginId, externalId, customAttributes."""
    assigned = status.get("assigned") if isinstance(status, dict) else None
    user = assigned.get("user") if isinstance(assigned, dict) else None
    if user is None:
        return None
    given = [k for k in TARGET_USER_KEYS if isinstance(user, dict) and _present(user.get(k))]
    if not given:
        raise _error(MISSING, "status.assigned.user needs one of id, loginId, externalId, customAttributes",
                     "status.assigned.user")
    if len(given) > 1:
        raise _error(INVALID, "Provide only one of status.assigned.user.id, loginId, externalId, customAttributes",
                     "status.assigned.user")
    return given[0], user[given[0]]


# --- Lookups ----------------------------------------------------------------------------------

def _workflow(caller: Caller, workspace_sid: str, workflow_sid: str) -> models.Workflow:
    query = models.Workflow.select().where((models.Workflow.enterprise_sid == caller.enterprise_sid)
                                           & (models.Workflow.workspace_sid == workspace_sid))
    if workflow_sid:
        query = query.where(models.Workflow.sid == scope.clean_sid(workflow_sid))
    found = list(query.limit(2))
    if workflow_sid and not found:
        raise _error(NOT_FOUND, f"Workflow {workflow_sid} not found in the department", "X-Taskrouter-Workflow-Sid")
    if len(found) != 1:
        raise _error(MISSING, "The department has " + (
            "several workflows: name one in the X-Taskrouter-Workflow-Sid header" if found
            else "no workflow to route the activity"), "X-Taskrouter-Workflow-Sid")
    return found[0]


def _matches(expected, actual) -> bool:
    return actual == expected or (not isinstance(actual, (dict, list)) and _text(actual) == _text(expected))


def _target_worker(caller: Caller, workspace_sid: str, key: str, value) -> models.Worker:
    """The worker a target user names: id is its SID, loginId its name, externalId its attribute
    externalId, customAttributes attributes that only it has. A worker of another department is
    not one the caller may transfer to (403)."""
    W = models.Worker
    mine = W.select().where((W.enterprise_sid == caller.enterprise_sid) & (W.workspace_sid == workspace_sid))
    where = f"status.assigned.user.{key}"
    if key in ("id", "loginId"):
        column = W.sid if key == "id" else W.name
        text = _text(value)
        worker = mine.where(column == text).first()
        if worker is None and W.select().where((W.enterprise_sid == caller.enterprise_sid)
                                               & (column == text)).exists():
            raise _error(FORBIDDEN, f"The target user {text!r} is not a user of department's workspace: "
                                    "no transfer permission", where)
        if worker is None:
            raise _error(NOT_FOUND, f"Target user {text!r} not found", where)
        return worker
    wanted = {"externalId": value} if key == "externalId" else dict(named_values(value))
    if not wanted:
        raise _error(INVALID, "status.assigned.user.customAttributes names no attribute", where)
    found = [w for w in mine if all(_matches(v, membership.attributes_of(w).get(k)) for k, v in wanted.items())]
    if not found:
        raise _error(NOT_FOUND, "No user of the department has " + ", ".join(f"{k}={_text(v)!r}"
                                                                            for k, v in wanted.items()), where)
    if len(found) > 1:
        raise _error(INVALID, f"status.assigned.user.{key} does not identify one user: {len(found)} match", where)
    return found[0]


def _find_customer(enterprise_sid: str, kind: str, values: list[str]) -> models.EgainCustomer | None:
    """The oldest customer with one of these contact points."""
    points = models.EgainContactPoint
    ids = points.select(points.customer_id).where(
        (points.enterprise_sid == enterprise_sid) & (points.kind == kind)
        & points.value.in_([normalized(kind, v) for v in values]))
    return (models.EgainCustomer.select().where(models.EgainCustomer.id.in_(ids))
            .order_by(models.EgainCustomer.id).first())


def _new_customer(env: Environment, enterprise_sid: str, customer: dict,
                  points: dict[str, list[str]]) -> models.EgainCustomer:
    """An individual customer with the representation's contact points (not more than one of each
    kind; no department, which the API decides)."""
    department = customer.get("department")
    if (isinstance(department, dict) and _present(department.get("name"))) or isinstance(department, str):
        raise _error(INVALID, "The customer element must not name a department", "customer.department.name")
    for kind in CONTACT_KINDS:
        if len(points.get(kind, ())) > 1:
            raise _error(INVALID, f"A new customer takes not more than one {kind} contact point", "customer")
    for kind, values in points.items():
        if len(kind) > MAX_CONTACT_KIND or any(len(v) > MAX_CONTACT_VALUE for v in values):
            raise _error(INVALID, f"The customer's {kind[:MAX_CONTACT_KIND]} is longer than "
                                  f"{MAX_CONTACT_VALUE} characters", "customer")
    row = models.EgainCustomer.create(enterprise_sid=enterprise_sid, customer_type="individual",
                                      representation=json.dumps(customer), created_at=env.clock.now())
    rows = [{"customer_id": row.id, "enterprise_sid": enterprise_sid, "kind": kind, "value": normalized(kind, v)}
            for kind, values in points.items() for v in dict.fromkeys(values)]
    if rows:
        models.EgainContactPoint.insert_many(rows).execute()
    return row


def _case(env: Environment, caller: Caller, case_id: str, workspace_sid: str, customer_id: int) -> models.EgainCase:
    if not case_id:
        return models.EgainCase.create(enterprise_sid=caller.enterprise_sid, workspace_sid=workspace_sid,
                                       customer_id=customer_id, created_at=env.clock.now())
    case = None
    if case_id.isdigit() and len(case_id) <= 18:
        case = models.EgainCase.get_or_none((models.EgainCase.id == int(case_id))
                                            & (models.EgainCase.enterprise_sid == caller.enterprise_sid))
    if case is None:
        raise _error(NOT_FOUND, f"Case {case_id!r} not found", "case.id")
    return case


# --- The activity -------------------------------------------------------------------------------

def create_task_activity(env: Environment, caller: Caller, activity: NewActivity) -> str:
    """The activity id (the task SID)."""
    search, contact = _query(activity)
    language = _language(activity.accept_language)
    department = activity.department.strip()
    if not department:
        raise _error(MISSING, "Missing mandatory element: department.name", "department.name")
    if activity.type != "task":
        raise _error(INVALID if activity.type else MISSING, "type.value must be \"task\"", "type.value")
    subtype = activity.subtype.strip()
    if not subtype:
        raise _error(MISSING, "Missing mandatory element: type.subtype.value", "type.subtype.value")
    subject, payload = activity.subject, activity.payload
    if not (subject or "").strip() and _content(payload) is None:
        raise _error(MISSING, "Provide subject or payload.task.content", "subject")
    if _content(payload) is not None:
        _check_content_types(_content(payload))
    if subject is not None and len(subject) > MAX_SUBJECT:
        raise _error(INVALID, f"subject is longer than {MAX_SUBJECT} characters", "subject")
    customer = activity.customer
    if not customer:
        raise _error(MISSING, "Missing mandatory element: customer", "customer")
    points = contact_points(customer)
    for attribute in (search, contact):
        if attribute and not points.get(attribute):
            raise _error(INVALID, f"The customer lacks {attribute}, named by the query parameters", "customer")
    priority = _priority(activity.priority)
    due = _due_date(env, activity.due_date)
    custom_attributes = activity.custom_attributes
    attachments = _attachments(activity.attachments)
    target = _target_user(activity.status)
    everything = {"department": department, "subtype": subtype, "case": activity.case_id,
                  "customer": customer, "customAttributes": custom_attributes, "payload": payload,
                  "status": activity.status, "attachments": attachments}
    refuse_nul(everything, "request", lambda message, where: _error(INVALID, message, where))

    workspace = models.Workspace.get_or_none((models.Workspace.enterprise_sid == caller.enterprise_sid)
                                             & (models.Workspace.name == department))
    if workspace is None:
        raise _error(NOT_FOUND, f"Department {department!r} not found", "department.name")
    configured = egain_config.load(caller.enterprise_sid)
    if not configured.subtype_allowed(subtype):
        raise _error(INVALID, f"Subtype {subtype!r} is not a configured subtype of task: use one of "
                              f"{', '.join(configured.subtypes)}", "type.subtype.value")
    for name, value in named_values(custom_attributes or {}):
        problem = configured.custom_attribute_problem(name, value)
        if problem:
            raise _error(INVALID, problem, f"customAttributes.{name}")
    workflow = _workflow(caller, workspace.sid, activity.workflow_sid)
    worker = _target_worker(caller, workspace.sid, *target) if target else None

    with write_transaction(lock_key=f"egain-customers:{caller.enterprise_sid}"):
        found = _find_customer(caller.enterprise_sid, search, points[search])
        if found is None and activity.create_customer != "yes":
            raise _error(NOT_FOUND, f"No customer with {search} {points[search][0]!r}: add createCustomer=yes "
                                    "to create one", "searchContactOnAttribute")
        row = found or _new_customer(env, caller.enterprise_sid, customer, points)
        case = _case(env, caller, activity.case_id.strip(), workspace.sid, row.id)
        assigned = ((activity.status or {}).get("assigned") or {}) if worker else None
        if worker is not None:
            assigned = {**(assigned or {}), "worker": {"sid": worker.sid, "name": worker.name}}
        attributes = {
            "type": "task", "subtype": subtype, "subject": subject, "department": department,
            "language": language, "priority": priority, "dueDate": due,
            "customer": {**json.loads(row.representation), "id": str(row.id)},
            "customerCreated": found is None,
            "searchContactOnAttribute": search, "activityContact": contact or None,
            "contactPointData": points[contact][0] if contact else None,
            "case": {"id": str(case.id)}, "customAttributes": custom_attributes, "payload": payload,
            "assigned": assigned, "attachments": attachments,
        }
        attributes = {k: v for k, v in attributes.items() if v is not None}
        try:
            task = tasks.create(env, caller, tasks.NewTask(
                workflow_sid=workflow.sid, workspace_sid=workspace.sid, attributes=json.dumps(attributes),
                origin=ORIGIN, external_id=str(case.id)))
        except TaskRouterError as err:
            if isinstance(err, (IngressError, DatabaseUnavailable)):  # an outage stays UNAVAILABLE (503)
                raise
            raise _error(INVALID if err.kind.status.name != "NOT_FOUND" else NOT_FOUND, err.message, err.data) from None
    env.wake(workspace.sid)  # tasks.create woke the matcher before this transaction committed
    env.notify()
    return task.sid
