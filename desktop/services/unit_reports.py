"""Upper side of the chain: what each unit reported per task of this plan (matched by uid), and drafts from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Progress, Submission, SubmissionTask, TargetFigure, Task
from desktop.domain.drafting import (
    TargetDraft, TaskDraft, UnitTargetReport, UnitTaskReport, draft_target, draft_task,
)
from desktop.domain.rows import EvidenceRow
from desktop.domain.text import fold
from desktop.services.progress import ensure_editable, record_progress, record_target_figure
from desktop.services.queries import current_plan, find_period


@dataclass(frozen=True)
class UpperTaskReports:
    """One task of this plan with what each unit reported for it in the period."""

    task_id: int
    number: str
    content: str
    reports: tuple[UnitTaskReport, ...]


@dataclass(frozen=True)
class TargetReports:
    position: int
    content: str
    measure_unit: str
    goal_text: str
    reports: tuple[UnitTargetReport, ...]


@dataclass(frozen=True)
class AppliedDrafts:
    tasks: tuple[str, ...]  # numbers of the tasks given a drafted result
    targets: tuple[int, ...]  # positions of the targets given a drafted figure


def _evidence_lines(items: list) -> list[str]:
    lines = []
    for item in items or ():
        try:
            issued = date.fromisoformat(item["issued_on"]) if item.get("issued_on") else None
        except (TypeError, ValueError):
            issued = None
        lines.append(EvidenceRow(item.get("number") or "", issued, item.get("summary") or "",
                                 item.get("file_name") or "").describe())
    return [line for line in lines if line]


def store_task_reports(session: Session, submission: Submission, data: dict) -> int:
    """Keep, per task that names an upper task, what the package reports for it; returns how many."""
    count = 0
    for task in data.get("tasks", ()):
        uid, progress = task.get("upper_uid"), task.get("progress")
        if not uid or not progress:  # a task without an entry for the period says nothing yet
            continue
        session.add(SubmissionTask(
            submission_id=submission.id, upper_uid=uid[:64], number=(task.get("number") or "")[:20],
            status=(progress.get("status") or "")[:20], status_label=(progress.get("status_label") or "")[:100],
            result=progress.get("result") or "", figures=progress.get("figures") or "",
            evidence=_evidence_lines(progress.get("evidence"))))
        count += 1
    return count


def _current(session: Session, period_code: str) -> list[Submission]:
    subs = session.scalars(select(Submission).where(Submission.period_code == period_code,
                                                    Submission.is_current.is_(True))).all()
    return sorted(subs, key=lambda s: (s.unit_name.casefold(), s.unit_code))


def _by_uid(session: Session, subs: list[Submission]) -> dict[str, list[UnitTaskReport]]:
    if not subs:
        return {}
    order = {s.id: i for i, s in enumerate(subs)}
    by_id = {s.id: s for s in subs}
    rows = session.scalars(select(SubmissionTask).where(SubmissionTask.submission_id.in_(list(by_id)))).all()
    result: dict[str, list[UnitTaskReport]] = {}
    for row in sorted(rows, key=lambda r: (order[r.submission_id], r.id)):
        sub = by_id[row.submission_id]
        result.setdefault(row.upper_uid, []).append(UnitTaskReport(
            sub.unit_code, sub.unit_name, sub.version, sub.review_status, row.status, row.status_label, row.result,
            row.figures, tuple(row.evidence or ())))
    return result


def period_task_reports(session: Session, period_code: str) -> list[UpperTaskReports]:
    """For each task of this plan, in appendix order, what the units' current packages report for it."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    reports = _by_uid(session, _current(session, period.code))
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position, Task.id)).all()
    return [UpperTaskReports(t.id, t.number, t.content, tuple(reports.get(t.uid, ()))) for t in tasks]


def task_reports(session: Session, period_code: str, task_id: int) -> list[UnitTaskReport]:
    """What each unit reported for one task of this plan in the period (shown under the task)."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    uid = session.scalar(select(Task.uid).where(Task.id == task_id, Task.plan_id == plan.id))
    if not uid:
        return []
    return _by_uid(session, _current(session, period.code)).get(uid, [])


def draft_for_task(session: Session, period_code: str, task_id: int) -> TaskDraft | None:
    """"Soạn tự động": this level's result for the task, drafted from its units' reports (nothing saved)."""
    return draft_task(task_reports(session, period_code, task_id))


def period_target_reports(session: Session, period_code: str) -> list[TargetReports]:
    """Each target of this plan with the units' figures (matched by the target's wording, else by its order)."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    found: dict[int, list[UnitTargetReport]] = {t.position: [] for t in plan.targets}
    by_text = {fold(t.content): t.position for t in plan.targets}
    for sub in _current(session, period.code):
        if sub.review_status == "returned":
            continue
        for item in (sub.data or {}).get("targets", ()):
            position = by_text.get(fold(item.get("content") or ""), item.get("position"))
            if position in found and (item.get("value_text") or "").strip():
                found[position].append(UnitTargetReport(sub.unit_name, item["value_text"], item.get("value"),
                                                        item.get("note") or ""))
    return [TargetReports(t.position, t.content, t.measure_unit, t.goal_text, tuple(found[t.position]))
            for t in plan.targets]


def draft_targets(session: Session, period_code: str) -> list[tuple[int, TargetDraft]]:
    """Drafted figures for the targets some unit reported: counts add up, rates are listed per unit."""
    drafts = []
    for target in period_target_reports(session, period_code):
        draft = draft_target(target.measure_unit, target.goal_text, target.reports)
        if draft is not None:
            drafts.append((target.position, draft))
    return drafts


def apply_drafts(session: Session, period_code: str) -> AppliedDrafts:
    """Fill, from the units' reports, the tasks and targets of the period that have nothing of this level's own.

    What the clerk already wrote is never replaced; she edits the drafts like any other result."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    tasks, targets = [], []
    ensure_editable(period)
    own = {p.task_id: p for p in session.scalars(select(Progress).where(Progress.period_id == period.id))}
    for row in period_task_reports(session, period.code):
        entry = own.get(row.task_id)
        if entry is not None and (entry.result.strip() or entry.figures.strip()):
            continue
        draft = draft_task(row.reports)
        if draft is None:
            continue
        record_progress(session, period.code, row.task_id, draft.status, result=draft.result, figures=draft.figures)
        tasks.append(row.number)
    figures = {f.target_id: f for f in session.scalars(select(TargetFigure).where(TargetFigure.period_id == period.id))}
    for position, draft in draft_targets(session, period.code):
        target = next(t for t in plan.targets if t.position == position)
        existing = figures.get(target.id)
        if existing is not None and existing.value_text.strip():
            continue
        record_target_figure(session, period.code, position, draft.value_text, draft.note)
        targets.append(position)
    return AppliedDrafts(tuple(tasks), tuple(targets))


def has_unit_reports(session: Session, period_code: str) -> bool:
    """Whether any lower unit's package was received for the period (the drafting buttons show only then)."""
    code = period_code.replace(" ", "").upper()
    return session.scalar(select(Submission.id).where(Submission.period_code == code).limit(1)) is not None
