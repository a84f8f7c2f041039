"""Creating a database, loading the sample plan, and keeping a plan's periods in step with its schedule."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Department, Export, Period, Plan, Progress, Report, Target, TargetFigure, Task, Unit
from desktop.domain.periods import ReportingSchedule, periods_for_plan
from desktop.domain.text import nfc
from desktop.domain.timeframe import parse_timeframe
from desktop.errors import InvalidInputError
from desktop.services import audit
from desktop.services.queries import current_plan
from desktop.services.workspace import Workspace
from resources import resource_path

SAMPLE_FILE = resource_path("sample", "sample_plan.json")


@dataclass(frozen=True)
class InitResult:
    location: str
    sample_loaded: bool
    task_count: int
    period_count: int


@dataclass(frozen=True)
class PeriodSync:
    """What following the regime did to the plan's periods (codes)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]  # no longer in the regime and held no data
    kept: tuple[str, ...]  # no longer in the regime but hold recorded data: kept as they were, never dropped


def _period_has_data(session: Session, period: Period) -> bool:
    if period.id is None:
        return False
    if period.sent_at is not None:
        return True
    return any(session.scalar(select(model.id).where(model.period_id == period.id).limit(1)) is not None
               for model in (Progress, TargetFigure, Report, Export))


def reconcile_periods(session: Session, plan: Plan) -> PeriodSync:
    """Make the plan's periods those its regime calls for: add the new ones, update windows and deadlines,
    delete the ones the regime no longer has, except a period holding data (progress, figures, a report, an
    export or a sending), which is kept untouched and named in the result."""
    schedule = ReportingSchedule.from_json(plan.schedule or {})
    existing = {p.code: p for p in plan.periods}
    wanted = periods_for_plan(plan.start_year, plan.end_year, schedule)
    added: list[str] = []
    for spec in wanted:
        values = dict(kind=spec.kind, title=spec.title, cutoff_start=spec.cutoff_start,
                      cutoff_end=spec.cutoff_end, span_start=spec.span_start, span_end=spec.span_end,
                      deadline=spec.deadline)
        row = existing.get(spec.code)
        if row is None:
            plan.periods.append(Period(code=spec.code, **values))
            added.append(spec.code)
        else:
            for key, value in values.items():
                setattr(row, key, value)
    codes = {spec.code for spec in wanted}
    removed, kept = [], []
    for code, row in existing.items():
        if code in codes:
            continue
        if _period_has_data(session, row):
            kept.append(code)
        else:
            plan.periods.remove(row)
            removed.append(code)
            audit.record(session, "delete", "period", row.id, "code", code, None)
    return PeriodSync(tuple(added), tuple(removed), tuple(kept))


def sync_periods(session: Session, plan: Plan) -> int:
    """Create the periods the plan's schedule calls for and update their windows; returns how many were added."""
    return len(reconcile_periods(session, plan).added)


def parsed_timeframe(text: str, plan: Plan) -> dict:
    """The stored (JSON) form of a task's timeframe, read within the plan's years."""
    return parse_timeframe(text, (plan.start_year, plan.end_year)).to_json()


def _unit(session: Session, name: str, cache: dict[str, Unit], **extra) -> Unit:
    name = nfc(name)
    if name in cache:
        return cache[name]
    unit = session.scalar(select(Unit).where(Unit.name == name))
    if unit is None:
        order = (session.scalar(select(func.max(Unit.sort_order))) or 0) + 1
        unit = Unit(name=name, sort_order=order, **extra)
        session.add(unit)
        session.flush()
    cache[name] = unit
    return unit


def load_sample(session: Session) -> bool:
    """Load the sample plan unless it is already there; returns True when something was added."""
    data = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    plan_data = data["plan"]
    if session.scalar(select(Plan.id).where(Plan.is_sample.is_(True))) is not None:
        return False
    if session.scalar(select(Department.id)) is None:
        session.add(Department(**data["department"]))
    units: dict[str, Unit] = {}
    for spec in data["units"]:
        _unit(session, spec["name"], units, short_name=spec.get("short_name", ""),
              is_internal=bool(spec.get("internal", True)))
    issued = plan_data.get("issued_on")
    plan = Plan(
        number=plan_data["number"], issued_on=date.fromisoformat(issued) if issued else None,
        title=plan_data["title"], program=plan_data["program"],
        basis_documents=plan_data["basis_documents"], preamble=plan_data["preamble"],
        purposes=plan_data["purposes"], requirements=plan_data["requirements"], goals=plan_data["goals"],
        tasks_and_solutions=plan_data["tasks_and_solutions"], organization=plan_data["organization"],
        start_year=plan_data["start_year"], end_year=plan_data["end_year"],
        schedule=plan_data["schedule"], report_to=plan_data.get("report_to", ""), is_sample=True)
    session.add(plan)
    for position, spec in enumerate(data["targets"], start=1):
        plan.targets.append(Target(position=position, content=spec["content"], goal_text=spec["goal_text"],
                                   goal_value=spec.get("goal_value"), measure_unit=spec.get("measure_unit", "")))
    for position, spec in enumerate(data["tasks"], start=1):
        task = Task(position=position, number=spec["number"], content=spec["content"],
                    lead_unit=_unit(session, spec["lead"], units),
                    timeframe_text=spec["timeframe"], timeframe=parsed_timeframe(spec["timeframe"], plan),
                    expected_output=spec.get("output", ""))
        task.cooperating_units = [_unit(session, name, units) for name in spec.get("cooperating", [])]
        plan.tasks.append(task)
    sync_periods(session, plan)
    session.flush()
    audit.record(session, "create", "plan", plan.id, "", None, "Nạp kế hoạch mẫu")
    return True


def initialise(target: str | None, sample: bool) -> InitResult:
    """Create or upgrade the database at `target`; with `sample`, load the sample plan (once)."""
    workspace = Workspace.open(target)
    try:
        with workspace.unit_of_work() as session:
            loaded = load_sample(session) if sample else False
            plan = current_plan(session, required=False)
            tasks = len(plan.tasks) if plan else 0
            periods = len(plan.periods) if plan else 0
        return InitResult(workspace.location, loaded, tasks, periods)
    finally:
        workspace.close()


def create_plan(session: Session, title: str, start_year: int, end_year: int, schedule: dict | None = None,
                number: str = "", report_to: str = "") -> Plan:
    """Start a new, empty plan (the first-run wizard's "tự nhập" path); periods follow the schedule."""
    title = nfc(title)
    if not title:
        raise InvalidInputError("Tên (trích yếu) của kế hoạch không được để trống.")
    if not (2000 <= start_year <= end_year <= 2100):
        raise InvalidInputError("Giai đoạn kế hoạch không hợp lệ: năm bắt đầu phải không lớn hơn năm kết thúc.")
    schedule_json = ReportingSchedule.from_json(schedule or {}).to_json()
    plan = Plan(title=title, number=nfc(number), start_year=start_year, end_year=end_year,
                schedule=schedule_json, report_to=nfc(report_to))
    session.add(plan)
    sync_periods(session, plan)
    session.flush()
    audit.record(session, "create", "plan", plan.id, "title", None, title)
    return plan
