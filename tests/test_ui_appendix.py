"""The "Phụ lục nhiệm vụ" page driven as a clerk would: add, edit, undo, delete, move, search (pytest-qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication, QComboBox, QLineEdit, QMainWindow, QPlainTextEdit, QWizard,
)

from desktop.services import operations as ops  # noqa: E402
from desktop.services.queries import list_tasks  # noqa: E402
from desktop.ui.appendix_model import COL  # noqa: E402
from desktop.ui.bus import DataBus  # noqa: E402
from desktop.ui.delegates import UnitChecklist  # noqa: E402
from desktop.ui.pages.appendix_page import AppendixPage  # noqa: E402

from desktop.services import clock  # noqa: E402
from tests.ui_support import picture  # noqa: E402

def shots_folder() -> Path:
    """Where screenshots for a person to look at go: under pytest's temporary folders (tests/conftest.py)."""
    return Path(os.environ["KHBC_TEST_SHOTS"])

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def bus(sample_workspace, qtbot):
    bus = DataBus(sample_workspace)
    bus.quiet = True
    return bus


@pytest.fixture
def page(bus, qtbot):
    window = QMainWindow()
    page = AppendixPage(bus)
    window.setCentralWidget(page)
    window.resize(1400, 820)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: page.model.task_count() == 9)
    yield page  # the window stays referenced until the test ends
    window.close()


def type_text(widget, text: str) -> None:
    """Type Vietnamese text key by key (QTest's keyClicks only knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def tasks(bus, period=None):
    return bus.read(list_tasks, period, clock.today())


def task_by_number(bus, number: str):
    return next(t for t in tasks(bus) if t.number == number)


def open_editor(qtbot, page, task_id: int, column: str):
    """Select the cell and press F2, as the clerk would; returns the editor widget."""
    page.select_task(task_id, COL[column])
    page.table.setFocus()
    before = set(page.table.viewport().findChildren(object))
    qtbot.keyClick(page.table, Qt.Key.Key_F2)
    new = [w for w in page.table.viewport().findChildren(object) if w not in before
           and isinstance(w, (QPlainTextEdit, QLineEdit, QComboBox, UnitChecklist))
           and w.parent() is page.table.viewport()]
    assert new, "no editor opened"
    return new[0]


def shoot(widget, name: str) -> None:
    shots_folder().mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()  # pending layout of labels whose text just changed
    widget.window().grab().save(str(shots_folder() / name))


def test_ctrl_n_adds_a_task_after_the_current_row(qtbot, page, bus):
    second = task_by_number(bus, "2")
    page.select_task(second.id)
    qtbot.keyClick(page.table, Qt.Key.Key_N, CTRL)
    dialog = page.task_dialog
    assert dialog is not None and dialog.isVisible()
    type_text(dialog.content, "Tổ chức tập huấn kỹ năng an toàn trên mạng cho cán bộ")
    dialog.lead.setCurrentIndex(dialog.lead.findText("Công an tỉnh"))
    checklist = dialog.cooperating
    sở_y_tế = next(checklist.item(r) for r in range(checklist.count()) if checklist.item(r).text() == "Sở Y tế")
    qtbot.mouseClick(checklist.viewport(), Qt.MouseButton.LeftButton, pos=checklist.visualItemRect(sở_y_tế).center())
    type_text(dialog.timeframe.line, "Quý IV/2026")
    assert dialog.timeframe.reading.text() == "KHBC hiểu là: Hạn: 31/12/2026"
    shoot(dialog, "phu-luc-them-nhiem-vu.png")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: len(tasks(bus)) == 10)
    new = task_by_number(bus, "3")
    assert new.content == "Tổ chức tập huấn kỹ năng an toàn trên mạng cho cán bộ"
    assert new.lead == "Công an tỉnh"
    assert new.cooperating == ("Sở Y tế",)
    assert new.timeframe_text == "Quý IV/2026" and new.timeframe_label == "Hạn: 31/12/2026"
    assert [t.number for t in tasks(bus)] == [str(n) for n in range(1, 11)]
    qtbot.waitUntil(lambda: page.current_task() is not None and page.current_task().id == new.id)
    assert page.undo_stack.count() == 1


def test_empty_content_is_refused_in_the_dialog(qtbot, page, bus):
    page.new_item()
    dialog = page.task_dialog
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "nội dung" in dialog.error.text()
    dialog.reject()
    assert len(tasks(bus)) == 9


def test_edit_a_cell_then_undo_and_redo(qtbot, page, bus):
    third = task_by_number(bus, "3")
    editor = open_editor(qtbot, page, third.id, "content")
    assert isinstance(editor, QPlainTextEdit)
    editor.selectAll()
    type_text(editor, "Rà soát, bảo đảm an toàn thông tin")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)  # a new line, not the end
    type_text(editor, "cho hệ thống của Sở")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    edited = "Rà soát, bảo đảm an toàn thông tin\ncho hệ thống của Sở"
    qtbot.waitUntil(lambda: task_by_number(bus, "3").content == edited)

    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: task_by_number(bus, "3").content == third.content)
    qtbot.keyClick(page.table, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: task_by_number(bus, "3").content == edited)
    qtbot.waitUntil(lambda: page.model.task_at(page.model.row_of_task(third.id)).content == edited)


def test_timeframe_editor_shows_the_live_reading(qtbot, page, bus):
    first = task_by_number(bus, "1")
    editor = open_editor(qtbot, page, first.id, "timeframe")
    editor.clear()
    type_text(editor, "Trước ngày 30/6/2027")
    reading = page.model.index(page.model.row_of_task(first.id), COL["reading"])
    assert reading.data() == "Hạn: 30/06/2027"
    hints = [w for w in page.table.viewport().children() if w.__class__.__name__ == "QLabel" and w.isVisible()
             and "KHBC hiểu là" in w.text()]
    assert hints and hints[0].text() == "KHBC hiểu là: Hạn: 30/06/2027"
    shoot(page, "phu-luc-sua-thoi-gian.png")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: task_by_number(bus, "1").timeframe_text == "Trước ngày 30/6/2027")
    assert task_by_number(bus, "1").timeframe_label == "Hạn: 30/06/2027"


def test_lead_and_cooperating_units_are_chosen_in_the_cell(qtbot, page, bus):
    fourth = task_by_number(bus, "4")
    combo = open_editor(qtbot, page, fourth.id, "lead")
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(combo.view().isVisible)  # the list opens by itself; the clerk picks a unit in it
    combo.view().setCurrentIndex(combo.model().index(combo.findText("Sở Khoa học và Công nghệ"), 0))
    for _ in range(3):
        QApplication.processEvents()  # the editor listens for a choice once its list is open
    qtbot.keyClick(combo.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: task_by_number(bus, "4").lead == "Sở Khoa học và Công nghệ")
    page.window().activateWindow()  # the unit list popup took the keyboard; give it back as closing it would
    qtbot.waitUntil(page.window().isActiveWindow)
    qtbot.waitUntil(lambda: page.table.state() != page.table.State.EditingState)
    for _ in range(3):
        QApplication.processEvents()  # the page reloads once the edit is stored

    checklist = open_editor(qtbot, page, fourth.id, "cooperating")
    assert isinstance(checklist, UnitChecklist)
    assert checklist.checked_names() == ["Các phòng chuyên môn"]
    for name in ("Công an tỉnh", "Các phòng chuyên môn"):
        item = next(checklist.item(r) for r in range(checklist.count()) if checklist.item(r).text() == name)
        qtbot.mouseClick(checklist.viewport(), Qt.MouseButton.LeftButton, pos=checklist.visualItemRect(item).center())
    qtbot.keyClick(checklist, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: task_by_number(bus, "4").cooperating == ("Công an tỉnh",))
    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: task_by_number(bus, "4").cooperating == ("Các phòng chuyên môn",))


def test_delete_asks_when_the_task_has_progress_and_undo_restores_it(qtbot, page, bus, monkeypatch):
    second = task_by_number(bus, "2")
    bus.run(ops.RECORD_PROGRESS, "2026S1", second.id, "done", result="Đã tổ chức 2 hội nghị")
    asked: list[str] = []
    monkeypatch.setattr(page, "confirm", lambda text, action: asked.append(text) or True)
    page.select_task(second.id)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 8)
    assert asked and "1 kỳ báo cáo" in asked[0]
    assert [t.number for t in tasks(bus)] == [str(n) for n in range(1, 9)]
    assert second.content not in [t.content for t in tasks(bus)]

    qtbot.keyClick(page.table, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 9)
    restored = task_by_number(bus, "2")
    assert restored.content == second.content and restored.lead == second.lead
    assert restored.cooperating == second.cooperating
    entry = next(t for t in tasks(bus, "2026S1") if t.number == "2")
    assert entry.status == "done" and entry.result == "Đã tổ chức 2 hội nghị"

    qtbot.keyClick(page.table, Qt.Key.Key_Y, CTRL)  # redo follows the task under its new id
    qtbot.waitUntil(lambda: len(tasks(bus)) == 8)


def test_delete_without_progress_does_not_ask(qtbot, page, bus, monkeypatch):
    monkeypatch.setattr(page, "confirm", lambda *a: pytest.fail("no question expected"))
    page.select_task(task_by_number(bus, "9").id)
    page.delete_button.click()
    qtbot.waitUntil(lambda: len(tasks(bus)) == 8)


def test_move_renumbers_and_undo_moves_back(qtbot, page, bus):
    third = task_by_number(bus, "3")
    page.select_task(third.id)
    qtbot.keyClick(page.table, Qt.Key.Key_Up, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: task_by_number(bus, "2").content == third.content)
    assert [t.number for t in tasks(bus)] == [str(n) for n in range(1, 10)]
    qtbot.waitUntil(lambda: page.current_task() is not None and page.current_task().id == third.id)
    page.down_button.click()
    page.down_button.click()
    qtbot.waitUntil(lambda: task_by_number(bus, "4").content == third.content)
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: task_by_number(bus, "3").content == third.content)


def test_search_ignores_diacritics_and_filters_combine(qtbot, page, bus):
    qtbot.keyClick(page.table, Qt.Key.Key_F, CTRL)
    assert page.search.hasFocus()
    qtbot.keyClicks(page.search, "tuyen truyen")
    visible = [page.proxy.index(r, COL["content"]).data() for r in range(page.proxy.rowCount())]
    assert visible == ["Tuyên truyền bảo vệ trẻ em trên môi trường mạng trong toàn Sở"]
    assert page.count_label.text() == "Hiển thị 1 trên 9 nhiệm vụ"
    page.search.clear()

    page.unit_filter.setCurrentIndex(page.unit_filter.findText("Các đơn vị cung cấp dịch vụ CNTT"))
    assert page.proxy.rowCount() == 1
    page.unit_filter.setCurrentIndex(0)
    page.state_filter.setCurrentIndex(page.state_filter.findData("late"))  # computed for Năm 2026
    numbers = [page.proxy.index(r, COL["number"]).data() for r in range(page.proxy.rowCount())]
    assert numbers == ["1", "6"]
    assert "Năm 2026" in page.state_label.text()
    type_text(page.search, "không có nhiệm vụ này")
    assert page.proxy.rowCount() == 0 and page.table.empty.isVisible()
    shoot(page, "phu-luc-khong-tim-thay.png")
    page.clear_filters.click()
    assert page.proxy.rowCount() == 9 and not page.table.empty.isVisible()


def test_group_headings_span_the_row_and_follow_the_filter(qtbot, page, bus):
    ok, group_id = bus.run(ops.ADD_GROUP, "I. CÔNG TÁC TUYÊN TRUYỀN, PHỔ BIẾN")
    for number in ("1", "2"):
        bus.run(ops.UPDATE_TASK, task_by_number(bus, number).id, group_id=group_id)
    ok, other = bus.run(ops.ADD_GROUP, "II. BẢO ĐẢM AN TOÀN THÔNG TIN")
    for number in ("3", "4", "5"):
        bus.run(ops.UPDATE_TASK, task_by_number(bus, number).id, group_id=other)
    qtbot.waitUntil(lambda: len(page.model.group_rows) == 2)
    qtbot.waitUntil(lambda: page.table.columnSpan(0, 0) == len(COL))
    assert page.proxy.index(0, 0).data() == "I. CÔNG TÁC TUYÊN TRUYỀN, PHỔ BIẾN"
    page.table.fit_rows()
    shoot(page, "phu-luc-nhom.png")
    page.search.setText("attt")
    headings = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())
                if page.model.task_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row()) is None]
    assert headings == ["II. BẢO ĐẢM AN TOÀN THÔNG TIN"]
    assert page.count_label.text() == "Hiển thị 1 trên 9 nhiệm vụ"


def test_screenshot_of_the_page(qtbot, page):
    page.prepare_screenshot()
    page.table.fit_rows()
    shoot(page, "phu-luc.png")
    width, height, colours = picture(shots_folder() / "phu-luc.png")
    assert (width, height) == (page.window().width(), page.window().height())
    assert colours >= 8  # the page drawn, not a blank window


PASTED_PLAN = """1. Nhiệm vụ chung
a) Tổ chức tuyên truyền về an toàn thông tin cho học sinh
- Cơ quan chủ trì: Sở Giáo dục và Đào tạo
- Cơ quan phối hợp: Công an tỉnh, Sở Y tế
- Thời gian thực hiện: Quý IV/2026
b) Rà soát các trang thông tin điện tử
- Cơ quan chủ trì: Sở Khoa học và Công nghệ
- Cơ quan phối hợp: Công an tỉnh
- Thời gian thực hiện: Thường xuyên
"""


def test_import_wizard_from_pasted_text(qtbot, page, bus):
    assert page.import_button.text() == "Nhập từ tệp…" and page.import_button.isVisibleTo(page)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    wizard = page.import_wizard
    assert wizard is not None and wizard.isVisible()
    wizard.source_page.text.setPlainText(PASTED_PLAN)
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    assert wizard.preview_model.rowCount() == 2
    assert "Đọc được 2 nhiệm vụ" in wizard.preview_page.summary.text()
    qtbot.waitUntil(lambda: wizard.preview_page.view.rowHeight(0) < 60)  # rows fitted at the real widths
    shoot(wizard, "phu-luc-nhap-tu-tep.png")
    second = wizard.preview_model.index(1, 0)
    wizard.preview_model.setData(second, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    wizard.next()
    assert wizard.currentPage() is wizard.confirm_page
    assert wizard.confirm_page.create_units() == ["Sở Giáo dục và Đào tạo"]
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)  # "Nhập"
    qtbot.waitUntil(lambda: len(tasks(bus)) == 10)
    new = task_by_number(bus, "10")
    assert new.content == "Tổ chức tuyên truyền về an toàn thông tin cho học sinh"
    assert new.lead == "Sở Giáo dục và Đào tạo" and new.cooperating == ("Công an tỉnh", "Sở Y tế")
    assert new.timeframe_label == "Hạn: 31/12/2026"
    assert page.notice.text().startswith("Đã nhập 1 nhiệm vụ")


def test_import_wizard_shows_the_column_mapping_of_a_spreadsheet(qtbot, page, bus, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện",
                  "Kết quả dự kiến"])
    sheet.append([1, "Xây dựng chuyên mục an toàn trẻ em trên mạng", "Văn phòng Sở", "Các phòng chuyên môn",
                  "Quý I/2027", "Chuyên mục"])
    path = tmp_path / "phu-luc.xlsx"
    book.save(path)
    page.open_import()
    wizard = page.import_wizard
    wizard.source_page.path.setText(str(path))
    wizard.next()
    combos = wizard.preview_page.mapping_combos
    assert combos["content"].isVisible() and combos["content"].currentData() == 1
    assert wizard.preview_model.index(0, 2).data() == "Xây dựng chuyên mục an toàn trẻ em trên mạng"
    wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: len(tasks(bus)) == 10)
    assert task_by_number(bus, "10").lead == "Văn phòng Sở"


def test_save_takes_in_a_cell_still_being_typed(qtbot, page, bus):
    """The main window calls save() before closing: a half-typed cell is not lost."""
    ninth = task_by_number(bus, "9")
    editor = open_editor(qtbot, page, ninth.id, "output")
    editor.selectAll()
    type_text(editor, "Báo cáo sơ kết 3 năm")
    assert page.has_unsaved_changes()
    assert page.save()
    assert task_by_number(bus, "9").expected_output == "Báo cáo sơ kết 3 năm"
    assert not page.has_unsaved_changes()
