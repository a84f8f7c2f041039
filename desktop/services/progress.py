"""Recording what was done on a task in a period (the same service for the CLI and the GUI)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Evidence, Period, Progress, TargetFigure, Task
from desktop.domain.task_state import PROGRESS_STATUS_LABELS
from desktop.domain.text import nfc, strip_control
from desktop.errors import InvalidInputError, NotFoundError, PeriodLockedError
from desktop.services import audit
from desktop.services.queries import current_plan, find_period, is_sent
from desktop.services.report_context import period_targets

MAX_TEXT = 20_000
TEXT_FIELDS = ("result", "figures", "difficulties", "proposals")


@dataclass(frozen=True)
class EvidenceInput:
    """One document cited as evidence; `file_sha256` points into the attachment store when a file is attached."""

    number: str = ""
    issued_on: date | None = None
    summary: str = ""
    file_name: str = ""
    file_sha256: str = ""


def _clean(value: str, label: str) -> str:
    text = strip_control(nfc(value))
    if len(text) > MAX_TEXT:
        raise InvalidInputError(f"Nội dung \"{label}\" quá dài ({len(text)} ký tự, tối đa {MAX_TEXT}).")
    return text


def find_task(session: Session, plan_id: int, number: str | int) -> Task:
    """The task with this TT (text) or this id (int) in the plan's appendix."""
    if isinstance(number, int):
        task = session.get(Task, number)
        if task is not None and task.plan_id == plan_id:
            return task
        raise NotFoundError("Nhiệm vụ này không còn trong phụ lục của kế hoạch.")
    task = session.scalar(select(Task).where(Task.plan_id == plan_id, Task.number == number.strip()))
    if task is None:
        raise NotFoundError(f"Không có nhiệm vụ số \"{number}\" trong phụ lục của kế hoạch.")
    return task


def ensure_editable(period: Period) -> None:
    if is_sent(period):
        raise PeriodLockedError(
            f"Kỳ {period.title} đã gửi báo cáo. Muốn sửa số liệu, hãy \"Mở lại để bổ sung\" kỳ này trước.")


def record_progress(session: Session, period_code: str, task_number: str | int, status: str,
                    result: str | None = None, figures: str | None = None, difficulties: str | None = None,
                    proposals: str | None = None, evidence: list[EvidenceInput] | None = None) -> Progress:
    """Create or update one task's progress entry for a period; fields left as None are unchanged."""
    if status not in PROGRESS_STATUS_LABELS:
        allowed = ", ".join(PROGRESS_STATUS_LABELS)
        raise InvalidInputError(f"Trạng thái \"{status}\" không hợp lệ. Chọn một trong: {allowed}.")
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    ensure_editable(period)
    task = find_task(session, plan.id, task_number)
    user = audit.current_user(session)
    entry = session.scalar(select(Progress).where(Progress.task_id == task.id, Progress.period_id == period.id))
    if entry is None:
        entry = Progress(task=task, period=period, status=status, updated_by=user)
        session.add(entry)
        session.flush()
        audit.record(session, "create", "progress", entry.id, "status", None, status, user)
    changes: dict[str, object] = {"status": status, "updated_by": user}
    for name, value in zip(TEXT_FIELDS, (result, figures, difficulties, proposals)):
        if value is not None:
            changes[name] = _clean(value, name)
    audit.apply_changes(session, entry, "progress", changes, user)
    if evidence is not None:
        _replace_evidence(session, entry, evidence, user)
    return entry


def _replace_evidence(session: Session, entry: Progress, evidence: list[EvidenceInput], user: str) -> None:
    # A file attached earlier keeps its stored copy when the list is re-saved without naming the hash.
    stored = {e.file_name: e.file_sha256 for e in entry.evidence if e.file_name and e.file_sha256}
    new = [(strip_control(nfc(e.number))[:100], e.issued_on, _clean(e.summary, "trích yếu"),
            strip_control(nfc(e.file_name)).replace("\n", " ")[:255],
            e.file_sha256 or stored.get(strip_control(nfc(e.file_name)), "")) for e in evidence]
    old = [(e.number, e.issued_on, e.summary, e.file_name, e.file_sha256) for e in entry.evidence]
    if new == old:
        return
    entry.evidence = [Evidence(number=n, issued_on=d, summary=s, file_name=f, file_sha256=h) for n, d, s, f, h in new]
    audit.record(session, "update", "progress", entry.id, "evidence", "; ".join(o[0] or o[2] for o in old),
                 "; ".join(n[0] or n[2] for n in new), user)


def _parse_number(text: str) -> float | None:
    """"95%", "95,5 %", "120" → the number; text without a number → None."""
    match = re.search(r"-?\d+(?:[.,]\d+)?", text)
    return float(match.group(0).replace(",", ".")) if match else None


def record_target_figure(session: Session, period_code: str, target_position: int, value_text: str,
                         note: str | None = None) -> TargetFigure:
    """Store the figure a target (by its order in the plan, from 1) reached in a period."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    ensure_editable(period)
    target = next((t for t in plan.targets if t.position == target_position), None)
    if target is None:
        raise NotFoundError(f"Không có chỉ tiêu số {target_position} trong kế hoạch "
                            f"(kế hoạch có {len(plan.targets)} chỉ tiêu).")
    value_text = _clean(value_text, "kết quả chỉ tiêu")
    user = audit.current_user(session)
    figure = session.scalar(select(TargetFigure).where(TargetFigure.target_id == target.id,
                                                        TargetFigure.period_id == period.id))
    if figure is None:
        figure = TargetFigure(target_id=target.id, period_id=period.id, updated_by=user)
        session.add(figure)
        session.flush()
        audit.record(session, "create", "target_figure", figure.id, "target", None, target.content, user)
    changes: dict[str, object] = {"value_text": value_text, "value": _parse_number(value_text), "updated_by": user}
    if note is not None:
        changes["note"] = _clean(note, "ghi chú")
    audit.apply_changes(session, figure, "target_figure", changes, user)
    return figure


@dataclass(frozen=True)
class TargetFigureRow:
    target_id: int
    position: int
    content: str
    goal_text: str
    value_text: str
    note: str


def list_target_figures(session: Session, period_code: str) -> list[TargetFigureRow]:
    """Every target of the plan with the figure entered for the period (empty when none yet)."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    return [TargetFigureRow(t.target_id, t.position, t.content, t.goal_text, t.value_text, t.note)
            for t in period_targets(session, plan, period.id)]


def copy_from_previous(session: Session, period_code: str) -> int:
    """"Sao chép từ kỳ trước": tasks with nothing entered yet take the latest earlier entry; returns how many."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    ensure_editable(period)
    earlier = [p for p in plan.periods if p.kind != "phase" and p.span_end < period.span_end and p.id != period.id]
    if not earlier:
        return 0
    present = set(session.scalars(select(Progress.task_id).where(Progress.period_id == period.id)))
    latest: dict[int, Progress] = {}
    for entry in session.scalars(select(Progress).where(Progress.period_id.in_([p.id for p in earlier]))):
        known = latest.get(entry.task_id)
        if known is None or entry.period.span_end > known.period.span_end:
            latest[entry.task_id] = entry
    user = audit.current_user(session)
    copied = 0
    for task_id, source in latest.items():
        if task_id in present:
            continue
        entry = Progress(task_id=task_id, period_id=period.id, status=source.status, result=source.result,
                         figures=source.figures, difficulties=source.difficulties, proposals=source.proposals,
                         updated_by=user)
        entry.evidence = [Evidence(number=e.number, issued_on=e.issued_on, summary=e.summary,
                                   file_name=e.file_name, file_sha256=e.file_sha256) for e in source.evidence]
        session.add(entry)
        session.flush()
        audit.record(session, "create", "progress", entry.id, "copied_from", None, source.period.code, user)
        copied += 1
    return copied
