"""Write an AdminDocument as a PDF laid out per Nghị định 30/2020/NĐ-CP (ReportLab, atomic write)."""

from __future__ import annotations

import os
from pathlib import Path

from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, NextPageTemplate, PageBreak, PageTemplate,
    Paragraph, Spacer,
)
from reportlab.platypus.doctemplate import LayoutError

from desktop.errors import KhbcError
from desktop.fileio import atomic_path
from desktop.reporting.document import AdminDocument, Appendix, Block
from desktop.reporting.fonts import find_font_family, register_family
from desktop.reporting.pdf_styles import (
    LANDSCAPE, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_NUMBER_BASELINE, PAGE_NUMBER_SIZE,
    PORTRAIT, Styles, build_styles, clean, frame_width, markup,
)
from desktop.reporting.pdf_tables import (
    addressee_block, appendix_table, letterhead_table, signature_table, title_block,
)

__all__ = ["write_pdf", "build_story"]


class _RestartNumbering(Flowable):
    """Placed at the top of each appendix: NĐ 30/2020 numbers an appendix's pages on their own."""

    def __init__(self, state: dict):
        super().__init__()
        self.state = state
        self.width = self.height = 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self) -> None:
        self.state["offset"] = self.canv.getPageNumber() - 1


def _page_number(canvas, doc) -> None:
    """Page number centred over the text column in the top margin, from the second page of the
    document (and of each appendix) on. Drawn at the end of the page, once it is known whether an
    appendix started on it."""
    page = canvas.getPageNumber() - doc.khbc_numbering["offset"]
    if page < 2:
        return
    width, height = canvas._pagesize
    canvas.saveState()
    canvas.setFont(doc.khbc_font, PAGE_NUMBER_SIZE)
    canvas.drawCentredString(MARGIN_LEFT + frame_width((width, height)) / 2, height - PAGE_NUMBER_BASELINE,
                             str(page))
    canvas.restoreState()


def _template(name: str, pagesize: tuple[float, float]) -> PageTemplate:
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, frame_width(pagesize), pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=f"{name}-frame")
    return PageTemplate(id=name, frames=[frame], onPageEnd=_page_number, pagesize=pagesize)


_BLOCK_STYLE = {"heading1": "heading1", "heading2": "heading2", "heading3": "heading3", "bullet": "bullet"}


def _block(block: Block, st: Styles) -> Paragraph:
    style = getattr(st, _BLOCK_STYLE.get(block.kind, "paragraph"))
    text = clean(block.text).strip()
    if block.kind == "bullet" and not text.startswith(("- ", "-\u00a0", "– ")):
        text = "- " + text.lstrip("-–•").strip()
    return Paragraph(markup(text), style)


class RoomForHeading(CondPageBreak):
    """Before a heading: start a new page unless the heading(s) and the first two lines of what follows fit.

    Unlike keepWithNext (which moves a heading together with its whole next paragraph and can leave a
    fifth of a page empty), this only asks for the room of two lines; the paragraph itself may split
    (no orphans or widows, see the body styles)."""

    def __init__(self, headings: list[Paragraph], following: Flowable | None):
        super().__init__(0)
        self.headings, self.following = headings, following

    def wrap(self, availWidth, availHeight):
        need = sum(h.wrap(availWidth, availHeight)[1] + h.getSpaceAfter() for h in self.headings)
        if self.following is not None:
            first_lines = 2 * getattr(getattr(self.following, "style", None), "leading", 0) or 0
            height = self.following.wrap(availWidth, availHeight)[1]
            need += min(height, first_lines) if first_lines else height
        self.height = need
        return super().wrap(availWidth, availHeight)


def _with_heading_room(body: list[Paragraph], blocks: list[Block]) -> list[Flowable]:
    out: list[Flowable] = []
    for i, (para, block) in enumerate(zip(body, blocks)):
        if block.kind.startswith("heading") and (i == 0 or not blocks[i - 1].kind.startswith("heading")):
            j = i
            while j < len(blocks) and blocks[j].kind.startswith("heading"):
                j += 1
            out.append(RoomForHeading(body[i:j], body[j] if j < len(body) else None))
        if block.kind.startswith("heading"):
            para.keepWithNext = 0
        out.append(para)
    return out


def _appendix(app: Appendix, base: str, st: Styles, numbering: dict) -> list[Flowable]:
    pagesize = LANDSCAPE if app.landscape else PORTRAIT
    flow: list[Flowable] = [NextPageTemplate("landscape" if app.landscape else "portrait"), PageBreak(),
                            _RestartNumbering(numbering)]
    head = [Paragraph(markup(t), s) for t, s in ((app.heading, st.appendix_heading), (app.title, st.appendix_title),
                                                  (app.note, st.appendix_note)) if t and t.strip()]
    for p in head:
        p.keepWithNext = 1
    flow.extend(head)
    flow.append(Spacer(1, 4))
    flow.append(appendix_table(app, base, st, frame_width(pagesize), pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM))
    return flow


def build_story(doc: AdminDocument, base: str, numbering: dict | None = None) -> list[Flowable]:
    """The flowables of the whole document for the registered font family `base`."""
    numbering = {"offset": 0} if numbering is None else numbering
    st = build_styles(base)
    width = frame_width(PORTRAIT)
    story: list[Flowable] = [letterhead_table(doc.letterhead, st, width)]
    if doc.doc_type.strip():
        story.extend(title_block(doc.doc_type, doc.summary, st, width))
    story.extend(addressee_block(doc.addressees, st))
    story.append(Spacer(1, 12))
    blocks = [b for b in doc.body if b.text and b.text.strip()]
    body = [_block(b, st) for b in blocks]
    # The signature never stands alone: it travels with the last paragraph (and any heading before it).
    tail_start = len(body) - 1 if body else 0
    while tail_start > 0 and blocks[tail_start - 1].kind.startswith("heading"):
        tail_start -= 1
    story.extend(_with_heading_room(body[:tail_start], blocks[:tail_start]))
    story.append(KeepTogether([*body[tail_start:], signature_table(doc.recipients, doc.signature, st, width)]))
    for app in doc.appendices:
        story.extend(_appendix(app, base, st, numbering))
    return story


class _Document(BaseDocTemplate):
    def __init__(self, filename: str, font: str, numbering: dict, **kw):
        self.khbc_font = font
        self.khbc_numbering = numbering
        super().__init__(filename, **kw)


def write_pdf(doc: AdminDocument, out_path: str | os.PathLike, font_path: str | None = None) -> Path:
    """Render `doc` to `out_path` atomically and return the path.

    Raises FontNotFoundError when no Vietnamese font is available (nothing is written) and
    KhbcError when the content cannot be laid out or the file cannot be written.
    """
    family = find_font_family(font_path)
    base = register_family(family)
    numbering = {"offset": 0}
    story = build_story(doc, base, numbering)
    target = Path(out_path)
    head = doc.letterhead
    title = clean(doc.title) or f"{clean(doc.doc_type)} {clean(doc.summary)}".strip()
    with atomic_path(target) as tmp:
        template = _Document(
            str(tmp), base, numbering, pagesize=PORTRAIT,
            leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=title, author=clean(doc.author) or clean(head.agency), subject=clean(doc.summary),
            creator="KHBC", initialFontName=base, lang="vi-VN",
        )
        template.addPageTemplates([_template("portrait", PORTRAIT), _template("landscape", LANDSCAPE)])
        try:
            template.build(story)
        except LayoutError as exc:
            raise KhbcError(
                "Không dàn trang được văn bản: có một đoạn hoặc một ô bảng quá dài so với trang giấy. "
                f"Hãy rút gọn nội dung rồi in lại. (Chi tiết: {exc})"
            ) from exc
    return target
