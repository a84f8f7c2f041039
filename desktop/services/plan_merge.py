"""Writing a verified plan package into the lower unit's database: a new plan, or an amendment merged by its diff.

Progress and evidence are never touched. Each change is logged field by field in the audit trail.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Plan, Target, TargetFigure, Task, TaskGroup
from desktop.bundle.plan_diff import LocalTask, PlanDiff
from desktop.domain.periods import ReportingSchedule
from desktop.domain.text import fold, nfc
from desktop.services import audit
from desktop.services.setup import _unit, parsed_timeframe, sync_periods


def _plan_fields(data: dict) -> dict:
    plan, issuer = data["plan"], data["issuer"]
    return {"number": nfc(plan["number"]), "issued_on": date.fromisoformat(plan["issued_on"]) if plan["issued_on"] else None,
            "title": nfc(plan["title"]), "program": nfc(plan["program"]),
            "basis_documents": [nfc(b) for b in plan["basis_documents"]],
            "start_year": plan["start_year"], "end_year": plan["end_year"],
            "schedule": ReportingSchedule.from_json(plan["schedule"]).to_json(),
            "report_to": nfc(issuer["name_in_text"])}


def _set_outline(plan: Plan, data: dict) -> None:
    """The report outline travels with the plan where the model can hold it (outline-as-data work)."""
    if hasattr(Plan, "outline") and data["outline"] is not None:
        plan.outline = data["outline"]


class _Writer:
    """Tasks, groups and units of one plan, created or updated from the package's values."""

    def __init__(self, session: Session, plan: Plan, data: dict):
        self.session, self.plan = session, plan
        self.units: dict = {}
        self.group_titles = {g["key"]: (g["number"], nfc(g["title"])) for g in data["groups"]}
        self.groups = {fold(g.title): g for g in plan.groups}
        self.user = audit.current_user(session)

    def group(self, key: str | None) -> TaskGroup | None:
        if key is None:
            return None
        number, title = self.group_titles[key]
        group = self.groups.get(fold(title))
        if group is None:
            group = TaskGroup(title=title, number=number, position=len(self.groups) + 1)
            self.plan.groups.append(group)
            self.groups[fold(title)] = group
        elif group.number != number:
            group.number = number
        return group

    def fields(self, spec: dict) -> dict:
        return {"number": nfc(spec["number"]), "content": nfc(spec["content"]),
                "timeframe_text": nfc(spec["timeframe"]), "timeframe": parsed_timeframe(nfc(spec["timeframe"]), self.plan),
                "expected_output": nfc(spec["expected_output"]), "group": self.group(spec["group"])}

    def set_units(self, task: Task, spec: dict) -> None:
        lead = _unit(self.session, spec["lead"], self.units) if spec["lead"].strip() else None
        cooperating = list({id(u): u for u in (_unit(self.session, name, self.units)
                                                for name in spec["cooperating"])}.values())
        old = (task.lead_unit.name if task.lead_unit else "", [u.name for u in task.cooperating_units])
        task.lead_unit = lead
        task.cooperating_units = cooperating
        new = (lead.name if lead else "", [u.name for u in cooperating])
        if task.id is not None and old[0] != new[0]:
            audit.record(self.session, "update", "task", task.id, "lead_unit", old[0], new[0], self.user)
        if task.id is not None and old[1] != new[1]:
            audit.record(self.session, "update", "task", task.id, "cooperating_units", old[1], new[1], self.user)

    def add(self, spec: dict, position: int) -> Task:
        task = Task(upper_uid=spec["uid"], position=position, **self.fields(spec))
        self.set_units(task, spec)
        self.plan.tasks.append(task)
        self.session.flush()
        audit.record(self.session, "create", "task", task.id, "upper_uid", None,
                     f"{spec['uid']}: {task.number}. {task.content[:200]}", self.user)
        return task

    def update(self, task: Task, spec: dict, said: LocalTask) -> bool:
        """Apply what the upper level changed since it last said `said`; the unit's own edits of other fields stay."""
        values = self.fields(spec)
        group = values.pop("group")
        was = {"number": said.number, "content": said.content, "timeframe_text": said.timeframe,
               "expected_output": said.expected_output}
        changes = {key: value for key, value in values.items() if key == "timeframe" or was[key] != value}
        if "timeframe_text" not in changes:
            changes.pop("timeframe")
        changed = audit.apply_changes(self.session, task, "task", {**changes, "upper_state": ""}, self.user)
        new_title = self.group_titles[spec["group"]][1] if spec["group"] else ""
        if said.group_title != new_title and task.group is not group:
            audit.record(self.session, "update", "task", task.id, "group", task.group.title if task.group else "",
                         group.title if group else "", self.user)
            task.group = group
            changed.append("group")
        if (said.lead, tuple(said.cooperating)) != (spec["lead"], tuple(spec["cooperating"])):
            local_lead = task.lead_unit.name if task.lead_unit else ""
            own_additions = [u.name for u in task.cooperating_units
                             if u.name not in said.cooperating and u.name not in spec["cooperating"]]
            merged = dict(spec, lead=spec["lead"] if said.lead != spec["lead"] else local_lead,
                          cooperating=[*spec["cooperating"], *own_additions])
            before = (local_lead, [u.name for u in task.cooperating_units])
            if before != (merged["lead"], merged["cooperating"]):
                self.set_units(task, merged)
                changed.append("units")
        return bool(changed)

    def retire(self, local: LocalTask, state: str) -> str:
        """A task the unit no longer has: kept and marked when it holds results, else removed."""
        task = self.session.get(Task, local.task_id)
        if local.has_results:
            audit.apply_changes(self.session, task, "task", {"upper_state": state}, self.user)
            return "kept"
        audit.record(self.session, "delete", "task", task.id, "content", f"{task.number}. {task.content}", None,
                     self.user)
        self.session.delete(task)
        return "removed"


def _merge_targets(session: Session, plan: Plan, specs: list[dict]) -> None:
    """Targets follow the package by order; one the upper level dropped stays while it has figures."""
    existing = list(plan.targets)
    for index, spec in enumerate(specs):
        values = {"content": nfc(spec["content"]), "goal_text": nfc(spec["goal_text"]),
                  "goal_value": spec["goal_value"], "measure_unit": nfc(spec["measure_unit"])}
        if index < len(existing):
            audit.apply_changes(session, existing[index], "target", {**values, "position": index + 1})
        else:
            target = Target(position=index + 1, **values)
            plan.targets.append(target)
            session.flush()
            audit.record(session, "create", "target", target.id, "content", None, target.content)
    for target in existing[len(specs):]:
        if session.scalar(select(TargetFigure.id).where(TargetFigure.target_id == target.id).limit(1)) is None:
            audit.record(session, "delete", "target", target.id, "content", target.content, None)
            session.delete(target)


def apply_package(session: Session, plan: Plan | None, data: dict, diff: PlanDiff, file_name: str,
                  sha256: str) -> tuple[dict[str, int], Plan]:
    """Create (plan is None) or amend the plan; returns counts of added, updated, removed and kept tasks."""
    counts = {"added": 0, "updated": 0, "removed": 0, "kept": 0}
    fields = _plan_fields(data)
    if plan is None:
        plan = Plan(upper_plan_uid=data["plan"]["uid"], upper_version=data["plan"]["version"], **fields)
        session.add(plan)
        session.flush()
        audit.record(session, "create", "plan", plan.id, "title", None, plan.title)
    else:
        audit.lock_current(session, plan)
        audit.apply_changes(session, plan, "plan", {**fields, "upper_version": data["plan"]["version"]})
    _set_outline(plan, data)
    writer = _Writer(session, plan, data)
    by_uid = {t.upper_uid: t for t in session.scalars(
        select(Task).where(Task.plan_id == plan.id, Task.upper_uid.is_not(None)))}
    leaving = {local.upper_uid for local, _spec in diff.left} | set(diff.frozen)
    added = {t["uid"] for t in diff.added}
    order = {spec["uid"]: index for index, spec in enumerate(data["tasks"], start=1)}
    for spec in data["tasks"]:
        task = by_uid.get(spec["uid"])
        if task is not None and spec["uid"] not in leaving:
            counts["updated"] += writer.update(task, spec, diff.said[spec["uid"]])
        elif task is None and spec["uid"] in added:
            writer.add(spec, order[spec["uid"]])
            counts["added"] += 1
    for local in diff.removed:
        counts[writer.retire(local, "removed")] += 1
    for local, _spec in diff.left:
        counts[writer.retire(local, "reassigned")] += 1
    session.flush()
    _merge_targets(session, plan, data["targets"])
    _reorder(session, plan, order)
    sync_periods(session, plan)
    session.flush()
    return counts, plan


def _reorder(session: Session, plan: Plan, order: dict[str, int]) -> None:
    """The upper plan's order first, then the unit's own tasks and the retired ones, as they were."""
    tasks = session.scalars(select(Task).where(Task.plan_id == plan.id).order_by(Task.position, Task.id)).all()
    ranked = sorted(tasks, key=lambda t: (0, order[t.upper_uid]) if t.upper_uid in order and not t.upper_state
                    else (1, t.position))
    for position, task in enumerate(ranked, start=1):
        task.position = position
