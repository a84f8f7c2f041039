"""Gathering everything a period report needs from the database into plain, session-free data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department, Plan, Report, TargetFigure
from desktop.domain.periods import Period as PeriodSpec
from desktop.errors import InvalidInputError
from desktop.reporting.formatting import report_recipients
from desktop.services.queries import TaskRow, find_period, list_tasks, period_spec

SECTION_KEYS = ("direction", "results", "assessment", "next_steps", "proposals")


@dataclass(frozen=True)
class DepartmentInfo:
    parent_agency: str
    name: str
    name_in_text: str
    abbreviation: str
    unit_code: str
    place_name: str
    signer_name: str
    signer_title: str
    signer_authority: str
    default_recipients: tuple[str, ...]


@dataclass(frozen=True)
class PlanInfo:
    number: str
    issued_on: date | None
    title: str
    program: str
    basis_documents: tuple[str, ...]
    start_year: int
    end_year: int
    report_to: str


@dataclass(frozen=True)
class TargetResult:
    position: int
    content: str
    goal_text: str
    goal_value: float | None
    measure_unit: str
    value_text: str
    value: float | None
    note: str

    @property
    def ratio(self) -> float | None:
        """Achievement in percent of the goal, when both are numbers."""
        if self.goal_value and self.value is not None:
            return self.value / self.goal_value * 100
        return None


@dataclass(frozen=True)
class ReportRecord:
    number: str
    issued_on: date | None
    sections: dict[str, str]
    recipients: tuple[str, ...]
    signer_name: str
    signer_title: str
    signer_authority: str


@dataclass(frozen=True)
class ReportContext:
    department: DepartmentInfo
    plan: PlanInfo
    period: PeriodSpec
    next_period: PeriodSpec | None
    tasks: tuple[TaskRow, ...]
    next_period_tasks: tuple[TaskRow, ...]
    targets: tuple[TargetResult, ...]
    report: ReportRecord
    today: date


def department_info(session: Session) -> DepartmentInfo:
    department = session.scalar(select(Department).limit(1))
    if department is None:
        raise InvalidInputError("Chưa khai báo thông tin đơn vị (tên cơ quan, người ký). Hãy nhập trong Cài đặt.")
    return DepartmentInfo(
        department.parent_agency, department.name, department.name_in_text or department.name.title(),
        department.abbreviation, department.unit_code, department.place_name, department.signer_name,
        department.signer_title, department.signer_authority, tuple(department.default_recipients or ()))


def plan_info(plan: Plan) -> PlanInfo:
    return PlanInfo(plan.number, plan.issued_on, plan.title, plan.program, tuple(plan.basis_documents or ()),
                    plan.start_year, plan.end_year, plan.report_to)


def _targets(session: Session, plan: Plan, period_id: int) -> tuple[TargetResult, ...]:
    figures = {f.target_id: f for f in session.scalars(
        select(TargetFigure).where(TargetFigure.period_id == period_id))}
    results = []
    for target in plan.targets:
        figure = figures.get(target.id)
        results.append(TargetResult(
            target.position, target.content, target.goal_text, target.goal_value, target.measure_unit,
            figure.value_text if figure else "", figure.value if figure else None, figure.note if figure else ""))
    return tuple(results)


def gather(session: Session, plan: Plan, period_code: str, today: date) -> ReportContext:
    """Read the period's report, tasks, progress and targets into a ReportContext."""
    period = find_period(session, plan, period_code)
    # "Kỳ tới" is the next report due after this one: after 6 tháng đầu năm comes the year report.
    later = [p for p in plan.periods if p.kind != "phase" and p.id != period.id and p.deadline
             and period.deadline and p.deadline > period.deadline]
    following = min(later, key=lambda p: p.deadline, default=None)
    report = session.scalar(select(Report).where(Report.period_id == period.id))
    department = department_info(session)
    record = ReportRecord(
        number=report.number if report else "",
        issued_on=report.issued_on if report else None,
        sections={key: (getattr(report, key) if report else "") or "" for key in SECTION_KEYS},
        recipients=(tuple(report.recipients) if report and report.recipients
                    else report_recipients(plan.report_to, department.default_recipients)),
        signer_name=(report.signer_name if report and report.signer_name else department.signer_name),
        signer_title=(report.signer_title if report and report.signer_title else department.signer_title),
        signer_authority=(report.signer_authority if report and report.signer_name
                          else department.signer_authority),
    )
    return ReportContext(
        department=department, plan=plan_info(plan), period=period_spec(period),
        next_period=period_spec(following) if following else None,
        tasks=tuple(list_tasks(session, period.code, today)),
        next_period_tasks=tuple(list_tasks(session, following.code, today)) if following else (),
        targets=_targets(session, plan, period.id), report=record, today=today)
