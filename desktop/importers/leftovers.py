"""The paragraphs the outline reader did not use: sentence assignments, items without a lead, and the rest.

Nothing in the assignment part of a document is dropped silently. The assignment part starts at a
heading such as "NHIỆM VỤ", "GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN", "PHÂN CÔNG", at "… như sau:", or at
the first task found, and ends at "Nơi nhận". There, every paragraph is a task (or part of one), a
heading, or listed as "không nhận ra". A numbered, lettered or bulleted item that names no body is
offered as a task with "chưa rõ đơn vị chủ trì" and is not ticked.
"""

from __future__ import annotations

import re

from desktop.domain.text import fold
from desktop.importers.fields import guess_timeframe, split_fields
from desktop.importers.model import NO_LEAD, ImportedTask
from desktop.importers.prose import Assignment, read_assignments
from desktop.importers.text_prep import Para
from desktop.importers.unit_names import is_unit_name, read_name
from desktop.importers.units import is_general

_ASSIGN_START = re.compile(r"\b(?:nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem)\b")
_AS_FOLLOWS = re.compile(r"\b(?:chi dao|yeu cau|giao|de nghi|phan cong)\b[^.]{0,60}(?:nhu sau|sau day)\s*:?\s*$")
_LIST_ONLY = re.compile(r"^(?:thuc hien |trien khai )?(?:cac|nhung) (?:noi dung|nhiem vu|viec|cong viec)\b.{0,30}$")
MAX_UNRECOGNISED = 500


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def _strip_giao(text: str) -> str:
    return re.sub(r"^(?:[Gg]iao|Đề nghị|Yêu cầu)\s+", "", text.strip())


def _heading_like(para: Para) -> bool:
    text = para.text.strip()
    return len(text) <= 120 and not text.endswith((".", ";"))


def _task(assignment: Assignment, para: Para, number: str, group: tuple[str, str]) -> ImportedTask:
    doubts = []
    if not assignment.lead:
        doubts.append(NO_LEAD)
    unknown = [n for n in assignment.unknown if not is_general(n)]
    if unknown:
        doubts.append("tên đơn vị không có trong danh mục: " + "; ".join(unknown))
    return ImportedTask(
        content=assignment.content, number=number, lead=list(assignment.lead),
        cooperating=list(assignment.cooperating), timeframe=assignment.timeframe, output=assignment.output,
        group=group[1], group_number=group[0], source_line=para.line, source=f"dòng {para.line}",
        read_as="sentence", doubts=doubts)


def _check_leads(task: ImportedTask) -> None:
    odd = [n for n in task.lead if len(n.split()) > 8 and not is_unit_name(n) and not is_general(n)]
    if odd:
        task.doubts.append("đơn vị chủ trì đọc được có vẻ không phải tên đơn vị: " + "; ".join(odd))


class _Walk:
    def __init__(self, tasks: list[ImportedTask]) -> None:
        self.blob = "\n".join(f" {_key(t.content)} " for t in tasks)
        self.keys = {_key(t.content) for t in tasks}
        self.groups = {_key(t.group) for t in tasks if t.group}
        self.started = False
        self.recipients = False  # inside the "Kính gửi:" list
        self.section: tuple[str, str] = ("", "")
        self.context: Assignment | None = None
        self.tasks: list[ImportedTask] = []
        self.unrecognised: list[tuple[str, str]] = []
        self.pending: ImportedTask | None = None
        self.context_number, self.context_count = "", 0

    def flush(self) -> None:
        if self.pending is not None:
            self.tasks.append(self.pending)
            self.pending = None

    def used(self, para: Para) -> str:
        """"strong" when the paragraph is (part of) a task or a heading of tasks, "weak" when only its words
        appear inside a task, "" when no task holds it."""
        key = _key(para.text)
        if not key:
            return "weak"
        tail = key[-90:].split(" ", 1)[-1] if len(key) > 90 else key
        if key in self.keys or len(key) > 60 and f" {tail} " in self.blob:
            return "strong"
        if read_name(_strip_giao(para.text)) is not None and any(
                key.endswith(" " + k) for k in self.keys if len(k) >= 15 and len(key) - len(k) <= 90):
            return "strong"  # "Sở A: nội dung" — the task is the text after the units
        if _key(para.text.rstrip(":")) in self.groups:
            return "strong"
        fields = split_fields(para.text)
        if fields.values and (not fields.before or _key(fields.before)[-40:] in self.blob):
            return "strong"
        return "weak" if len(key) >= 12 and f" {tail} " in self.blob else ""

    def number(self, para: Para) -> str:
        if para.kind == "num":
            return para.label
        if para.kind == "letter":
            return f"{self.section[0]}.{para.label}" if self.section[0] else para.label
        return ""

    def feed(self, para: Para) -> None:
        folded = fold(para.text)
        if folded.startswith(("kinh gui", "dong kinh gui")):
            self.recipients = not folded.rstrip(" :").split(":", 1)[-1].strip() or folded.endswith(":")
            return
        if self.recipients and para.kind == "bullet":
            return
        self.recipients = False
        if para.kind in ("roman",):
            self.section, self.context = (para.label, para.text), None
            self.started = self.started or bool(_ASSIGN_START.search(folded))
            return
        if not (self.context is not None and para.kind in ("bullet", "letter")):
            self.flush()
        used = self.used(para)
        if used and para.kind == "num" and _heading_like(para):
            self.section = (para.label, para.text.rstrip(":"))
        if used:
            self.started = self.started or used == "strong"
            self.context = None if para.kind not in ("bullet", "letter") else self.context
            return
        if _AS_FOLLOWS.search(folded) and not read_assignments(para.text):
            self.started = True
            return
        found = read_assignments(para.text)
        if found:
            self.context = None
            for assignment in found:
                listing = assignment.opens_list or not assignment.content
                if listing:
                    self.context = assignment
                    self.context_number, self.context_count = self.number(para), 0
                if assignment.content and not (listing and _LIST_ONLY.match(fold(assignment.content))):
                    self.started = True
                    task = _task(assignment, para, self.number(para), self.section)
                    if listing:
                        self.pending = task  # a task of its own only if no items follow it
                    else:
                        self.tasks.append(task)
            if para.kind == "num" and _heading_like(para):
                self.section = (para.label, para.text.rstrip(":"))
            return
        if self.context is not None and para.kind in ("bullet", "letter"):
            ctx = self.context
            item = Assignment(list(ctx.lead), list(ctx.cooperating), para.text.strip(),
                              unknown=list(ctx.unknown))
            item.timeframe = guess_timeframe(para.text)
            self.context_count += 1
            number = f"{self.context_number}.{self.context_count}" if self.context_number else self.number(para)
            group = (self.context_number, ctx.content) if ctx.content else self.section
            self.pending = None
            self.tasks.append(_task(item, para, number, group))
            return
        if para.kind in ("num", "plain"):
            self.context = None
        if para.kind == "num" and _heading_like(para):
            self.section = (para.label, para.text.rstrip(":"))
            self.started = self.started or bool(_ASSIGN_START.search(folded))
            return
        if not self.started:
            return
        if para.kind in ("bullet", "letter", "num") and len(para.text.split()) >= 4:
            self.tasks.append(_task(Assignment([], content=para.text.strip()), para, self.number(para), self.section))
            return
        if len(self.unrecognised) < MAX_UNRECOGNISED:
            self.unrecognised.append((f"dòng {para.line}", para.text.strip()))


def complete(paras: list[Para], tasks: list[ImportedTask]) -> tuple[list[ImportedTask], list[tuple[str, str]]]:
    """All tasks in document order (the outline's and those read from sentences) and the unrecognised paragraphs."""
    for task in tasks:
        _check_leads(task)
    walk = _Walk(tasks)
    for para in paras:
        if para.kind == "stop":
            break
        if para.kind in ("closing", "appendix"):
            walk.flush()
            walk.context = None
            continue
        walk.feed(para)
    walk.flush()
    merged = sorted([*tasks, *walk.tasks], key=lambda t: t.source_line)
    return merged, walk.unrecognised
