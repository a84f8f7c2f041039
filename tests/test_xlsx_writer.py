"""Tests of the XLSX writer: re-open the workbook and check content, layout, print setup and formula safety."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import time
import unicodedata
import zipfile

import openpyxl
import pytest

from desktop.reporting.document import AdminDocument, Appendix, Column, Row
from desktop.reporting.xlsx_writer import HEADER_ROW, write_xlsx
from tests.document_samples import TASK_COLUMNS, sample_report_document

TASK = "Tuyên truyền bảo vệ trẻ em trên môi trường mạng trong toàn Sở, nhiệm vụ số {}"
TRICKY = (
    "=HYPERLINK(\"http://x\")",
    "+84 262 3852 123",
    "-5 ngày so với kế hoạch",
    "@SUM(A1:A2)",
    "=1+1",
    "#N/A",
    "007",
)


def plan_document() -> AdminDocument:
    """A plan (Kế hoạch) with its "06 rõ" appendix, built from the report sample's letterhead."""
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


def tricky_document() -> AdminDocument:
    """The report sample plus an appendix of texts that look like formulas, control characters and NFD."""
    base = sample_report_document(3)
    rows = tuple(Row((str(i), text, "x")) for i, text in enumerate(TRICKY, start=1)) + (
        Row(("8", "Có ký tự\x07 điều\x00 khiển\x1b", "y")),
        Row(("9", unicodedata.normalize("NFD", "Tiến độ chậm"), "z")),
    )
    columns = (Column("TT"), Column("Nội dung", 3), Column("Ghi chú"))
    # The same sheet name as Biểu 01, on purpose.
    extra = Appendix("Biểu 03", "KIỂM TRA", "(ghi chú)", columns, rows, False, "Bieu01_NhiemVu")
    return dataclasses.replace(base, appendices=base.appendices + (extra,))


def sheet_texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


@pytest.fixture(scope="module")
def report_book(tmp_path_factory):
    path = write_xlsx(sample_report_document(30), tmp_path_factory.mktemp("xlsx") / "bao-cao.xlsx")
    return path, openpyxl.load_workbook(path)


def test_one_sheet_per_appendix_with_short_unique_names(tmp_path):
    wb = openpyxl.load_workbook(write_xlsx(tricky_document(), tmp_path / "t.xlsx"))
    assert wb.sheetnames[:2] == ["Bieu01_NhiemVu", "Bieu02_ChiTieu"]
    assert len(wb.sheetnames) == 3 and len(set(n.lower() for n in wb.sheetnames)) == 3
    assert all(len(n) <= 31 for n in wb.sheetnames)


def test_every_task_and_header_is_in_the_sheet(report_book):
    path, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    texts = sheet_texts(ws)
    for i in range(1, 31):
        assert TASK.format(i) in texts
    headers = [ws.cell(HEADER_ROW, c).value for c in range(1, len(TASK_COLUMNS) + 1)]
    assert headers == [c.title for c in TASK_COLUMNS]
    assert ws.cell(HEADER_ROW, 1).font.b and ws.cell(HEADER_ROW, 1).border.left.style == "thin"
    assert ws.max_column == len(TASK_COLUMNS)
    assert ws.max_row == HEADER_ROW + 31  # one group row and 30 tasks


def test_title_lines_above_the_table(report_book):
    _, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    assert ws["A1"].value == "UBND TỈNH ĐẮK LẮK"
    assert ws["A2"].value == "SỞ XÂY DỰNG" and ws["A2"].font.b
    assert ws["A3"].value == "Biểu 01" and ws["A3"].font.b
    assert ws["A4"].value == "KẾT QUẢ THỰC HIỆN NHIỆM VỤ" and ws["A4"].alignment.horizontal == "center"
    assert ws["A5"].value.startswith("(Kèm theo Báo cáo số 12/BC-SXD") and ws["A5"].font.i
    merged = {str(r) for r in ws.merged_cells.ranges}
    last = openpyxl.utils.get_column_letter(len(TASK_COLUMNS))
    assert {f"A3:{last}3", f"A4:{last}4", f"A5:{last}5"} <= merged
    assert ws["A1"].font.name == "Times New Roman"


def test_group_row_is_bold_and_merged(report_book):
    _, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    r = HEADER_ROW + 1
    assert ws.cell(r, 1).value == "I" and ws.cell(r, 2).value == "Công tác tuyên truyền, phổ biến"
    assert ws.cell(r, 2).font.b
    last = openpyxl.utils.get_column_letter(len(TASK_COLUMNS))
    assert f"B{r}:{last}{r}" in {str(m) for m in ws.merged_cells.ranges}


def test_data_cells_are_bordered_wrapped_and_aligned(report_book):
    _, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    r = HEADER_ROW + 2
    for col in range(1, len(TASK_COLUMNS) + 1):
        cell = ws.cell(r, col)
        assert cell.border.left.style == cell.border.bottom.style == "thin"
        assert cell.alignment.wrap_text and cell.alignment.vertical == "top"
    assert ws.cell(r, 1).alignment.horizontal == "center"
    assert ws.cell(r, 2).alignment.horizontal == "left"
    assert ws.cell(r, 1).value == 1 and ws.cell(r, 1).data_type == "n"  # TT is a number (sortable)


def test_print_setup(report_book):
    _, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    assert ws.print_options.horizontalCentered
    mm = {side: getattr(ws.page_margins, side) * 25.4 for side in ("left", "right", "top", "bottom")}
    assert 30 <= round(mm["left"], 3) <= 35 and 15 <= round(mm["right"], 3) <= 20  # Nghị định 30/2020
    assert 20 <= round(mm["top"], 3) <= 25 and 20 <= round(mm["bottom"], 3) <= 25
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert wb["Bieu02_ChiTieu"].page_setup.orientation == "portrait"


def test_column_widths_and_row_heights(report_book):
    _, wb = report_book
    ws = wb["Bieu01_NhiemVu"]
    widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, 11)]
    assert 140 <= sum(widths) <= 160
    assert widths[1] == max(widths)  # "Nội dung nhiệm vụ" has the largest weight
    portrait = wb["Bieu02_ChiTieu"]
    assert 85 <= sum(portrait.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                     for c in range(1, 6)) <= 105
    group_height = ws.row_dimensions[HEADER_ROW + 1].height
    task_height = ws.row_dimensions[HEADER_ROW + 2].height
    assert group_height and task_height and task_height >= 2.5 * group_height  # wrapped text gets room


def test_formula_like_texts_stay_text(tmp_path):
    path = write_xlsx(tricky_document(), tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in TRICKY:
                    found[cell.value] = cell
    assert set(found) == set(TRICKY)
    for text, cell in found.items():
        assert cell.data_type == "s" and cell.value == text
    assert found["=1+1"].quotePrefix
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name).decode("utf-8")
                assert not re.search(r"<(\w+:)?f[ >/]", xml), name


def test_control_characters_removed_and_text_nfc(tmp_path):
    wb = openpyxl.load_workbook(write_xlsx(tricky_document(), tmp_path / "t.xlsx"))
    texts = [t for ws in wb.worksheets for t in sheet_texts(ws)]
    assert "Có ký tự điều khiển" in texts
    assert unicodedata.normalize("NFC", "Tiến độ chậm") in texts
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", t) for t in texts)


def test_document_properties_and_atomic_write(tmp_path):
    path = write_xlsx(sample_report_document(2), tmp_path / "out" / "bc.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.properties.creator == "KHBC"
    assert wb.properties.title == "Báo cáo kết quả thực hiện Kế hoạch năm 2026"
    assert [p.name for p in path.parent.iterdir()] == ["bc.xlsx"]  # no temporary file left behind


def test_plan_appendix(tmp_path):
    wb = openpyxl.load_workbook(write_xlsx(plan_document(), tmp_path / "kh.xlsx"))
    assert wb.sheetnames == ["PhuLuc_06Ro"]
    ws = wb.active
    assert ws["A3"].value == "PHỤ LỤC"
    assert ws["A4"].value == "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC \"06 RÕ\""
    assert [ws.cell(HEADER_ROW, c).value for c in range(1, 7)][-1] == "Kết quả dự kiến"
    assert "Cử đầu mối phối hợp với Công an tỉnh" in sheet_texts(ws)


def test_document_without_appendices_still_gives_a_sheet(tmp_path):
    doc = dataclasses.replace(sample_report_document(1), appendices=())
    wb = openpyxl.load_workbook(write_xlsx(doc, tmp_path / "x.xlsx"))
    assert len(wb.sheetnames) == 1
    texts = sheet_texts(wb.active)
    assert "BÁO CÁO" in texts and "SỞ XÂY DỰNG" in texts
    assert any("không có phụ lục" in t for t in texts)


def test_thousand_rows_are_quick(tmp_path):
    doc = sample_report_document(1000)
    start = time.perf_counter()
    write_xlsx(doc, tmp_path / "big.xlsx")
    assert time.perf_counter() - start < 5.0


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_the_workbook(tmp_path):
    path = write_xlsx(sample_report_document(5), tmp_path / "bc.xlsx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "bc.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in text
    assert "=HYPERLINK" in text  # printed as text, not evaluated
    flat = re.sub(r"\s+", " ", text)
    assert flat.count("Tuyên truyền bảo vệ trẻ") == 5 and re.search(r"\bsố 5\b", flat)
