"""Turning a period's ReportContext into the report as an AdminDocument (body sections I–V, Biểu 01 and 02)."""

from __future__ import annotations

from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import (
    date_line, document_number, lower_first, number_only, percent, period_phrase, short_date,
)
from desktop.reporting.narrative import DRAFTERS, text_to_blocks
from desktop.reporting.report_data import ReportContext

SECTION_HEADINGS = (
    ("direction", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"),
    ("results", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
    ("assessment", "III. ĐÁNH GIÁ CHUNG"),
    ("next_steps", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
    ("proposals", "V. ĐỀ XUẤT, KIẾN NGHỊ"),
)

TASK_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Nội dung nhiệm vụ", 2.6),
    Column("Đơn vị chủ trì", 1.2),
    Column("Đơn vị phối hợp", 1.3),
    Column("Thời gian thực hiện", 1.15, "center"),
    Column("Kết quả dự kiến", 1.3),
    Column("Tiến độ", 1.05, "center"),
    Column("Kết quả thực hiện trong kỳ", 2.4),
    Column("Sản phẩm/văn bản", 1.5),
    Column("Khó khăn, vướng mắc", 1.35),
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
    current_group = None
    for task in ctx.tasks:
        if task.group_title and task.group_title != current_group:
            current_group = task.group_title
            rows.append(Row((current_group,), "group"))
        rows.append(Row((
            task.number, task.content, task.lead, ", ".join(task.cooperating), task.timeframe_text,
            task.expected_output, _progress_label(task),
            "\n".join(x for x in (task.result, task.figures) if x.strip()),
            "\n".join(e.describe() for e in task.evidence), task.difficulties,
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
        body.extend(text_to_blocks(text))
    summary = report_summary(ctx)
    if issued:
        when = f"ngày {short_date(issued)}"
    else:
        when = f"ngày      /{ctx.today.month:02d}/{ctx.today.year}"
    note = f"(Kèm theo Báo cáo số {number_only(number_line)} {when} của {dept.name_in_text})"
    appendices = (
        Appendix("Biểu 01", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", note, TASK_COLUMNS, task_rows(ctx),
                 landscape=True, sheet_name="Bieu01_NhiemVu"),
        Appendix("Biểu 02", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", note, TARGET_COLUMNS, target_rows(ctx),
                 landscape=False, sheet_name="Bieu02_ChiTieu"),
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
