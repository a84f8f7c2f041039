"""Turning a period's ReportContext into the report as an AdminDocument, following the plan's outline (default I–V)."""

from __future__ import annotations

import re
import unicodedata

from desktop.domain.outline import (
    TARGET_FIELDS, TASK_FIELDS, OutlineAppendix, OutlineSection, ReportOutline, default_outline,
)
from desktop.domain.report_values import ReportContext
from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import (
    attached_note, date_line, document_number, lower_first, percent, period_phrase, short_date,
)
from desktop.reporting.narrative import DRAFTERS, PLACEHOLDER, TARGET_APPENDIX, TASK_APPENDIX, text_to_blocks
from desktop.reporting.plan_builder import group_row_before

_DEFAULT = default_outline()
SECTION_HEADINGS = tuple((section.source, section.heading) for section in _DEFAULT.sections)


def outline_columns(appendix: OutlineAppendix) -> tuple[Column, ...]:
    return tuple(Column(c.title, c.weight, c.align) for c in appendix.columns)


TASK_COLUMNS = outline_columns(_DEFAULT.appendix("tasks"))
TARGET_COLUMNS = outline_columns(_DEFAULT.appendix("targets"))


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
    words = period_phrase(ctx.period.kind, ctx.period.start_year, ctx.period.end_year, ctx.period.code)
    return f"Kết quả thực hiện {reference} triển khai {lower_first(subject) if subject[:1].islower() else subject} {words}"


def appendix_reference(with_targets: bool, tasks_heading: str = "Phụ lục I",
                       targets_heading: str | None = "Phụ lục II") -> str:
    with_targets = with_targets and bool(targets_heading)
    both = f"{tasks_heading}, {targets_heading}" if with_targets else tasks_heading
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
    words = period_phrase(ctx.period.kind, ctx.period.start_year, ctx.period.end_year, ctx.period.code)
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


def _task_cells(task) -> dict[str, str]:
    problems = task.difficulties.strip()
    if task.proposals.strip():
        problems = "\n".join(x for x in (problems, "Đề xuất: " + task.proposals.strip()) if x)
    return {"number": task.number, "content": task.content, "lead": task.lead,
            "cooperating": ", ".join(task.cooperating), "timeframe": task.timeframe_text,
            "expected_output": task.expected_output, "progress": _progress_label(task),
            "result": "\n".join(x for x in (task.result, task.figures) if x.strip()),
            "evidence": "\n".join(e.describe() for e in task.evidence), "problems": problems}


def task_rows(ctx: ReportContext, fields: tuple[str, ...] = TASK_FIELDS) -> tuple[Row, ...]:
    rows: list[Row] = []
    for task in ctx.tasks:
        rows.extend(group_row_before(rows, task))
        cells = _task_cells(task)
        rows.append(Row(tuple(cells[f] for f in fields)))
    return tuple(rows)


def target_rows(ctx: ReportContext, fields: tuple[str, ...] = TARGET_FIELDS) -> tuple[Row, ...]:
    rows = []
    for index, target in enumerate(ctx.targets, start=1):
        value = target.value_text or (percent(target.value) if target.value is not None else "")
        ratio = percent(target.ratio) if target.ratio is not None else ""
        cells = {"number": str(index), "content": target.content, "goal": target.goal_text, "value": value,
                 "ratio": ratio}
        rows.append(Row(tuple(cells[f] for f in fields)))
    return tuple(rows)


def _sheet_name(heading: str, table: str) -> str:
    """"Phụ lục I" → "PhuLuc_I_NhiemVu": short and ASCII for the XLSX sheet."""
    plain = unicodedata.normalize("NFD", heading.replace("Đ", "D").replace("đ", "d"))
    words = "".join(c for c in plain if not unicodedata.combining(c) and (c.isalnum() or c == " ")).split()
    head = "".join(w[:1].upper() + w[1:] for w in words if not w.isupper() and not w.isdigit())
    tail = "_".join(w for w in words if w.isupper() or w.isdigit())
    return "_".join(x for x in (head, tail, "NhiemVu" if table == "tasks" else "ChiTieu") if x)[:31]


def _renamed(drafted: str, outline: ReportOutline) -> str:
    """A drafted text names the default appendices ("Phụ lục I"); an outline may call them "Biểu 01"."""
    names = {TARGET_APPENDIX: outline.appendix("targets"), TASK_APPENDIX: outline.appendix("tasks")}
    for default, appendix in names.items():  # "Phụ lục II" first: "Phụ lục I" is its prefix
        name = re.escape(default) + r"(?![IVX])"
        if appendix is None:  # the outline has no such table: no reference to it
            drafted = re.sub(r" ?\(chi tiết tại " + name + r"( kèm theo)?\)", "", drafted)
            drafted = re.sub(r" ?[^.\n]*chi tiết tại " + name + r"( kèm theo)?\.", "", drafted)
        elif appendix.heading != default:
            drafted = re.sub(name, appendix.heading, drafted)
    return drafted


def _section_blocks(ctx: ReportContext, section: OutlineSection, outline: ReportOutline) -> list[Block]:
    stored = ctx.report.sections.get(section.source, "").strip() if section.source else ""
    text = stored or (_renamed(DRAFTERS[section.source](ctx), outline) if section.source and section.draft else "")
    if not text:
        what = section.guidance or f"nội dung mục “{section.heading}”"
        return [Block("paragraph", PLACEHOLDER.format(what=what))]
    blocks = text_to_blocks(text)
    tasks, targets = outline.appendix("tasks"), outline.appendix("targets")
    if section.source == "results" and tasks and not any("Phụ lục" in b.text for b in blocks):
        blocks.insert(0, Block("paragraph", appendix_reference(bool(ctx.targets), tasks.heading,
                                                               targets.heading if targets else None)))
    return blocks


def build_report_document(ctx: ReportContext, outline: ReportOutline | None = None) -> AdminDocument:
    """The report laid out as the plan's outline says (None: the default I–V outline)."""
    outline = outline or _DEFAULT
    dept = ctx.department
    number_line = document_number(ctx.report.number, "BC", dept.abbreviation)
    issued = ctx.report.issued_on
    body: list[Block] = [Block("paragraph", _intro(ctx))]
    for section in outline.sections:
        body.append(Block("heading1", section.heading))
        body.extend(_section_blocks(ctx, section, outline))
    body = close_body(body)
    summary = report_summary(ctx)
    note = attached_note("Báo cáo", number_line, issued, ctx.today, dept.name_in_text)
    appendices = tuple(
        Appendix(app.heading, app.title, note, outline_columns(app),
                 task_rows(ctx, tuple(c.field for c in app.columns)) if app.table == "tasks"
                 else target_rows(ctx, tuple(c.field for c in app.columns)),
                 landscape=app.landscape, sheet_name=_sheet_name(app.heading, app.table))
        for app in outline.appendices if app.table == "tasks" or ctx.targets)
    return AdminDocument(
        letterhead=Letterhead(dept.parent_agency, dept.name, number_line,
                              date_line(dept.place_name, issued, ctx.today)),
        doc_type="BÁO CÁO",
        summary=summary,
        body=tuple(body),
        recipients=ctx.report.recipients,
        signature=Signature(ctx.report.signer_authority, ctx.report.signer_title, ctx.report.signer_name),
        appendices=appendices,
        title=f"Báo cáo {lower_first(summary)}",
        author=dept.name_in_text,
    )
