"""No app imports the portal (issue 16: an arrow that ran the wrong way).

The portal is the public site of the catalogue and sits beside the other apps, not below them:
what their public pages need of it (the agencies with a site, the site's frame, the change
stamps) lives in `core.sites`, which the portal fills with its settings model when it starts.
Walks the source of every module of every app but the portal (tests and migrations aside:
a test may set up portal settings as a fixture) with ast, so an import hidden in a function
counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from gongkai.core.tests.test_core_imports import DOMAIN, PACKAGE

APPS = sorted(DOMAIN - {"portal"})

# (module path under gongkai/, imported module) that may stay, each with why. None: keep it so.
ALLOWED: set[tuple[str, str]] = set()


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            # `from gongkai import portal` names the package as an imported name
            if node.module == "gongkai":
                yield from (f"gongkai.{alias.name}" for alias in node.names)


def _app_modules():
    for app in APPS:
        root = PACKAGE / app
        paths = [root] if root.is_file() else sorted(root.rglob("*.py"))
        for path in paths:
            relative = path.relative_to(PACKAGE)
            if {"tests", "migrations"} & set(relative.parts):
                continue
            yield relative.as_posix(), path


def _portal(name: str) -> bool:
    return name == "gongkai.portal" or name.startswith("gongkai.portal.")


def test_the_apps_are_walked():
    # the walk below would pass vacuously if it found no app or no module
    assert {"applications", "engagement", "matters", "reports", "compliance", "api"} <= set(APPS)
    modules = {module for module, _path in _app_modules()}
    assert "compliance/check.py" in modules
    assert "applications/public_views.py" in modules


def test_no_app_imports_the_portal():
    found = {
        (module, name)
        for module, path in _app_modules()
        for name in _imports(path)
        if _portal(name)
    }
    assert found - ALLOWED == set()
    # an allowance whose import is gone leaves the list, so that it only shrinks
    assert ALLOWED - found == set()


def test_the_walk_sees_an_import_inside_a_function(tmp_path):
    source = tmp_path / "m.py"
    source.write_text(
        "def f():\n    from gongkai.portal.selectors import site_for\nfrom gongkai import portal\n",
        encoding="utf-8",
    )
    assert sorted(name for name in _imports(source) if _portal(name)) == [
        "gongkai.portal",
        "gongkai.portal.selectors",
    ]
