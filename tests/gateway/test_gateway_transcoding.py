"""The generic parts, on a probe proto built here: features our own protos do not use yet
(nested path variables, `=pattern` and `**` variables, custom verbs, `body: "field"`,
`response_body`, repeated and nested query parameters, maps and wrappers of int64)."""

from __future__ import annotations

import types

import pytest
from google.api import annotations_pb2
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, wrappers_pb2  # noqa: F401
from openapi_spec_validator import validate

from taskrouter.server.gateway.error_mapping import GatewayError
from taskrouter.server.gateway.openapi import openapi_document
from taskrouter.server.gateway.rendering import envelope, message_to_json
from taskrouter.server.gateway.routes import RouteTable, routes_from_modules
from taskrouter.server.gateway.transcoding import build_request

FDP = descriptor_pb2.FieldDescriptorProto


def _probe_file() -> types.SimpleNamespace:
    name = "gatewayprobe/v1/probe.proto"
    pool = descriptor_pool.Default()
    try:
        return types.SimpleNamespace(DESCRIPTOR=pool.FindFileByName(name))
    except KeyError:
        pass
    f = descriptor_pb2.FileDescriptorProto(
        name=name,
        package="gatewayprobe.v1",
        syntax="proto3",
        dependency=["google/api/annotations.proto", "google/protobuf/wrappers.proto"],
    )
    color = f.enum_type.add(name="Color")
    color.value.add(name="COLOR_UNSPECIFIED", number=0)
    color.value.add(name="RED", number=1)
    probe = f.message_type.add(name="Probe")
    entry = probe.nested_type.add(name="CountsEntry")
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=FDP.TYPE_STRING, label=FDP.LABEL_OPTIONAL, json_name="key")
    entry.field.add(name="value", number=2, type=FDP.TYPE_INT64, label=FDP.LABEL_OPTIONAL, json_name="value")
    fields = [
        ("name", FDP.TYPE_STRING, FDP.LABEL_OPTIONAL, None),
        ("ids", FDP.TYPE_INT32, FDP.LABEL_REPEATED, None),
        ("tags", FDP.TYPE_STRING, FDP.LABEL_REPEATED, None),
        ("big", FDP.TYPE_INT64, FDP.LABEL_OPTIONAL, None),
        ("bigs", FDP.TYPE_UINT64, FDP.LABEL_REPEATED, None),
        ("counts", FDP.TYPE_MESSAGE, FDP.LABEL_REPEATED, ".gatewayprobe.v1.Probe.CountsEntry"),
        ("child", FDP.TYPE_MESSAGE, FDP.LABEL_OPTIONAL, ".gatewayprobe.v1.Probe"),
        ("flag", FDP.TYPE_BOOL, FDP.LABEL_OPTIONAL, None),
        ("ratio", FDP.TYPE_DOUBLE, FDP.LABEL_OPTIONAL, None),
        ("color", FDP.TYPE_ENUM, FDP.LABEL_OPTIONAL, ".gatewayprobe.v1.Color"),
        ("wrapped", FDP.TYPE_MESSAGE, FDP.LABEL_OPTIONAL, ".google.protobuf.Int64Value"),
        ("children", FDP.TYPE_MESSAGE, FDP.LABEL_REPEATED, ".gatewayprobe.v1.Probe"),
        ("page_size", FDP.TYPE_INT32, FDP.LABEL_OPTIONAL, None),
    ]
    for number, (fname, ftype, label, type_name) in enumerate(fields, start=1):
        field = probe.field.add(name=fname, number=number, type=ftype, label=label)
        field.json_name = "".join(p if i == 0 else p.title() for i, p in enumerate(fname.split("_")))
        if type_name:
            field.type_name = type_name
    service = f.service.add(name="ProbeService")

    def rpc(name: str, **rule) -> descriptor_pb2.MethodDescriptorProto:
        m = service.method.add(name=name, input_type=".gatewayprobe.v1.Probe", output_type=".gatewayprobe.v1.Probe")
        http = m.options.Extensions[annotations_pb2.http]
        extra = rule.pop("additional", [])
        for key, value in rule.items():
            setattr(http, key, value)
        for binding in extra:
            b = http.additional_bindings.add()
            for key, value in binding.items():
                setattr(b, key, value)
        return m

    rpc("GetProbe", get="/v1/probes/{child.name}/items/{name=shelves/*}")
    rpc("ArchiveProbe", post="/v1/probes/{name}:archive", body="child", response_body="child")
    rpc("GetFile", get="/v1/files/{name=**}", additional=[{"delete": "/v1/files/{name=**}"}])
    rpc("ListProbes", get="/v1/probes")
    service.method.add(name="Hidden", input_type=".gatewayprobe.v1.Probe", output_type=".gatewayprobe.v1.Probe")
    return types.SimpleNamespace(DESCRIPTOR=pool.Add(f) or pool.FindFileByName(name))


@pytest.fixture(scope="module")
def table() -> RouteTable:
    return RouteTable(routes_from_modules([_probe_file()]))


@pytest.fixture(scope="module")
def Probe():
    return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName("gatewayprobe.v1.Probe"))


def test_unannotated_methods_get_no_route(table):
    assert sorted(r.operation_id for r in table.routes) == ["ArchiveProbe", "GetFile", "GetFile2", "GetProbe", "ListProbes"]


def test_nested_and_patterned_path_variables(table):
    route, params = table.match("GET", "/v1/probes/abc/items/shelves/s%201")
    assert route.method.name == "GetProbe"
    assert params == {("child", "name"): "abc", ("name",): "shelves/s 1"}
    request = build_request(route, params, [])
    assert request.child.name == "abc" and request.name == "shelves/s 1"
    with pytest.raises(GatewayError) as err:
        table.match("GET", "/v1/probes/abc/items/boxes/s1")
    assert err.value.response.status == 404


def test_double_star_and_additional_binding(table):
    route, params = table.match("GET", "/v1/files/a/b/c.txt")
    assert params == {("name",): "a/b/c.txt"}
    route, _ = table.match("DELETE", "/v1/files/a")
    assert route.operation_id == "GetFile2"
    with pytest.raises(GatewayError) as err:
        table.match("PUT", "/v1/files/a")
    assert err.value.response.status == 405 and err.value.extra_headers == [("allow", "DELETE, GET")]


def test_custom_verb_with_body_field_and_response_body(table):
    route, params = table.match("POST", "/v1/probes/p1:archive")
    assert (route.body, route.response_body) == ("child", "child")
    request = build_request(route, params, [("flag", "true")], body={"NAME": "inner", "big": "7", "unknown": 1})
    assert request.name == "p1" and request.flag is True
    assert request.child.name == "inner" and request.child.big == 7
    with pytest.raises(GatewayError):
        table.match("POST", "/v1/probes/p1:delete")


def test_repeated_nested_and_typed_query_parameters(table):
    route, _ = table.match("GET", "/v1/probes")
    request = build_request(
        route,
        {},
        [
            ("ids", "1"), ("IDS", "2"), ("tags", "a"), ("tags", "b"), ("child.name", "kid"),
            ("child.child.flag", "1"), ("ratio", "0.25"), ("color", "RED"), ("big", "12345678901234"),
            ("bigs", "18446744073709551615"), ("page_size", "4"), ("name", "first"), ("name", "last"),
            ("flag", ""), ("nope", "x"),
        ],
    )
    assert list(request.ids) == [1, 2] and list(request.tags) == ["a", "b"]
    assert request.child.name == "kid" and request.child.child.flag is True
    assert request.ratio == 0.25 and request.color == 1 and request.big == 12345678901234
    assert list(request.bigs) == [18446744073709551615]
    assert request.page_size == 4 and request.name == "last" and request.flag is False


@pytest.mark.parametrize(
    "query,field",
    [
        ([("ids", "x")], "ids"),
        ([("ratio", "half")], "ratio"),
        ([("child.flag", "maybe")], "child.flag"),
        ([("child", "x")], "child"),
        ([("color", "PURPLE")], "color"),
        ([("big", "99999999999999999999999")], "big"),
    ],
)
def test_bad_query_values_name_the_field(table, query, field):
    route, _ = table.match("GET", "/v1/probes")
    with pytest.raises(GatewayError) as err:
        build_request(route, {}, query)
    assert err.value.response.status == 400
    assert f"'{field}'" in err.value.response.message and err.value.response.data == field


def test_bad_nested_body_value_names_the_path(table):
    route, params = table.match("POST", "/v1/probes/p1:archive")
    with pytest.raises(GatewayError) as err:
        build_request(route, params, [], body={"child": {"big": "lots"}})  # the body is `child`
    assert err.value.response.data == "child.child.big"


def test_int64_are_numbers_everywhere(Probe):
    probe = Probe(big=2**40, bigs=[1, 2**63], name="p")
    probe.counts["a"] = 2**41
    probe.child.big = 5
    probe.children.add().big = 6
    probe.wrapped.value = 2**42
    data = message_to_json(probe)
    assert data["big"] == 2**40 and data["bigs"] == [1, 2**63]
    assert data["counts"] == {"a": 2**41}
    assert data["child"]["big"] == 5 and data["children"][0]["big"] == 6
    assert data["wrapped"] == 2**42
    assert b'"big":1099511627776' in envelope(data)


def test_openapi_for_the_probe_is_valid(table):
    doc = openapi_document(table.routes)
    validate(doc)
    get = doc["paths"]["/v1/probes/{child.name}/items/{name}"]["get"]
    assert [p["name"] for p in get["parameters"] if p["in"] == "path"] == ["child.name", "name"]
    archive = doc["paths"]["/v1/probes/{name}:archive"]["post"]
    data = archive["responses"]["200"]["content"]["application/json"]["schema"]["properties"]["data"]
    assert data == {"$ref": "#/components/schemas/gatewayprobe.v1.Probe"}
    listing = {p["name"]: p for p in doc["paths"]["/v1/probes"]["get"]["parameters"]}
    assert listing["ids"]["schema"] == {"type": "array", "items": {"type": "integer", "format": "int32"}}
    assert listing["color"]["schema"] == {"type": "string", "enum": ["COLOR_UNSPECIFIED", "RED"]}
    probe = doc["components"]["schemas"]["gatewayprobe.v1.Probe"]["properties"]
    assert probe["counts"] == {"type": "object", "additionalProperties": {"type": "integer", "format": "int64"}}
    assert probe["wrapped"]["type"] == "integer"
