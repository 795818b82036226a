"""Every source type has a detector, and models/ and monitors/ name no module in a string.

(Directions between the steps and cycles are held for the whole tree by
``tests/test_import_graph.py``, which reads the same imports.)
"""

from __future__ import annotations

import ast
from pathlib import Path

from civicradar.config.platforms import SOURCE_TYPES
from civicradar.monitors.detect import DETECTORS

ROOT = Path(__file__).resolve().parents[2]
STRING_IMPORTS = {"import_module", "__import__", "find_spec", "load_module"}


def test_there_is_one_detector_per_source_type():
    assert set(DETECTORS) == set(SOURCE_TYPES)


def test_models_and_monitors_import_no_module_by_its_name_in_a_string():
    found = []
    for folder in ("models", "monitors"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                name = None
                if isinstance(node, ast.Name | ast.Attribute):
                    name = node.id if isinstance(node, ast.Name) else node.attr
                if name in STRING_IMPORTS:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
                if isinstance(node, ast.ImportFrom) and node.module == "importlib":
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} importlib")
    assert found == []
