"""What a page shows, read in one transaction as a plain bundle (one refresh, one read), and the report preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.domain.periods import chosen_period_code, current_period
from desktop.domain.rows import OverviewScreen, PeriodRow, TaskRow
from desktop.services.documents import (
    ReportFreshness, font_path, report_document, report_freshness, write_document,
)
from desktop.services.profile import TargetRow, UnitRow, list_targets, list_units
from desktop.services.progress import TargetFigureRow, list_target_figures
from desktop.services.queries import current_plan, list_periods, list_tasks
from desktop.services.regime import current_regime
from desktop.services.signing import SigningSettings, load_settings
from desktop.services.ui_overview import (
    DepartmentForm, PlanForm, ReportForm, UserSettings, department_form, plan_form, report_form, user_settings,
)
from desktop.services.ui_support import ProgressDetail, current_period_code, progress_detail
from desktop.services.unit_reports import UnitTaskReport, has_unit_reports, task_reports


@dataclass(frozen=True)
class AppendixScreen:
    """The "Phụ lục nhiệm vụ" page: the plan's years, the units, the period shown and its task rows."""

    years: tuple[int, int] | None
    units: list[UnitRow]
    period: PeriodRow | None
    rows: list[TaskRow]


def appendix_screen(session: Session, period_code: str | None, today: date) -> AppendixScreen:
    """`period_code`: the period chosen on another page, else the one the clerk works toward today."""
    units = list_units(session)
    plan = current_plan(session, required=False)
    if plan is None:  # nothing to show yet; the first-run wizard leads to a plan
        return AppendixScreen(None, units, None, [])
    code = period_code or current_period_code(session, today)
    period = next((p for p in list_periods(session, today) if p.code == code), None) if code else None
    rows = list_tasks(session, period.code if period else None, today)
    return AppendixScreen((plan.start_year, plan.end_year), units, period, rows)


@dataclass(frozen=True)
class ProgressScreen:
    """The "Cập nhật kết quả" page: the periods, the one shown, its task rows and target figures, and the
    result of the task shown in the editor."""

    periods: list[PeriodRow]
    code: str | None
    rows: list[TaskRow]
    figures: list[TargetFigureRow]
    task_id: int | None
    detail: ProgressDetail | None
    received: bool = False  # some lower unit's package was received for the period (the drafting buttons show)
    reports: tuple[UnitTaskReport, ...] = ()  # what each unit reported for the task shown


@dataclass(frozen=True)
class TaskPanel:
    """The editor's task moved to another one: its result and what each unit reported for it."""

    detail: ProgressDetail | None
    reports: tuple[UnitTaskReport, ...]


def task_panel(session: Session, period_code: str, task_id: int) -> TaskPanel:
    return TaskPanel(progress_detail(session, period_code, task_id),
                     tuple(task_reports(session, period_code, task_id)))


def progress_screen(session: Session, period_code: str | None, today: date, task_id: int | None,
                    first_states: frozenset[str]) -> ProgressScreen:
    """`period_code`: the period chosen (else the one the clerk works toward today, else the first);
    `task_id`: the task shown (else the first in a state of `first_states`, else the first)."""
    periods = list_periods(session, today)
    code = period_code or current_period_code(session, today)
    if code not in {p.code for p in periods}:
        code = periods[0].code if periods else None
    if code is None:
        return ProgressScreen(periods, None, [], [], None, None)
    rows = list_tasks(session, code, today)
    if task_id not in {row.id for row in rows}:
        first = next((row for row in rows if row.state in first_states), rows[0] if rows else None)
        task_id = first.id if first else None
    panel = task_panel(session, code, task_id) if task_id is not None else None
    return ProgressScreen(periods, code, rows, list_target_figures(session, code), task_id,
                          panel.detail if panel else None, has_unit_reports(session, code),
                          panel.reports if panel else ())


@dataclass(frozen=True)
class SettingsScreen:
    """The "Cài đặt" page: the department, the user's settings, the units and the ký số settings."""

    department: DepartmentForm
    user: UserSettings
    units: list[UnitRow]
    signing: SigningSettings


def settings_screen(session: Session) -> SettingsScreen:
    return SettingsScreen(department_form(session), user_settings(session), list_units(session),
                          load_settings(session))


def overview_screen(session: Session, today: date) -> OverviewScreen:
    """The current period and its tasks; whether the appendix is empty is asked only when no period is ahead
    (with a period, its task list is the whole appendix)."""
    periods = list_periods(session, today)
    period = current_period(periods, today) if periods else None
    tasks = list_tasks(session, period.code, today) if period is not None else []
    empty = not tasks if period is not None else not list_tasks(session, None, today)
    return OverviewScreen(today, periods, period, tasks, empty)


@dataclass(frozen=True)
class PlanScreen:
    """The "Kế hoạch" page: the plan's form, the periods kept outside its regime, its targets."""

    form: PlanForm
    kept: tuple[str, ...]
    targets: list[TargetRow]


def plan_screen(session: Session) -> PlanScreen:
    return PlanScreen(plan_form(session), tuple(current_regime(session).kept), list_targets(session))


@dataclass(frozen=True)
class ReportView:
    """One period's report form, and how fresh its text is (None when the period is locked)."""

    form: ReportForm
    freshness: ReportFreshness | None


def report_view(session: Session, period_code: str) -> ReportView:
    form = report_form(session, period_code)
    return ReportView(form, None if form.locked else report_freshness(session, form.period_code))


@dataclass(frozen=True)
class ReportScreen:
    """The "Báo cáo" page: the periods, the one chosen (`chosen_period_code`) and its report."""

    periods: list[PeriodRow]
    code: str | None
    view: ReportView | None


def report_screen(session: Session, wanted: str | None, today: date) -> ReportScreen:
    periods = list_periods(session, today)
    code = chosen_period_code(periods, wanted, today)
    return ReportScreen(periods, code, report_view(session, code) if code else None)


def write_report_preview(session: Session, period_code: str, today: date, out: Path) -> Path:
    """The period's report as a PDF at `out`, for the preview (a read: nothing is stored)."""
    return write_document(report_document(session, period_code, today), "pdf", out, font_path(session))
