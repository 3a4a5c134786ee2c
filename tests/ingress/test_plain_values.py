"""The ingress domain modules take plain values: protobuf stays in the servicer and translation.py."""

from __future__ import annotations

import ast
import importlib
import pathlib

import pytest

from taskrouter.server.ingress import genesys
from taskrouter.v1 import task_service_pb2

DOMAIN_MODULES = ("connect", "egain", "egain_config", "egain_contacts", "errors", "genesys", "sigv4", "sigv4_accounts",
                  "store")
TRANSPORT = ("google.protobuf", "taskrouter.v1")


def imported_modules(module_name: str) -> set[str]:
    """Every module the source imports, at the top or inside a function."""
    source = pathlib.Path(importlib.import_module(module_name).__file__ or "").read_text()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.update([node.module, *(f"{node.module}.{alias.name}" for alias in node.names)])
    return found


@pytest.mark.parametrize("name", DOMAIN_MODULES)
def test_domain_modules_import_no_protobuf(name):
    transport = {m for m in imported_modules(f"taskrouter.server.ingress.{name}") if m.startswith(TRANSPORT)}
    assert not transport, f"ingress/{name}.py imports {sorted(transport)}"


def test_domain_modules_are_all_listed():
    """A new ingress module is checked too (or is named here as transport)."""
    folder = pathlib.Path(genesys.__file__).parent
    assert {p.stem for p in folder.glob("*.py")} == {*DOMAIN_MODULES, "__init__", "servicer", "translation"}


def test_extension_names_exclude_every_start_task_field():
    """No extension may take a name the gateway reads as a Start Task field, now listed by the domain."""
    fields = task_service_pb2.StartGenesysTaskRequest.DESCRIPTOR.fields
    assert {n.lower() for f in fields for n in (f.name, f.json_name)} == genesys.TASK_FIELD_NAMES
