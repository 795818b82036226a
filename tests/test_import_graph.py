"""The import graph of the civicradar package tree: every module imports, the composition
root's modules (CLI, web app, pipeline ...) import each other without a cycle, and the steps
of the flow depend on each other only in the allowed directions.

The graph is read from the source with ``ast``: every ``import`` and ``from ... import``
of a civicradar module counts, wherever it stands (a function-level import is still a
dependency). Importing ``a.b.c`` is an edge to ``a.b.c`` only, not to the packages ``a``
and ``a.b`` that Python initialises on the way.
"""

from __future__ import annotations

import ast
import importlib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]

STEPS = ("config", "models", "crawlers", "monitors", "alerts")
"""The steps of the flow, each a top-level folder mapped to ``civicradar.<step>``; every other
civicradar module (CLI, web app, pipeline, scheduler, demo ...) is the composition root."""

ROOT = "composition root"
MAY_IMPORT: dict[str, set[str]] = {
    ROOT: {ROOT, *STEPS},
    "alerts": {"alerts", "models", "config"},
    "monitors": {"monitors", "models", "config"},
    "crawlers": {"crawlers", "models", "config"},
    "models": {"models", "config"},
    "config": {"config"},
}

KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()
"""Edges against the allowed directions that exist today and are being removed elsewhere;
each names the edge and who removes it. The test fails when one of them disappears, so the
list only shrinks."""

NOT_IMPORTABLE = {"civicradar.__main__", "civicradar.models.migrations.env"}
"""Scripts, read for the graph but not imported: ``python -m civicradar`` runs the CLI, and
Alembic's environment runs only inside an Alembic command (it reads ``alembic.context``)."""


@dataclass(frozen=True)
class Module:
    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def layer(self) -> str:
        parts = self.name.split(".")
        return parts[1] if len(parts) > 1 and parts[1] in STEPS else ROOT


def discover(project: Path = PROJECT) -> dict[str, Module]:
    """Every module of the package tree, from pyproject's package-dir mapping."""
    settings = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    folders = settings["tool"]["setuptools"]["package-dir"]
    found: dict[str, Module] = {}
    for package, folder in folders.items():
        base = project / folder
        for path in sorted(base.rglob("*.py")):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join([package, *parts])
            found.setdefault(name, Module(name, path))
    return found


def imports_of(module: Module) -> Iterator[tuple[str, str | None, int]]:
    """(module named, name imported from it or None, line) for each import in ``module``,
    relative imports made absolute."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), filename=str(module.path))
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                yield base, alias.name, node.lineno


def resolve(name: str, modules: dict[str, Module]) -> str | None:
    """The civicradar module ``name`` is or lives in (the longest known prefix)."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(modules: dict[str, Module]) -> dict[str, dict[str, int]]:
    """importer -> {imported civicradar module: line of its first import}."""
    graph: dict[str, dict[str, int]] = {}
    for module in modules.values():
        edges = graph.setdefault(module.name, {})
        for base, name, line in imports_of(module):
            if base.split(".")[0] != "civicradar":
                continue
            submodule = f"{base}.{name}" if name else base
            target = submodule if submodule in modules else resolve(base, modules)
            if target is not None and target != module.name:
                edges[target] = min(line, edges.get(target, line))
    return graph


def cycles(graph: dict[str, dict[str, int]], nodes: set[str]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly
    connected components of more than one module), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in nodes:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def violations(
    modules: dict[str, Module], graph: dict[str, dict[str, int]], project: Path = PROJECT
) -> dict[tuple[str, str], str]:
    """Edges against the allowed directions, each with where it is and what is allowed."""
    found = {}
    for importer, edges in graph.items():
        layer = modules[importer].layer
        for target, line in edges.items():
            if modules[target].layer not in MAY_IMPORT[layer]:
                path = modules[importer].path.relative_to(project)
                allowed = ", ".join(sorted(MAY_IMPORT[layer] - {layer})) or "none of the others"
                found[(importer, target)] = (
                    f"{path}:{line}: {importer} imports {target} "
                    f"({layer} may import only {allowed})"
                )
    return found


@pytest.fixture(scope="module")
def tree() -> tuple[dict[str, Module], dict[str, dict[str, int]]]:
    modules = discover()
    return modules, import_graph(modules)


def test_every_module_of_the_package_tree_imports():
    failed = {}
    for name in sorted(set(discover()) - NOT_IMPORTABLE):
        try:
            importlib.import_module(name)
        except Exception as exc:  # report them all, not the first
            failed[name] = f"{type(exc).__name__}: {exc}"
    assert failed == {}


def test_no_module_imports_itself_back_through_others(tree):
    modules, graph = tree
    assert cycles(graph, set(modules)) == []


def test_steps_of_the_flow_import_only_downstream(tree):
    modules, graph = tree
    found = violations(modules, graph)
    unexpected = [found[edge] for edge in sorted(set(found) - KNOWN_EXCEPTIONS)]
    assert unexpected == []
    gone = sorted(KNOWN_EXCEPTIONS - set(found))
    assert gone == [], "fixed: remove these from KNOWN_EXCEPTIONS"


def test_graph_holds_the_composition_roots_wiring(tree):
    """The reader sees what the checks rely on: the CLI group importing each area's
    commands, a function-level import, and ``create_app`` importing each area's routes."""
    _modules, graph = tree
    assert {"civicradar.cli.daily", "civicradar.cli.delivery"} <= set(graph["civicradar.cli.group"])
    assert "civicradar.pipeline" in graph["civicradar.cli.daily"]  # imported inside a command
    assert {"civicradar.web.changes", "civicradar.web.api", "civicradar.web.pages"} <= set(
        graph["civicradar.web.app"]
    )
    assert "civicradar.cli.group" not in graph["civicradar.cli.common"]


def test_a_cycle_and_an_upstream_import_are_reported(tmp_path):
    """A project where models imports monitors lazily and monitors imports models through a
    relative import: both the cycle and the wrong direction are found."""
    (tmp_path / "pyproject.toml").write_text(
        '[tool.setuptools.package-dir]\n"civicradar" = "civicradar"\n'
        '"civicradar.models" = "models"\n"civicradar.monitors" = "monitors"\n',
        encoding="utf-8",
    )
    for folder in ("civicradar", "models", "monitors"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "models" / "store.py").write_text(
        "def later():\n    from civicradar.monitors import detect\n", encoding="utf-8"
    )
    (tmp_path / "monitors" / "detect.py").write_text(
        "from ..models import store\n", encoding="utf-8"
    )
    modules = discover(tmp_path)
    graph = import_graph(modules)
    assert cycles(graph, set(modules)) == [
        ["civicradar.models.store", "civicradar.monitors.detect"]
    ]
    assert list(violations(modules, graph, tmp_path)) == [
        ("civicradar.models.store", "civicradar.monitors.detect")
    ]
