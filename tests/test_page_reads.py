"""A page refresh is one read transaction: every page of the main window, with real rows on screen afterwards."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings

from desktop.services import operations as ops
from tests.test_ui_operations import _transactions_of_one_refresh
from tests.ui_support import host, quiet_bus, run_operation

TODAY = date(2026, 11, 20)


def test_an_overview_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.overview_page import OverviewPage

    page = OverviewPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was 2
    assert page.period is not None and page.period.title in page.period_title.text()
    assert page.tasks_model.rowCount() + page.periods_model.rowCount() > 0
    assert not page.appendix_is_empty() and page.days_big.text()


def test_an_overview_refresh_without_a_period_ahead_is_one_read_transaction(qtbot, sample_workspace, monkeypatch):
    from desktop.ui.pages.overview_page import OverviewPage

    monkeypatch.setenv("KHBC_TODAY", "2031-06-01")  # after the plan's last deadline: no period ahead
    page = OverviewPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was 2 (periods, then the appendix)
    assert page.period is None and "Không còn kỳ báo cáo" in page.period_title.text()
    assert not page.appendix_is_empty() and page.periods_model.rowCount() > 0


def test_a_plan_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.plan_page import PlanPage

    page = PlanPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was 3
    assert page.title_label.text() == "Kế hoạch (chưa có số)"  # the sample plan has no number yet
    assert page.title_edit.toPlainText() and page.subtitle.text() == page.title_edit.toPlainText()
    assert page.targets_model.rowCount() > 0 and page.kind_checks["half"].isChecked()
    assert not page.save_button.isEnabled()


def test_a_report_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.report_page import ReportPage

    page = ReportPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was 3
    assert page.period_combo.code() == "2026" and page.period_combo.count() > 1
    assert page.form is not None and page.form.period_code == "2026"
    assert page.signer_name.text() == page.form.signer_name and page.recipients.toPlainText()
    assert page.draft_button.isEnabled() and not page.lock_banner.isVisible()


def test_a_send_refresh_is_one_read_transaction(qtbot, sample_workspace, tmp_path):
    from desktop.ui.pages.send_page import SendPage

    bus = quiet_bus(sample_workspace)
    ok, result = run_operation(qtbot, bus, ops.EXPORT_PACKAGE, "2026", tmp_path / "goi", TODAY)
    assert ok, result
    page = SendPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was 5
    assert page.exports_model.rowCount() == 1 and page.exports_model.rows[0][:3] == ("Năm 2026", 1, result.path.name)
    assert "Đã xuất gói" in page.state_label.text() and page.reopen_button.isEnabled()
    assert not page.export_button.isEnabled() and "đã gửi" in page.period_combo.currentText()


@pytest.fixture
def receiving(sample_workspace, tmp_path):
    """A receiving database holding the sample's 2026 package and two expected units (one never reported)."""
    from sample_helpers import fresh_database

    from desktop.services.bundles import export_package, import_bundles
    from desktop.services.collect import set_expected_unit
    from desktop.services.workspace import Workspace

    sent = export_package(sample_workspace, "2026", tmp_path / "goi", TODAY)
    path = tmp_path / "noi-nhan" / "khbc.sqlite3"
    fresh_database(path, sample=False)
    workspace = Workspace.open(path)
    assert [o.status for o in import_bundles(workspace, [sent.path])] == ["imported"]
    set_expected_unit(workspace, "DLK-SXD", "Sở Xây dựng")
    set_expected_unit(workspace, "DLK-SYT", "Sở Y tế")
    yield workspace
    workspace.close()


def test_a_collect_refresh_is_one_read_transaction(qtbot, receiving):
    from desktop.ui.pages.collect_page import CollectPage

    page = CollectPage(quiet_bus(receiving))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, receiving) == 1  # was 5 (6 on a database with a plan)
    assert page.period_code() == "2026" and page.period_box.currentText() == "Năm 2026"
    assert {row[0]: row[2] for row in page.units_model.rows} == {"DLK-SXD": "Đã gửi đúng hạn", "DLK-SYT": "Chưa gửi"}
    assert "1/2" in page.summary.text() and page.expected_model.rowCount() == 2
    assert page.export_button.isEnabled() and page.reminder_button.isEnabled()

    page.period_box.setEditText("kỳ lạ")  # a mistyped period: its message, and the rest of the page still shows
    assert _transactions_of_one_refresh(page, receiving) == 1
    assert page.bus.failures and "kỳ lạ" in page.bus.failures[-1]
    assert page.period_box.findData("2026") >= 0 and page.expected_model.rowCount() == 2
    assert page.units_model.rowCount() == 0 and not page.export_button.isEnabled()


def test_every_page_of_the_main_window_refreshes_in_one_read_transaction(qtbot, sample_workspace, tmp_path):
    from desktop.ui.main_window import PAGE_CLASSES, MainWindow

    window = MainWindow(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.attach(quiet_bus(sample_workspace))
    window.show()
    counts = {}
    for index, page in enumerate(window.pages):
        window.nav.setCurrentRow(index)
        qtbot.waitUntil(page.isVisible)
        counts[type(page).__name__] = _transactions_of_one_refresh(page, sample_workspace)
    assert len(counts) == len(PAGE_CLASSES) == 8
    assert counts == dict.fromkeys(counts, 1)
    assert window.bus.failures == []
