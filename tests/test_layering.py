"""Data flows one way (request → servicer → domain → store): servicers and messages.py convert
between messages and domain values, and leave every read to the domain (services/routing/)."""

from __future__ import annotations

import ast
import pathlib

import pytest

SERVICES = pathlib.Path(__file__).resolve().parent.parent / "services"
CONVERTERS = sorted(["messages.py", *(str(p.relative_to(SERVICES)) for p in SERVICES.glob("*/servicer.py"))])
QUERIES = {"select", "where", "get_or_none", "execute", "insert_many"}


def _annotations(tree: ast.AST) -> set[int]:
    """ids of every node inside a type annotation (models in a signature is no query)."""
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            roots += [a.annotation for a in (*node.args.args, *node.args.kwonlyargs) if a.annotation]
            roots += [node.returns] if node.returns else []
        elif isinstance(node, ast.AnnAssign):
            roots.append(node.annotation)
    return {id(inner) for root in roots for inner in ast.walk(root)}


@pytest.mark.parametrize("path", CONVERTERS)
def test_converters_read_nothing_themselves(path):
    tree = ast.parse((SERVICES / path).read_text())
    typing_only = _annotations(tree)
    reads = [f"line {node.lineno}: {ast.unparse(node)}" for node in ast.walk(tree) if id(node) not in typing_only and (
        (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "models")
        or (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERIES))]
    assert not reads, f"{path} reads the store itself: {reads}"


def test_every_servicer_is_checked():
    assert {"messages.py", "configuration/servicer.py", "tasks/servicer.py", "ingress/servicer.py"} <= set(CONVERTERS)
