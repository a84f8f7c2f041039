"""Every page, wizard and dialog at 1024×768 and 1366×768: nothing outside the window, no sideways scrolling.

Runs `khbc-gui --screenshot DIR --size WxH` in a child process so that Qt's offscreen display has exactly
that size; the layout check (desktop/ui/screenshots.py) measures real widget geometry and reports, per
page, any widget reaching outside its window, any sideways scroll bar, and any dialog larger than the screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _shoot(tmp_path, size: str) -> tuple[list[str], list[Path]]:
    out = tmp_path / f"shots-{size}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", "from desktop.ui.launch import run_gui; import sys; "
                             "sys.exit(run_gui(sys.argv))", "--screenshot", str(out), "--size", size,
                             "--db", str(tmp_path / f"{size}.sqlite3")], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    problems = [line for line in result.stderr.splitlines() if line.startswith("Bố cục:")]
    return problems, sorted(out.glob("*.png"))


@pytest.mark.parametrize("size", ["1024x768", "1366x768"])
def test_every_page_and_dialog_fits_the_screen(tmp_path, size):
    problems, files = _shoot(tmp_path, size)
    assert len(files) >= 15  # 8 pages, 5 first-run pages, the import wizard, the task dialog
    assert problems == []


def test_the_layout_check_sees_a_cut_off_window(qapp):
    """The check is not blind: a button reaching past the window's edge and a sideways-scrolling box are found."""
    from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget

    from desktop.ui.screenshots import layout_problems

    window = QWidget()
    window.resize(600, 300)
    QPushButton("Một nút bị cắt ở mép phải", window).setGeometry(480, 10, 240, 30)
    box = QPlainTextEdit("x" * 400, window)
    box.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    box.setGeometry(10, 60, 300, 200)
    window.show()
    problems = layout_problems(window, "thử")
    assert any("ra ngoài cửa sổ" in p for p in problems)
    assert any("cuộn ngang" in p for p in problems)
    window.close()
