"""Tests of the DOCX writer: re-open the file with python-docx (and LibreOffice when present) and check the layout."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import time
import unicodedata

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm

from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Row
from desktop.reporting.docx_writer import write_docx
from tests.document_samples import sample_report_document

TASK = "Tuyên truyền bảo vệ trẻ em trên môi trường mạng trong toàn Sở, nhiệm vụ số {}"


def plan_document() -> AdminDocument:
    """A plan (Kế hoạch) with its "06 rõ" appendix."""
    base = sample_report_document(1)
    columns = (
        Column("TT", 0.5, "center"), Column("Nội dung nhiệm vụ", 3.2), Column("Đơn vị chủ trì", 1.4),
        Column("Đơn vị phối hợp", 1.6), Column("Thời gian thực hiện", 1.2, "center"),
        Column("Kết quả dự kiến", 1.6),
    )
    rows = (
        Row(("I", "Công tác tuyên truyền"), "group"),
        Row(("1", "Quán triệt Chương trình đến công chức, viên chức", "Văn phòng Sở", "Các phòng",
             "Quý III/2026", "Hội nghị quán triệt")),
        Row(("2", "Cử đầu mối phối hợp với Công an tỉnh", "Văn phòng Sở", "", "Thường xuyên",
             "Quyết định cử đầu mối")),
    )
    appendix = Appendix("PHỤ LỤC", "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC \"06 RÕ\"",
                        "(Kèm theo Kế hoạch số 120/KH-SXD ngày 25/6/2026 của Sở Xây dựng)",
                        columns, rows, True, "PhuLuc_06Ro")
    return dataclasses.replace(base, doc_type="KẾ HOẠCH", summary="Triển khai Chương trình năm 2026",
                               appendices=(appendix,), title="Kế hoạch triển khai Chương trình")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    path = write_docx(sample_report_document(30), tmp_path_factory.mktemp("docx") / "bao-cao.docx")
    return path, docx.Document(str(path))


def mm(length) -> float:
    return length / Mm(1)


def test_sections_margins_and_orientation(report):
    _, document = report
    sections = document.sections
    assert len(sections) == 3  # the report, Biểu 01, Biểu 02
    for section in sections:
        assert 20 <= round(mm(section.top_margin), 1) <= 25
        assert 20 <= round(mm(section.bottom_margin), 1) <= 25
        assert 30 <= round(mm(section.left_margin), 1) <= 35
        assert 15 <= round(mm(section.right_margin), 1) <= 20
    main, biểu01, biểu02 = sections
    assert main.orientation == WD_ORIENT.PORTRAIT and round(mm(main.page_width)) == 210
    assert biểu01.orientation == WD_ORIENT.LANDSCAPE and round(mm(biểu01.page_width)) == 297
    assert round(mm(biểu01.page_height)) == 210
    assert biểu02.orientation == WD_ORIENT.PORTRAIT  # Biểu 02 asks for portrait


def test_letterhead(report):
    _, document = report
    left, right = document.tables[0].rows[0].cells
    number_cell, date_cell = document.tables[0].rows[1].cells  # "Số:" and the date share a row: level
    assert left.paragraphs[0].text == "UBND TỈNH ĐẮK LẮK"
    assert left.paragraphs[1].text == "SỞ XÂY DỰNG" and left.paragraphs[1].runs[0].bold
    assert "Số: 12/BC-SXD" in number_cell.text
    assert right.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right.paragraphs[1].text == "Độc lập - Tự do - Hạnh phúc"
    date = next(p for p in date_cell.paragraphs if p.text.startswith("Đắk Lắk, ngày"))
    assert date.text == "Đắk Lắk, ngày 08 tháng 12 năm 2026" and date.runs[0].italic
    # The rules are paragraph borders, not underlines.
    borders = document.tables[0]._tbl.xpath(".//w:pPr/w:pBdr/w:top")
    assert len(borders) == 2


def test_title_body_and_signature(report):
    _, document = report
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    title = document.paragraphs[texts.index("BÁO CÁO")]
    assert title.runs[0].bold and title.alignment == 1  # centred
    heading = document.paragraphs[texts.index("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI")]
    assert heading.style.font.bold
    body = next(p for p in document.paragraphs if p.text.startswith("Thực hiện Kế hoạch số 255"))
    fmt = body.style.paragraph_format
    assert fmt.alignment == 3 and abs(fmt.first_line_indent.cm - 1.27) < 0.01  # justified, indented
    assert fmt.space_after.pt >= 6 and 1.0 <= fmt.line_spacing <= 1.5
    assert any(t.startswith("- Tuyên truyền bảo vệ trẻ em") and "<quán triệt> &" in t for t in texts)
    signature = document.tables[1]
    left, right = signature.rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert [p.text for p in left.paragraphs[1:]] == ["- Công an tỉnh;", "- GĐ, các PGĐ Sở;", "- Lưu: VT, VP."]
    assert right.paragraphs[0].text == "KT. GIÁM ĐỐC" and right.paragraphs[1].text == "PHÓ GIÁM ĐỐC"
    assert right.paragraphs[-1].text == "Lê Công Du" and right.paragraphs[-1].runs[0].bold


def test_appendix_tables(report):
    _, document = report
    tasks, targets = document.tables[2], document.tables[3]
    text = all_text(document)
    for i in range(1, 31):
        assert TASK.format(i) in text
    assert [c.text for c in tasks.rows[0].cells][:3] == ["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì"]
    for table in (tasks, targets):
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:insideH")).get(qn("w:val")) == "single"
    # The group row: "I" in the first cell, its title spanning the other nine.
    group = tasks.rows[1]._tr
    assert group.tc_lst[0].xpath("string(.)") == "I"
    assert group.tc_lst[1].tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == "9"
    assert group.xpath(".//w:b")
    assert tasks.rows[2]._tr.trPr.find(qn("w:cantSplit")) is not None
    assert "=HYPERLINK(\"http://x\") hệ thống CNTT được quản lý an toàn" in text
    assert "(Kèm theo Báo cáo số 12/BC-SXD ngày 08/12/2026 của Sở Xây dựng)" in text


def test_times_new_roman_everywhere(report):
    path, document = report
    fonts = document.styles.element.xpath("./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    normal = document.styles["Normal"].element.rPr.rFonts
    for node in (fonts, normal):
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert node.get(qn(f"w:{attr}")) == "Times New Roman"
        assert node.get(qn("w:asciiTheme")) is None
    assert document.styles["Normal"].font.size.pt == 14


def test_page_numbers_from_page_two(report):
    _, document = report
    main = document.sections[0]
    assert main.different_first_page_header_footer
    assert "PAGE" in main.header._element.xml
    for section in document.sections[1:]:
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"


def test_properties(report):
    _, document = report
    props = document.core_properties
    assert props.title == "Báo cáo kết quả thực hiện Kế hoạch năm 2026"
    assert props.author == "Sở Xây dựng"


def test_plan_document(tmp_path):
    document = docx.Document(str(write_docx(plan_document(), tmp_path / "kh.docx")))
    text = all_text(document)
    assert "KẾ HOẠCH" in text and "PHỤ LỤC" in text
    assert "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC \"06 RÕ\"" in text
    assert "Cử đầu mối phối hợp với Công an tỉnh" in text
    assert document.sections[1].orientation == WD_ORIENT.LANDSCAPE
    assert len(document.tables[2].columns) == 6


def test_text_is_cleaned(tmp_path):
    base = sample_report_document(1)
    doc = dataclasses.replace(base, body=(
        Block("paragraph", "Có ký tự\x07 điều\x00 khiển\x1b"),
        Block("heading3", unicodedata.normalize("NFD", "a) Tiến độ chậm")),
    ), addressees=("Công an tỉnh Đắk Lắk",))
    document = docx.Document(str(write_docx(doc, tmp_path / "c.docx")))
    texts = [p.text for p in document.paragraphs]
    assert "Có ký tự điều khiển" in texts
    assert unicodedata.normalize("NFC", "a) Tiến độ chậm") in texts
    assert "Kính gửi: Công an tỉnh Đắk Lắk" in texts
    heading3 = document.paragraphs[texts.index("a) Tiến độ chậm")]
    assert heading3.style.font.bold and heading3.style.font.italic


def test_document_without_appendices(tmp_path):
    doc = dataclasses.replace(sample_report_document(1), appendices=())
    document = docx.Document(str(write_docx(doc, tmp_path / "x.docx")))
    assert len(document.sections) == 1 and len(document.tables) == 2


def test_thousand_rows_are_quick(tmp_path):
    start = time.perf_counter()
    write_docx(sample_report_document(1000), tmp_path / "big.docx")
    assert time.perf_counter() - start < 5.0
    assert [p.name for p in tmp_path.iterdir()] == ["big.docx"]  # written atomically, nothing left over


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_document(tmp_path):
    path = write_docx(sample_report_document(9), tmp_path / "bc.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bc.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/BC-SXD",
                   "Đắk Lắk, ngày 08 tháng 12 năm 2026", "BÁO CÁO", "Lê Công Du",
                   "KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "Nơi nhận:"):
        assert needle in flat
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # the Quốc hiệu stays on one line
    # Table cells wrap and pdftotext interleaves the columns, so look for each task's distinct ending.
    assert flat.count("Tuyên truyền bảo vệ trẻ") >= 9
    for i in range(1, 10):
        assert re.search(rf"\bsố {i}\b", flat)
