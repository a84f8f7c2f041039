"""Small queries and one save the desktop screens need beyond the shared services (plain rows only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Department, Progress
from desktop.domain.periods import current_period
from desktop.domain.text import nfc, strip_control
from desktop.services.attachments import store_file, store_root
from desktop.services.progress import EvidenceInput, record_progress
from desktop.services.queries import current_plan, find_period, period_spec
from desktop.services.workspace import Workspace


EvidenceItem = EvidenceInput  # one document cited as evidence, with its attachment hash


@dataclass(frozen=True)
class ProgressDetail:
    progress_id: int
    status: str
    result: str
    figures: str
    difficulties: str
    proposals: str
    evidence: tuple[EvidenceItem, ...]


def department_name(session: Session) -> str:
    """The department as written in sentences ("Sở Xây dựng"), or "" before the profile is filled in."""
    department = session.scalar(select(Department).limit(1))
    return (department.name_in_text or department.name) if department else ""


def plan_years(session: Session) -> tuple[int, int]:
    plan = current_plan(session)
    return plan.start_year, plan.end_year


def current_period_code(session: Session, today: date) -> str | None:
    """The period the clerk is working toward today (see domain.periods.current_period), else the last one."""
    plan = current_plan(session)
    if not plan.periods:
        return None
    found = current_period([period_spec(p) for p in plan.periods], today)
    return found.code if found else plan.periods[-1].code


def progress_count(session: Session, task_id: int) -> int:
    """How many periods already hold a result for this task (deleting it deletes them)."""
    return session.scalar(select(func.count()).select_from(Progress).where(Progress.task_id == task_id)) or 0


def progress_detail(session: Session, period_code: str, task_id: int) -> ProgressDetail | None:
    """The task's entry for the period with its evidence (attachment hashes included), or None."""
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    entry = session.scalar(select(Progress).where(Progress.task_id == task_id, Progress.period_id == period.id))
    if entry is None:
        return None
    evidence = tuple(EvidenceItem(e.number, e.issued_on, e.summary, e.file_name, e.file_sha256)
                     for e in entry.evidence)
    return ProgressDetail(entry.id, entry.status, entry.result, entry.figures, entry.difficulties,
                          entry.proposals, evidence)


def save_progress(session: Session, period_code: str, task_id: int, status: str, result: str, figures: str,
                  difficulties: str, proposals: str, evidence: list[EvidenceItem]) -> int:
    """Store the editor's whole form for one task and period; returns the progress entry's id."""
    entry = record_progress(session, period_code, task_id, status, result=result, figures=figures,
                            difficulties=difficulties, proposals=proposals, evidence=list(evidence))
    session.flush()
    return entry.id


def store_attachment(workspace: Workspace, source_path: str) -> tuple[str, str]:
    """Copy a file into the attachment store; returns (file name, sha256) for an EvidenceItem."""
    source = Path(source_path)
    sha, _size = store_file(store_root(workspace), source)
    return strip_control(nfc(source.name)).replace("\n", " ")[:255], sha

