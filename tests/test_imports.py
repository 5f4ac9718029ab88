"""riskcli's modules import one another without a cycle, counting the imports inside functions."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import riskcli

PACKAGE = Path(riskcli.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.Module, modules: set[str]) -> set[str]:
    """The riskcli modules a module imports, wherever the import is (a function's body included),
    except under ``if TYPE_CHECKING:``, which never runs."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for n in node.orelse:
                visit(n)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:  # `from riskcli.render import words` imports the module words
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in modules else node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(files)
    return {
        name: _imports(ast.parse(path.read_text(encoding="utf-8")), modules) - {name} for name, path in files.items()
    }


def test_the_graph_sees_imports_inside_functions() -> None:
    """render/__init__ imports render.json only inside emit."""
    assert "riskcli.render.json" in import_graph()["riskcli.render"]


def test_no_module_imports_itself_through_others() -> None:
    try:
        order = list(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as e:
        raise AssertionError(f"an import cycle: {' → '.join(e.args[1])}") from None
    assert "riskcli.model" in order
