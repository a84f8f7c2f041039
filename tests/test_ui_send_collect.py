"""Gửi báo cáo and Tổng hợp: export a package from the sample, reopen it, import it on a fresh receiving database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QInputDialog

from desktop.services import operations as ops
from tests.ui_support import host, quiet_bus, shoot


@pytest.fixture
def bus(sample_workspace):
    return quiet_bus(sample_workspace)


def export_from(qtbot, page, folder):
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as done:
        page.start_export(folder)
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    return done.args[0]


@pytest.fixture
def package(qtbot, bus, tmp_path):
    """A package of period 2026 exported through the Gửi báo cáo page."""
    from desktop.ui.pages.send_page import SendPage

    page = SendPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    result = export_from(qtbot, page, tmp_path / "goi")
    assert result is not None, bus.failures
    return result.path


def test_send_page_exports_lists_and_reopens(qtbot, bus, tmp_path, monkeypatch):
    from desktop.services.bundles import list_exports
    from desktop.services.ui_overview import send_state
    from desktop.ui.pages.send_page import SendPage

    page = SendPage(bus)
    window = host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    assert "chưa gửi báo cáo" in page.state_label.text()
    assert "phiên bản 1" in page.state_label.text()
    assert page.export_button.isEnabled() and not page.reopen_button.isEnabled()
    assert page.exports_model.rowCount() == 0

    out = tmp_path / "gui-di"
    out.mkdir()
    result = export_from(qtbot, page, out)
    assert result is not None, bus.failures
    assert result.path.exists() and result.path.suffix == ".zip"
    assert result.path.parent == out
    exports = list_exports(bus.workspace)
    assert [(e.period_code, e.version) for e in exports] == [("2026", 1)]
    assert bus.read(send_state, "2026").sent
    assert "Đã xuất gói" in page.state_label.text()
    assert not page.export_button.isEnabled() and page.reopen_button.isEnabled()
    assert page.exports_model.rows[0][:3] == ("Năm 2026", 1, result.path.name)
    assert page.exports_model.rows[0][5] == exports[0].sha256[:16] + "…"
    assert page.result_bar.isVisibleTo(page) and page.result_bar.path == result.path
    assert "đã gửi" in page.period_combo.currentText()
    shoot(window, "gui-bao-cao")

    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, lambda: (page.reopen_dialog.setTextValue("Bổ sung kết quả nhiệm vụ 1"),
                                  page.reopen_dialog.accept()))
    page.reopen_clicked()
    state = bus.read(send_state, "2026")
    assert not state.sent and state.next_version == 2
    assert "phiên bản 2 (gửi bổ sung)" in page.state_label.text()
    assert page.export_button.isEnabled() and not page.reopen_button.isEnabled()

    second = export_from(qtbot, page, out)
    assert second.version == 2
    assert [e.version for e in list_exports(bus.workspace)] == [1, 2]
    assert bus.failures == []


def test_export_refuses_to_overwrite_and_says_why(qtbot, bus, tmp_path):
    from desktop.services.bundles import reopen_period
    from desktop.ui.pages.send_page import SendPage

    page = SendPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    assert export_from(qtbot, page, tmp_path).path == tmp_path / "SXD_2026_v1.zip"
    reopen_period(bus.workspace, "2026", "thử")
    (tmp_path / "SXD_2026_v2.zip").write_bytes(b"old")
    assert export_from(qtbot, page, tmp_path) is None
    assert "SXD_2026_v2.zip" in bus.failures[-1]
    assert page.export_button.isEnabled()


@pytest.fixture
def receiving(tmp_path):
    """A fresh receiving database without any plan."""
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace

    path = tmp_path / "noi-nhan" / "khbc.sqlite3"
    fresh_database(path, sample=False)
    workspace = Workspace.open(path)
    yield workspace
    workspace.close()


def drop(page, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)


def test_collect_page_imports_a_dropped_package(qtbot, package, receiving, tmp_path):
    from desktop.services.bundles import list_submissions
    from desktop.ui.pages.collect_page import CollectPage

    bus = quiet_bus(receiving)
    page = CollectPage(bus)
    window = host(qtbot, page)
    assert page.units_model.rowCount() == 0

    with qtbot.waitSignal(page.imported) as imported:
        drop(page, [package])
    outcomes = imported.args[0]
    assert [o.status for o in outcomes] == ["imported"]
    assert page.period_code() == "2026"
    assert [s.unit_code for s in list_submissions(receiving, "2026")] == ["DLK-SXD"]
    row = page.units_model.rows[0]
    assert row[0] == "DLK-SXD"
    assert row[2] == "Đã gửi đúng hạn"
    assert row[3] == 1
    assert row[5] == "10/12/2026"
    assert "đã nhận <b>1/1</b>" in page.summary.text()
    assert "Đã nhận" in page.outcomes.toPlainText()

    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.WRITE_COLLECT_FILE):
        page.export_summary(tmp_path / "tong-hop.xlsx", "xlsx")
    written = page.result_bar.path
    assert written == tmp_path / "tong-hop.xlsx" and written.exists()
    shoot(window, "tong-hop")
    assert bus.failures == []


def test_collect_page_shows_every_problem_of_a_refused_package(qtbot, package, receiving, tmp_path):
    from desktop.ui.pages.collect_page import CollectPage

    broken = tmp_path / "hong.zip"
    broken.write_bytes(package.read_bytes()[:-200])
    bus = quiet_bus(receiving)
    page = CollectPage(bus)
    host(qtbot, page)
    with qtbot.waitSignal(page.imported, timeout=60_000) as done:
        page.import_files([package, package, broken])
    outcomes = done.args[0]
    assert [o.status for o in outcomes] == ["imported", "duplicate", "rejected"]
    text = page.outcomes.toPlainText()
    assert "Từ chối" in text and "Đã có từ trước" in text
    for problem in outcomes[2].problems:
        assert problem in text


def test_expected_units_are_edited_and_missing_ones_shown(qtbot, package, receiving, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from desktop.services.collect import list_expected_units
    from desktop.ui.pages.collect_page import CollectPage

    bus = quiet_bus(receiving)
    page = CollectPage(bus)
    host(qtbot, page)
    with qtbot.waitSignal(page.imported, timeout=60_000):
        page.import_files([package])
    page.new_code.setText("DLK-SYT")
    page.new_name.setText("Sở Y tế")
    page.add_expected()
    page.new_code.setText("DLK-SXD")
    page.new_name.setText("Sở Xây dựng")
    page.add_expected()
    assert [u.unit_code for u in list_expected_units(receiving)] == ["DLK-SXD", "DLK-SYT"]
    statuses = {row[0]: row[2] for row in page.units_model.rows}
    assert statuses == {"DLK-SXD": "Đã gửi đúng hạn", "DLK-SYT": "Chưa gửi"}
    assert "1/2" in page.summary.text()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.expected_view.selectRow(1)
    page.delete_item()
    assert [u.unit_code for u in list_expected_units(receiving)] == ["DLK-SXD"]
    assert bus.failures == []

