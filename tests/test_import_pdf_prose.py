"""Issue 16: PDF input, assignments written as sentences, units as data, "not a plan", confidence, the corpus score."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.errors import KhbcError
from desktop.importers.detect import read_file
from desktop.importers.prose import read_assignments
from desktop.importers.text_tasks import read_text
from desktop.importers.unit_names import add_variants, read_name
from desktop.importers.units import names_match
from desktop.services.task_import import preview_import
from tests.import_helpers import seed_text
from tests.score_import_corpus import CORPUS, make_pdf, score, totals
from tests.test_import_service import counts, run


def test_sentence_assignments_in_the_shapes_of_real_letters():
    found = read_assignments("UBND tỉnh giao Sở Xây dựng chủ trì, phối hợp với Sở Tài chính, Sở Tư pháp và các đơn vị "
                             "liên quan xây dựng quy chế quản lý quỹ nhà ở, trình trước ngày 30/4/2027.")
    assert [(a.lead, a.cooperating, a.timeframe) for a in found] == [
        (["Sở Xây dựng"], ["Sở Tài chính", "Sở Tư pháp", "Các đơn vị liên quan"], "Trước ngày 30/4/2027")]
    assert found[0].content.startswith("Xây dựng quy chế")
    two = read_assignments("Sở Y tế bảo đảm thuốc, trang thiết bị, trong khi Sở Tài chính chủ trì cân đối kinh phí.")
    assert [a.lead for a in two] == [["Sở Y tế"], ["Sở Tài chính"]]
    abbreviated = read_assignments("Sở KH-CN chủ trì phối hợp Sở TT&TT, CA tỉnh tổ chức hội thảo.")
    assert abbreviated[0].lead == ["Sở Khoa học và Công nghệ"]
    assert abbreviated[0].cooperating == ["Sở Thông tin và Truyền thông", "Công an tỉnh"]


def test_a_recipient_or_a_report_is_not_an_assignment():
    assert read_assignments("Định kỳ báo cáo kết quả về Sở Tư pháp trước ngày 10/12.") == []
    assert read_assignments("Sở Y tế đã tổ chức 12 lớp tập huấn cho cán bộ y tế.") == []


def test_look_alikes_typos_and_missing_diacritics():
    assert not names_match("Ủy ban Dân tộc", "Ban Dân tộc tỉnh")
    assert read_name("Ủy ban Dân tộc hướng dẫn").name == "Ủy ban Dân tộc"
    assert read_name("Ủy ban nhân dân tình giao").name == "Ủy ban nhân dân tỉnh"
    assert read_name("So Giao duc va Dao tao chu tri").name == "Sở Giáo dục và Đào tạo"
    assert read_name("ban hành kế hoạch") is None


def test_the_clerks_own_variant_is_understood():
    assert read_name("Sở KHCNMT chủ trì").known is False
    add_variants({"Sở KHCNMT": "Sở Khoa học và Công nghệ"})
    assert read_name("Sở KHCNMT chủ trì").name == "Sở Khoa học và Công nghệ"


def test_a_numbered_item_without_a_colon_gives_the_unit_not_a_sentence_as_lead():
    result = read_text("II. TỔ CHỨC THỰC HIỆN\n2. Sở Nội vụ là cơ quan thường trực, có trách nhiệm theo dõi.\n"
                       "3. Sở Tư pháp tham mưu triển khai nội dung liên quan đến Luật Phòng, chống tham nhũng\n"
                       "4. Thanh tra tỉnh thành lập đoàn kiểm tra\n")
    assert [t.lead for t in result.tasks] == [["Sở Nội vụ"], ["Sở Tư pháp"], ["Thanh tra tỉnh"]]
    assert {t.read_as for t in result.tasks} == {"sentence"}


def test_paragraphs_not_understood_are_listed_and_items_without_lead_are_not_ticked():
    preview = preview_import("II. NHIỆM VỤ\n1. Sở Y tế chủ trì tổ chức khám sàng lọc cho trẻ em.\n"
                             "- Tăng cường công tác phối hợp giữa các cấp.\n"
                             "Kinh phí được bố trí từ ngân sách nhà nước theo phân cấp hiện hành.\n")
    rows = {r.task.content: r for r in preview.rows}
    assert rows["Tổ chức khám sàng lọc cho trẻ em"].selected
    loose = rows["Tăng cường công tác phối hợp giữa các cấp."]
    assert not loose.selected and loose.task.doubts == ["chưa rõ đơn vị chủ trì"]
    assert [text for _, text in preview.unrecognised] == [
        "Kinh phí được bố trí từ ngân sách nhà nước theo phân cấp hiện hành."]


def test_a_report_is_said_not_to_be_a_plan_and_nothing_is_ticked():
    preview = preview_import(CORPUS / "bc-ket-qua-khong-phai-ke-hoach.txt")
    assert "không giống kế hoạch" in preview.not_a_plan and preview.warnings[0] == preview.not_a_plan
    assert not preview.selected_rows()


def _pdf(tmp_path, name="qd-giao-nhiem-vu-cau-van.txt"):
    path = tmp_path / "van-ban.pdf"
    make_pdf((CORPUS / name).read_text(encoding="utf-8"), path, "Quyết định số 1520/QĐ-UBND")
    return path


def test_cli_reads_a_pdf_with_confidence_in_json(capsys, tmp_path, db_path):
    code, out, err = run(capsys, "import-tasks", str(_pdf(tmp_path)), "--unit", "Sở Tài chính", "--role", "any",
                         "--dry-run", "--json", "--db", str(db_path))
    assert code == 0, err
    data = json.loads(out)
    lead = next(t for t in data if t["role"] == "lead")
    assert lead["lead"] == ["Sở Tài chính"] and lead["timeframe"] == "Quý III/2027"
    assert lead["read_as"] == "sentence" and lead["confidence"] == "medium" and lead["doubts"] == []
    assert "Không nhận ra" in err and not db_path.exists()


def test_pdf_furniture_is_dropped(tmp_path):
    text = (CORPUS / "phu-luc-bang-dai.txt").read_text(encoding="utf-8")
    path = tmp_path / "phu-luc.pdf"
    make_pdf(text, path, "Phụ lục Kế hoạch cải cách hành chính năm 2027")
    result = read_file(path)
    assert len(result.tasks) == 14 and result.kind == "pdf"
    assert not any("Phụ lục Kế hoạch cải cách" in t.content or t.content.strip().isdigit() for t in result.tasks)
    assert result.tasks[-1].timeframe == "Định kỳ trước ngày 15/6 và 15/12 hằng năm"


def test_a_scanned_pdf_gets_a_clear_vietnamese_message(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    path = tmp_path / "ban-quet.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    for y in range(100, 700, 14):
        page.rect(80, y, 420, 6, fill=1)  # lines of "print" drawn as shapes, the way a scan looks to a reader
    page.save()
    with pytest.raises(KhbcError) as caught:
        preview_import(path)
    assert "không có lớp chữ" in caught.value.message and "bản quét" in caught.value.message


def test_old_office_file_without_libreoffice_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("desktop.importers.office_convert.find_office", lambda: None)
    path = tmp_path / "cu.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(KhbcError) as caught:
        read_file(path)
    assert "LibreOffice" in caught.value.message


_VALID_PDF: list[bytes] = []


def _valid_pdf(tmp_path_factory) -> bytes:
    if not _VALID_PDF:
        folder = tmp_path_factory.mktemp("pdf")
        _VALID_PDF.append(_pdf(folder, "kh-muc-so-khong-hai-cham.txt").read_bytes())
    return _VALID_PDF[0]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(cuts=st.lists(st.tuples(st.integers(0, 30000), st.integers(1, 400), st.binary(max_size=40)), max_size=6),
       truncate=st.one_of(st.none(), st.integers(8, 30000)))
def test_fuzzed_pdfs_raise_only_clear_errors_and_write_nothing(sample_workspace, tmp_path_factory, cuts, truncate):
    data = bytearray(_valid_pdf(tmp_path_factory))
    for at, length, junk in cuts:
        at %= len(data)
        data[at:at + length] = junk
    if truncate is not None:
        data = data[:truncate]
    path = tmp_path_factory.mktemp("fuzz") / "hong.pdf"
    path.write_bytes(bytes(data))
    before = counts(sample_workspace)
    try:
        preview = preview_import(path, unit_name="Sở Nội vụ")
    except KhbcError as exc:
        assert exc.message and "Traceback" not in exc.message and "Error" not in exc.message
    else:
        assert all(r.task.content for r in preview.rows)
    assert counts(sample_workspace) == before


@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.one_of(st.text(max_size=120), st.sampled_from([
    "UBND tỉnh giao ", "Sở Y tế ", "chủ trì, phối hợp với ", "Sở KH&CN, ", "và các đơn vị liên quan ", "trong khi ",
    "Đề nghị ", "UBND các huyện, thành phố: ", "1. ", "- ", "a) ", ". ", "; ", "\n", "Cơ quan chủ trì: ", "(",
    "Ủy ban Dân tộc ", "trước ngày 30/4/2027"])), max_size=30).map("".join))
def test_fuzzed_prose_never_raises(text):
    result = read_text(text)
    for task in result.tasks:
        assert task.content and all(isinstance(n, str) and n for n in task.lead + task.cooperating)
        assert task.read_as in ("table", "labelled", "sentence")


def test_the_seeds_still_read_in_full():
    assert len(read_text(seed_text("ke-hoach-thai-nguyen-2026.txt")).tasks) == 28
    assert len(read_text(seed_text("cong-van-dak-nong-2024.txt")).tasks) == 13


def test_corpus_score(tmp_path):
    rows = score(tmp_path)
    t = totals(rows)
    assert t["documents"] >= 15 and t["plans"] >= 15
    assert t["found"] >= 0.95 * t["expected"], rows
    assert t["units_exact"] >= 0.90 * t["expected"], rows
    assert t["plans_without_tasks"] == []
    assert t["not_plans_recognised"] == t["not_plans"] >= 2


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice is not installed")
def test_an_old_word_file_is_read_through_libreoffice(tmp_path):
    import subprocess

    from tests.score_import_corpus import make_docx

    source = tmp_path / "kh.docx"
    make_docx((CORPUS / "kh-muc-so-khong-hai-cham.txt").read_text(encoding="utf-8"), source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180, check=False)
    old = tmp_path / "kh.doc"
    assert old.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    leads = [t.lead for t in read_file(old).tasks]
    assert ["Sở Nội vụ"] in leads and ["Thanh tra tỉnh"] in leads
