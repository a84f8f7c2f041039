"""Reading the "06 rõ" table from Excel workbooks built in the shapes clerks use."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.styles import Font

from desktop.errors import InvalidInputError, KhbcError
from desktop.importers.detect import read_file
from desktop.importers.model import ColumnMapping
from desktop.importers.xlsx_tasks import cell_text, read_xlsx
from resources import resource_path
from tests.import_helpers import by_number


def _clerk_workbook(path):
    """Title rows merged across, a two-row header, column numbers, groups, merged lead, notes under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws["A1"] = "PHỤ LỤC"
    ws.merge_cells("A1:F1")
    ws["A2"] = "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH"
    ws.merge_cells("A2:F2")
    ws["A3"] = "(Kèm theo Kế hoạch số 12/KH-SYT ngày 05/7/2026 của Sở Y tế)"
    ws.merge_cells("A3:F3")
    ws.append([])
    ws.append(["STT", "Nhiệm vụ, giải pháp", "Đơn vị thực hiện", None, "Thời hạn hoàn thành", "Sản phẩm"])  # row 5
    for rng in ("C5:D5", "A5:A6", "B5:B6", "E5:E6", "F5:F6"):
        ws.merge_cells(rng)
    ws.append([None, None, "Chủ trì", "Phối hợp", None, None])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"])
    ws.append(["I", "CÔNG TÁC TUYÊN TRUYỀN", None, None, None, None])  # row 8
    ws.append([1, "Tuyên truyền về bảo vệ trẻ em\ntrên môi trường mạng", "Văn phòng Sở",
               "Phòng Nghiệp vụ Y;\nCông an tỉnh", "Quý III/2026", "Tài liệu tuyên truyền"])
    ws.append([2.0, "Tổ chức hội nghị quán triệt", None, "Các phòng chuyên môn", 2027, None])
    ws.merge_cells("C9:C10")  # one lead for two tasks
    ws.append([])
    ws.append(["II. CÔNG TÁC KIỂM TRA, GIÁM SÁT", None, None, None, None, None])  # row 12
    ws.merge_cells("A12:F12")
    ws.append([3, "Kiểm tra việc thực hiện tại các đơn vị:", "Thanh tra Sở", "Văn phòng Sở",
               datetime(2026, 12, 15), "Báo cáo"])
    ws.append([None, "- kiểm tra tại các bệnh viện;", None, None, None, None])
    ws.append([None, "- kiểm tra tại các trung tâm y tế.", None, None, None, None])
    ws.append([4, "Sơ kết, tổng kết", "Văn phòng Sở", "Công an tỉnh và các đơn vị liên quan",
               "Hằng năm và năm 2030", "Báo cáo sơ kết, tổng kết"])
    ws.append([])
    ws.append(["Ghi chú: các đơn vị báo cáo kết quả trước ngày 10/6 và 10/12 hằng năm."])
    ws.append([None, None, None, "GIÁM ĐỐC"])
    wb.save(path)
    return path


def test_clerk_workbook_is_read_exactly(tmp_path):
    result = read_xlsx(_clerk_workbook(tmp_path / "phu-luc.xlsx"))
    assert result.layout == "table" and result.kind == "xlsx"
    assert result.title == "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI KẾ HOẠCH"
    mapping = result.mapping
    assert mapping.table == "Phụ lục" and mapping.header_row == 5 and mapping.header_rows == 2
    assert mapping.columns == {"number": 0, "content": 1, "lead": 2, "cooperating": 3, "timeframe": 4, "output": 5}
    assert mapping.headers[2] == "Đơn vị thực hiện Chủ trì"
    got = [(t.number, t.content, t.lead, t.cooperating, t.timeframe, t.output, t.group_number, t.group)
           for t in result.tasks]
    assert got == [
        ("1", "Tuyên truyền về bảo vệ trẻ em trên môi trường mạng", ["Văn phòng Sở"],
         ["Phòng Nghiệp vụ Y", "Công an tỉnh"], "Quý III/2026", "Tài liệu tuyên truyền", "I", "CÔNG TÁC TUYÊN TRUYỀN"),
        ("2", "Tổ chức hội nghị quán triệt", ["Văn phòng Sở"], ["Các phòng chuyên môn"], "2027", "",
         "I", "CÔNG TÁC TUYÊN TRUYỀN"),
        ("3", "Kiểm tra việc thực hiện tại các đơn vị:\n- kiểm tra tại các bệnh viện;\n"
              "- kiểm tra tại các trung tâm y tế.", ["Thanh tra Sở"], ["Văn phòng Sở"], "15/12/2026", "Báo cáo",
         "II", "CÔNG TÁC KIỂM TRA, GIÁM SÁT"),
        ("4", "Sơ kết, tổng kết", ["Văn phòng Sở"], ["Công an tỉnh", "Các đơn vị liên quan"],
         "Hằng năm và năm 2030", "Báo cáo sơ kết, tổng kết", "II", "CÔNG TÁC KIỂM TRA, GIÁM SÁT"),
    ]
    assert [t.source for t in result.tasks][0] == "hàng 9 (trang “Phụ lục”)"
    assert any("ghi chú" in w for w in result.warnings)


def _other_order_workbook(path):
    """A cover sheet first; the table starts at column C on row 15 with its columns in another order."""
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "Bìa"
    cover["A1"] = "UBND TỈNH THÁI NGUYÊN"
    cover["A3"] = "Kế hoạch năm 2026"
    ws = wb.create_sheet("Nhiệm vụ 2026")
    for row in range(1, 14):
        ws.cell(row=row, column=3, value=f"Dòng giới thiệu {row}" if row % 4 == 0 else None)
    ws.cell(row=15, column=3, value="Cơ quan phối hợp")
    ws.cell(row=15, column=4, value="Nội dung")
    ws.cell(row=15, column=5, value="TT")
    ws.cell(row=15, column=6, value="Kết quả/sản phẩm")
    ws.cell(row=15, column=7, value="Cơ quan chủ trì")
    ws.cell(row=15, column=8, value="Thời gian thực hiện")
    ws.cell(row=15, column=9, value="Ghi chú")
    rows = [
        ("Sở Giáo dục và Đào tạo, Tỉnh đoàn", "Tập huấn kỹ năng số cho học sinh", "1", "Lớp tập huấn",
         "S Y t", "Hằng năm", "Ưu tiên"),
        ("Các sở, ban, ngành liên quan", "Truyền thông về sức khỏe tâm thần số", "2", "Tin bài",
         "Sở Văn hóa, Thể thao và Du lịch", "Thường xuyên", None),
    ]
    for offset, values in enumerate(rows, start=16):
        for column, value in enumerate(values, start=3):
            ws.cell(row=offset, column=column, value=value)
    wb.save(path)
    return path


def test_columns_in_any_order_on_a_later_sheet(tmp_path):
    result = read_xlsx(_other_order_workbook(tmp_path / "kh.xlsx"))
    assert result.mapping.table == "Nhiệm vụ 2026" and result.mapping.tables == ["Bìa", "Nhiệm vụ 2026"]
    assert result.mapping.header_row == 15
    assert result.mapping.columns == {"cooperating": 2, "content": 3, "number": 4, "output": 5, "lead": 6,
                                      "timeframe": 7}
    tasks = by_number(result.tasks)
    assert tasks["1"].lead == ["Sở Y tế"]  # "S Y t" repaired
    assert tasks["1"].cooperating == ["Sở Giáo dục và Đào tạo", "Tỉnh đoàn"]
    assert tasks["2"].content == "Truyền thông về sức khỏe tâm thần số" and tasks["2"].output == "Tin bài"


def test_user_adjusted_mapping_is_applied(tmp_path):
    path = _other_order_workbook(tmp_path / "kh.xlsx")
    detected = read_xlsx(path).mapping
    swapped = dict(detected.columns, lead=detected.columns["cooperating"], cooperating=detected.columns["lead"])
    again = read_xlsx(path, detected.with_columns(swapped))
    assert by_number(again.tasks)["2"].lead == ["Các sở, ban, ngành liên quan"]
    assert by_number(again.tasks)["2"].cooperating == ["Sở Văn hóa, Thể thao và Du lịch"]
    # The user may also pick another sheet and say which column holds the tasks.
    cover = read_xlsx(path, ColumnMapping(table="Bìa", columns={"content": 0}))
    assert cover.mapping.table == "Bìa"
    assert [(t.content, t.group) for t in cover.tasks] == [("Kế hoạch năm 2026", "UBND TỈNH THÁI NGUYÊN")]


def test_numbered_groups_and_a_header_repeated_on_the_next_page(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    header = ["TT", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Kết quả dự kiến"]
    ws.append(header)
    ws.append(["1", "Công tác tuyên truyền", None, None, None, None])
    ws.append(["1.1", "Tuyên truyền trên cổng thông tin", "Văn phòng", None, "Thường xuyên", "Tin bài"])
    ws.append(["1.2", "Tuyên truyền tại hội nghị", "Văn phòng", None, "Quý IV/2026", None])
    ws.append(header)
    ws.append(["2", "Kiểm tra", None, None, None, None])
    ws.cell(row=6, column=2).font = Font(bold=True)
    ws.append(["2.1", "Kiểm tra ATTT", "Phòng CNTT", "Văn phòng", "Năm 2027", "Biên bản"])
    ws.append([None, None, None, None, None, None])
    wb.save(tmp_path / "nhom.xlsx")
    result = read_xlsx(tmp_path / "nhom.xlsx")
    assert [(t.number, t.group_number, t.group) for t in result.tasks] == [
        ("1.1", "1", "Công tác tuyên truyền"), ("1.2", "1", "Công tác tuyên truyền"), ("2.1", "2", "Kiểm tra")]


def test_seed_appendix_as_a_workbook_gives_the_sample_tasks(tmp_path):
    sample = json.loads(resource_path("sample", "sample_plan.json").read_text(encoding="utf-8"))["tasks"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian thực hiện",
               "Kết quả dự kiến"])
    for spec in sample:
        ws.append([int(spec["number"]), spec["content"], spec["lead"], ", ".join(spec["cooperating"]),
                   spec["timeframe"], spec["output"]])
    wb.save(tmp_path / "sample.xlsx")
    tasks = read_file(tmp_path / "sample.xlsx").tasks
    assert [(t.number, t.content, t.lead, t.cooperating, t.timeframe, t.output) for t in tasks] == [
        (s["number"], s["content"], [s["lead"]], s["cooperating"], s["timeframe"], s["output"]) for s in sample]


def test_rows_without_header_are_read_by_position_with_a_warning(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([1, "Rà soát văn bản", "Sở Tư pháp", "Sở Nội vụ", "Năm 2026"])
    ws.append([2, "Tập huấn", "Sở Nội vụ", None, "Quý II/2027"])
    wb.save(tmp_path / "rows.xlsx")
    result = read_xlsx(tmp_path / "rows.xlsx")
    assert [(t.number, t.lead, t.cooperating, t.timeframe) for t in result.tasks] == [
        ("1", ["Sở Tư pháp"], ["Sở Nội vụ"], "Năm 2026"), ("2", ["Sở Nội vụ"], [], "Quý II/2027")]
    assert result.mapping.header_row == 0 and any("Không thấy dòng tiêu đề" in w for w in result.warnings)


def test_sheet_without_any_table_gives_no_tasks_and_says_why(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.active["B2"] = "Nguyễn Văn A"
    wb.save(tmp_path / "other.xlsx")
    result = read_xlsx(tmp_path / "other.xlsx")
    assert result.tasks == [] and result.mapping.columns == {}
    assert any("Không nhận ra dòng tiêu đề" in w for w in result.warnings)


def test_cell_values_as_clerks_see_them():
    assert cell_text(3.0) == "3" and cell_text(2.5) == "2.5" and cell_text(None) == ""
    assert cell_text(datetime(2026, 9, 30)) == "30/09/2026"


@pytest.mark.parametrize("payload, message", [
    (b"PK\x03\x04 not really a zip", "bị hỏng"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "định dạng Office cũ"),
    (b"%PDF-1.7\n", "PDF"),
])
def test_unreadable_workbooks_give_a_vietnamese_message(tmp_path, payload, message):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(payload)
    with pytest.raises(InvalidInputError) as caught:
        read_file(path)
    assert message in caught.value.message


def test_a_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-xml")
    with pytest.raises(InvalidInputError) as caught:
        read_file(path)
    assert "Excel" in caught.value.message


_CELL = st.one_of(st.none(), st.integers(-5, 40), st.floats(allow_nan=False, allow_infinity=False, width=32),
                  st.sampled_from(["TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Phối hợp", "Thời hạn", "I",
                                   "Ghi chú", "Sở Y tế; Công an tỉnh", "Quý III/2026", "- tiếp", "(1)"]),
                  st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_CELL, min_size=1, max_size=7), max_size=12))
def test_fuzzed_sheets_never_raise(tmp_path, grid):
    wb = openpyxl.Workbook()
    for row in grid:
        wb.active.append(row)
    path = tmp_path / "fuzz.xlsx"
    wb.save(path)
    try:
        result = read_xlsx(path)
    except KhbcError:
        return
    assert all(t.content.strip() for t in result.tasks)
