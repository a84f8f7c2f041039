"""ReportLab tables of the PDF writer: letterhead, signature block and appendix tables."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib.colors import black
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop.reporting.document import Appendix, Column, Letterhead, Row, Signature
from desktop.reporting.pdf_styles import (
    CELL_PAD_X, CELL_PAD_Y, SIGN_ROOM, Styles, cell_style, clean, fit_size, markup,
)

GRID_WIDTH = 0.5


class Rule(Flowable):
    """A horizontal line of a fixed width, drawn `gap` points below the text above it."""

    def __init__(self, width: float, gap: float = 1.5, thickness: float = 0.6, space_after: float = 0.0):
        super().__init__()
        self.width = width
        self.gap = gap
        self.thickness = thickness
        self.space_after = space_after
        self.hAlign = "CENTER"

    def wrap(self, availWidth, availHeight):
        return self.width, self.gap + self.thickness + self.space_after

    def draw(self):
        canv = self.canv
        canv.setLineWidth(self.thickness)
        canv.setStrokeColor(black)
        y = self.space_after + self.thickness / 2
        canv.line(0, y, self.width, y)


class CellParagraph(Paragraph):
    """A Paragraph that remembers its last wrap: a Table wraps each cell up to three times at one width."""

    _memo: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):
        memo = self._memo
        if memo is not None and memo[0] == availWidth:
            self.width, self.height = memo[1]
            return memo[1]
        size = super().wrap(availWidth, availHeight)
        self._memo = (availWidth, size)
        return size


_PROTO_FRAGS: dict[int, tuple[object, object]] = {}  # id(style) -> (style, parsed fragment of "x")


def cell_paragraph(text: str, style) -> Paragraph:
    """A table cell; plain one-line text skips ReportLab's markup parser (same fragments, 10× cheaper)."""
    text = clean(text)
    if "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text:
        return CellParagraph(markup(text), style)
    known = _PROTO_FRAGS.get(id(style))
    if known is None or known[0] is not style:
        known = _PROTO_FRAGS[id(style)] = (style, Paragraph("x", style).frags[0])
    proto = known[1]
    return CellParagraph(text, style, frags=[proto.clone(text=text)])


def _para(text: str, style) -> Paragraph:
    return Paragraph(markup(text), style)


def _widest_line(text: str, font: str, size: float, width_of) -> float:
    return max((width_of(line, font, size) for line in clean(text).split("\n")), default=0.0)


def keep_blanks(text: str) -> str:
    """Keep runs of spaces (the gaps a clerk fills in by hand: "Số:      /BC-SXD") as non-breaking spaces."""
    return _BLANKS.sub(lambda m: "\u00a0" * len(m.group()), text)


_BLANKS = re.compile(r" {2,}")


def letterhead_table(head: Letterhead, st: Styles, width: float) -> Table:
    """Two borderless columns: issuing body (left) and Quốc hiệu, tiêu ngữ, place and date (right)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    national_text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto_text = "Độc lập - Tự do - Hạnh phúc"
    pad, gap = 2.0, 10.0
    national_need = stringWidth(national_text, st.national.fontName, 12) + 2 * pad + 1
    left_need = max(_widest_line(head.parent_agency, st.parent_agency.fontName, 13, stringWidth),
                    _widest_line(head.agency, st.agency.fontName, 13, stringWidth)) + 2 * pad + gap
    # The right column takes about 60 %, more (up to 68 %) when the Quốc hiệu needs it, less when a long
    # agency name needs room and the Quốc hiệu still fits.
    right = max(0.6 * width, min(0.68 * width, national_need))
    if width - right < left_need:
        right = max(min(right, national_need), width - left_need, 0.55 * width)
    left = width - right
    inner_r, inner_l = right - 2 * pad, left - 2 * pad - gap
    national = st.national.clone("national-fit", fontSize=fit_size(national_text, st.national.fontName, 12, 9, inner_r))
    motto = st.motto.clone("motto-fit", fontSize=fit_size(motto_text, st.motto.fontName, 13, 10, inner_r))
    date_text = keep_blanks(clean(head.place_date_line))
    date = st.place_date.clone("date-fit", fontSize=fit_size(date_text, st.place_date.fontName, 14, 12, inner_r))
    number = st.number
    # Agency names shrink to 12 pt (the decree allows 12–13) before they wrap onto a second line.
    parent_style = st.parent_agency.clone("parent-fit", fontSize=min(
        fit_size(line, st.parent_agency.fontName, 13, 12, inner_l) for line in clean(head.parent_agency).split("\n")))
    agency_style = st.agency.clone("agency-fit", fontSize=min(
        fit_size(line, st.agency.fontName, 13, 12, inner_l) for line in clean(head.agency).split("\n")))

    agency_w = min(_widest_line(head.agency, agency_style.fontName, agency_style.fontSize, stringWidth), inner_l)
    motto_w = stringWidth(motto_text, motto.fontName, motto.fontSize)
    left_top: list[Flowable] = []
    if head.parent_agency.strip():
        left_top.append(_para(head.parent_agency, parent_style))
    left_top.append(_para(head.agency, agency_style))
    left_top.append(Rule(max(agency_w / 3, 40), gap=3))
    right_top = [Paragraph(national_text, national), Paragraph(motto_text, motto), Rule(motto_w, gap=3)]
    number_cell: list[Flowable] = [Paragraph(markup(keep_blanks(clean(head.number_line))), number)]
    if head.subject.strip():  # công văn: "V/v …" under the number, 12 pt, centred (NĐ 30/2020, Phụ lục I)
        number_cell.append(Paragraph(markup(clean(head.subject)), number.clone(
            "subject", fontSize=12, leading=14.5, spaceBefore=3)))
    data = [[left_top, right_top], [number_cell, Paragraph(markup(date_text), date)]]
    # First baselines sit fontSize below the cell top: pad the smaller text so baselines line up.
    first_left = parent_style if head.parent_agency.strip() else agency_style
    lift_l = max(0.0, national.fontSize - first_left.fontSize)
    lift_r = max(0.0, first_left.fontSize - national.fontSize)
    lift_num = max(0.0, date.fontSize - number.fontSize)
    lift_date = max(0.0, number.fontSize - date.fontSize)
    table = Table(data, colWidths=[left, right], hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),  # else empty cells pull in Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (0, -1), pad + gap),
        ("TOPPADDING", (0, 0), (0, 0), lift_l),
        ("TOPPADDING", (1, 0), (1, 0), lift_r),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 1), (0, 1), 4 + lift_num),
        ("TOPPADDING", (1, 1), (1, 1), 4 + lift_date),
        ("BOTTOMPADDING", (0, 1), (-1, 1), 0),
    ]))
    return table


def title_block(doc_type: str, summary: str, st: Styles, width: float) -> list[Flowable]:
    """Document type and trích yếu, centred, with a short rule under the trích yếu."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    flow: list[Flowable] = [Spacer(1, 22), _para(doc_type, st.doc_type)]
    if summary.strip():
        flow.append(_para(summary, st.summary))
        line_w = min(stringWidth(clean(summary), st.summary.fontName, st.summary.fontSize),
                     width - st.summary.leftIndent - st.summary.rightIndent)
    else:
        line_w = stringWidth(clean(doc_type), st.doc_type.fontName, st.doc_type.fontSize)
    flow.append(Rule(max(min(line_w / 3, 120), 60), gap=5))
    return flow


def addressee_block(addressees: tuple[str, ...], st: Styles) -> list[Flowable]:
    """"Kính gửi: …" centred for one addressee; for several, "Kính gửi:" then one "- …" line each."""
    names = [clean(a).strip() for a in addressees if a and a.strip()]
    if not names:
        return []
    flow: list[Flowable] = [Spacer(1, 14)]
    if len(names) == 1:
        flow.append(_para(f"Kính gửi: {names[0]}", st.addressee.clone("addressee-one", alignment=1)))
        return flow
    first = st.addressee.clone("addressee-head", alignment=0, leftIndent=2.2 * cm)
    lines = st.addressee.clone("addressee-line", alignment=0, leftIndent=4.4 * cm)
    flow.append(_para("Kính gửi:", first))
    last = len(names) - 1
    flow.extend(_para(f"- {n.rstrip(';.')}{'.' if i == last else ';'}", lines) for i, n in enumerate(names))
    return flow


def signature_table(recipients: tuple[str, ...], sig: Signature, st: Styles, width: float) -> Table:
    """"Nơi nhận" on the left; authority, title, room to sign and the name on the right."""
    left: list[Flowable] = []
    if recipients:
        left.append(Paragraph("Nơi nhận:", st.recipients_title))
        left.extend(_para("- " + clean(r).lstrip("-–• ").strip(), st.recipient) for r in recipients)
    right: list[Flowable] = []
    if sig.authority.strip():
        right.append(_para(clean(sig.authority).upper(), st.sign_title))
    if sig.title.strip():
        right.append(_para(clean(sig.title).upper(), st.sign_title))
    right.append(Spacer(1, SIGN_ROOM))
    right.append(_para(sig.name, st.sign_name))
    table = Table([[left or "", right]], colWidths=[0.44 * width, 0.56 * width], hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (1, 0), (1, 0), 0),
        ("TOPPADDING", (0, 0), (0, 0), 3),  # "Nơi nhận:" is 12 pt: line it up with the 14 pt title
        ("TOPPADDING", (1, 0), (1, 0), 0),
    ]))
    table.spaceBefore = 6
    return table


def column_widths(columns: tuple[Column, ...], rows: tuple[Row, ...], font_bold: str, font: str,
                  size: float, width: float) -> list[float]:
    """Widths proportional to Column.weight, but never narrower than a header word or a short code cell."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n = len(columns)
    weights = [max(c.weight, 0.01) for c in columns]
    total = sum(weights)
    mins = []
    for i, col in enumerate(columns):
        need = max((stringWidth(word, font_bold, size) for word in clean(col.title).split()), default=0.0)
        if col.align != "left" or weights[i] / total < 0.06:
            # Narrow code columns (TT, counts, percentages): the longest short unbreakable cell must fit.
            short = {r.cells[i] for r in rows if r.kind == "data" and i < len(r.cells)
                     and len(r.cells[i]) <= 10 and " " not in r.cells[i]}
            if short:
                need = max(need, max(stringWidth(clean(s), font, size) for s in short))
        mins.append(need + 2 * CELL_PAD_X + 1)
    widths = [width * w / total for w in weights]
    if sum(mins) >= width:
        return [width * m / sum(mins) for m in mins]
    for _ in range(n):  # raise columns below their minimum, take the room from the others by weight
        short_cols = [i for i in range(n) if widths[i] < mins[i] - 0.01]
        if not short_cols:
            break
        fixed = set(i for i in range(n) if widths[i] <= mins[i] + 0.01) | set(short_cols)
        free = [i for i in range(n) if i not in fixed]
        room = width - sum(mins[i] if i in fixed else 0 for i in range(n))
        free_total = sum(weights[i] for i in free) or 1.0
        widths = [mins[i] if i in fixed else room * weights[i] / free_total for i in range(n)]
    return widths


class AppendixTable(Table):
    """A Table that splits only between rows, except a row taller than a whole page.

    ReportLab's own split, with splitInRow on, falls back to cutting inside a row whenever the next row
    does not fit the rest of the page, so short rows were cut under a page end. Here a row that fits on
    one page always moves whole to the next page; a row taller than a page (header included) is cut
    inside, starting on the current page only when a good part of the page is left (else it starts at
    the top of the next one), and its continuation gets the repeated header. `page_room` (the frame
    height) is a class attribute so that the tables ReportLab creates when splitting keep it.
    """

    page_room = 0.0
    min_start = 0.0  # least room on a page worth starting a cut row in

    def split(self, availWidth, availHeight):
        self._calc(availWidth, availHeight)
        n = self._getFirstPossibleSplitRowPosition(availHeight)
        heights = self._rowHeights
        header = sum(heights[:self.repeatRows])
        if self.page_room and n < len(heights) and heights[n] > self.page_room - header:
            room = availHeight - sum(heights[:n])
            if room >= max(self.min_start, 0.25 * self.page_room) or n <= self.repeatRows:
                parts = self._splitRows(availHeight, doInRowSplit=1)
                if parts:
                    _label_continuation(parts, self.repeatRows)
                    return parts
        return self._splitRows(availHeight, doInRowSplit=0)


CONTINUED = " (tiếp)"


def _label_continuation(parts: list, header_rows: int) -> None:
    """A row cut by a page end shows its TT again on the next page ("12 (tiếp)") instead of an empty cell.

    Only the first cell of the continuation row changes: its height was fixed by the split and the label
    is far shorter than the text that forced the cut, so ReportLab's own split stays as it computed it.
    """
    if len(parts) != 2 or not parts[0]._cellvalues or len(parts[1]._cellvalues) <= header_rows:
        return
    before, after = parts[0]._cellvalues[-1][0], parts[1]._cellvalues[header_rows][0]
    before = before[0] if isinstance(before, (list, tuple)) and len(before) == 1 else before
    if after not in ("", None, [], ()) or not isinstance(before, Paragraph):
        return
    number = before.getPlainText().strip().removesuffix(CONTINUED.strip()).strip()
    if not number:
        return
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = before.style
    room = parts[1]._colWidths[0] - 2 * CELL_PAD_X - 0.5
    size = min(style.fontSize, room / stringWidth(CONTINUED.strip(), style.fontName, 1))
    if size >= style.fontSize:
        label = cell_paragraph(number + CONTINUED, style)
    else:  # a narrow TT column: the number as usual, "(tiếp)" smaller under it, never "(t" / "iếp)"
        label = Paragraph(f"{escape(clean(number))}<br/><font size=\"{size:.1f}\">{CONTINUED.strip()}</font>", style)
    parts[1]._cellvalues[header_rows][0] = [label]


_TABLE_CLASSES: dict[tuple[float, float], type[AppendixTable]] = {}


def _table_class(page_room: float, min_start: float) -> type[AppendixTable]:
    cls = _TABLE_CLASSES.get((page_room, min_start))
    if cls is None:
        cls = _TABLE_CLASSES[(page_room, min_start)] = type(
            "AppendixTable", (AppendixTable,), {"page_room": page_room, "min_start": min_start})
    return cls


def _row_height(cells: list, widths: list[float]) -> float:
    """The height a row of cell paragraphs takes at these column widths (group rows span: first cells only)."""
    tallest = 0.0
    for cell, width in zip(cells, widths):
        if isinstance(cell, Paragraph):
            tallest = max(tallest, cell.wrap(width - 2 * CELL_PAD_X, 1e6)[1])
    return tallest + 2 * CELL_PAD_Y + 1


def appendix_table(app: Appendix, base: str, st: Styles, width: float, page_room: float = 0.0) -> Table:
    """The grid of an appendix: repeated bold header row, group rows spanning the table, wrapped cells."""
    columns = app.columns or (Column(""),)
    n = len(columns)
    size = 12 if n <= 6 else 11
    header_style = cell_style(base, size, "center", True)
    col_styles = [cell_style(base, size, c.align, False) for c in columns]
    group_style = cell_style(base, size, "left", True)
    group_code_style = cell_style(base, size, "center", True)
    widths = column_widths(columns, app.rows, st.faces.bold, st.faces.regular, size, width)

    data: list[list] = [[cell_paragraph(c.title, header_style) for c in columns]]
    commands: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), st.faces.regular),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("GRID", (0, 0), (-1, -1), GRID_WIDTH, black),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PAD_Y),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PAD_Y + 1),
        # A row cut by a page end (splitInRow) is closed below and reopened under the repeated header.
        ("LINEBELOW", (0, "inrowsplitstart"), (-1, "inrowsplitstart"), GRID_WIDTH, black),
        ("LINEABOVE", (0, "inrowsplitend"), (-1, "inrowsplitend"), GRID_WIDTH, black),
    ]
    blank = [""] * n
    group_rows: list[int] = []
    for r, row in enumerate(app.rows, start=1):
        cells = row.cells
        if row.kind == "group":
            texts = [c for c in cells if c and c.strip()]
            line = blank.copy()
            if n > 1 and len(cells) >= 2 and len(cells[0].strip()) <= 6:
                # "I" stays in the TT column; the group's name spans the other columns.
                line[0] = cell_paragraph(cells[0], group_code_style) if cells[0].strip() else ""
                line[1] = cell_paragraph(" ".join(c.strip() for c in cells[1:] if c.strip()), group_style)
                commands.append(("SPAN", (1, r), (-1, r)))
            else:
                line[0] = cell_paragraph(" ".join(t.strip() for t in texts), group_style)
                if n > 1:
                    commands.append(("SPAN", (0, r), (-1, r)))
            data.append(line)
            group_rows.append(r)
            continue
        if len(cells) > n:  # never drop text: extra cells go into the last column
            cells = (*cells[: n - 1], "\n".join(c for c in cells[n - 1:] if c))
        line = blank.copy()
        for i, text in enumerate(cells):
            if text and not text.isspace():
                line[i] = cell_paragraph(text, col_styles[i])
        data.append(line)
    # A group heading never ends a page without its first row, unless that row is taller than a page and
    # must be cut anyway. Heights are measured (CellParagraph keeps the wrap, so the table reuses it).
    room = (page_room or 1e6) - _row_height(data[0], widths) - 2
    spanned = [widths[0], sum(widths[1:])] if n > 1 else widths
    for r in group_rows:
        if r + 1 < len(data) and _row_height(data[r][:2], spanned) + _row_height(data[r + 1], widths) < room:
            commands.append(("NOSPLIT", (0, r), (-1, r + 1)))
    # splitInRow: a row taller than the room left moves whole to the next page (splitByRow);
    # only a row taller than a whole page is cut inside, with at least 3 lines on each side.
    table = _table_class(page_room, size * 1.18 * 6)(data, colWidths=widths, repeatRows=1, splitByRow=1,
                                    splitInRow=int(size * 3.6), hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table
