"""The served OpenAPI document against the live server: it is valid OpenAPI, and a bounded
schemathesis run over every operation (except the event stream) gets no 5xx and only responses
that conform to the document (status codes, content types, bodies), the errors in the seed's
envelope.

schemathesis is driven through its Python API (`APIOperation.as_strategy` under Hypothesis), one
test per operation and generation mode, MAX_EXAMPLES examples each. Random SIDs mostly meet the
seed's "not found" errors; to reach the success paths too, positive cases GET and PUT a `{sid}`
of the right kind that exists, and creation bodies name our workspace or workflow. A second run
puts hostile values (JSON nested 10,000 deep, 20 KB of text, a file: URL) in each string field of
every operation's body and query in turn, authenticated like the first: no 5xx either. A third
sends every operation's requests without credentials: 401 on every /taskrouter route."""

from __future__ import annotations

import base64
import os
import re

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# More with TASKROUTER_FUZZ_EXAMPLES=200 for a longer exploratory run.
MAX_EXAMPLES = int(os.environ.get("TASKROUTER_FUZZ_EXAMPLES", "5"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
KIND = {"workspaces": "WS", "activities": "AT", "taskqueues": "TQ", "workers": "WK", "workflows": "WF",
        "tasks": "TK", "reservations": "WR", "events": None}
# The reference a creation body needs to reach past "not found".
OWNER = {"/taskrouter/workspaces": ("enterpriseSid", "EN"), "/taskrouter/activities": ("workspaceSid", "WS"),
         "/taskrouter/taskqueues": ("workspaceSid", "WS"), "/taskrouter/workers": ("workspaceSid", "WS"),
         "/taskrouter/workflows": ("workspaceSid", "WS"), "/taskrouter/tasks": ("workflowSid", "WF")}


def _routes():
    from taskrouter.server.gateway.routes import default_modules, routes_from_modules

    return routes_from_modules(default_modules())


# The event streams (the workspace's, a worker's): Server-Sent Events, which never end by themselves.
STREAMS = {r.openapi_path for r in _routes() if r.server_streaming}


def operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every binding but the streams, from the annotations the gateway serves."""
    return [(r.http_method, r.openapi_path) for r in _routes() if r.openapi_path not in STREAMS]


@pytest.fixture(scope="session")
def document(server) -> dict:
    response = httpx.get(server.http_url + "/openapi.json", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def test_openapi_document_validates(document):
    validate(document)
    assert document["openapi"].startswith("3.0")
    operations_served = {(m.upper(), path) for path, item in document["paths"].items() for m in item}
    assert operations_served == set(operations()) | {("GET", path) for path in STREAMS}
    assert document["components"]["securitySchemes"]["basicAuth"] == {"type": "http", "scheme": "basic"}


@pytest.fixture(scope="session")
def live_schema(document):
    config = schemathesis.Config.from_dict({"generation": {"database": "none"}})
    schema = schemathesis.openapi.from_dict(document, config=config)
    for path in STREAMS:
        schema = schema.exclude(path=path)
    return schema


def test_every_operation_but_the_stream_is_fuzzed(live_schema):
    fuzzed = {(result.ok().method.upper(), result.ok().path) for result in live_schema.get_all_operations()}
    assert fuzzed == set(operations())


@pytest.fixture(scope="module")
def population(new_seed):
    """An account of its own with one of every resource, so lists and gets have something to show."""
    tr = new_seed()
    ws = tr.workspace("Fuzzed")
    online = tr.activities(ws["sid"])["Online"]["sid"]
    queue = tr.queue(ws["sid"], "Q")
    worker = tr.worker(ws["sid"], "W", online)
    flow = tr.workflow(ws["sid"], "F", {"default_filter": {"queue": queue["sid"]}})
    task = tr.task(flow["sid"], type="fuzz")
    reservation = tr.eventually(lambda: tr.reservations(taskSid=task["sid"]))[0]
    account = tr.account
    return {"WS": ws["sid"], "AT": online, "TQ": queue["sid"], "WK": worker["sid"], "WF": flow["sid"],
            "TK": task["sid"], "WR": reservation["sid"], "EN": account["enterpriseSid"],
            "auth": "Basic " + base64.b64encode(f"{account['accountSid']}:{account['authToken']}".encode()).decode()}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("method, path", operations(), ids=lambda v: v)
def test_api_conforms_to_its_openapi_document(live_schema, server, population, method, path, mode):
    operation = live_schema[path][method.lower()]
    kind = KIND.get(path.split("/")[2]) if path.startswith("/taskrouter/") else None
    overrides = {}
    if mode is GenerationMode.POSITIVE and "{sid}" in path and method in ("GET", "PUT") and kind:
        overrides["path_parameters"] = {"sid": population[kind]}
    statuses: list[int] = []

    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=MAX_EXAMPLES <= 5,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode, **overrides))
    def run(case):
        if mode is GenerationMode.POSITIVE and method == "POST" and isinstance(case.body, dict) and path in OWNER:
            field, owner = OWNER[path]
            case.body[field] = population[owner]
        # Credentials are tested elsewhere: every generated request carries good ones.
        case.headers = {**(case.headers or {}), "Authorization": population["auth"]}
        response = case.call(base_url=server.http_url, timeout=30)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)
        assert response.status_code < 500, response.text
        if not path.startswith("/taskrouter/"):
            return  # the other platforms' ingress APIs answer in their own shapes
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"errorCode", "message", "data"}, body
            assert re.fullmatch(r"\d{3}", body["errorCode"]), body
        else:
            body = response.json()
            assert set(body) == {"data", "code", "message"} and body["code"] == 200, body

    run()
    assert statuses, "no request was made"


def _body_schema(document: dict, path: str, method: str, media: str = "application/json") -> dict:
    return document["paths"][path][method]["requestBody"]["content"][media]["schema"]


def test_the_contract_says_what_is_required(document):
    """REQUIRED in the protos (google.api.field_behavior) is `required` in the document."""
    workspace = document["paths"]["/taskrouter/workspaces"]["post"]["requestBody"]
    assert workspace["required"] is True
    assert set(_body_schema(document, "/taskrouter/workspaces", "post")["required"]) == {"enterpriseSid", "name"}
    assert set(_body_schema(document, "/taskrouter/workers", "post")["required"]) == {
        "workspaceSid", "name", "attributes"}
    assert set(_body_schema(document, "/taskrouter/workflows", "post")["required"]) == {
        "workspaceSid", "name", "configuration"}
    assert set(_body_schema(document, "/taskrouter/activities", "post")["required"]) == {
        "workspaceSid", "name", "available"}
    task = document["paths"]["/taskrouter/tasks"]["post"]["requestBody"]
    assert task["required"] is False and "required" not in task["content"]["application/json"]["schema"]
    stream = {p["name"]: p for p in document["paths"]["/taskrouter/events/stream"]["get"]["parameters"]}
    assert stream["workspaceSid"]["required"] is True


def test_the_contract_states_bounds_enums_and_output_only_fields(document):
    worker = _body_schema(document, "/taskrouter/workers", "post")["properties"]
    assert (worker["capacity"]["minimum"], worker["capacity"]["maximum"]) == (1, 50)
    queue = _body_schema(document, "/taskrouter/taskqueues", "post")["properties"]
    assert queue["taskOrder"]["enum"] == ["FIFO", "LIFO"]
    assert queue["name"]["maxLength"] == 255
    task = _body_schema(document, "/taskrouter/tasks", "post")["properties"]
    assert (task["timeout"]["minimum"], task["timeout"]["maximum"]) == (1, 1209600)
    listing = {p["name"]: p for p in document["paths"]["/taskrouter/workers/search"]["get"]["parameters"]}
    assert (listing["pageSize"]["schema"]["minimum"], listing["pageSize"]["schema"]["maximum"]) == (1, 1000)
    schemas = document["components"]["schemas"]
    assert schemas["taskrouter.v1.Workspace"]["properties"]["sid"]["readOnly"] is True
    assert schemas["taskrouter.v1.Workspace"]["properties"]["dateCreated"]["readOnly"] is True
    assert "readOnly" not in schemas["taskrouter.v1.Workspace"]["properties"]["name"]


# Hostile values (docs/security.md): JSON nested 10,000 deep, 20 KB of text, a non-http URL. Put in
# each string field of a generated request in turn (the others kept valid, so the request gets as
# far as that field's check), each must get a 4xx in the route's envelope, never a 5xx.
HOSTILE = ['{"a":' * 10_000 + "1" + "}" * 10_000, '{"a":' + "[" * 10_000 + "]" * 10_000 + "}", "x" * 20_000,
           "file:///etc/passwd"]


def _string_fields(document: dict, path: str, method: str) -> list[str]:
    """The string properties of an operation's JSON body, as the document describes it."""
    body = document["paths"][path][method.lower()].get("requestBody", {})
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return [name for name, spec in schema.get("properties", {}).items() if spec.get("type") == "string"]


@pytest.mark.parametrize("method, path", operations(), ids=lambda v: v)
def test_hostile_strings_in_each_field_get_no_server_error(live_schema, document, server, population, method, path):
    operation = live_schema[path][method.lower()]
    kind = KIND.get(path.split("/")[2]) if path.startswith("/taskrouter/") else None
    overrides = {"path_parameters": {"sid": population[kind]}} if "{sid}" in path and kind else {}
    fields = _string_fields(document, path, method)
    statuses: list[int] = []

    @settings(max_examples=1, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE, **overrides))
    def run(case):
        if isinstance(case.body, dict):
            if "name" in fields:
                case.body["name"] = f"Hostile {len(statuses)}"
            if method == "POST" and path in OWNER:
                field, owner = OWNER[path]
                case.body[field] = population[owner]
        case.headers = {**(case.headers or {}), "Authorization": population["auth"]}
        places = [("body", key) for key in fields if isinstance(case.body, dict)]
        places += [("query", key) for key, value in (case.query or {}).items() if isinstance(value, str)]
        for where, key in places:
            original = getattr(case, where).get(key)
            for hostile in HOSTILE:
                getattr(case, where)[key] = hostile
                response = case.call(base_url=server.http_url, timeout=30)
                statuses.append(response.status_code)
                assert response.status_code < 500, (where, key, hostile[:20], response.text[:300])
            getattr(case, where).pop(key)
            if original is not None:
                getattr(case, where)[key] = original

    run()


@pytest.mark.parametrize("method, path", operations(), ids=lambda v: v)
def test_every_operation_refuses_a_caller_without_credentials(live_schema, server, population, method, path):
    """Generated requests without credentials: refused (401, or the route's own refusal), never served
    and never a 5xx. (No wrong credentials here: those would count as failed logins of this host.)"""
    operation = live_schema[path][method.lower()]
    statuses: list[int] = []

    @settings(max_examples=2, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def run(case):
        case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
        response = case.call(base_url=server.http_url, timeout=30)
        statuses.append(response.status_code)
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])

    run()
    if path.startswith("/taskrouter/"):
        assert set(statuses) == {401}, statuses
