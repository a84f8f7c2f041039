"""Drafting the five narrative sections of a period report from the data: counts and what a reader must see."""

from __future__ import annotations

import re

from desktop.domain.report_values import ReportContext, TargetResult
from desktop.domain.rows import TaskRow
from desktop.reporting.document import Block
from desktop.reporting.formatting import lower_first, percent, period_phrase, short_date

_HEADING2 = re.compile(r"^\d{1,2}(\.\d{1,2})*\.?\s+\S")
_HEADING3 = re.compile(r"^[a-zđ]\)\s+\S")
_BULLET = re.compile(r"^[-–—•+*]\s*")

LIST_LIMIT = 5  # names shown in a list before "… và N nhiệm vụ khác (chi tiết tại Phụ lục I)"
TASK_APPENDIX = "Phụ lục I"
TARGET_APPENDIX = "Phụ lục II"
# What the clerk must write herself: the data cannot tell strengths or causes.
PLACEHOLDER = "[Đề nghị bổ sung: {what}]"

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


def task_name(task: TaskRow) -> str:
    return " ".join(task.content.split()).rstrip(" .;:")


def in_sentence(text: str) -> str:
    """A name placed inside a sentence: "Tuyên truyền …" → "tuyên truyền …", but "UBND …", "Sở …" stay."""
    words = text.split(maxsplit=1)
    if not words:
        return text
    first = words[0]
    if len(first) > 1 and first[1:].islower() and first not in _PROPER_STARTS:
        return lower_first(text)
    return text


_PROPER_STARTS = {"Sở", "Bộ", "Công", "Ủy", "Văn", "Thủ", "Chính", "Quốc", "Đảng", "Nhà", "Ban", "Phòng", "Trung"}


def _period_words(ctx: ReportContext) -> str:
    p = ctx.period
    return period_phrase(p.kind, p.start_year, p.end_year, p.code)


def late_tasks(ctx: ReportContext) -> list[TaskRow]:
    return [t for t in ctx.tasks if t.state == "late"]


def unreported_tasks(ctx: ReportContext) -> list[TaskRow]:
    """Tasks the period expected a result for that have none (no entry, or an entry with no result)."""
    out = []
    for task in ctx.tasks:
        if task.state in ("not_yet", "finished") or task.status == "not_applicable":
            continue
        if task.status is None or not (task.result.strip() or task.figures.strip()):
            out.append(task)
    return out


def target_missed(target: TargetResult) -> bool:
    """A target with a figure that falls short of its goal (numbers compared, words compared as words)."""
    if target.ratio is not None:
        return target.ratio < 100 - 1e-9
    if not target.value_text.strip():
        return False
    goal = " ".join(target.goal_text.split()).lower().rstrip(".")
    value = " ".join(target.value_text.split()).lower().rstrip(".")
    return bool(goal) and value != goal and not value.startswith(("đạt", "bảo đảm", "hoàn thành", "có"))


def target_has_figure(target: TargetResult) -> bool:
    return bool(target.value_text.strip()) or target.value is not None


def capped(lines: list[str], noun: str = "nhiệm vụ", where: str = TASK_APPENDIX,
           limit: int = LIST_LIMIT) -> list[str]:
    """At most `limit` bullets; the rest as one line that says how many and where to find them."""
    if len(lines) <= limit:
        return lines
    shown = lines[:limit]
    return [*shown, f"- … và {len(lines) - limit} {noun} khác (chi tiết tại {where})."]


def _counts(tasks) -> dict[str, int]:
    counts = {"done": 0, "in_progress": 0, "not_started": 0, "not_applicable": 0, "not_yet": 0,
              "no_report": 0, "late": 0}
    for task in tasks:
        if task.status == "done" or task.state == "finished":
            counts["done"] += 1
        elif task.status in ("in_progress", "not_applicable", "not_started"):
            counts[task.status] += 1
        elif task.state == "not_yet":
            counts["not_yet"] += 1
        else:
            counts["no_report"] += 1
        if task.state == "late":
            counts["late"] += 1
    return counts


def _count_parts(counts: dict[str, int], total: int | None = None, noun: str = " nhiệm vụ") -> list[str]:
    """"hoàn thành 2/9 nhiệm vụ", "đang triển khai 3 nhiệm vụ", … (only the non-zero counts after the first)."""
    first = f"{counts['done']}/{total}" if total is not None else str(counts["done"])
    parts = [f"hoàn thành {first}{noun}"]
    for key, words in (("in_progress", "đang triển khai"), ("not_started", "chưa triển khai"),
                       ("no_report", "chưa có kết quả báo cáo"), ("not_yet", "chưa đến thời hạn"),
                       ("not_applicable", "không phát sinh trong kỳ")):
        if counts[key]:
            parts.append(f"{words} {counts[key]}{noun}")
    return parts


def _issued_in_period(ctx: ReportContext, issued) -> bool:
    return issued is None or ctx.period.cutoff_start <= issued <= ctx.period.cutoff_end


def cited_documents(ctx: ReportContext) -> list:
    """Evidence documents of the period, each once, in date order (undated last)."""
    seen: dict[tuple, object] = {}
    for task in ctx.tasks:
        for item in task.evidence:
            if item.number or item.summary:
                seen.setdefault((item.number, item.issued_on, item.summary), item)
    return sorted(seen.values(), key=lambda e: (e.issued_on is None, e.issued_on or ctx.today, e.number))


def draft_direction(ctx: ReportContext) -> str:
    dept = ctx.department.name_in_text
    plan = ctx.plan
    plan_ref = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    if plan.number and plan.issued_on:
        plan_ref += f" ngày {short_date(plan.issued_on)}"
    lines = [f"{dept} đã ban hành {plan_ref} {lower_first(plan.title).removesuffix(' của ' + dept)}, "
             f"phân công nhiệm vụ cụ thể cho các phòng, đơn vị theo nguyên tắc \"06 rõ\" "
             f"(rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền)."]
    documents = [d for d in cited_documents(ctx) if _issued_in_period(ctx, d.issued_on)]
    if documents:
        lines.append(f"Trong {_period_words(ctx)}, {dept} đã ban hành và tham mưu ban hành "
                     f"{len(documents)} văn bản chỉ đạo, triển khai, trong đó:")
        items = [f"- {_sentence(d.describe()).rstrip('.')};" for d in documents]
        items = capped(items, "văn bản", TASK_APPENDIX)
        items[-1] = items[-1].rstrip(";.") + "."
        lines.extend(items)
    return "\n".join(lines)


def _group_key(task: TaskRow) -> tuple[str, str]:
    return (task.group_number.strip(), task.group_title.strip())


def _group_heading(number: str, title: str) -> str:
    title = re.sub(r"^[IVXLC]+\.\s*|^\d+\.\s*", "", title).strip() or "Các nhiệm vụ khác"
    return f"{number}. {title}" if number else title


def _late_line(task: TaskRow) -> str:
    return f"- {task_name(task)} ({task.lead} chủ trì, thời hạn: {task.timeframe_text})."


def _target_phrase(target: TargetResult) -> str:
    """"Công chức … được tuyên truyền: đạt 95%, chỉ tiêu 100%" — never "đạt Bảo đảm (chỉ tiêu: Bảo đảm)"."""
    name = " ".join(target.content.split()).rstrip(" .;")
    if not target_has_figure(target):
        return f"- {name} (chỉ tiêu {target.goal_text}): chưa có số liệu."
    value = target.value_text.strip() or percent(target.value or 0)
    if target.ratio is not None:
        share = percent(target.ratio)
        extra = "" if share == value else f", bằng {share} chỉ tiêu"
        return f"- {name}: đạt {value} (chỉ tiêu {target.goal_text}{extra})."
    return f"- {name}: {lower_first(value).rstrip('.')} (chỉ tiêu: {lower_first(target.goal_text)})."


def draft_results(ctx: ReportContext) -> str:
    counts = _counts(ctx.tasks)
    total = len(ctx.tasks)
    dept = ctx.department.name_in_text
    summary = (f"Trong tổng số {total} nhiệm vụ được phân công tại Kế hoạch, đến thời điểm báo cáo "
               f"{dept} đã " + "; ".join(_count_parts(counts, total)) + ".")
    if counts["late"]:
        summary += f" Có {counts['late']} nhiệm vụ chậm tiến độ so với thời hạn được giao."
    summary += f" Kết quả thực hiện từng nhiệm vụ chi tiết tại {TASK_APPENDIX} kèm theo."
    lines = ["1. Kết quả chung", summary]
    groups: dict[tuple[str, str], list[TaskRow]] = {}
    for task in ctx.tasks:
        groups.setdefault(_group_key(task), []).append(task)
    number = 2
    if len(groups) > 1 or list(groups) != [("", "")]:
        lines.append(f"{number}. Kết quả theo nhóm nhiệm vụ")
        for (gnum, gtitle), tasks in groups.items():
            c = _counts(tasks)
            lines.append(f"- {_group_heading(gnum, gtitle)} ({len(tasks)} nhiệm vụ): "
                         + ", ".join(_count_parts(c, noun="")) + ".")
        number += 1
    late = late_tasks(ctx)
    if late:
        lines.append(f"{number}. Nhiệm vụ chậm tiến độ")
        lines.extend(capped([_late_line(t) for t in late]))
        number += 1
    unreported = [t for t in unreported_tasks(ctx) if t.state != "late"]
    if unreported:
        lines.append(f"{number}. Nhiệm vụ đến hạn chưa có kết quả báo cáo")
        lines.extend(capped([f"- {task_name(t)} ({t.lead} chủ trì)." for t in unreported]))
        number += 1
    if ctx.targets:
        lines.append(f"{number}. Kết quả thực hiện các chỉ tiêu")
        with_figure = [t for t in ctx.targets if target_has_figure(t)]
        missed = [t for t in with_figure if target_missed(t)]
        reached = len(with_figure) - len(missed)
        parts = [f"{n} chỉ tiêu {words}" for n, words in (
            (reached, "đạt và vượt"), (len(missed), "chưa đạt"),
            (len(ctx.targets) - len(with_figure), "chưa có số liệu")) if n]
        lines.append(f"Trong tổng số {len(ctx.targets)} chỉ tiêu: " + ", ".join(parts)
                     + f" (chi tiết tại {TARGET_APPENDIX} kèm theo).")
        shown = missed + [t for t in ctx.targets if not target_has_figure(t)]
        if shown:
            lines.append("Các chỉ tiêu chưa đạt hoặc chưa có số liệu:")
            lines.extend(capped([_target_phrase(t) for t in shown], "chỉ tiêu", TARGET_APPENDIX))
    return "\n".join(lines)


def draft_assessment(ctx: ReportContext) -> str:
    late = late_tasks(ctx)
    difficulties = [(t, t.difficulties) for t in ctx.tasks if t.difficulties.strip()]
    lines = ["1. Ưu điểm", PLACEHOLDER.format(what="những ưu điểm, kết quả nổi bật trong kỳ")]
    lines.append("2. Tồn tại, hạn chế")
    if late:
        lines.append(f"Còn {len(late)} nhiệm vụ chậm tiến độ so với kế hoạch (nêu tại mục II).")
    unreported = len([t for t in unreported_tasks(ctx) if t.state != "late"])
    if unreported:
        lines.append(f"Có {unreported} nhiệm vụ đến hạn chưa có kết quả báo cáo (nêu tại mục II).")
    if difficulties:
        lines.append("Khó khăn, vướng mắc các đơn vị nêu:")
        lines.extend(capped([f"- {task_name(t)}: {in_sentence(_sentence(text))}" for t, text in difficulties]))
    if not late and not difficulties and not unreported:
        lines.append(PLACEHOLDER.format(what="tồn tại, hạn chế (nếu có)"))
    lines.append("3. Nguyên nhân")
    lines.append(PLACEHOLDER.format(what="nguyên nhân của kết quả đạt được và của tồn tại, hạn chế"))
    return "\n".join(lines)


def draft_next_steps(ctx: ReportContext) -> str:
    lines = []
    late = late_tasks(ctx)
    if late:
        lines.append(f"- Tập trung hoàn thành {len(late)} nhiệm vụ còn chậm tiến độ nêu tại mục II.")
    unreported = [t for t in unreported_tasks(ctx) if t.state != "late"]
    if unreported:
        lines.append(f"- Đôn đốc các đơn vị báo cáo kết quả {len(unreported)} nhiệm vụ đến hạn chưa có kết quả.")
    if ctx.next_period is not None:
        nxt = ctx.next_period
        words = period_phrase(nxt.kind, nxt.start_year, nxt.end_year, nxt.code)
        mentioned = {t.id for t in late} | {t.id for t in unreported}
        due = [t for t in ctx.next_period_tasks if t.state in ("due", "late") and t.id not in mentioned
               and t.timeframe_kind not in ("continuous", "recurring")]
        if due:
            lines.append(f"- Triển khai {len(due)} nhiệm vụ đến hạn trong {words}:")
            lines.extend(capped([f"- {task_name(t)} ({t.lead} chủ trì)." for t in due]))
    lines.append("- Tiếp tục duy trì thực hiện các nhiệm vụ thường xuyên, định kỳ theo Kế hoạch.")
    lines.append("- Thực hiện chế độ thông tin, báo cáo định kỳ đầy đủ, đúng thời hạn.")
    return "\n".join(lines)


def draft_proposals(ctx: ReportContext) -> str:
    proposals = list(dict.fromkeys(_sentence(t.proposals) for t in ctx.tasks if t.proposals.strip()))
    if not proposals:
        return "Không có đề xuất, kiến nghị."
    return "\n".join(capped([f"- {text}" for text in proposals], "đề xuất", TASK_APPENDIX, limit=10))


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
