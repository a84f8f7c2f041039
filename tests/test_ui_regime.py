"""Kế hoạch page: the clerk switches the plan to quarterly reports with its own cut-off; recorded progress stays."""

from __future__ import annotations

from datetime import date

from tests.ui_support import host, quiet_bus, shoot


def test_plan_page_sets_a_quarterly_regime_and_keeps_a_period_with_progress(qtbot, sample_workspace):
    from desktop.services.progress import record_progress
    from desktop.services.queries import list_periods
    from desktop.ui.pages.plan_page import PlanPage

    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026S1", "2", "in_progress", result="Đang tổ chức tập huấn.")
    bus = quiet_bus(sample_workspace)
    page = PlanPage(bus)
    window = host(qtbot, page, height=768)
    page.kind_checks["quarter"].setChecked(True)
    page.deadline_edits["quarter"].setText("18")
    page.kind_checks["half"].setChecked(False)
    page.own_cutoffs.setText("10/12")
    assert page.save(), bus.failures
    periods = {p.code: p for p in bus.read(list_periods, date(2026, 11, 22))}
    assert {"2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026", "2026S1"} <= set(periods)
    assert "2027S1" not in periods  # empty and no longer in the regime: gone
    assert periods["2026"].cutoff_end == date(2026, 12, 10)
    assert periods["2026Q2"].deadline == date(2026, 6, 18)
    assert page.regime_note.isVisibleTo(page) and "2026S1" in page.regime_note.text()
    assert page.own_cutoffs.text() == "10/12" and not page.has_unsaved_changes()
    shoot(window, "ke-hoach-che-do-quy")
    page.own_cutoffs.setText("31/4")
    assert not page.save()
    assert bus.failures and "31/4" in bus.failures[-1]
