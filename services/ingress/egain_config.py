"""An enterprise's eGain activity configuration, which eGain keeps in its console and we keep in
ingress_egain_activity_attributes: the subtypes of "task" and the activities' custom attributes
(enumerations list their values). Create task activity checks against it; an enterprise that has
configured nothing accepts any subtype and any custom attribute."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from taskrouter.server.errors import invalid
from taskrouter.server.routing.context import Caller, Environment
from taskrouter.server.store import models
from taskrouter.server.store.db import write_transaction

MAX_NAME = 255


@dataclasses.dataclass(frozen=True)
class ActivityAttributes:
    subtypes: tuple[str, ...] = ()
    custom_attributes: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # name -> values

    def subtype_allowed(self, subtype: str) -> bool:
        return not self.subtypes or subtype in self.subtypes

    def custom_attribute_problem(self, name: str, value: object) -> str | None:
        """Why a custom attribute is refused, or None."""
        if not self.custom_attributes:
            return None
        if name not in self.custom_attributes:
            return f"Custom attribute {name!r} is not configured"
        values = self.custom_attributes[name]
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if values and text not in values:
            return f"Custom attribute {name!r} must be one of {', '.join(values)}"
        return None


def load(enterprise_sid: str) -> ActivityAttributes:
    row = models.EgainActivityAttributes.get_or_none(models.EgainActivityAttributes.enterprise_sid == enterprise_sid)
    if row is None:
        return ActivityAttributes()
    return ActivityAttributes(tuple(json.loads(row.subtypes)),
                              {a["name"]: tuple(a["values"]) for a in json.loads(row.custom_attributes)})


def _clean(name: str, field: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise invalid(field, f"must be 1 to {MAX_NAME} characters")
    return name


def update(env: Environment, caller: Caller, subtypes: Iterable[str],
           custom_attributes: Iterable[tuple[str, Iterable[str]]]) -> ActivityAttributes:
    """Replaces the enterprise's configuration with these subtypes and (name, values) custom attributes."""
    subtypes = list(dict.fromkeys(_clean(s, "subtypes") for s in subtypes))
    custom: dict[str, list[str]] = {}
    for raw_name, values in custom_attributes:
        name = _clean(raw_name, "customAttributes.name")
        if name in custom:
            raise invalid("customAttributes.name", f"{name!r} is listed twice")
        custom[name] = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    now = env.clock.now()
    table = models.EgainActivityAttributes
    with write_transaction(lock_key=f"egain-config:{caller.enterprise_sid}"):
        values = {"subtypes": json.dumps(subtypes),
                  "custom_attributes": json.dumps([{"name": k, "values": v} for k, v in custom.items()]),
                  "updated_at": now}
        if not table.update(**values).where(table.enterprise_sid == caller.enterprise_sid).execute():
            table.create(enterprise_sid=caller.enterprise_sid, **values)
    return load(caller.enterprise_sid)
