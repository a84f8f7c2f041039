"""The "Cập nhật kết quả" page driven as a clerk would: record a result, autosave, copy, sent periods (pytest-qt)."""

from __future__ import annotations

from datetime import date, datetime, timezone
import os
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QDate, QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QDateEdit, QMainWindow, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from db.models import Period  # noqa: E402
from desktop.services import clock  # noqa: E402
from desktop.services.attachments import store_root, stored_path  # noqa: E402
from desktop.services import operations as ops  # noqa: E402
from desktop.services.progress import list_target_figures  # noqa: E402
from desktop.services.queries import list_tasks  # noqa: E402
from desktop.services.ui_support import progress_detail  # noqa: E402
from desktop.ui.bus import DataBus  # noqa: E402
from desktop.ui.evidence_table import DATE, NUMBER, SUMMARY  # noqa: E402
from desktop.ui.pages.progress_page import ProgressPage  # noqa: E402

def shots_folder() -> Path:
    """Where screenshots for a person to look at go: under pytest's temporary folders (tests/conftest.py)."""
    return Path(os.environ["KHBC_TEST_SHOTS"])



@pytest.fixture
def bus(sample_workspace, qtbot):
    bus = DataBus(sample_workspace)
    bus.quiet = True
    return bus


def show(qtbot, bus):
    window = QMainWindow()
    page = ProgressPage(bus)
    window.setCentralWidget(page)
    window.resize(1400, 860)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: page.editor.task_id is not None)
    return window, page


@pytest.fixture
def page(bus, qtbot):
    window, page = show(qtbot, bus)
    yield page
    window.close()


def type_text(widget, text: str) -> None:
    """Type Vietnamese text key by key (QTest's keyClicks only knows ASCII)."""
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char))


def task_id(bus, number: str) -> int:
    return next(t.id for t in bus.read(list_tasks, None, clock.today()) if t.number == number)


def choose_task(page, bus, number: str) -> None:
    page.tree.setCurrentItem(page.tree.item_of(task_id(bus, number)))


def shoot(widget: QWidget, name: str) -> None:
    shots_folder().mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    widget.window().grab().save(str(shots_folder() / name))


def test_opens_on_the_current_period_with_due_tasks_first(page, bus):
    assert page.period_combo.currentData() == "2026" and bus.period_code == "2026"
    top = page.tree.topLevelItem(0)
    assert top.text(0) == "Cần báo cáo trong kỳ (9)"
    assert page.editor.title.text().startswith("1. ")


def test_record_progress_through_the_editor(qtbot, page, bus, tmp_path, monkeypatch):
    choose_task(page, bus, "2")
    editor = page.editor
    editor.status.setCurrentIndex(editor.status.findData("done"))
    type_text(editor.boxes["result"], "Đã tổ chức 2 hội nghị tuyên truyền cho 120 cán bộ")
    type_text(editor.boxes["figures"], "120 lượt cán bộ")

    qtbot.mouseClick(editor.add_evidence, Qt.MouseButton.LeftButton)
    view, model = editor.evidence_view, editor.evidence
    number_editor = QApplication.focusWidget()
    type_text(number_editor, "15/KH-SXD")
    view.setFocus()  # commits the cell, as clicking elsewhere does
    view.edit(model.index(0, DATE))
    date_edit = QApplication.focusWidget()
    date_edit.selectAll()
    type_text(date_edit, "05/08/2026")
    qtbot.keyClick(date_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(0, DATE).data() == "05/08/2026")
    model.setData(model.index(0, SUMMARY), "Kế hoạch tuyên truyền năm 2026")
    assert model.index(0, NUMBER).data() == "15/KH-SXD"

    scan = tmp_path / "ke-hoach-15.pdf"
    scan.write_bytes(b"%PDF-1.4 minh chung")
    monkeypatch.setattr(page, "choose_file", lambda: str(scan))
    view.setCurrentIndex(model.index(0, NUMBER))
    with qtbot.waitSignal(bus.finished, timeout=30_000):  # the file is copied on a worker
        qtbot.mouseClick(editor.attach, Qt.MouseButton.LeftButton)
        assert not editor.attach.isEnabled() and not editor.remove_evidence.isEnabled()
    assert editor.attach.isEnabled() and editor.remove_evidence.isEnabled()
    assert page.has_unsaved_changes()
    shoot(page, "cap-nhat-ket-qua.png")

    qtbot.keyClick(editor.boxes["result"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not page.has_unsaved_changes()
    assert "Đã lưu kết quả nhiệm vụ 2" in page.message.text()
    detail = bus.read(progress_detail, "2026", task_id(bus, "2"))
    assert detail.status == "done"
    assert detail.result == "Đã tổ chức 2 hội nghị tuyên truyền cho 120 cán bộ"
    assert detail.figures == "120 lượt cán bộ"
    [evidence] = detail.evidence
    assert (evidence.number, evidence.issued_on, evidence.summary, evidence.file_name) == \
        ("15/KH-SXD", date(2026, 8, 5), "Kế hoạch tuyên truyền năm 2026", "ke-hoach-15.pdf")
    assert stored_path(store_root(bus.workspace), evidence.file_sha256).read_bytes() == scan.read_bytes()
    subtitle = Qt.ItemDataRole.UserRole + 2
    qtbot.waitUntil(lambda: "Đã hoàn thành" in page.tree.item_of(task_id(bus, "2")).data(0, subtitle))


def test_typing_a_result_chooses_in_progress_and_switching_task_saves(qtbot, page, bus):
    choose_task(page, bus, "3")
    type_text(page.editor.boxes["result"], "Đã rà soát 15 máy chủ")
    assert page.editor.status.currentData() == "in_progress"
    choose_task(page, bus, "4")
    detail = bus.read(progress_detail, "2026", task_id(bus, "3"))
    assert detail is not None and detail.status == "in_progress" and detail.result == "Đã rà soát 15 máy chủ"
    assert page.editor.task_id == task_id(bus, "4") and page.editor.boxes["result"].toPlainText() == ""
    qtbot.waitUntil(lambda: not page._stale)
    choose_task(page, bus, "3")
    assert page.editor.boxes["result"].toPlainText() == "Đã rà soát 15 máy chủ"


def test_leaving_the_page_or_the_period_saves(qtbot, page, bus):
    choose_task(page, bus, "5")
    type_text(page.editor.boxes["difficulties"], "Thiếu kinh phí")
    page.hide()  # the main window shows another page
    assert bus.read(progress_detail, "2026", task_id(bus, "5")).difficulties == "Thiếu kinh phí"
    page.show()
    choose_task(page, bus, "6")
    type_text(page.editor.boxes["proposals"], "Bổ sung biên chế")
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026S1"))
    assert bus.read(progress_detail, "2026", task_id(bus, "6")).proposals == "Bổ sung biên chế"
    assert bus.period_code == "2026S1"
    assert page.editor.boxes["proposals"].toPlainText() == ""


def test_copy_from_previous_period(qtbot, page, bus):
    for number, result in (("2", "Đã tuyên truyền 6 tháng đầu năm"), ("3", "Đã rà soát hệ thống")):
        bus.run(ops.RECORD_PROGRESS, "2026S1", task_id(bus, number), "in_progress", result=result)
    choose_task(page, bus, "2")
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert "2 nhiệm vụ" in page.message.text()
    assert bus.read(progress_detail, "2026", task_id(bus, "2")).result == "Đã tuyên truyền 6 tháng đầu năm"
    qtbot.waitUntil(lambda: page.editor.boxes["result"].toPlainText() == "Đã tuyên truyền 6 tháng đầu năm")
    qtbot.mouseClick(page.copy_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("Không có gì để sao chép")


def test_target_figures_are_recorded_and_undone(qtbot, page, bus):
    page.tabs.setCurrentIndex(1)
    model = page.targets.model
    model.setData(model.index(0, 3), "95%")
    qtbot.waitUntil(lambda: bus.read(list_target_figures, "2026")[0].value_text == "95%")
    qtbot.waitUntil(lambda: model.index(0, 3).data() == "95%")
    shoot(page, "cap-nhat-ket-qua-chi-tieu.png")
    page.undo_stack.undo()
    qtbot.waitUntil(lambda: bus.read(list_target_figures, "2026")[0].value_text == "")


def test_a_sent_period_is_read_only(qtbot, bus):
    bus.run(ops.RECORD_PROGRESS, "2026S1", task_id(bus, "1"), "done", result="Đã ban hành kế hoạch")
    with bus.workspace.unit_of_work() as session:
        period = session.scalar(select(Period).where(Period.code == "2026S1"))
        period.sent_at = datetime(2026, 6, 8, 9, 30, tzinfo=timezone.utc)
    bus.select_period("2026S1")
    window, page = show(qtbot, bus)
    assert page.banner.isVisible()
    assert page.banner.text() == ("Kỳ này đã gửi báo cáo ngày 08/06/2026; muốn sửa, vào Gửi báo cáo → "
                                  "Mở lại để bổ sung.")
    choose_task(page, bus, "1")
    editor = page.editor
    assert editor.boxes["result"].toPlainText() == "Đã ban hành kế hoạch"
    assert editor.boxes["result"].isReadOnly() and not editor.status.isEnabled()
    assert not editor.attach.isEnabled() and not page.copy_button.isEnabled()
    assert page.targets.model.read_only
    type_text(editor.boxes["result"], " thêm")
    assert not page.has_unsaved_changes() and page.save()
    shoot(page, "cap-nhat-ket-qua-da-gui.png")
    window.close()


def test_an_evidence_file_is_copied_on_a_worker_and_never_lands_on_another_task(qtbot, page, bus, tmp_path,
                                                                                  monkeypatch):
    import threading

    from PySide6.QtCore import QThread

    from desktop.services import ui_support

    gate, threads, real = threading.Event(), [], ui_support.store_attachment

    def held(*args, **kwargs):
        threads.append(QThread.currentThread())
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(ui_support, "store_attachment", held)
    scan = tmp_path / "quyet-dinh.pdf"
    scan.write_bytes(b"%PDF-1.4 quyet dinh")
    monkeypatch.setattr(page, "choose_file", lambda: str(scan))
    choose_task(page, bus, "2")
    editor = page.editor
    qtbot.mouseClick(editor.add_evidence, Qt.MouseButton.LeftButton)
    editor.evidence_view.setCurrentIndex(editor.evidence.index(0, NUMBER))
    try:
        qtbot.mouseClick(editor.attach, Qt.MouseButton.LeftButton)
        choose_task(page, bus, "3")  # the clerk moves on while the scan is copied (task 2 is saved on leaving)
        qtbot.waitUntil(lambda: editor.task_id == task_id(bus, "3"))
        with qtbot.waitSignal(bus.finished, timeout=30_000):
            gate.set()
    finally:
        gate.set()
    assert threads and threads[0] is not QThread.currentThread()
    assert "chưa gắn vào văn bản nào" in page.message.text() and "quyet-dinh.pdf" in page.message.text()
    assert editor.evidence.rowCount() == 0 and not page.has_unsaved_changes()
    saved = bus.read(progress_detail, "2026", task_id(bus, "2"))
    assert saved is None or all(not item.file_sha256 for item in saved.evidence)
