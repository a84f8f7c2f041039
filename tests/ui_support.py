"""Helpers for the page tests: a quiet DataBus that records failures, a host window, and PNG screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def shots_folder() -> Path:
    """Where screenshots for a person to look at go: under pytest's temporary folders (tests/conftest.py)."""
    return Path(os.environ["KHBC_TEST_SHOTS"])



def quiet_bus(workspace):
    """A DataBus that shows no dialogs; failures are collected in `bus.failures`."""
    from desktop.ui.bus import DataBus

    bus = DataBus(workspace)
    bus.quiet = True
    bus.failures = []
    bus.failed.connect(bus.failures.append)
    return bus


def host(qtbot, page, width: int = 1100, height: int = 760):
    """Show `page` alone in a plain main window, as the main window would."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    window.setCentralWidget(page)
    window.resize(width, height)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page.host_window = window  # the test holds the page; the window must live as long
    return window


def shoot(widget, name: str) -> Path:
    """Save what the widget shows now as <shots folder>/<name>.png (after pending layout work, as on screen)."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    shots_folder().mkdir(parents=True, exist_ok=True)
    path = shots_folder() / f"{name}.png"
    assert widget.grab().save(str(path))
    return path


def picture(path: Path) -> tuple[int, int, int]:
    """A saved screenshot read back: its width, height and how many colours a 40×40 grid of its points shows."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable picture"
    w, h = image.width(), image.height()
    colours = {image.pixel(x * (w - 1) // 39, y * (h - 1) // 39) for x in range(40) for y in range(40)}
    return w, h, len(colours)


def _poppler(tool: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"needs poppler-utils ({tool}); .ci/run installs it")
    return tool


def pdf_pages(path: Path) -> int:
    """How many pages the PDF has (poppler's pdfinfo); the test is skipped when poppler is not installed."""
    info = subprocess.run([_poppler("pdfinfo"), str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split(":", 1)[1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    """What the PDF really says (poppler's pdftotext); the test is skipped when poppler is not installed."""
    _poppler("pdftotext")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def run_operation(qtbot, bus, operation, *args, **kwargs):
    """Run `operation` through the bus as a page does and wait for its end (slow ones run on a worker).

    Returns (True, result) or (False, the Vietnamese message)."""
    ended = []
    with qtbot.waitSignal(bus.finished, timeout=90_000, check_params_cb=lambda ended: ended is operation):
        bus.run(operation, *args, on_success=lambda result: ended.append((True, result)),
                on_failure=lambda message: ended.append((False, message)), **kwargs)
    return ended[0]


def windows_made(monkeypatch) -> list:
    """Main windows built from now on in this test, newest last: the one `run_gui` opens, never a window an
    earlier test left for Qt to delete (picking "the visible MainWindow" could find that one instead)."""
    from desktop.ui.main_window import MainWindow

    made: list = []
    original = MainWindow.__init__

    def recording(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(MainWindow, "__init__", recording)
    return made
