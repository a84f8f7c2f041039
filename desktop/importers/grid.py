"""Reading a "06 rõ" task table held as a grid of cell texts (from XLSX, DOCX tables or tab-separated text).

The header row is looked for in the first rows by the Vietnamese column names and their variants (one
or two header rows: "Đơn vị thực hiện" over "Chủ trì" | "Phối hợp"). Below it: blank rows, repeated
headers, separator and column-number rows ("(1) (2) (3)") are skipped; a row with only a heading
(spanning the row, or numbered I, II, A, B, or "1" followed by "1.1") starts a group; a row without a
number whose text starts in lower case or with a bullet continues the task above; notes and signatures
under the table end it. A value merged down over several rows (one lead unit for many tasks) is
inherited by each of those rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from desktop.domain.text import fold, nfc, strip_control
from desktop.importers.model import FIELDS, ColumnMapping, ImportedTask, ImportResult
from desktop.importers.unit_split import split_units

HEADER_SCAN = 20
_ROMAN = re.compile(r"^[IVXL]{1,6}$")
_LETTER_GROUP = re.compile(r"^[A-ZĐ]$")
_GROUP_TEXT = re.compile(r"^([IVXL]{1,6}|[A-ZĐ])\s*[.)\-–:]\s*(\S.*)$", re.DOTALL)
_COLUMN_NUMBER = re.compile(r"^\(?\s*(?:\d{1,2}|[a-z])\s*\)?$")
_SEPARATOR = re.compile(r"^[-=_:|+.\s]+$")
_NOTE = re.compile(r"^(?:ghi chu|luu y|chu thich|chu y|nguon\s*:|nguoi lap|noi nhan|xac nhan|\(\*+\)|\*|kt\s*\.|tm\s*\."
                   r"|tl\s*\.|giam doc|thu truong|lanh dao|tong cong|cong\s*:?$)")
_BULLET_START = re.compile(r"^[-+•*–]\s*")
_NUMBER_TAIL = re.compile(r"[.)\s]+$")


@dataclass
class GridRow:
    """One row: a text per column; merged cells repeat their text in `cells` and are flagged here."""

    cells: list[str]
    line: int  # 1-based row (sheet), table row (document) or line (text)
    from_left: frozenset[int] = frozenset()  # columns covered by a cell merged from the left
    from_above: frozenset[int] = frozenset()  # columns covered by a cell merged from above
    bold: bool = False
    origin: str = ""  # where the row comes from when `line` alone does not say it ("bảng 2, hàng 4")

    def own(self, index: int) -> str:
        """The text that belongs to this row in a column ("" for a cell merged in from the left or above)."""
        if index >= len(self.cells) or index in self.from_left or index in self.from_above:
            return ""
        return self.cells[index]

    def value(self, index: int) -> str:
        """The text shown in a column, counting values merged down from above (not from the left)."""
        if index >= len(self.cells) or index in self.from_left:
            return ""
        return self.cells[index]


def _header_text(text: str) -> str:
    text = re.sub(r"\(\s*\d+\s*\)|\*", " ", fold(text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def header_field(text: str) -> tuple[str, bool] | None:
    """(field, strong) for a header cell, e.g. "Đơn vị chủ trì" → ("lead", True); None when unknown."""
    t = _header_text(text)
    if not t:
        return None
    if re.fullmatch(r"(?:s\s?)?tt|so tt|so thu tu|thu tu|stt|tt nhiem vu|muc|so", t):
        return "number", True
    if "phoi hop" in t:
        return "cooperating", True
    if "chu tri" in t or "chiu trach nhiem chinh" in t:
        return "lead", True
    if re.search(r"\b(?:thoi gian|thoi han|tien do|moc thoi gian|thoi diem|thoi gian hoan thanh)\b", t):
        return "timeframe", True
    if "san pham" in t or ("ket qua" in t and "ket qua thuc hien" not in t):
        return "output", True
    if re.search(r"\b(?:nhiem vu|noi dung|cong viec|hoat dong|giai phap)\b", t):
        return "content", True
    if re.fullmatch(r"(?:co quan |don vi |bo phan )*(?:don vi|co quan|bo phan|trach nhiem)(?: thuc hien)?", t) \
            or re.search(r"\b(?:don vi|co quan)\b.*\b(?:thuc hien|chiu trach nhiem)\b", t):
        return "lead", False
    if "ghi chu" in t:
        return "note", True
    return None


def _map_headers(texts: list[str]) -> dict[str, int]:
    strong: dict[str, int] = {}
    weak: dict[str, int] = {}
    for index, text in enumerate(texts):
        found = header_field(text)
        if found is None:
            continue
        name, is_strong = found
        target = strong if is_strong else weak
        target.setdefault(name, index)
    if "lead" not in strong and "lead" in weak:
        strong["lead"] = weak["lead"]
    strong.pop("note", None)
    return strong


def _score(columns: dict[str, int]) -> int:
    return len(columns) if "content" in columns and len(columns) >= 2 else 0


def _combine(first: GridRow, second: GridRow) -> list[str]:
    width = max(len(first.cells), len(second.cells))
    out = []
    for i in range(width):
        top = first.cells[i] if i < len(first.cells) else ""
        low = second.cells[i] if i < len(second.cells) and i not in second.from_above else ""
        out.append(top if not low or fold(low) == fold(top) else f"{top} {low}".strip())
    return out


def detect_header(rows: list[GridRow], scan: int = HEADER_SCAN) -> tuple[int, int, dict[str, int], list[str]] | None:
    """(row index, header row count, columns, header texts) of the best header in the first `scan` rows."""
    best: tuple[int, int, dict[str, int], list[str]] | None = None
    best_score = 0
    window = rows[:scan + 1]
    singles = [_map_headers(["" if i in row.from_above or i in row.from_left else c for i, c in enumerate(row.cells)])
               for row in window]
    for i, row in enumerate(window[:scan]):
        candidates = [(1, singles[i], list(row.cells))]
        if i + 1 < len(window) and singles[i]:
            texts = _combine(row, window[i + 1])
            combined = _map_headers(texts)
            if _score(combined) > max(_score(singles[i]), _score(singles[i + 1])):
                candidates.append((2, combined, texts))
        for count, columns, texts in candidates:
            score = _score(columns)
            if score > best_score:
                best, best_score = (i, count, columns, texts), score
    return best


def guess_by_position(rows: list[GridRow]) -> dict[str, int] | None:
    """Columns assumed in the usual order when there is no header but the rows look like numbered tasks."""
    numbered = [r for r in rows if r.cells and re.fullmatch(r"\d{1,3}[.)]?", r.cells[0].strip())]
    if len(numbered) < 2:
        return None
    width = max(len([c for c in r.cells]) for r in numbered)
    orders = {6: FIELDS, 5: FIELDS[:5], 4: ("number", "content", "lead", "timeframe"), 3: ("number", "content", "lead")}
    order = orders.get(min(width, 6))
    return {name: i for i, name in enumerate(order)} if order else None


def tidy_cell(text: str) -> str:
    """Cell text with line breaks kept only before bullets and after a finished sentence."""
    lines = [" ".join(line.split()) for line in strip_control(nfc(text)).split("\n")]
    out = ""
    for line in (x for x in lines if x):
        if not out:
            out = line
        elif _BULLET_START.match(line) or out[-1] in ".:;!?":
            out = f"{out}\n{line}"
        else:
            out = f"{out} {line}"
    return out


def _one_line(text: str) -> str:
    return " ".join(tidy_cell(text).split())


@dataclass
class _Record:
    row: GridRow
    values: dict[str, str]
    group: tuple[str, str] | None = None  # (number, title) when the row is a group heading
    extra: dict[str, list[str]] = field(default_factory=dict)


def _is_column_numbers(row: GridRow) -> bool:
    cells = [c.strip() for c in row.cells if c.strip()]
    return len(cells) >= 3 and all(_COLUMN_NUMBER.match(c) for c in cells)


def _group_from_text(text: str) -> tuple[str, str]:
    match = _GROUP_TEXT.match(text.strip())
    return (match.group(1), match.group(2).strip()) if match else ("", text.strip())


def _is_heading(row: GridRow, only: str, has_task_values: bool) -> bool:
    """A row holding one text only: a group heading when it spans the row or looks like one."""
    if _BULLET_START.match(only) or only[:1].islower():
        return False
    if len(row.from_left) >= 2:
        return True
    if has_task_values:
        return False
    letters = [c for c in only if c.isalpha()]
    return bool(row.bold or _GROUP_TEXT.match(only) or (letters and only.upper() == only))


def _norm_number(text: str) -> str:
    return _NUMBER_TAIL.sub("", " ".join(text.split()))


def read_grid(rows: list[GridRow], mapping: ColumnMapping, result: ImportResult, start: int,
              where: Callable[[GridRow], str]) -> list[ImportedTask]:
    """Tasks from rows[start:] read with `mapping`; warnings go to `result`."""
    columns = mapping.columns
    header_keys = {_header_text(h) for h in mapping.headers if _header_text(h)}
    records: list[_Record] = []
    for row in rows[start:]:
        texts = [c for i, c in enumerate(row.cells) if c.strip() and i not in row.from_left]
        if not texts or all(_SEPARATOR.match(c) for c in texts) or _is_column_numbers(row):
            continue
        values = {name: (row.own(i) if name in ("number", "content") else row.value(i)).strip()
                  for name, i in columns.items()}
        number = _norm_number(values.get("number", ""))
        if not number and _NOTE.match(fold(texts[0])):
            result.warn(f"Đã bỏ qua phần ghi chú, chữ ký dưới bảng (từ {where(row)}).")
            break
        if len(header_keys) >= 2 and sum(_header_text(t) in header_keys for t in texts) >= 2:
            continue
        own_others = any(row.own(columns[n]).strip() for n in ("lead", "cooperating", "timeframe", "output")
                         if n in columns)
        if len({fold(t) for t in texts}) == 1 and _is_heading(row, texts[0], bool(number or own_others)):
            records.append(_Record(row, values, _group_from_text(texts[0])))
            continue
        content = values.get("content", "")
        if number and (_ROMAN.match(number) or _LETTER_GROUP.match(number)) and content and not own_others:
            records.append(_Record(row, values, (number, content)))
            continue
        values["number"] = number
        records.append(_Record(row, values))
    return _records_to_tasks(records, columns, result, where)


def _merge_into(previous: _Record, record: _Record, columns: dict[str, int]) -> None:
    """Add a continuation row's own texts to the task above (values merged down are already there)."""
    for name, value in record.values.items():
        if not value or name == "number" or not record.row.own(columns[name]).strip():
            continue
        previous.values[name] = f"{previous.values.get(name, '')}\n{value}".strip()


def _records_to_tasks(records: list[_Record], columns: dict[str, int], result: ImportResult,
                      where: Callable[[GridRow], str]) -> list[ImportedTask]:
    # A numbered row without units, time or output whose next row numbers below it ("1" → "1.1") is a group.
    for i, record in enumerate(records):
        if record.group is not None:
            continue
        number = record.values.get("number", "")
        nxt = next((r for r in records[i + 1:] if r.group is None), None)
        bare = not any(record.values.get(n) for n in ("lead", "cooperating", "timeframe", "output"))
        if number and bare and nxt is not None and nxt.values.get("number", "").startswith(number + "."):
            record.group = (number, record.values.get("content", ""))
    tasks: list[ImportedTask] = []
    kept: list[_Record] = []
    group = ("", "")
    missing_lead: list[str] = []
    for record in records:
        if record.group is not None:
            group = record.group
            continue
        content = record.values.get("content", "")
        number = record.values.get("number", "")
        previous = kept[-1] if kept else None
        continues = previous is not None and not number and (
            not content or content[:1].islower() or _BULLET_START.match(content))
        if continues:
            _merge_into(previous, record, columns)
            continue
        record.group = None
        record.extra["group"] = list(group)
        kept.append(record)
    for record in kept:
        values = record.values
        content = tidy_cell(values.get("content", ""))
        if sum(c.isalpha() for c in content) < 2:
            if any(values.get(n) for n in FIELDS if n != "number"):
                result.warn(f"{_capital(where(record.row))}: không có nội dung nhiệm vụ; đã bỏ qua.")
            continue
        lead = split_units(values.get("lead", ""))
        if "lead" in columns and not lead:
            missing_lead.append(where(record.row))
        group_number, group_title = record.extra.get("group", ["", ""])
        tasks.append(ImportedTask(
            content=content, number=values.get("number", ""), lead=lead,
            cooperating=split_units(values.get("cooperating", "")),
            timeframe=_one_line(values.get("timeframe", "")), output=tidy_cell(values.get("output", "")),
            group=_one_line(group_title), group_number=group_number, source_line=record.row.line,
            source=where(record.row), read_as="table"))
    if missing_lead:
        shown = ", ".join(missing_lead[:5]) + (", …" if len(missing_lead) > 5 else "")
        result.warn(f"{len(missing_lead)} nhiệm vụ không ghi đơn vị chủ trì ({shown}).")
    return tasks


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_table(rows: list[GridRow], result: ImportResult, where: Callable[[GridRow], str],
               mapping: ColumnMapping | None = None, table: str = "", tables: list[str] | None = None,
               scan: int = HEADER_SCAN) -> tuple[list[ImportedTask], ColumnMapping | None]:
    """Detect (or use the given) mapping, then read the tasks; the mapping is returned for the wizard."""
    if mapping is not None and mapping.columns:
        start = _index_of_line(rows, mapping.header_row) + mapping.header_rows if mapping.header_row else 0
        used = ColumnMapping(table, list(tables or []), mapping.header_row, mapping.header_rows,
                             dict(mapping.columns), list(mapping.headers) or _headers_at(rows, start))
        return read_grid(rows, used, result, max(start, 0), where), used
    found = detect_header(rows, scan)
    if found is not None:
        index, count, columns, texts = found
        used = ColumnMapping(table, list(tables or []), rows[index].line, count, columns,
                             [" ".join(t.split()) for t in texts])
        return read_grid(rows, used, result, index + count, where), used
    columns = guess_by_position(rows)
    if columns is None:
        return [], None
    width = max(len(r.cells) for r in rows)
    used = ColumnMapping(table, list(tables or []), 0, 1, columns, [""] * width)
    result.warn("Không thấy dòng tiêu đề của bảng; đã giả định các cột theo thứ tự thường gặp (TT, Nội dung "
                "nhiệm vụ, Đơn vị chủ trì, Đơn vị phối hợp, Thời gian thực hiện, Kết quả dự kiến). Hãy kiểm tra.")
    tasks = read_grid(rows, used, result, 0, where)
    if not looks_like_tasks(tasks):
        result.not_a_plan = ("Bảng này không giống bảng phân công nhiệm vụ: không có dòng tiêu đề \"Nội dung nhiệm "
                             "vụ\", \"Đơn vị chủ trì\"…, và cột thứ ba không ghi tên cơ quan, đơn vị.")
        return [], None
    for task in tasks:
        task.doubts.append("bảng không có dòng tiêu đề; các cột được đoán theo thứ tự")
    return tasks, used


def looks_like_tasks(tasks: list[ImportedTask]) -> bool:
    """Do rows read by position look like tasks: is the lead column mostly the names of units?"""
    if not tasks:
        return False
    from desktop.importers.unit_names import is_unit_name
    from desktop.importers.units import is_general

    units = sum(1 for t in tasks if t.lead and (is_unit_name(t.lead[0]) or is_general(t.lead[0])))
    return units * 2 > len(tasks)


def _headers_at(rows: list[GridRow], start: int) -> list[str]:
    if 0 < start <= len(rows):
        return [" ".join(c.split()) for c in rows[start - 1].cells]
    width = max((len(r.cells) for r in rows), default=0)
    return [""] * width


def _index_of_line(rows: list[GridRow], line: int) -> int:
    for index, row in enumerate(rows):
        if row.line >= line:
            return index
    return len(rows)
