"""What goes into the frozen KHBC folder: data files, hidden imports, and the Qt parts that are trimmed away.

Used by khbc.spec (inside PyInstaller) and by the tests (plain Python, no PyInstaller needed for
the pure functions). Paths in a PyInstaller TOC entry are (dest_name, src_path, typecode).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# Python modules KHBC never uses: test tools, Tk, and every Qt binding module except
# QtCore/QtGui/QtWidgets/QtPdf/QtPrintSupport/QtNetwork (see `grep -rh "from PySide6" desktop | sort -u`).
# QtNetwork's local socket lets a second copy bring the running window to the front (ui/single_instance.py);
# its library ships anyway because libQt6Pdf links it. QtDBus is excluded as a Python module only: the Linux
# platform plugins link libQt6DBus, so that shared library still ships.
EXCLUDES = [
    "tkinter", "_tkinter", "turtle", "turtledemo", "idlelib", "lib2to3", "pydoc_data",
    "pytest", "_pytest", "pytestqt", "hypothesis", "IPython", "numpy", "setuptools", "pip",
    "pygments", "mako.ext",  # Mako's optional Pygments/Babel plugins (Alembic only renders no templates)
    # Database drivers KHBC does not declare (SQLAlchemy's dialects import them if installed);
    # the frozen program speaks SQLite only, like `pip install .`.
    "psycopg", "psycopg_binary", "psycopg_c", "psycopg2", "pg8000", "asyncpg", "MySQLdb", "pymysql",
    "oracledb", "cx_Oracle", "pyodbc",
    "PySide6.QtDBus", "PySide6.QtSql", "PySide6.QtTest", "PySide6.QtXml",
    "PySide6.QtConcurrent", "PySide6.QtOpenGL", "PySide6.QtOpenGLWidgets", "PySide6.QtSvg",
    "PySide6.QtSvgWidgets", "PySide6.QtPdfWidgets", "PySide6.QtUiTools", "PySide6.QtDesigner",
    "PySide6.QtHelp", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2", "PySide6.QtQuick3D", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick", "PySide6.QtWebChannel",
    "PySide6.QtWebSockets", "PySide6.QtWebView", "PySide6.QtHttpServer", "PySide6.QtNetworkAuth",
    "PySide6.Qt3DCore", "PySide6.Qt3DRender", "PySide6.Qt3DInput", "PySide6.Qt3DLogic",
    "PySide6.Qt3DAnimation", "PySide6.Qt3DExtras", "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets", "PySide6.QtSpatialAudio", "PySide6.QtTextToSpeech",
    "PySide6.QtCharts", "PySide6.QtDataVisualization", "PySide6.QtGraphs", "PySide6.QtGraphsWidgets",
    "PySide6.QtBluetooth", "PySide6.QtNfc", "PySide6.QtPositioning", "PySide6.QtLocation",
    "PySide6.QtSensors", "PySide6.QtSerialPort", "PySide6.QtSerialBus", "PySide6.QtRemoteObjects",
    "PySide6.QtScxml", "PySide6.QtStateMachine", "PySide6.QtAxContainer", "PySide6.QtCanvasPainter",
]

# Qt modules KHBC imports; QtPdf and QtPrintSupport are imported lazily by pages, so name them.
QT_HIDDEN_IMPORTS = ["PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtPdf",
                     "PySide6.QtPrintSupport"]

# Qt plugins kept, per plugin folder; "*" keeps the whole folder, a folder not listed is dropped.
# Names are file stems without a "lib" prefix (Linux) and without the extension.
KEEP_PLUGINS: dict[str, set[str] | str] = {
    "platforms": {"qwindows", "qoffscreen", "qminimal", "qxcb", "qcocoa"},
    "styles": "*",                       # qmodernwindowsstyle (Windows 11 look) and friends
    "imageformats": {"qico", "qjpeg", "qgif", "qsvg"},  # PNG and BMP are built into QtGui
    "iconengines": {"qsvgicon"},
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
    "xcbglintegrations": "*",
    "printsupport": "*",
}

# Shared libraries never needed: Windows' software OpenGL (KHBC draws with QtWidgets' raster engine).
DROP_LIBRARIES = {"opengl32sw.dll"}


def read_version(root: Path) -> str:
    """desktop.__version__ read from the source, without importing the package."""
    text = (root / "desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*["\']([^"\']*)["\']', text, re.MULTILINE)
    if not match:
        raise SystemExit("desktop/__init__.py has no __version__")
    # An empty version would make ISCC write "KHBC-Setup-.exe" and a version resource of 0.0.0.0.
    if not re.fullmatch(r"\d+(\.\d+){0,3}([.+-]?[0-9A-Za-z.]+)?", match.group(1)):
        raise SystemExit(f"desktop/__init__.py: __version__ must look like 1.2.3, not {match.group(1)!r}")
    return match.group(1)


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0), for the Windows version resource (four numbers)."""
    numbers = [int(n) for n in re.findall(r"\d+", version)[:4]]
    return tuple((numbers + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def _files(folder: Path, keep: Callable[[Path], bool]) -> Iterable[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and keep(path):
            yield path


def data_files(root: Path) -> list[tuple[str, str]]:
    """(source file, destination folder) pairs: resources/ and the Alembic migrations as plain files."""
    pairs = []
    resources = root / "resources"
    for path in _files(resources, lambda p: p.suffix not in {".py", ".pyc"}):
        pairs.append((str(path), str(PurePosixPath("resources", *path.parent.relative_to(resources).parts))))
    migrations = root / "db" / "migrations"  # Alembic reads env.py and versions/*.py from disk
    for path in _files(migrations, lambda p: p.suffix in {".py", ".mako"}):
        pairs.append((str(path), str(PurePosixPath("db", "migrations", *path.parent.relative_to(migrations).parts))))
    return pairs


def project_modules(root: Path) -> list[str]:
    """Every module of desktop/, db/ and resources/ (pages are imported by name, so list them all)."""
    names = []
    for package in ("desktop", "db", "resources"):
        for path in _files(root / package, lambda p: p.suffix == ".py"):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[:2] == ("db", "migrations"):
                continue  # loaded by Alembic from the data files, not imported
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _split_plugin(dest: str) -> tuple[str, str] | None:
    """('platforms', 'qxcb') for '.../plugins/platforms/libqxcb.so', None for anything else."""
    parts = PurePosixPath(dest.replace("\\", "/")).parts
    if "plugins" not in parts:
        return None
    index = len(parts) - 1 - parts[::-1].index("plugins")
    if len(parts) < index + 3:  # a file directly in plugins/ is not a plugin
        return None
    folder = "/".join(parts[index + 1:-1])
    stem = parts[-1].split(".")[0]
    if stem.startswith("lib"):
        stem = stem[3:]
    return folder, stem


def is_qt_file(dest: str) -> bool:
    return dest.replace("\\", "/").startswith("PySide6/")


def keep_plugin(dest: str) -> bool:
    """Whether a collected Qt plugin file stays in the frozen folder."""
    split = _split_plugin(dest)
    if split is None:
        return True
    folder, stem = split
    wanted = KEEP_PLUGINS.get(folder)
    return wanted == "*" or (isinstance(wanted, set) and stem.lower() in wanted)


def keep_data(dest: str) -> bool:
    """Qt's .qm translations go (Qt ships none for Vietnamese; KHBC's own texts are Vietnamese)."""
    normal = dest.replace("\\", "/")
    return not (is_qt_file(normal) and "/translations/" in normal and normal.endswith(".qm"))


def _base(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).name.lower()


Entry = tuple[str, str, str]


def prune(binaries: list[Entry], datas: list[Entry],
          imports_of: Callable[[str], Iterable[str]]) -> tuple[list[Entry], list[Entry]]:
    """Drop unwanted Qt plugins and translations, the shared libraries only those plugins needed, and
    the symlinks left pointing at nothing. Returns the new (binaries, datas).

    `imports_of(src)` gives the library names a binary links against. A library is removed only if
    it was reachable from the original extension modules and plugins but no longer is, so libraries
    loaded by other means (ctypes, the bootloader's libpython) are never touched.
    """
    by_base: dict[str, Entry] = {}
    for entry in binaries:
        if entry[2] != "SYMLINK":
            by_base.setdefault(_base(entry[0]), entry)

    def is_root(entry: Entry) -> bool:
        return entry[2] == "EXTENSION" or _split_plugin(entry[0]) is not None

    def reachable(roots: list[Entry]) -> set[str]:
        seen: set[str] = set()
        stack = [entry[1] for entry in roots]
        while stack:
            for name in imports_of(stack.pop()):
                base = _base(name)
                if base in by_base and base not in seen:
                    seen.add(base)
                    stack.append(by_base[base][1])
        return seen

    kept = [e for e in binaries if e[2] == "SYMLINK" or (keep_plugin(e[0]) and _base(e[0]) not in DROP_LIBRARIES)]
    orphans = reachable([e for e in binaries if is_root(e)]) - reachable([e for e in kept if is_root(e)])
    kept = [e for e in kept if e[2] == "SYMLINK" or is_root(e) or _base(e[0]) not in orphans]
    kept_datas = [e for e in datas if e[2] == "SYMLINK" or keep_data(e[0])]

    # PyInstaller puts SYMLINK entries (dest, target relative to dest's folder) among the datas on
    # Linux; each goes with its target.
    present = {_normal(e[0]) for e in kept + kept_datas if e[2] != "SYMLINK"}

    def target_present(entry: Entry) -> bool:
        return entry[2] != "SYMLINK" or _normal(f"{PurePosixPath(_normal(entry[0])).parent}/{entry[1]}") in present

    return [e for e in kept if target_present(e)], [e for e in kept_datas if target_present(e)]


def _normal(path: str) -> str:
    """A TOC destination with forward slashes and no '.' or '..' segments, for comparing."""
    parts: list[str] = []
    for part in path.replace("\\", "/").split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
