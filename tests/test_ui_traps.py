"""The traps of issue 12 that lost or misstated a clerk's work, each driven with real keys and clicks."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView, QApplication, QComboBox, QMainWindow, QMessageBox, QPushButton,
)

from desktop.services import clock  # noqa: E402
from desktop.services.queries import list_tasks  # noqa: E402
from desktop.ui.appendix_model import COL  # noqa: E402
from desktop.ui.bus import DataBus  # noqa: E402


def type_text(widget, text: str) -> None:
    """Type Vietnamese text key by key (QTest's keyClicks only knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def answer_next_question(qtbot, button_text: str, seen: list[str]) -> None:
    """When the next message box appears, note its text and click the button labelled `button_text`."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == button_text)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


@pytest.fixture
def bus(sample_workspace):
    bus = DataBus(sample_workspace)
    bus.quiet = True
    return bus


@pytest.fixture
def appendix(bus, qtbot):
    from desktop.ui.pages.appendix_page import AppendixPage

    window = QMainWindow()
    page = AppendixPage(bus)
    window.setCentralWidget(page)
    window.resize(1300, 700)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: page.model.task_count() == 9)
    yield page
    window.close()


def tasks(bus, period=None):
    return bus.read(list_tasks, period, clock.today())


def task_by_number(bus, number: str):
    return next(t for t in tasks(bus) if t.number == number)


# --- trap 2: the lead unit's editor must stay open ----------------------------------------------------------
@pytest.mark.parametrize("how", ["double-click", "F2"])
def test_lead_unit_editor_stays_open_until_a_unit_is_chosen(qtbot, appendix, bus, how):
    fourth = task_by_number(bus, "4")
    appendix.select_task(fourth.id, COL["lead"])
    table = appendix.table
    table.setFocus()
    index = table.currentIndex()
    if how == "F2":
        qtbot.keyClick(table, Qt.Key.Key_F2)
    else:
        rect = table.visualRect(index)
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for _ in range(5):  # let the editor's own start-up (popup, queued signals) run
        QApplication.processEvents()
    assert table.state() == QAbstractItemView.State.EditingState, "the editor closed by itself"
    combo = table.indexWidget(index) or next(w for w in table.viewport().findChildren(QComboBox) if w.isVisible())
    assert task_by_number(bus, "4").lead == fourth.lead
    # choosing a unit in the list saves it and closes the editor
    combo.showPopup()
    view = combo.view()
    row = combo.findText("Sở Khoa học và Công nghệ")
    view.setCurrentIndex(combo.model().index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: task_by_number(bus, "4").lead == "Sở Khoa học và Công nghệ")
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
