"""The guard against PySide6 6.12 draining None's reference count on Python 3.11."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Far more void Qt calls than None's natural reference count: without the guard this aborts
# the interpreter with "none_dealloc" on Python 3.11 with PySide6 6.12.
SCRIPT = """
import desktop.ui
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
for _ in range(200_000):
    widget.setEnabled(True)
print("still alive")
"""


def test_many_qt_calls_do_not_kill_the_interpreter():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "still alive"


def test_every_shared_singleton_gets_headroom_on_python_before_3_12():
    """Not only None: True/False ("bool_dealloc" on close), Ellipsis, NotImplemented, the small ints and the
    empty/one-character str, bytes and tuple are shared objects that a lost reference could free on 3.11."""
    script = ("import sys, desktop.ui\nfrom desktop.ui.qt_compat import static_singletons\n"
              "low = [repr(o) for o in static_singletons() if sys.getrefcount(o) < 1 << 39]\nprint(low)")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    if sys.version_info < (3, 12):
        assert result.stdout.strip() == "[]"
    else:  # immortal objects (PEP 683) report a huge count of their own; the guard does nothing there
        assert "True" not in result.stdout and "None" not in result.stdout


def test_true_and_false_survive_losing_many_references():
    """Simulates the PySide6 fault on bool: far more lost references of True and False than their natural
    count; with the guard the interpreter lives on and exits cleanly (no "bool_dealloc" at finalisation)."""
    script = ("import ctypes, sys, desktop.ui\n"
              "for obj in (True, False, Ellipsis, NotImplemented):\n"
              "    ctypes.pythonapi.Py_DecRef.argtypes = [ctypes.py_object]\n"
              "    for _ in range(sys.getrefcount(obj) + 1000 if sys.getrefcount(obj) < 1 << 30 else 1000):\n"
              "        ctypes.pythonapi.Py_DecRef(obj)\n"
              "print('still alive')\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "still alive"
    assert "Fatal Python error" not in result.stderr
