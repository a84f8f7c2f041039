"""The plan package in the GUI: "Xuất kế hoạch gửi cấp dưới" and "Nhập kế hoạch cấp trên" on the Kế hoạch page,
with the differences dialog before an amendment is merged; checked at 1024×768."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from desktop.services import operations as ops
from desktop.services.workspace import Workspace
from desktop.ui.screenshots import layout_problems
from tests.conftest import TODAY
from tests.plan_helpers import current_plan_tasks, lower_database, rows, upper_database
from tests.test_plan_package_amendment import _amend, _progress, _record_results
from tests.ui_support import host, quiet_bus, shoot


def _plan_page(qtbot, db):
    from desktop.ui.pages.plan_page import PlanPage

    workspace = Workspace.open(db)
    bus = quiet_bus(workspace)
    page = PlanPage(bus)
    window = host(qtbot, page, 1024, 768 - 72)  # the maximised area of a 1024×768 screen
    return workspace, bus, page, window


def _accept(qtbot, bus, dialog) -> None:
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.IMPORT_PLAN_PACKAGE):
        ok.click()  # the import runs on a worker


def _open(qtbot, page, path):
    """"Nhập kế hoạch cấp trên…" on a package: it is read on a worker; the dialog (or None) comes after."""
    with qtbot.waitSignal(page.plan_transfer.opened, timeout=60_000) as done:
        page.plan_transfer.open_package(path)
    return done.args[0]


def test_the_plan_goes_down_and_an_amendment_is_merged_from_the_plan_page(qtbot, tmp_path):
    upper = upper_database(tmp_path / "so")
    workspace, bus, page, window = _plan_page(qtbot, upper)
    try:
        assert page.export_lower_button.text() == "Xuất kế hoạch gửi cấp dưới…"
        with qtbot.waitSignal(page.plan_transfer.exported, timeout=60_000) as done:  # written on a worker
            page.plan_transfer.export_to(tmp_path / "v1")
        result = done.args[0]
        assert result is not None and result.path.is_file() and bus.failures == []
        assert page.result_bar.isVisible() and "phiên bản 1" in page.result_bar.label.text()
        assert layout_problems(window, "Kế hoạch") == []
        shoot(window, "plan-page-export-1024")
    finally:
        workspace.close()

    lower = lower_database(tmp_path / "vp")
    workspace, bus, page, window = _plan_page(qtbot, lower)
    bus.failures.clear()  # an empty database has no plan to show yet (the app opens the first-run wizard)
    try:
        assert page.import_upper_button.text() == "Nhập kế hoạch cấp trên…"
        dialog = _open(qtbot, page, tmp_path / "v1" / "KeHoach_SXD_v1.zip")
        assert dialog is not None and dialog.isVisible()
        assert dialog.unit_combo.currentText() == "Văn phòng Sở" and len(dialog.selected_uids()) == 9
        assert dialog.tabs.count() == 1 and dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == \
            "Nhập kế hoạch"
        dialog.resize(1024, 768 - 72)
        assert layout_problems(dialog, dialog.windowTitle()) == []
        shoot(dialog, "plan-import-dialog-1024")
        uid_five = rows(upper, "SELECT uid FROM task WHERE number = '5'")[0][0]
        dialog.set_checked(uid_five, False)  # the clerk leaves one task out
        _accept(qtbot, bus, dialog)
        assert bus.failures == []
        assert [t[3] for t in current_plan_tasks(lower)] == [
            u for (u,) in rows(upper, "SELECT uid FROM task WHERE number <> '5' ORDER BY position")]
        assert "Đã nhập Kế hoạch" in page.result_bar.label.text()
        assert page.subtitle.text().startswith("Triển khai thực hiện Chương trình")  # the page shows the new plan
    finally:
        workspace.close()

    _record_results(lower)  # results on tasks 2, 3, 4 and 7
    results = _progress(lower)
    _amend(upper)
    workspace = Workspace.open(upper)
    try:
        from desktop.services.plan_send import export_plan_package

        export_plan_package(workspace, tmp_path / "v2")
    finally:
        workspace.close()

    workspace, bus, page, window = _plan_page(qtbot, lower)
    try:
        dialog = _open(qtbot, page, tmp_path / "v2" / "KeHoach_SXD_v2.zip")
        assert dialog is not None and dialog.tabs.tabText(0) == "Các thay đổi"
        text = dialog.diff_text.toPlainText()
        assert "Sửa nội dung (1):" in text and "Cấp trên đã bỏ nhiệm vụ (2):" in text and "Nhiệm vụ mới (1):" in text
        assert "Lồng ghép" not in text  # the task she left out is not offered again as new
        assert uid_five not in dialog.selected_uids()
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "Cập nhật theo phiên bản mới"
        dialog.resize(1024, 768 - 72)
        assert layout_problems(dialog, dialog.windowTitle()) == []
        shoot(dialog, "plan-amendment-dialog-1024")
        _accept(qtbot, bus, dialog)
        assert bus.failures == [] and _progress(lower) == results
        assert rows(lower, "SELECT upper_version FROM plan") == [(2,)]
        assert _open(qtbot, page, tmp_path / "v2" / "KeHoach_SXD_v2.zip") is None  # same version
        assert bus.failures and "đã được nhập trước đây" in bus.failures[-1]
        _dropped_tasks_are_marked_in_the_appendix(bus)
    finally:
        workspace.close()


def _dropped_tasks_are_marked_in_the_appendix(bus) -> None:
    from PySide6.QtCore import Qt

    from desktop.services.queries import list_tasks
    from desktop.ui.appendix_model import COL, AppendixModel

    model = AppendixModel()
    model.set_rows(bus.read(list_tasks, None, TODAY))
    notes = {}
    for row in range(model.rowCount()):
        task = model.task_at(row)
        if task is not None:
            notes[task.content.split()[0] + task.content.split()[1]] = model.data(model.index(row, COL["content"]), Qt.ItemDataRole.ToolTipRole)
    assert notes["Ràsoát,"] == "Cấp trên đã bỏ nhiệm vụ này; giữ lại vì đã có kết quả."
    assert notes["Thamgia"].startswith("Cấp trên đã giao nhiệm vụ này cho đơn vị khác")
    assert notes["Thammưu"] is None


def test_the_first_run_wizard_takes_the_upper_plan(qtbot, tmp_path):
    from PySide6.QtWidgets import QWizard

    from desktop.services.plan_send import export_plan_package
    from desktop.ui.first_run import FirstRunWizard

    upper = upper_database(tmp_path / "so")
    workspace = Workspace.open(upper)
    try:
        package = export_plan_package(workspace, tmp_path / "out").path
    finally:
        workspace.close()
    workspace = Workspace.open(tmp_path / "vp.sqlite3")
    try:
        wizard = FirstRunWizard(workspace)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.choice.upper.setChecked(True)
        wizard.next()
        for key, value in {"parent_agency": "Sở Xây dựng", "name": "Văn phòng Sở", "name_in_text": "Văn phòng Sở",
                           "abbreviation": "VP", "place_name": "Đắk Lắk"}.items():
            wizard.profile.fields[key].setText(value)
        wizard.next()
        assert wizard.currentPage() is wizard.upper and not wizard.upper.isComplete()
        (tmp_path / "broken.zip").write_bytes(b"PK\x05\x06" + bytes(18))
        wizard.upper.read_file(tmp_path / "broken.zip")
        assert not wizard.upper.isComplete() and "Từ chối gói kế hoạch broken.zip" in wizard.upper.summary.text()
        wizard.upper.read_file(package)
        assert wizard.upper.unit_name() == "Văn phòng Sở" and wizard.upper.isComplete()
        assert "9 nhiệm vụ của đơn vị sẽ được nhận" in wizard.upper.summary.text()
        wizard.resize(1024, 768 - 72)
        assert layout_problems(wizard, wizard.windowTitle()) == []
        shoot(wizard, "first-run-upper-plan-1024")
        with qtbot.waitSignal(wizard.finished):
            wizard.button(QWizard.WizardButton.FinishButton).click()
        assert wizard.error == ""
    finally:
        workspace.close()
    lower = tmp_path / "vp.sqlite3"
    assert rows(lower, "SELECT name_in_text, abbreviation FROM department") == [("Văn phòng Sở", "VP")]
    assert [t[3] for t in current_plan_tasks(lower)] == [u for (u,) in rows(upper, "SELECT uid FROM task ORDER BY position")]
