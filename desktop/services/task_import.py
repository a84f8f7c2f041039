"""Importing appendix tasks: preview a file or pasted text (no database), check it against the plan, then add it.

The import wizard and `khbc import-tasks` share these steps:
1. `preview_import(file or text, unit_name, role, mapping)` reads the tasks, marks each row's role for
   the department (lead / cooperate / general) and which rows start ticked. For tables,
   `preview.mapping` is the detected column mapping; pass a changed copy back to read again.
2. `check_import(session, rows)` lists the unit names the database does not know yet (to offer
   creating them) and the rows already in the plan.
3. `apply_import(session, rows, create_units)` appends the rows to the current plan's appendix in one
   unit of work: numbers and positions continue after the existing tasks; a task whose content (folded)
   is already in the plan is skipped and counted; unknown units are created only when listed in
   `create_units`, otherwise their names are kept in the task's note ("Chủ trì (chưa có trong danh mục
   đơn vị): …") and the link stays empty. Section headings become task groups when asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Department, Plan, Task, TaskGroup, Unit
from desktop.domain.text import fold, nfc, strip_control
from desktop.errors import InvalidInputError, KhbcError, os_reason
from desktop.importers.model import LAYOUT_LABELS, ROLE_LABELS, ColumnMapping, ImportedTask
from desktop.importers.units import best_match, looks_damaged, names_match, repair, role_of, unit_key
from desktop.services import audit
from desktop.services.appendix import MAX_FIELD, renumber
from desktop.services.queries import current_plan
from desktop.services.setup import parsed_timeframe

ROLE_FILTERS = ("lead", "cooperate", "any")
FILE_SUFFIXES = {".xlsx", ".xlsm", ".docx", ".docm", ".txt", ".text", ".csv", ".tsv", ".md", ".pdf", ".doc", ".xls"}
MAX_UNIT_NAME = 300
PASTED = "văn bản dán vào"


@dataclass
class PreviewRow:
    """One task in the preview: ticked (`selected`) or not, with the department's role in it."""

    index: int
    task: ImportedTask
    selected: bool = True
    own_unit: str | None = None  # the name in the task that matched the department

    @property
    def role(self) -> str | None:
        return self.task.role

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.task.role, "")


@dataclass
class ImportPreview:
    source: str
    kind: str
    layout: str
    title: str
    rows: list[PreviewRow]
    warnings: list[str]
    mapping: ColumnMapping | None
    unit_name: str = ""
    role_filter: str = "any"
    total: int = 0  # tasks read from the source
    hidden: int = 0  # tasks left out because they concern other units
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (where, text) of paragraphs not understood
    not_a_plan: str = ""  # why the source does not look like a plan (then nothing is ticked)

    @property
    def layout_label(self) -> str:
        return LAYOUT_LABELS.get(self.layout, self.layout)

    def selected_rows(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.selected]

    def rows_with_role(self, *roles: str | None) -> list[PreviewRow]:
        return [row for row in self.rows if row.task.role in roles]

    def to_json(self) -> list[dict]:
        """The list of tasks as `khbc import-tasks --json` prints it."""
        return [row.task.to_json(with_role=bool(self.unit_name)) for row in self.rows]


@dataclass
class ImportCheck:
    unknown_units: list[str] = field(default_factory=list)  # names no existing unit matches
    matched_units: dict[str, str] = field(default_factory=dict)  # imported name → existing unit name
    duplicates: list[int] = field(default_factory=list)  # indexes of rows already in the plan


@dataclass
class ImportSummary:
    added: int = 0
    skipped_duplicates: int = 0
    created_units: list[str] = field(default_factory=list)
    unlinked_units: list[str] = field(default_factory=list)  # kept in notes, not created
    task_ids: list[int] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)  # per row given: "added" | "duplicate"


def _is_path(value: str) -> bool:
    if "\n" in value or len(value) > 1000 or not value.strip():
        return False
    path = Path(value.strip())
    return path.suffix.lower() in FILE_SUFFIXES or path.exists()


VARIANTS_FORMAT = "khbc-unit-variants/1"


def variants_path() -> Path:
    """The clerk's own unit variants, beside the data in the user data folder."""
    from desktop.services.locations import user_data_dir

    return user_data_dir() / "unit-variants.json"


def load_unit_variants() -> dict[str, str]:
    """Read and register the clerk's variants; a missing or unreadable file means none (it is only a help)."""
    import json

    from desktop.importers.unit_names import add_variants

    try:
        data = json.loads(variants_path().read_text(encoding="utf-8"))
        pairs = {str(k): str(v) for k, v in data.get("variants", {}).items()} if isinstance(data, dict) else {}
    except (OSError, ValueError, AttributeError):
        pairs = {}
    add_variants(pairs, replace=True)
    return pairs


def remember_unit_variant(variant: str, name: str) -> dict[str, str]:
    """Record that `variant` ("Sở KH-CN") is another way of writing `name`; written whole or not at all."""
    import json
    import os

    variant, name = " ".join(nfc(variant).split()), " ".join(nfc(name).split())
    if not variant or not name or len(variant) > MAX_UNIT_NAME or len(name) > MAX_UNIT_NAME:
        raise InvalidInputError("Hãy cho biết cả tên viết khác và tên đầy đủ của đơn vị (tối đa 300 ký tự).")
    if fold(variant) == fold(name):
        raise InvalidInputError("Tên viết khác trùng với tên đầy đủ.")
    pairs = load_unit_variants()
    pairs[variant] = name
    path = variants_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"format": VARIANTS_FORMAT, "variants": pairs}, ensure_ascii=False,
                                        indent=1), encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise InvalidInputError(f"Không ghi được danh sách tên viết khác ({path}): {os_reason(exc)}.") from exc
    load_unit_variants()
    return pairs


def rename_unit(rows: Sequence[PreviewRow], variant: str, name: str) -> int:
    """Use `name` instead of `variant` in the previewed tasks; returns how many names were changed."""
    changed = 0
    for row in rows:
        for names in (row.task.lead, row.task.cooperating):
            for i, value in enumerate(names):
                if fold(value) == fold(variant):
                    names[i] = name
                    changed += 1
    return changed


def preview_import(path_or_text: str | Path, unit_name: str | None = None, role: str = "any",
                   mapping: ColumnMapping | None = None) -> ImportPreview:
    """Read a file (a Path, or a str naming one) or pasted text and prepare the rows; nothing is written."""
    load_unit_variants()
    if isinstance(path_or_text, Path) or (isinstance(path_or_text, str) and _is_path(path_or_text)):
        from desktop.importers.detect import read_file

        path = Path(path_or_text)
        return _preview(_guarded(read_file, path, mapping, f"tệp \"{path.name}\""), path.name, unit_name, role)
    return preview_text(str(path_or_text), unit_name, role, mapping)


def _guarded(reader, source, mapping, label: str):
    """Run an importer; an unexpected failure becomes a Vietnamese message instead of a traceback."""
    try:
        return reader(source, mapping)
    except KhbcError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise InvalidInputError(f"{label[0].upper()}{label[1:]} quá lớn hoặc quá phức tạp để đọc.") from exc
    except Exception as exc:  # a defect in a reader must not reach the user as a traceback
        raise InvalidInputError(f"Không đọc được {label} ({type(exc).__name__}: {exc}). Nội dung chưa được "
                                "nhập; hãy gửi tệp này cho người hỗ trợ kỹ thuật.") from exc


def preview_text(text: str, unit_name: str | None = None, role: str = "any",
                 mapping: ColumnMapping | None = None) -> ImportPreview:
    """The same as preview_import for text pasted in the GUI."""
    from desktop.importers.text_tasks import read_text

    load_unit_variants()
    if not text or not text.strip():
        raise InvalidInputError("Chưa có văn bản để đọc. Hãy dán nội dung kế hoạch hoặc bảng phụ lục.")
    return _preview(_guarded(read_text, text, mapping, "văn bản dán vào"), PASTED, unit_name, role)


def _preview(result, source: str, unit_name: str | None, role: str) -> ImportPreview:
    if role not in ROLE_FILTERS:
        raise InvalidInputError(f"Vai trò \"{role}\" không hợp lệ; chọn lead (chủ trì), cooperate (phối hợp) "
                                "hoặc any (cả hai).")
    unit = " ".join(strip_control(nfc(unit_name or "")).split())
    if role != "any" and not unit:
        raise InvalidInputError("Muốn lọc theo vai trò chủ trì/phối hợp, hãy cho biết tên đơn vị.")
    rows: list[PreviewRow] = []
    too_long: list[str] = []
    hidden = 0
    allowed = {"lead": {"lead"}, "cooperate": {"cooperate"}, "any": {"lead", "cooperate"}}[role]
    own_names = _own_variants()
    for task in result.tasks:
        if own_names:
            task.lead = [own_names.get(unit_key(n), n) for n in task.lead]
            task.cooperating = [own_names.get(unit_key(n), n) for n in task.cooperating]
        if unit:
            task.lead = [repair(n, [unit]) if looks_damaged(n) else n for n in task.lead]
            task.cooperating = [repair(n, [unit]) if looks_damaged(n) else n for n in task.cooperating]
            task.role = role_of(task, unit)
            if task.role not in allowed and task.role != "general":
                hidden += 1
                continue
        own = next((n for n in [*task.lead, *task.cooperating] if unit and names_match(unit, n)), None)
        problem = _too_long(task)
        if problem:
            too_long.append(f"Nhiệm vụ {task.number or task.source} ({task.source}): {problem}; chưa được chọn.")
        selected = task.role != "general" and not problem and task.certain
        rows.append(PreviewRow(len(rows), task, selected=selected, own_unit=own))
    verdict = result.not_a_plan or _not_a_plan(result.tasks)
    if verdict:
        for row in rows:
            row.selected = False
    warnings = ([verdict] if verdict else []) + list(result.warnings) + too_long
    if not result.tasks:
        warnings.append("Không tìm thấy nhiệm vụ nào. Văn bản cần có bảng phân công (TT, Nội dung nhiệm vụ, "
                        "Đơn vị chủ trì, …), hoặc các nhiệm vụ ghi \"Cơ quan chủ trì: …\", hoặc các mục "
                        "\"Giao Sở …\" kèm gạch đầu dòng.")
    elif unit and not rows:
        warnings.append(f"Đã đọc {len(result.tasks)} nhiệm vụ nhưng không có nhiệm vụ nào của \"{unit}\".")
    return ImportPreview(source, result.kind, result.layout, result.title, rows, warnings, result.mapping,
                         unit, role, len(result.tasks), hidden, list(result.unrecognised), verdict)


def _own_variants() -> dict[str, str]:
    from desktop.importers.unit_names import user_variants

    return {unit_key(variant): name for variant, name in user_variants().items()}


def known_unit_names(session: Session) -> list[str]:
    """Names a variant may stand for: the units in the database, then the shipped table's, without repeats."""
    from desktop.importers.units import known_agencies

    names = [u.name for u in session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id))]
    seen = {fold(n) for n in names}
    return names + [n for n in known_agencies() if fold(n) not in seen and not seen.add(fold(n))]


def _not_a_plan(tasks: list[ImportedTask]) -> str:
    """The plain reason a source is not a plan: no task in it is given to any body ("" when some are)."""
    if any(t.lead or t.cooperating for t in tasks):
        return ""
    return ("Tệp này không giống kế hoạch hay văn bản giao nhiệm vụ: không thấy bảng phân công nhiệm vụ, không thấy "
            "dòng \"Cơ quan chủ trì: …\" và không có câu nào giao việc cho một cơ quan, đơn vị. Chưa chọn nhiệm vụ nào.")


# --- matching against the database ---

def content_key(text: str) -> str:
    """Task content compared for duplicates: folded, punctuation and spacing ignored."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _tasks_of(rows: Iterable[PreviewRow | ImportedTask]) -> list[tuple[ImportedTask, str | None]]:
    out = []
    for row in rows:
        if isinstance(row, PreviewRow):
            out.append((row.task, row.own_unit))
        else:
            out.append((row, None))
    return out


class _UnitPool:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.units = list(session.scalars(select(Unit).order_by(Unit.sort_order, Unit.id)))
        department = session.scalar(select(Department).limit(1))
        self.department = (department.name_in_text or department.name) if department else ""

    def find(self, name: str) -> Unit | None:
        key = fold(name)
        for unit in self.units:
            if fold(unit.name) == key:
                return unit
        found = best_match(name, [u.name for u in self.units])
        return next((u for u in self.units if u.name == found), None) if found else None

    def create(self, name: str) -> Unit:
        order = (self.session.scalar(select(func.max(Unit.sort_order))) or 0) + 1
        internal = bool(self.department) and names_match(name, self.department)
        unit = Unit(name=name, short_name="", is_internal=internal, sort_order=order)
        self.session.add(unit)
        self.session.flush()
        audit.record(self.session, "create", "unit", unit.id, "name", None, name)
        self.units.append(unit)
        return unit


def check_import(session: Session, rows: Sequence[PreviewRow | ImportedTask]) -> ImportCheck:
    """Which unit names are unknown and which rows are already in the current plan (reads only)."""
    plan = current_plan(session)
    pool = _UnitPool(session)
    existing = {content_key(t.content) for t in plan.tasks}
    check = ImportCheck()
    seen: set[str] = set()
    for index, (task, _) in enumerate(_tasks_of(rows)):
        if content_key(task.content) in existing:
            check.duplicates.append(index)
        for name in [*task.lead, *task.cooperating]:
            if fold(name) in seen:
                continue
            seen.add(fold(name))
            unit = pool.find(name)
            if unit is None:
                check.unknown_units.append(name)
            elif unit.name != name:
                check.matched_units[name] = unit.name
    return check


def _too_long(task: ImportedTask) -> str:
    """Why a task cannot be stored as read ("" when it can): the appendix keeps fields up to MAX_FIELD."""
    for label, value in (("nội dung", task.content), ("thời gian thực hiện", task.timeframe),
                         ("kết quả dự kiến", task.output)):
        if len(value) > MAX_FIELD:
            return f"{label} quá dài ({len(value)} ký tự, tối đa {MAX_FIELD}), có thể đã đọc nhầm"
    return ""


def _next_number(plan: Plan) -> int:
    numbers = [int(t.number) for t in plan.tasks if t.number.strip().isdigit()]
    return max(numbers, default=len(plan.tasks)) + 1


def _group(session: Session, plan: Plan, task: ImportedTask, cache: dict[str, TaskGroup]) -> TaskGroup | None:
    title = " ".join(task.group.split())
    if not title:
        return None
    key = fold(title)
    if key in cache:
        return cache[key]
    group = next((g for g in plan.groups if fold(g.title) == key), None)
    if group is None:
        position = max((g.position for g in plan.groups), default=0) + 1
        group = TaskGroup(position=position, number=task.group_number[:20], title=title)
        plan.groups.append(group)
        session.flush()
        audit.record(session, "create", "task_group", group.id, "title", None, title)
    cache[key] = group
    return group


def apply_import(session: Session, preview_rows: Sequence[PreviewRow | ImportedTask],
                 create_units: Iterable[str] = (), *, source: str = "", with_groups: bool = False) -> ImportSummary:
    """Append the rows to the current plan's appendix (see the module notes); the caller's unit of work commits."""
    plan = current_plan(session)
    items = _tasks_of(preview_rows)
    for task, _ in items:
        if not nfc(task.content):
            raise InvalidInputError("Có dòng không có nội dung nhiệm vụ; chưa nhập gì.")
        too_long = _too_long(task)
        if too_long:
            raise InvalidInputError(f"Nhiệm vụ {task.number or task.source}: {too_long}; chưa nhập gì.")
    to_create = {fold(n) for n in create_units}
    pool = _UnitPool(session)
    existing = {content_key(t.content) for t in plan.tasks}
    number = _next_number(plan)
    position = max((t.position for t in plan.tasks), default=0) + 1
    summary = ImportSummary()
    groups: dict[str, TaskGroup] = {}

    def resolve(name: str) -> Unit | None:
        unit = pool.find(name)
        if unit is None and fold(name) in to_create and len(name) <= MAX_UNIT_NAME:
            unit = pool.create(name)
            summary.created_units.append(name)
        if unit is None and name not in summary.unlinked_units:
            summary.unlinked_units.append(name)
        return unit

    for task, own in items:
        key = content_key(task.content)
        if key in existing:
            summary.skipped_duplicates += 1
            summary.outcomes.append("duplicate")
            continue
        existing.add(key)
        leads = list(task.lead)
        if own and own in leads:
            leads.remove(own)
            leads.insert(0, own)
        notes: list[str] = []
        lead_unit = resolve(leads[0]) if leads else None
        if leads and lead_unit is None:
            notes.append(f"Chủ trì (chưa có trong danh mục đơn vị): {leads[0]}")
        if len(leads) > 1:
            notes.append("Đồng chủ trì: " + ", ".join(leads[1:]))
        cooperating: list[Unit] = []
        missing: list[str] = []
        for name in task.cooperating:
            unit = resolve(name)
            if unit is None:
                missing.append(name)
            elif unit not in cooperating and unit is not lead_unit:
                cooperating.append(unit)
        if missing:
            notes.append("Phối hợp (chưa có trong danh mục đơn vị): " + ", ".join(missing))
        origin = source or "văn bản nhập"
        notes.append(f"Nhập từ {origin}" + (f", mục {task.number}" if task.number else "") + ".")
        row = Task(position=position, number=str(number), content=nfc(task.content), lead_unit=lead_unit,
                   timeframe_text=nfc(task.timeframe), timeframe=parsed_timeframe(nfc(task.timeframe), plan),
                   expected_output=nfc(task.output), note="\n".join(notes),
                   group=_group(session, plan, task, groups) if with_groups else None)
        row.cooperating_units = cooperating
        plan.tasks.append(row)
        session.flush()
        audit.record(session, "create", "task", row.id, "content", None, row.content)
        summary.added += 1
        summary.task_ids.append(row.id)
        summary.outcomes.append("added")
        number += 1
        position += 1
    if summary.added:
        renumber(session, plan.id)  # the appendix service's rule: positions 1..n, TT follows plain numbers
        added = {t.id: t.number for t in plan.tasks}
        summary.numbers = [added[i] for i in summary.task_ids]
        audit.record(session, "import", "plan", plan.id, "tasks", None,
                     f"Nhập {summary.added} nhiệm vụ từ {source or 'văn bản'}")
    return summary


def check_in(workspace, rows: Sequence[PreviewRow | ImportedTask]) -> ImportCheck:
    """check_import in its own unit of work (for the GUI, which holds no session)."""
    with workspace.read() as session:
        return check_import(session, rows)


def import_rows(workspace, rows: Sequence[PreviewRow | ImportedTask], create_units: Iterable[str] = (), *,
                source: str = "", with_groups: bool = False) -> ImportSummary:
    """apply_import in one unit of work: everything is written, or nothing when anything fails."""
    with workspace.unit_of_work() as session:
        return apply_import(session, rows, create_units, source=source, with_groups=with_groups)
