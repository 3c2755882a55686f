"""The package's layering: no import cycles (function-level imports included; names
imported only for type annotations, under ``if TYPE_CHECKING:``, do not count), the
collection memory below batch/ and review/, click only in the command line."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent.parent / "ocrfix"


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


MODULES = _modules()


def _runtime_nodes(tree: ast.AST):
    """Every node of ``tree`` except what ``if TYPE_CHECKING:`` guards (names for type
    annotations only, never imported when the program runs)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def _imports(path: Path) -> set[str]:
    """Every ocrfix module ``path`` imports when it runs, at any depth of the file (a
    name imported from a package counts as the module of that name when there is one)."""
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("ocrfix"):
                found.add(name)
    return found


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in GRAPH[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return components


def test_no_import_cycles():
    assert _cycles() == []


def test_the_memory_is_below_batch_and_review():
    above = [m for m in GRAPH["ocrfix.memory"] if m.startswith(("ocrfix.batch", "ocrfix.review"))]
    assert above == []


def test_click_lives_beside_the_command_line():
    with_click = sorted(
        name for name, path in MODULES.items()
        if any(isinstance(n, (ast.Import, ast.ImportFrom)) and "click" in (
            [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""])
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
    )
    assert all(name == "ocrfix.cli" or name.startswith("ocrfix.commands") for name in with_click), with_click
