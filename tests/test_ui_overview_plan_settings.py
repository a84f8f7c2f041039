"""The Tổng quan, Kế hoạch and Cài đặt pages driven as a clerk would, checked against the database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.services import operations as ops
from tests.ui_support import host, pdf_text, quiet_bus, run_operation, shoot


@pytest.fixture
def bus(sample_workspace):
    return quiet_bus(sample_workspace)


# --- Tổng quan ------------------------------------------------------------------------------------

def test_overview_shows_the_current_period_and_the_late_tasks(qtbot, bus):
    from desktop.ui.pages.overview_page import OverviewPage

    page = OverviewPage(bus)
    window = host(qtbot, page)
    assert page.period.code == "2026"
    assert "Năm 2026" in page.period_title.text()
    assert page.days_big.text() == "Còn 18 ngày"
    assert page.late_task_numbers() == ["1", "6"]
    assert [row[0] for row in page.tasks_model.rows][:2] == ["1", "6"]
    assert page.tasks_model.rows[0][3] == "Hạn: 30/09/2026"
    assert dict((label, n) for label, n, _ in page.state_chart.items)["Chậm tiến độ"] == 2
    assert dict((label, n) for label, n, _ in page.status_chart.items)["Chưa cập nhật kết quả"] == 9
    unsent = [row[0] for row in page.periods_model.rows]
    assert unsent == ["6 tháng đầu năm 2026", "Năm 2026"]
    assert page.periods_model.rows[0][2] == "Quá hạn gửi"

    with qtbot.waitSignal(page.open_task_requested) as opened:
        page.tasks_view.selectRow(0)
        page.tasks_view.doubleClicked.emit(page.tasks_view.currentIndex())
    assert isinstance(opened.args[0], int)
    shoot(window, "tong-quan")
    assert bus.failures == []


def test_overview_follows_recorded_progress(qtbot, bus):
    from desktop.ui.pages.overview_page import OverviewPage

    page = OverviewPage(bus)
    host(qtbot, page)
    bus.run(ops.RECORD_PROGRESS, "2026", "1", "done", result="Đã ban hành kế hoạch.")
    assert page.late_task_numbers() == ["6"]
    assert dict((label, n) for label, n, _ in page.status_chart.items)["Đã hoàn thành"] == 1


def test_overview_after_sending_the_current_period(qtbot, bus, tmp_path):
    from desktop.ui.pages.overview_page import OverviewPage

    page = OverviewPage(bus)
    host(qtbot, page)
    assert run_operation(qtbot, bus, ops.EXPORT_PACKAGE, "2026", tmp_path)[0]
    assert page.days_big.text() == "Đã gửi"
    assert page.days_note.text() == "báo cáo ngày 22/11/2026"
    assert [row[0] for row in page.periods_model.rows] == ["6 tháng đầu năm 2026"]


# --- Kế hoạch -------------------------------------------------------------------------------------

def test_plan_header_edits_are_saved_with_ctrl_s(qtbot, bus, tmp_path):
    from desktop.services.queries import list_periods
    from desktop.services.ui_overview import plan_form
    from desktop.ui.pages.plan_page import PlanPage

    page = PlanPage(bus)
    window = host(qtbot, page)
    shoot(window, "ke-hoach")
    assert not page.has_unsaved_changes()
    assert not page.save_button.isEnabled()

    qtbot.keyClicks(page.number, "120/KH-SXD")
    page.issued_on.check.setChecked(True)
    page.issued_on.edit.setDate(date(2026, 7, 2))
    page.report_to.setText("Văn phòng Sở Xây dựng")
    page.deadline_edits["half"].setText("15/6")
    page.sections.editors["basis"].setPlainText("Kế hoạch số 255/KH-UBND ngày 18/6/2026 của UBND tỉnh\n\n"
                                                "Quyết định số 468/QĐ-TTg ngày 23/3/2026")
    page.sections.editors["purposes"].setPlainText("Nâng cao nhận thức về bảo vệ trẻ em trên môi trường mạng.")
    assert page.has_unsaved_changes()
    assert page.save_button.isEnabled()
    page.tabs.setCurrentIndex(1)
    shoot(window, "ke-hoach-noi-dung")
    assert page.save()

    form = bus.read(plan_form)
    assert form.number == "120/KH-SXD"
    assert form.issued_on == date(2026, 7, 2)
    assert form.report_to == "Văn phòng Sở Xây dựng"
    assert form.basis_documents == ("Kế hoạch số 255/KH-UBND ngày 18/6/2026 của UBND tỉnh",
                                    "Quyết định số 468/QĐ-TTg ngày 23/3/2026")
    assert form.purposes.startswith("Nâng cao nhận thức")
    assert form.schedule["deadlines"]["half"] == "15/6"
    periods = {p.code: p for p in bus.read(list_periods, date(2026, 11, 22))}
    assert periods["2026S1"].deadline == date(2026, 6, 15)
    assert not page.has_unsaved_changes()
    assert page.title_label.text() == "Kế hoạch số 120/KH-SXD"

    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.WRITE_PLAN_FILE):
        page.write_plan(tmp_path / "ke-hoach.pdf", "pdf")  # on a worker: the window stays usable
    written = page.result_bar.path
    assert written == tmp_path / "ke-hoach.pdf" and written.exists()
    text = pdf_text(written)
    assert "120/KH-SXD" in text
    assert page.result_bar.isVisibleTo(page)
    assert bus.failures == []


def test_plan_refuses_a_wrong_deadline_and_keeps_the_edit(qtbot, bus):
    from desktop.ui.pages.plan_page import PlanPage

    page = PlanPage(bus)
    host(qtbot, page)
    page.deadline_edits["year"].setText("31/2")
    assert not page.save()
    assert bus.failures and "31/2" in bus.failures[-1]
    assert page.deadline_edits["year"].text() == "31/2"
    assert page.has_unsaved_changes()


def test_plan_targets_are_edited_in_the_table_with_undo(qtbot, bus, monkeypatch):
    from desktop.services.profile import list_targets
    from desktop.ui.pages.plan_page import PlanPage

    page = PlanPage(bus)
    window = host(qtbot, page)
    page.tabs.setCurrentIndex(2)
    model = page.targets_view.model()
    assert model.rowCount() == 5
    assert model.setData(model.index(0, 2), "90%")
    first = bus.read(list_targets)[0]
    assert (first.goal_text, first.goal_value, first.measure_unit) == ("90%", 90.0, "%")
    page.undo_stack.undo()
    assert bus.read(list_targets)[0].goal_text == "100%"

    page.new_item()
    assert len(bus.read(list_targets)) == 6
    model.setData(model.index(5, 1), "Trẻ em được hướng dẫn sử dụng Internet an toàn")
    assert bus.read(list_targets)[5].content == "Trẻ em được hướng dẫn sử dụng Internet an toàn"
    shoot(window, "ke-hoach-chi-tieu")

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.targets_view.selectRow(5)
    page.delete_item()
    assert [t.position for t in bus.read(list_targets)] == [1, 2, 3, 4, 5]
    assert bus.failures == []


# --- Cài đặt --------------------------------------------------------------------------------------

def test_settings_profile_and_user_name_are_saved(qtbot, bus):
    from desktop.services.ui_overview import department_form, user_settings
    from desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(bus)
    window = host(qtbot, page)
    shoot(window, "cai-dat")
    assert page.fields["abbreviation"].text() == "SXD"
    assert "Văn bản sẽ dùng phông:" in page.font_status.text()

    page.fields["place_name"].setText("Buôn Ma Thuột")
    page.fields["signer_name"].setText("Nguyễn Văn An")
    page.authority.setCurrentText("TL. GIÁM ĐỐC")
    page.recipients.setPlainText("Công an tỉnh;\nLưu: VT, VP.")
    page.user_name.setText("Trần Thị Bình")  # QTest types ASCII only
    assert page.save_button.isEnabled()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    department = bus.read(department_form)
    assert department.place_name == "Buôn Ma Thuột"
    assert department.signer_name == "Nguyễn Văn An"
    assert department.signer_authority == "TL. GIÁM ĐỐC"
    assert department.default_recipients == ("Công an tỉnh;", "Lưu: VT, VP.")
    assert bus.read(user_settings).user_name == "Trần Thị Bình"
    assert not page.has_unsaved_changes()

    page.fields["abbreviation"].setText("")
    assert not page.save()
    assert "viết tắt" in bus.failures[-1]


def test_settings_units_are_added_renamed_toggled_and_deleted(qtbot, bus, monkeypatch):
    from desktop.services.profile import list_units
    from desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(bus)
    host(qtbot, page)
    page.new_item()
    names = [u.name for u in bus.read(list_units)]
    assert "Đơn vị mới" in names
    model = page.units_model
    row = next(i for i, r in enumerate(model.rows) if r[0] == "Đơn vị mới")
    assert model.setData(model.index(row, 0), "Phòng Quản lý xây dựng")
    unit = next(u for u in bus.read(list_units) if u.name == "Phòng Quản lý xây dựng")
    assert unit.is_internal
    row = next(i for i, r in enumerate(model.rows) if r[0] == "Phòng Quản lý xây dựng")
    assert model.setData(model.index(row, 2), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not next(u for u in bus.read(list_units) if u.name == "Phòng Quản lý xây dựng").is_internal

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    used = next(i for i, r in enumerate(model.rows) if r[0] == "Văn phòng Sở")
    page.units_view.selectRow(used)
    page.delete_item()
    assert "đang được giao" in bus.failures[-1]
    row = next(i for i, r in enumerate(model.rows) if r[0] == "Phòng Quản lý xây dựng")
    page.units_view.selectRow(row)
    page.delete_item()
    assert "Phòng Quản lý xây dựng" not in [u.name for u in bus.read(list_units)]


def test_settings_font_choice_is_checked(qtbot, bus, tmp_path):
    from desktop.services.ui_overview import user_settings
    from desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(bus)
    host(qtbot, page)
    bogus = tmp_path / "khong-phai-phong.ttf"
    bogus.write_bytes(b"not a font")
    assert not page.set_font(str(bogus))
    assert bus.failures
    assert page.set_font("")
    assert bus.read(user_settings).font_path == ""
    assert "Văn bản sẽ dùng phông:" in page.font_status.text()
