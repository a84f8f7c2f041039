"""What the package pages (Gửi báo cáo, Tổng hợp) show, each refresh read in one transaction as a plain bundle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from desktop.domain.periods import chosen_period_code, parse_period_code
from desktop.domain.rows import PeriodRow
from desktop.errors import KhbcError
from desktop.services.bundles import ExportRow, export_rows, submission_rows
from desktop.services.collect import CollectResult, ExpectedUnitRow, collect, expected_unit_rows
from desktop.services.queries import list_periods
from desktop.services.review import ReceiptRow, receipt_rows, unit_review_states
from desktop.services.ui_overview import SendState, has_plan, plan_form, send_state


@dataclass(frozen=True)
class SendScreen:
    """The "Gửi báo cáo" page: where reports go, the periods, the one chosen and its sending state, the packages
    exported (oldest first) and the receipts the upper level sent back."""

    report_to: str
    periods: list[PeriodRow]
    code: str | None
    state: SendState | None
    exports: list[ExportRow]
    receipts: list[ReceiptRow]


def send_screen(session: Session, wanted: str | None, today: date) -> SendScreen:
    """`wanted`: the period the page's chooser keeps (see `chosen_period_code`)."""
    periods = list_periods(session, today)
    code = chosen_period_code(periods, wanted, today)
    return SendScreen(plan_form(session).report_to, periods, code, send_state(session, code) if code else None,
                      export_rows(session), receipt_rows(session))


def period_title(code: str) -> str:
    try:
        return parse_period_code(code).title
    except KhbcError:
        return code


def period_order(code: str) -> tuple:
    """2026Q1, 2026S1, 2026N9, 2026, 2026-2030, 2027S1 …: by year, the parts of a year before it, a phase last."""
    suffix = code.upper()[4:]
    rank = {"Q1": 0, "Q2": 1, "S1": 2, "Q3": 3, "N9": 4, "Q4": 5, "": 6}.get(suffix, 7)
    return code[:4], rank, code


@dataclass(frozen=True)
class CollectView:
    """One period on the receiving side: who reported and how each report was reviewed; or why it cannot show."""

    result: CollectResult | None
    reviews: dict[str, tuple[str, str]]
    error: str | None = None  # the Vietnamese message when the period cannot be collected (e.g. a mistyped code)


def collect_view(session: Session, period_code: str, today: date) -> CollectView:
    try:
        result = collect(session, period_code, today)
    except KhbcError as exc:
        return CollectView(None, {}, exc.message)
    return CollectView(result, unit_review_states(session, result.period_code))


@dataclass(frozen=True)
class CollectScreen:
    """The "Tổng hợp" page: the periods to choose from as (code, title) in order, the one shown, the units
    expected to report, and that period's view (None when no period is shown)."""

    periods: list[tuple[str, str]]
    chosen: str
    code: str | None
    expected: list[ExpectedUnitRow]
    view: CollectView | None


def collect_screen(session: Session, wanted: str | None, selected: str | None, today: date) -> CollectScreen:
    """`wanted`: the period asked for (the chooser's, or the one just imported); else the last one received,
    else `selected` (chosen on another page), else this year. `code` is what the chooser then reads back: the
    first period bearing the wanted one's title."""
    titles: dict[str, str] = {}
    if has_plan(session):
        titles.update({p.code: p.title for p in list_periods(session, today)})
    received = submission_rows(session)
    for row in received:
        titles.setdefault(row.period_code, period_title(row.period_code))
    wanted = wanted or (received[-1].period_code if received else None) or selected or str(today.year)
    titles.setdefault(wanted, period_title(wanted))
    periods = [(code, titles[code]) for code in sorted(titles, key=period_order)]
    shown_title = titles[wanted].strip()
    code = next((c for c, title in periods if title == shown_title), shown_title or None)
    expected = expected_unit_rows(session)
    return CollectScreen(periods, wanted, code, expected, collect_view(session, code, today) if code else None)
