"""The OpenAPI document: generated from the same annotations, valid OpenAPI 3.0."""

from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_document_is_valid(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    validate(doc)
    assert doc["openapi"].startswith("3.0")


def test_openapi_covers_every_binding(client):
    doc = client.get("/openapi.json").json()
    paths = doc["paths"]
    assert set(paths["/taskrouter/tasks/search/{sid}"]) == {"get", "put"}  # additional_bindings
    assert paths["/taskrouter/tasks/search/{sid}"]["put"]["operationId"] == "UpdateTask2"
    assert set(paths["/taskrouter/workspaces"]) == {"post"}
    ops = [op for item in paths.values() for op in item.values()]
    # 36 seed operations + 8 ingress (docs/ingress.md) + 5 statistics + 12 of task channels,
    # worker channels, transfers + 3 clients (docs/clients.md)
    assert len(ops) == 64
    assert set(paths["/taskrouter/taskchannels/{sid}"]) == {"put", "delete"}
    assert set(paths["/taskrouter/workerchannels/search"]) == {"get"}
    assert set(paths["/taskrouter/workerchannels/{sid}"]) == {"put"}
    assert set(paths["/taskrouter/transfers"]) == {"post"}
    assert set(paths["/taskrouter/transfers/search/{sid}"]) == {"get"}
    assert len({op["operationId"] for op in ops}) == len(ops)


def test_openapi_parameters_bodies_and_envelopes(client):
    doc = client.get("/openapi.json").json()
    listing = doc["paths"]["/taskrouter/activities/search"]["get"]
    params = {p["name"]: p for p in listing["parameters"]}
    assert params["pageSize"]["schema"] == {"type": "integer", "format": "int32", "minimum": 1, "maximum": 1000}
    assert params["available"]["schema"] == {"type": "boolean"}
    assert params["SortBy"]["in"] == "query"
    ok = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["properties"]["data"] == {"$ref": "#/components/schemas/taskrouter.v1.ListActivitiesResponse"}
    assert listing["responses"]["4XX"] == {"$ref": "#/components/responses/Error"}

    update = doc["paths"]["/taskrouter/workspaces/{sid}"]["put"]
    assert [p["name"] for p in update["parameters"]] == ["sid"]
    body = update["requestBody"]["content"]["application/json"]["schema"]
    assert "sid" not in body["properties"] and "defaultActivitySid" in body["properties"]
    assert "application/x-www-form-urlencoded" in update["requestBody"]["content"]

    schemas = doc["components"]["schemas"]
    assert schemas["taskrouter.v1.Task"]["properties"]["age"] == {"type": "integer", "format": "int64", "readOnly": True}
    assert schemas["Error"]["required"] == ["errorCode", "message", "data"]
    for name in ("taskrouter.v1.Worker", "taskrouter.v1.Workflow", "taskrouter.v1.CreateTaskRequest"):
        assert name in schemas
    assert doc["components"]["securitySchemes"]["basicAuth"] == {"type": "http", "scheme": "basic"}

    stream = doc["paths"]["/taskrouter/events/stream"]["get"]
    assert "text/event-stream" in stream["responses"]["200"]["content"]
    assert "Last-Event-ID" in {p["name"] for p in stream["parameters"]}
