"""The `khbc` command line end to end: init, periods, tasks, progress, timeframe, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_sample_is_idempotent(capsys, db_path):
    code, out, _ = run(capsys, "init", "--sample", "--db", str(db_path))
    assert code == 0 and "Đã nạp kế hoạch mẫu" in out
    first = json.loads(run(capsys, "tasks", "--json", "--db", str(db_path))[1])
    code, out, _ = run(capsys, "init", "--sample", "--db", str(db_path))
    assert code == 0 and "không nạp lại" in out
    second = json.loads(run(capsys, "tasks", "--json", "--db", str(db_path))[1])
    assert first == second and len(second) == 9


def test_tasks_for_2026_list_the_nine_tasks_with_units_and_states(capsys, db_path, sample_db):
    code, out, _ = run(capsys, "tasks", "--period", "2026", "--json", "--db", str(db_path))
    assert code == 0
    tasks = json.loads(out)
    assert [t["number"] for t in tasks] == [str(i) for i in range(1, 10)]
    assert all(t["lead"] == "Văn phòng Sở" for t in tasks)
    assert tasks[2]["cooperating"] == ["Các đơn vị cung cấp dịch vụ CNTT"]
    by_number = {t["number"]: t for t in tasks}
    # Today is 22/11/2026 in the tests: Quý III/2026 passed without a completed status.
    assert by_number["1"]["state"] == "late"
    assert by_number["3"]["state"] == "ongoing"  # Thường xuyên
    assert by_number["8"]["state"] in ("due", "late")  # 10/6 and 10/12 fall in 2026
    assert all(t["progress"] is None for t in tasks)


def test_progress_is_recorded_and_shown(capsys, db_path, sample_db):
    code, out, _ = run(capsys, "progress", "--period", "2026", "--task", "1", "--status", "done",
                       "--result", "Đã ban hành Kế hoạch số 120/KH-SXD.", "--db", str(db_path))
    assert code == 0 and "Đã hoàn thành" in out
    tasks = json.loads(run(capsys, "tasks", "--period", "2026", "--json", "--db", str(db_path))[1])
    first = tasks[0]
    assert first["progress"]["status"] == "done"
    assert first["progress"]["result"] == "Đã ban hành Kế hoạch số 120/KH-SXD."
    assert first["state"] == "due"
    # The same entry updated, not duplicated.
    run(capsys, "progress", "--period", "2026", "--task", "1", "--status", "in_progress", "--db", str(db_path))
    tasks = json.loads(run(capsys, "tasks", "--period", "2026", "--json", "--db", str(db_path))[1])
    assert tasks[0]["progress"]["status"] == "in_progress"
    assert tasks[0]["progress"]["result"] == "Đã ban hành Kế hoạch số 120/KH-SXD."


def test_periods_carry_windows_deadlines_and_states(capsys, db_path, sample_db):
    code, out, _ = run(capsys, "periods", "--json", "--db", str(db_path))
    periods = {p["code"]: p for p in json.loads(out)}
    assert code == 0
    assert periods["2026S1"]["title"] == "6 tháng đầu năm 2026"
    assert periods["2026S1"]["cutoff_start"] == "2025-12-15"
    assert periods["2026S1"]["cutoff_end"] == "2026-06-14"
    assert periods["2026S1"]["deadline"] == "2026-06-10"
    assert periods["2026"]["cutoff_end"] == "2026-12-14"
    assert periods["2026"]["deadline"] == "2026-12-10"
    assert periods["2026"]["state"] == "open"
    assert periods["2026S1"]["state"] == "overdue"
    assert {"2027S1", "2030"} <= set(periods)


def test_text_output_is_a_readable_table(capsys, db_path, sample_db):
    code, out, _ = run(capsys, "tasks", "--period", "2026", "--db", str(db_path))
    assert code == 0
    assert "Nội dung nhiệm vụ" in out and "Chậm tiến độ" in out


@pytest.mark.parametrize("argv, message", [
    (["tasks", "--period", "2099"], "Không có kỳ báo cáo \"2099\""),
    (["tasks", "--period", "abc"], "Không có kỳ báo cáo"),
    (["progress", "--period", "2026", "--task", "42", "--status", "done"], "Không có nhiệm vụ số \"42\""),
])
def test_errors_are_one_vietnamese_line_and_nonzero(capsys, db_path, argv, message, sample_db):
    code, out, err = run(capsys, *argv, "--db", str(db_path))
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_bad_status_is_refused_by_the_parser_in_vietnamese(capsys, db_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["progress", "--period", "2026", "--task", "1", "--status", "xong", "--db", str(db_path)])
    assert exit_info.value.code == 2
    assert "lựa chọn không hợp lệ" in capsys.readouterr().err


def test_commands_on_an_empty_database_explain_what_to_do(capsys, db_path):
    code, _, err = run(capsys, "tasks", "--db", str(db_path))
    assert code == 1 and "khbc init --sample" in err


def test_timeframe_command_prints_the_parsed_form(capsys):
    code, out, _ = run(capsys, "timeframe", "Định kỳ trước ngày 10/6 và 10/12 hàng năm", "--years", "2026-2027",
                       "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "recurring"
    assert data["deadlines"] == ["2026-06-10", "2026-12-10", "2027-06-10", "2027-12-10"]
    code, out, _ = run(capsys, "timeframe", "Quý III/2026 và duy trì", "--json")
    data = json.loads(out)
    assert data["kind"] == "deadline" and data["deadlines"] == ["2026-09-30"] and data["continues"] is True


def test_bad_years_are_refused(capsys):
    code, _, err = run(capsys, "timeframe", "Hàng năm", "--years", "2030-2026", "--json")
    assert code == 1 and "--years" in err


def test_db_defaults_to_the_environment_variable(capsys, db_path, monkeypatch):
    monkeypatch.setenv("KHBC_DB", str(db_path))
    assert run(capsys, "init", "--sample")[0] == 0
    assert db_path.exists()


def test_default_location_is_the_user_data_folder(capsys, tmp_path):
    code, out, _ = run(capsys, "init")
    assert code == 0
    location = out.splitlines()[0].split(": ", 1)[1]
    assert Path(location).name == "khbc.sqlite3"
    assert str(tmp_path) in location  # the test's XDG_DATA_HOME, not the real home


def test_version_and_module_entry_point():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "desktop.cli", "--version"], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=60)
    assert result.returncode == 0
    assert result.stdout.startswith("KHBC ")


@pytest.mark.parametrize("command", [["reopen", "--period", "2026"], ["sign-settings"], ["tasks"]])
def test_a_stray_database_url_is_refused_without_repeating_its_password(khbc_cli, tmp_path, command):
    url = "postgresql+psycopg://nguoi:MatKhau-b1mat@127.0.0.1:1/khbc"
    code, out, err = khbc_cli(*command, "--db", str(tmp_path / "d.sqlite3"), url)
    assert code == 2
    assert "tham số không nhận ra: postgresql+psycopg://nguoi:***@127.0.0.1:1/khbc" in err
    assert "MatKhau" not in out + err
