"""Editing the "06 rõ" appendix: add, change, delete, restore and move tasks, with renumbering and audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Evidence, Period, Progress, Task, TaskGroup, Unit
from desktop.domain.text import nfc, strip_control
from desktop.errors import InvalidInputError, NotFoundError
from desktop.services import audit
from desktop.services.queries import current_plan, is_sent
from desktop.services.setup import parsed_timeframe

EDITABLE_FIELDS = ("number", "content", "lead_unit_id", "cooperating_unit_ids", "timeframe_text",
                   "expected_output", "group_id", "note")
MAX_FIELD = 5_000


def _task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFoundError("Nhiệm vụ này không còn trong phụ lục (có thể đã bị xóa).")
    return task


def _text(value: Any, label: str) -> str:
    text = strip_control(nfc(str(value or "")))
    if len(text) > MAX_FIELD:
        raise InvalidInputError(f"\"{label}\" quá dài ({len(text)} ký tự, tối đa {MAX_FIELD}).")
    return text


def _units(session: Session, ids) -> list[Unit]:
    units = []
    for unit_id in dict.fromkeys(ids or ()):
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise NotFoundError("Đơn vị được chọn không còn trong danh sách đơn vị.")
        units.append(unit)
    return units


def _plain_numbers(tasks: list[Task]) -> bool:
    return all(t.number.strip().isdigit() or not t.number.strip() for t in tasks)


def renumber(session: Session, plan_id: int) -> None:
    """Positions 1..n in order; TT follows when the table uses plain numbers (not "2.1" style)."""
    tasks = list(session.scalars(select(Task).where(Task.plan_id == plan_id).order_by(Task.position, Task.id)))
    plain = _plain_numbers(tasks)
    for index, task in enumerate(tasks, start=1):
        task.position = index
        if plain and task.number != str(index):
            audit.record(session, "update", "task", task.id, "number", task.number, str(index))
            task.number = str(index)


def update_task(session: Session, task_id: int, **fields: Any) -> Task:
    """Change some fields of a task; the timeframe is re-read when its text changes."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInputError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    task = _task(session, task_id)
    user = audit.current_user(session)
    changes: dict[str, Any] = {}
    for key in ("number", "content", "timeframe_text", "expected_output", "note"):
        if key in fields:
            changes[key] = _text(fields[key], key)
    if "content" in changes and not changes["content"]:
        raise InvalidInputError("Nội dung nhiệm vụ không được để trống.")
    if "lead_unit_id" in fields:
        changes["lead_unit_id"] = _units(session, [fields["lead_unit_id"]])[0].id if fields["lead_unit_id"] else None
    if "group_id" in fields:
        group_id = fields["group_id"]
        if group_id is not None and session.get(TaskGroup, group_id) is None:
            raise NotFoundError("Nhóm nhiệm vụ được chọn không còn tồn tại.")
        changes["group_id"] = group_id
    audit.apply_changes(session, task, "task", changes, user)
    if "timeframe_text" in changes:
        task.timeframe = parsed_timeframe(task.timeframe_text, task.plan)
    if "cooperating_unit_ids" in fields:
        new_units = _units(session, fields["cooperating_unit_ids"])
        old_names = [u.name for u in task.cooperating_units]
        if [u.name for u in new_units] != old_names:
            task.cooperating_units = new_units
            audit.record(session, "update", "task", task.id, "cooperating_units", old_names,
                         [u.name for u in new_units], user)
    return task


def add_task(session: Session, content: str, after_task_id: int | None = None, **fields: Any) -> Task:
    """A new task after the given one (or at the end); numbering follows."""
    plan = current_plan(session)
    content = _text(content, "nội dung")
    if not content:
        raise InvalidInputError("Nội dung nhiệm vụ không được để trống.")
    if after_task_id is not None:
        after = _task(session, after_task_id)
        position = after.position + 1
        for task in plan.tasks:
            if task.position >= position:
                task.position += 1
        group_id = after.group_id
    else:
        position = (session.scalar(select(func.max(Task.position)).where(Task.plan_id == plan.id)) or 0) + 1
        group_id = None
    task = Task(plan_id=plan.id, position=position, number="", content=content, group_id=group_id,
                timeframe_text="", timeframe=parsed_timeframe("", plan))
    session.add(task)
    session.flush()
    audit.record(session, "create", "task", task.id, "content", None, content)
    if fields:
        update_task(session, task.id, **fields)
    renumber(session, plan.id)
    if not task.number:
        task.number = str(task.position)
    return task


def task_snapshot(task: Task) -> dict[str, Any]:
    """Everything needed to put a deleted task back (its progress and evidence included)."""
    return {
        "plan_id": task.plan_id, "group_id": task.group_id, "position": task.position, "number": task.number,
        "content": task.content, "lead_unit_id": task.lead_unit_id, "timeframe_text": task.timeframe_text,
        "timeframe": task.timeframe, "expected_output": task.expected_output, "note": task.note,
        "cooperating_unit_ids": [u.id for u in task.cooperating_units],
        "uid": task.uid, "upper_uid": task.upper_uid, "upper_state": task.upper_state,  # identity kept by undo
        "progress": [{
            "period_id": p.period_id, "status": p.status, "result": p.result, "figures": p.figures,
            "difficulties": p.difficulties, "proposals": p.proposals, "updated_by": p.updated_by,
            "evidence": [{"number": e.number, "issued_on": e.issued_on, "summary": e.summary,
                          "file_name": e.file_name, "file_sha256": e.file_sha256} for e in p.evidence],
        } for p in task.progress],
    }


def deletion_refusal(session: Session, task_id: int) -> str | None:
    """Why this task cannot be deleted (a result of it was in a report already sent), or None."""
    task = _task(session, task_id)
    for entry in task.progress:
        period = session.get(Period, entry.period_id)
        if period is not None and is_sent(period):
            return f"Nhiệm vụ {task.number} đã có kết quả trong kỳ {period.title} đã gửi; không xóa được."
    return None


def delete_task(session: Session, task_id: int) -> dict[str, Any]:
    """Remove a task (and its progress); returns a snapshot that restore_task can put back."""
    task = _task(session, task_id)
    refusal = deletion_refusal(session, task_id)
    if refusal:
        raise InvalidInputError(refusal)
    snapshot = task_snapshot(task)
    plan_id = task.plan_id
    audit.record(session, "delete", "task", task.id, "content", task.content, None)
    session.delete(task)
    session.flush()
    renumber(session, plan_id)
    return snapshot


def restore_task(session: Session, snapshot: dict[str, Any]) -> Task:
    """Undo a deletion: the task returns at its old place with its progress."""
    plan_id = snapshot["plan_id"]
    for task in session.scalars(select(Task).where(Task.plan_id == plan_id, Task.position >= snapshot["position"])):
        task.position += 1
    task = Task(plan_id=plan_id, group_id=snapshot["group_id"], position=snapshot["position"],
                number=snapshot["number"], content=snapshot["content"], lead_unit_id=snapshot["lead_unit_id"],
                timeframe_text=snapshot["timeframe_text"], timeframe=snapshot["timeframe"],
                expected_output=snapshot["expected_output"], note=snapshot["note"],
                upper_uid=snapshot.get("upper_uid"), upper_state=snapshot.get("upper_state", ""))
    if snapshot.get("uid"):
        task.uid = snapshot["uid"]
    task.cooperating_units = _units(session, snapshot["cooperating_unit_ids"])
    for entry in snapshot["progress"]:
        evidence = [Evidence(**item) for item in entry["evidence"]]
        task.progress.append(Progress(**{k: v for k, v in entry.items() if k != "evidence"}, evidence=evidence))
    session.add(task)
    session.flush()
    audit.record(session, "create", "task", task.id, "content", None, task.content)
    renumber(session, plan_id)
    return task


def move_task(session: Session, task_id: int, offset: int) -> Task:
    """Move a task up (negative) or down (positive) in the appendix; numbering follows."""
    task = _task(session, task_id)
    ordered = list(session.scalars(select(Task).where(Task.plan_id == task.plan_id).order_by(Task.position)))
    index = ordered.index(task)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target == index:
        return task
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered, start=1):
        item.position = position
    audit.record(session, "update", "task", task.id, "position", index + 1, target + 1)
    renumber(session, task.plan_id)
    return task


def add_group(session: Session, title: str, number: str = "") -> TaskGroup:
    plan = current_plan(session)
    title = _text(title, "tên nhóm")
    if not title:
        raise InvalidInputError("Tên nhóm nhiệm vụ không được để trống.")
    position = (session.scalar(select(func.max(TaskGroup.position)).where(TaskGroup.plan_id == plan.id)) or 0) + 1
    group = TaskGroup(plan_id=plan.id, position=position, number=_text(number, "số nhóm"), title=title)
    session.add(group)
    session.flush()
    audit.record(session, "create", "task_group", group.id, "title", None, title)
    return group


def delete_group(session: Session, group_id: int) -> None:
    """Remove a heading; its tasks stay in the appendix without a group."""
    group = session.get(TaskGroup, group_id)
    if group is None:
        return
    for task in session.scalars(select(Task).where(Task.group_id == group_id)):
        task.group_id = None
    audit.record(session, "delete", "task_group", group.id, "title", group.title, None)
    session.delete(group)
