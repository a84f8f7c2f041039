"""The department profile, its units, the user's settings, and the plan's header, sections and targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Department, Plan, Setting, Target, Task, Unit, task_cooperating_unit
from desktop.domain.periods import ReportingSchedule
from desktop.domain.text import as_text, as_text_list
from desktop.errors import InvalidInputError, NotFoundError
from desktop.services import audit
from desktop.services.queries import current_plan
from desktop.services.setup import create_plan, parsed_timeframe, sync_periods
from desktop.services.workspace import FONT_PATH_KEY, USER_NAME_KEY

DEPARTMENT_FIELDS = ("parent_agency", "name", "name_in_text", "abbreviation", "unit_code", "place_name",
                     "signer_name", "signer_title", "signer_authority", "default_recipients")
PLAN_FIELDS = ("number", "issued_on", "title", "program", "basis_documents", "preamble", "purposes",
               "requirements", "goals", "tasks_and_solutions", "organization", "start_year", "end_year",
               "schedule", "report_to")


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    short_name: str
    is_internal: bool
    task_count: int


@dataclass(frozen=True)
class TargetRow:
    id: int
    position: int
    content: str
    goal_text: str
    goal_value: float | None
    measure_unit: str


def _clean(value: Any, label: str = "giá trị") -> Any:
    if isinstance(value, (list, tuple)):
        return as_text_list(value, label)
    if isinstance(value, (bool, int, float, date)) or value is None:
        return value
    return as_text(value, label)


# --- settings -----------------------------------------------------------------------------------

def get_setting(session: Session, key: str, default: str = "") -> str:
    value = session.scalar(select(Setting.value).where(Setting.key == key))
    return default if value is None else value


def set_setting(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    old = row.value if row else None
    value = _clean(value)
    if old == value:
        return
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    audit.record(session, "update", "setting", None, key, old, value)


def set_user_name(session: Session, name: str) -> None:
    name = as_text(name, "tên người dùng").strip()
    if not name:
        raise InvalidInputError("Tên người dùng không được để trống (dùng để ghi nhật ký thay đổi).")
    set_setting(session, USER_NAME_KEY, name)


def set_report_font(session: Session, path: str) -> None:
    """Choose the report font; checked at once so a wrong file is refused with a clear message."""
    path = _clean(path).strip()
    if path:
        from desktop.reporting.fonts import check_font_file

        check_font_file(path)
    set_setting(session, FONT_PATH_KEY, path)


# --- department ---------------------------------------------------------------------------------

def get_department(session: Session) -> Department | None:
    return session.scalar(select(Department).limit(1))


def save_department(session: Session, **fields: Any) -> Department:
    """Create or change the department profile (who issues and signs the documents)."""
    unknown = set(fields) - set(DEPARTMENT_FIELDS)
    if unknown:
        raise InvalidInputError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    clean = {key: _clean(value, key) for key, value in fields.items()}
    for key in ("name", "abbreviation"):
        if key in clean and not str(clean[key]).strip():
            raise InvalidInputError("Tên cơ quan và chữ viết tắt (dùng trong số văn bản) không được để trống.")
    if "abbreviation" in clean and not str(clean["abbreviation"]).replace("-", "").isalnum():
        raise InvalidInputError("Chữ viết tắt chỉ gồm chữ và số, ví dụ SXD.")
    department = get_department(session)
    if department is None:
        missing = [k for k in ("parent_agency", "name", "abbreviation", "place_name") if not clean.get(k)]
        if missing:
            raise InvalidInputError("Cần nhập cơ quan chủ quản, tên cơ quan, chữ viết tắt và địa danh.")
        clean.setdefault("unit_code", clean["abbreviation"])
        clean.setdefault("name_in_text", clean["name"].capitalize())
        department = Department(**clean)
        session.add(department)
        session.flush()
        audit.record(session, "create", "department", department.id, "name", None, department.name)
        return department
    audit.apply_changes(session, department, "department", clean)
    return department


# --- units --------------------------------------------------------------------------------------

def list_units(session: Session) -> list[UnitRow]:
    lead_counts = dict(session.execute(select(Task.lead_unit_id, func.count()).group_by(Task.lead_unit_id)).all())
    coop_counts = dict(session.execute(select(task_cooperating_unit.c.unit_id, func.count())
                                       .group_by(task_cooperating_unit.c.unit_id)).all())
    return [UnitRow(u.id, u.name, u.short_name, u.is_internal, lead_counts.get(u.id, 0) + coop_counts.get(u.id, 0))
            for u in session.scalars(select(Unit).order_by(Unit.sort_order, Unit.name))]


def add_unit(session: Session, name: str, short_name: str = "", is_internal: bool = True) -> Unit:
    name = as_text(name, "tên đơn vị").strip()
    if not name:
        raise InvalidInputError("Tên đơn vị không được để trống.")
    if session.scalar(select(Unit.id).where(func.lower(Unit.name) == name.lower())) is not None:
        raise InvalidInputError(f"Đơn vị \"{name}\" đã có trong danh sách.")
    order = (session.scalar(select(func.max(Unit.sort_order))) or 0) + 1
    unit = Unit(name=name, short_name=as_text(short_name, "tên viết tắt"), is_internal=bool(is_internal),
                sort_order=order)
    session.add(unit)
    session.flush()
    audit.record(session, "create", "unit", unit.id, "name", None, name)
    return unit


def update_unit(session: Session, unit_id: int, **fields: Any) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFoundError("Đơn vị này không còn trong danh sách.")
    clean = {k: _clean(v, k) for k, v in fields.items() if k in ("name", "short_name", "is_internal")}
    if "name" in clean and not clean["name"].strip():
        raise InvalidInputError("Tên đơn vị không được để trống.")
    audit.apply_changes(session, unit, "unit", clean)
    return unit


def delete_unit(session: Session, unit_id: int) -> None:
    unit = session.get(Unit, unit_id)
    if unit is None:
        return
    used = session.scalar(select(func.count()).select_from(Task).where(Task.lead_unit_id == unit_id))
    used += session.scalar(select(func.count()).select_from(task_cooperating_unit)
                           .where(task_cooperating_unit.c.unit_id == unit_id))
    if used:
        raise InvalidInputError(f"Đơn vị \"{unit.name}\" đang được giao {used} nhiệm vụ; hãy đổi đơn vị của các "
                                "nhiệm vụ đó trước khi xóa.")
    audit.record(session, "delete", "unit", unit.id, "name", unit.name, None)
    session.delete(unit)


# --- plan ---------------------------------------------------------------------------------------

def save_plan(session: Session, **fields: Any) -> Plan:
    """Change the plan's header, sections, years or schedule; periods follow the schedule."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise InvalidInputError(f"Trường không hợp lệ: {', '.join(sorted(unknown))}.")
    plan = current_plan(session)
    clean = {k: (_clean(v, k) if k not in ("schedule", "issued_on", "start_year", "end_year") else v)
             for k, v in fields.items()}
    if "issued_on" in clean and clean["issued_on"] is not None and not isinstance(clean["issued_on"], date):
        raise InvalidInputError("Ngày ban hành không hợp lệ.")
    start, end = clean.get("start_year", plan.start_year), clean.get("end_year", plan.end_year)
    if not (isinstance(start, int) and isinstance(end, int) and 2000 <= start <= end <= 2100):
        raise InvalidInputError("Giai đoạn kế hoạch không hợp lệ: năm bắt đầu phải không lớn hơn năm kết thúc.")
    if "schedule" in clean:
        clean["schedule"] = ReportingSchedule.from_json(clean["schedule"]).to_json()
    changed = audit.apply_changes(session, plan, "plan", clean)
    if {"start_year", "end_year", "schedule"} & set(changed):
        sync_periods(session, plan)
        for task in plan.tasks:  # recurring deadlines are expanded within the plan's years
            task.timeframe = parsed_timeframe(task.timeframe_text, plan)
    return plan


def list_targets(session: Session) -> list[TargetRow]:
    plan = current_plan(session)
    return [TargetRow(t.id, t.position, t.content, t.goal_text, t.goal_value, t.measure_unit) for t in plan.targets]


def save_target(session: Session, target_id: int | None, content: str, goal_text: str = "",
                goal_value: float | None = None, measure_unit: str = "") -> Target:
    """Add (target_id None) or change a measurable target of the plan."""
    plan = current_plan(session)
    content = as_text(content, "nội dung chỉ tiêu").strip()
    if not content:
        raise InvalidInputError("Nội dung chỉ tiêu không được để trống.")
    if goal_value is not None and not isinstance(goal_value, (int, float)):
        raise InvalidInputError("Giá trị mục tiêu phải là một số.")
    values = {"content": content, "goal_text": as_text(goal_text, "mục tiêu"), "goal_value": goal_value,
              "measure_unit": as_text(measure_unit, "đơn vị tính")}
    if target_id is None:
        target = Target(plan_id=plan.id, position=len(plan.targets) + 1, **values)
        session.add(target)
        session.flush()
        audit.record(session, "create", "target", target.id, "content", None, content)
        return target
    target = session.get(Target, target_id)
    if target is None:
        raise NotFoundError("Chỉ tiêu này không còn trong kế hoạch.")
    audit.apply_changes(session, target, "target", values)
    return target


def delete_target(session: Session, target_id: int) -> None:
    target = session.get(Target, target_id)
    if target is None:
        return
    plan_id = target.plan_id
    audit.record(session, "delete", "target", target.id, "content", target.content, None)
    session.delete(target)
    session.flush()
    remaining = session.scalars(select(Target).where(Target.plan_id == plan_id).order_by(Target.position))
    for position, item in enumerate(remaining, start=1):
        item.position = position


def start_own_plan(session: Session, department: dict, unit_names: list[str], title: str, start_year: int,
                   end_year: int, schedule: dict | None = None) -> Plan:
    """The first-run wizard's "tự nhập" path: the department, its units and an empty plan, all or nothing."""
    save_department(session, **department)
    for name in unit_names:
        add_unit(session, name)
    return create_plan(session, title, start_year, end_year, schedule)
