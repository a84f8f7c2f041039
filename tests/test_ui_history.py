"""Lịch sử thay đổi: the selected task's audit trail opens from the Phụ lục page and shows who changed what."""

from __future__ import annotations

from desktop.services import appendix
from desktop.services.profile import set_user_name
from desktop.services.queries import list_tasks
from desktop.ui.audit_dialog import AuditDialog
from desktop.ui.bus import DataBus
from desktop.ui.pages.appendix_page import AppendixPage
from tests.conftest import TODAY


def test_history_of_the_selected_task(qtbot, sample_workspace, monkeypatch):
    with sample_workspace.unit_of_work() as session:
        set_user_name(session, "Nguyễn Thị Lan")
        task = list_tasks(session, None, TODAY)[1]
        appendix.update_task(session, task.id, timeframe_text="Quý IV/2026")
    bus = DataBus(sample_workspace)
    bus.quiet = True
    page = AppendixPage(bus)
    qtbot.addWidget(page)
    page.show()
    page.table.selectRow(1)
    opened = []
    monkeypatch.setattr(AuditDialog, "exec", lambda dialog: opened.append(dialog) or 0)
    page.show_history()
    assert len(opened) == 1
    dialog = opened[0]
    assert "Nhiệm vụ 2" in dialog.windowTitle()
    row = next(r for r in dialog.model.rows if r[4] == "Hàng năm")
    assert row[1] == "Nguyễn Thị Lan" and row[5] == "Quý IV/2026"
