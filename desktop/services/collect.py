"""Receiving side: expected units, and the completeness, timeliness and consolidated results of a period."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from db.models import Department, ExpectedUnit, Submission
from desktop.domain.periods import parse_period_code
from desktop.domain.text import nfc, strip_control
from desktop.domain.collection import CollectResult, UnitReport, UnitStatus
from desktop.domain.report_values import DepartmentInfo
from desktop.errors import InvalidInputError, NotFoundError
from desktop.reporting.consolidated import build_consolidated_document
from desktop.services import audit, clock
from desktop.services.documents import font_path, write_document
from desktop.services.queries import current_plan
from desktop.services.report_context import department_info
from desktop.services.signing import receipt_text
from desktop.services.workspace import Workspace

COLLECT_FORMATS = ("xlsx", "pdf", "docx")
PRINTED_TASK_LIMIT = 500

@dataclass(frozen=True)
class ExpectedUnitRow:
    unit_code: str
    name: str
    active: bool


def _code(code: str) -> str:
    code = strip_control(nfc(code)).strip()
    if not code or len(code) > 50 or any(c.isspace() for c in code):
        raise InvalidInputError("Mã đơn vị không được để trống, không chứa dấu cách và dài tối đa 50 ký tự.")
    return code


def set_expected_unit(workspace: Workspace, code: str, name: str) -> ExpectedUnitRow:
    """Add a unit to the list whose reports are expected (or rename / reactivate it)."""
    code, name = _code(code), strip_control(nfc(name)).strip()
    if not name:
        raise InvalidInputError("Hãy nhập tên đơn vị (--name).")
    with workspace.unit_of_work() as session:
        row = session.scalar(select(ExpectedUnit).where(ExpectedUnit.unit_code == code))
        if row is None:
            row = ExpectedUnit(unit_code=code, name=name[:300], active=True)
            session.add(row)
            session.flush()
            audit.record(session, "create", "expected_unit", row.id, "name", None, f"{code}: {name}")
        else:
            audit.apply_changes(session, row, "expected_unit", {"name": name[:300], "active": True})
        return ExpectedUnitRow(row.unit_code, row.name, row.active)


def remove_expected_unit(workspace: Workspace, code: str) -> ExpectedUnitRow:
    """Take a unit off the expected list (kept, marked inactive, so its history stays readable)."""
    code = _code(code)
    with workspace.unit_of_work() as session:
        row = session.scalar(select(ExpectedUnit).where(ExpectedUnit.unit_code == code))
        if row is None or not row.active:
            raise NotFoundError(f"Đơn vị mã \"{code}\" không có trong danh sách đơn vị phải báo cáo.")
        audit.apply_changes(session, row, "expected_unit", {"active": False})
        return ExpectedUnitRow(row.unit_code, row.name, row.active)


def list_expected_units(workspace: Workspace) -> list[ExpectedUnitRow]:
    with workspace.read() as session:
        return expected_unit_rows(session)


def expected_unit_rows(session: Session) -> list[ExpectedUnitRow]:
    """`list_expected_units` inside the caller's session."""
    rows = session.scalars(select(ExpectedUnit).where(ExpectedUnit.active.is_(True))
                           .order_by(ExpectedUnit.unit_code)).all()
    return [ExpectedUnitRow(r.unit_code, r.name, r.active) for r in rows]


def _sent_on(sub: Submission, created_text: str | None) -> date:
    """The day the unit made the package, in its own time zone, never later than the day it arrived."""
    received = sub.received_at
    try:
        created = datetime.fromisoformat(created_text.replace("Z", "+00:00"))
    except (AttributeError, TypeError, ValueError):
        created = sub.created_at
    moment = min(created, received)
    return moment.astimezone(created.tzinfo).date()


def _plan_period(session: Session, code: str):
    plan = current_plan(session, required=False)
    if plan is None:
        return None
    return next((p for p in plan.periods if p.code == code), None)


_TASK_KEYS = ("number", "content", "lead", "timeframe", "state")
_PROGRESS_KEYS = ("status", "status_label", "result", "figures", "difficulties")
_EVIDENCE_KEYS = ("number", "issued_on", "summary", "file_name")


def _slim_task(task: dict) -> dict:
    """Only what the consolidated report prints, so a province's worth of reports fits in memory."""
    slim = {key: task.get(key, "") for key in _TASK_KEYS}
    progress = task.get("progress")
    if progress:
        slim["progress"] = {key: progress.get(key, "") for key in _PROGRESS_KEYS}
        slim["progress"]["evidence"] = [{key: item.get(key) for key in _EVIDENCE_KEYS}
                                        for item in progress.get("evidence", ())]
    else:
        slim["progress"] = None
    return slim


def _unit_report(session: Session, current: Submission, name: str) -> UnitReport:
    data = session.execute(select(Submission.data).where(Submission.id == current.id)).scalar() or {}
    return UnitReport(current.unit_code, name, current.version,
                      tuple(_slim_task(task) for task in data.get("tasks", ())), tuple(data.get("targets", ())))


def collect(session: Session, period_code: str, today: date, deadline: date | None = None,
            details: bool = True) -> CollectResult:
    """Who was expected to report for the period, who did (on time or late), who did not, and what they reported.

    With details=False only the completeness table is built (no package data is read): what a status view needs.
    """
    spec = parse_period_code(period_code)
    own = _plan_period(session, spec.code)
    title = own.title if own is not None else spec.title
    if deadline is not None:
        common, source = deadline, "override"
    elif own is not None and own.deadline is not None:
        common, source = own.deadline, "plan"
    else:
        common, source = None, "packages"
    # Each package's data (up to tens of MB) is read only for the current version, one unit at a time.
    subs = session.scalars(select(Submission).options(defer(Submission.data))
                           .where(Submission.period_code == spec.code)
                           .order_by(Submission.unit_code, Submission.version)).all()
    created_texts = dict(session.execute(
        select(Submission.id, Submission.data["submission"]["created_at"].as_string())
        .where(Submission.period_code == spec.code)).all())
    by_unit: dict[str, list[Submission]] = {}
    for sub in subs:
        by_unit.setdefault(sub.unit_code, []).append(sub)
    if source == "packages":  # no deadline of our own: each unit's package says when it was due
        declared = {versions[0].deadline for versions in by_unit.values()} - {None}
        common = declared.pop() if len(declared) == 1 else None
        source = "packages" if declared or common else "none"
    configured = {r.unit_code: r.name for r in session.scalars(
        select(ExpectedUnit).where(ExpectedUnit.active.is_(True)).order_by(ExpectedUnit.unit_code))}
    expected_source = "configured" if configured else "senders"
    names = dict(configured) if configured else {}
    for code, versions in by_unit.items():
        current = next((s for s in versions if s.is_current), versions[-1])
        names.setdefault(code, current.unit_name)
    units, reports = [], []
    for code in sorted(names, key=lambda c: (c not in configured and bool(configured), names[c].casefold(), c)):
        versions = by_unit.get(code, [])
        expected = code in configured or not configured
        if not versions:
            due = common
            status = "overdue" if due is not None and today > due else "missing"
            units.append(UnitStatus(code, names[code], expected, status, None, 0, None, None, due))
            continue
        first = versions[0]
        current = next((s for s in versions if s.is_current), versions[-1])
        due = common if source != "packages" else first.deadline
        sent = min(_sent_on(s, created_texts.get(s.id)) for s in versions)
        status = "received" if due is None else ("on_time" if sent <= due else "late")
        units.append(UnitStatus(code, names[code], expected, status, current.version, len(versions), sent,
                                first.received_at.date(), due, receipt_text(session, current.package_sha256)))
        if details:
            reports.append(_unit_report(session, current, names[code]))
    if not any(u.signature and not u.signature.startswith("Chưa ký số") for u in units):
        units = [replace(u, signature="") for u in units]  # nobody signs here yet: no column of "Chưa ký số"
    return CollectResult(spec.code, title, spec.kind, spec.start_year, spec.end_year, today, expected_source,
                         source, common, tuple(units), tuple(reports))


def receiving_department(session: Session) -> DepartmentInfo | None:
    """The receiving office's own letterhead data, when this database has one."""
    if session.scalar(select(Department.id).limit(1)) is None:
        return None
    return department_info(session)


def write_collect(workspace: Workspace, period_code: str, fmt: str = "xlsx", out: str | Path | None = None,
                  today: date | None = None, deadline: date | None = None) -> Path:
    """Write the consolidated report (PDF, XLSX or DOCX) of a period and return its path."""
    if fmt not in COLLECT_FORMATS:
        raise InvalidInputError(f"Định dạng \"{fmt}\" không được hỗ trợ (chọn {', '.join(COLLECT_FORMATS)}).")
    today = today or clock.today()
    with workspace.read() as session:
        result = collect(session, period_code, today, deadline)
        # A printed document lists every task only while that stays readable; the XLSX always has them all.
        limit = None if fmt == "xlsx" else PRINTED_TASK_LIMIT
        doc = build_consolidated_document(result, receiving_department(session), limit)
        font = font_path(session)
    default_name = f"TongHop_{result.period_code}.{fmt}"
    target = Path(out) if out else Path.cwd() / default_name
    if target.is_dir():
        target = target / default_name
    return write_document(doc, fmt, target, font)
