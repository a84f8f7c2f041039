"""Read-only views of the plan as plain rows (no live ORM objects) for the CLI, the GUI and the reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Period, Plan, Progress, Task
from desktop.domain.periods import PERIOD_STATE_LABELS, period_state, sent_and_not_reopened
from desktop.domain.rows import EvidenceRow, PeriodRow, TaskRow  # noqa: F401 (re-exported)
from desktop.domain.periods import Period as PeriodSpec
from desktop.domain.task_state import PROGRESS_STATUS_LABELS, TASK_STATE_LABELS, task_state
from desktop.domain.timeframe import Timeframe
from desktop.errors import InvalidInputError, NotFoundError


def current_plan(session: Session, required: bool = True) -> Plan | None:
    """The plan the department works on: the most recently created one."""
    plan = session.scalar(select(Plan).order_by(Plan.created_at.desc(), Plan.id.desc()).limit(1))
    if plan is None and required:
        raise InvalidInputError(
            "Chưa có kế hoạch nào trong cơ sở dữ liệu. Hãy chạy \"khbc init --sample\" để nạp kế hoạch mẫu "
            "hoặc nhập kế hoạch của đơn vị.")
    return plan


def period_spec(row: Period) -> PeriodSpec:
    """The domain form of a stored period."""
    return PeriodSpec(code=row.code, kind=row.kind, start_year=row.span_start.year, end_year=row.span_end.year,
                      title=row.title, cutoff_start=row.cutoff_start, cutoff_end=row.cutoff_end,
                      span_start=row.span_start, span_end=row.span_end, deadline=row.deadline)


def find_period(session: Session, plan: Plan, code: str) -> Period:
    """The plan's period with this code (tolerant of case and spaces), or a Vietnamese NotFoundError."""
    wanted = code.replace(" ", "").upper()
    for period in plan.periods:
        if period.code.upper() == wanted:
            return period
    known = ", ".join(p.code for p in plan.periods[:6])
    raise NotFoundError(f"Không có kỳ báo cáo \"{code}\" trong kế hoạch. Các kỳ có: {known}, …")


def is_sent(period: Period) -> bool:
    """Sent and not reopened since: the period's data is locked."""
    return sent_and_not_reopened(period.sent_at, period.reopened_at)


def list_periods(session: Session, today: date) -> list[PeriodRow]:
    plan = current_plan(session)
    rows = []
    for period in plan.periods:
        state = period_state(period_spec(period), today, sent=is_sent(period))
        rows.append(PeriodRow(period.code, period.title, period.kind, period.cutoff_start, period.cutoff_end,
                              period.span_start, period.span_end, period.deadline, state,
                              PERIOD_STATE_LABELS[state], period.sent_at))
    return rows


def _plain_task(task: Task) -> TaskRow:
    timeframe = Timeframe.from_json(task.timeframe) if task.timeframe else None
    return TaskRow(
        id=task.id, position=task.position, number=task.number, content=task.content,
        group_id=task.group_id, group_title=task.group.title if task.group else "",
        group_number=task.group.number if task.group else "",
        lead=task.lead_unit.name if task.lead_unit else "",
        cooperating=tuple(u.name for u in task.cooperating_units),
        timeframe_text=task.timeframe_text,
        timeframe_kind=timeframe.kind if timeframe else "unknown",
        timeframe_label=timeframe.label() if timeframe else task.timeframe_text,
        expected_output=task.expected_output, uid=task.uid, upper_uid=task.upper_uid, upper_state=task.upper_state)


def list_tasks(session: Session, period_code: str | None, today: date) -> list[TaskRow]:
    """The appendix; with a period, each task's state in it and its progress entry."""
    plan = current_plan(session)
    tasks = session.scalars(
        select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
        .options(selectinload(Task.lead_unit), selectinload(Task.cooperating_units), selectinload(Task.group))
    ).all()
    if period_code is None:
        return [_plain_task(t) for t in tasks]
    period = find_period(session, plan, period_code)
    spec = period_spec(period)
    entries = session.scalars(
        select(Progress).join(Period).where(Period.plan_id == plan.id)
        .options(selectinload(Progress.evidence))).all()
    current: dict[int, Progress] = {}
    done_earlier: set[int] = set()
    for entry in entries:
        if entry.period_id == period.id:
            current[entry.task_id] = entry
        elif entry.status == "done" and entry.period.span_end < period.span_start:
            done_earlier.add(entry.task_id)
    rows = []
    for task in tasks:
        base = _plain_task(task)
        entry = current.get(task.id)
        timeframe = Timeframe.from_json(task.timeframe) if task.timeframe else None
        status = entry.status if entry else None
        state = task_state(timeframe, spec, status, today, done_before=task.id in done_earlier) \
            if timeframe else "ongoing"
        extra = dict(state=state, state_label=TASK_STATE_LABELS[state])
        if entry is not None:
            extra.update(
                status=entry.status, status_label=PROGRESS_STATUS_LABELS.get(entry.status, entry.status),
                result=entry.result, figures=entry.figures, difficulties=entry.difficulties,
                proposals=entry.proposals,
                evidence=tuple(EvidenceRow(e.number, e.issued_on, e.summary, e.file_name) for e in entry.evidence))
        rows.append(replace(base, **extra))
    return rows
