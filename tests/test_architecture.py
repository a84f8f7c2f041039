"""House rules checked on the tree: Qt only in desktop/ui, small modules, a docstring on each."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = [ROOT / "desktop", ROOT / "db", ROOT / "resources"]


def _python_files():
    for directory in CODE_DIRS:
        for path in directory.rglob("*.py"):
            if "migrations/versions" not in path.as_posix():
                yield path


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_qt_is_imported_only_under_desktop_ui():
    ui_dir = ROOT / "desktop" / "ui"
    offenders = [
        str(path.relative_to(ROOT)) for path in _python_files()
        if ui_dir not in path.parents
        and any(name.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "shiboken6") for name in _imported_modules(path))
    ]
    assert offenders == []


def test_ui_is_imported_only_by_ui_and_the_gui_command():
    ui_dir = ROOT / "desktop" / "ui"
    offenders = []
    for path in _python_files():
        if ui_dir in path.parents or path.name == "cli_commands.py":
            continue
        if any(name.startswith("desktop.ui") for name in _imported_modules(path)):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_modules_are_small_and_say_what_they_are_for():
    too_long, undocumented = [], []
    for path in _python_files():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 500:
            too_long.append(path.name)
        if path.name != "__init__.py" or text.strip():
            docstring = ast.get_docstring(ast.parse(text))
            if not docstring and path.name != "__init__.py":
                undocumented.append(str(path.relative_to(ROOT)))
    assert too_long == []
    assert undocumented == []


def test_top_level_layout_is_exactly_the_agreed_one():
    visible = sorted(p.name for p in ROOT.iterdir() if not p.name.startswith("."))
    allowed = {"pyproject.toml", "desktop", "resources", "db", "installer", "tests", "README.md"}
    # Build artefacts a local install may leave behind are not part of the repository.
    visible = [name for name in visible if not name.endswith(".egg-info") and name not in ("build", "dist")]
    assert set(visible) == allowed


def test_every_shipped_resource_is_in_the_package_data():
    """A resource the code reads but the wheel leaves out would only fail on a clerk's PC."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["resources"]
    resources = ROOT / "resources"
    shipped = {p for pattern in patterns for p in resources.glob(pattern)}
    needed = {p for p in resources.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc", ".png")
              and "__pycache__" not in p.parts}
    assert needed - shipped == set()
    migrations = config["tool"]["setuptools"]["package-data"]["db"]
    db_files = {p for pattern in migrations for p in (ROOT / "db").glob(pattern)}
    assert set((ROOT / "db" / "migrations" / "versions").glob("*.py")) <= db_files
