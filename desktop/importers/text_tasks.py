"""Tasks from plan text (a .txt file, a Word file's text, or text pasted in the GUI), in any of the three layouts.

A table pasted or converted as tab-separated columns (or a Markdown "| … |" table) is read as a "06 rõ"
table and, when it yields tasks, is what the document contributes: the appendix is authoritative.
Otherwise the text is read as an outline: inline tasks with "chủ trì/phối hợp/thời gian" fields and
tasks assigned per agency (see desktop.importers.outline). Cells copied from Excel that hold line breaks
arrive in double quotes and are put back together.
"""

from __future__ import annotations

import re
from collections import Counter

from desktop.importers.grid import GridRow, read_table
from desktop.importers.leftovers import complete
from desktop.importers.model import ColumnMapping, ImportResult
from desktop.importers.outline import read_outline
from desktop.importers.text_prep import Line, classify, clean_lines, join_lines, title_of

MAX_CHARS = 5_000_000
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MAX_QUOTED_LINES = 60


def _closed(cell: str) -> bool:
    return len(cell) >= 2 and cell.endswith('"') and cell.count('"') % 2 == 0


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell.startswith('"') and cell.endswith('"'):
        return cell[1:-1].replace('""', '"')
    return cell


def _split_row(text: str) -> list[str]:
    if "\t" in text:
        return text.split("\t")
    inner = text.strip()[1:-1]
    return [c.strip() for c in inner.split("|")]


def _is_row(text: str) -> bool:
    return "\t" in text or bool(_PIPE_ROW.match(text))


def _usual_width(lines: list[Line]) -> int:
    """The number of cells most rows have (a row broken by line breaks inside a cell has fewer)."""
    widths = Counter(len(_split_row(line.text)) for line in lines if _is_row(line.text))
    frequent = [(n, w) for w, n in widths.items() if w >= 3 and n >= 2]
    return max(frequent)[1] if frequent else 0


def table_rows(lines: list[Line]) -> list[GridRow]:
    """Rows of the tab-separated (or "|"-separated) lines, with cells broken over several lines rejoined.

    Excel puts a cell holding line breaks in double quotes; Word does not, so a row with fewer cells than
    usual is completed by the lines that follow it.
    """
    width = _usual_width(lines)
    rows: list[GridRow] = []
    i = 0
    last_was_row = False
    while i < len(lines):
        line = lines[i]
        text = line.text
        if not _is_row(text):
            stripped = text.strip()
            incomplete = bool(rows) and last_was_row and len(rows[-1].cells) < width
            if stripped and last_was_row and (incomplete or stripped[:1].islower()):
                cells = rows[-1].cells
                at = len(cells) - 1 if incomplete else max((k for k, c in enumerate(cells) if c.strip()), default=0)
                cells[at] = f"{cells[at]}\n{stripped}".strip()
            else:
                last_was_row = last_was_row and not stripped
            i += 1
            continue
        cells = _split_row(text)
        consumed = i
        while ("\t" in text and cells and cells[-1].startswith('"') and not _closed(cells[-1])
               and consumed + 1 < len(lines) and consumed - i < _MAX_QUOTED_LINES):
            consumed += 1
            rest = lines[consumed].text.split("\t")
            cells[-1] = f"{cells[-1]}\n{rest[0]}"
            cells.extend(rest[1:])
        if cells and cells[-1].startswith('"') and not _closed(cells[-1]):
            cells, consumed = _split_row(text), i  # an unbalanced quote: read the line as it is
        cells = [_unquote(c).strip() for c in cells]
        previous = rows[-1].cells if rows and last_was_row else None
        if previous is not None and len(previous) < width and len(previous) + len(cells) - 1 <= width:
            previous[-1] = f"{previous[-1]}\n{cells[0]}".strip()
            previous.extend(cells[1:])
        else:
            rows.append(GridRow(cells, line.number))
        last_was_row = True
        i = consumed + 1
    return rows


def read_text(text: str, mapping: ColumnMapping | None = None, kind: str = "text") -> ImportResult:
    """Tasks, warnings and layout of a plan's text."""
    result = ImportResult(kind=kind)
    if len(text) > MAX_CHARS:
        result.warn(f"Văn bản quá dài; chỉ đọc {MAX_CHARS:,} ký tự đầu.".replace(",", "."))
        text = text[:MAX_CHARS]
    lines = clean_lines(text)
    result.title = title_of(lines)
    rows = table_rows(lines)
    if rows:
        probe = ImportResult()
        tasks, used = read_table(rows, probe, lambda r: f"dòng {r.line}", mapping=mapping, scan=len(rows))
        if tasks or (mapping is not None and mapping.columns):
            result.tasks, result.layout, result.mapping = tasks, "table", used
            for warning in probe.warnings:
                result.warn(warning)
            return result
    paras = [classify(line) for line in join_lines(lines) if "\t" not in line.text]
    tasks, warnings, layout = read_outline(paras)
    tasks, result.unrecognised = complete(paras, tasks)
    if layout == "none" and tasks:
        layout = "prose"
    result.tasks, result.layout = tasks, layout
    for warning in warnings:
        result.warn(warning)
    return result
