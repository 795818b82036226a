"""Every source type has a detector, and the steps depend on each other in one direction."""

from __future__ import annotations

import ast
from pathlib import Path

from civicradar.config.platforms import SOURCE_TYPES
from civicradar.monitors.detect import DETECTORS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("config", "models", "crawlers", "monitors", "alerts")
ALLOWED = {
    "config": set(),
    "models": {"config"},
    "crawlers": {"config", "models"},
    "monitors": {"config", "models"},
    "alerts": {"config", "models"},
}
"""What each step may import: config <- models <- monitors (and crawlers, alerts)."""


def test_there_is_one_detector_per_source_type():
    assert set(DETECTORS) == set(SOURCE_TYPES)


def _imports(path: Path) -> set[str]:
    """The civicradar modules a file imports, at any depth (function-level too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)  # and, as it may name a module, each name it imports
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("civicradar.")}


def _modules(package: str) -> dict[str, Path]:
    folder = ROOT / package
    return {
        "civicradar."
        + ".".join((package, *path.relative_to(folder).with_suffix("").parts)).removesuffix(
            ".__init__"
        ): path
        for path in folder.rglob("*.py")
        if "migrations" not in path.parts
    }


def test_steps_import_only_the_steps_before_them():
    wrong = []
    for package in PACKAGES:
        for module, path in _modules(package).items():
            for name in _imports(path):
                step = name.split(".")[1]
                if step != package and step not in ALLOWED[package]:
                    wrong.append(f"{module} imports {name}")
    assert wrong == []


def test_no_module_of_models_or_monitors_is_imported_by_a_string_or_in_a_circle():
    graph: dict[str, set[str]] = {}
    for package in ("models", "monitors"):
        for module, path in _modules(package).items():
            text = path.read_text(encoding="utf-8")
            assert "import_module" not in text and "__import__" not in text, module
            graph[module] = {n for n in _imports(path) if n.split(".")[1] == package}
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for name in sorted(graph.get(module, ())):
            assert state.get(name) != 1, " -> ".join([*trail, module, name])
            if name in graph and name not in state:
                visit(name, [*trail, module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
