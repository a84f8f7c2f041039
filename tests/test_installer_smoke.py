"""Smoke test of the frozen program (dist/KHBC from installer/): the real executables, CLI and GUI, offscreen.

Building takes a minute or more, so these tests are skipped unless KHBC_TEST_FROZEN=1 (which builds
dist/KHBC first when it is missing or older than the sources) or an up-to-date dist/KHBC exists.
`bash installer/smoke_test.sh` builds and runs them. KHBC_FROZEN_DIR names a frozen folder to test as it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path(os.environ.get("KHBC_FROZEN_DIR") or ROOT / "dist" / "KHBC")
EXE = ".exe" if sys.platform == "win32" else ""
WANTED = os.environ.get("KHBC_TEST_FROZEN") == "1"
PAGES = 8  # desktop.ui.main_window.PAGE_CLASSES


def _newest_source() -> float:
    files = [p for d in ("desktop", "db", "resources") for p in (ROOT / d).rglob("*")
             if p.is_file() and "__pycache__" not in p.parts]
    files += [p for p in (ROOT / "installer").iterdir() if p.suffix in {".py", ".spec"}]
    return max(p.stat().st_mtime for p in files)


def _is_fresh() -> bool:
    exe = FOLDER / ("khbc" + EXE)
    return exe.is_file() and (FOLDER / ("khbc-gui" + EXE)).is_file() and exe.stat().st_mtime >= _newest_source()


@pytest.fixture(scope="module")
def frozen() -> Path:
    if "KHBC_FROZEN_DIR" in os.environ:  # a folder named explicitly is used as it is
        if not (FOLDER / ("khbc" + EXE)).is_file():
            pytest.fail(f"KHBC_FROZEN_DIR={FOLDER} holds no frozen KHBC")
        return FOLDER
    if not _is_fresh():
        if not WANTED:
            reason = "older than the sources" if (FOLDER / ("khbc" + EXE)).exists() else "not built"
            pytest.skip(f"frozen KHBC {reason}: run `bash installer/smoke_test.sh` or set KHBC_TEST_FROZEN=1")
        subprocess.run([sys.executable, str(ROOT / "installer" / "build.py"), "--no-setup"], cwd=ROOT,
                       check=True, timeout=3600)
    return FOLDER


def run(folder: Path, program: str, *args: str, env: dict | None = None, timeout: float = 300):
    """Run one frozen executable offscreen; returns the CompletedProcess (text, UTF-8)."""
    return subprocess.run([str(folder / (program + EXE)), *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=timeout,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})})


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file below the folder with its size and modification time, to prove nothing wrote there."""
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in folder.rglob("*") if not p.is_dir()}


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_version(frozen):
    result = run(frozen, "khbc", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"KHBC {__version__}"


def test_init_export_verify(frozen, tmp_path):
    db = tmp_path / "khbc.sqlite3"
    init = run(frozen, "khbc", "init", "--sample", "--db", str(db))
    assert init.returncode == 0, init.stderr
    assert "Đã nạp kế hoạch mẫu" in init.stdout
    with sqlite3.connect(db) as connection:  # the migrations shipped as files ran inside the frozen program
        from db.migrate import HEAD_REVISION

        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)

    out = tmp_path / "out"
    export = run(frozen, "khbc", "export", "--period", "2026", "--out", str(out), "--db", str(db))
    assert export.returncode == 0, export.stderr
    packages = sorted(out.glob("*.zip"))
    assert len(packages) == 1 and packages[0].stat().st_size > 10_000

    verify = run(frozen, "khbc", "verify", str(packages[0]))
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.startswith("Gói hợp lệ")

    # The package the frozen program made also passes the source tree's own checker.
    from desktop.bundle.verify import verify_file

    checked = verify_file(packages[0])
    assert checked.ok, checked.problems
    assert checked.manifest["program_version"] == __version__
    roles = {f["role"] for f in checked.manifest["files"]}
    assert {"report-pdf", "report-xlsx", "report-docx"} <= roles
    with zipfile.ZipFile(packages[0]) as archive:
        pdf = next(n for n in archive.namelist() if n.endswith(".pdf"))
        assert archive.read(pdf).startswith(b"%PDF")


def _page_shots(folder: Path) -> list[Path]:
    """The pages' screenshots (01-… to 08-…); the wizards' pages and the dialogs are numbered after them."""
    return sorted(p for p in folder.glob("*.png") if p.name[:2].isdigit() and 1 <= int(p.name[:2]) <= PAGES)


def test_gui_screenshots_every_page(frozen, tmp_path):
    shots = tmp_path / "shots"
    result = run(frozen, "khbc-gui", "--screenshot", str(shots), "--db", str(tmp_path / "gui.sqlite3"))
    assert result.returncode == 0, result.stderr
    pngs = _page_shots(shots)
    assert len(pngs) == PAGES, [p.name for p in pngs]
    for png in pngs:
        # --screenshot draws at a 1366x768 screen's maximised area: taskbar and title bar taken off
        assert png_size(png) == (1366, 768 - 40 - 32), png.name
        assert png.stat().st_size > 20_000, f"{png.name} looks blank ({png.stat().st_size} bytes)"


def test_khbc_gui_command_opens_the_main_window(frozen, tmp_path):
    """`khbc gui` starts Qt from the console program, whose PySide6 set-up is deferred (rthook_cli_qt.py).
    Qt's own painting log tells when the main window is first drawn; the process is then ended."""
    db = tmp_path / "gui.sqlite3"
    assert run(frozen, "khbc", "init", "--sample", "--db", str(db)).returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "qt.widgets.painting.debug=true"}
    process = subprocess.Popen([str(frozen / ("khbc" + EXE)), "gui", "--db", str(db)], env=env, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, encoding="utf-8", errors="replace")
    seen = []
    watchdog = threading.Timer(180, process.kill)  # a window that never paints must not hang the suite
    watchdog.start()
    try:
        for line in process.stderr:
            seen.append(line)
            if "Flushing" in line and "MainWindow" in line:
                break
    finally:
        watchdog.cancel()
        process.kill()
        process.wait(timeout=60)
    assert seen and "MainWindow" in seen[-1], "".join(seen[-20:])


def test_data_lives_in_the_user_data_folder_not_the_program_folder(frozen, tmp_path):
    """Without --db the frozen programs use the platformdirs user data folder and write nothing beside
    themselves, so replacing the program folder (an upgrade) or removing it (uninstall) keeps the data."""
    from desktop.services.locations import default_database_path

    expected = default_database_path()  # computed under the test's own HOME / XDG_DATA_HOME
    assert str(tmp_path) in str(expected)
    before = snapshot(frozen)

    init = run(frozen, "khbc", "init", "--sample")
    assert init.returncode == 0, init.stderr
    assert expected.is_file()
    assert str(expected) in init.stdout

    shots = run(frozen, "khbc-gui", "--screenshot", str(tmp_path / "shots"))
    assert shots.returncode == 0, shots.stderr
    assert len(_page_shots(tmp_path / "shots")) == PAGES
    assert snapshot(frozen) == before
    assert not any(p.suffix in {".sqlite3", ".db", ".ini"} for p in frozen.rglob("*"))


def test_frozen_program_upgrades_a_database_from_an_older_schema(frozen, tmp_path):
    """A database at the oldest schema revision (as an older KHBC left it) is brought to head on open."""
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    from db.migrate import HEAD_REVISION, alembic_config

    config = alembic_config()
    oldest = list(ScriptDirectory.from_config(config).walk_revisions())[-1].revision
    db = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, oldest)
    engine.dispose()

    result = run(frozen, "khbc", "init", "--sample", "--db", str(db))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)


def test_folder_holds_only_the_qt_parts_khbc_uses(frozen):
    internal = frozen / "_internal"
    names = {p.name.split(".")[0] for p in (internal / "PySide6").iterdir()}
    assert {"QtCore", "QtGui", "QtWidgets", "QtPdf", "QtPrintSupport"} <= names
    unused = {"QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia", "QtCharts"}  # QtNetwork ships: single_instance
    assert not unused & names
    plugins = {p.parent.name + "/" + p.name for p in internal.rglob("plugins/*/*")}
    platform = "qwindows" if sys.platform == "win32" else "qxcb"
    assert any(platform in p for p in plugins) and any("qoffscreen" in p for p in plugins)
    assert not any(p.startswith(("wayland", "qmltooling", "sqldrivers", "tls/")) for p in plugins)
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()], "dangling symlinks"
    assert (internal / "resources" / "sample" / "sample_plan.json").is_file()
    assert (internal / "db" / "migrations" / "env.py").is_file()
    schema = json.loads((internal / "resources" / "schema" / "khbc-package-1.schema.json").read_text("utf-8"))
    assert schema.get("$schema")
