"""Drafting the five narrative sections of a period report from the data, in plain Vietnamese."""

from __future__ import annotations

import re

from desktop.reporting.document import Block
from desktop.reporting.formatting import lower_first, percent, period_phrase, short_date
from desktop.reporting.report_data import ReportContext, TargetResult
from desktop.services.queries import TaskRow

_HEADING2 = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+\S")
_HEADING3 = re.compile(r"^[a-zđ]\)\s+\S")
_BULLET = re.compile(r"^[-–—•+*]\s*")

STATUS_PHRASES = {
    "done": "đã hoàn thành",
    "in_progress": "đang triển khai thực hiện",
    "not_started": "chưa triển khai",
    "not_applicable": "không phát sinh trong kỳ",
}


def text_to_blocks(text: str) -> list[Block]:
    """Stored section text → blocks: "- …" bullets, short "1. …" headings, "a) …" sub-headings, paragraphs."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        short = len(line) <= 110 and not line.endswith((".", ";", ":"))
        if _BULLET.match(line) and not re.match(r"^-?\d", line):
            blocks.append(Block("bullet", _BULLET.sub("", line, count=1)))
        elif short and _HEADING2.match(line):
            blocks.append(Block("heading2", line))
        elif short and _HEADING3.match(line):
            blocks.append(Block("heading3", line))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def _sentence(text: str) -> str:
    """One line of user text, ending with a full stop."""
    text = " ".join(text.split()).rstrip(" ;,")
    return text if not text or text.endswith((".", "!", "?", "./.")) else text + "."


def _task_name(task: TaskRow) -> str:
    return " ".join(task.content.split()).rstrip(" .;")


def _period_words(ctx: ReportContext) -> str:
    p = ctx.period
    return period_phrase(p.kind, p.start_year, p.end_year)


def _counts(tasks: tuple[TaskRow, ...]) -> dict[str, int]:
    counts = {"done": 0, "in_progress": 0, "not_started": 0, "not_applicable": 0, "not_yet": 0, "late": 0}
    for task in tasks:
        if task.status == "done" or task.state == "finished":
            counts["done"] += 1
        elif task.status in ("in_progress", "not_applicable"):
            counts[task.status] += 1
        elif task.state == "not_yet":
            counts["not_yet"] += 1
        else:
            counts["not_started"] += 1
        if task.state == "late":
            counts["late"] += 1
    return counts


def late_tasks(ctx: ReportContext) -> list[TaskRow]:
    return [t for t in ctx.tasks if t.state == "late"]


def draft_direction(ctx: ReportContext) -> str:
    dept = ctx.department.name_in_text
    plan = ctx.plan
    plan_ref = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    if plan.number and plan.issued_on:
        plan_ref += f" ngày {short_date(plan.issued_on)}"
    lines = [f"{dept} đã ban hành {plan_ref} {lower_first(plan.title).removesuffix(' của ' + dept)}, "
             f"phân công nhiệm vụ cụ thể cho các phòng, đơn vị theo nguyên tắc \"06 rõ\" "
             f"(rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền)."]
    documents = []
    for task in ctx.tasks:
        for item in task.evidence:
            if item.number or item.summary:
                documents.append(item.describe())
    if documents:
        lines.append(f"Trong {_period_words(ctx)}, {dept} đã ban hành và tham mưu ban hành các văn bản sau:")
        lines.extend(f"- {_sentence(doc).rstrip('.')};" for doc in dict.fromkeys(documents))
        lines[-1] = lines[-1].rstrip(";") + "."
    return "\n".join(lines)


def _task_line(task: TaskRow) -> str:
    status = task.status
    if status is None:
        phrase = "chưa đến thời hạn triển khai" if task.state == "not_yet" else "chưa triển khai"
    else:
        phrase = STATUS_PHRASES.get(status, status)
    if task.state == "late":
        phrase += " (chậm tiến độ so với kế hoạch)"
    line = f"- {_task_name(task)} ({task.lead} chủ trì): {phrase}"
    result = _sentence(task.result) if task.result.strip() else ""
    return f"{line}. {result}".rstrip() if result else line + "."


def _target_line(target: TargetResult) -> str:
    name = " ".join(target.content.split()).rstrip(" .;")
    if not target.value_text and target.value is None:
        return f"- {name} (chỉ tiêu: {target.goal_text}): chưa có số liệu trong kỳ."
    achieved = target.value_text or percent(target.value or 0)
    text = f"- {name}: đạt {achieved} (chỉ tiêu: {target.goal_text}"
    if target.ratio is not None:
        text += f", tỷ lệ đạt {percent(target.ratio)} so với chỉ tiêu"
    text += ")"
    return _sentence(text + (f"; {target.note}" if target.note.strip() else ""))


def draft_results(ctx: ReportContext) -> str:
    counts = _counts(ctx.tasks)
    total = len(ctx.tasks)
    parts = [f"đã hoàn thành {counts['done']}/{total} nhiệm vụ"]
    if counts["in_progress"]:
        parts.append(f"đang triển khai {counts['in_progress']} nhiệm vụ")
    if counts["not_started"]:
        parts.append(f"chưa triển khai {counts['not_started']} nhiệm vụ")
    if counts["not_applicable"]:
        parts.append(f"{counts['not_applicable']} nhiệm vụ không phát sinh trong kỳ")
    if counts["not_yet"]:
        parts.append(f"{counts['not_yet']} nhiệm vụ chưa đến thời hạn triển khai")
    summary = (f"Trong tổng số {total} nhiệm vụ được phân công tại Phụ lục Kế hoạch, đến thời điểm báo cáo "
               f"{ctx.department.name_in_text} " + "; ".join(parts) + ".")
    if counts["late"]:
        summary += f" Có {counts['late']} nhiệm vụ chậm tiến độ so với thời hạn được giao."
    lines = ["1. Kết quả chung", summary]
    groups: dict[str, list[TaskRow]] = {}
    for task in ctx.tasks:
        groups.setdefault(task.group_title, []).append(task)
    number = 2
    if list(groups) == [""]:
        lines.append(f"{number}. Kết quả thực hiện các nhiệm vụ cụ thể")
        lines.extend(_task_line(t) for t in groups[""])
        number += 1
    else:
        for title, tasks in groups.items():
            heading = re.sub(r"^[IVXLC]+\.\s*|^\d+\.\s*", "", title).strip() or "Các nhiệm vụ khác"
            lines.append(f"{number}. {heading}")
            lines.extend(_task_line(t) for t in tasks)
            number += 1
    if ctx.targets:
        lines.append(f"{number}. Kết quả thực hiện các chỉ tiêu")
        lines.extend(_target_line(t) for t in ctx.targets)
    return "\n".join(lines)


def draft_assessment(ctx: ReportContext) -> str:
    dept = ctx.department.name_in_text
    counts = _counts(ctx.tasks)
    total = len(ctx.tasks)
    late = late_tasks(ctx)
    difficulties = [(t, t.difficulties) for t in ctx.tasks if t.difficulties.strip()]
    lines = ["1. Ưu điểm"]
    strengths = (f"Công tác triển khai Kế hoạch được Lãnh đạo {dept} quan tâm chỉ đạo; các phòng, đơn vị "
                 f"chủ động thực hiện nhiệm vụ được giao, {counts['done']}/{total} nhiệm vụ đã hoàn thành")
    if counts["in_progress"]:
        strengths += f", {counts['in_progress']} nhiệm vụ đang được triển khai thường xuyên, liên tục"
    lines.append(strengths + ".")
    lines.append("2. Tồn tại, hạn chế")
    if late:
        names = "; ".join(f"{_task_name(t)} ({t.lead} chủ trì, thời hạn: {t.timeframe_text})" for t in late)
        lines.append(f"Còn {len(late)} nhiệm vụ chậm tiến độ so với kế hoạch: {names}.")
    for task, text in difficulties:
        lines.append(f"- {_task_name(task)}: {_sentence(text)}")
    if not late and not difficulties:
        lines.append("Trong kỳ, các nhiệm vụ được triển khai theo đúng tiến độ; không phát sinh khó khăn, "
                     "vướng mắc lớn.")
    lines.append("3. Nguyên nhân")
    reasons = [f"Kết quả đạt được là nhờ sự quan tâm chỉ đạo của Lãnh đạo {dept} và sự phối hợp chặt chẽ "
               "giữa các phòng, đơn vị với các cơ quan liên quan."]
    if difficulties:
        reasons.append("Những tồn tại, hạn chế chủ yếu xuất phát từ các khó khăn, vướng mắc nêu trên.")
    elif late:
        reasons.append("Một số nhiệm vụ chưa hoàn thành đúng thời hạn do khối lượng công việc chuyên môn lớn, "
                       "việc bố trí thời gian, nhân lực thực hiện còn hạn chế.")
    lines.extend(reasons)
    return "\n".join(lines)


def draft_next_steps(ctx: ReportContext) -> str:
    lines = []
    late = late_tasks(ctx)
    if late:
        lines.append("- Tập trung hoàn thành các nhiệm vụ còn chậm tiến độ: "
                     + "; ".join(_task_name(t) for t in late) + ".")
    mentioned = {t.id for t in late}
    if ctx.next_period is not None:
        nxt = ctx.next_period
        words = period_phrase(nxt.kind, nxt.start_year, nxt.end_year)
        due = [t for t in ctx.next_period_tasks if t.state in ("due", "late") and t.id not in mentioned]
        if due:
            lines.append(f"- Triển khai các nhiệm vụ đến hạn trong {words}: "
                         + "; ".join(_task_name(t) for t in due) + ".")
            mentioned.update(t.id for t in due)
    ongoing = [t for t in ctx.tasks if t.id not in mentioned and t.state != "finished"
               and (t.timeframe_kind in ("continuous", "recurring", "range", "on_demand") or t.state == "ongoing")]
    if ongoing:
        lines.append("- Tiếp tục duy trì thực hiện các nhiệm vụ thường xuyên, định kỳ: "
                     + "; ".join(_task_name(t) for t in ongoing) + ".")
    lines.append("- Thực hiện chế độ thông tin, báo cáo định kỳ đầy đủ, đúng thời hạn.")
    return "\n".join(lines)


def draft_proposals(ctx: ReportContext) -> str:
    proposals = [(t, t.proposals) for t in ctx.tasks if t.proposals.strip()]
    if not proposals:
        return "Không có đề xuất, kiến nghị."
    return "\n".join(f"- {_sentence(text)}" for _task, text in proposals)


DRAFTERS = {
    "direction": draft_direction,
    "results": draft_results,
    "assessment": draft_assessment,
    "next_steps": draft_next_steps,
    "proposals": draft_proposals,
}


def draft_sections(ctx: ReportContext) -> dict[str, str]:
    """All five sections drafted from the data (used where the stored text is empty)."""
    return {key: drafter(ctx) for key, drafter in DRAFTERS.items()}
