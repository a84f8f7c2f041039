"""Start-up: the window paints and answers while the data file opens on the loading thread; what stays off that path."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from desktop.ui import startup_loader
from desktop.ui.main_window import MainWindow
from tests.ui_support import windows_made

ROOT = Path(__file__).resolve().parents[1]


_RUNNING: list[list] = [[]]  # the windows_made list of the test running now


def _window(app) -> MainWindow:
    """The window `run_gui` opened in this test (not one an earlier test left for Qt to delete)."""
    return _RUNNING[0][-1]


@pytest.fixture
def gated_open(monkeypatch):
    """The loading thread waits at a gate before opening the file, as on a slow disk; yields the gate."""
    gate = threading.Event()
    real = startup_loader.open_for_window

    def slow_open(*args, **kwargs):
        assert gate.wait(60), "the test never opened the gate"
        return real(*args, **kwargs)

    monkeypatch.setattr(startup_loader, "open_for_window", slow_open)
    yield gate
    gate.set()


def _run_gui(monkeypatch, db_path, while_running) -> int:
    from desktop.ui.launch import run_gui

    _RUNNING[0] = windows_made(monkeypatch)
    monkeypatch.setattr(QApplication, "exec", lambda app: while_running(app, _window(app)))
    return run_gui(["khbc-gui", "--db", str(db_path)])


def test_window_is_painted_and_answers_while_the_data_file_opens(qtbot, sample_workspace, db_path, monkeypatch,
                                                                 gated_open):
    from PySide6.QtCore import QEvent, QObject

    sample_workspace.close()
    seen = {}

    class Painted(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802 (Qt naming)
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    painted = Painted()

    def while_running(app, window):
        window.loading.installEventFilter(painted)
        window.nav.viewport().installEventFilter(painted)
        qtbot.waitUntil(lambda: painted.count >= 2, timeout=10_000)  # painted while the file is still closed
        image = window.grab().toImage()
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 13)}
        seen["colours"] = len(colours)
        seen["nav"] = [window.nav.item(i).text() for i in range(window.nav.count())]
        seen["pages_while_loading"] = window.current_page()
        window.resize(1100, 700)  # it answers to resizing while the data loads
        qtbot.waitUntil(lambda: window.height() == 700, timeout=10_000)
        gated_open.set()
        qtbot.waitUntil(lambda: window.current_page() is not None, timeout=60_000)
        seen["first"] = window.current_page()
        seen["period"] = window.current_page().period
        window.close()
        return 0

    assert _run_gui(monkeypatch, db_path, while_running) == 0
    assert seen["colours"] > 8 and seen["nav"][0] == "Tổng quan"  # drawn: navigation, frames, the loading text
    assert seen["pages_while_loading"] is None  # nothing to edit before the file has passed its checks
    assert seen["first"].slug == "tong-quan" and seen["period"] is not None  # the first page came with its rows


def test_closing_while_the_data_file_opens_leaves_it_closed_and_unlocked(qtbot, sample_workspace, db_path,
                                                                        monkeypatch, gated_open):
    from desktop.services.workspace import Workspace

    sample_workspace.close()

    def while_running(app, window):
        qtbot.waitUntil(lambda: window.loading.isVisible(), timeout=10_000)
        window.close()
        gated_open.set()
        return 0

    assert _run_gui(monkeypatch, db_path, while_running) == 0
    Workspace.open(db_path, exclusive=True).close()  # the loading thread's workspace and lock were released


def test_a_damaged_file_gets_the_recovery_dialog_before_any_page(qtbot, sample_workspace, db_path, monkeypatch):
    from desktop.services import backup
    from desktop.ui import recovery_dialog
    from tests.safety_helpers import damage, fingerprint

    good = backup.make_backup(db_path)
    sample_workspace.close()
    damage(db_path)
    offered = []

    def restore(dialog):
        offered.append(_window(QApplication.instance()).current_page())
        dialog.restore_button.click()
        return dialog.result()

    monkeypatch.setattr(recovery_dialog.RecoveryDialog, "exec", restore)

    def while_running(app, window):
        qtbot.waitUntil(lambda: window.current_page() is not None, timeout=60_000)  # opened again after the restore
        window.close()
        return 0

    assert _run_gui(monkeypatch, db_path, while_running) == 0
    assert offered == [None]  # the dialog came while no page existed
    assert fingerprint(db_path) == fingerprint(good.path)


def test_a_new_database_gets_the_first_run_wizard_then_its_first_page(qtbot, db_path, monkeypatch):
    from desktop.ui import first_run

    monkeypatch.setattr(first_run.FirstRunWizard, "exec",
                        lambda wizard: (wizard.apply(), QDialog.DialogCode.Accepted)[1])
    shown = {}

    def while_running(app, window):
        qtbot.waitUntil(lambda: window.current_page() is not None, timeout=60_000)
        shown["late"] = window.current_page().late_task_numbers()
        window.close()
        return 0

    assert _run_gui(monkeypatch, db_path, while_running) == 0
    assert shown["late"]  # the sample plan chosen in the wizard is on the overview


def test_pages_are_built_on_demand_and_all_of_them_in_the_end(qtbot, sample_workspace, settings_file):
    from PySide6.QtCore import QSettings

    from desktop.ui.bus import DataBus

    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    bus = DataBus(sample_workspace)
    bus.quiet = True
    window.show()
    with qtbot.waitSignal(window.all_pages_built, timeout=60_000):
        window.attach(bus, rest_later=True)
        assert window.current_page().slug == "tong-quan"
        window.show_page("bao-cao")  # asked for before its turn: built at once
        assert window.current_page().slug == "bao-cao"
    assert [page.slug for page in window.pages][:3] == ["tong-quan", "ke-hoach", "phu-luc"]


@pytest.fixture
def settings_file(tmp_path):
    return tmp_path / "layout.ini"


def _child(code: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


HEAVY = ("reportlab", "openpyxl", "docx", "jsonschema", "alembic")


def test_the_painted_window_needs_no_database_library():
    out = _child("import sys\n"
                 "from PySide6.QtWidgets import QApplication\n"
                 "app = QApplication([])\n"
                 "import desktop.ui.launch\n"
                 "from desktop.ui.main_window import MainWindow\n"
                 "window = MainWindow()\n"
                 "window.show()\n"
                 "app.processEvents()\n"
                 "print(sorted(m for m in ('sqlalchemy',) + %r if m in sys.modules))\n" % (HEAVY,))
    assert out.strip() == "[]"


def test_the_first_page_shows_without_report_office_or_migration_libraries(sample_workspace, db_path):
    sample_workspace.close()
    out = _child("import sys\n"
                 "from PySide6.QtWidgets import QApplication\n"
                 "from desktop.ui import main_window\n"
                 "found = []\n"
                 "init = main_window.MainWindow.__init__\n"
                 "def patched(self, *a, **k):\n"
                 "    init(self, *a, **k)\n"
                 "    def first():\n"
                 "        found.append(self.stack.currentWidget().slug)\n"
                 "        found.append(sorted(m for m in %r if m in sys.modules))\n"
                 "        found.append('sqlalchemy' in sys.modules)\n"
                 "        QApplication.quit()\n"
                 "    self.first_page_shown.connect(first)\n"
                 "main_window.MainWindow.__init__ = patched\n"
                 "from desktop.ui.launch import run_gui\n"
                 "run_gui(['khbc-gui', '--db', sys.argv[1]])\n"
                 "print(found)\n" % (HEAVY,), str(db_path))
    # The overview's rows come through plain sqlite3: SQLAlchemy loads only once they are painted.
    assert out.strip() == "['tong-quan', [], False]"


def test_an_up_to_date_database_opens_with_one_revision_query_and_without_alembic(sample_workspace, db_path):
    sample_workspace.close()
    out = _child("import sys\n"
                 "from sqlalchemy import event\n"
                 "from db.engine import open_database\n"
                 "import db.migrate\n"
                 "statements = []\n"
                 "real = db.migrate.current_revision\n"
                 "def counted(engine):\n"
                 "    event.listen(engine, 'before_cursor_execute', lambda c, cur, s, *a: statements.append(s))\n"
                 "    return real(engine)\n"
                 "db.migrate.current_revision = counted\n"
                 "database = open_database(sys.argv[1])\n"
                 "print([s for s in statements if not s.startswith(('BEGIN', 'PRAGMA'))])\n"
                 "print('alembic' in sys.modules)\n", str(db_path))
    queries, alembic_loaded = out.strip().splitlines()
    assert queries == "['SELECT version_num FROM alembic_version']" and alembic_loaded == "False"


def test_the_real_program_paints_then_shows_data_then_builds_every_page_and_ends(sample_workspace, db_path):
    sample_workspace.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "KHBC_STARTUP_MARKS": "quit"}
    done = subprocess.run([sys.executable, "-c", "from desktop.ui.launch import main; main()", "--db", str(db_path)],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    marks = [line.split()[1:3] for line in done.stderr.splitlines() if line.startswith("khbc-mark ")]
    assert [name for name, _ in marks] == ["painted", "data", "all_pages"]
    times = [float(moment) for _, moment in marks]
    assert times == sorted(times)


def test_the_page_used_last_comes_first_even_without_preloaded_rows(qtbot, sample_workspace, db_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from desktop.ui.launch import layout_file

    sample_workspace.close()
    remembered = QSettings(str(layout_file(False)), QSettings.Format.IniFormat)
    remembered.setValue("window/page", 2)
    remembered.sync()
    shown = {}

    def while_running(app, window):
        qtbot.waitUntil(lambda: window.current_page() is not None, timeout=60_000)
        page = window.current_page()
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
        shown["slug"], shown["rows"] = page.slug, page.model.rowCount()
        window.close()
        return 0

    assert _run_gui(monkeypatch, db_path, while_running) == 0
    assert shown["slug"] == "phu-luc" and shown["rows"] >= 9
