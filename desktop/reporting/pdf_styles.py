"""Page geometry, paragraph styles and text escaping for the Nghị định 30/2020 PDF layout."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.fonts import tt2ps
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.pdfbase.pdfmetrics import stringWidth

PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 20 * mm
MARGIN_LEFT = 30 * mm
MARGIN_RIGHT = 15 * mm
PAGE_NUMBER_BASELINE = 12 * mm  # from the top edge: inside the 20 mm top margin
PAGE_NUMBER_SIZE = 13
FIRST_LINE_INDENT = 1.27 * cm
BODY_SIZE = 14
BODY_LEADING = 17.5  # 1.25 × 14 pt
SIGN_ROOM = 27 * mm
CELL_PAD_X = 3
CELL_PAD_Y = 2.5

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_NEWLINES = re.compile(r"\r\n?|\n|\u2028|\u2029")


def frame_width(pagesize: tuple[float, float]) -> float:
    return pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT


def clean(text: str) -> str:
    """NFC-normalise, drop control characters, turn tabs into spaces (plain text, not markup)."""
    text = unicodedata.normalize("NFC", text or "")
    if "\t" in text:
        text = text.replace("\t", " ")
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text


def markup(text: str) -> str:
    """User text as safe Paragraph markup: NFC, escaped (<, >, & print literally), line breaks kept."""
    text = escape(clean(text))
    if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text:
        text = _NEWLINES.sub("<br/>", text)
    return text


@dataclass(frozen=True)
class Faces:
    """Registered ReportLab font names of one family."""

    regular: str
    bold: str
    italic: str
    bold_italic: str

    def width(self, text: str, bold: bool, size: float, italic: bool = False) -> float:
        face = (self.bold_italic if italic else self.bold) if bold else (self.italic if italic else self.regular)
        return stringWidth(text, face, size)


def _style(name: str, font: str, size: float, leading: float | None = None, **kw) -> ParagraphStyle:
    kw.setdefault("alignment", TA_CENTER)
    kw.setdefault("spaceBefore", 0)
    kw.setdefault("spaceAfter", 0)
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or round(size * 1.2, 2), **kw)


@dataclass(frozen=True)
class Styles:
    """Every ParagraphStyle of the document, built once per font family."""

    faces: Faces
    parent_agency: ParagraphStyle
    agency: ParagraphStyle
    number: ParagraphStyle
    national: ParagraphStyle
    motto: ParagraphStyle
    place_date: ParagraphStyle
    addressee: ParagraphStyle
    doc_type: ParagraphStyle
    summary: ParagraphStyle
    paragraph: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    heading3: ParagraphStyle
    bullet: ParagraphStyle
    recipients_title: ParagraphStyle
    recipient: ParagraphStyle
    sign_title: ParagraphStyle
    sign_name: ParagraphStyle
    appendix_heading: ParagraphStyle
    appendix_title: ParagraphStyle
    appendix_note: ParagraphStyle


@lru_cache(maxsize=8)
def build_styles(base: str) -> Styles:
    faces = Faces(tt2ps(base, 0, 0), tt2ps(base, 1, 0), tt2ps(base, 0, 1), tt2ps(base, 1, 1))
    r, b, i, bi = faces.regular, faces.bold, faces.italic, faces.bold_italic
    # No widows or orphans: a paragraph never leaves one line alone at the bottom or top of a page.
    body = dict(alignment=TA_JUSTIFY, firstLineIndent=FIRST_LINE_INDENT, spaceAfter=6, allowWidows=0,
                allowOrphans=0)
    heading = dict(body, keepWithNext=1, spaceBefore=0)
    return Styles(
        faces=faces,
        parent_agency=_style("parent_agency", r, 13, 15.5),
        agency=_style("agency", b, 13, 15.5),
        number=_style("number", r, 13, 15.5),
        national=_style("national", b, 12, 15.5),
        motto=_style("motto", b, 13, 15.5),
        place_date=_style("place_date", i, 14, 16.5),
        addressee=_style("addressee", r, BODY_SIZE, BODY_LEADING),
        doc_type=_style("doc_type", b, BODY_SIZE, BODY_LEADING),
        summary=_style("summary", b, BODY_SIZE, BODY_LEADING, leftIndent=1 * cm, rightIndent=1 * cm),
        paragraph=ParagraphStyle("paragraph", fontName=r, fontSize=BODY_SIZE, leading=BODY_LEADING, **body),
        heading1=ParagraphStyle("heading1", fontName=b, fontSize=BODY_SIZE, leading=BODY_LEADING, **heading),
        heading2=ParagraphStyle("heading2", fontName=b, fontSize=BODY_SIZE, leading=BODY_LEADING, **heading),
        heading3=ParagraphStyle("heading3", fontName=bi, fontSize=BODY_SIZE, leading=BODY_LEADING, **heading),
        bullet=ParagraphStyle("bullet", fontName=r, fontSize=BODY_SIZE, leading=BODY_LEADING, **body),
        recipients_title=_style("recipients_title", bi, 12, 14, alignment=TA_LEFT),
        recipient=_style("recipient", r, 11, 13, alignment=TA_LEFT, leftIndent=0),
        sign_title=_style("sign_title", b, BODY_SIZE, BODY_LEADING),
        sign_name=_style("sign_name", b, BODY_SIZE, BODY_LEADING),
        appendix_heading=_style("appendix_heading", b, BODY_SIZE, BODY_LEADING),
        appendix_title=_style("appendix_title", b, BODY_SIZE, BODY_LEADING),
        appendix_note=_style("appendix_note", i, BODY_SIZE, BODY_LEADING, spaceAfter=8),
    )


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


@lru_cache(maxsize=32)
def cell_style(base: str, size: float, align: str, bold: bool) -> ParagraphStyle:
    """Table cell text: `size` pt, wrapped, aligned like its column (built once per combination)."""
    faces = build_styles(base).faces
    return ParagraphStyle(
        f"cell-{size}-{align}-{int(bold)}", fontName=faces.bold if bold else faces.regular, fontSize=size,
        leading=round(size * 1.18, 2), alignment=_ALIGN.get(align, TA_LEFT), splitLongWords=1,
    )


def fit_size(text: str, font: str, preferred: float, minimum: float, width: float) -> float:
    """The largest size from `preferred` down to `minimum` (0.5 pt steps) at which `text` fits on one line."""
    size = preferred
    while size > minimum and stringWidth(text, font, size) > width:
        size -= 0.5
    return size
