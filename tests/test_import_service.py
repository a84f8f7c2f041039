"""The import service and `khbc import-tasks`: preview, roles, adding to the appendix, duplicates, units, safety."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from db.models import AuditEntry, Task, TaskGroup, Unit
from desktop.errors import InvalidInputError, KhbcError
from desktop.services.queries import current_plan
from desktop.services.task_import import apply_import, check_import, preview_import, preview_text
from tests.import_helpers import seed_path, seed_text

THAI_NGUYEN = "ke-hoach-thai-nguyen-2026.txt"
DAK_NONG = "cong-van-dak-nong-2024.txt"
DAK_LAK = "ke-hoach-so-xay-dung-dak-lak-2026.txt"


def counts(workspace) -> tuple[int, int, int]:
    with workspace.unit_of_work() as session:
        return (session.scalar(select(func.count(Task.id))), session.scalar(select(func.count(Unit.id))),
                session.scalar(select(func.count(AuditEntry.id))))


# --- preview (no database) ---

def test_preview_marks_roles_and_ticks_only_the_departments_own_tasks():
    preview = preview_import(seed_path(THAI_NGUYEN), unit_name="Sở Y tế")
    assert preview.source == THAI_NGUYEN and preview.kind == "text" and preview.total == 28
    by_role = {role: [r.task.number for r in preview.rows_with_role(role)] for role in ("lead", "cooperate", "general")}
    assert by_role["lead"] == ["4.a", "5.b"] and by_role["cooperate"] == ["2.a", "2.b"]
    assert len(by_role["general"]) == 11 and preview.hidden == 13
    assert [r.task.number for r in preview.selected_rows()] == ["2.a", "2.b", "4.a", "5.b"]
    assert {r.own_unit for r in preview.selected_rows()} == {"Sở Y tế"}
    first = preview.to_json()[0]
    assert set(first) >= {"number", "content", "lead", "cooperating", "timeframe", "output", "role"}


def test_preview_role_filter_and_no_unit():
    lead_only = preview_import(str(seed_path(THAI_NGUYEN)), unit_name="Sở Y tế", role="lead")
    assert {r.role for r in lead_only.rows} == {"lead", "general"}
    assert [r.task.number for r in lead_only.selected_rows()] == ["4.a", "5.b"]
    everything = preview_import(seed_path(THAI_NGUYEN))
    assert len(everything.rows) == 28 and all(r.selected and r.role is None for r in everything.rows)
    assert "role" not in everything.to_json()[0]
    with pytest.raises(InvalidInputError):
        preview_import(seed_path(THAI_NGUYEN), role="lead")
    with pytest.raises(InvalidInputError):
        preview_import(seed_path(THAI_NGUYEN), unit_name="Sở Y tế", role="chủ trì")


def test_preview_of_pasted_text_and_of_nothing():
    pasted = preview_text(seed_text(DAK_NONG), unit_name="Sở Giáo dục và Đào tạo")
    assert pasted.source == "văn bản dán vào"
    assert [(r.task.number, r.role, r.selected) for r in pasted.rows] == [
        ("1.1", "general", False), ("1.2", "general", False), ("1.3", "general", False), ("1.4", "general", False),
        ("1.5", "general", False), ("1.6", "general", False), ("2.1", "lead", True), ("2.2", "lead", True)]
    assert preview_import("Dòng chữ\nkhông có nhiệm vụ").rows == []
    assert "Không tìm thấy nhiệm vụ" in preview_import("Dòng chữ\nkhông có nhiệm vụ").warnings[-1]
    with pytest.raises(InvalidInputError):
        preview_text("   ")
    with pytest.raises(InvalidInputError) as caught:
        preview_import("/khong/co/tep-nay.xlsx")
    assert "Không tìm thấy" in caught.value.message


def test_text_files_in_other_encodings(tmp_path):
    text = seed_text(DAK_NONG)
    expected = [r.task.to_json() for r in preview_import(seed_path(DAK_NONG)).rows]
    for codec in ("utf-8-sig", "utf-16", "cp1258"):
        path = tmp_path / f"cong-van-{codec}.txt"
        path.write_bytes(text.replace("\n", "\r\n").encode(codec, errors="strict") if codec != "cp1258"
                         else _cp1258(text))
        rows = preview_import(path).rows
        assert [{**r.task.to_json(), "source": ""} for r in rows] == [{**e, "source": ""} for e in expected], codec


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks combining."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        marks = "".join(c for c in parts if c in tones)
        out.append((base + marks).encode("cp1258", errors="replace"))
    return b"".join(out)


def test_binary_text_file_is_refused_clearly(tmp_path):
    path = tmp_path / "anh.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InvalidInputError) as caught:
        preview_import(path)
    assert "UTF-8" in caught.value.message


# --- applying to the database ---

def test_apply_adds_after_the_existing_tasks_and_links_known_units(sample_workspace):
    preview = preview_import(seed_path(THAI_NGUYEN), unit_name="Sở Y tế")
    with sample_workspace.unit_of_work() as session:
        check = check_import(session, preview.selected_rows())
        assert "Sở Giáo dục và Đào tạo" in check.unknown_units and "Công an tỉnh" not in check.unknown_units
        assert check.duplicates == []
        summary = apply_import(session, preview.selected_rows(), set(), source=preview.source)
    assert summary.added == 4 and summary.numbers == ["10", "11", "12", "13"]
    assert summary.created_units == [] and "Sở Giáo dục và Đào tạo" in summary.unlinked_units
    with sample_workspace.unit_of_work() as session:
        plan = current_plan(session)
        tasks = {t.number: t for t in plan.tasks}
        assert [t.position for t in plan.tasks] == list(range(1, 14))
        lead_task = tasks["12"]
        assert lead_task.content.startswith("Tổ chức tư vấn, hỗ trợ tâm lý cho trẻ em")
        assert lead_task.lead_unit.name == "Sở Y tế"  # the sample's existing unit
        assert [u.name for u in lead_task.cooperating_units] == ["Công an tỉnh"]
        assert "Phối hợp (chưa có trong danh mục đơn vị): Sở Giáo dục và Đào tạo, UBND các xã, phường" in lead_task.note
        assert "Nhập từ ke-hoach-thai-nguyen-2026.txt, mục 4.a." in lead_task.note
        assert lead_task.timeframe_text == "Thường xuyên" and lead_task.timeframe["kind"] == "continuous"
        coop_task = tasks["10"]
        assert coop_task.lead_unit.name == "Công an tỉnh"
        assert [u.name for u in coop_task.cooperating_units] == ["Sở Y tế"]
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert [a.new_value for a in audit] == ["Nhập 4 nhiệm vụ từ ke-hoach-thai-nguyen-2026.txt"]


def test_importing_the_same_file_twice_does_not_duplicate(sample_workspace):
    preview = preview_import(seed_path(DAK_LAK))
    with sample_workspace.unit_of_work() as session:
        first = apply_import(session, preview.rows, set())
    assert first.added == 0 and first.skipped_duplicates == 9  # the sample plan is this very appendix
    other = preview_import(seed_path(THAI_NGUYEN), unit_name="Công an tỉnh")
    with sample_workspace.unit_of_work() as session:
        added = apply_import(session, other.selected_rows(), set()).added
    before = counts(sample_workspace)
    with sample_workspace.unit_of_work() as session:
        assert check_import(session, other.selected_rows()).duplicates == list(range(len(other.selected_rows())))
        again = apply_import(session, other.selected_rows(), set())
    assert added == 24 and again.added == 0 and again.skipped_duplicates == 24
    assert again.outcomes == ["duplicate"] * 24
    assert counts(sample_workspace) == before


def test_unknown_units_are_created_only_when_chosen(sample_workspace):
    preview = preview_import(seed_path(DAK_NONG), unit_name="Sở Giáo dục và Đào tạo")
    rows = preview.selected_rows()
    with sample_workspace.unit_of_work() as session:
        assert check_import(session, rows).unknown_units == ["Sở Giáo dục và Đào tạo"]
        summary = apply_import(session, rows, {"sở giáo dục và đào tạo"}, with_groups=True)
    assert summary.created_units == ["Sở Giáo dục và Đào tạo"] and summary.added == 2
    with sample_workspace.unit_of_work() as session:
        unit = session.scalar(select(Unit).where(Unit.name == "Sở Giáo dục và Đào tạo"))
        assert unit is not None and unit.is_internal is False
        tasks = session.scalars(select(Task).where(Task.lead_unit_id == unit.id)).all()
        assert [t.number for t in tasks] == ["10", "11"]
        group = session.scalar(select(TaskGroup).where(TaskGroup.id == tasks[0].group_id))
        assert group.title == "Giao Sở Giáo dục và Đào tạo" and group.number == "2"
        assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "unit")) == 1


def test_apply_without_a_plan_writes_nothing(db_path):
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace

    fresh_database(db_path, sample=False)
    workspace = Workspace.open(db_path)
    try:
        rows = preview_import(seed_path(DAK_NONG)).rows
        with pytest.raises(InvalidInputError):
            with workspace.unit_of_work() as session:
                apply_import(session, rows, {"Sở Giáo dục và Đào tạo"})
        assert counts(workspace) == (0, 0, 0)
    finally:
        workspace.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(payload=st.one_of(st.binary(max_size=600), st.text(max_size=600).map(lambda t: t.encode("utf-8"))),
       suffix=st.sampled_from([".txt", ".xlsx", ".docx", ".csv", ""]))
def test_fuzzed_files_raise_only_clear_errors_and_write_nothing(sample_workspace, tmp_path, payload, suffix):
    before = counts(sample_workspace)
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(payload)
    try:
        preview = preview_import(path, unit_name="Sở Y tế")
    except KhbcError as exc:
        assert exc.message and "Traceback" not in exc.message
    else:
        assert all(r.task.content for r in preview.rows)
    assert counts(sample_workspace) == before


# --- the command line ---

def _wired_into_khbc() -> bool:
    from desktop.cli import build_parser

    subparsers = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return bool(subparsers) and "import-tasks" in subparsers[0].choices


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """`khbc …` through desktop.cli.main once import-tasks is wired there, else through the same sub-parser."""
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8"))
    if _wired_into_khbc():
        from desktop.cli import main

        code = main(list(argv))
    else:
        from desktop.cli import _db_option
        from desktop.cli_import import IMPORT_COMMANDS, add_import_commands

        parser = argparse.ArgumentParser(prog="khbc")
        add_import_commands(parser.add_subparsers(dest="command"), _db_option)
        args = parser.parse_args(list(argv))
        try:
            code = IMPORT_COMMANDS[args.command](args)
        except KhbcError as exc:  # what desktop.cli.main does with every command
            print(f"Lỗi: {exc.message}", file=sys.stderr)
            code = 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_dry_run_json(capsys, db_path):
    code, out, err = run(capsys, "import-tasks", str(seed_path(DAK_NONG)), "--unit", "Sở Giáo dục và Đào tạo",
                         "--dry-run", "--json", "--db", str(db_path))
    assert code == 0
    data = json.loads(out)
    assert [(t["number"], t["role"]) for t in data] == [
        ("1.1", "general"), ("1.2", "general"), ("1.3", "general"), ("1.4", "general"), ("1.5", "general"),
        ("1.6", "general"), ("2.1", "lead"), ("2.2", "lead")]
    assert data[6]["lead"] == ["Sở Giáo dục và Đào tạo"] and data[6]["cooperating"] == []
    assert "Đọc được 13 nhiệm vụ" in err
    assert not db_path.exists()  # a dry run never opens the database


def test_cli_imports_into_the_plan(capsys, db_path, sample_db):
    from desktop.cli import main

    capsys.readouterr()
    code, out, _ = run(capsys, "import-tasks", str(seed_path(THAI_NGUYEN)), "--unit", "Sở Y tế", "--role", "lead",
                       "--include-general", "--create-units", "--db", str(db_path))
    assert code == 0 and "Đã thêm 13 nhiệm vụ vào phụ lục (số 10–22)." in out
    assert "Đã tạo đơn vị mới:" in out
    main(["tasks", "--json", "--db", str(db_path)])
    tasks = json.loads(capsys.readouterr().out)
    assert len(tasks) == 22 and tasks[9]["lead"] == "Sở Khoa học và Công nghệ"  # 1.a, a general task
    assert tasks[12]["lead"] == "Sở Y tế" and tasks[12]["content"].startswith("Tổ chức tư vấn, hỗ trợ tâm lý")
    code, out, _ = run(capsys, "import-tasks", str(seed_path(THAI_NGUYEN)), "--unit", "Sở Y tế", "--role", "lead",
                       "--include-general", "--db", str(db_path))
    assert code == 0 and "Đã thêm 0 nhiệm vụ vào phụ lục; bỏ qua 13 nhiệm vụ đã có." in out


def test_cli_reads_standard_input(capsys, db_path, monkeypatch):
    code, out, _ = run(capsys, "import-tasks", "-", "--dry-run", "--json", stdin=seed_text(DAK_LAK),
                       monkeypatch=monkeypatch)
    assert code == 0 and [t["number"] for t in json.loads(out)] == [str(i) for i in range(1, 10)]


@pytest.mark.parametrize("argv, message", [
    (["import-tasks", "khong-co.xlsx", "--dry-run"], "Không tìm thấy tệp"),
    (["import-tasks", "PLACEHOLDER", "--role", "lead", "--dry-run"], "--role cần đi kèm --unit"),
])
def test_cli_errors_are_one_vietnamese_line(capsys, argv, message):
    argv = [str(seed_path(DAK_LAK)) if a == "PLACEHOLDER" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    assert err.startswith("Lỗi: ") and message in err and err.count("\n") == 1


def test_cli_refuses_a_file_without_tasks(capsys, tmp_path, db_path):
    path = tmp_path / "thu-moi.txt"
    path.write_text("Kính mời đồng chí dự họp.", encoding="utf-8")
    code, _, err = run(capsys, "import-tasks", str(path), "--db", str(db_path))
    assert code == 1 and "Không tìm thấy nhiệm vụ nào" in err
    assert not db_path.exists()


def test_csv_files_and_remapping_a_pasted_table(tmp_path):
    path = tmp_path / "nhiem-vu.csv"
    path.write_text("STT;Nội dung;Cơ quan chủ trì;Thời hạn\n1;Rà soát văn bản;Sở Tư pháp;Năm 2026\n"
                    "2;\"Tập huấn; hội thảo\";Sở Nội vụ;2027\n", encoding="utf-8-sig")
    preview = preview_import(path)
    assert preview.kind == "csv"
    assert [(r.task.number, r.task.content, r.task.lead, r.task.timeframe) for r in preview.rows] == [
        ("1", "Rà soát văn bản", ["Sở Tư pháp"], "Năm 2026"), ("2", "Tập huấn; hội thảo", ["Sở Nội vụ"], "2027")]
    pasted = "TT\tNội dung\tGhi chú\tThời hạn\n1\tKiểm tra\tSở Y tế\tQuý I/2027\n"
    first = preview_text(pasted)
    assert first.mapping.columns == {"number": 0, "content": 1, "timeframe": 3}
    assert first.rows[0].task.lead == []
    again = preview_text(pasted, mapping=first.mapping.with_columns({**first.mapping.columns, "lead": 2}))
    assert again.rows[0].task.lead == ["Sở Y tế"] and again.mapping.columns["lead"] == 2


def test_workspace_helpers_for_the_gui(sample_workspace):
    from desktop.services.task_import import check_in, import_rows

    rows = preview_import(seed_path(THAI_NGUYEN), unit_name="Sở Y tế", role="lead").selected_rows()
    assert check_in(sample_workspace, rows).matched_units == {}
    summary = import_rows(sample_workspace, rows, source="kh.txt")
    assert summary.added == 2 and counts(sample_workspace)[0] == 11


def test_a_suspiciously_long_task_is_shown_unticked_and_never_written(sample_workspace):
    text = ("TT\tNội dung nhiệm vụ\tĐơn vị chủ trì\n1\tKiểm tra ATTT\tVăn phòng Sở\n"
            "2\t" + "Nội dung rất dài " * 400 + "\tVăn phòng Sở\n")
    preview = preview_text(text)
    assert [r.selected for r in preview.rows] == [True, False]
    assert any("quá dài" in w and "chưa được chọn" in w for w in preview.warnings)
    before = counts(sample_workspace)
    with pytest.raises(InvalidInputError):
        with sample_workspace.unit_of_work() as session:
            apply_import(session, preview.rows, set())
    assert counts(sample_workspace) == before
