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
