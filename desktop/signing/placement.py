"""Where the visible signature goes: the title and the signer's name found on the rendered page, boxes computed."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from desktop.signing.errors import SigningError

MM = 72 / 25.4


@dataclass(frozen=True)
class Box:
    """A rectangle in PDF points, origin at the bottom left of the page."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def centre_x(self) -> float:
        return (self.left + self.right) / 2

    def union(self, other: Box) -> Box:
        return Box(min(self.left, other.left), min(self.bottom, other.bottom),
                   max(self.right, other.right), max(self.top, other.top))


@dataclass(frozen=True)
class SignatureBlock:
    """The signature block as printed: page (0-based), page size, the title's and the name's text boxes."""

    page: int
    page_width: float
    page_height: float
    title: Box
    name: Box


def _occurrences(textpage, text: str) -> list[Box]:
    found = []
    searcher = textpage.search(text, match_case=True, match_whole_word=False)
    while (hit := searcher.get_next()) is not None:
        index, count = hit
        rects = [textpage.get_charbox(i, loose=False) for i in range(index, index + count)]
        rects = [r for r in rects if r[2] > r[0]]
        if rects:
            found.append(Box(min(r[0] for r in rects), min(r[1] for r in rects),
                             max(r[2] for r in rects), max(r[3] for r in rects)))
    return found


def find_signature_block(pdf: bytes, signer_name: str, title: str) -> SignatureBlock:
    """The last place where `title` stands above `signer_name` (the signature block of an administrative document)."""
    import pypdfium2 as pdfium

    name = unicodedata.normalize("NFC", signer_name.strip())
    title = unicodedata.normalize("NFC", title.strip().upper())
    if not name:
        raise SigningError("Báo cáo chưa có họ tên người ký; hãy nhập người ký ở trang Báo cáo trước khi ký số.")
    document = pdfium.PdfDocument(pdf)
    try:
        for index in reversed(range(len(document))):
            page = document[index]
            textpage = page.get_textpage()
            names = _occurrences(textpage, name)
            titles = _occurrences(textpage, title) if title else []
            for name_box in reversed(names):
                above = [t for t in titles if t.bottom > name_box.top
                         and abs(t.centre_x - name_box.centre_x) < 120]
                if above:
                    nearest = min(above, key=lambda t: t.bottom - name_box.top)
                    width, height = page.get_size()
                    return SignatureBlock(index, width, height, nearest, name_box)
    finally:
        document.close()
    raise SigningError(f"Không tìm thấy khối chữ ký (chức vụ \"{title}\" và họ tên \"{name}\") trong báo cáo PDF, nên "
                       "không đặt được hình chữ ký. Hãy kiểm tra người ký ở trang Báo cáo.")


@dataclass(frozen=True)
class StampLayout:
    """Where each image goes: the signer's image and, if any, the seal, and the field box that holds both."""

    page: int
    field: Box
    signer_image: Box | None
    seal_image: Box | None


def fit(width: float, height: float, max_width: float, max_height: float) -> tuple[float, float]:
    scale = min(max_width / width, max_height / height)
    return width * scale, height * scale


def signature_layout(block: SignatureBlock, signer_px: tuple[int, int] | None, seal_mm: float | None,
                     max_signer_width: float = 55 * MM) -> StampLayout:
    """The signer's image centred between title and name; the seal, at its real size, covering a third on the left."""
    gap_top = block.title.bottom - 2
    gap_bottom = block.name.top + 2
    if gap_top - gap_bottom < 10 * MM:
        raise SigningError("Khoảng trống giữa chức vụ và họ tên người ký quá hẹp để đặt hình chữ ký.")
    centre_x = (block.title.centre_x + block.name.centre_x) / 2
    centre_y = (gap_top + gap_bottom) / 2
    signer = None
    if signer_px:
        w, h = fit(signer_px[0], signer_px[1], max_signer_width, gap_top - gap_bottom)
        signer = Box(centre_x - w / 2, centre_y - h / 2, centre_x + w / 2, centre_y + h / 2)
    seal = None
    if seal_mm:
        size = seal_mm * MM
        anchor = signer or Box(centre_x - 20 * MM, centre_y, centre_x + 20 * MM, centre_y)
        right = anchor.left + anchor.width / 3
        seal = Box(right - size, centre_y - size / 2, right, centre_y + size / 2)
    boxes = [b for b in (signer, seal) if b]
    if not boxes:
        field = Box(centre_x - 20 * MM, gap_bottom, centre_x + 20 * MM, gap_top)
    else:
        field = boxes[0] if len(boxes) == 1 else boxes[0].union(boxes[1])
    return StampLayout(block.page, field, signer, seal)


def appendix_box(page_width: float, page_height: float, width: float = 80 * MM, height: float = 16 * MM,
                 margin_right: float = 15 * MM, margin_top: float = 6 * MM) -> Box:
    """The agency's text-only signature at the top right of page 1 (appendices and copies)."""
    right = page_width - margin_right
    top = page_height - margin_top
    return Box(right - width, top - height, right, top)


def page_size(pdf: bytes, index: int = 0) -> tuple[float, float]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return document[index].get_size()
    finally:
        document.close()
