"""An amendment of the upper plan mid-period: the differences are shown first, then merged without losing a result."""

from __future__ import annotations

from datetime import date

from desktop.services import appendix, profile
from desktop.services.progress import EvidenceInput, record_progress
from desktop.services.workspace import Workspace
from tests.plan_helpers import current_plan_tasks, dump, lower_database, rows, upper_database


def _task_id(db, number: str) -> int:
    return rows(db, "SELECT id FROM task WHERE number = ?", number)[0][0]


def _amend(upper) -> None:
    """Added, reworded, reassigned (twice), removed (twice), a deadline moved: what an amendment does."""
    workspace = Workspace.open(upper)
    try:
        with workspace.unit_of_work() as session:
            office = rows(upper, "SELECT id FROM unit WHERE name = 'Văn phòng Sở'")[0][0]
            other = profile.add_unit(session, "Phòng Quản lý xây dựng").id
            groups = rows(upper, "SELECT id FROM unit WHERE name = 'Các phòng chuyên môn'")[0][0]
            appendix.update_task(session, _task_id(upper, "1"), timeframe_text="Quý IV/2026")
            appendix.update_task(session, _task_id(upper, "2"), lead_unit_id=other, cooperating_unit_ids=[office])
            appendix.update_task(session, _task_id(upper, "4"),
                                 content="Kiểm soát, gỡ bỏ kịp thời nội dung xấu trên Trang thông tin điện tử của Sở")
            appendix.update_task(session, _task_id(upper, "7"), lead_unit_id=other, cooperating_unit_ids=[groups])
            six, three = _task_id(upper, "6"), _task_id(upper, "3")
            appendix.delete_task(session, six)
            appendix.delete_task(session, three)
            appendix.add_task(session, "Tổ chức hội nghị sơ kết 01 năm thực hiện Kế hoạch", lead_unit_id=office,
                              timeframe_text="Quý IV/2026")
    finally:
        workspace.close()


def _record_results(lower) -> None:
    workspace = Workspace.open(lower)
    try:
        with workspace.unit_of_work() as session:
            record_progress(session, "2026S1", "2", "in_progress", result="Tổ chức 02 hội nghị tuyên truyền.")
            record_progress(session, "2026S1", "3", "done", result="Rà soát 12 máy chủ, vá 3 lỗ hổng.",
                            evidence=[EvidenceInput("15/SXD-VP", date(2026, 5, 4), "Báo cáo rà soát")])
            record_progress(session, "2026S1", "4", "in_progress", result="Kiểm tra hằng tuần.")
            record_progress(session, "2026S1", "7", "done", result="Tham gia 01 đợt tập huấn.")
    finally:
        workspace.close()


def _progress(db) -> list[tuple]:
    return rows(db, "SELECT t.upper_uid, g.status, g.result, (SELECT count(*) FROM evidence e WHERE e.progress_id = g.id) "
                    "FROM progress g JOIN task t ON t.id = g.task_id ORDER BY t.upper_uid")


def test_an_amendment_mid_period_shows_its_differences_then_merges_without_losing_a_result(khbc_cli, tmp_path):
    upper = upper_database(tmp_path / "so")
    assert khbc_cli("plan-export", str(tmp_path / "v1"), "--db", str(upper))[0] == 0
    lower = lower_database(tmp_path / "vp")
    assert khbc_cli("plan-import", str(tmp_path / "v1" / "KeHoach_SXD_v1.zip"), "--db", str(lower))[0] == 0
    _record_results(lower)
    uid = {number: upper_uid for number, _c, _l, upper_uid, _s in current_plan_tasks(lower)}
    results = _progress(lower)
    assert len(results) == 4

    _amend(upper)
    code, stdout, stderr = khbc_cli("plan-export", str(tmp_path / "v2"), "--db", str(upper))
    assert code == 0 and "phiên bản 2" in stdout, stderr
    package = tmp_path / "v2" / "KeHoach_SXD_v2.zip"

    before = dump(lower)
    code, stdout, _ = khbc_cli("plan-import", str(package), "--preview", "--db", str(lower))
    assert code == 0 and dump(lower) == before
    assert "Sửa đổi so với phiên bản 1 đang có:" in stdout
    assert "Nhiệm vụ mới (1):" in stdout and "Tổ chức hội nghị sơ kết 01 năm" in stdout
    assert "Sửa nội dung (1):" in stdout and "gỡ bỏ kịp thời" in stdout
    assert "Đổi đơn vị chủ trì, phối hợp (1):" in stdout and "chủ trì Phòng Quản lý xây dựng; phối hợp Văn phòng Sở" in stdout
    assert "Đổi thời gian thực hiện (1):" in stdout and "Quý III/2026 → Quý IV/2026" in stdout
    assert "Cấp trên đã bỏ nhiệm vụ (2):" in stdout
    assert "Rà soát, bảo đảm ATTT hệ thống CNTT của Sở (đã có kết quả: giữ lại" in stdout
    assert "(chưa có kết quả: bỏ khỏi phụ lục)" in stdout
    assert "Giao cho đơn vị khác (1):" in stdout

    code, stdout, stderr = khbc_cli("plan-import", str(package), "--db", str(lower))
    assert code == 0, stderr
    assert "thêm 1" in stdout and "bỏ 1" in stdout and "giữ lại 2" in stdout
    assert _progress(lower) == results  # every result, status and evidence is still there, on the same task
    tasks = {upper_uid: (number, content, lead, state) for number, content, lead, upper_uid, state
             in current_plan_tasks(lower)}
    assert uid["6"] not in tasks  # removed upstream, nothing recorded: gone
    assert tasks[uid["3"]][3] == "removed" and tasks[uid["7"]][3] == "reassigned"  # kept, marked
    assert tasks[uid["2"]][2] == "Phòng Quản lý xây dựng" and tasks[uid["2"]][3] == ""
    assert tasks[uid["4"]][1].startswith("Kiểm soát, gỡ bỏ kịp thời") and tasks[uid["4"]][0] == "3"  # renumbered
    assert rows(lower, "SELECT timeframe_text FROM task WHERE upper_uid = ?", uid["1"]) == [("Quý IV/2026",)]
    new = [t for u, t in tasks.items() if u not in uid.values()]
    assert [t[1] for t in new] == ["Tổ chức hội nghị sơ kết 01 năm thực hiện Kế hoạch"]
    assert rows(lower, "SELECT upper_version FROM plan") == [(2,)]
    audit = rows(lower, "SELECT action, entity, field FROM audit_entry WHERE entity = 'task'")
    assert {("update", "task", "content"), ("update", "task", "upper_state"), ("delete", "task", "content"),
            ("update", "task", "timeframe_text"), ("update", "task", "lead_unit")} <= set(audit)

    merged = dump(lower)
    code, _out, stderr = khbc_cli("plan-import", str(tmp_path / "v1" / "KeHoach_SXD_v1.zip"), "--db", str(lower))
    assert code == 1 and "cũ hơn phiên bản 2 đã nhập" in stderr
    assert dump(lower) == merged


def test_a_task_the_upper_level_brings_back_is_restored_with_its_results(khbc_cli, tmp_path):
    upper = upper_database(tmp_path / "so")
    khbc_cli("plan-export", str(tmp_path / "v1"), "--db", str(upper))
    lower = lower_database(tmp_path / "vp")
    khbc_cli("plan-import", str(tmp_path / "v1" / "KeHoach_SXD_v1.zip"), "--db", str(lower))
    _record_results(lower)
    results = _progress(lower)
    workspace = Workspace.open(upper)
    try:
        with workspace.unit_of_work() as session:
            snapshot = appendix.delete_task(session, _task_id(upper, "3"))
        khbc_cli("plan-export", str(tmp_path / "v2"), "--db", str(upper))
        with workspace.unit_of_work() as session:
            appendix.restore_task(session, snapshot)
    finally:
        workspace.close()
    khbc_cli("plan-export", str(tmp_path / "v3"), "--db", str(upper))
    uid3 = rows(upper, "SELECT uid FROM task WHERE number = '3'")[0][0]
    assert khbc_cli("plan-import", str(tmp_path / "v2" / "KeHoach_SXD_v2.zip"), "--db", str(lower))[0] == 0
    assert rows(lower, "SELECT upper_state FROM task WHERE upper_uid = ?", uid3) == [("removed",)]
    code, stdout, _ = khbc_cli("plan-import", str(tmp_path / "v3" / "KeHoach_SXD_v3.zip"), "--db", str(lower))
    assert code == 0 and "Nhiệm vụ được khôi phục (1):" in stdout  # same uid: restored, not added anew
    assert rows(lower, "SELECT upper_state FROM task WHERE upper_uid = ?", uid3) == [("",)]
    assert _progress(lower) == results
