"""The package's import graph: no cycles, no reaching into another module's private names.

Every import in ``analysis/`` counts, at module level and inside functions, so that "imported
on first use" cannot hide a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "analysis"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(current: str, is_package: bool, level: int, target: str | None) -> str:
    base = current.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_edges() -> tuple[dict[str, set[str]], list[str]]:
    """Return the graph {module: modules it imports} inside the package, and every import of
    another module's ``_private`` name as ``"importer: module._name"``."""
    modules = _modules()
    graph: dict[str, set[str]] = {m: set() for m in modules}
    private: list[str] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "analysis":
                        graph[name].add(_longest(alias.name, modules))
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    target = _resolve(name, is_package, node.level, node.module)
                elif node.module and node.module.split(".")[0] == "analysis":
                    target = node.module
                else:
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    if sub in modules:  # from . import quotes
                        graph[name].add(sub)
                        continue
                    graph[name].add(_longest(target, modules))
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append(f"{name}: {target}.{alias.name}")
    for deps in graph.values():
        deps.discard("")
    return {m: {d for d in deps if d != m} for m, deps in graph.items()}, private


def _longest(dotted: str, modules: dict[str, Path]) -> str:
    parts = dotted.split(".")
    while parts and ".".join(parts) not in modules:
        parts.pop()
    return ".".join(parts)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _package_parents(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    # a subpackage's __init__ re-exporting its own modules is not a cycle with them
    return {
        m: {d for d in deps if not (m.startswith(d + ".") and d != "analysis")}
        for m, deps in graph.items()
    }


def test_the_checker_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    graph, _ = import_edges()
    graph = _package_parents(graph)
    graph["analysis"] = set()  # the package's lazy exports point down at everything
    assert cycles(graph) == []


def test_no_module_imports_another_modules_private_names() -> None:
    _, private = import_edges()
    assert private == []
