"""The routing package's import graph: every module imports on its own, the module-level imports
form no cycle, and an import left inside a function says which cycle it guards."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import taskrouter.server.routing as routing

PACKAGE = "taskrouter.server.routing"
FOLDER = pathlib.Path(routing.__file__).parent
MODULES = sorted(path.stem for path in FOLDER.glob("*.py") if path.stem != "__init__")


def _imported(node: ast.ImportFrom) -> set[str]:
    """The routing modules an import statement names (`from routing import a, b`, `from routing.a import x`)."""
    if node.module == PACKAGE:
        return {alias.name for alias in node.names if alias.name in MODULES}
    if node.module and node.module.startswith(PACKAGE + "."):
        name = node.module.split(".")[3]
        return {name} if name in MODULES else set()
    return set()


def _imports(module: str) -> tuple[set[str], list[tuple[ast.ImportFrom, str]]]:
    """The routing modules `module` imports at module level, and its imports inside functions
    with the source line of each."""
    source = (FOLDER / f"{module}.py").read_text()
    lines = source.splitlines()
    tree = ast.parse(source)
    top = {name for node in tree.body if isinstance(node, ast.ImportFrom) for name in _imported(node)}
    late = [(node, lines[node.lineno - 1]) for function in ast.walk(tree)
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef))
            for node in ast.walk(function) if isinstance(node, ast.ImportFrom) and _imported(node)]
    return top, late


def test_every_routing_module_imports_alone_in_a_fresh_interpreter():
    runs = {module: subprocess.Popen([sys.executable, "-c", f"import {PACKAGE}.{module}"],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for module in MODULES}
    failed = {module: run.communicate(timeout=120)[1].strip().splitlines()[-1:]
              for module, run in runs.items()}
    assert {module: error for module, error in failed.items() if runs[module].returncode} == {}


def test_module_level_imports_form_no_cycle():
    graph = {module: _imports(module)[0] for module in MODULES}
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(module):], module]))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, [*path, module])
        done.add(module)

    for module in MODULES:
        visit(module, [])


def test_workers_and_reservations_do_not_import_each_other_both_ways():
    top, late = _imports("reservations")
    assert "workers" not in top | {name for node, _ in late for name in _imported(node)}


def test_each_import_inside_a_function_names_the_cycle_it_guards():
    bare = [f"{module}: {line.strip()}" for module in MODULES for _, line in _imports(module)[1]
            if "cycle" not in line.partition("#")[2]]
    assert bare == []
