"""Plain-data reads the desktop pages need (plan form, department form, report form, a period's sending state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Department, Export
from desktop.domain.report_values import Signer, report_record
from desktop.services.profile import get_setting
from desktop.services.queries import current_plan, find_period, is_sent
from desktop.services.report_context import period_report, stored_report
from desktop.services.workspace import FONT_PATH_KEY, USER_NAME_KEY, default_user_name


@dataclass(frozen=True)
class PlanForm:
    """Everything the Kế hoạch page edits, as plain values."""

    number: str
    issued_on: date | None
    title: str
    program: str
    basis_documents: tuple[str, ...]
    preamble: str
    purposes: str
    requirements: str
    goals: str
    tasks_and_solutions: str
    organization: str
    start_year: int
    end_year: int
    schedule: dict
    report_to: str


@dataclass(frozen=True)
class DepartmentForm:
    """The department profile as the Cài đặt page shows it (empty strings on a fresh database)."""

    exists: bool
    parent_agency: str = ""
    name: str = ""
    name_in_text: str = ""
    abbreviation: str = ""
    unit_code: str = ""
    place_name: str = ""
    signer_name: str = ""
    signer_title: str = ""
    signer_authority: str = ""
    default_recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class UserSettings:
    user_name: str  # stored name, or "" when the login name is used
    login_name: str
    font_path: str


@dataclass(frozen=True)
class ReportForm:
    """A period's report fields as the Báo cáo page edits them; signer and recipients fall back to the profile."""

    period_code: str
    period_title: str
    locked: bool  # sent and not reopened: read-only
    number: str
    issued_on: date | None
    sections: dict[str, str]
    recipients: tuple[str, ...]
    signer_name: str
    signer_title: str
    signer_authority: str
    abbreviation: str  # "SXD", to suggest "…/BC-SXD"


@dataclass(frozen=True)
class SendState:
    """Whether a period was sent, which version went last, and which one the next export makes."""

    period_code: str
    period_title: str
    deadline: date | None
    sent: bool
    sent_at: datetime | None
    reopened_at: datetime | None
    last_version: int
    next_version: int


def as_local(moment: datetime | None) -> datetime | None:
    """A stored moment (aware UTC) in the computer's local time, for display."""
    return moment.astimezone() if moment is not None else None


def plan_form(session: Session) -> PlanForm:
    plan = current_plan(session)
    return PlanForm(plan.number or "", plan.issued_on, plan.title or "", plan.program or "",
                    tuple(plan.basis_documents or ()), plan.preamble or "", plan.purposes or "",
                    plan.requirements or "", plan.goals or "", plan.tasks_and_solutions or "",
                    plan.organization or "", plan.start_year, plan.end_year, dict(plan.schedule or {}),
                    plan.report_to or "")


def has_plan(session: Session) -> bool:
    return current_plan(session, required=False) is not None


def department_form(session: Session) -> DepartmentForm:
    dept = session.scalar(select(Department).limit(1))
    if dept is None:
        return DepartmentForm(exists=False)
    return DepartmentForm(True, dept.parent_agency or "", dept.name or "", dept.name_in_text or "",
                          dept.abbreviation or "", dept.unit_code or "", dept.place_name or "",
                          dept.signer_name or "", dept.signer_title or "", dept.signer_authority or "",
                          tuple(dept.default_recipients or ()))


def user_settings(session: Session) -> UserSettings:
    return UserSettings(get_setting(session, USER_NAME_KEY), default_user_name(),
                        get_setting(session, FONT_PATH_KEY))


def report_form(session: Session, period_code: str) -> ReportForm:
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    dept = department_form(session)
    record = report_record(stored_report(period_report(session, period.id)), plan.report_to,
                           dept.default_recipients, Signer(dept.signer_name, dept.signer_title, dept.signer_authority))
    return ReportForm(
        period_code=period.code, period_title=period.title, locked=is_sent(period),
        number=record.number, issued_on=record.issued_on, sections=record.sections, recipients=record.recipients,
        signer_name=record.signer_name, signer_title=record.signer_title, signer_authority=record.signer_authority,
        abbreviation=dept.abbreviation)


def send_state(session: Session, period_code: str) -> SendState:
    period = find_period(session, current_plan(session), period_code)
    last = session.scalar(select(func.max(Export.version)).where(Export.period_id == period.id)) or 0
    return SendState(period.code, period.title, period.deadline, is_sent(period), period.sent_at,
                     period.reopened_at, last, last + 1)
