"""Data flows one way (request → servicer → domain → store): servicers and messages.py convert
between messages and domain values, and leave every read to the domain (services/routing/).
Imports stand at the top of a module, where a reader looks for what it depends on."""

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


# Where an import inside a function is on purpose: start-up time (cli.py: the server and gateway,
# tracing.py: the OpenTelemetry SDK).
LAZY_IMPORTS = {"cli.py", "observability/tracing.py"}
CHECKED = ("*.py", "gateway/*.py", "ingress/*.py", "observability/*.py", "*/servicer.py")


def _function_imports(path: pathlib.Path) -> list[str]:
    return [f"line {node.lineno}: {ast.unparse(node)}" for function in ast.walk(ast.parse(path.read_text()))
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom))]


@pytest.mark.parametrize("path", sorted({str(p.relative_to(SERVICES)) for pattern in CHECKED
                                         for p in SERVICES.glob(pattern)} - LAZY_IMPORTS))
def test_imports_are_at_the_top(path):
    assert not _function_imports(SERVICES / path), f"{path} imports inside a function"


def test_the_sdk_imports_at_the_top():
    sdk = SERVICES.parent / "sdk"
    assert {str(p.name): _function_imports(p) for p in sdk.glob("*.py") if _function_imports(p)} == {}
