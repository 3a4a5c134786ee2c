"""The OpenAPI 3.0 document, generated from the same route table the gateway serves."""

from __future__ import annotations

from typing import Any

from google.api import field_behavior_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from taskrouter.server.gateway.descriptors import is_map, is_repeated
from taskrouter.server.gateway.routes import Route
from taskrouter.v1 import field_rules_pb2

F = FieldDescriptor
_SCALARS: dict[int, dict[str, Any]] = {
    F.TYPE_INT32: {"type": "integer", "format": "int32"},
    F.TYPE_SINT32: {"type": "integer", "format": "int32"},
    F.TYPE_SFIXED32: {"type": "integer", "format": "int32"},
    F.TYPE_UINT32: {"type": "integer", "format": "int64", "minimum": 0},
    F.TYPE_FIXED32: {"type": "integer", "format": "int64", "minimum": 0},
    # 64-bit integers are JSON numbers in this API (see rendering.py).
    F.TYPE_INT64: {"type": "integer", "format": "int64"},
    F.TYPE_SINT64: {"type": "integer", "format": "int64"},
    F.TYPE_SFIXED64: {"type": "integer", "format": "int64"},
    F.TYPE_UINT64: {"type": "integer", "format": "int64", "minimum": 0},
    F.TYPE_FIXED64: {"type": "integer", "format": "int64", "minimum": 0},
    F.TYPE_FLOAT: {"type": "number", "format": "float"},
    F.TYPE_DOUBLE: {"type": "number", "format": "double"},
    F.TYPE_BOOL: {"type": "boolean"},
    F.TYPE_STRING: {"type": "string"},
    F.TYPE_BYTES: {"type": "string", "format": "byte"},
}
_WELL_KNOWN: dict[str, dict[str, Any]] = {
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string"},
    "google.protobuf.FieldMask": {"type": "string"},
    "google.protobuf.Struct": {"type": "object", "additionalProperties": True},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array", "items": {}},
    "google.protobuf.Empty": {"type": "object"},
    "google.protobuf.Any": {"type": "object", "additionalProperties": True},
    "google.protobuf.StringValue": {"type": "string", "nullable": True},
    "google.protobuf.BytesValue": {"type": "string", "format": "byte", "nullable": True},
    "google.protobuf.BoolValue": {"type": "boolean", "nullable": True},
    "google.protobuf.Int32Value": {"type": "integer", "format": "int32", "nullable": True},
    "google.protobuf.UInt32Value": {"type": "integer", "format": "int64", "nullable": True},
    "google.protobuf.Int64Value": {"type": "integer", "format": "int64", "nullable": True},
    "google.protobuf.UInt64Value": {"type": "integer", "format": "int64", "nullable": True},
    "google.protobuf.FloatValue": {"type": "number", "format": "float", "nullable": True},
    "google.protobuf.DoubleValue": {"type": "number", "format": "double", "nullable": True},
}
ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error. errorCode is the seed's code (526, 520, ...) or the HTTP status.",
    "properties": {
        "errorCode": {"type": "string", "example": "526"},
        "message": {"type": "string", "example": "Workspace not unique"},
        "data": {"type": "string", "example": "MyTestWorkSpace 5"},
    },
    "required": ["errorCode", "message", "data"],
}


_PATH_ITEM_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


class _Builder:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {"Error": ERROR_SCHEMA}

    def ref(self, desc: Descriptor) -> dict[str, Any]:
        if desc.full_name in _WELL_KNOWN:
            return dict(_WELL_KNOWN[desc.full_name])
        if desc.full_name not in self.schemas:
            self.schemas[desc.full_name] = {}  # placeholder: recursion-safe
            self.schemas[desc.full_name] = self.object_schema(desc)
        return {"$ref": f"#/components/schemas/{desc.full_name}"}

    def object_schema(self, desc: Descriptor, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
        fields = [f for f in desc.fields if f.name not in exclude]
        schema: dict[str, Any] = {"type": "object", "properties": {f.json_name: self.field_schema(f) for f in fields}}
        required = [f.json_name for f in fields if is_required(f)]
        if required:
            schema["required"] = required
        return schema

    def value_schema(self, field: FieldDescriptor) -> dict[str, Any]:
        if field.type == F.TYPE_ENUM:
            return {"type": "string", "enum": [v.name for v in field.enum_type.values]}
        if field.message_type is not None:
            return self.ref(field.message_type)
        return dict(_SCALARS[field.type])

    def field_schema(self, field: FieldDescriptor) -> dict[str, Any]:
        if is_map(field):
            value = field.message_type.fields_by_name["value"]
            return {"type": "object", "additionalProperties": self.value_schema(value)}
        schema = self.value_schema(field)
        if "$ref" not in schema:
            schema.update(_rules(field))
        if is_repeated(field):
            schema = {"type": "array", "items": schema}
        if field_behavior_pb2.OUTPUT_ONLY in _behavior(field):
            schema = {"allOf": [schema], "readOnly": True} if "$ref" in schema else {**schema, "readOnly": True}
        return schema


def _behavior(field: FieldDescriptor) -> list[int]:
    return list(field.GetOptions().Extensions[field_behavior_pb2.field_behavior])


def is_required(field: FieldDescriptor) -> bool:
    """Marked REQUIRED in the proto (google.api.field_behavior): the server refuses a request without it."""
    return field_behavior_pb2.REQUIRED in _behavior(field)


def _rules(field: FieldDescriptor) -> dict[str, Any]:
    """The bounds of taskrouter.v1.field_rules as JSON Schema keywords."""
    options = field.GetOptions()
    if not options.HasExtension(field_rules_pb2.field_rules):
        return {}
    rules = options.Extensions[field_rules_pb2.field_rules]
    schema: dict[str, Any] = {}
    if rules.HasField("minimum"):
        schema["minimum"] = int(rules.minimum) if rules.minimum.is_integer() else rules.minimum
    if rules.HasField("maximum"):
        schema["maximum"] = int(rules.maximum) if rules.maximum.is_integer() else rules.maximum
    if rules.values:
        schema["enum"] = list(rules.values)
    if rules.HasField("max_length"):
        schema["maxLength"] = rules.max_length
    return schema


def _form_settable(field: FieldDescriptor) -> bool:
    """A form or query parameter can carry a scalar, an enum, or a list of them; not a message."""
    return field.message_type is None


def _leaf(desc: Descriptor, path: tuple[str, ...]) -> FieldDescriptor:
    for name in path[:-1]:
        desc = desc.fields_by_name[name].message_type
    return desc.fields_by_name[path[-1]]


def _xml_schema(schema: dict[str, Any], root: str) -> dict[str, Any]:
    """The same schema, as an XML document with that root element."""
    if "$ref" in schema:
        return {"allOf": [schema], "xml": {"name": root}}
    return {**schema, "xml": {"name": root}}


def _operation(route: Route, b: _Builder) -> dict[str, Any]:
    request = route.method.input_type
    b.ref(request)  # every message gets a component, requests included
    path_fields = {v.field_path[0] for v in route.variables}
    rule = route.response
    fixed = rule.fixed_fields()
    params: list[dict[str, Any]] = []
    for v in route.variables:
        params.append(
            {
                "name": ".".join(v.field_path),
                "in": "path",
                "required": True,
                "schema": b.value_schema(_leaf(request, v.field_path)),
            }
        )
    if rule.query_params:
        for name in rule.query_params:
            field = next(f for f in request.fields if f.json_name == name)
            params.append({"name": name, "in": "query", "required": is_required(field),
                           "schema": b.field_schema(field)})
    elif route.body != "*":
        for field in request.fields:
            if field.name in path_fields or field.name == route.body:
                continue
            if field.message_type is not None:
                continue  # nested messages are not settable from the query string
            param = {"name": field.json_name, "in": "query", "required": is_required(field),
                     "schema": b.field_schema(field)}
            if is_repeated(field):
                param.update(style="form", explode=True)
            params.append(param)
    for header, name in rule.request_headers:
        params.append({"name": header, "in": "header", "required": False,
                       "description": f"Sets {request.fields_by_name[name].json_name}.",
                       "schema": b.field_schema(request.fields_by_name[name])})
    if route.resume_field is not None:
        params.append(
            {
                "name": "Last-Event-ID",
                "in": "header",
                "required": False,
                "description": f"Resume after this event; sets {route.resume_field.json_name}.",
                "schema": {"type": "string"},
            }
        )
    op: dict[str, Any] = {
        "operationId": route.operation_id,
        "tags": [route.service_name.rpartition(".")[2]],
        "summary": f"{route.method.name} ({route.rpc_path.lstrip('/')})",
        "responses": {},
    }
    if params:
        op["parameters"] = params
    if route.body:
        if route.body == "*":
            schema = b.object_schema(request, exclude=frozenset(path_fields) | fixed)
        else:
            schema = b.field_schema(request.fields_by_name[route.body])
        content = {"application/json": {"schema": schema}}
        if rule.speaks_xml:
            content["application/xml"] = {"schema": _xml_schema(schema, rule.xml_root)}
        body_fields = [f for f in request.fields if f.name not in path_fields | fixed] if route.body == "*" else []
        # A form body is offered only where one can succeed: every required field settable from a form.
        form_ok = all(_form_settable(f) for f in body_fields if is_required(f))
        if (schema.get("type") == "object" or "$ref" in schema) and form_ok:
            content["application/x-www-form-urlencoded"] = {"schema": schema}
        op["requestBody"] = {"required": any(is_required(f) for f in body_fields), "content": content}
    response = route.method.output_type
    data = b.field_schema(response.fields_by_name[route.response_body]) if route.response_body else b.ref(response)
    if route.server_streaming:
        ok: dict[str, Any] = {
            "description": (
                f"Server-Sent Events: one event per {response.full_name} "
                "(id: its id, event: its eventType, data: its JSON); ': heartbeat' comments."
            ),
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
        b.ref(response)
    else:
        ok = {
            "description": "OK",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "data": data,
                            "code": {"type": "integer", "example": 200},
                            "message": {"type": "string", "example": "OK"},
                        },
                        "required": ["data", "code", "message"],
                    }
                }
            },
        }
    if not route.server_streaming and rule.style == "raw":
        ok = {"description": "OK", "content": {"application/json": {"schema": data}}}
    if rule.speaks_xml and not route.server_streaming:
        ok["content"]["application/xml"] = {"schema": _xml_schema(ok["content"]["application/json"]["schema"],
                                                                  rule.xml_root)}
    if rule.headers:
        ok["headers"] = {name: {"description": f"{template}", "schema": {"type": "string"}}
                         for name, template in rule.headers}
    error: dict[str, Any] = {"$ref": "#/components/responses/Error"}
    if rule.error_style == "aws":
        error = {"description": "AWS error: header x-amzn-ErrorType names the exception",
                 "headers": {"x-amzn-ErrorType": {"schema": {"type": "string"}}},
                 "content": {"application/json": {"schema": {
                     "type": "object", "properties": {"message": {"type": "string"}}}}}}
    elif rule.error_style == "egain":
        error = {"description": "Error", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"code": {"type": "string"}, "developerMessage": {"type": "string"}}}}}}
    elif rule.error_style == "plain":
        error = {"description": "Error", "content": {"application/json": {"schema": {
            "type": "object", "properties": {"status": {"type": "integer"}, "code": {"type": "string"},
                                             "message": {"type": "string"}}}}}}
    if rule.speaks_xml and "content" in error:
        body = error["content"]["application/json"]["schema"]
        error["content"]["application/xml"] = {"schema": _xml_schema(body, rule.xml_error_root)}
    op["responses"] = {
        str(rule.success_status): ok,
        "4XX": error,
        "5XX": error,
    }
    return op


def openapi_document(routes: list[Route], title: str = "taskrouter", version: str = "v1") -> dict[str, Any]:
    b = _Builder()
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        if route.http_method.lower() not in _PATH_ITEM_METHODS:
            continue
        paths.setdefault(route.openapi_path, {})[route.http_method.lower()] = _operation(route, b)
    return {
        "openapi": "3.0.3",
        "info": {
            "title": title,
            "version": version,
            "description": "HTTP/JSON API of taskrouter, generated from the google.api.http annotations.",
        },
        "servers": [{"url": "/"}],
        "security": [{"basicAuth": []}, {"workerToken": []}],
        "paths": paths,
        "components": {
            "schemas": dict(sorted(b.schemas.items())),
            "responses": {
                "Error": {
                    "description": "The seed's error body",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "workerToken": {"type": "http", "scheme": "bearer",
                                "description": "A worker token (POST /taskrouter/workers/{sid}/tokens): only its "
                                               "worker's own reads, activity, reservations, tasks and stream"},
            },
        },
    }
