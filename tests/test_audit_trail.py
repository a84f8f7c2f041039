"""The audit trail: each change to plan, tasks, progress, targets, reports, settings says who, when, field, old, new."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Task
from desktop.services import appendix, audit, documents, profile, progress
from desktop.services.audit_log import ENTITY_LABELS, export_audit_xlsx, list_audit
from desktop.services.bundles import export_package, reopen_period
from desktop.services.progress import EvidenceInput

USER = "Trần Thị Bình"
# Columns the services change as a consequence of an audited change, not as the user's own edit.
DERIVED = {"updated_at", "created_at", "timeframe", "position", "updated_by"}


@pytest.fixture
def watched(sample_workspace):
    """The sample workspace with a user name set, and a recorder of every column the ORM writes."""
    with sample_workspace.unit_of_work() as session:
        profile.set_user_name(session, USER)
    changes: list[tuple] = []

    def before_flush(session, _context, _instances):
        for obj in session.dirty:
            state = inspect(obj)
            for column in state.mapper.column_attrs:
                history = state.attrs[column.key].history
                if history.has_changes() and history.deleted:
                    changes.append((obj.__tablename__, obj.id, column.key, history.deleted[0], history.added[0]))

    event.listen(Session, "before_flush", before_flush)
    yield sample_workspace, changes
    event.remove(Session, "before_flush", before_flush)


def _run(workspace, changes, action):
    """Run `action(session)` in one unit of work; return the audit entries it wrote and the columns it changed."""
    changes.clear()
    with workspace.unit_of_work() as session:
        last = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0
    start = datetime.now(timezone.utc)
    with workspace.unit_of_work() as session:
        action(session)
    end = datetime.now(timezone.utc)
    with workspace.unit_of_work() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id)))
    for entry in entries:
        at = entry.at.replace(tzinfo=timezone.utc) if entry.at.tzinfo is None else entry.at
        assert start - timedelta(seconds=1) <= at <= end + timedelta(seconds=1)
        assert entry.user_name == USER
    return entries, list(changes)


def _task_id(session, number: str) -> int:
    return session.scalar(select(Task.id).where(Task.number == number))


CHANGES = {
    "plan": lambda s: profile.save_plan(s, number="130/KH-SXD", issued_on=date(2026, 2, 1),
                                        title="Kế hoạch sửa đổi", basis_documents=["QĐ 468/QĐ-TTg", "KH 12/KH-UBND"]),
    "task": lambda s: appendix.update_task(s, _task_id(s, "1"), content="Nội dung mới", timeframe_text="Quý IV/2026",
                                           expected_output="Báo cáo", note="ghi chú", lead_unit_id=2,
                                           cooperating_unit_ids=[3]),
    "task_add": lambda s: appendix.add_task(s, "Nhiệm vụ thêm cuối bảng"),
    "task_delete": lambda s: appendix.delete_task(s, _task_id(s, "9")),
    "progress": lambda s: progress.record_progress(s, "2026", "2", "done", result="Đã xong", figures="12 lớp",
                                                   difficulties="Thiếu kinh phí", proposals="Bổ sung"),
    "target": lambda s: profile.save_target(s, 1, "Chỉ tiêu sửa", "90%", 90.0, "%"),
    "target_add": lambda s: profile.save_target(s, None, "Chỉ tiêu mới", "80%", 80.0, "%"),
    "target_delete": lambda s: profile.delete_target(s, 5),
    "target_figure": lambda s: progress.record_target_figure(s, "2026", 1, "95%", "còn 3 người"),
    "report": lambda s: documents.save_report(s, "2026", number="12/BC-SXD", issued_on=date(2026, 12, 8),
                                              direction="Đã chỉ đạo", assessment="Tốt", recipients=["UBND tỉnh"]),
    "department": lambda s: profile.save_department(s, signer_name="Lê Văn C", signer_title="PHÓ GIÁM ĐỐC"),
    "unit": lambda s: profile.update_unit(s, 2, name="Phòng Quản lý xây dựng (mới)"),
    "setting": lambda s: profile.set_setting(s, "report_font_path", "khong-co/phong-chu.ttf"),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_every_change_is_logged_with_who_when_field_old_and_new(watched, kind):
    workspace, changes = watched
    entries, changed = _run(workspace, changes, CHANGES[kind])
    assert entries, f"{kind}: no audit entry"
    logged = {(e.entity, e.entity_id, e.field): e for e in entries}
    for table, row_id, column, old, new in changed:
        if column in DERIVED or (table == "task" and column == "number"):
            continue  # renumbering is covered by its own test below
        entry = logged.get((table, row_id, column))
        assert entry is not None, f"{kind}: {table} {row_id} {column} changed ({old!r} → {new!r}) without audit"
        assert (entry.old_value, entry.new_value) == (audit._as_text(old), audit._as_text(new))
        assert entry.action == "update"


def test_old_and_new_values_read_as_the_user_typed_them(watched):
    workspace, changes = watched
    _run(workspace, changes, CHANGES["progress"])
    entries, _ = _run(workspace, changes, lambda s: progress.record_progress(s, "2026", "2", "in_progress",
                                                                               result="Đang làm lại"))
    by_field = {e.field: e for e in entries}
    assert (by_field["result"].old_value, by_field["result"].new_value) == ("Đã xong", "Đang làm lại")
    assert (by_field["status"].old_value, by_field["status"].new_value) == ("done", "in_progress")
    entries, _ = _run(workspace, changes, CHANGES["plan"])
    by_field = {e.field: e for e in entries}
    assert by_field["issued_on"].new_value == "2026-02-01"
    assert by_field["basis_documents"].new_value == "QĐ 468/QĐ-TTg; KH 12/KH-UBND"


def test_creations_and_deletions_are_logged(watched):
    workspace, changes = watched
    entries, _ = _run(workspace, changes, CHANGES["task_add"])
    assert [(e.action, e.entity, e.field, e.new_value) for e in entries][0] == (
        "create", "task", "content", "Nhiệm vụ thêm cuối bảng")
    with workspace.unit_of_work() as session:
        content = session.get(Task, _task_id(session, "9")).content
    entries, _ = _run(workspace, changes, CHANGES["task_delete"])
    deleted = next(e for e in entries if e.action == "delete")
    assert (deleted.entity, deleted.field, deleted.old_value, deleted.new_value) == ("task", "content", content, None)
    entries, _ = _run(workspace, changes, CHANGES["target_delete"])
    assert [e.action for e in entries] == ["delete"]
    entries, _ = _run(workspace, changes, lambda s: progress.record_progress(
        s, "2026", "4", "done", evidence=[EvidenceInput("15/SXD-VP", date(2026, 5, 2), "Công văn")]))
    assert {(e.action, e.field) for e in entries} >= {("create", "status"), ("update", "evidence")}


def test_sending_and_reopening_a_period_are_logged(watched, tmp_path):
    workspace, changes = watched
    result = export_package(workspace, "2026", tmp_path)
    reopen_period(workspace, "2026", "bổ sung số liệu")
    with workspace.unit_of_work() as session:
        rows = list_audit(session, "period")
    assert [r.action for r in rows[:2]] == ["reopen", "export"]
    assert rows[0].new_value == "Mở lại để bổ sung: bổ sung số liệu" and rows[0].user == USER
    assert rows[1].new_value.startswith(result.file_name) and result.sha256 in rows[1].new_value


def test_without_a_user_name_the_login_name_is_recorded(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        progress.record_progress(session, "2026", "1", "done")
        entry = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
        assert entry.user_name == audit.default_user_name() != ""


def test_renumbering_other_tasks_is_logged(watched):
    workspace, changes = watched
    _, changed = _run(workspace, changes, lambda s: appendix.add_task(s, "Chen vào", after_task_id=_task_id(s, "1")))
    with workspace.unit_of_work() as session:
        logged = {(e.entity_id, e.field) for e in session.scalars(select(AuditEntry))}
    renumbered = [(row_id, column) for table, row_id, column, _, _ in changed if column == "number"]
    assert renumbered and all(key in logged for key in renumbered)


def test_replacing_evidence_logs_the_old_list(watched):
    workspace, changes = watched
    first = [EvidenceInput("1/SXD", date(2026, 3, 1), "Công văn 1")]
    _run(workspace, changes, lambda s: progress.record_progress(s, "2026", "1", "done", evidence=first))
    entries, _ = _run(workspace, changes, lambda s: progress.record_progress(s, "2026", "1", "done", evidence=[]))
    assert entries[-1].old_value == "1/SXD"


# --- reading and exporting the trail --------------------------------------------------------------

def test_list_audit_for_a_task_includes_its_progress_with_readable_values(watched):
    workspace, changes = watched
    _run(workspace, changes, CHANGES["task"])
    _run(workspace, changes, lambda s: progress.record_progress(s, "2026", "1", "done", result="Xong"))
    with workspace.unit_of_work() as session:
        task_id = _task_id(session, "1")
        rows = list_audit(session, "task", task_id)
        own = list_audit(session, "task", task_id, related=False)
        limited = list_audit(session, limit=2)
    assert rows[0].entity == "progress" and rows[0].field == "result" and rows[0].new_value == "Xong"
    assert any(r.field == "status" and r.new_value == "Đã hoàn thành" for r in rows)  # the label, not "done"
    lead = next(r for r in rows if r.field == "lead_unit_id")
    assert lead.field_label == "Đơn vị chủ trì" and not lead.new_value.isdigit()  # a unit name, not an id
    assert {r.entity for r in own} == {"task"} and len(own) < len(rows)
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert len(limited) == 2 and limited[0].at.tzinfo is not None


def test_export_to_excel_keeps_hostile_text_as_text(watched, tmp_path):
    from openpyxl import load_workbook

    workspace, changes = watched
    hostile = "=HYPERLINK(\"http://x\",\"bấm\")\x07 @SUM(1) -1+2 +3 #N/A"
    _run(workspace, changes, lambda s: progress.record_progress(s, "2026", "1", "done", result=hostile))
    path = export_audit_xlsx(workspace, tmp_path / "nhat-ky.xlsx", "task", 1)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[2]] == ["Thời gian", "Người sửa", "Thao tác", "Mục", "Mã mục", "Trường",
                                           "Giá trị cũ", "Giá trị mới"]
    values = [c for row in sheet.iter_rows(min_row=3) for c in row if c.value]
    assert all(c.data_type == "s" for c in values)
    assert any(c.value == hostile.replace("\x07", "") for c in values)  # stored as typed, minus the control char
    assert sheet.max_row == 2 + len(list_audit_rows(workspace, "task", 1))
    with pytest.raises(Exception, match=".xlsx"):
        export_audit_xlsx(workspace, tmp_path / "nhat-ky.csv")
    assert not (tmp_path / "nhat-ky.csv").exists()


def list_audit_rows(workspace, entity, entity_id):
    with workspace.unit_of_work() as session:
        return list_audit(session, entity, entity_id)


def test_cli_audit_prints_exports_and_refuses_bad_arguments(khbc_cli, watched, db_path, tmp_path):
    workspace, changes = watched
    _run(workspace, changes, CHANGES["task"])
    code, out, _ = khbc_cli("audit", "--entity", "task", "--id", "1", "--db", str(db_path))
    assert code == 0 and f"| {USER} | Sửa Nhiệm vụ 1 | Nội dung |" in out and "→ Nội dung mới" in out
    code, out, _ = khbc_cli("audit", "--json", "--limit", "3", "--db", str(db_path))
    assert code == 0 and len(json.loads(out)) == 3
    code, out, _ = khbc_cli("audit", "--entity", "task", "--xlsx", str(tmp_path / "a.xlsx"), "--db", str(db_path))
    assert code == 0 and (tmp_path / "a.xlsx").is_file()
    code, _, err = khbc_cli("audit", "--id", "1", "--db", str(db_path))
    assert code == 1 and "--entity" in err
    for argv in (["--entity", "bogus"], ["--id", "-3", "--entity", "task"], ["--limit", "mười"]):
        code, _, err = khbc_cli("audit", *argv, "--db", str(db_path))
        assert code == 2 and "lỗi" in err and "Traceback" not in err


def test_cli_entity_choices_match_the_labels():
    from desktop.cli_safety import AUDIT_ENTITIES

    assert set(AUDIT_ENTITIES) == set(ENTITY_LABELS)


def test_audit_dialog_shows_the_history_and_exports(qtbot, watched, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt

    from openpyxl import load_workbook

    from desktop.ui import audit_dialog
    from tests.ui_support import quiet_bus

    workspace, changes = watched
    _run(workspace, changes, CHANGES["task"])
    with workspace.unit_of_work() as session:
        task_id = _task_id(session, "1")
    bus = quiet_bus(workspace)
    dialog = audit_dialog.AuditDialog(bus, "task", task_id, "Nhiệm vụ 1")
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == len(list_audit_rows(workspace, "task", task_id)) >= 5
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())] == list(
        audit_dialog.COLUMNS)
    texts = {model.index(r, 5).data() for r in range(model.rowCount())}
    assert "Nội dung mới" in texts
    monkeypatch.setattr(audit_dialog, "ask_save_path", lambda *a, **k: (tmp_path / "lich-su.xlsx", "xlsx"))
    with qtbot.waitSignal(dialog.exported_file, timeout=60_000):  # written on a worker
        dialog.export_button.click()
    assert dialog.exported == tmp_path / "lich-su.xlsx" and dialog.exported.is_file()
    assert load_workbook(dialog.exported).active.max_row == model.rowCount() + 2 and bus.failures == []
    empty = audit_dialog.AuditDialog(bus, "unit", 999)
    qtbot.addWidget(empty)
    assert empty.model.rowCount() == 0 and not empty.export_button.isEnabled()
