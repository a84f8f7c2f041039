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
        buttons = box.findChildren(QPushButton)
        wanted = [b for b in buttons if b.text().replace("&", "") == button_text]
        # an unexpected question is answered with its last button (never left open to hang the test)
        qtbot.mouseClick((wanted or buttons[-1:])[0], Qt.MouseButton.LeftButton)

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


# --- trap 3: "Thêm nhiệm vụ" with a typed lead unit ---------------------------------------------------------
def _fill_new_task(qtbot, appendix, lead: str):
    appendix.select_task(task_by_number(appendix.bus, "2").id)
    qtbot.keyClick(appendix.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = appendix.task_dialog
    type_text(dialog.content, "Tập huấn an toàn thông tin cho cán bộ")
    dialog.lead.lineEdit().setFocus()
    type_text(dialog.lead.lineEdit(), lead)
    return dialog


def test_typed_part_of_a_unit_name_takes_the_suggested_unit(qtbot, appendix, bus):
    dialog = _fill_new_task(qtbot, appendix, "Văn phòng")
    seen: list[str] = []
    answer_next_question(qtbot, "Không", seen)
    qtbot.keyClick(dialog.lead.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 10)
    assert seen == []  # no question: "Văn phòng" names one unit of the list
    assert task_by_number(bus, "3").lead == "Văn phòng Sở"


def test_refusing_a_new_unit_returns_to_the_filled_dialog(qtbot, appendix, bus):
    dialog = _fill_new_task(qtbot, appendix, "Phòng Hạ tầng số")
    seen: list[str] = []
    answer_next_question(qtbot, "Không", seen)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: seen != [])
    assert "Phòng Hạ tầng số" in seen[0]
    assert dialog.isVisible(), "answering no threw the new task away"
    assert dialog.content.toPlainText() == "Tập huấn an toàn thông tin cho cán bộ"
    assert dialog.lead.currentText() == "Phòng Hạ tầng số"
    assert len(tasks(bus)) == 9
    # agreeing the second time adds the unit and the task, asking once
    answer_next_question(qtbot, "Thêm đơn vị", seen)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 10)
    assert len(seen) == 2 and task_by_number(bus, "3").lead == "Phòng Hạ tầng số"


# --- trap 8: the deletion notice and the refusal ------------------------------------------------------------
def test_the_deletion_notice_goes_away_when_the_deletion_is_undone(qtbot, appendix, bus):
    appendix.select_task(task_by_number(bus, "7").id)
    qtbot.keyClick(appendix.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 8)
    assert "Đã xóa nhiệm vụ 7" in appendix.notice.text()
    qtbot.keyClick(appendix.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len(tasks(bus)) == 9)
    assert "Đã xóa" not in appendix.notice.text()


def test_a_task_with_results_in_a_sent_period_is_refused_before_any_question(qtbot, appendix, bus):
    from db.models import Period
    from desktop.services import operations as ops
    from datetime import datetime, timezone

    second = task_by_number(bus, "2")
    bus.run(ops.RECORD_PROGRESS, "2026S1", second.id, "done", result="Đã tổ chức 2 hội nghị")
    with bus.workspace.unit_of_work() as session:
        session.query(Period).filter_by(code="2026S1").one().sent_at = datetime.now(timezone.utc)
    seen: list[str] = []
    answer_next_question(qtbot, "Đóng", seen)
    appendix.select_task(second.id)
    qtbot.keyClick(appendix.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: seen != [])
    assert len(seen) == 1 and "đã gửi" in seen[0] and "không xóa được" in seen[0]
    assert "Vẫn xóa" not in seen[0]
    assert len(tasks(bus)) == 9


# --- traps 4, 5 and 7: Cập nhật kết quả in the main window -------------------------------------------------
def _main_window(qtbot, workspace, settings):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(settings)
    qtbot.addWidget(window)
    bus = DataBus(workspace)
    bus.quiet = True
    window.attach(bus)
    window.show()
    qtbot.waitExposed(window)
    nav = window.nav
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=nav.visualItemRect(nav.item(3)).center())
    page = window.current_page()
    qtbot.waitUntil(lambda: page.slug == "cap-nhat-ket-qua" and page.editor.task_id is not None)
    return window, page


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


def _click_save(qtbot, window) -> None:
    from PySide6.QtWidgets import QToolBar, QToolButton

    toolbar = window.findChild(QToolBar)
    button = next(b for b in toolbar.findChildren(QToolButton) if b.defaultAction() is window.save_action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _choose_period(qtbot, page, code: str) -> None:
    combo = page.period_combo
    combo.setFocus()
    target = combo.findData(code)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def test_reopening_shows_the_period_she_was_working_in(qtbot, sample_workspace, settings):
    window, page = _main_window(qtbot, sample_workspace, settings)
    _choose_period(qtbot, page, "2026S1")
    qtbot.waitUntil(lambda: page.period_combo.currentData() == "2026S1")
    box = page.editor.boxes["result"]
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    type_text(box, "Đã ban hành Kế hoạch số 12/KH-SXD")
    window.close()

    window, page = _main_window(qtbot, sample_workspace, settings)
    assert page.period_combo.currentData() == "2026S1"
    assert page.editor.boxes["result"].toPlainText() == "Đã ban hành Kế hoạch số 12/KH-SXD"
    window.close()


def test_status_bar_says_unsaved_while_typing_is_not_saved(qtbot, sample_workspace, settings):
    window, page = _main_window(qtbot, sample_workspace, settings)
    window.bus.saved.emit("Đã lưu lúc 09:41:00")
    box = page.editor.boxes["figures"]
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    type_text(box, "120 lượt cán bộ")
    qtbot.waitUntil(lambda: "chưa lưu" in window.save_state.text())
    qtbot.keyClick(box, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.save_state.text().startswith("Đã lưu"))
    window.close()


def test_deadline_state_and_entered_result_read_apart(qtbot, sample_workspace, settings):
    window, page = _main_window(qtbot, sample_workspace, settings)
    tree = page.tree
    item = next(tree.topLevelItem(g).child(c) for g in range(tree.topLevelItemCount())
                for c in range(tree.topLevelItem(g).childCount())
                if tree.topLevelItem(g).child(c).text(0).startswith("3. "))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    qtbot.waitUntil(lambda: page.editor.title.text().startswith("3. "))
    status = page.editor.status
    status.setFocus()
    while status.currentText() != "Đang thực hiện":
        qtbot.keyClick(status, Qt.Key.Key_Down)
    _click_save(qtbot, window)
    from desktop.ui.task_list import SUBTITLE

    def subtitle() -> str:
        found = next(tree.topLevelItem(g).child(c) for g in range(tree.topLevelItemCount())
                     for c in range(tree.topLevelItem(g).childCount())
                     if tree.topLevelItem(g).child(c).text(0).startswith("3. "))
        return found.data(0, SUBTITLE)

    qtbot.waitUntil(lambda: "Chưa nhập" not in subtitle())
    first, second = subtitle().split(" • ")
    assert first != second and second == "Kết quả: Đang thực hiện", subtitle()
    window.close()


# --- trap 1: the first-run wizard's own-plan path -----------------------------------------------------------
@pytest.fixture
def wizard(qtbot, db_path):
    from desktop.services.workspace import Workspace
    from desktop.ui.first_run import FirstRunWizard

    workspace = Workspace.open(db_path)
    wizard = FirstRunWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    yield wizard
    workspace.close()


def _next_button(wizard):
    from PySide6.QtWidgets import QWizard

    return wizard.button(QWizard.WizardButton.NextButton)


def _type_into(qtbot, edit, text: str) -> None:
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    edit.selectAll()
    type_text(edit, text)


def test_own_plan_path_never_shows_the_sample_and_ends_with_its_tasks(qtbot, wizard, tmp_path):
    from db.models import Plan, Task
    from PySide6.QtWidgets import QWizard

    own = wizard.choice.own
    qtbot.mouseClick(own, Qt.MouseButton.LeftButton, pos=own.rect().center().__class__(10, own.height() // 2))
    assert own.isChecked()
    qtbot.mouseClick(_next_button(wizard), Qt.MouseButton.LeftButton)
    profile = wizard.profile
    assert wizard.currentPage() is profile
    # required fields are marked, and the grey "Tiếp >" says why
    assert not _next_button(wizard).isEnabled()
    assert "Chưa điền" in profile.missing.text() and "Địa danh" in profile.missing.text()
    for key, text in (("parent_agency", "UBND huyện Krông Pắc"), ("name", "Phòng Văn hóa và Thông tin"),
                      ("abbreviation", "VHTT"), ("place_name", "Krông Pắc")):
        _type_into(qtbot, profile.fields[key], text)
    assert _next_button(wizard).isEnabled() and profile.missing.text() == ""
    qtbot.mouseClick(_next_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(_next_button(wizard), Qt.MouseButton.LeftButton)  # units: may stay empty
    plan = wizard.plan
    assert wizard.currentPage() is plan
    _type_into(qtbot, plan.title_edit, "Triển khai Chương trình chuyển đổi số")
    # an impossible deadline is caught on the spot, not at the end
    _type_into(qtbot, plan.half_deadline, "31/2")
    assert not _next_button(wizard).isEnabled() and "31/2" in plan.missing.text()
    _type_into(qtbot, plan.half_deadline, "30/6")
    assert _next_button(wizard).isEnabled()
    qtbot.mouseClick(_next_button(wizard), Qt.MouseButton.LeftButton)
    # the page after her own plan is the tasks step, never the sample plan's page
    assert wizard.currentPage() is wizard.tasks
    assert "Sở Xây dựng" not in wizard.currentPage().subTitle() + wizard.currentPage().title()
    qtbot.mouseClick(wizard.tasks.typed, Qt.MouseButton.LeftButton)
    type_text(wizard.tasks.typed, "Tuyên truyền chuyển đổi số")
    qtbot.keyClick(wizard.tasks.typed, Qt.Key.Key_Return)
    type_text(wizard.tasks.typed, "Số hóa hồ sơ một cửa")
    appendix = tmp_path / "phu-luc.txt"
    appendix.write_text("1. Rà soát thủ tục hành chính\n- Cơ quan chủ trì: Phòng Văn hóa và Thông tin\n"
                        "- Thời gian thực hiện: Quý III/2026\n", encoding="utf-8")
    wizard.tasks.read_file(str(appendix))
    assert "Đã đọc 1 nhiệm vụ" in wizard.tasks.file_note.text()
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isVisible()
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    with wizard.workspace.unit_of_work() as session:
        plan_row = session.query(Plan).one()
        assert not plan_row.is_sample and plan_row.title == "Triển khai Chương trình chuyển đổi số"
        contents = [t.content for t in session.query(Task).order_by(Task.position)]
    assert contents == ["Tuyên truyền chuyển đổi số", "Số hóa hồ sơ một cửa", "Rà soát thủ tục hành chính"]


# --- trap 10: a second copy on the same data file -----------------------------------------------------------
def test_a_second_copy_refuses_before_any_window_and_wakes_the_first(qtbot, db_path, monkeypatch):
    """The first KHBC (a real child process) holds the data file; a second start in this process says so
    before it creates any window, and the first window is asked to come to the front."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from sample_helpers import fresh_database
    from desktop.ui import launch
    from desktop.ui.main_window import MainWindow

    fresh_database(db_path)
    root = Path(__file__).resolve().parent.parent
    first = subprocess.Popen(
        [sys.executable, "-c", FIRST_COPY, str(db_path)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)})
    try:
        assert first.stdout.readline().strip() == "ready"
        windows_made: list = []
        monkeypatch.setattr(MainWindow, "__init__", lambda self, *a: windows_made.append(self) or
                            pytest.fail("a main window was created"))
        seen: list[str] = []
        answer_next_question(qtbot, "Đóng", seen)
        assert launch.run_gui(["khbc-gui", "--db", str(db_path)]) == 0
        assert windows_made == []
        assert len(seen) == 1 and "đang được mở trong một cửa sổ KHBC khác" in seen[0]
        assert "đã được đưa lên trước" in seen[0]
        assert first.stdout.readline().strip() == "woken"
    finally:
        first.kill()
        first.wait(timeout=30)


FIRST_COPY = r"""
import sys
import desktop.ui
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from desktop.services.workspace import Workspace
from desktop.ui import single_instance

app = QApplication([])
workspace = Workspace.open(sys.argv[1], exclusive=True)
window = QWidget()
window.show()
single_instance.bring_to_front = lambda w: (print("woken", flush=True), QTimer.singleShot(100, app.quit))
single_instance.listen_for_wakes(window, workspace.database.path)
print("ready", flush=True)
QTimer.singleShot(60000, app.quit)
app.exec()
workspace.close()
"""


# --- trap 12: wording a clerk understands ------------------------------------------------------------------
@pytest.fixture
def settings_page(qtbot, sample_workspace):
    from desktop.ui.pages.settings_page import SettingsPage

    bus = DataBus(sample_workspace)
    bus.quiet = True
    page = SettingsPage(bus)
    window = QMainWindow()
    window.setCentralWidget(page)
    window.resize(1300, 1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield page
    window.close()


def test_checking_the_data_speaks_a_clerks_words(qtbot, settings_page):
    panel = settings_page.backups
    qtbot.mouseClick(panel.check_button, Qt.MouseButton.LeftButton)
    text = panel.message.text()
    assert "toàn vẹn" in text
    assert "phiên bản cấu trúc" not in text and "giây" not in text and "0001" not in text


def test_backing_up_names_the_folder_and_offers_to_open_it(qtbot, settings_page, monkeypatch):
    from pathlib import Path

    from PySide6.QtGui import QDesktopServices

    opened: list = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tabs = settings_page.tabs.tabBar()  # Cài đặt's sections are tabs: "Sao lưu" is one click away
    backup_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Sao lưu")
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(backup_tab).center())
    panel = settings_page.backups
    with qtbot.waitSignal(settings_page.bus.finished, timeout=30_000):  # the copy is made on a worker
        qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    folder = Path(panel.rows[0].path).parent
    assert f"thư mục {folder}" in panel.message.text()
    assert panel.open_folder_button.isVisibleTo(settings_page)
    qtbot.mouseClick(panel.open_folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(folder)]


def test_the_program_does_not_append_its_name_to_every_window_title(qapp, tmp_path, db_path):
    """Qt appends an explicitly set application display name to each title ("KHBC — KHBC – Kế hoạch, báo cáo")."""
    from desktop.ui.launch import run_gui

    assert run_gui(["khbc-gui", "--screenshot", str(tmp_path / "shots"), "--db", str(db_path), "--size",
                    "1366x768"]) == 0
    assert qapp.applicationDisplayName() == qapp.applicationName() == "KHBC"


# --- trap 9: Gửi báo cáo says what happened; reopening needs a reason ---------------------------------------
def test_send_page_says_exported_and_reopening_needs_a_reason(qtbot, bus, tmp_path):
    from PySide6.QtWidgets import QInputDialog

    from desktop.services.ui_overview import send_state
    from desktop.ui.pages.send_page import SendPage

    page = SendPage(bus)
    window = QMainWindow()
    window.setCentralWidget(page)
    window.resize(1300, 760)
    qtbot.addWidget(window)
    window.show()
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    with qtbot.waitSignal(page.export_finished, timeout=60_000):
        page.start_export(tmp_path)  # the folder chooser is the platform's own dialog
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    assert "Đã xuất gói" in page.state_label.text() and "Đã gửi" not in page.state_label.text()

    checks: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog) or not dialog.property("seen"):
            if isinstance(dialog, QInputDialog):
                dialog.setProperty("seen", True)  # one more turn of the event loop: the dialog finishes showing
            QTimer.singleShot(20, answer)
            return
        ok = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Mở lại")
        checks.append(ok.isEnabled())  # empty reason: the button is grey
        edit = dialog.findChild(__import__("PySide6.QtWidgets").QtWidgets.QLineEdit)
        type_text(edit, "   ")
        checks.append(ok.isEnabled())  # spaces are no reason either
        type_text(edit, "Bổ sung kết quả nhiệm vụ 1")
        checks.append(ok.isEnabled())
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(page.reopen_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(checks) == 3)
    assert checks == [False, False, True]
    qtbot.waitUntil(lambda: not bus.read(send_state, "2026").sent)
    window.close()


# --- trap 6: an impossible evidence date ------------------------------------------------------------------
def test_an_impossible_evidence_date_is_refused_with_a_message(qtbot, bus):
    from desktop.ui.evidence_table import DATE
    from desktop.ui.pages.progress_page import ProgressPage

    page = ProgressPage(bus)
    window = QMainWindow()
    window.setCentralWidget(page)
    window.resize(1300, 800)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: page.editor.task_id is not None)
    editor = page.editor
    qtbot.mouseClick(editor.add_evidence, Qt.MouseButton.LeftButton)
    view, model = editor.evidence_view, editor.evidence
    from PySide6.QtWidgets import QLineEdit

    def cell_editor() -> QLineEdit:
        return next(w for w in view.viewport().findChildren(QLineEdit) if w.isVisible())

    type_text(cell_editor(), "15/KH-SXD")
    view.setFocus()
    view.setCurrentIndex(model.index(0, DATE))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    date_edit = cell_editor()
    date_edit.selectAll()
    type_text(date_edit, "31/02/2026")
    qtbot.keyClick(date_edit, Qt.Key.Key_Return)
    assert model.index(0, DATE).data() in ("", None)  # never quietly 28/02/2026
    assert editor.evidence_error.isVisibleTo(page) and "31/02/2026" in editor.evidence_error.text()
    date_edit.selectAll()
    type_text(date_edit, "28/02/2026")
    qtbot.keyClick(date_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.index(0, DATE).data() == "28/02/2026")
    assert not editor.evidence_error.isVisibleTo(page)
    # the editor shows the full year
    view.setCurrentIndex(model.index(0, DATE))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    assert cell_editor().text() == "28/02/2026"
    window.close()
