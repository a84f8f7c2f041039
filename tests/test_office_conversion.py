"""The XLSX and DOCX reports opened by LibreOffice (as a clerk's office suite would) and read back as PDF."""

from __future__ import annotations

import re
from dataclasses import replace

import openpyxl
import pytest

from desktop.reporting.document import Letterhead
from desktop.services.documents import write_document
from pdf_layout import need_tool, office_to_pdf, read_pdf
from plan_generator import report_of_plan, TODAY, build_plan, marker

MM = 72 / 25.4


@pytest.fixture(scope="module", params=(9, 300), ids=lambda n: f"{n}-tasks")
def office(request, tmp_path_factory):
    need_tool("pdftotext")
    need_tool("soffice")
    count = request.param
    folder = tmp_path_factory.mktemp(f"office{count}")
    doc = report_of_plan(folder, count)
    xlsx = write_document(doc, "xlsx", folder / "bc_xlsx.xlsx")
    docx = write_document(doc, "docx", folder / "bc_docx.docx")
    return {"count": count, "doc": doc, "xlsx": xlsx, "docx": docx, "folder": folder,
            "xlsx_pdf": read_pdf(office_to_pdf(xlsx, folder / "lo")),
            "docx_pdf": read_pdf(office_to_pdf(docx, folder / "lo"))}


def _reported(count: int) -> list[int]:
    return [i for i in range(1, count + 1) if i % 10 != 7]


def test_xlsx_loses_no_text_past_the_row_height_limit(office):
    text = " ".join(p.text() for p in office["xlsx_pdf"])
    missing = [i for i in _reported(office["count"]) if marker(i) not in text]
    assert not missing, f"results cut off in the printed sheet: {missing[:10]}"
    book = openpyxl.load_workbook(office["xlsx"])
    sheet = book.worksheets[0]
    assert all((d.height or 0) <= 409 for d in sheet.row_dimensions.values())
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(marker(8) in c for c in cells)


def test_xlsx_prints_inside_the_nd30_margins(office):
    for page in office["xlsx_pdf"]:
        words = [w for w in page.words if not (w.text.isdigit() and w.y1 < 20 * MM)]  # page number in the margin
        assert min(w.x0 for w in words) >= 30 * MM - 2, f"page {page.number}: left margin"
        assert max(w.x1 for w in words) <= page.width - 15 * MM + 2, f"page {page.number}: right margin"
        # (a word's box includes the font's ascent, which LibreOffice lets reach a little above the cell)
        assert min(w.y0 for w in words) >= 20 * MM - 4, f"page {page.number}: top margin"
        assert max(w.y1 for w in words) <= page.height - 20 * MM + 2, f"page {page.number}: bottom margin"


def test_xlsx_numbers_and_percentages_are_numbers(office):
    book = openpyxl.load_workbook(office["xlsx"])
    tasks, targets = book.worksheets[:2]
    first = next(r for r in range(8, 20) if tasks.cell(r, 1).value == 1)
    assert tasks.cell(first, 1).data_type == "n"
    values = {row[3].value: row[3].number_format for row in targets.iter_rows(min_row=8) if row[3].value is not None}
    assert values.get(0.95) == "0%" and values.get(1) == "0%"
    assert "95%" in " ".join(p.text() for p in office["xlsx_pdf"])  # shown as a percentage
    numerals = {"I", "II", "III", "IV", "V", "VI"}
    assert {str(tasks.cell(r, 1).value) for r in range(8, tasks.max_row + 1)} & numerals


def test_docx_summary_and_appendices_as_in_the_pdf(office):
    pages = office["docx_pdf"]
    text = " ".join(p.text() for p in pages)
    assert "chi tiết tại Phụ lục I kèm theo" in text and "./." in text and "Biểu 01" not in text
    assert "Phụ lục I" in text and "Phụ lục II" in text and "- Văn phòng Sở (b/c);" in text
    body = [p for p in pages if "Phụ lục I KẾT QUẢ" not in p.text()]
    first_appendix = next(p.number for p in pages if p.width > p.height)
    assert first_appendix - 1 <= (6 if office["count"] == 300 else 4)
    assert body


def test_docx_document_numbers_never_break_at_the_hyphen(office):
    for page in office["docx_pdf"]:
        for line in page.lines:
            last = line.text.replace("\u2011", "-").split()[-1] if line.text.split() else ""
            assert not re.search(r"[0-9/][^\s]*-$", last), f"page {page.number}: line ends in '{last}'"


def test_docx_long_agency_names_wrap_between_words_and_number_stays_level(office, tmp_path):
    doc = office["doc"]
    long_head = Letterhead("ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK", "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
                           doc.letterhead.number_line, doc.letterhead.place_date_line)
    path = write_document(replace(doc, letterhead=long_head, appendices=()), "docx", tmp_path / "long_head.docx")
    first = read_pdf(office_to_pdf(path, tmp_path / "lo"))[0]
    words = list(first.words)
    dak = next(w for w in words if w.text == "ĐẮK")
    lak = next(w for w in words if w.text == "LẮK")
    assert abs(dak.y0 - lak.y0) < 2, "the place name is split over two lines"
    so = next(w for w in words if w.text == "Số:")
    date_word = next(w for w in words if w.text == "ngày" and w.y0 < 200)
    assert abs(so.y1 - date_word.y1) < 3, f"'Số:' at {so.y1:.1f}, date line at {date_word.y1:.1f}"
