"""Low-level WordprocessingML helpers for the DOCX writer: runs, rules, fields, fonts and fast table rows."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

FONT_NAME = "Times New Roman"
TWIPS_PER_MM = 1440 / 25.4
_JC = {"left": "left", "center": "center", "right": "right", "justify": "both"}


def mm_to_twips(mm: float) -> int:
    return int(round(mm * TWIPS_PER_MM))


def _el(tag: str, **attrs: str):
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def set_times_fonts(rpr) -> None:
    """Point every script slot of an rPr at Times New Roman, dropping theme fonts that would win over it."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = _el("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT_NAME)


def set_language(rpr, lang: str = "vi-VN") -> None:
    node = rpr.find(qn("w:lang"))
    if node is None:
        node = _el("w:lang")
        rpr.append(node)
    node.set(qn("w:val"), lang)
    node.set(qn("w:eastAsia"), lang)


def _rpr_xml(size_pt: float | None, bold: bool, italic: bool) -> str:
    parts = []
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if size_pt is not None:
        half = int(round(size_pt * 2))
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


_CODE_HYPHEN = re.compile(r"(?<=[0-9A-Za-zĐđÀ-ỹ/.])-(?=[0-9A-Za-zĐđÀ-ỹ])")
_CODE_WORD = re.compile(r"\S*[0-9/]\S*")


def _text_parts(part: str) -> list[str]:
    """<w:t> pieces, with the hyphens of document numbers and year spans ("468/QĐ-TTg", "2026-2030")
    as Word's non-breaking hyphen, so a line never ends in the middle of a number."""
    out: list[str] = []
    last = 0
    for word in _CODE_WORD.finditer(part):
        for hyphen in _CODE_HYPHEN.finditer(part, word.start(), word.end()):
            if hyphen.start() > last:
                out.append(f'<w:t xml:space="preserve">{escape(part[last:hyphen.start()])}</w:t>')
            out.append("<w:noBreakHyphen/>")
            last = hyphen.end()
    if last < len(part):
        out.append(f'<w:t xml:space="preserve">{escape(part[last:])}</w:t>')
    return out


def run_xml(text: str, size_pt: float | None = None, bold: bool = False, italic: bool = False) -> str:
    """A w:r as XML text; "\n" becomes a line break, "\t" a tab, a document number's hyphen non-breaking."""
    content = []
    for index, line in enumerate(text.split("\n")):
        if index:
            content.append("<w:br/>")
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                content.append("<w:tab/>")
            if part:
                content.extend(_text_parts(part))
    return f"<w:r>{_rpr_xml(size_pt, bold, italic)}{''.join(content)}</w:r>"


def paragraph_xml(text: str = "", *, align: str | None = None, size_pt: float | None = None,
                  bold: bool = False, italic: bool = False, before_pt: float = 0, after_pt: float = 0,
                  keep_next: bool = False) -> str:
    """A compact single-spaced w:p as XML text (table cells are built as text: python-docx objects are slow)."""
    ppr = ["<w:keepNext/>" if keep_next else "",
           f'<w:spacing w:before="{int(before_pt * 20)}" w:after="{int(after_pt * 20)}" w:line="240" '
           'w:lineRule="auto"/>']
    if align:
        ppr.append(f'<w:jc w:val="{_JC.get(align, "left")}"/>')
    if size_pt is not None:
        ppr.append(_rpr_xml(size_pt, False, False))
    run = run_xml(text, size_pt, bold, italic) if text else ""
    return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{run}</w:p>"


def make_paragraph(text: str = "", **kwargs):
    """The element form of `paragraph_xml`."""
    return parse_xml(f"<w:p {nsdecls('w')}{paragraph_xml(text, **kwargs)[4:]}")


def make_run(text: str, size_pt: float | None = None, bold: bool = False, italic: bool = False):
    return parse_xml(f"<w:r {nsdecls('w')}{run_xml(text, size_pt, bold, italic)[4:]}")


def make_rule(width_mm: float, box_width_mm: float, *, before_pt: float = 0, after_pt: float = 0):
    """An empty, 1 pt-high paragraph whose top border draws a centred rule `width_mm` long.

    Nghị định 30/2020 wants solid rules (not underlines) under the agency name, the motto and the summary.
    """
    indent = mm_to_twips(max(0.0, (box_width_mm - width_mm) / 2))
    p = _el("w:p")
    ppr = _el("w:pPr")
    borders = _el("w:pBdr")
    borders.append(_el("w:top", val="single", sz=6, space=1, color="000000"))
    ppr.append(borders)
    ppr.append(_el("w:spacing", before=int(before_pt * 20), after=int(after_pt * 20), line=240, lineRule="auto"))
    ppr.append(_el("w:ind", left=indent, right=indent))
    ppr.append(_el("w:jc", val="center"))
    mark = _el("w:rPr")
    mark.append(_el("w:sz", val=2))
    mark.append(_el("w:szCs", val=2))
    ppr.append(mark)
    p.append(ppr)
    return p


def append_page_field(paragraph, size_pt: float) -> None:
    """Append a PAGE field (the current page number) to a python-docx paragraph."""
    field = _el("w:fldSimple", instr=" PAGE ")
    run = make_run("1", size_pt)
    field.append(run)
    paragraph._p.append(field)


def table_properties(tbl, widths_twips: list[int], *, borders: bool, cell_margin_twips: int | None = None,
                     style_id: str | None = None) -> None:
    """Fixed layout, exact column widths, and either single borders everywhere or none at all."""
    tblPr = tbl.tblPr
    for child in list(tblPr):
        if child.tag in (qn("w:tblW"), qn("w:tblLayout"), qn("w:tblBorders"), qn("w:tblCellMar"),
                         qn("w:tblLook"), qn("w:tblStyle"), qn("w:jc"), qn("w:tblInd")):
            tblPr.remove(child)
    if style_id:
        tblPr.insert(0, _el("w:tblStyle", val=style_id))
    tblPr.append(_el("w:tblW", w=sum(widths_twips), type="dxa"))
    tblPr.append(_el("w:jc", val="center"))
    tblPr.append(_el("w:tblInd", w=0, type="dxa"))
    edge = ("single", 4) if borders else ("nil", 0)
    box = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        box.append(_el(f"w:{side}", val=edge[0], sz=edge[1], space=0, color="000000"))
    tblPr.append(box)
    tblPr.append(_el("w:tblLayout", type="fixed"))
    if cell_margin_twips is not None:
        mar = _el("w:tblCellMar")
        for side in ("left", "right"):
            mar.append(_el(f"w:{side}", w=cell_margin_twips, type="dxa"))
        tblPr.append(mar)
    tblPr.append(_el("w:tblLook", val="0000", firstRow=0, lastRow=0, firstColumn=0, lastColumn=0,
                     noHBand=1, noVBand=1))
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in widths_twips:
        grid.append(_el("w:gridCol", w=width))


def cell_xml(width_twips: int, paragraphs: list[str], *, span: int = 1, v_align: str | None = None) -> str:
    props = f'<w:tcW w:w="{width_twips}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if v_align:
        props += f'<w:vAlign w:val="{v_align}"/>'
    body = "".join(paragraphs) or paragraph_xml()
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


def make_row(cells: list[str], *, header: bool = False, cant_split: bool = True):
    """A w:tr element from cell XML; `header` marks it to repeat at the top of every page."""
    props = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    return parse_xml(f"<w:tr {nsdecls('w')}><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>")


def shrink_paragraph(p) -> None:
    """Make an (empty) paragraph about 1 pt tall, e.g. the one python-docx adds to carry a section break."""
    ppr = p.get_or_add_pPr()
    for child in list(ppr):
        if child.tag in (qn("w:spacing"), qn("w:rPr")):
            ppr.remove(child)
    spacing = _el("w:spacing", before=0, after=0, line=20, lineRule="exact")
    sect = ppr.find(qn("w:sectPr"))
    mark = _el("w:rPr")
    mark.append(_el("w:sz", val=2))
    mark.append(_el("w:szCs", val=2))
    if sect is not None:
        sect.addprevious(spacing)
        sect.addprevious(mark)
    else:
        ppr.append(spacing)
        ppr.append(mark)
