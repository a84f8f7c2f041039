"""Upper side: the current plan written as a plan package for the lower units ("Xuất kế hoạch gửi cấp dưới").

The version counts amendments: exporting again after a change to the plan, its tasks, units, targets, schedule
or outline gives the next version; exporting an unchanged plan gives the same version again (a copy to resend).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import ExpectedUnit, Plan, Task, Unit
from desktop.bundle import plan_package as pp
from desktop.bundle.manifest import iso_datetime
from desktop.bundle.package_data import check_unit_code
from desktop.bundle.schema import validate
from desktop.domain.periods import ReportingSchedule
from desktop.errors import InvalidInputError
from desktop.importers.units import names_match
from desktop.services import audit
from desktop.services.bundles import now_local
from desktop.services.export_files import explain_os_error, flush_file, publish_file, stage_file
from desktop.services.report_context import department_info
from desktop.services.queries import current_plan
from desktop.services.workspace import Workspace


@dataclass(frozen=True)
class PlanExportResult:
    path: Path
    file_name: str
    version: int
    new_version: bool  # False: the plan had not changed since that version was sent
    sha256: str
    size: int
    task_count: int
    unit_count: int


def _outline(plan: Plan) -> dict | None:
    outline = getattr(plan, "outline", None)  # stored with the plan by the outline-as-data work, when present
    return outline if isinstance(outline, dict) and outline else None


def _units(session: Session, tasks: list[Task]) -> list[dict]:
    """Every unit named in the appendix, in the unit list's order, with what it leads and cooperates on."""
    roles: dict[int, tuple[list[str], list[str]]] = {}
    units: dict[int, Unit] = {}
    for task in tasks:
        if task.lead_unit is not None:
            units[task.lead_unit.id] = task.lead_unit
            roles.setdefault(task.lead_unit.id, ([], []))[0].append(task.uid)
        for unit in task.cooperating_units:
            units[unit.id] = unit
            roles.setdefault(unit.id, ([], []))[1].append(task.uid)
    expected = session.execute(select(ExpectedUnit.name, ExpectedUnit.unit_code)).all()
    result = []
    for unit in sorted(units.values(), key=lambda u: (u.sort_order, u.id)):
        code = next((c for name, c in expected if names_match(name, unit.name)), None)
        leads, cooperates = roles[unit.id]
        result.append({"name": unit.name, "code": code, "leads": leads, "cooperates": cooperates})
    return result


def plan_json(session: Session, plan: Plan, version: int, created_at: datetime) -> dict:
    """plan.json of the package: the plan as the lower units need it (tasks the upper level dropped stay home)."""
    dept = department_info(session)
    check_unit_code(dept.unit_code)
    tasks = [t for t in session.scalars(
        select(Task).where(Task.plan_id == plan.id).order_by(Task.position)
        .options(selectinload(Task.lead_unit), selectinload(Task.cooperating_units), selectinload(Task.group)))
        if not t.upper_state]
    group_keys: dict[int, str] = {}
    groups = []
    for group in plan.groups:
        if any(t.group_id == group.id for t in tasks):
            group_keys[group.id] = f"g{len(groups) + 1}"
            groups.append({"key": group_keys[group.id], "number": group.number, "title": group.title})
    return {
        "format": pp.FORMAT,
        "issuer": {"code": dept.unit_code, "name": dept.name, "name_in_text": dept.name_in_text,
                   "abbreviation": dept.abbreviation, "parent_agency": dept.parent_agency,
                   "place_name": dept.place_name},
        "plan": {"uid": plan.uid, "version": version, "created_at": iso_datetime(created_at), "number": plan.number,
                 "issued_on": plan.issued_on.isoformat() if plan.issued_on else None, "title": plan.title,
                 "program": plan.program, "basis_documents": list(plan.basis_documents or []),
                 "start_year": plan.start_year, "end_year": plan.end_year, "report_to": plan.report_to,
                 "schedule": ReportingSchedule.from_json(plan.schedule or {}).to_json()},
        "groups": groups,
        "tasks": [{"uid": t.uid, "number": t.number, "group": group_keys.get(t.group_id), "content": t.content,
                   "lead": t.lead_unit.name if t.lead_unit else "",
                   "cooperating": [u.name for u in t.cooperating_units], "timeframe": t.timeframe_text,
                   "expected_output": t.expected_output} for t in tasks],
        "units": _units(session, tasks),
        "targets": [{"position": t.position, "content": t.content, "goal_text": t.goal_text,
                     "goal_value": t.goal_value, "measure_unit": t.measure_unit} for t in plan.targets],
        "outline": _outline(plan),
    }


def export_plan_package(workspace: Workspace, out_dir: str | Path, now: datetime | None = None) -> PlanExportResult:
    """Write the current plan as KeHoach_<abbreviation>_v<N>.zip into `out_dir`, record the version, log it."""
    created_at = now or now_local()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"{out} không phải thư mục; hãy chọn thư mục để lưu gói kế hoạch.")
    staged: Path | None = None
    published = False
    try:
        with workspace.unit_of_work() as session:
            plan = current_plan(session)
            audit.lock_current(session, plan)
            data = plan_json(session, plan, 1, created_at)
            digest = pp.content_digest(data)
            unchanged = plan.package_version > 0 and plan.package_digest == digest
            version = plan.package_version if unchanged else plan.package_version + 1
            data["plan"]["version"] = version
            problems = validate(data, "data", pp.DATA_NAME, kind="plan")
            if problems:
                raise InvalidInputError("Kế hoạch chưa đóng gói được:\n" + "\n".join(problems[:10]))
            file_name = pp.plan_file_name(data["issuer"]["abbreviation"], version)
            target = out / file_name
            if target.exists():
                raise InvalidInputError(f"Trong {out} đã có tệp {file_name}. Hãy chuyển tệp cũ đi nơi khác hoặc chọn "
                                        "thư mục khác, để không ghi đè một gói đã gửi.")
            staged = stage_file(target)
            try:
                check = pp.write_plan_package(staged, data, created_at)
            except OSError as exc:
                raise explain_os_error(exc, target) from exc
            flush_file(staged, target)
            if not unchanged:
                audit.apply_changes(session, plan, "plan", {"package_version": version, "package_digest": digest})
            audit.record(session, "export", "plan", plan.id, "package_version", None,
                         f"{file_name} (gói kế hoạch phiên bản {version}, {len(data['tasks'])} nhiệm vụ, "
                         f"SHA-256 {check.sha256})")
            session.flush()
            result = PlanExportResult(target, file_name, version, not unchanged, check.sha256, check.size,
                                      len(data["tasks"]), len(data["units"]))
        publish_file(staged, target)
        published = True
    finally:
        if staged is not None and not published:
            staged.unlink(missing_ok=True)
    return result
