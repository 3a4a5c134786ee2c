"""The operator CLI's resource commands, `taskrouter <resource> <verb>`, over the SDK: built from
the same method table, so every RPC of a resource is a verb whose options are its request fields.

    taskrouter tasks list --workspace WS... --status pending
    taskrouter workers update WK... --activity Online
    taskrouter events tail --workspace WS...
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any

from google.protobuf.descriptor import FieldDescriptor

from taskrouter.client.channel import DEFAULT_TARGET
from taskrouter.client.client import Client
from taskrouter.client.errors import TaskRouterError
from taskrouter.client.requests import is_repeated
from taskrouter.client.rpcs import RPCS, Rpc
from taskrouter.client.tables import print_event_line, print_json, print_record, print_table

# Resource commands by the resource an RPC's name ends with (singular or plural).
RESOURCES = {"Workspace": "workspaces", "Activity": "activities", "TaskQueue": "taskqueues", "Worker": "workers",
             "Workflow": "workflows", "Task": "tasks", "Reservation": "reservations", "Event": "events",
             "TaskChannel": "taskchannels", "WorkerChannel": "workerchannels", "Transfer": "transfers"}
PLURALS = {"Activities": "Activity"}
_SINGULAR = {plural: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower() for name, plural in RESOURCES.items()}
VERBS = {"Create": "create", "Get": "get", "List": "list", "Update": "update", "Delete": "delete", "Watch": "tail"}
# RPCs whose verb is not their method's first word.
SPECIAL = {"WatchWorker": ("workers", "watch"), "CreateWorkerToken": ("workers", "token"),
           "RevokeWorkerTokens": ("workers", "revoke-tokens"), "WatchStatistics": ("statistics", "tail")}
STATISTICS = re.compile(r"^Get(\w+)Statistics$")  # statistics workspace|taskqueue|worker|workflow SID
# Fields named after another resource take its SID or its name (resolved within the workspace).
REFERENCES = {"workspace_sid": "workspaces", "activity_sid": "activities", "task_queue_sid": "task_queues",
              "workflow_sid": "workflows", "worker_sid": "workers", "worker_activity_sid": "activities",
              "disconnect_activity_sid": "activities"}
SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
_INT_TYPES = {FieldDescriptor.TYPE_INT32, FieldDescriptor.TYPE_INT64, FieldDescriptor.TYPE_UINT32,
              FieldDescriptor.TYPE_UINT64, FieldDescriptor.TYPE_SINT32, FieldDescriptor.TYPE_SINT64}


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows every default that exists; an option without one says so in its own help."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default in (None, argparse.SUPPRESS, False, "") or not action.option_strings:
            return action.help or ""
        return super()._get_help_string(action) or ""


def command_of(rpc: Rpc) -> tuple[str, str] | None:
    """(resource, verb) of an RPC, or None for RPCs that are not about a resource (the ingress APIs)."""
    name = rpc.method.name
    if name in SPECIAL:
        return SPECIAL[name]
    about = STATISTICS.match(name)
    if about and about.group(1) in RESOURCES:
        return "statistics", about.group(1).lower()
    for prefix, verb in VERBS.items():
        if name.startswith(prefix):
            noun = name[len(prefix):]
            noun = PLURALS.get(noun, noun[:-1] if noun.endswith("s") and noun[:-1] in RESOURCES else noun)
            return (RESOURCES[noun], verb) if noun in RESOURCES else None
    return None


def _flags(field: FieldDescriptor, taken: set[str]) -> list[str]:
    """--field-name, plus a short alias when free: --workspace for workspace_sid, --status for *_status."""
    flags = ["--" + field.name.replace("_", "-")]
    aliases = []
    if field.name.endswith("_sid") and field.name != "sid":
        aliases.append("--" + field.name[:-4].replace("_", "-"))
    if field.name.endswith("_status"):
        aliases.append("--status")
    for alias in aliases:
        if alias not in taken:
            flags.append(alias)
    taken.update(flags)
    return flags


def _add_field(parser: argparse.ArgumentParser, field: FieldDescriptor, taken: set[str]) -> None:
    kwargs: dict[str, Any] = {"dest": field.name, "default": None}
    what = field.json_name
    if field.name in REFERENCES:
        what += " (a SID, or a name)"
    if field.message_type is not None:
        kwargs["type"] = json.loads
        what += " (JSON)"
    elif field.type == FieldDescriptor.TYPE_BOOL:
        kwargs["action"] = argparse.BooleanOptionalAction
    elif field.type in _INT_TYPES:
        kwargs["type"] = int
    elif field.type in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        kwargs["type"] = float
    if is_repeated(field) and field.message_type is None:
        kwargs["action"] = "append"
        what += " (repeatable)"
    parser.add_argument(*_flags(field, taken), help=what, **kwargs)


def _connection_options() -> argparse.ArgumentParser:
    env = os.environ.get
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument("--target", default=env("TASKROUTER_TARGET", DEFAULT_TARGET),
                       help="gRPC address of a taskrouter server (env TASKROUTER_TARGET)")
    group.add_argument("--account-sid", default=env("TASKROUTER_ACCOUNT_SID"),
                       help="account SID (env TASKROUTER_ACCOUNT_SID)")
    group.add_argument("--auth-token", default=None,
                       help="auth token (env TASKROUTER_AUTH_TOKEN; never shown)")
    group.add_argument("--worker-token", default=None,
                       help="a worker token instead of account credentials (env TASKROUTER_WORKER_TOKEN)")
    group.add_argument("--call-timeout", type=float, default=30.0, help="seconds to wait for each call")
    group.add_argument("--json", action="store_true", help="print JSON (the HTTP API's field names) instead of a table")
    return common


def add_resource_commands(commands: argparse._SubParsersAction) -> None:
    """Adds `<resource> <verb>` for every resource RPC to the `taskrouter` command."""
    common = _connection_options()
    verbs: dict[str, argparse._SubParsersAction] = {}
    for rpc in RPCS.values():
        found = command_of(rpc)
        if found is None:
            continue
        resource, verb = found
        if resource not in verbs:
            group = commands.add_parser(resource, help=f"{resource}: " + ", ".join(
                v for r, v in filter(None, map(command_of, RPCS.values())) if r == resource),
                formatter_class=HelpFormatter)
            verbs[resource] = group.add_subparsers(dest="verb", required=True, metavar="VERB")
        parser = verbs[resource].add_parser(verb, parents=[common], formatter_class=HelpFormatter,
                                            help=f"{rpc.method.name}", description=_description(rpc, verb))
        taken = {option for action in common._actions for option in action.option_strings}
        for field in rpc.method.input_type.fields:
            if field.name == "sid":
                parser.add_argument("sid", metavar="SID", help=f"the {_SINGULAR.get(resource, verb)}'s SID")
            else:
                _add_field(parser, field, taken)
        if verb == "list" and rpc.iter_name:
            parser.add_argument("--all", action="store_true", help="walk every page (ignores --page)")
        parser.set_defaults(handler=run, rpc=rpc.name)


def _description(rpc: Rpc, verb: str) -> str:
    text = f"{rpc.method.containing_service.name}.{rpc.method.name} over gRPC."
    if verb in ("tail", "watch"):
        text += " Prints each event as it happens until Ctrl-C; reconnects and resumes by itself."
    return text


def _client(args: argparse.Namespace) -> Client:
    worker_token = args.worker_token or os.environ.get("TASKROUTER_WORKER_TOKEN") or None
    auth_token = args.auth_token or os.environ.get("TASKROUTER_AUTH_TOKEN") or None
    if worker_token:
        return Client(args.target, worker_token=worker_token, timeout=args.call_timeout)
    if not (args.account_sid and auth_token):
        raise TaskRouterError("401", "No credentials: give --account-sid and --auth-token (or TASKROUTER_ACCOUNT_SID "
                              "and TASKROUTER_AUTH_TOKEN), or --worker-token")
    return Client(args.target, account_sid=args.account_sid, auth_token=auth_token, timeout=args.call_timeout)


def _resolve(client: Client, field: str, value: str, workspace_sid: str) -> str:
    """A reference given by name becomes its SID: exactly one resource of that name must exist."""
    if SID.match(value.strip()):
        return value.strip()
    kind = REFERENCES[field]
    scope = {} if kind == "workspaces" else {"workspace_sid": workspace_sid}
    if kind != "workspaces" and not workspace_sid:
        raise TaskRouterError("400", f"--{field.replace('_', '-')} {value!r} is a name: give --workspace too", field)
    found = [item for item in getattr(client, f"iter_{kind}")(name=value, **scope) if item.name == value]
    if len(found) != 1:
        raise TaskRouterError("400", f"{len(found)} {kind} named {value!r}", field)
    return found[0].sid


def _workspace_of(client: Client, rpc: Rpc, fields: dict[str, Any]) -> str:
    """The workspace names are resolved in: --workspace, else the resource the command is about."""
    if fields.get("workspace_sid"):
        return _resolve(client, "workspace_sid", fields["workspace_sid"], "")
    if fields.get("sid") and rpc.method.name != "GetWorkspace":
        resource, _ = command_of(rpc) or ("", "")
        getter = {"workspaces": None, "activities": "get_activity", "taskqueues": "get_task_queue",
                  "workers": "get_worker", "workflows": "get_workflow", "tasks": "get_task",
                  "reservations": "get_reservation"}.get(resource)
        if resource == "workspaces":
            return fields["sid"]
        if getter:
            return getattr(client, getter)(sid=fields["sid"]).workspace_sid
    return ""


def run(args: argparse.Namespace) -> int:
    rpc = RPCS[args.rpc]
    fields = {f.name: getattr(args, f.name) for f in rpc.method.input_type.fields
              if getattr(args, f.name, None) is not None}
    out = sys.stdout
    with _client(args) as client:
        names = [f for f, v in fields.items() if f in REFERENCES and isinstance(v, str) and not SID.match(v.strip())]
        if names:
            workspace = _workspace_of(client, rpc, fields)
            for field in names:
                fields[field] = _resolve(client, field, fields[field], workspace)
        method = getattr(client, rpc.name)
        if rpc.streaming:
            try:
                for event in method(**fields):
                    print_event_line(event, out, args.json)
            except KeyboardInterrupt:
                pass
            return 0
        if rpc.iter_name and getattr(args, "all", False):
            fields.pop("page", None)
            items = list(getattr(client, rpc.iter_name)(**fields))
            print_json(items, out) if args.json else print_table(items, out)
            return 0
        response = method(**fields)
        if rpc.page_field:
            items = list(getattr(response, rpc.page_field))
            if args.json:
                print_json(items, out)
            else:
                print_table(items, out)
                sys.stderr.write(f"page {response.page} of {max(response.num_pages, 1)} "
                                 f"({response.total} in all)\n")
        elif args.json:
            print_json(response, out)
        else:
            print_record(response, out)
    return 0
