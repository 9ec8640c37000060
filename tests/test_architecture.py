"""The shape of the package: data flows one way, and one module owns the format's rules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sinoperu

PACKAGE = Path(sinoperu.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports (at any depth in its code)."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # Imports for the type checker alone (under ``if TYPE_CHECKING:``) never run, and an import
        # inside a function runs after every module is loaded: neither makes an import-time cycle.
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if (isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING")
            or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for inner in ast.walk(node)
            if inner is not node or isinstance(node, ast.If)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
                found.add(target)
                for alias in node.names:
                    found.add(f"{target}.{alias.name}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sinoperu"):
                found.add(node.module)
        graph[name] = found
    modules = set(graph)
    return {name: {t for t in targets if t in modules and t != name} for name, targets in graph.items()}


GRAPH = _imports()
# The package's __init__ files re-export; the command line sits on top of everything.
ENTRY_POINTS = {"sinoperu", "sinoperu.export", "sinoperu.cli", "sinoperu.__main__", "sinoperu.strategies"}


def _cycle() -> list[str] | None:
    graph = {name: targets - ENTRY_POINTS for name, targets in GRAPH.items() if name not in ENTRY_POINTS}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_there_is_no_import_cycle() -> None:
    assert _cycle() is None


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if m.startswith("sinoperu.export.")))
def test_exporters_never_import_the_loader(module: str) -> None:
    assert "sinoperu.loader" not in GRAPH[module]


def test_the_format_module_reads_only_the_models_and_their_rules() -> None:
    assert GRAPH["sinoperu.format"] <= {"sinoperu.fields", "sinoperu.models"}


def test_the_cycle_finder_finds_a_cycle() -> None:
    GRAPH.setdefault("sinoperu.fields", set()).add("sinoperu.format")
    try:
        assert _cycle() is not None
    finally:
        GRAPH["sinoperu.fields"].discard("sinoperu.format")
