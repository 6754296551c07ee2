"""Core is the kernel under every app: it imports no domain app (issue 16).

Walks the source of every module of gongkai/core (tests and migrations aside) with ast, so an
import hidden in a function counts too. The domain apps reach core through its registries
(core/desk.py, core/demos.py, core/deadlines.py, core/tasks.py, core/scheduler.py,
core/metrics.py, core/logs.py, core/safefile/readers.py), never the other way round.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gongkai

CORE = Path(gongkai.__file__).parent / "core"
PACKAGE = Path(gongkai.__file__).parent
# every package of gongkai but core itself and the project's frame (settings, console script)
NOT_DOMAIN = {"core", "config", "cli", "__main__", "conftest"}
DOMAIN = {
    path.stem if path.is_file() else path.name
    for path in PACKAGE.iterdir()
    if (path.is_dir() and (path / "__init__.py").exists())
    or (path.is_file() and path.suffix == ".py")
} - NOT_DOMAIN

# Imports of a domain app inside a function that remain, each with why: (core module, imported
# module). Empty since the last ones were inverted into registries the apps fill (the scheduler's
# jobs, the metrics' gauges, the log masker, the document readers); a new one fails below.
DEFERRED: set[tuple[str, str]] = set()


def _imports(path: Path):
    """(module imported, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        else:
            continue  # relative imports stay inside core
        for name in names:
            yield name, id(node) in top


def _core_modules():
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(CORE)
        if relative.parts[0] in {"tests", "migrations"}:
            continue
        yield relative.as_posix(), path


def _domain(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "gongkai" and len(parts) > 1 and parts[1] in DOMAIN


def test_the_domain_apps_are_found():
    # the walk below would pass vacuously if the list of apps were empty
    assert {"catalogue", "applications", "reports", "portal", "privacy"} <= DOMAIN


def test_core_imports_no_domain_app_at_import_time():
    found = [
        (module, name)
        for module, path in _core_modules()
        for name, top in _imports(path)
        if top and _domain(name)
    ]
    assert found == []


def test_core_imports_no_domain_app_inside_functions_beyond_the_known_ones():
    found = {
        (module, name)
        for module, path in _core_modules()
        for name, top in _imports(path)
        if not top and _domain(name)
    }
    assert found - DEFERRED == set()
    # an entry whose import is gone leaves the list, so that it only shrinks
    assert DEFERRED - found == set()
