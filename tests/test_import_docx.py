"""Reading tasks from Word documents: appendix tables (merged cells, split tables) and plan text with auto numbering."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from desktop.errors import InvalidInputError
from desktop.importers.detect import read_file
from desktop.importers.docx_tasks import read_docx
from desktop.importers.text_tasks import read_text
from desktop.importers.units import assign_roles
from tests.import_helpers import by_number, seed_text

HEADER = ["TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Kết quả dự kiến"]


def _fill(row, values):
    for cell, value in zip(row.cells, values):
        cell.text = value


def _appendix_document(path):
    d = docx.Document()
    d.add_paragraph("PHỤ LỤC")
    d.add_paragraph("PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH NĂM 2026")
    d.add_paragraph("(Kèm theo Kế hoạch số 45/KH-SYT)")
    table = d.add_table(rows=1, cols=6)
    _fill(table.rows[0], HEADER)
    group = table.add_row()
    merged = group.cells[0].merge(group.cells[5])
    merged.text = "I. CÔNG TÁC TUYÊN TRUYỀN"
    _fill(table.add_row(), ["1", "Tuyên truyền trên Cổng thông tin", "Sở Y tế", "Công an tỉnh, Sở Giáo dục và Đào tạo",
                            "Hằng năm", "Tin, bài"])
    _fill(table.add_row(), ["2", "Tập huấn cho cán bộ y tế", "", "Tỉnh đoàn", "Quý IV/2026", "Lớp tập huấn"])
    table.rows[2].cells[2].merge(table.rows[3].cells[2])  # one lead for both rows
    row = table.add_row()
    _fill(row, ["3", "", "Văn phòng Sở", "", "2027", "Báo cáo"])
    cell = row.cells[1]
    cell.text = "Kiểm tra việc thực hiện:"
    cell.add_paragraph("- tại các bệnh viện;")
    cell.add_paragraph("- tại các trạm y tế.")
    d.add_paragraph("")
    continued = d.add_table(rows=0, cols=6)  # the table goes on after a page break, without its header
    _fill(continued.add_row(), ["4", "Sơ kết, tổng kết", "Văn phòng Sở", "Các phòng chuyên môn", "Năm 2030", "Báo cáo"])
    d.add_paragraph("Ghi chú: báo cáo gửi về Văn phòng Sở.")
    d.save(path)
    return path


def test_appendix_tables_with_merged_cells_and_a_continuation(tmp_path):
    result = read_docx(_appendix_document(tmp_path / "phu-luc.docx"))
    assert result.kind == "docx" and result.layout == "table"
    assert result.title == "PHÂN CÔNG NHIỆM VỤ THỰC HIỆN KẾ HOẠCH NĂM 2026"
    assert result.mapping.table == "Bảng 1" and result.mapping.tables == ["Bảng 1", "Bảng 2"]
    got = [(t.number, t.content, t.lead, t.cooperating, t.timeframe, t.output, t.group, t.source) for t in result.tasks]
    assert got == [
        ("1", "Tuyên truyền trên Cổng thông tin", ["Sở Y tế"], ["Công an tỉnh", "Sở Giáo dục và Đào tạo"], "Hằng năm",
         "Tin, bài", "CÔNG TÁC TUYÊN TRUYỀN", "bảng 1, hàng 3"),
        ("2", "Tập huấn cho cán bộ y tế", ["Sở Y tế"], ["Tỉnh đoàn"], "Quý IV/2026", "Lớp tập huấn",
         "CÔNG TÁC TUYÊN TRUYỀN", "bảng 1, hàng 4"),
        ("3", "Kiểm tra việc thực hiện:\n- tại các bệnh viện;\n- tại các trạm y tế.", ["Văn phòng Sở"], [], "2027",
         "Báo cáo", "CÔNG TÁC TUYÊN TRUYỀN", "bảng 1, hàng 5"),
        ("4", "Sơ kết, tổng kết", ["Văn phòng Sở"], ["Các phòng chuyên môn"], "Năm 2030", "Báo cáo",
         "CÔNG TÁC TUYÊN TRUYỀN", "bảng 2, hàng 1"),
    ]


def test_two_row_header_in_word(tmp_path):
    d = docx.Document()
    table = d.add_table(rows=3, cols=6)
    _fill(table.rows[0], ["STT", "Nhiệm vụ", "Đơn vị thực hiện", "", "Thời hạn", "Sản phẩm"])
    _fill(table.rows[1], ["", "", "Chủ trì", "Phối hợp", "", ""])
    for column in (0, 1, 4, 5):
        top = table.rows[0].cells[column]
        text = top.text
        top.merge(table.rows[1].cells[column]).text = text
    table.rows[0].cells[2].merge(table.rows[0].cells[3]).text = "Đơn vị thực hiện"
    _fill(table.rows[2], ["1", "Khám sàng lọc", "Sở Y tế", "UBND các xã, phường", "Quý II/2027", "Danh sách"])
    d.save(tmp_path / "hai-dong.docx")
    result = read_docx(tmp_path / "hai-dong.docx")
    assert result.mapping.header_rows == 2
    assert result.mapping.columns == {"number": 0, "content": 1, "lead": 2, "cooperating": 3, "timeframe": 4,
                                      "output": 5}
    assert [(t.number, t.lead, t.cooperating, t.timeframe) for t in result.tasks] == [
        ("1", ["Sở Y tế"], ["UBND các xã, phường"], "Quý II/2027")]


def _add_numbering(document) -> None:
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="-"/></w:lvl>'
        '</w:abstractNum>')
    first_num = numbering.find(f'{{{numbering.nsmap["w"]}}}num')
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def _numbered(document, text: str, level: int) -> None:
    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def test_plan_text_with_word_auto_numbering(tmp_path):
    d = docx.Document()
    _add_numbering(d)
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Triển khai công tác bảo vệ trẻ em năm 2027")
    d.add_paragraph("II. NHIỆM VỤ, GIẢI PHÁP")
    _numbered(d, "Công tác tuyên truyền", 0)
    _numbered(d, "Tuyên truyền trên mạng xã hội.", 1)
    _numbered(d, "Cơ quan chủ trì: Sở Văn hóa, Thể thao và Du lịch.", 2)
    _numbered(d, "Cơ quan phối hợp: Sở Y tế.", 2)
    _numbered(d, "Thời gian thực hiện: Thường xuyên.", 2)
    _numbered(d, "Tổ chức hội thi tìm hiểu pháp luật.", 1)
    _numbered(d, "Cơ quan chủ trì: Sở Tư pháp.", 2)
    _numbered(d, "Công tác kiểm tra", 0)
    _numbered(d, "Kiểm tra liên ngành.", 1)
    d.add_paragraph("- Cơ quan chủ trì: S Y t ; phối hợp: Công an t nh.")
    d.save(tmp_path / "ke-hoach.docx")
    result = read_docx(tmp_path / "ke-hoach.docx")
    assert result.layout == "inline" and result.title == "Triển khai công tác bảo vệ trẻ em năm 2027"
    got = [(t.number, t.content, t.lead, t.cooperating, t.timeframe) for t in result.tasks]
    assert got == [
        ("1.a", "Tuyên truyền trên mạng xã hội.", ["Sở Văn hóa, Thể thao và Du lịch"], ["Sở Y tế"], "Thường xuyên"),
        ("1.b", "Tổ chức hội thi tìm hiểu pháp luật.", ["Sở Tư pháp"], [], ""),
        ("2.a", "Kiểm tra liên ngành.", ["Sở Y tế"], ["Công an tỉnh"], ""),
    ]


@pytest.mark.parametrize("name", ["ke-hoach-thai-nguyen-2026.txt", "cong-van-dak-nong-2024.txt"])
def test_seed_plans_saved_as_word_give_the_same_tasks(tmp_path, name):
    text = seed_text(name)
    d = docx.Document()
    for line in text.split("\n"):
        if line.strip():
            d.add_paragraph(line.replace("**", ""))
    # A layout table (signatures) does not stop the text from being read.
    _fill(d.add_table(rows=1, cols=2).rows[0], ["Nơi nhận:", "KT. CHỦ TỊCH"])
    d.save(tmp_path / "seed.docx")
    from_word = read_file(tmp_path / "seed.docx")
    from_text = read_text(text)
    assert from_word.kind == "docx" and from_word.layout == from_text.layout
    assert [(t.number, t.content, t.lead, t.cooperating, t.timeframe) for t in from_word.tasks] == \
        [(t.number, t.content, t.lead, t.cooperating, t.timeframe) for t in from_text.tasks]


def test_seed_appendix_as_word_table_and_roles(tmp_path):
    lines = [line for line in seed_text("ke-hoach-so-xay-dung-dak-lak-2026.txt").split("\n") if line.count("\t") == 5]
    d = docx.Document()
    d.add_paragraph("KẾ HOẠCH")
    d.add_paragraph("Triển khai thực hiện Chương trình của Sở Xây dựng")
    rows = [line.split("\t") for line in lines if not line.startswith("---")]
    table = d.add_table(rows=0, cols=6)
    for values in rows:
        _fill(table.add_row(), values)
    d.save(tmp_path / "sxd.docx")
    tasks = read_docx(tmp_path / "sxd.docx").tasks
    assert len(tasks) == 9 and tasks[2].cooperating == ["Các đơn vị cung cấp dịch vụ CNTT"]
    assign_roles(tasks, "Các phòng chuyên môn")
    assert {t.number for t in tasks if t.role == "cooperate"} == {"1", "2", "4", "5", "6", "7", "8", "9"}
    assert by_number(tasks)["3"].role is None  # "Các phòng chuyên môn" is not named in task 3


@pytest.mark.parametrize("payload, message", [
    (b"PK\x03\x04broken", "bị hỏng"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Office cũ"),
])
def test_unreadable_word_files(tmp_path, payload, message):
    path = tmp_path / "hong.docx"
    path.write_bytes(payload)
    with pytest.raises(InvalidInputError) as caught:
        read_file(path)
    assert message in caught.value.message


def test_word_file_without_tasks(tmp_path):
    d = docx.Document()
    d.add_paragraph("Giấy mời họp")
    d.add_paragraph("Kính mời đồng chí dự họp lúc 8 giờ.")
    d.save(tmp_path / "moi.docx")
    result = read_file(tmp_path / "moi.docx")
    assert result.tasks == [] and result.kind == "docx"


def test_plan_text_framed_in_a_one_cell_table(tmp_path):
    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).rows[0].cells[0]
    cell.text = "2. Giao Sở Y tế"
    cell.add_paragraph("- Tổ chức khám sàng lọc cho học sinh.")
    cell.add_paragraph("- Báo cáo kết quả trước ngày 30/11 hằng năm.")
    d.save(tmp_path / "khung.docx")
    tasks = read_docx(tmp_path / "khung.docx").tasks
    assert [(t.number, t.lead, t.timeframe) for t in tasks] == [
        ("2.1", ["Sở Y tế"], ""), ("2.2", ["Sở Y tế"], "Trước ngày 30/11 hằng năm")]
