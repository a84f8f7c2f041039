"""Changing a plan's reporting regime: periods follow, recorded progress is never dropped, the CLI says what happened."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.models import Period, Progress
from desktop.services.progress import record_progress
from desktop.services.regime import regime_change
from desktop.services.queries import current_plan


def _codes(workspace) -> list[str]:
    with workspace.unit_of_work() as session:
        return [p.code for p in current_plan(session).periods]


def test_quarterly_regime_adds_quarters_and_keeps_a_half_year_period_that_holds_progress(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026S1", "1", "done", result="Đã ban hành văn bản hướng dẫn.")
    with sample_workspace.unit_of_work() as session:
        change = regime_change(session, ("quarter", "year"), {"quarter": "18"}, ["10/12"])
    assert "2026Q1" in change.added and "2026Q4" in change.added
    assert change.kept == ("2026S1",)  # it holds a result: kept as it was
    assert "2027S1" in change.removed and "2026S1" not in change.removed
    assert any("Giữ nguyên kỳ đã có số liệu" in line and "2026S1" in line for line in change.describe())
    with sample_workspace.unit_of_work() as session:
        periods = {p.code: p for p in current_plan(session).periods}
        assert periods["2026"].cutoff_end == date(2026, 12, 10)
        assert periods["2027"].cutoff_start == date(2026, 12, 11)
        assert periods["2026Q2"].deadline == date(2026, 6, 18)
        kept = periods["2026S1"]
        result = session.scalar(select(Progress.result).where(Progress.period_id == kept.id))
    assert result == "Đã ban hành văn bản hướng dẫn."
    with sample_workspace.unit_of_work() as session:  # and back: the empty quarters go, nothing else
        back = regime_change(session, ("half", "year"), None, [])
    assert "2026Q1" in back.removed and back.kept == ()
    assert "2027S1" in back.added
    with sample_workspace.unit_of_work() as session:
        assert session.scalar(select(Period.cutoff_end).where(Period.code == "2026")) == date(2026, 12, 14)


def test_plan_regime_cli_sets_shows_and_refuses_nonsense(khbc_cli, sample_workspace, db_path):
    code, out, err = khbc_cli("plan-regime", "cumulative", "--deadline", "quarter=18", "--cutoff", "10/12",
                              "--db", str(db_path))
    assert code == 0, err
    assert "Chế độ báo cáo: quý, 6 tháng, 9 tháng, năm." in out and "10/12" in out
    assert "2026N9" in _codes(sample_workspace) and "2026Q1" in _codes(sample_workspace)
    code, out, err = khbc_cli("plan-regime", "--db", str(db_path))
    assert code == 0 and "quý trước ngày 18 (tháng cuối quý)" in out
    code, out, err = khbc_cli("plan-regime", "--cutoff", "31/4", "--db", str(db_path))
    assert code == 1 and "Lỗi: Ngày chốt số liệu không hợp lệ: ngày 31/4 không có trong lịch." in err
    before = _codes(sample_workspace)
    code, out, err = khbc_cli("plan-regime", "monthly", "--db", str(db_path))
    assert code == 1 and "Chế độ báo cáo không hợp lệ" in err and "Traceback" not in err
    assert _codes(sample_workspace) == before  # nothing changed by a refused command


def test_a_quarterly_report_names_its_quarter_and_window(khbc_cli, sample_workspace, db_path, tmp_path):
    import subprocess

    assert khbc_cli("plan-regime", "cumulative", "--db", str(db_path))[0] == 0
    for code in ("2026Q1", "2026N9"):
        out = tmp_path / f"{code}.pdf"
        status, _, err = khbc_cli("report", "--period", code, "--out", str(out), "--db", str(db_path))
        assert status == 0, err
        text = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                       check=True).stdout.split())
        words, window = {"2026Q1": ("quý I năm 2026", "từ ngày 15/12/2025 đến ngày 14/03/2026"),
                         "2026N9": ("9 tháng đầu năm 2026", "từ ngày 15/12/2025 đến ngày 14/09/2026")}[code]
        assert words in text and window in text
        assert "giai đoạn 2026-2026" not in text
