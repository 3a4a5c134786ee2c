"""JSON or XML, for routes whose `taskrouter.v1.http_response` has `xml` set: which one the
client accepts (the Accept header), and XML bodies read into, and written from, the JSON values
the rest of the gateway works with. XML is parsed with defusedxml: no DTDs, no entities."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from taskrouter.server.json_depth import MAX_BODY_DEPTH

JSON = "application/json"
XML = "application/xml"
XML_MEDIA_TYPES = ("application/xml", "text/xml")
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def _ranges(accept: str) -> list[tuple[str, str, float, int]]:
    """(type, subtype, q, position) of each media range of an Accept header."""
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = item.split(";")
        kind, _, subtype = media.strip().lower().partition("/")
        if not kind:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((kind, subtype or "*", q, position))
    return ranges


def negotiate(accept: str | None, offered: tuple[str, ...] = (JSON, XML)) -> str | None:
    """The offered media type the Accept header prefers (no header: the first offered), or None
    when it accepts none of them. Per RFC 9110: the most specific range decides each type's q;
    ties go to the range listed first, then to the order of `offered`."""
    if accept is None or not accept.strip():
        return offered[0]
    ranges = _ranges(accept)
    best, best_key = None, None
    for rank, media in enumerate(offered):
        kind, _, subtype = media.partition("/")
        matches = [(2 if (k, s) == (kind, subtype) else 1 if (k, s) == (kind, "*") else 0, q, position)
                   for k, s, q, position in ranges if (k, s) in ((kind, subtype), (kind, "*"), ("*", "*"))]
        if not matches:
            continue
        _specificity, q, position = max(matches, key=lambda m: m[0])
        if q <= 0:
            continue
        key = (q, -position, -rank)
        if best_key is None or key > best_key:
            best, best_key = media, key
    return best


def is_xml(media_type: str) -> bool:
    return media_type in XML_MEDIA_TYPES or media_type.endswith("+xml")


def looks_like_xml(raw: bytes) -> bool:
    return raw.lstrip().startswith(b"<")


class XmlBodyError(ValueError):
    """The body is not well-formed XML, or uses what we refuse (DTDs, entities)."""


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag.startswith("{") else tag.rpartition(":")[2]


def _value(element: ET.Element) -> Any:
    """An element as a JSON value: text when it has no children or attributes, else an object
    whose keys are attribute and child names; a name that repeats becomes a list."""
    children = list(element)
    text = (element.text or "").strip()
    if not children and not element.attrib:
        return text
    value: dict[str, Any] = {_local(k): v for k, v in element.attrib.items() if not k.startswith("{")}
    for child in children:
        name = _local(child.tag)
        item = _value(child)
        if name in value:
            existing = value[name]
            value[name] = [*existing, item] if isinstance(existing, list) else [existing, item]
        else:
            value[name] = item
    if text and not children:
        value["value"] = text
    return value


def _depth(root: ET.Element) -> int:
    """How deeply elements nest, measured without recursion."""
    deepest, level = 0, [(root, 1)]
    while level:
        element, depth = level.pop()
        deepest = max(deepest, depth)
        level.extend((child, depth + 1) for child in element)
    return deepest


def xml_to_value(raw: bytes | str) -> dict[str, Any]:
    """The root element's content as a JSON object (the root's own name is not kept). Elements
    nested deeper than MAX_BODY_DEPTH are refused, as JSON bodies are: the conversion recurses per
    level, and protobuf decodes only so deep."""
    try:
        root = fromstring(raw)
    except DefusedXmlException as err:
        raise XmlBodyError(f"XML body refused: {type(err).__name__}") from None
    except ET.ParseError as err:
        raise XmlBodyError(f"Malformed XML body: {err}") from None
    if _depth(root) > MAX_BODY_DEPTH:
        raise XmlBodyError(f"XML body refused: elements nested more than {MAX_BODY_DEPTH} levels deep")
    value = _value(root)
    return value if isinstance(value, dict) else {}


def _append(parent: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _append(parent, name, item)
        return
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def value_to_xml(root: str, value: dict[str, Any]) -> bytes:
    """A JSON object as an XML document: keys become child elements, lists repeat the element."""
    element = ET.Element(root)
    for key, item in value.items():
        _append(element, key, item)
    return _DECLARATION + ET.tostring(element, encoding="utf-8", xml_declaration=False)
