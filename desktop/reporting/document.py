"""Plain data for one printable administrative document (report or plan), shared by the PDF, XLSX and DOCX writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading1", "heading2", "heading3", "paragraph", "bullet"]
RowKind = Literal["data", "group"]
Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Letterhead:
    """The two-column header of Nghị định 30/2020: issuing body on the left, Quốc hiệu on the right."""

    parent_agency: str  # "UBND TỈNH ĐẮK LẮK" (upper case, regular)
    agency: str  # "SỞ XÂY DỰNG" (upper case, bold, short rule under it)
    number_line: str  # "Số: 12/BC-SXD" or "Số:      /BC-SXD" when not yet numbered
    place_date_line: str  # "Đắk Lắk, ngày 08 tháng 12 năm 2026" (italic)
    subject: str = ""  # a công văn's trích yếu "V/v …", printed under "Số:" (12 pt); a letter has no doc_type


@dataclass(frozen=True)
class Signature:
    """The signature block: authority line, title, room to sign, the signer's name."""

    authority: str  # "KT. GIÁM ĐỐC" (may be empty when the head signs)
    title: str  # "PHÓ GIÁM ĐỐC"
    name: str  # "Lê Công Du"


@dataclass(frozen=True)
class Block:
    """One piece of body text.

    heading1: "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI" (bold); heading2: "1. Ưu điểm" (bold);
    heading3: "a) …" (italic bold); paragraph: justified with a first-line indent;
    bullet: a paragraph that starts with "- " (the writer adds the dash).
    """

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Column:
    """A table column: its header text, its relative width and how its cells align."""

    title: str
    weight: float = 1.0
    align: Align = "left"


@dataclass(frozen=True)
class Row:
    """A table row; a "group" row is a bold heading spanning the whole table (e.g. "I. Công tác tuyên truyền")."""

    cells: tuple[str, ...]
    kind: RowKind = "data"


@dataclass(frozen=True)
class Appendix:
    """An appendix table ("biểu mẫu") printed after the signature, portrait or landscape."""

    heading: str  # "PHỤ LỤC" or "Biểu 01"
    title: str  # "KẾT QUẢ THỰC HIỆN NHIỆM VỤ KỲ BÁO CÁO"
    note: str  # "(Kèm theo Báo cáo số 12/BC-SXD ngày 08/12/2026 của Sở Xây dựng)" (italic)
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    landscape: bool = True
    sheet_name: str = "Bieu"  # short ASCII-safe name for the XLSX sheet


@dataclass(frozen=True)
class AdminDocument:
    """A whole document laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I."""

    letterhead: Letterhead
    doc_type: str  # "BÁO CÁO", "KẾ HOẠCH"; empty for a công văn (its trích yếu is Letterhead.subject)
    summary: str  # the trích yếu under the document type (bold, short rule below)
    body: tuple[Block, ...]
    recipients: tuple[str, ...]  # Nơi nhận lines without the leading "- "; the last is "Lưu: VT, …"
    signature: Signature
    appendices: tuple[Appendix, ...] = ()
    addressees: tuple[str, ...] = ()  # "Kính gửi: …" lines, empty when the document has none
    title: str = ""  # document metadata title (PDF/DOCX properties)
    author: str = ""  # agency name for the metadata
    extra: dict = field(default_factory=dict, compare=False)
