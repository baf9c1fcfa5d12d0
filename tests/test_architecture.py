"""The package's layout rules (docs/ARCHITECTURE.md), checked on the source.

- the import-linter contracts in pyproject.toml are kept (layers config → core → outputs →
  studies → apps, and the order inside studies/);
- no import cycle between the package's modules (imports under ``if TYPE_CHECKING:`` aside);
- no module imports another module's private (``_name``) names;
- imports inside functions only for optional dependencies;
- no module over 500 lines.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simulator"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "conf" not in p.relative_to(PACKAGE).parts[:1])
MAX_LINES = 500
#: Top-level packages that may be imported inside a function: optional extras, loaded only when
#: the feature that needs them is used (so the core commands run without them).
OPTIONAL = {"scipy", "SALib", "sklearn", "solara", "mesa.visualization", "ipyvue", "playwright",
            "hydra_plugins"}  # the sweeper plugin: absent from an install older than it (apps/cli.py)


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or (
        isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(tree: ast.Module):
    """(node, inside_function) for every import that runs at import or call time."""
    def walk(node, in_function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            yield from walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))
    yield from walk(tree, False)


def _targets(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    return [node.module or ""]


TREES = {_module_name(p): ast.parse(p.read_text(), str(p)) for p in MODULES}


def test_import_linter_contracts_are_kept():
    pytest.importorskip("importlinter", reason="import-linter is in the dev extra: pip install -e '.[dev]'")
    from importlinter.cli import lint_imports

    sys.path.insert(0, str(PACKAGE.parent))
    try:
        assert lint_imports(config_filename=str(PACKAGE.parent / "pyproject.toml")) == 0
    finally:
        sys.path.remove(str(PACKAGE.parent))


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {}
    for name, tree in TREES.items():
        deps = set()
        for node, in_function in _imports(tree):
            if in_function:
                continue
            for target in _targets(node):
                if target.startswith("simulator"):
                    # "from simulator.x import y" may import the submodule simulator.x.y
                    subs = [f"{target}.{a.name}" for a in getattr(node, "names", [])]
                    deps.update(t for t in [target, *subs] if t in TREES and t != name)
        graph[name] = deps
    # a package's __init__ re-exporting its own modules is not a cycle through them
    for name in graph:
        graph[name] = {d for d in graph[name] if not (TREES.get(name) is not None and d.startswith(name + "."))}

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if d.startswith(n + ".") or n.startswith(d + "."):
                continue  # a module and its own package
            if state.get(d) == 1:
                cycle = stack[stack.index(d):] + [d]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n)


def test_no_module_imports_another_modules_private_names():
    bad = []
    for name, tree in TREES.items():
        for node, _ in _imports(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator"):
                bad += [f"{name}: {a.name} from {node.module}" for a in node.names if a.name.startswith("_")]
    assert bad == []


def test_imports_inside_functions_are_only_optional_dependencies():
    bad = []
    for name, tree in TREES.items():
        for node, in_function in _imports(tree):
            if in_function:
                bad += [f"{name}: {t}" for t in _targets(node)
                        if not any(t == o or t.startswith(o + ".") for o in OPTIONAL)]
    assert bad == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_the_size_limit(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES
