"""The core stays pure: no Django, and no reading of the clock (style.md, "a pure core")."""

import ast
from pathlib import Path

import casereview.core

CORE = Path(casereview.core.__file__).parent
SOURCES = sorted(CORE.rglob("*.py"))
CLOCK_CALLS = {"today", "now", "utcnow", "time", "monotonic"}


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_there_are_sources_to_check():
    assert len(SOURCES) > 5


def test_no_django_import_anywhere_in_the_core():
    for path in SOURCES:
        imported = _imports(ast.parse(path.read_text(encoding="utf-8")))
        assert not {name for name in imported if name.split(".")[0] == "django"}, path.name


def test_the_core_never_reads_the_clock():
    """ "Today" is always passed in, so every rule can be tested on any day."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert "time" not in _imports(tree), path.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in CLOCK_CALLS, (
                    f"{path.name}:{node.lineno} calls .{node.func.attr}()"
                )
