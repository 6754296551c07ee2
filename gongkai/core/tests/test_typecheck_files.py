"""`make typecheck` covers every app's services and selectors: pyproject's [tool.mypy] files list
names them one by one (mypy takes a glob that matches nothing for a file name), so a new module
must be added there; this test says which."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _listed() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {name.rstrip("/") for name in config["tool"]["mypy"]["files"]}


def test_every_services_and_selectors_module_is_type_checked():
    listed = _listed()
    assert "gongkai/core" in listed  # core whole, its services and selectors with it
    found = set()
    for pattern in ("services*.py", "selectors*.py", "services", "selectors"):
        for path in (ROOT / "gongkai").glob(f"*/{pattern}"):
            if path.parent.name != "core" and (path.suffix == ".py" or path.is_dir()):
                found.add(path.relative_to(ROOT).as_posix())
    assert found, "no services or selectors found: the glob is wrong"
    missing = sorted(found - listed)
    assert not missing, f"add to [tool.mypy] files in pyproject.toml: {missing}"


def test_listed_files_exist():
    # a name left behind by a move would be passed to mypy as a missing file
    gone = sorted(name for name in _listed() if not (ROOT / name).exists())
    assert not gone, gone
