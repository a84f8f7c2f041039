"""Lower side: reading the upper level's plan package ("Nhập kế hoạch cấp trên"), previewing it, merging it.

The package is verified in memory before any unit of work opens, so a refused package writes nothing. A first
import creates the plan with the unit's own tasks (preselected by its name; nothing retyped), each task keeping
the upper task's uid. A later version (an amendment) shows its differences first, then merges: texts, units and
deadlines follow the upper plan, progress is never touched, and a task the upper level dropped is removed only
while it has no results; with results it stays, marked "Cấp trên đã bỏ". Everything goes into the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.models import Department, Plan, Progress, Setting, Task
from desktop.bundle import plan_package as pp
from desktop.bundle.plan_diff import (
    ROLE_LABELS, LocalTask, PlanDiff, baseline_of, compute_diff, find_own_unit, preselected, task_role,
)
from desktop.errors import InvalidInputError, KhbcError
from desktop.importers.units import names_match
from desktop.services import audit, profile
from desktop.services.plan_merge import apply_package
from desktop.services.workspace import Workspace

UNIT_SETTING = "upper_plan_unit."  # + plan uid: the unit name chosen in the package at the first import
DECLINED_SETTING = "upper_plan_declined."  # + plan uid: the unit's own tasks it chose not to take (JSON list)
BASELINE_SETTING = "upper_plan_said."  # + plan uid: each task as the last imported version said it (JSON)


class PlanPackageRefused(KhbcError):
    """The package is not a valid plan package, or not one this database may take (older or same version)."""

    def __init__(self, message: str, problems: tuple[str, ...] = ()):
        full = message + ("".join(f"\n- {p}" for p in problems) if problems else "")
        super().__init__(full)
        self.problems = problems


@dataclass(frozen=True)
class PackageTask:
    """One task of the package as the import dialog lists it."""

    uid: str
    number: str
    group_title: str
    content: str
    lead: str
    cooperating: tuple[str, ...]
    timeframe: str
    expected_output: str
    role: str | None  # lead | cooperate | general | None (not the unit's)
    role_label: str
    preselected: bool
    already_here: bool


@dataclass
class PlanImportPreview:
    """What importing the package would do; `refusal` says why it may not be imported (older or same version)."""

    file_name: str
    sha256: str
    issuer_name: str
    plan_number: str
    plan_title: str
    version: int
    previous_version: int | None  # the version this database has, None for a first import
    unit_name: str | None  # the unit's name as the package writes it
    unit_names: list[str]
    tasks: list[PackageTask]
    diff: PlanDiff
    refusal: str | None = None
    data: dict = field(default_factory=dict, repr=False)

    @property
    def amendment(self) -> bool:
        return self.previous_version is not None

    def preselected(self) -> set[str]:
        return {t.uid for t in self.tasks if t.preselected}

    def lines(self) -> list[str]:
        head = (f"Gói kế hoạch: Kế hoạch số {self.plan_number or '(chưa có số)'} của {self.issuer_name}, "
                f"phiên bản {self.version}.")
        lines = [head, f"Trích yếu: {self.plan_title}"]
        if self.unit_name:
            lines.append(f"Đơn vị của bạn trong kế hoạch: {self.unit_name}.")
        else:
            lines.append("Không tìm thấy tên đơn vị của bạn trong danh sách đơn vị của kế hoạch; hãy chọn đơn vị "
                         "(lệnh: --unit \"Tên đơn vị\").")
        if self.refusal:
            return lines
        if self.amendment:
            lines.append(f"Sửa đổi so với phiên bản {self.previous_version} đang có:")
            lines.extend(self.diff.lines())
        else:
            chosen = [t for t in self.tasks if t.preselected]
            lines.append(f"Sẽ tạo kế hoạch với {len(chosen)}/{len(self.tasks)} nhiệm vụ của đơn vị:")
            lines.extend(f"  + {t.number}. {t.content[:90]} ({t.role_label})" for t in chosen)
        offered = [t for t in self.tasks if t.role == "general" and not t.preselected and not t.already_here]
        if offered:
            lines.append(f"Nhiệm vụ giao chung có thể nhận thêm ({len(offered)}; dùng --task MÃ):")
            lines.extend(f"  ? {t.number}. {t.content[:80]} — mã {t.uid}" for t in offered)
        return lines


@dataclass(frozen=True)
class PlanImportResult:
    plan_id: int
    version: int
    previous_version: int | None
    added: int
    updated: int
    removed: int
    kept_marked: int
    message: str


def read_package(path: str | Path) -> pp.PlanCheck:
    """Verify the file (no database involved); raises PlanPackageRefused with every problem found."""
    check = pp.verify_plan_file(Path(path))
    if not check.ok:
        raise PlanPackageRefused(f"Từ chối gói kế hoạch {check.file_name}:", tuple(check.problems))
    return check


def _target_plan(session: Session, plan_uid: str) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.upper_plan_uid == plan_uid)
                          .order_by(Plan.created_at.desc(), Plan.id.desc()).limit(1))


def _own_unit(session: Session, data: dict, unit: str | None) -> str | None:
    units = data["units"]
    names = [u["name"] for u in units]
    if unit:
        found = next((n for n in names if names_match(n, unit)), None)
        if found is None:
            raise InvalidInputError(f"Không có đơn vị \"{unit}\" trong kế hoạch này. Các đơn vị có tên trong kế "
                                    "hoạch: " + "; ".join(names[:40]) + ".")
        return found
    remembered = profile.get_setting(session, UNIT_SETTING + data["plan"]["uid"])
    if remembered and remembered in names:
        return remembered
    dept = session.scalar(select(Department).limit(1))
    if dept is None:
        return None
    return find_own_unit(units, dept.unit_code, [dept.name_in_text, dept.name, dept.abbreviation])


def local_tasks(session: Session, plan: Plan) -> list[LocalTask]:
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id, Task.upper_uid.is_not(None))
                            .options(selectinload(Task.lead_unit), selectinload(Task.cooperating_units),
                                     selectinload(Task.group))).all()
    with_results = set(session.scalars(select(Progress.task_id).where(
        Progress.task_id.in_([t.id for t in tasks]))))
    return [LocalTask(t.id, t.upper_uid, t.number, t.content, t.group.title if t.group else "",
                      t.lead_unit.name if t.lead_unit else "", tuple(u.name for u in t.cooperating_units),
                      t.timeframe_text, t.expected_output, t.id in with_results, t.upper_state) for t in tasks]


def local_plan_values(plan: Plan) -> dict:
    return {"number": plan.number, "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
            "title": plan.title, "start_year": plan.start_year, "end_year": plan.end_year,
            "schedule": plan.schedule or {}, "targets": [t.content for t in plan.targets]}


def _declined(session: Session, plan_uid: str) -> set[str]:
    try:
        stored = json.loads(profile.get_setting(session, DECLINED_SETTING + plan_uid) or "[]")
    except ValueError:
        return set()
    return {uid for uid in stored if isinstance(uid, str)} if isinstance(stored, list) else set()


def _baseline(session: Session, plan_uid: str) -> dict:
    try:
        stored = json.loads(profile.get_setting(session, BASELINE_SETTING + plan_uid) or "{}")
    except ValueError:
        return {}
    return stored if isinstance(stored, dict) else {}


def _remember_baseline(session: Session, data: dict) -> None:
    """Kept without an audit entry: bookkeeping of what the package said, not a change of the unit's data."""
    key = BASELINE_SETTING + data["plan"]["uid"]
    value = json.dumps(baseline_of(data), ensure_ascii=False)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def _remember_declined(session: Session, preview: PlanImportPreview) -> None:
    """The unit's own tasks left unticked: not offered as new again at the next amendment."""
    declined = sorted(t.uid for t in preview.tasks if t.role in ("lead", "cooperate") and not t.preselected
                      and not t.already_here)
    key = DECLINED_SETTING + preview.data["plan"]["uid"]
    if declined or profile.get_setting(session, key):
        profile.set_setting(session, key, json.dumps(declined))


def _refusal(plan: Plan, version: int, number: str) -> str | None:
    have = plan.upper_version or 0
    if version == have:
        return (f"Phiên bản {version} của Kế hoạch số {number or '(chưa có số)'} đã được nhập trước đây; "
                "không có gì để cập nhật.")
    if version < have:
        return (f"Gói này là phiên bản {version}, cũ hơn phiên bản {have} đã nhập. KHBC không nhập phiên bản cũ để "
                "khỏi mất các sửa đổi mới hơn của cấp trên.")
    return None


def _preview(session: Session, check: pp.PlanCheck, unit: str | None,
             selected: set[str] | None) -> tuple[PlanImportPreview, Plan | None]:
    data = check.data
    plan_info = data["plan"]
    own = _own_unit(session, data, unit)
    plan = _target_plan(session, plan_info["uid"])
    local = local_tasks(session, plan) if plan is not None else []
    here = {t.upper_uid for t in local}
    groups = {g["key"]: g["title"] for g in data["groups"]}
    if selected is None:  # the unit's own tasks, less those it chose not to take at an earlier import
        declined = _declined(session, plan_info["uid"])
        selected = {t["uid"] for t in data["tasks"] if preselected(task_role(t, own)) and t["uid"] not in declined}
    rows = []
    for task in data["tasks"]:
        role = task_role(task, own)
        chosen = task["uid"] in here or task["uid"] in selected
        rows.append(PackageTask(task["uid"], task["number"], groups.get(task["group"], ""), task["content"],
                                task["lead"], tuple(task["cooperating"]), task["timeframe"], task["expected_output"],
                                role, ROLE_LABELS.get(role, ""), chosen, task["uid"] in here))
    diff = compute_diff(local, data, own, local_plan_values(plan) if plan is not None else None, selected,
                        _baseline(session, plan_info["uid"]) if plan is not None else None)
    preview = PlanImportPreview(
        check.file_name, check.sha256, data["issuer"]["name_in_text"], plan_info["number"], plan_info["title"],
        plan_info["version"], plan.upper_version if plan is not None else None, own,
        [u["name"] for u in data["units"]], rows, diff,
        _refusal(plan, plan_info["version"], plan_info["number"]) if plan is not None else None, data)
    return preview, plan


def preview_plan_import(workspace: Workspace, path: str | Path, unit: str | None = None,
                        selected: set[str] | None = None) -> PlanImportPreview:
    """What importing the package would change (nothing is written). Raises PlanPackageRefused if it is invalid."""
    check = read_package(path)
    with workspace.unit_of_work() as session:
        preview, _plan = _preview(session, check, unit, selected)
        session.rollback()
    return preview


def import_plan_package(workspace: Workspace, path: str | Path, unit: str | None = None,
                        selected: set[str] | None = None, expected_sha256: str | None = None) -> PlanImportResult:
    """Create or amend the plan from the package; `selected` are the uids to take (default: the unit's own).

    `expected_sha256`, from the preview the clerk saw, makes sure the file merged is the file previewed."""
    check = read_package(path)
    if expected_sha256 is not None and check.sha256 != expected_sha256:
        raise PlanPackageRefused(f"Tệp {check.file_name} đã thay đổi sau khi xem trước; hãy mở lại để xem thay đổi "
                                 "trước khi nhập.")
    with workspace.unit_of_work() as session:
        return merge_checked(session, check, unit, selected)


def merge_checked(session: Session, check: pp.PlanCheck, unit: str | None = None,
                  selected: set[str] | None = None) -> PlanImportResult:
    """Merge a verified package in the caller's unit of work (the first-run wizard saves the profile with it)."""
    preview, plan = _preview(session, check, unit, selected)
    if preview.refusal:
        raise PlanPackageRefused(preview.refusal)
    if not preview.unit_name and selected is None:
        raise InvalidInputError(
            "Không tìm thấy đơn vị của bạn trong danh sách đơn vị của kế hoạch nên chưa biết nhiệm vụ nào là của "
            "đơn vị. Hãy chọn đơn vị (lệnh khbc plan-import … --unit \"Tên đơn vị\") hoặc sửa tên đơn vị trong "
            "Cài đặt. Các đơn vị trong kế hoạch: " + "; ".join(preview.unit_names[:40]) + ".")
    counts, plan = apply_package(session, plan, check.data, preview.diff, check.file_name, check.sha256)
    if preview.unit_name:
        profile.set_setting(session, UNIT_SETTING + check.data["plan"]["uid"], preview.unit_name)
    _remember_declined(session, preview)
    _remember_baseline(session, check.data)
    audit.record(session, "import", "plan", plan.id, "upper_version", preview.previous_version,
                 f"{check.file_name}: Kế hoạch số {preview.plan_number} của {preview.issuer_name}, phiên bản "
                 f"{preview.version} (SHA-256 {check.sha256}); thêm {counts['added']}, cập nhật "
                 f"{counts['updated']}, bỏ {counts['removed']}, giữ lại và đánh dấu {counts['kept']}")
    session.flush()
    if preview.amendment:
        message = (f"Đã cập nhật kế hoạch theo phiên bản {preview.version} (trước là {preview.previous_version}): "
                   f"thêm {counts['added']}, cập nhật {counts['updated']}, bỏ {counts['removed']} nhiệm vụ"
                   + (f", giữ lại {counts['kept']} nhiệm vụ đã có kết quả (đánh dấu cấp trên đã bỏ/giao đơn vị khác)"
                      if counts["kept"] else "") + ". Kết quả đã ghi không thay đổi.")
    else:
        message = (f"Đã nhập Kế hoạch số {preview.plan_number or '(chưa có số)'} của {preview.issuer_name} (phiên bản "
                   f"{preview.version}) với {counts['added']} nhiệm vụ của đơn vị.")
    return PlanImportResult(plan.id, preview.version, preview.previous_version, counts["added"], counts["updated"],
                            counts["removed"], counts["kept"], message)
