"""Turning the stored plan into the Kế hoạch document with its "06 rõ" appendix."""

from __future__ import annotations

from datetime import date

from desktop.domain.report_values import DepartmentInfo, PlanText, TargetResult
from desktop.domain.rows import TaskRow
from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import attached_note, date_line, document_number
from desktop.reporting.narrative import text_to_blocks


def group_row_before(rows: list[Row], task: TaskRow) -> list[Row]:
    """The group heading row ("I" | "Công tác tuyên truyền") when `task` opens a new group, else nothing."""
    key = (task.group_number.strip(), task.group_title.strip())
    if not any(key):
        return []
    last = next((r for r in reversed(rows) if r.kind == "group"), None)
    if last is not None and last.cells == key:
        return []
    return [Row(key, "group")]

APPENDIX_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Nội dung nhiệm vụ", 3.2),
    Column("Đơn vị chủ trì", 1.3),
    Column("Đơn vị phối hợp", 1.5),
    Column("Thời gian thực hiện", 1.4, "center"),
    Column("Kết quả dự kiến", 1.6),
)


def _section(body: list[Block], heading: str, text: str) -> None:
    if text.strip():
        body.append(Block("heading2", heading))
        body.extend(text_to_blocks(text))


def target_line(target: TargetResult) -> str:
    """A "Mục tiêu cụ thể" bullet: "100% công chức, viên chức được tuyên truyền." when the goal is a percentage."""
    content = target.content
    return f"{target.goal_text} {content[:1].lower()}{content[1:]}." if target.goal_text.endswith("%") \
        else f"{content}."


def build_plan_document(dept: DepartmentInfo, plan: PlanText, targets: tuple[TargetResult, ...],
                        tasks: list[TaskRow], draft_on: date) -> AdminDocument:
    """The Kế hoạch with its narrative parts, its targets as bullets and the "06 rõ" appendix of `tasks`."""
    number_line = document_number(plan.number, "KH", dept.abbreviation)
    body: list[Block] = []
    if plan.preamble.strip():
        body.append(Block("paragraph", plan.preamble.strip()))
    body.append(Block("heading1", "I. MỤC ĐÍCH, YÊU CẦU"))
    _section(body, "1. Mục đích", plan.purposes)
    _section(body, "2. Yêu cầu", plan.requirements)
    body.append(Block("heading1", "II. MỤC TIÊU"))
    _section(body, "1. Mục tiêu chung", plan.goals)
    if targets:
        body.append(Block("heading2", "2. Mục tiêu cụ thể"))
        body.extend(Block("bullet", target_line(target)) for target in targets)
    if plan.tasks_and_solutions.strip():
        body.append(Block("heading1", "III. NHIỆM VỤ, GIẢI PHÁP"))
        body.extend(text_to_blocks(plan.tasks_and_solutions))
    body.append(Block("heading1", "IV. PHÂN CÔNG NHIỆM VỤ CỤ THỂ"))
    body.append(Block("paragraph", "Chi tiết tại Phụ lục kèm theo Kế hoạch này."))
    if plan.organization.strip():
        body.append(Block("heading1", "V. TỔ CHỨC THỰC HIỆN"))
        body.extend(text_to_blocks(plan.organization))
    note = attached_note("Kế hoạch", number_line, plan.issued_on, draft_on, dept.name_in_text)
    rows: list[Row] = []
    for task in tasks:
        rows.extend(group_row_before(rows, task))
        rows.append(Row((task.number, task.content, task.lead, ", ".join(task.cooperating),
                         task.timeframe_text, task.expected_output)))
    appendix = Appendix("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC \"06 RÕ\"", note,
                        APPENDIX_COLUMNS, tuple(rows), landscape=True, sheet_name="PhuLuc_06ro")
    return AdminDocument(
        letterhead=Letterhead(dept.parent_agency, dept.name, number_line,
                              date_line(dept.place_name, plan.issued_on, draft_on)),
        doc_type="KẾ HOẠCH",
        summary=plan.title,
        body=tuple(body),
        recipients=dept.default_recipients,
        signature=Signature(dept.signer_authority, dept.signer_title, dept.signer_name),
        appendices=(appendix,),
        title=f"Kế hoạch {plan.title}",
        author=dept.name_in_text,
    )
