"""The generic parts of taskrouter.v1.http_response that the eGain route uses (xml, query_params,
unknown_query_error, request_headers, error_statuses), against the scripted server; and the pure
helpers behind them (Accept negotiation, XML ⇄ JSON values)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from taskrouter.server.gateway.media import JSON, XML, XmlBodyError, negotiate, value_to_xml, xml_to_value
from taskrouter.server.gateway.response_rules import ResponseRule

PATH = "/core/casemgr/v3/activity/task"


@pytest.mark.parametrize("accept,expected", [
    (None, JSON), ("", JSON), ("application/json", JSON), ("application/xml", XML), ("*/*", JSON),
    ("application/*", JSON), ("text/html, application/xml;q=0.2", XML), ("application/xml, application/json", XML),
    ("application/json;q=0.5, application/xml;q=0.6", XML), ("application/xml;q=0, */*", JSON),
    ("text/html", None), ("application/json;q=0", None), ("text/xml", None), ("application/json;q=abc", None),
])
def test_negotiate(accept, expected):
    assert negotiate(accept) == expected


def test_xml_values_both_ways():
    value = xml_to_value(b'<a xmlns="urn:x" k="v"><b>1</b><c><d>x</d><d>y</d></c><e/><f>  t  </f></a>')
    assert value == {"k": "v", "b": "1", "c": {"d": ["x", "y"]}, "e": "", "f": "t"}
    document = value_to_xml("error", {"code": "400-101", "list": ["a", "b"], "flag": True, "nested": {"n": 1}})
    root = ET.fromstring(document)
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert root.tag == "error" and root.findtext("code") == "400-101"
    assert [e.text for e in root.findall("list")] == ["a", "b"] and root.findtext("flag") == "true"
    assert root.findtext("nested/n") == "1"
    for bad in (b"<a>", b"not xml", b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'):
        with pytest.raises(XmlBodyError):
            xml_to_value(bad)


def test_error_status_folds_to_documented_ones():
    rule = ResponseRule(error_statuses=(400, 401, 403, 406, 500))
    assert [rule.error_status(s) for s in (400, 404, 413, 415, 401, 406, 500, 501, 503, 504)] == \
        [400, 400, 400, 400, 401, 406, 500, 500, 500, 500]
    assert ResponseRule().error_status(415) == 415


def test_query_params_and_header_fields(client, recorder):
    r = client.post(PATH, params={"searchContactOnAttribute": "email.emailAddress", "createCustomer": "yes"},
                    json={"searchContactOnAttribute": "from the body", "acceptLanguage": "xx", "subject": "s"},
                    headers={"Accept-Language": "fr-FR", "X-Taskrouter-Workflow-Sid": "WF1"})
    assert r.status_code == 201, r.text
    request = recorder.last("CreateEgainTaskActivity")
    assert request.search_contact_on_attribute == "email.emailAddress" and request.create_customer == "yes"
    assert request.accept_language == "fr-FR" and request.workflow_sid == "WF1" and request.subject == "s"
    client.post(PATH, json={"searchContactOnAttribute": "x", "workflowSid": "WF2"})
    request = recorder.last("CreateEgainTaskActivity")
    assert request.search_contact_on_attribute == "" and request.workflow_sid == "" and request.accept_language == ""


def test_unknown_query_parameters_are_refused(client, recorder):
    before = len(recorder.calls["CreateEgainTaskActivity"])
    r = client.post(PATH, params=[("b", "1"), ("a", "2"), ("b", "3"), ("searchContactOnAttribute", "x")], json={})
    assert r.status_code == 400
    assert r.json() == {"code": "400-101", "developerMessage": "Unsupported query parameter(s) supplied: 'b, a'."}
    assert len(recorder.calls["CreateEgainTaskActivity"]) == before  # refused before the call
    # other routes still ignore unknown query parameters
    assert client.get("/taskrouter/workspaces/search", params={"nonsense": "1"}).status_code == 200


def test_xml_in_and_out(client, recorder):
    document = b"<activity><subject>hello</subject><department><name>D</name></department></activity>"
    r = client.post(PATH, content=document, headers={"Content-Type": "application/xml", "Accept": "application/xml"})
    assert r.status_code == 201 and r.headers["content-type"] == "application/xml"
    assert ET.fromstring(r.content).tag == "activity" and ET.fromstring(r.content).findtext("id") == "TK1"
    request = recorder.last("CreateEgainTaskActivity")
    assert request.subject == "hello" and request.department.name == "D"
    r = client.post(PATH, params={"x": "1"}, json={}, headers={"Accept": "application/xml"})
    root = ET.fromstring(r.content)
    assert r.status_code == 400 and root.tag == "error" and root.findtext("code") == "400-101"


def test_not_acceptable_and_statuses(client):
    r = client.post(PATH, json={}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and r.json()["code"] == "406-100"
    assert r.headers["content-type"] == "application/json"
    r = client.post(PATH, content=b"a=b", headers={"Content-Type": "multipart/form-data; boundary=x"})
    assert r.status_code == 400 and r.json()["code"] == "400-100"  # 415, folded
    r = client.post(PATH, json={"subject": "unavailable"})
    assert r.status_code == 500 and r.json() == {"code": "500-100", "developerMessage": "Try later"}  # 503, folded
    # other routes keep their statuses and ignore Accept
    r = client.post("/taskrouter/workspaces", content=b"x", headers={"Content-Type": "multipart/form-data"})
    assert r.status_code == 415
    assert client.get("/taskrouter/workspaces/search", headers={"Accept": "image/png"}).status_code == 200
