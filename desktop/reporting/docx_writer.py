"""Writes an AdminDocument as an editable DOCX laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from desktop.fileio import atomic_path
from desktop.reporting.document import AdminDocument, Appendix
from desktop.reporting.docx_parts import (
    append_page_field, cell_xml, make_paragraph, make_row, make_rule, make_run, mm_to_twips, paragraph_xml,
    set_language,
    set_times_fonts, shrink_paragraph, table_properties,
)
from desktop.reporting.office_text import (
    clean_text, split_group_row, table_widths, text_width_pt, wrapped_line_count,
)

PAGE_W_MM, PAGE_H_MM = 210.0, 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE_MM = 10.0
BODY_SIZE = 14
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
HEADER_LEFT_MM = 68.0  # the right column must hold the Quốc hiệu (about 88 mm at 12 pt bold) on one line
SIGN_LEFT_MM = 75.0
ROW_SPLIT_LINES = 15  # rows estimated taller than this may break across pages
CELL_MARGIN_TWIPS = 72  # 1.27 mm left and right inside appendix table cells
_PT_TO_MM = 25.4 / 72
_AFTER_PGNUMTYPE = {qn(f"w:{tag}") for tag in ("cols", "formProt", "vAlign", "noEndnote", "titlePg",
                                                "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings")}

BODY_STYLES = {
    # kind: (style name, bold, italic, outline level)
    "paragraph": ("KHBC Body", False, False, None),
    "bullet": ("KHBC Bullet", False, False, None),
    "heading1": ("KHBC Heading 1", True, False, 0),
    "heading2": ("KHBC Heading 2", True, False, 1),
    "heading3": ("KHBC Heading 3", True, True, 2),
}


def _text(value: object) -> str:
    return clean_text(value)


def _text_width_mm(portrait: bool = True) -> float:
    width = PAGE_W_MM if portrait else PAGE_H_MM
    return width - MARGIN_LEFT_MM - MARGIN_RIGHT_MM


def _setup_styles(document) -> None:
    """Times New Roman 14 pt everywhere (all four rFonts slots), Vietnamese language, no template spacing."""
    styles_el = document.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_times_fonts(rpr)
    set_language(rpr)
    for size_tag in ("w:sz", "w:szCs"):
        node = rpr.find(qn(size_tag))
        if node is not None:
            node.set(qn("w:val"), str(BODY_SIZE * 2))
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(BODY_SIZE)
    set_times_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    for name, bold, italic, level in BODY_STYLES.values():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = Cm(1.27)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.2
        fmt.widow_control = True
        if level is not None:
            fmt.keep_with_next = True
            ppr = style.element.get_or_add_pPr()
            outline = OxmlElement("w:outlineLvl")
            outline.set(qn("w:val"), str(level))
            ppr.append(outline)
        style.font.bold = bold or None
        style.font.italic = italic or None


def _setup_section(section, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_H_MM if landscape else PAGE_W_MM)
    section.page_height = Mm(PAGE_W_MM if landscape else PAGE_H_MM)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.footer_distance = Mm(HEADER_DISTANCE_MM)
    # No page number on the first page (Nghị định 30/2020); the first-page header stays empty.
    section.different_first_page_header_footer = True


def _restart_page_numbers(section) -> None:
    """Each appendix is numbered on its own, starting from 1."""
    sect = section._sectPr
    node = sect.find(qn("w:pgNumType"))
    if node is None:
        node = OxmlElement("w:pgNumType")
        later = [child for child in sect if child.tag in _AFTER_PGNUMTYPE]
        if later:
            later[0].addprevious(node)  # schema order matters to Word
        else:
            sect.append(node)
    node.set(qn("w:start"), "1")


def _add_page_number_header(section) -> None:
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    append_page_field(paragraph, 13)


def _two_column_table(document, left_mm: float, right_mm: float, cell_margin_twips: int | None = None,
                      rows: int = 1):
    """A borderless two-column table; returns the cells of its first row (all rows' cells with rows > 1)."""
    table = document.add_table(rows=rows, cols=2)
    widths = [mm_to_twips(left_mm), mm_to_twips(right_mm)]
    table_properties(table._tbl, widths, borders=False, cell_margin_twips=cell_margin_twips)
    cells = []
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths):
            tc.get_or_add_tcPr().get_or_add_tcW().type = "dxa"
            tc.get_or_add_tcPr().get_or_add_tcW().w = width
            for p in list(tc.p_lst):
                tc.remove(p)
        cells.append(tr.tc_lst)
    return cells[0] if rows == 1 else cells


# Where an agency name is best broken: before the level of government, never inside a place name.
_BREAK_BEFORE = ("TỈNH ", "THÀNH PHỐ ", "HUYỆN ", "QUẬN ", "THỊ XÃ ", "XÃ ", "PHƯỜNG ", "SỞ ", "BỘ ")


def agency_lines(name: str, box_mm: float, size_pt: float = 13, bold: bool = False) -> str:
    """An agency name that does not fit its column, broken between words at the most natural place
    ("ỦY BAN NHÂN DÂN" / "TỈNH ĐẮK LẮK"), never inside "ĐẮK LẮK"; lines the user broke are kept."""
    out = []
    for line in name.split("\n"):
        if text_width_pt(line, size_pt, bold) * _PT_TO_MM <= box_mm:
            out.append(line)
            continue
        cuts = [i for word in _BREAK_BEFORE for i in _starts(line, word)]
        fitting = [i for i in cuts if text_width_pt(line[:i].strip(), size_pt, bold) * _PT_TO_MM <= box_mm]
        if fitting:
            cut = max(fitting)
        else:  # the most balanced break between words
            spaces = [i for i, ch in enumerate(line) if ch == " "] or [len(line)]
            cut = min(spaces, key=lambda i: abs(text_width_pt(line[:i], size_pt, bold)
                                               - text_width_pt(line[i:], size_pt, bold)))
        out.extend([line[:cut].strip(), line[cut:].strip()])
    return "\n".join(x for x in out if x)


def _starts(line: str, word: str) -> list[int]:
    return [i for i in range(1, len(line)) if line.startswith(word, i) and line[i - 1] == " "]


def _agency_rule_mm(agency: str, box_mm: float) -> float:
    """The rule under the agency: about 40 % of the agency line's printed width."""
    line = max(agency.split("\n"), key=len) if agency else ""
    printed = min(text_width_pt(line, 13, bold=True) * _PT_TO_MM, box_mm)
    return max(15.0, min(40.0, printed * 0.4))


def _write_letterhead(document, doc: AdminDocument) -> None:
    head = doc.letterhead
    right_mm = _text_width_mm() - HEADER_LEFT_MM
    # Two rows: whatever the agency names take, "Số:" and the date line share the second row's top.
    (left, right), (number, date) = _two_column_table(document, HEADER_LEFT_MM, right_mm, cell_margin_twips=0,
                                                      rows=2)
    agency = agency_lines(_text(head.agency), HEADER_LEFT_MM - 2, bold=True)
    left.append(make_paragraph(agency_lines(_text(head.parent_agency), HEADER_LEFT_MM - 2), align="center",
                               size_pt=13))
    left.append(make_paragraph(agency, align="center", size_pt=13, bold=True))
    left.append(make_rule(_agency_rule_mm(agency, HEADER_LEFT_MM), HEADER_LEFT_MM, before_pt=3))
    number.append(make_paragraph(_text(head.number_line), align="center", size_pt=13, before_pt=6))
    if _text(head.subject):  # công văn: "V/v …" under the number, 12 pt
        number.append(make_paragraph(_text(head.subject), align="center", size_pt=12, before_pt=3))

    right.append(make_paragraph(QUOC_HIEU, align="center", size_pt=12, bold=True))
    right.append(make_paragraph(TIEU_NGU, align="center", size_pt=13, bold=True))
    motto_mm = text_width_pt(TIEU_NGU, 13, bold=True) * _PT_TO_MM
    right.append(make_rule(motto_mm, right_mm, before_pt=3))
    date.append(make_paragraph(_text(head.place_date_line), align="center", size_pt=14, italic=True,
                               before_pt=6))


def _append_element(document, element) -> None:
    """Append a block element to the body, before the body's final section properties."""
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    if sect is not None:
        sect.addprevious(element)
    else:
        body.append(element)


def _add_centered(document, text: str, *, bold: bool = False, italic: bool = False, size: float = BODY_SIZE,
                  before: float = 0, after: float = 0):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = p.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = True
    run = p.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    run.font.size = Pt(size)
    return p


def _write_title(document, doc: AdminDocument) -> None:
    if _text(doc.doc_type):  # a công văn has no document type: its trích yếu sits under the number
        _add_centered(document, _text(doc.doc_type).upper(), bold=True, before=18)
    summary = _text(doc.summary) if _text(doc.doc_type) else ""
    if summary:
        _add_centered(document, summary, bold=True)
        box = _text_width_mm()
        printed = min(text_width_pt(summary, BODY_SIZE, bold=True) * _PT_TO_MM, box)
        width = max(25.0, min(60.0, printed / 3))
        _append_element(document, make_rule(width, box, before_pt=4, after_pt=12))
    addressees = [_text(a) for a in doc.addressees if _text(a)]
    if len(addressees) == 1:
        _add_centered(document, f"Kính gửi: {addressees[0]}", before=6, after=12)
    elif addressees:
        first = document.add_paragraph(style="Normal")
        first.paragraph_format.left_indent = Cm(3.5)
        first.paragraph_format.space_before = Pt(14)
        first.add_run("Kính gửi:")
        for index, name in enumerate(addressees):
            end = "." if index == len(addressees) - 1 else ";"
            p = document.add_paragraph(f"- {name.rstrip(';.')}{end}")
            p.paragraph_format.left_indent = Cm(6.0)
            if index == len(addressees) - 1:
                p.paragraph_format.space_after = Pt(12)


def _write_body(document, doc: AdminDocument) -> None:
    for block in doc.body:
        text = _text(block.text)
        name = BODY_STYLES.get(block.kind, BODY_STYLES["paragraph"])[0]
        if block.kind == "bullet" and not text.startswith("- "):
            text = f"- {text.lstrip('-–• ').strip()}" if text.strip() else "-"
        paragraph = document.add_paragraph(style=name)
        if text:
            paragraph._p.append(make_run(text))  # keeps document numbers whole (non-breaking hyphens)


def _write_signature(document, doc: AdminDocument) -> None:
    # The signature never stands alone on a page: the last body paragraph goes with it.
    if document.paragraphs:
        document.paragraphs[-1].paragraph_format.keep_with_next = True
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(6)
    spacer.paragraph_format.keep_with_next = True
    left, right = _two_column_table(document, SIGN_LEFT_MM, _text_width_mm() - SIGN_LEFT_MM, 0)
    recipients = [_text(r) for r in doc.recipients if _text(r)]
    if recipients:
        left.append(make_paragraph("Nơi nhận:", size_pt=12, bold=True, italic=True))
        for line in recipients:
            line = line if line.startswith("-") else f"- {line}"
            left.append(make_paragraph(line, size_pt=11))
    sig = doc.signature
    for line in (sig.authority, sig.title):
        if _text(line):
            right.append(make_paragraph(_text(line).upper(), align="center", size_pt=BODY_SIZE, bold=True))
    for _ in range(4):  # room for the signature and the seal
        right.append(make_paragraph("", align="center", size_pt=BODY_SIZE))
    right.append(make_paragraph(_text(sig.name), align="center", size_pt=BODY_SIZE, bold=True))
    for tc in (left, right):
        if len(tc) == 1:  # only tcPr: a cell needs at least one paragraph
            tc.append(make_paragraph())
    # Keep the signature block on one page.
    trpr = OxmlElement("w:trPr")
    trpr.append(OxmlElement("w:cantSplit"))
    left.getparent().insert(0, trpr)


def _column_widths(appendix: Appendix, size: float) -> list[int]:
    """Twips per column: by weight, widened where a header or cell word would otherwise be cut."""
    total_pt = _text_width_mm(portrait=not appendix.landscape) / _PT_TO_MM
    data = [[_text(c) for c in row.cells] for row in appendix.rows if row.kind != "group"]
    widths_pt = table_widths([_text(c.title) for c in appendix.columns], [c.weight for c in appendix.columns],
                             data, total_pt, size, 2 * CELL_MARGIN_TWIPS / 20)
    return [int(w * 20) for w in widths_pt]


def _cell_usable_pt(width_twips: int) -> float:
    return max(1.0, (width_twips - 2 * CELL_MARGIN_TWIPS) / 20)


def _write_appendix_table(document, appendix: Appendix) -> None:
    columns = appendix.columns
    ncols = len(columns)
    size = 12 if ncols <= 7 else 11
    widths = _column_widths(appendix, size)
    table = document.add_table(rows=0, cols=ncols)
    tbl = table._tbl
    table_properties(tbl, widths, borders=True, cell_margin_twips=CELL_MARGIN_TWIPS, style_id="TableGrid")
    aligns = [c.align for c in columns]

    header_cells = [
        cell_xml(w, [paragraph_xml(_text(c.title), align="center", size_pt=size, bold=True,
                                   before_pt=2, after_pt=2)], v_align="center")
        for c, w in zip(columns, widths)
    ]
    tbl.append(make_row(header_cells, header=True))
    for row in appendix.rows:
        if row.kind == "group":
            first, rest = split_group_row([_text(c) for c in row.cells], ncols)
            cells = []
            start = 0
            if first:
                cells.append(cell_xml(widths[0], [paragraph_xml(first, align=aligns[0], size_pt=size, bold=True,
                                                                before_pt=1, after_pt=1)]))
                start = 1
            cells.append(cell_xml(sum(widths[start:]), [paragraph_xml(rest, size_pt=size, bold=True,
                                                                      before_pt=1, after_pt=1)],
                                  span=ncols - start))
            tbl.append(make_row(cells))
            continue
        texts = [_text(c) for c in row.cells[:ncols]]
        texts += [""] * (ncols - len(texts))
        lines = max((wrapped_line_count(t, _cell_usable_pt(w), size) for t, w in zip(texts, widths) if t),
                    default=1)
        cells = [
            cell_xml(w, [paragraph_xml(t, align=a, size_pt=size, before_pt=1, after_pt=1)])
            for t, w, a in zip(texts, widths, aligns)
        ]
        tbl.append(make_row(cells, cant_split=lines <= ROW_SPLIT_LINES))


def _write_appendix(document, doc: AdminDocument, appendix: Appendix) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    # python-docx carries the previous section's break in a new empty paragraph: keep it from adding a line.
    shrink_paragraph(document.element.body.xpath("./w:p[w:pPr/w:sectPr]")[-1])
    _setup_section(section, appendix.landscape)
    _restart_page_numbers(section)
    if _text(appendix.heading):
        _add_centered(document, _text(appendix.heading), bold=True)
    if _text(appendix.title):
        _add_centered(document, _text(appendix.title), bold=True)
    if _text(appendix.note):
        _add_centered(document, _text(appendix.note), italic=True)
    _add_centered(document, "", size=6)
    if appendix.columns:
        _write_appendix_table(document, appendix)


def _set_properties(document, doc: AdminDocument) -> None:
    props = document.core_properties
    props.title = _text(doc.title or doc.summary)[:255]
    props.subject = _text(doc.summary)[:255]
    props.author = _text(doc.author) or "KHBC"
    props.last_modified_by = "KHBC"
    props.comments = ""
    props.keywords = ""
    props.category = _text(doc.doc_type)
    props.language = "vi-VN"
    props.revision = 1
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now


def build_docx(doc: AdminDocument):
    """Return a python-docx Document for `doc` (not yet saved)."""
    document = Document()
    _setup_styles(document)
    first = document.sections[0]
    _setup_section(first, landscape=False)
    _add_page_number_header(first)
    _write_letterhead(document, doc)
    _write_title(document, doc)
    _write_body(document, doc)
    _write_signature(document, doc)
    for appendix in doc.appendices:
        _write_appendix(document, doc, appendix)
    if doc.appendices:
        # The body may not end with a table; the closing paragraph is kept about 1 pt tall.
        shrink_paragraph(document.add_paragraph()._p)
    _set_properties(document, doc)
    return document


def write_docx(doc: AdminDocument, out_path: str | os.PathLike) -> Path:
    """Write `doc` to `out_path` atomically and return the final path."""
    document = build_docx(doc)
    with atomic_path(out_path) as tmp:
        document.save(str(tmp))
    return Path(out_path)
