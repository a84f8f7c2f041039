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



PURE_PACKAGES = ("reporting", "bundle", "importers", "domain", "signing")
FORBIDDEN_IN_PURE = ("db", "desktop.services", "sqlalchemy")


def _imports_in(code: str, path: Path) -> list[tuple[int, str]]:
    """Every module `code` (the text of `path`) imports, module-level or inside functions, with relative imports
    resolved and the modules named by a string given to importlib.import_module / __import__."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    package = parts if path.name == "__init__.py" else parts[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{module}" if module else base
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names)
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and ((isinstance(node.func, ast.Name) and node.func.id == "__import__")
                   or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"))):
            found.append((node.lineno, node.args[0].value))
    return found


def _forbidden(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in FORBIDDEN_IN_PURE)


def test_import_finder_sees_every_form_of_import():
    """The rule below is only as good as its finder: each way of reaching the database or the services is seen."""
    code = ("import db\nimport sqlalchemy.orm as orm\nfrom db.models import Plan\nfrom desktop import services\n"
            "def later():\n    from desktop.services.queries import list_tasks\n    from ..services import setup\n"
            "    import importlib\n    importlib.import_module('db.engine')\n"
            "from desktop.domain.rows import TaskRow\nfrom . import formatting\nimport dbm\n")
    names = [name for _line, name in _imports_in(code, ROOT / "desktop" / "reporting" / "probe.py")]
    assert [name for name in names if _forbidden(name)] == [
        "db", "sqlalchemy.orm", "db.models.Plan", "desktop.services", "desktop.services.queries.list_tasks",
        "desktop.services.setup", "db.engine"]
    assert "desktop.reporting.formatting" in names and "dbm" in names


def test_reporting_bundle_importers_domain_and_signing_take_plain_values_only():
    """They never reach the database or the services, not even from inside a function: services hand them
    plain values (desktop.domain), so each can be used and tested without a database."""
    offenders = []
    for name in PURE_PACKAGES:
        for path in sorted((ROOT / "desktop" / name).rglob("*.py")):
            offenders += [f"{path.relative_to(ROOT)}:{line} imports {module}"
                          for line, module in _imports_in(path.read_text(encoding="utf-8"), path)
                          if _forbidden(module)]
    assert offenders == []
