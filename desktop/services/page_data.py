"""What a page shows, read in one transaction as a plain bundle (one refresh, one read), and the report preview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.domain.rows import PeriodRow, TaskRow
from desktop.services.documents import font_path, report_document, write_document
from desktop.services.profile import UnitRow, list_units
from desktop.services.queries import list_periods, list_tasks
from desktop.services.setup import current_plan
from desktop.services.ui_support import current_period_code


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


def write_report_preview(session: Session, period_code: str, today: date, out: Path) -> Path:
    """The period's report as a PDF at `out`, for the preview (a read: nothing is stored)."""
    return write_document(report_document(session, period_code, today), "pdf", out, font_path(session))
