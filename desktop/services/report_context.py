"""Reading what a period report, the plan document and a report package need into plain domain values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department, Evidence, Plan, Progress, Report, TargetFigure
from desktop.domain.report_values import (
    SECTION_KEYS, DepartmentInfo, PlanInfo, PlanText, ReportContext, ReportRecord, Signer, TargetResult,
    report_record,
)
from desktop.domain.rows import EvidenceRow
from desktop.errors import InvalidInputError
from desktop.services.queries import find_period, list_tasks, period_spec


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


def plan_text(plan: Plan) -> PlanText:
    return PlanText(plan.number, plan.issued_on, plan.title, plan.preamble, plan.purposes, plan.requirements,
                    plan.goals, plan.tasks_and_solutions, plan.organization)


def period_targets(session: Session, plan: Plan, period_id: int | None) -> tuple[TargetResult, ...]:
    """Every target of the plan, in its order, with the figure recorded for the period (empty when none, and
    for every target when no period is given)."""
    figures = {} if period_id is None else {f.target_id: f for f in session.scalars(
        select(TargetFigure).where(TargetFigure.period_id == period_id))}
    results = []
    for target in plan.targets:
        figure = figures.get(target.id)
        results.append(TargetResult(
            target.position, target.content, target.goal_text, target.goal_value, target.measure_unit,
            figure.value_text if figure else "", figure.value if figure else None, figure.note if figure else "",
            target.id))
    return tuple(results)


def stored_report(report: Report | None) -> ReportRecord | None:
    """The report's own fields as stored, before any default fills them."""
    if report is None:
        return None
    return ReportRecord(report.number, report.issued_on, {key: getattr(report, key) for key in SECTION_KEYS},
                        tuple(report.recipients or ()), report.signer_name, report.signer_title,
                        report.signer_authority)


def period_report(session: Session, period_id: int) -> Report | None:
    return session.scalar(select(Report).where(Report.period_id == period_id))


def report_context(session: Session, plan: Plan, period_code: str, today: date) -> ReportContext:
    """Read the period's report, tasks, progress and targets into a ReportContext."""
    period = find_period(session, plan, period_code)
    # "Kỳ tới" is the next report due after this one: after 6 tháng đầu năm comes the year report.
    later = [p for p in plan.periods if p.kind != "phase" and p.id != period.id and p.deadline
             and period.deadline and p.deadline > period.deadline]
    following = min(later, key=lambda p: p.deadline, default=None)
    department = department_info(session)
    signer = Signer(department.signer_name, department.signer_title, department.signer_authority)
    record = report_record(stored_report(period_report(session, period.id)), plan.report_to,
                           department.default_recipients, signer)
    return ReportContext(
        department=department, plan=plan_info(plan), period=period_spec(period),
        next_period=period_spec(following) if following else None,
        tasks=tuple(list_tasks(session, period.code, today)),
        next_period_tasks=tuple(list_tasks(session, following.code, today)) if following else (),
        targets=period_targets(session, plan, period.id), report=record, today=today)


def evidence_by_task(session: Session, period_id: int) -> dict[int, list[EvidenceRow]]:
    """The evidence recorded in the period, per task id, in the order it was entered (with its file's hash)."""
    rows = session.execute(
        select(Progress.task_id, Evidence).join(Evidence, Evidence.progress_id == Progress.id)
        .where(Progress.period_id == period_id).order_by(Evidence.id)).all()
    result: dict[int, list[EvidenceRow]] = {}
    for task_id, evidence in rows:
        result.setdefault(task_id, []).append(
            EvidenceRow(evidence.number, evidence.issued_on, evidence.summary, evidence.file_name,
                        evidence.file_sha256))
    return result


def package_values(session: Session, plan: Plan, period_code: str,
                   today: date) -> tuple[ReportContext, dict[int, list[EvidenceRow]]]:
    """What a period's report package carries as data: the report context and the evidence per task."""
    period = find_period(session, plan, period_code)
    return report_context(session, plan, period.code, today), evidence_by_task(session, period.id)
