"""Writes the appendix tables of an AdminDocument as a print-ready XLSX workbook (one sheet per appendix)."""

from __future__ import annotations

import os
import re
import weakref
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from desktop.fileio import atomic_path
from desktop.reporting.document import AdminDocument, Appendix
from desktop.reporting.office_text import clean_text, split_group_row, table_widths, wrapped_line_count

FONT_NAME = "Times New Roman"
TITLE_SIZE = 12
CELL_SIZE = 11
TOTAL_WIDTH_LANDSCAPE = 150.0  # column width units (characters of the default font)
TOTAL_WIDTH_PORTRAIT = 95.0
MIN_COLUMN_WIDTH = 4.0
HEADER_ROW = 7  # rows 1-6: agency, agency, heading, title, note, blank
# One column-width unit is the default font's digit width: Times New Roman 11 pt, 7 px at 96 dpi = 5.25 pt.
_PT_PER_WIDTH_UNIT = 5.35  # LibreOffice: 5.5 (unrounded digit width)
_CELL_PADDING_UNITS = 0.5
_LINE_HEIGHT_FACTOR = 1.17  # Times line spacing is about 1.15 em in Excel and LibreOffice
_ROW_PADDING_PT = 3.0
_MAX_ROW_HEIGHT = 409.0  # Excel's limit
_MAX_CELL_CHARS = 32767  # Excel's limit
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_OPEN_BELOW = Border(left=_THIN, right=_THIN, top=_THIN)  # a row continued on the next sheet row
_OPEN_BOTH = Border(left=_THIN, right=_THIN)
_OPEN_ABOVE = Border(left=_THIN, right=_THIN, bottom=_THIN)
_MM = 1 / 25.4  # inches
# Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
ND30_MARGINS = dict(left=30 * _MM, right=15 * _MM, top=20 * _MM, bottom=20 * _MM, header=8 * _MM, footer=8 * _MM)
_INTEGER = re.compile(r"^[1-9]\d{0,8}$|^0$")
_PERCENT = re.compile(r"^(\d{1,6})(?:[,.](\d{1,4}))?\s?%$")
_HEADER_FILL = PatternFill("solid", fgColor="E7E6E6")
_ALIGN = {"left": "left", "center": "center", "right": "right"}


class _Styles:
    """Style objects created once and shared by every cell (openpyxl deduplicates them cheaply)."""

    def __init__(self) -> None:
        self.title = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
        self.agency = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
        self.parent = Font(name=FONT_NAME, size=TITLE_SIZE)
        self.note = Font(name=FONT_NAME, size=TITLE_SIZE, italic=True)
        self.header = Font(name=FONT_NAME, size=CELL_SIZE, bold=True)
        self.cell = Font(name=FONT_NAME, size=CELL_SIZE)
        self.group = Font(name=FONT_NAME, size=CELL_SIZE, bold=True)
        self.centered = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.data_align = {
            key: Alignment(horizontal=value, vertical="top", wrap_text=True) for key, value in _ALIGN.items()
        }


def _text(value: object) -> str:
    text = clean_text(value).replace("\t", " ")
    if len(text) > _MAX_CELL_CHARS:
        text = text[: _MAX_CELL_CHARS - 1] + "…"
    return text


_STYLE_ARRAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # workbook -> {style key: StyleArray}


def as_number(text: str) -> tuple[float | int, str] | None:
    """"12" → (12, "0"), "95,5%" → (0.955, "0.0%"): what a clerk sums or sorts is stored as a number."""
    if _INTEGER.match(text):
        return int(text), "0"
    match = _PERCENT.match(text)
    if match:
        whole, frac = match.group(1), match.group(2) or ""
        value = float(f"{whole}.{frac}" if frac else whole) / 100
        return value, "0%" if not frac else "0." + "0" * len(frac) + "%"
    return None


def _put_value(ws: Worksheet, row: int, col: int, value: object, font: Font, align: Alignment,
               border: Border | None = None):
    """A data cell: whole numbers and percentages as numbers, anything else as literal text."""
    number = as_number(_text(value))
    if number is None:
        return _put(ws, row, col, value, font, align, border)
    cell = _put(ws, row, col, "", font, align, border)
    cell.value, cell.number_format = number
    return cell


def _put(ws: Worksheet, row: int, col: int, value: object, font: Font, align: Alignment,
         border: Border | None = None):
    """Store `value` as literal text: never a formula, an error code or a number."""
    cell = ws.cell(row=row, column=col)
    text = _text(value)
    # openpyxl hashes each style object on every assignment (most of the time of a large sheet):
    # a combination seen before is copied as the finished style array instead.
    arrays = _STYLE_ARRAYS.setdefault(ws.parent, {})
    key = (id(font), id(align), id(border))
    known = arrays.get(key)
    if known is None:
        cell.font = font
        cell.alignment = align
        if border is not None:
            cell.border = border
        arrays[key] = (font, align, border, copy(cell._style))  # the objects are kept so their ids stay theirs
    else:
        cell._style = copy(known[3])
    if text:
        cell.value = text
        cell.data_type = "s"  # openpyxl guesses "f" for "=…" and "e" for "#N/A"; user text is text
        if text[0] in "=+-@":
            cell.quotePrefix = True  # Excel keeps it text even after the clerk edits the cell
    return cell


def _unique_sheet_name(wanted: str, used: set[str]) -> str:
    name = _SHEET_NAME_BAD.sub("_", clean_text(wanted)).strip().strip("'") or "Bieu"
    if name.lower() == "history":
        name = "History_"
    name = name[:31]
    candidate, n = name, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"_{n}"
        candidate = name[: 31 - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


def _column_widths(appendix: Appendix) -> list[float]:
    """Column widths in character units: by weight, widened where a header or cell word would be cut."""
    total = TOTAL_WIDTH_LANDSCAPE if appendix.landscape else TOTAL_WIDTH_PORTRAIT
    if not appendix.columns:
        return [total]
    data = [[_text(c) for c in row.cells] for row in appendix.rows if row.kind != "group"]
    widths_pt = table_widths([_text(c.title) for c in appendix.columns], [c.weight for c in appendix.columns],
                             data, total * _PT_PER_WIDTH_UNIT, CELL_SIZE, _CELL_PADDING_UNITS * _PT_PER_WIDTH_UNIT)
    return [max(MIN_COLUMN_WIDTH, round(w / _PT_PER_WIDTH_UNIT, 1)) for w in widths_pt]


def _usable_pt(width_units: float) -> float:
    return max(1.0, (width_units - _CELL_PADDING_UNITS) * _PT_PER_WIDTH_UNIT)


def _height(lines: int, size: float) -> float:
    return min(_MAX_ROW_HEIGHT, round(lines * size * _LINE_HEIGHT_FACTOR + _ROW_PADDING_PT, 1))


def _fit_row(ws: Worksheet, row: int, texts_and_widths, size: float, bold: bool = False) -> None:
    """Set a row height tall enough for its longest wrapped cell (office suites do not autofit on open)."""
    lines = 1
    for text, width in texts_and_widths:
        if text:
            lines = max(lines, wrapped_line_count(text, _usable_pt(width), size, bold))
    ws.row_dimensions[row].height = _height(lines, size)


def _max_lines(size: float) -> int:
    return int((_MAX_ROW_HEIGHT - _ROW_PADDING_PT) / (size * _LINE_HEIGHT_FACTOR))


def _chunks(text: str, width: float, size: float = CELL_SIZE) -> list[str]:
    """`text` cut between words into pieces that each fit in one row of at most 409 pt (usually one piece)."""
    limit = _max_lines(size)
    usable = _usable_pt(width)
    if not text or wrapped_line_count(text, usable, size) <= limit:
        return [text]
    words = text.split(" ")
    pieces: list[str] = []
    start = 0
    while start < len(words):
        low, high = 1, len(words) - start  # the most words from `start` that still fit
        while low < high:
            mid = (low + high + 1) // 2
            if wrapped_line_count(" ".join(words[start:start + mid]), usable, size) <= limit:
                low = mid
            else:
                high = mid - 1
        pieces.append(" ".join(words[start:start + low]))
        start += low
    return pieces


def _merge_text_row(ws: Worksheet, row: int, first: int, last: int, text: str, font: Font,
                    align: Alignment, widths: list[float], size: float, bold: bool) -> None:
    _put(ws, row, first, text, font, align)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    _fit_row(ws, row, [(_text(text), sum(widths[first - 1:last]))], size, bold)


def _agency_span(widths: list[float]) -> int:
    """How many leading columns the agency block covers (about 40 % of the table width)."""
    target = sum(widths) * 0.4
    acc = 0.0
    for index, width in enumerate(widths, start=1):
        acc += width
        if acc >= target:
            return index
    return len(widths)


def _write_title_block(ws: Worksheet, doc: AdminDocument, lines: list[tuple[str, str]],
                       widths: list[float], st: _Styles) -> None:
    """Rows 1-6: parent agency, agency (bold), then `lines` of (text, kind) centred across the table."""
    ncols = len(widths)
    span = _agency_span(widths)
    head = doc.letterhead
    _merge_text_row(ws, 1, 1, span, head.parent_agency, st.parent, st.centered, widths, TITLE_SIZE, False)
    _merge_text_row(ws, 2, 1, span, head.agency, st.agency, st.centered, widths, TITLE_SIZE, True)
    fonts = {"bold": st.title, "italic": st.note}
    for offset, (text, kind) in enumerate(lines[:3]):
        _merge_text_row(ws, 3 + offset, 1, ncols, text, fonts[kind], st.centered, widths,
                        TITLE_SIZE, kind == "bold")
    ws.row_dimensions[6].height = 8


def _write_table(ws: Worksheet, appendix: Appendix, widths: list[float], st: _Styles) -> None:
    ncols = len(widths)
    header_texts = [_text(col.title) for col in appendix.columns]
    for col, text in enumerate(header_texts, start=1):
        cell = _put(ws, HEADER_ROW, col, text, st.header, st.header_align, _BORDER)
        cell.fill = _HEADER_FILL
    _fit_row(ws, HEADER_ROW, zip(header_texts, widths), CELL_SIZE, True)

    aligns = [st.data_align.get(col.align, st.data_align["left"]) for col in appendix.columns]
    left = st.data_align["left"]
    r = HEADER_ROW
    for row in appendix.rows:
        r += 1
        if row.kind == "group":
            first, rest = split_group_row([_text(c) for c in row.cells], ncols)
            start = 1
            if first:
                _put(ws, r, 1, first, st.group, aligns[0], _BORDER)
                start = 2
            _put(ws, r, start, rest, st.group, left, _BORDER)
            for col in range(start + 1, ncols + 1):
                ws.cell(row=r, column=col).border = _BORDER
            if ncols > start:
                ws.merge_cells(start_row=r, start_column=start, end_row=r, end_column=ncols)
            _fit_row(ws, r, [(first, widths[0]), (rest, sum(widths[start - 1:]))], CELL_SIZE, True)
            continue
        texts = [_text(c) for c in row.cells[:ncols]]
        texts += [""] * (ncols - len(texts))
        pieces = [_chunks(text, width) for text, width in zip(texts, widths)]
        count = max(len(p) for p in pieces)
        for part in range(count):  # a row taller than Excel's 409 pt goes on over continuation rows
            border = _BORDER if count == 1 else (
                _OPEN_BELOW if part == 0 else _OPEN_ABOVE if part == count - 1 else _OPEN_BOTH)
            line = [p[part] if part < len(p) else "" for p in pieces]
            for col, text in enumerate(line, start=1):
                _put_value(ws, r, col, text, st.cell, aligns[col - 1], border)
            _fit_row(ws, r, zip(line, widths), CELL_SIZE, False)
            r += 1
        r -= 1


def _setup_page(ws: Worksheet, landscape: bool, title_row: int | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.firstPageNumber = 1  # each appendix is numbered on its own
    ws.page_setup.useFirstPageNumber = True
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**ND30_MARGINS)
    ws.print_options.horizontalCentered = True
    if title_row is not None:
        ws.print_title_rows = f"{title_row}:{title_row}"
        ws.freeze_panes = ws.cell(row=title_row + 1, column=1).coordinate
    # Page number centred in the top margin, not on the first page (Nghị định 30/2020).
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.oddHeader.center.font = f"{FONT_NAME},Regular"
    ws.oddHeader.center.size = 12
    ws.sheet_view.showGridLines = False


def _write_appendix_sheet(ws: Worksheet, doc: AdminDocument, appendix: Appendix, st: _Styles) -> None:
    widths = _column_widths(appendix)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    lines = [(appendix.heading, "bold"), (appendix.title, "bold"), (appendix.note, "italic")]
    _write_title_block(ws, doc, lines, widths, st)
    if appendix.columns:
        _write_table(ws, appendix, widths, st)
    _setup_page(ws, appendix.landscape, HEADER_ROW if appendix.columns else None)


def _write_empty_sheet(ws: Worksheet, doc: AdminDocument, st: _Styles) -> None:
    """A document without appendices still yields a workbook: its title lines and a note."""
    widths = [TOTAL_WIDTH_PORTRAIT / 4] * 4
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    lines = [(doc.doc_type, "bold"), (doc.summary, "bold"),
             ("(Văn bản này không có phụ lục, biểu mẫu kèm theo)", "italic")]
    _write_title_block(ws, doc, lines, widths, st)
    _setup_page(ws, False, None)


def _use_times_as_default(wb: Workbook) -> None:
    """Make Times New Roman the Normal font: column widths are measured in its digits on every office suite.

    (With Calibri as the default, LibreOffice without Carlito measures columns in DejaVu Sans digits,
    so rows sized for Excel would look too tall there.)
    """
    default = Font(name=FONT_NAME, size=CELL_SIZE, family=1)
    wb._fonts = IndexedList([default])  # openpyxl keeps the default font first; no public setter
    wb._named_styles["Normal"].font = default


def write_xlsx(doc: AdminDocument, out_path: str | os.PathLike) -> Path:
    """Write the document's appendices to `out_path` (atomically) and return the final path."""
    wb = Workbook()
    _use_times_as_default(wb)
    st = _Styles()
    used: set[str] = set()
    first = wb.active
    if doc.appendices:
        for index, appendix in enumerate(doc.appendices):
            ws = first if index == 0 else wb.create_sheet()
            ws.title = _unique_sheet_name(appendix.sheet_name, used)
            _write_appendix_sheet(ws, doc, appendix, st)
    else:
        first.title = _unique_sheet_name("Van ban", used)
        _write_empty_sheet(first, doc, st)
    wb.properties.title = _text(doc.title or doc.summary)[:255]
    wb.properties.subject = _text(doc.summary)[:255]
    wb.properties.creator = "KHBC"
    wb.properties.lastModifiedBy = "KHBC"
    with atomic_path(out_path) as tmp:
        wb.save(tmp)
    return Path(out_path)
