"""Three levels: Công an tỉnh → Sở → phòng. The plan goes down twice, and its amendment merges at every level
without losing a result; no task text is typed below the top."""

from __future__ import annotations

from desktop.services import appendix, profile
from desktop.services.progress import record_progress
from desktop.services.setup import create_plan
from desktop.services.workspace import Workspace
from tests.plan_helpers import current_plan_tasks, dump, rows

TOP = dict(parent_agency="UBND TỈNH ĐẮK LẮK", name="CÔNG AN TỈNH", name_in_text="Công an tỉnh", abbreviation="CAT",
           unit_code="DLK-CAT", place_name="Đắk Lắk")
SO = dict(parent_agency="UBND TỈNH ĐẮK LẮK", name="SỞ Y TẾ", name_in_text="Sở Y tế", abbreviation="SYT",
          unit_code="DLK-SYT", place_name="Đắk Lắk")
PHONG = dict(parent_agency="SỞ Y TẾ", name="PHÒNG NGHIỆP VỤ Y", name_in_text="Phòng Nghiệp vụ Y", abbreviation="NVY",
             unit_code="SYT-NVY", place_name="Đắk Lắk")


def _open(db):
    return Workspace.open(db)


def _top(db) -> None:
    workspace = _open(db)
    try:
        with workspace.unit_of_work() as session:
            profile.save_department(session, **TOP)
            health = profile.add_unit(session, "Sở Y tế tỉnh Đắk Lắk").id  # written longer than the Sở writes itself
            school = profile.add_unit(session, "Sở Giáo dục và Đào tạo").id
            create_plan(session, "Kế hoạch phòng, chống tội phạm công nghệ cao năm 2026", 2026, 2026, number="15/KH-CAT")
            appendix.add_task(session, "Kiểm tra an ninh mạng tại các cơ sở khám, chữa bệnh", lead_unit_id=health,
                              timeframe_text="Năm 2026")
            appendix.add_task(session, "Tuyên truyền cho học sinh, sinh viên", lead_unit_id=school,
                              cooperating_unit_ids=[health], timeframe_text="Quý II/2026")
            appendix.add_task(session, "Tập huấn nhận diện lừa đảo trực tuyến", lead_unit_id=school,
                              timeframe_text="Năm 2026")
    finally:
        workspace.close()


def _department(db, fields) -> None:
    workspace = _open(db)
    try:
        with workspace.unit_of_work() as session:
            profile.save_department(session, **fields)
    finally:
        workspace.close()


def _give_to_phong(db) -> None:
    """The Sở names its phòng as cooperating on every task it received (who does it; no text typed)."""
    workspace = _open(db)
    try:
        with workspace.unit_of_work() as session:
            phong = profile.add_unit(session, "Phòng Nghiệp vụ Y").id
            for (task_id,) in rows(db, "SELECT id FROM task"):
                appendix.update_task(session, task_id, cooperating_unit_ids=[phong])
    finally:
        workspace.close()


def _record(db, number: str, result: str) -> None:
    workspace = _open(db)
    try:
        with workspace.unit_of_work() as session:
            record_progress(session, "2026S1", number, "done", result=result)
    finally:
        workspace.close()


def test_a_plan_and_its_amendment_go_down_two_levels_and_every_result_stays(khbc_cli, tmp_path):
    cat, so, phong = tmp_path / "cat.sqlite3", tmp_path / "so.sqlite3", tmp_path / "phong.sqlite3"
    _top(cat)
    assert khbc_cli("plan-export", str(tmp_path / "cat-v1"), "--db", str(cat))[0] == 0
    _department(so, SO)
    code, _out, err = khbc_cli("plan-import", str(tmp_path / "cat-v1" / "KeHoach_CAT_v1.zip"), "--db", str(so))
    assert code == 0, err
    assert [t[1] for t in current_plan_tasks(so)] == ["Kiểm tra an ninh mạng tại các cơ sở khám, chữa bệnh",
                                                       "Tuyên truyền cho học sinh, sinh viên"]
    _give_to_phong(so)
    assert khbc_cli("plan-export", str(tmp_path / "so-v1"), "--db", str(so))[0] == 0
    _department(phong, PHONG)
    assert khbc_cli("plan-import", str(tmp_path / "so-v1" / "KeHoach_SYT_v1.zip"), "--db", str(phong))[0] == 0
    so_uids = {content: uid for uid, content in rows(so, "SELECT uid, content FROM task")}
    assert {t[3] for t in current_plan_tasks(phong)} == set(so_uids.values())  # linked to the Sở's own tasks
    _record(so, "1", "Sở đã kiểm tra 9 bệnh viện.")
    _record(phong, "1", "Phòng kiểm tra 9 bệnh viện tuyến tỉnh.")
    _record(phong, "2", "Phòng phối hợp tuyên truyền tại 3 trường.")
    results = {db: rows(db, "SELECT status, result FROM progress ORDER BY id") for db in (so, phong)}

    workspace = _open(cat)  # mid-period amendment at the top: a task reworded, one added for the Sở
    try:
        with workspace.unit_of_work() as session:
            first = rows(cat, "SELECT id FROM task WHERE number = '1'")[0][0]
            health = rows(cat, "SELECT id FROM unit WHERE name = 'Sở Y tế tỉnh Đắk Lắk'")[0][0]
            appendix.update_task(session, first, content="Kiểm tra an ninh mạng tại tất cả cơ sở khám, chữa bệnh")
            appendix.add_task(session, "Rà soát phần mềm quản lý bệnh viện", lead_unit_id=health,
                              timeframe_text="Quý IV/2026")
    finally:
        workspace.close()
    assert khbc_cli("plan-export", str(tmp_path / "cat-v2"), "--db", str(cat))[0] == 0
    code, out, err = khbc_cli("plan-import", str(tmp_path / "cat-v2" / "KeHoach_CAT_v2.zip"), "--db", str(so))
    assert code == 0 and "Sửa nội dung (1):" in out and "Nhiệm vụ mới (1):" in out, err
    code, out, _ = khbc_cli("plan-export", str(tmp_path / "so-v2"), "--db", str(so))
    assert code == 0 and "phiên bản 2: phiên bản mới" in out  # the Sở's plan changed, so its package did too
    before = dump(phong)
    code, out, _ = khbc_cli("plan-import", str(tmp_path / "so-v2" / "KeHoach_SYT_v2.zip"), "--preview",
                            "--db", str(phong))
    assert code == 0 and dump(phong) == before and "tất cả cơ sở khám" in out
    code, out, err = khbc_cli("plan-import", str(tmp_path / "so-v2" / "KeHoach_SYT_v2.zip"), "--db", str(phong))
    assert code == 0, out + err

    for db in (so, phong):
        assert rows(db, "SELECT status, result FROM progress ORDER BY id") == results[db]
    # the Sở's own assignment to its phòng survived the amendment (only what the top changed was applied)
    assert rows(so, "SELECT u.name FROM task_cooperating_unit c JOIN unit u ON u.id = c.unit_id JOIN task t "
                    "ON t.id = c.task_id WHERE t.number = '1'") == [("Phòng Nghiệp vụ Y",)]
    phong_tasks = [t[1] for t in current_plan_tasks(phong)]
    assert phong_tasks == ["Kiểm tra an ninh mạng tại tất cả cơ sở khám, chữa bệnh",
                           "Tuyên truyền cho học sinh, sinh viên"]
    # the new task reached the Sở (it leads it) but not the phòng: the Sở has not given it to the phòng yet
    assert "Rà soát phần mềm quản lý bệnh viện" in [t[1] for t in current_plan_tasks(so)]
    top_text = {content for (content,) in rows(cat, "SELECT content FROM task")}
    assert set(phong_tasks) <= top_text and {t[1] for t in current_plan_tasks(so)} <= top_text
