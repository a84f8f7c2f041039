"""Turning a period's ReportContext into the report as an AdminDocument (body sections I–V, Biểu 01 and 02)."""

from __future__ import annotations

from desktop.domain.report_values import ReportContext
from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import (
    attached_note, date_line, document_number, lower_first, percent, period_phrase, short_date,
)
from desktop.reporting.narrative import DRAFTERS, text_to_blocks
from desktop.reporting.plan_builder import group_row_before

SECTION_HEADINGS = (
    ("direction", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"),
    ("results", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
    ("assessment", "III. ĐÁNH GIÁ CHUNG"),
    ("next_steps", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
    ("proposals", "V. ĐỀ XUẤT, KIẾN NGHỊ"),
)

# "Kết quả thực hiện trong kỳ" is what the reader came for: it is the widest column.
TASK_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Nội dung nhiệm vụ", 2.0),
    Column("Đơn vị chủ trì", 1.05),
    Column("Đơn vị phối hợp", 1.1),
    Column("Thời gian thực hiện", 1.0, "center"),
    Column("Kết quả dự kiến", 1.1),
    Column("Tiến độ", 1.0, "center"),
    Column("Kết quả thực hiện trong kỳ", 3.4),
    Column("Sản phẩm/văn bản", 1.35),
    Column("Khó khăn, vướng mắc, đề xuất", 1.3),
)

TARGET_COLUMNS = (
    Column("TT", 0.5, "center"),
    Column("Chỉ tiêu", 4.2),
    Column("Mục tiêu", 1.2, "center"),
    Column("Kết quả kỳ báo cáo", 1.5, "center"),
    Column("Tỷ lệ đạt", 1.0, "center"),
)


def report_summary(ctx: ReportContext) -> str:
    """The trích yếu: "Kết quả thực hiện Kế hoạch … năm 2026"."""
    plan = ctx.plan
    dept = ctx.department.name_in_text
    subject = plan.title.strip()
    for prefix in ("Triển khai thực hiện ", "Triển khai ", "Thực hiện "):
        if subject.startswith(prefix):
            subject = subject[len(prefix):]
            break
    subject = subject.removesuffix(f" của {dept}").strip()
    reference = "Kế hoạch"
    if plan.number:
        reference += f" số {plan.number}"
        if plan.issued_on:
            reference += f" ngày {short_date(plan.issued_on)}"
    words = period_phrase(ctx.period.kind, ctx.period.start_year, ctx.period.end_year)
    return f"Kết quả thực hiện {reference} triển khai {lower_first(subject) if subject[:1].islower() else subject} {words}"


def appendix_reference(with_targets: bool) -> str:
    both = "Phụ lục I, Phụ lục II" if with_targets else "Phụ lục I"
    return f"Kết quả thực hiện từng nhiệm vụ{', chỉ tiêu' if with_targets else ''} chi tiết tại {both} kèm theo."


def close_body(body: list[Block]) -> list[Block]:
    """A document ends with "./." after its last sentence (Nghị định 30/2020)."""
    for i in range(len(body) - 1, -1, -1):
        text = body[i].text.rstrip()
        if text:
            if not text.endswith("./."):
                text = text.rstrip(" .;,:") + "./."
            body[i] = Block(body[i].kind, text)
            break
    return body


def _intro(ctx: ReportContext) -> str:
    dept = ctx.department.name_in_text
    basis = ctx.plan.basis_documents[-1] if ctx.plan.basis_documents else ""
    words = period_phrase(ctx.period.kind, ctx.period.start_year, ctx.period.end_year)
    window = (f"số liệu tính từ ngày {short_date(ctx.period.cutoff_start)} "
              f"đến ngày {short_date(ctx.period.cutoff_end)}")
    own = "Kế hoạch" + (f" số {ctx.plan.number}" if ctx.plan.number else "")
    lead = f"Thực hiện {basis}, " if basis else ""
    return f"{lead}{dept} báo cáo kết quả thực hiện {own} {words} ({window}) như sau:"


def _progress_label(task) -> str:
    if task.state == "late":
        return "Chậm tiến độ" if task.status != "in_progress" else "Đang thực hiện (chậm tiến độ)"
    if task.status_label:
        return task.status_label
    return "Chưa đến hạn" if task.state == "not_yet" else "Chưa triển khai"


def task_rows(ctx: ReportContext) -> tuple[Row, ...]:
    rows: list[Row] = []
    for task in ctx.tasks:
        rows.extend(group_row_before(rows, task))
        problems = task.difficulties.strip()
        if task.proposals.strip():
            problems = "\n".join(x for x in (problems, "Đề xuất: " + task.proposals.strip()) if x)
        rows.append(Row((
            task.number, task.content, task.lead, ", ".join(task.cooperating), task.timeframe_text,
            task.expected_output, _progress_label(task),
            "\n".join(x for x in (task.result, task.figures) if x.strip()),
            "\n".join(e.describe() for e in task.evidence), problems,
        )))
    return tuple(rows)


def target_rows(ctx: ReportContext) -> tuple[Row, ...]:
    rows = []
    for index, target in enumerate(ctx.targets, start=1):
        value = target.value_text or (percent(target.value) if target.value is not None else "")
        ratio = percent(target.ratio) if target.ratio is not None else ""
        rows.append(Row((str(index), target.content, target.goal_text, value, ratio)))
    return tuple(rows)


def build_report_document(ctx: ReportContext) -> AdminDocument:
    dept = ctx.department
    number_line = document_number(ctx.report.number, "BC", dept.abbreviation)
    issued = ctx.report.issued_on
    body: list[Block] = [Block("paragraph", _intro(ctx))]
    for key, heading in SECTION_HEADINGS:
        text = ctx.report.sections.get(key, "").strip() or DRAFTERS[key](ctx)
        body.append(Block("heading1", heading))
        blocks = text_to_blocks(text)
        if key == "results" and not any("Phụ lục" in b.text for b in blocks):
            blocks.insert(0, Block("paragraph", appendix_reference(bool(ctx.targets))))
        body.extend(blocks)
    body = close_body(body)
    summary = report_summary(ctx)
    note = attached_note("Báo cáo", number_line, issued, ctx.today, dept.name_in_text)
    appendices = (
        Appendix("Phụ lục I", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", note, TASK_COLUMNS, task_rows(ctx),
                 landscape=True, sheet_name="PhuLuc_I_NhiemVu"),
        Appendix("Phụ lục II", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", note, TARGET_COLUMNS, target_rows(ctx),
                 landscape=False, sheet_name="PhuLuc_II_ChiTieu"),
    )
    return AdminDocument(
        letterhead=Letterhead(dept.parent_agency, dept.name, number_line,
                              date_line(dept.place_name, issued, ctx.today)),
        doc_type="BÁO CÁO",
        summary=summary,
        body=tuple(body),
        recipients=ctx.report.recipients,
        signature=Signature(ctx.report.signer_authority, ctx.report.signer_title, ctx.report.signer_name),
        appendices=appendices if ctx.targets else appendices[:1],
        title=f"Báo cáo {lower_first(summary)}",
        author=dept.name_in_text,
    )
