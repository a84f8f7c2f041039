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


# Import cycles tolerated for now: none. Only cycles through desktop.services.collect, desktop.reporting.consolidated
# or desktop.bundle.package_data could ever be listed here.
ALLOWED_CYCLES: set[frozenset[str]] = set()


def _module_names(root: Path, packages: tuple[str, ...]) -> dict[str, Path]:
    modules = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = path.relative_to(root).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _import_nodes(tree: ast.AST):
    """Every import statement, at module level or inside a function or class, except under `if TYPE_CHECKING:`
    (those never run, so they cannot make a cycle at run time; their `else:` branch does run and is kept)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        if _is_type_checking(node):
            stack.extend(node.orelse)
        else:
            stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path, packages: tuple[str, ...]) -> dict[str, set[str]]:
    """Each module of `packages` (folders under `root`) -> the modules of those packages it imports.

    `import a.b` and `from a import b` name the submodule a.b when there is one, else the package a; a relative
    import is resolved against the importing module's package.
    """
    modules = _module_names(root, packages)

    def owner(name: str) -> str | None:  # the module itself, or the innermost package of ours that holds the name
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str | None] = set()
        for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(owner(alias.name) for alias in node.names)
                continue
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets.update(owner(f"{base}.{alias.name}") if f"{base}.{alias.name}" in modules else owner(base)
                           for alias in node.names)
        graph[name] = {target for target in targets if target is not None and target != name}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (each module reaches every other one)."""

    def reachable(start: str) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            for target in graph.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen

    reach = {name: reachable(name) for name in graph}
    components, placed = [], set()
    for name in sorted(graph):
        if name in placed or name not in reach[name]:
            continue
        component = {other for other in reach[name] if name in reach[other]} | {name}
        placed |= component
        if len(component) > 1:
            components.append(sorted(component))
    return components


def _cycle_path(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest way from the component's first module back to itself, inside the component."""
    start, members = component[0], set(component)
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for name in frontier:
            for target in sorted(graph[name] & members):
                if target == start:
                    path = [name]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return [start, *reversed(path[:-1]), start]
                if target not in previous:
                    previous[target] = name
                    following.append(target)
        frontier = following
    return component


def _unexpected_cycles(root: Path, packages: tuple[str, ...], allowed: set[frozenset[str]]) -> list[str]:
    """Each import cycle not allowed, named by one loop through it (and the other modules of the same tangle)."""
    graph = import_graph(root, packages)
    named = []
    for component in import_cycles(graph):
        if frozenset(component) in allowed:
            continue
        loop = _cycle_path(graph, component)
        rest = sorted(set(component) - set(loop))
        named.append(" -> ".join(loop) + (f" (tangled with {', '.join(rest)})" if rest else ""))
    return named


def test_no_import_cycle_among_desktop_and_db_modules_function_level_imports_included():
    cycles = _unexpected_cycles(ROOT, ("desktop", "db"), ALLOWED_CYCLES)
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_the_allowed_cycles_are_only_the_reporting_ones_being_removed_elsewhere():
    reporting = {"desktop.services.collect", "desktop.reporting.consolidated", "desktop.bundle.package_data"}
    assert all(cycle & reporting for cycle in ALLOWED_CYCLES)


def _write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_cycle_check_finds_function_level_relative_and_submodule_cycles(tmp_path):
    _write_package(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/a.py": "def f():\n    import pkg.b\n",  # a function-level import hides the cycle a -> b -> a
        "pkg/b.py": "from pkg import a\n",
        "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import d\nelse:\n    pass\n",
        "pkg/d.py": "from pkg.sub.e import something\nfrom pkg import c\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/e.py": "class K:\n    def m(self):\n        from .. import d\n",  # relative, inside a method
        "pkg/f.py": "from pkg import not_a_module\nimport json\n",  # a name of the package: its __init__
    })
    graph = import_graph(tmp_path, ("pkg",))
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.a"}
    assert graph["pkg.c"] == set()  # TYPE_CHECKING only: never runs
    assert graph["pkg.d"] == {"pkg.sub.e", "pkg.c"} and graph["pkg.sub.e"] == {"pkg.d"}
    assert graph["pkg.f"] == {"pkg"}
    assert sorted(_unexpected_cycles(tmp_path, ("pkg",), set())) == [
        "pkg.a -> pkg.b -> pkg.a", "pkg.d -> pkg.sub.e -> pkg.d"]
    assert _unexpected_cycles(tmp_path, ("pkg",), {frozenset({"pkg.a", "pkg.b"})}) == ["pkg.d -> pkg.sub.e -> pkg.d"]

    # A third module joining an allowed cycle is a new cycle, not the allowed one.
    (tmp_path / "pkg" / "b.py").write_text("from pkg import a, g\n", encoding="utf-8")
    (tmp_path / "pkg" / "g.py").write_text("def h():\n    from pkg.a import f\n", encoding="utf-8")
    assert _unexpected_cycles(tmp_path, ("pkg",), {frozenset({"pkg.a", "pkg.b"})}) == [
        "pkg.a -> pkg.b -> pkg.a (tangled with pkg.g)", "pkg.d -> pkg.sub.e -> pkg.d"]

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
