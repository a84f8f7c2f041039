"""Stress the window in child processes (page switches, edits, dialogs, open/close cycles) and count crashes.

Usage: python tests/benchmarks/stress_close.py [--children N] [--cycles C] [--actions A] [--python PY ...]
Each child builds the real main window on a sample database, switches pages, types into the progress
editor and the appendix search, opens and closes dialogs, closes the window and reopens it C times,
then exits normally. A child that ends with a non-zero code or "Fatal Python error" counts as a crash.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
import desktop.ui  # the guard runs first, as in the program
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from desktop.services.setup import initialise
from desktop.services.workspace import Workspace
from desktop.ui.bus import DataBus
from desktop.ui.main_window import MainWindow
from desktop.ui.translator import install

db, cycles, actions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
app = QApplication([sys.argv[0]])
translator = install(app)
initialise(db, sample=True)
done = 0
for cycle in range(cycles):
    workspace = Workspace.open(db)
    bus = DataBus(workspace)
    bus.quiet = True
    window = MainWindow(QSettings(db + ".ini", QSettings.Format.IniFormat))
    window.attach(bus)
    window.show()
    for step in range(actions):
        kind = step % 5
        if kind == 0:  # switch page
            window.nav.setCurrentRow(step % len(window.pages))
        elif kind == 1:  # type into the progress editor, then save
            page = window.show_page("cap-nhat-ket-qua")
            box = page.editor.boxes["figures"]
            if not page.editor.read_only:
                box.setFocus()
                QTest.keyClicks(box, "1")
                window.save_current()
        elif kind == 2:  # search the appendix, then clear it
            page = window.show_page("phu-luc")
            page.search.setText("tuy"[: step % 4])
        elif kind == 3:  # a dialog opened and closed
            from desktop.ui.task_dialog import TaskDialog
            dialog = TaskDialog(["Văn phòng Sở"], (2026, 2030), parent=window)
            QTimer.singleShot(0, dialog.reject)
            dialog.exec()
            dialog.deleteLater()
        else:  # undo / redo and the event loop
            window.undo_action.trigger()
            window.redo_action.trigger()
            app.processEvents()
        done += 1
    window.close()
    window.deleteLater()
    app.processEvents()
    workspace.close()
print(f"actions={done} closes={cycles}", flush=True)
"""


def run_child(python: str, cycles: int, actions: int, folder: Path, index: int) -> tuple[bool, int, str]:
    db = folder / f"stress-{index}.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "KHBC_TODAY": "2026-11-22",
           "XDG_DATA_HOME": str(folder / "xdg"), "HOME": str(folder / "home")}
    result = subprocess.run([python, "-c", CHILD, str(db), str(cycles), str(actions)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=900)
    crashed = result.returncode != 0 or "Fatal Python error" in result.stderr
    done = 0
    for word in result.stdout.split():
        if word.startswith("actions="):
            done = int(word.split("=")[1])
    return crashed, done, result.stderr[-800:] if crashed else ""


def stress(python: str, children: int, cycles: int, actions: int) -> dict:
    totals = {"python": python, "actions": 0, "closes": 0, "crashes": 0, "errors": []}
    with tempfile.TemporaryDirectory(prefix="khbc-stress-") as tmp:
        for index in range(children):
            crashed, done, error = run_child(python, cycles, actions, Path(tmp), index)
            totals["actions"] += done
            totals["closes"] += 0 if crashed else cycles
            if crashed:
                totals["crashes"] += 1
                totals["errors"].append(error)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=6)
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--python", nargs="*", default=[sys.executable])
    args = parser.parse_args()
    for python in args.python:
        version = subprocess.run([python, "-c", "import sys, PySide6; print(sys.version.split()[0], PySide6.__version__)"],
                                 capture_output=True, text=True).stdout.strip()
        start = time.perf_counter()
        totals = stress(python, args.children, args.cycles, args.actions)
        print(f"Python {version}: actions {totals['actions']}, closes {totals['closes']}, "
              f"crashes {totals['crashes']} ({time.perf_counter() - start:.0f} s)")
        for error in totals["errors"]:
            print("  " + error.replace("\n", "\n  "))


if __name__ == "__main__":
    main()
