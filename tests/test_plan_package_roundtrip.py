"""The plan package going down, through the CLI: the Sở exports its plan, a unit imports its own tasks."""

from __future__ import annotations

import json

from tests.plan_helpers import current_plan_tasks, dump, lower_database, rows, upper_database

CNTT = dict(parent_agency="SỞ XÂY DỰNG", name="TRUNG TÂM CNTT", name_in_text="Các đơn vị cung cấp dịch vụ CNTT",
            abbreviation="CNTT", unit_code="DLK-CNTT", place_name="Đắk Lắk")


def _export(khbc_cli, upper, out) -> str:
    code, stdout, stderr = khbc_cli("plan-export", str(out), "--db", str(upper))
    assert code == 0, stderr
    return stdout


def test_export_then_import_gives_the_unit_its_own_tasks_with_their_upper_identifiers(khbc_cli, tmp_path):
    upper = upper_database(tmp_path / "so")
    stdout = _export(khbc_cli, upper, tmp_path / "out")
    package = tmp_path / "out" / "KeHoach_SXD_v1.zip"
    assert package.is_file() and "phiên bản 1" in stdout and "9 nhiệm vụ, 3 đơn vị" in stdout
    upper_tasks = rows(upper, "SELECT number, content, uid, timeframe_text, expected_output FROM task ORDER BY position")

    office = lower_database(tmp_path / "vp")  # Văn phòng Sở leads every task of the sample
    before = dump(office)
    code, stdout, _ = khbc_cli("plan-import", str(package), "--preview", "--db", str(office))
    assert code == 0 and "Đơn vị của bạn trong kế hoạch: Văn phòng Sở." in stdout
    assert "Sẽ tạo kế hoạch với 9/9 nhiệm vụ" in stdout and "(Chủ trì)" in stdout
    assert dump(office) == before  # a preview writes nothing
    code, stdout, stderr = khbc_cli("plan-import", str(package), "--db", str(office))
    assert code == 0, stderr
    assert "Đã nhập Kế hoạch" in stdout and "với 9 nhiệm vụ của đơn vị" in stdout
    imported = rows(office, "SELECT number, content, upper_uid, timeframe_text, expected_output, uid FROM task "
                            "ORDER BY position")
    assert [r[:5] for r in imported] == [tuple(r) for r in upper_tasks]  # nothing retyped, each linked up
    assert {r[5] for r in imported}.isdisjoint({r[2] for r in upper_tasks})  # the unit's own uids are its own
    [(upper_plan_uid, version, report_to, periods)] = rows(
        office, "SELECT upper_plan_uid, upper_version, report_to, (SELECT count(*) FROM period p WHERE p.plan_id = "
                "plan.id) FROM plan")
    assert upper_plan_uid == rows(upper, "SELECT uid FROM plan")[0][0] and version == 1
    assert report_to == "Sở Xây dựng" and periods == rows(upper, "SELECT count(*) FROM period")[0][0]
    assert rows(office, "SELECT content FROM target ORDER BY position") == rows(
        upper, "SELECT content FROM target ORDER BY position")
    log = rows(office, "SELECT action, entity, new_value FROM audit_entry WHERE entity IN ('plan', 'task')")
    assert ("import", "plan") in {(a, e) for a, e, _ in log} and sum(1 for a, e, _ in log if a == "create" and e == "task") == 9

    again = dump(office)
    code, _out, stderr = khbc_cli("plan-import", str(package), "--db", str(office))
    assert code == 1 and stderr.startswith("Lỗi: Phiên bản 1 của Kế hoạch") and "đã được nhập trước đây" in stderr
    assert dump(office) == again

    cntt = lower_database(tmp_path / "cntt", "cntt", CNTT)  # cooperates on task 3 only
    code, stdout, stderr = khbc_cli("plan-import", str(package), "--db", str(cntt))
    assert code == 0, stderr
    assert "Sẽ tạo kế hoạch với 1/9 nhiệm vụ" in stdout and "  + 3. Rà soát" in stdout
    # given to "Các phòng chuyên môn": offered with their codes, not ticked
    assert "Nhiệm vụ giao chung có thể nhận thêm (8; dùng --task MÃ):" in stdout
    assert [(number, upper_uid) for number, _c, _l, upper_uid, _s in current_plan_tasks(cntt)] == [
        ("3", upper_tasks[2][2])]


def test_the_unit_can_be_named_on_the_command_line_and_more_tasks_taken(khbc_cli, tmp_path):
    upper = upper_database(tmp_path / "so")
    _export(khbc_cli, upper, tmp_path / "out")
    package = tmp_path / "out" / "KeHoach_SXD_v1.zip"
    lower = lower_database(tmp_path / "x", department=dict(CNTT, name="PHÒNG KHÁC", name_in_text="Phòng Khác",
                                                                unit_code="KHAC"))
    before = dump(lower)
    code, _out, stderr = khbc_cli("plan-import", str(package), "--db", str(lower))
    assert code == 1 and "Không tìm thấy đơn vị của bạn" in stderr and "Văn phòng Sở" in stderr
    code, _out, stderr = khbc_cli("plan-import", str(package), "--unit", "Phòng Không Có", "--db", str(lower))
    assert code == 1 and "Không có đơn vị \"Phòng Không Có\"" in stderr
    assert dump(lower) == before
    first = rows(upper, "SELECT uid FROM task WHERE number = '1'")[0][0]
    code, _out, stderr = khbc_cli("plan-import", str(package), "--unit", "các đơn vị cung cấp dịch vụ cntt",
                                  "--task", first, "--db", str(lower))
    assert code == 0, stderr
    assert [t[0] for t in current_plan_tasks(lower)] == ["1", "3"]


def test_exporting_an_unchanged_plan_keeps_its_version_and_a_change_makes_the_next(khbc_cli, tmp_path):
    from desktop.services import appendix
    from desktop.services.workspace import Workspace

    upper = upper_database(tmp_path / "so")
    _export(khbc_cli, upper, tmp_path / "a")
    stdout = _export(khbc_cli, upper, tmp_path / "b")
    assert (tmp_path / "b" / "KeHoach_SXD_v1.zip").is_file() and "chưa thay đổi" in stdout
    code, _out, stderr = khbc_cli("plan-export", str(tmp_path / "b"), "--db", str(upper))
    assert code == 1 and "đã có tệp KeHoach_SXD_v1.zip" in stderr
    workspace = Workspace.open(upper)
    try:
        with workspace.unit_of_work() as session:
            appendix.update_task(session, rows(upper, "SELECT id FROM task WHERE number = '2'")[0][0],
                                 timeframe_text="Quý IV/2026")
    finally:
        workspace.close()
    stdout = _export(khbc_cli, upper, tmp_path / "b")
    assert (tmp_path / "b" / "KeHoach_SXD_v2.zip").is_file() and "phiên bản 2: phiên bản mới" in stdout
    exports = rows(upper, "SELECT new_value FROM audit_entry WHERE action = 'export' AND entity = 'plan'")
    assert len(exports) == 3 and "KeHoach_SXD_v2.zip (gói kế hoạch phiên bản 2" in exports[-1][0]


def test_the_package_says_who_leads_and_cooperates_and_carries_an_outline(khbc_cli, tmp_path):
    import zipfile

    from desktop.bundle.plan_package import verify_plan_file

    upper = upper_database(tmp_path / "so")
    _export(khbc_cli, upper, tmp_path / "out")
    path = tmp_path / "out" / "KeHoach_SXD_v1.zip"
    check = verify_plan_file(path)
    assert check.ok, check.problems
    with zipfile.ZipFile(path) as zf:
        assert sorted(zf.namelist()) == ["manifest.json", "plan.json"]
        data = json.loads(zf.read("plan.json"))
    units = {u["name"]: u for u in data["units"]}
    assert len(units["Văn phòng Sở"]["leads"]) == 9 and units["Các đơn vị cung cấp dịch vụ CNTT"]["cooperates"] == [
        data["tasks"][2]["uid"]]
    assert data["plan"]["schedule"]["deadlines"] == {"half": "10/6", "year": "10/12"}
    assert data["outline"] is None  # optional: carried when the plan has one
