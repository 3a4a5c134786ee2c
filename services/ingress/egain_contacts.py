"""Reading an eGain customer representation: its contact points, named as the query parameters
name them (email.emailAddress, home.phone, ..., custom.NAME), and name/value lists such as
customAttributes. eGain's representation nests these in several ways (contacts.contact[].email[],
typed phone objects, XML bodies where a one-element list is a single object), so the reading is by
key, at any depth; docs/ingress.md lists the shapes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

EMAIL = "email.emailAddress"
CONTACT_KINDS = (EMAIL, "home.phone", "mobile.phone", "office.phone", "social.facebookId", "social.twitterId",
                 "social.instagramId")
CUSTOM_PREFIX = "custom."
PHONE_TYPES = ("home", "mobile", "office")
# Keys whose scalar value is that kind of contact point wherever they appear.
_LEAF_KINDS = {"emailAddress": EMAIL, "facebookId": "social.facebookId", "twitterId": "social.twitterId",
               "instagramId": "social.instagramId"}
_PHONE_NUMBER_KEYS = ("phoneNumber", "number", "phone")
_CUSTOM_CONTAINERS = ("customAttributes", "custom")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")


def is_contact_attribute(name: str) -> bool:
    """Whether searchContactOnAttribute may name it: one of the seven kinds, or custom.NAME."""
    return name in CONTACT_KINDS or (name.startswith(CUSTOM_PREFIX) and len(name) > len(CUSTOM_PREFIX))


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def named_values(value: Any) -> Iterator[tuple[str, Any]]:
    """(name, value) pairs of a custom-attribute list in any of its forms: {"region": "EU"},
    [{"name": "region", "value": "EU"}] or {"customAttribute": [...]} (one item: an object)."""
    if isinstance(value, list):
        for item in value:
            yield from named_values(item)
    elif isinstance(value, dict):
        if isinstance(value.get("name"), str) and "value" in value:
            yield value["name"], value["value"]
        elif len(value) == 1 and isinstance(next(iter(value.values())), (list, dict)) \
                and next(iter(value)) in ("customAttribute", "attribute"):
            yield from named_values(next(iter(value.values())))
        else:
            yield from value.items()


def _type_of(node: dict) -> str | None:
    kind = node.get("type")
    if isinstance(kind, dict):
        kind = kind.get("value")
    return kind.strip().lower() if isinstance(kind, str) else None


def contact_points(customer: Any) -> dict[str, list[str]]:
    """Every contact point of the representation by kind, values as given (stripped), in order."""
    found: dict[str, list[str]] = {}

    def add(kind: str, value: Any) -> None:
        text = _scalar(value)
        if text is not None and text not in found.setdefault(kind, []):
            found[kind].append(text)

    def walk(node: Any, ancestors: tuple[str, ...]) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, ancestors)
            return
        if not isinstance(node, dict):
            return
        phone_type = _type_of(node)
        if phone_type in PHONE_TYPES:  # {"phoneNumber": "...", "type": "home"} or {"type": {"value": "home"}}
            for key in _PHONE_NUMBER_KEYS:
                if _scalar(node.get(key)) is not None:
                    add(f"{phone_type}.phone", node[key])
                    break
        for key, value in node.items():
            if key in _CUSTOM_CONTAINERS:
                for name, item in named_values(value):
                    add(CUSTOM_PREFIX + str(name), item)
                continue
            values = value if isinstance(value, list) else [value]
            if key in _LEAF_KINDS:
                for item in values:
                    add(_LEAF_KINDS[key], item)
            elif key == "phone":
                nearest = next((a for a in reversed(ancestors) if a in PHONE_TYPES), None)
                for item in values if nearest is not None else ():  # {"home": {"phone": "..."}}
                    add(f"{nearest}.phone", item)
            walk(value, (*ancestors, key))

    walk(customer, ())
    return found


def normalized(kind: str, value: str) -> str:
    """The form a contact point is stored and matched in: emails in lower case, phone numbers
    without spaces, dots, dashes or parentheses, anything else as given."""
    if kind == EMAIL:
        return value.strip().lower()
    if kind.endswith(".phone") and not kind.startswith(CUSTOM_PREFIX):
        return _PHONE_PUNCTUATION.sub("", value)
    return value.strip()
