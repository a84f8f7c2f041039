"""The chain in the window: units' reports under the task and Soạn tự động (Cập nhật kết quả), Tiếp nhận / Trả lại
(Tổng hợp), and the receipt imported on Gửi báo cáo — at 1024×768."""

from __future__ import annotations

import pytest

from desktop.services.bundles import export_package, import_bundles
from desktop.services.plan_receive import import_plan_package
from desktop.services.plan_send import export_plan_package
from desktop.services.progress import list_target_figures, record_progress, record_target_figure
from desktop.services.ui_support import progress_detail
from desktop.services.workspace import Workspace
from tests.plan_helpers import lower_database
from tests.ui_support import host, quiet_bus, shoot


@pytest.fixture
def chain(sample_workspace, tmp_path, monkeypatch):
    """The sample Sở sent its plan to Văn phòng Sở, which reported on task 1 and 2 for 2026; the Sở received it."""
    monkeypatch.setenv("KHBC_TODAY", "2026-11-22")
    plan = export_plan_package(sample_workspace, tmp_path / "down").path
    office = Workspace.open(lower_database(tmp_path / "vp"))
    import_plan_package(office, plan)
    with office.unit_of_work() as session:
        record_progress(session, "2026", "1", "done", result="Đã ban hành kế hoạch của Văn phòng",
                        figures="12 văn bản")
        record_progress(session, "2026", "2", "in_progress", result="Tổ chức 01 hội nghị")
        record_target_figure(session, "2026", 1, "95%")
    package = export_package(office, "2026", tmp_path / "up").path
    assert [o.status for o in import_bundles(sample_workspace, [package])] == ["imported"]
    yield sample_workspace, office
    office.close()


def _select_task(page, number):
    page.open_task(next(r.id for r in page._rows.values() if r.number == number))


def test_progress_page_shows_what_the_unit_reported_and_drafts_without_saving(qtbot, chain):
    from desktop.ui.pages.progress_page import ProgressPage

    upper, _office = chain
    bus = quiet_bus(upper)
    page = ProgressPage(bus)
    host(qtbot, page, 1024, 768)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    _select_task(page, "1")
    panel = page.editor.unit_reports
    qtbot.waitUntil(panel.isVisible)
    assert "Văn phòng Sở" in panel.body.text() and "12 văn bản" in panel.body.text()
    assert panel.draft_button.isEnabled()
    shoot(page, "cap-nhat-ket-qua-bao-cao-don-vi-1024")
    assert page.editor.unit_reports.width() <= page.width()

    panel.draft_button.click()
    values = page.editor.values()
    assert values["result"] == "Văn phòng Sở: Đã ban hành kế hoạch của Văn phòng."
    assert values["figures"] == "Văn phòng Sở: 12 văn bản." and values["status"] == "done"
    task_id = page.editor.task_id
    assert page.editor.dirty and bus.read(progress_detail, "2026", task_id) is None  # filled, not saved
    page.editor.boxes["result"].setPlainText(values["result"] + " Sở đã tổng hợp.")  # the clerk owns it
    assert page.save()
    assert bus.read(progress_detail, "2026", task_id).result.endswith("Sở đã tổng hợp.")

    _select_task(page, "9")  # a task nobody reported on: no panel
    assert not panel.isVisible()

    page.tabs.setCurrentIndex(1)
    assert page.draft_targets_button.isVisible()
    page.draft_targets_button.click()
    figures = {f.position: f.value_text for f in bus.read(list_target_figures, "2026")}
    assert figures[1] == "Văn phòng Sở: 95%" and not any(figures[p] for p in figures if p != 1)
    page.undo_stack.undo()  # one step takes the whole draft back
    assert not bus.read(list_target_figures, "2026")[0].value_text
    assert not bus.failures


def test_collect_page_returns_with_a_reason_and_the_sender_imports_the_receipt(qtbot, chain, tmp_path):
    from desktop.ui.pages.collect_page import CollectPage
    from desktop.ui.pages.send_page import SendPage

    upper, office = chain
    bus = quiet_bus(upper)
    page = CollectPage(bus)
    host(qtbot, page, 1024, 768)
    page._show_screen(prefer="2026")
    assert page.units_model.rowCount() == 1
    page.units_view.selectRow(0)
    folder = tmp_path / "bien-nhan"
    folder.mkdir()
    result = page.review("DLK-SXD-VP", "returned", "Thiếu số liệu nhiệm vụ 2", folder)
    assert result is not None, bus.failures
    assert "Đã trả lại: Thiếu số liệu nhiệm vụ 2" in page.units_model.rows[0][2]
    assert "Đã trả lại báo cáo của Văn phòng Sở" in page.review_bar.note.text()
    shoot(page, "tong-hop-tra-lai-1024")
    receipt = next(folder.glob("BienNhan_*.zip"))

    sender_bus = quiet_bus(office)
    send = SendPage(sender_bus)
    host(qtbot, send, 1024, 768)
    outcomes = send.import_receipts([receipt])
    assert [o.status for o in outcomes] == ["imported"] and outcomes[0].reopened
    assert "Bị trả lại" in send.receipt_note.text() and "Thiếu số liệu nhiệm vụ 2" in send.receipt_note.text()
    assert send.exports_model.rows[0][-1] == "Bị trả lại: Thiếu số liệu nhiệm vụ 2"
    send.period_combo.setCurrentIndex(send.period_combo.findData("2026"))
    send.refresh()
    assert send.export_button.isEnabled()  # reopened for bổ sung
    shoot(send, "gui-bao-cao-bien-nhan-1024")
    assert not bus.failures and not sender_bus.failures
