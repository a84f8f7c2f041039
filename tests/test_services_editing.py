"""Editing services the GUI and CLI share: the appendix, the profile, units, the plan, targets, progress copies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditEntry, Period, Progress, Task
from desktop.errors import InvalidInputError, PeriodLockedError
from desktop.services import appendix, profile
from desktop.services.progress import copy_from_previous, list_target_figures, record_progress, record_target_figure
from desktop.services.queries import list_periods, list_tasks
from tests.conftest import TODAY


def _numbers(session):
    return [(t.number, t.content) for t in session.scalars(select(Task).order_by(Task.position))]


def _unit_id(session, name):
    return next(u.id for u in profile.list_units(session) if u.name == name)


def test_add_task_after_a_row_renumbers_and_parses_the_timeframe(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        first = session.scalar(select(Task).where(Task.number == "1"))
        task = appendix.add_task(session, "Tập huấn kỹ năng số cho công chức", after_task_id=first.id,
                                 lead_unit_id=_unit_id(session, "Văn phòng Sở"),
                                 cooperating_unit_ids=[_unit_id(session, "Công an tỉnh")],
                                 timeframe_text="Quý IV/2026", expected_output="Hội nghị tập huấn")
        new_id = task.id
    with sample_workspace.unit_of_work() as session:
        rows = _numbers(session)
        assert rows[1] == ("2", "Tập huấn kỹ năng số cho công chức")
        assert [n for n, _ in rows] == [str(i) for i in range(1, 11)]
        task = session.get(Task, new_id)
        assert task.timeframe["kind"] == "deadline" and task.timeframe["deadlines"] == ["2026-12-31"]
        assert [u.name for u in task.cooperating_units] == ["Công an tỉnh"]
        fields = {e.field for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "task",
                                                                            AuditEntry.entity_id == new_id))}
        assert {"content", "timeframe_text", "lead_unit_id"} <= fields


def test_delete_and_restore_bring_back_the_task_and_its_progress(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026", "3", "in_progress", result="Đã rà soát 12 máy chủ.")
        task_id = session.scalar(select(Task.id).where(Task.number == "3"))
    with sample_workspace.unit_of_work() as session:
        snapshot = appendix.delete_task(session, task_id)
    with sample_workspace.unit_of_work() as session:
        assert len(_numbers(session)) == 8
        assert session.scalar(select(Progress).where(Progress.task_id == task_id)) is None
        assert _numbers(session)[2][0] == "3" and "Kiểm soát nội dung" in _numbers(session)[2][1]
    with sample_workspace.unit_of_work() as session:
        appendix.restore_task(session, snapshot)
    with sample_workspace.unit_of_work() as session:
        rows = list_tasks(session, "2026", TODAY)
        assert rows[2].content == "Rà soát, bảo đảm ATTT hệ thống CNTT của Sở" and rows[2].number == "3"
        assert rows[2].result == "Đã rà soát 12 máy chủ." and rows[2].cooperating == (
            "Các đơn vị cung cấp dịch vụ CNTT",)


def test_move_task_renumbers(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        task_id = session.scalar(select(Task.id).where(Task.number == "9"))
        appendix.move_task(session, task_id, -8)
    with sample_workspace.unit_of_work() as session:
        rows = _numbers(session)
        assert rows[0] == ("1", "Sơ kết, tổng kết giai đoạn thực hiện")
        assert rows[1][1] == "Tham mưu ban hành Kế hoạch triển khai của Sở"


def test_update_task_refuses_empty_content_and_keeps_the_old_value(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        task_id = session.scalar(select(Task.id).where(Task.number == "2"))
    with pytest.raises(InvalidInputError, match="không được để trống"):
        with sample_workspace.unit_of_work() as session:
            appendix.update_task(session, task_id, content="   ")
    with sample_workspace.unit_of_work() as session:
        assert session.get(Task, task_id).content.startswith("Tuyên truyền")


def test_units_cannot_be_deleted_while_tasks_use_them(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        unit_id = _unit_id(session, "Văn phòng Sở")
    with pytest.raises(InvalidInputError, match="đang được giao 9 nhiệm vụ"):
        with sample_workspace.unit_of_work() as session:
            profile.delete_unit(session, unit_id)
    with sample_workspace.unit_of_work() as session:
        added = profile.add_unit(session, "Phòng Kinh tế xây dựng")
        unit_id = added.id
    with pytest.raises(InvalidInputError, match="đã có"):
        with sample_workspace.unit_of_work() as session:
            profile.add_unit(session, "phòng kinh tế xây dựng")
    with sample_workspace.unit_of_work() as session:
        profile.delete_unit(session, unit_id)
        assert "Phòng Kinh tế xây dựng" not in [u.name for u in profile.list_units(session)]


def test_plan_years_and_schedule_change_the_periods(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        profile.save_plan(session, end_year=2031,
                          schedule={"kinds": ["half", "year"], "deadlines": {"half": "15/6", "year": "15/12"}})
    with sample_workspace.unit_of_work() as session:
        periods = {p.code: p for p in list_periods(session, TODAY)}
        assert periods["2031"].deadline.isoformat() == "2031-12-15"
        assert periods["2026S1"].deadline.isoformat() == "2026-06-15"
    with pytest.raises(InvalidInputError):
        with sample_workspace.unit_of_work() as session:
            profile.save_plan(session, start_year=2032)


def test_department_profile_and_user_name_feed_the_audit_trail(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        profile.set_user_name(session, "Nguyễn Thị Lan")
        profile.save_department(session, signer_name="Trần Văn Bình")
    with sample_workspace.unit_of_work() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.field == "signer_name"))
        assert entry.user_name == "Nguyễn Thị Lan"
        assert (entry.old_value, entry.new_value) == ("Lê Công Du", "Trần Văn Bình")
    with pytest.raises(InvalidInputError, match="Chữ viết tắt"):
        with sample_workspace.unit_of_work() as session:
            profile.save_department(session, abbreviation="S X D")


def test_targets_can_be_added_changed_and_removed(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        target = profile.save_target(session, None, "Tổ chức tập huấn an toàn thông tin", "02 lớp", 2, "lớp")
        new_id = target.id
        record_target_figure(session, "2026", 6, "1 lớp")
    with sample_workspace.unit_of_work() as session:
        figures = list_target_figures(session, "2026")
        assert [f.value_text for f in figures][-1] == "1 lớp" and len(figures) == 6
        profile.delete_target(session, figures[0].target_id)
    with sample_workspace.unit_of_work() as session:
        rows = profile.list_targets(session)
        assert [r.position for r in rows] == [1, 2, 3, 4, 5]
        assert rows[-1].id == new_id


def test_copy_from_previous_period_fills_only_empty_entries(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026", "2", "done", result="Đã tổ chức hội nghị.")
        record_progress(session, "2026", "3", "in_progress", result="Đã rà soát.")
        record_progress(session, "2027S1", "3", "in_progress", result="Kết quả kỳ mới.")
    with sample_workspace.unit_of_work() as session:
        assert copy_from_previous(session, "2027S1") == 1
    with sample_workspace.unit_of_work() as session:
        rows = {r.number: r for r in list_tasks(session, "2027S1", TODAY)}
        assert rows["2"].result == "Đã tổ chức hội nghị." and rows["2"].status == "done"
        assert rows["3"].result == "Kết quả kỳ mới."
    with sample_workspace.unit_of_work() as session:
        assert copy_from_previous(session, "2027S1") == 0


def test_a_sent_period_refuses_changes(sample_workspace):
    from datetime import datetime, timezone

    with sample_workspace.unit_of_work() as session:
        period = session.scalar(select(Period).where(Period.code == "2026"))
        period.sent_at = datetime(2026, 12, 9, tzinfo=timezone.utc)
    with pytest.raises(PeriodLockedError, match="Mở lại để bổ sung"):
        with sample_workspace.unit_of_work() as session:
            record_progress(session, "2026", "1", "done")
    with sample_workspace.unit_of_work() as session:
        assert session.scalar(select(Progress)) is None
