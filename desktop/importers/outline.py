"""Tasks written in the body of a plan or letter: inline tasks with labelled fields, and tasks assigned per agency.

Inline ("a) … - Cơ quan chủ trì: … - Cơ quan phối hợp: … - Thời gian thực hiện: …"): a task is the item
(lettered item, bullet, numbered sub-section, or the paragraph under a heading) that the "chủ trì" /
"phối hợp" / "thời gian" fields follow. Its number joins the section and the item: "1.a", "2.1", "6".

Per agency ("2. Giao Sở Giáo dục và Đào tạo" then bullets, or "3. Giao Công an tỉnh: Theo dõi …"): a
heading or a "Units: text" item whose left part names bodies makes those bodies the lead of each
bullet (or paragraph) under it, numbered "2.1", "2.2", …; a timeframe in the sentence is picked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.domain.text import fold
from desktop.importers.fields import guess_timeframe, split_fields
from desktop.importers.model import ImportedTask
from desktop.importers.text_prep import Para
from desktop.importers.unit_split import looks_like_body, split_units, strip_prefixes
from desktop.importers.units import is_general


def _is_unit_name(text: str) -> bool:
    from desktop.importers.unit_names import is_unit_name

    return is_unit_name(text)

_TASK_WORDS = re.compile(r"\b(?:chu tri|phoi hop|trien khai|thuc hien|xay dung|tuyen truyen|kiem tra|bao cao"
                         r"|tang cuong|day manh|nang cao|nhu sau|ban hanh|yeu cau|huong dan|(?<!ban )chi dao)\b")
MAX_TASKS = 2000
_OWN_LEAD = re.compile(r"^(?:Giao|Đề nghị|Yêu cầu)\s+(?:cho\s+)?(?:Sở|Ban|Ủy ban|UBND|Công an|Thanh tra|Văn phòng|Trung tâm"
                       r"|Hội|Tỉnh đoàn|Bộ|Cục|Chi cục|Đài|Báo|Liên đoàn|Các|các)\b")


@dataclass
class _Draft:
    kind: str  # letter | bullet | heading | plain | agency
    number: str
    parts: list[str]
    line: int
    group: str = ""
    group_number: str = ""
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    timeframe: str = ""
    output: str = ""
    has_fields: bool = False

    def text(self) -> str:
        return "\n".join(p.strip() for p in self.parts if p.strip())


@dataclass
class _Agency:
    units: list[str]
    depth: float  # items below a heading of this depth belong to the agency
    number: str
    group: str
    group_number: str = ""
    count: int = 0
    kind: str = "heading"  # heading | plain | letter | single: what opened the assignment


def agency_units(text: str, heading: bool) -> tuple[list[str], str] | None:
    """(units, rest) when `text` is "Units: rest" or, for a heading, only names bodies; else None."""
    text = text.strip()
    left, rest = text, ""
    colon = _colon_outside_parentheses(text)
    if colon is not None and colon <= 300:
        left, rest = text[:colon], text[colon + 1:].strip()
    elif not heading or len(text) > 250 or text.endswith("."):
        return None
    if not left.strip() or not looks_like_body(strip_prefixes(left)):
        return None
    units = split_units(left)
    if not units:
        return None
    for unit in units:
        folded = fold(unit)
        if len(folded.split()) > 16 or _TASK_WORDS.search(folded):
            return None
        if not (looks_like_body(unit) or is_general(unit)) or not (is_general(unit) or _is_unit_name(unit)):
            return None
    return units, rest


def _colon_outside_parentheses(text: str) -> int | None:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
        elif ch in ":：" and depth == 0:
            return i
    return None


class OutlineReader:
    """Walks classified paragraphs once and collects inline and per-agency tasks in document order."""

    def __init__(self) -> None:
        self.tasks: list[ImportedTask] = []
        self.warnings: list[str] = []
        self.roman: tuple[str, str] = ("", "")
        self.sections: list[tuple[str, str]] = []  # (label, title) of the open numbered headings
        self.candidate: _Draft | None = None
        self.current: _Draft | None = None  # an inline task whose fields are being read
        self.agency: _Agency | None = None
        self.last_agency: _Draft | None = None
        self.bullet_count: dict[str, int] = {}
        self.stopped = False
        self.inline_count = 0
        self.agency_count = 0

    # --- context helpers ---

    def _section(self) -> tuple[str, str]:
        return self.sections[-1] if self.sections else self.roman

    def _flush(self) -> None:
        if self.current is not None:
            self._emit(self.current)
        self.current = None
        self.candidate = None

    def _emit(self, draft: _Draft) -> None:
        content = draft.text()
        if not content or len(self.tasks) >= MAX_TASKS:
            return
        if draft.kind == "agency":
            self.agency_count += 1
        else:
            self.inline_count += 1
        if draft.kind == "bullet" and not draft.number:
            label = self._section()[0]
            self.bullet_count[label] = self.bullet_count.get(label, 0) + 1
            draft.number = f"{label}.{self.bullet_count[label]}" if label else str(self.bullet_count[label])
        self.tasks.append(ImportedTask(
            content=content, number=draft.number, lead=draft.lead, cooperating=draft.cooperating,
            timeframe=_capital(draft.timeframe), output=_capital(draft.output), group=draft.group,
            group_number=draft.group_number, source_line=draft.line, source=f"dòng {draft.line}"))

    def _draft(self, kind: str, number: str, text: str, line: int) -> _Draft:
        label, title = self._section()
        return _Draft(kind, number, [text], line, group=title, group_number=label)

    # --- agency tasks ---

    def _start_agency(self, units: list[str], rest: str, depth: float, para: Para, heading_text: str) -> None:
        self._flush()
        if rest:
            group_number, group = self._section() if depth else ("", "")
        else:
            group_number, group = para.label, heading_text
        self.agency = _Agency(units, depth, para.label, group, group_number)
        self.last_agency = None
        if rest:
            self._agency_task(rest, para.line, number=para.label)

    def _agency_task(self, text: str, line: int, number: str | None = None, units: list[str] | None = None) -> None:
        ctx = self.agency
        if ctx is None:
            return
        if self.last_agency is not None:
            self._emit(self.last_agency)
        if number is None and ctx.number:
            ctx.count += 1
            number = f"{ctx.number}.{ctx.count}"
        elif number is None:
            label = self._section()[0]
            self.bullet_count[label] = self.bullet_count.get(label, 0) + 1
            number = f"{label}.{self.bullet_count[label]}" if label else str(self.bullet_count[label])
        self.last_agency = _Draft("agency", number, [text], line, group=ctx.group, group_number=ctx.group_number,
                                  lead=list(ctx.units if units is None else units), timeframe=guess_timeframe(text))

    def _end_agency_tasks(self) -> None:
        if self.last_agency is not None:
            self._emit(self.last_agency)
        self.agency = None
        self.last_agency = None

    # --- fields ---

    def _apply_fields(self, values: list[tuple[str, str]], line: int) -> None:
        target = self.current
        if target is not None and any(k == "lead" for k, _ in values) and target.lead and target.has_fields:
            self._emit(target)
            self.current = target = None
        if target is None and self.candidate is not None:
            target, self.candidate = self.candidate, None
            self.current = target
        if target is None and self.last_agency is not None:
            target = self.last_agency
        if target is None:
            self.warnings.append(f"Dòng {line}: có thông tin chủ trì/phối hợp/thời gian nhưng không thấy nội dung "
                                 "nhiệm vụ phía trên; đã bỏ qua.")
            return
        for kind, value in values:
            if kind == "lead":
                names = split_units(value)
                target.lead = _merged(target.lead, names) if target.kind == "agency" else names
            elif kind == "cooperating":
                target.cooperating = _merged(target.cooperating, split_units(value))
            elif kind == "timeframe":
                target.timeframe = value if not target.timeframe or target.kind == "agency" else \
                    f"{target.timeframe}; {value}"
            elif kind == "output":
                target.output = f"{target.output}; {value}" if target.output else value
        target.has_fields = True

    # --- the walk ---

    def feed(self, para: Para) -> None:
        if para.kind == "stop":
            self.finish()
            self.stopped = True
            return
        if para.kind == "appendix":
            self.finish()
            self.stopped = False
            self.roman, self.sections = ("", ""), []
            return
        if self.stopped:
            return
        if para.kind == "closing":
            self.finish()
            return
        fields = split_fields(para.text)
        if fields.values and not fields.before and para.kind in ("bullet", "plain"):
            self._apply_fields(fields.values, para.line)
            return
        handler = getattr(self, f"_on_{para.kind}")
        handler(para, fields)

    def _heading_agency(self, para: Para, depth: int) -> bool:
        found = agency_units(para.text, heading=True)
        if found is None:
            return False
        self._end_agency_tasks()
        self._start_agency(found[0], found[1], depth, para, para.text.rstrip(":").strip())
        return True

    def _on_roman(self, para: Para, fields) -> None:
        self._flush()
        self._end_agency_tasks()
        self.roman, self.sections = (para.label, para.text), []
        self._heading_agency(para, 0)

    def _on_num(self, para: Para, fields) -> None:
        depth = para.label.count(".") + 1
        self._flush()
        while self.sections and self.sections[-1][0].count(".") + 1 >= depth:
            self.sections.pop()
        if self._heading_agency(para, depth):
            self.sections.append((para.label, para.text))
            return
        if self.agency is not None and depth > self.agency.depth:
            self._agency_item(para, fields, para.label)
            return
        self._end_agency_tasks()
        self.sections.append((para.label, para.text))
        if fields.values and fields.before:
            self.current = _Draft("heading", para.label, [fields.before], para.line,
                                  group=self._parent_title(), group_number=self._parent_label())
            self._apply_fields(fields.values, para.line)
            return
        self.candidate = _Draft("heading", para.label, [para.text], para.line,
                                group=self._parent_title(), group_number=self._parent_label())

    def _parent_title(self) -> str:
        return self.sections[-2][1] if len(self.sections) >= 2 else self.roman[1]

    def _parent_label(self) -> str:
        return self.sections[-2][0] if len(self.sections) >= 2 else self.roman[0]

    def _agency_item(self, para: Para, fields, number: str | None) -> None:
        found = None if fields.values else agency_units(para.text, heading=False)
        if found is not None and found[1]:
            self._agency_task(found[1], para.line, number=number, units=found[0])  # "b) Sở Nội vụ: …"
            return
        if _OWN_LEAD.match(para.text) and self.agency is not None:
            # "a) Giao Sở Tài chính chủ trì …" names its own lead: left for the sentence reader
            if self.last_agency is not None:
                self._emit(self.last_agency)
                self.last_agency = None
            return
        if fields.values and fields.before:
            self._agency_task(fields.before, para.line, number=number)
            self._apply_fields(fields.values, para.line)
        else:
            self._agency_task(para.text, para.line, number=number)

    def _open_agency(self, units: list[str], kind: str, number: str, depth: float = 99) -> None:
        self._flush()
        self._end_agency_tasks()
        label, title = self._section()
        self.agency = _Agency(units, depth, number, title, label, kind=kind)

    def _on_letter(self, para: Para, fields) -> None:
        self._flush()
        if self.agency is not None and self.agency.kind in ("letter", "single"):
            self._end_agency_tasks()
        if self.agency is not None:
            number = f"{self.agency.number}.{para.label}" if self.agency.number else para.label
            self._agency_item(para, fields, number)
            return
        found = agency_units(para.text, heading=False)
        label = self._section()[0]
        number = f"{label}.{para.label}" if label else para.label
        if found is not None and found[1]:
            self._open_agency(found[0], "letter", number)
            self._agency_task(found[1], para.line, number=number)
            return
        text = fields.before if fields.values else para.text
        self.candidate = self._draft("letter", number, text, para.line)
        if fields.values:
            self._apply_fields(fields.values, para.line)

    def _on_bullet(self, para: Para, fields) -> None:
        found = None if fields.values else agency_units(para.text, heading=False)
        colon_form = found is not None and bool(found[1])
        if self.agency is not None:
            if para.label == "+" and self.last_agency is not None:
                self.last_agency.parts.append("+ " + para.text)
                return
            if self.agency.kind != "single":
                if colon_form:
                    self._agency_task(found[1], para.line, units=found[0])
                else:
                    self._agency_item(para, fields, None)
                return
            self._end_agency_tasks()
        if colon_form:
            self._open_agency(found[0], "single", "")
            self._agency_task(found[1], para.line)
            return
        if self.current is not None:
            self._flush()
        if fields.values and fields.before:
            self.current = self._draft("bullet", "", fields.before, para.line)
            self._apply_fields(fields.values, para.line)
            return
        candidate = self.candidate
        if candidate is not None and (candidate.kind == "letter" or para.label == "+"
                                      or candidate.text().endswith(":")):
            candidate.parts.append(f"{para.label} {para.text}")
            return
        self.candidate = self._draft("bullet", "", para.text, para.line)

    def _plain_heading(self, para: Para, fields) -> bool:
        """A short paragraph naming bodies ("Sở Y tế:", "Các sở, ban, ngành: …") opens an assignment."""
        if fields.values or len(para.text) > 300:
            return False
        found = agency_units(para.text, heading=para.text.rstrip().endswith(":"))
        if found is None:
            return False
        label = self._section()[0]
        depth = (label.count(".") + 1 if label and label[0].isdigit() else 0) + 0.5
        self._open_agency(found[0], "single" if found[1] else "plain", "", depth)
        if not found[1]:
            self.agency.group, self.agency.group_number = para.text.rstrip(":").strip(), ""
        else:
            self._agency_task(found[1], para.line)
        return True

    def _on_plain(self, para: Para, fields) -> None:
        if self.agency is not None and self.agency.kind == "single":
            self._end_agency_tasks()
        if self._plain_heading(para, fields):
            return
        if self.agency is not None:
            if self.last_agency is not None and para.text[:1].islower():
                self.last_agency.parts.append(para.text)
                return
            self._agency_item(para, fields, None)
            return
        if self.current is not None:
            self._flush()
        if fields.values and fields.before:
            label = self._section()[0]
            self.current = self._draft("plain", label, fields.before, para.line)
            self._apply_fields(fields.values, para.line)
            return
        candidate = self.candidate
        if candidate is None:
            self.candidate = self._draft("plain", self._section()[0], para.text, para.line)
        elif candidate.kind == "heading":
            candidate.parts = [para.text]
            candidate.kind, candidate.line = "plain", para.line
            candidate.group, candidate.group_number = self._section()[1], self._section()[0]
        else:
            candidate.parts.append(para.text)

    def finish(self) -> None:
        self._flush()
        self._end_agency_tasks()


def _merged(names: list[str], more: list[str]) -> list[str]:
    return names + [n for n in more if n not in names]


def _capital(text: str) -> str:
    text = " ".join(text.split())
    return text[:1].upper() + text[1:] if text else ""


def read_outline(paras: list[Para]) -> tuple[list[ImportedTask], list[str], str]:
    """Tasks, warnings and the layout found ("inline", "agency", "mixed" or "none")."""
    reader = OutlineReader()
    for para in paras:
        reader.feed(para)
    reader.finish()
    if reader.inline_count and reader.agency_count:
        layout = "mixed"
    elif reader.inline_count:
        layout = "inline"
    elif reader.agency_count:
        layout = "agency"
    else:
        layout = "none"
    return reader.tasks, reader.warnings, layout
