"""PDF writer tests that read the output back with poppler-utils, the way a clerk's tools see it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from html import unescape
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.errors import FontNotFoundError  # noqa: E402
from desktop.reporting import fonts  # noqa: E402
from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Row  # noqa: E402
from desktop.reporting.pdf_writer import write_pdf  # noqa: E402
from tests.document_samples import sample_report_document  # noqa: E402

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdftotext", "pdffonts", "pdfinfo")),
    reason="poppler-utils (pdftotext, pdffonts, pdfinfo) is not installed: apt-get install poppler-utils",
)

MM = 72 / 25.4
A4_W, A4_H = 595.28, 841.89
TOL = 0.5  # points


# ---------------------------------------------------------------- reading PDFs back


def text(pdf: Path, *args: str, first: int | None = None, last: int | None = None) -> str:
    cmd = ["pdftotext", *args]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    return subprocess.run([*cmd, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def flat(s: str) -> str:
    return " ".join(s.split())


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def page_size(pdf: Path, page: int) -> tuple[float, float]:
    out = subprocess.run(["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)],
                         check=True, capture_output=True, text=True).stdout
    m = re.search(rf"Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", out)
    return float(m.group(1)), float(m.group(2))


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words(pdf: Path, page: int) -> tuple[tuple[float, float], list[tuple[float, float, float, float, str]]]:
    """(page width, height), [(xMin, yMin, xMax, yMax, word)] of one page, y measured from the top."""
    html = text(pdf, "-bbox", first=page, last=page)
    w, h = map(float, _PAGE.search(html).groups())
    return (w, h), [(float(a), float(b), float(c), float(d), unescape(t)) for a, b, c, d, t in _WORD.findall(html)]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="module")
def report9(out_dir) -> tuple[AdminDocument, Path]:
    doc = sample_report_document(9)
    return doc, write_pdf(doc, out_dir / "report9.pdf")


@pytest.fixture(scope="module")
def report60(out_dir) -> tuple[AdminDocument, Path]:
    doc = sample_report_document(60)
    return doc, write_pdf(doc, out_dir / "report60.pdf")


def plan_document(rows: tuple[Row, ...] | None = None, body_paragraphs: int = 3) -> AdminDocument:
    base = sample_report_document(1)
    columns = (Column("TT", 0.5, "center"), Column("Nội dung nhiệm vụ", 3.2), Column("Đơn vị chủ trì", 1.3),
               Column("Đơn vị phối hợp", 1.6), Column("Thời gian thực hiện", 1.2, "center"),
               Column("Kết quả dự kiến", 1.6))
    if rows is None:
        rows = (Row(("I", "NHIỆM VỤ CHUNG"), "group"),) + tuple(
            Row((str(i), f"Quán triệt nội dung Chương trình, nhiệm vụ kế hoạch {i}", "Văn phòng Sở",
                 "Các phòng chuyên môn", "Quý III/2026", "Hội nghị")) for i in range(1, 31))
    body = (Block("paragraph", "Căn cứ Quyết định số 468/QĐ-TTg, Sở Xây dựng ban hành Kế hoạch như sau:"),
            Block("heading1", "I. MỤC ĐÍCH, YÊU CẦU"),
            *(Block("paragraph", f"Đoạn nội dung số {k}: " + "bảo đảm rõ người, rõ việc, rõ thời gian. " * 8)
              for k in range(body_paragraphs)),
            Block("heading1", "II. TỔ CHỨC THỰC HIỆN"),
            Block("paragraph", "Đoạn cuối cùng của kế hoạch trước chữ ký."))
    return replace(
        base, doc_type="KẾ HOẠCH", summary="Triển khai thực hiện Chương trình năm 2026", body=body,
        letterhead=replace(base.letterhead, number_line="Số: 120/KH-SXD"),
        appendices=(Appendix("PHỤ LỤC", 'PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC "06 RÕ"',
                             "(Kèm theo Kế hoạch số 120/KH-SXD ngày 25/6/2026 của Sở Xây dựng)",
                             columns, rows, True, "PhuLuc"),),
        addressees=("Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk",),
    )


# ---------------------------------------------------------------- content


@pytest.mark.parametrize("fixture", ["report9", "report60"])
def test_header_body_tasks_and_signature_are_printed(fixture, request):
    doc, pdf = request.getfixturevalue(fixture)
    layout = text(pdf, "-layout")
    for line in ("UBND TỈNH ĐẮK LẮK", "SỞ XÂY DỰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: 12/BC-SXD", "Đắk Lắk, ngày 08 tháng 12 năm 2026",
                 "BÁO CÁO", "Nơi nhận:", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Công Du", "- Lưu: VT, VP."):
        assert line in layout, line  # each on one printed line
    # Table cells wrap, so -layout interleaves columns; content order per cell is checked on -raw text.
    raw = flat(text(pdf, "-raw"))
    for row in doc.appendices[0].rows:
        assert flat(row.cells[1]) in raw, row.cells[1]
    for block in doc.body:
        assert flat(block.text) in raw, block.text


def test_only_embedded_fonts(report9, report60):
    for _, pdf in (report9, report60):
        out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
        rows = out.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            # columns: name type encoding emb sub uni object-ID (the type may contain a space: "Type 1")
            fields = row.split()
            assert fields[-5] == "yes", row


def test_metadata(report9):
    doc, pdf = report9
    meta = info(pdf)
    assert meta["Title"] == doc.title
    assert meta["Author"] == "Sở Xây dựng"
    assert meta["Creator"] == "KHBC"


def test_page_one_margins_inside_decree_ranges(report9):
    _, pdf = report9
    (w, h), boxes = words(pdf, 1)
    assert (round(w, 1), round(h, 1)) == (595.3, 841.9)
    assert min(b[0] for b in boxes) >= 30 * MM - TOL
    assert max(b[2] for b in boxes) <= w - 15 * MM + TOL
    assert min(b[1] for b in boxes) >= 20 * MM - TOL
    assert max(b[3] for b in boxes) <= h - 20 * MM + TOL


def test_header_lines_are_single_and_aligned(report9):
    _, pdf = report9
    _, boxes = words(pdf, 1)

    def line_of(first: str, last: str):
        start = next(i for i, b in enumerate(boxes) if b[4] == first)
        end = next(i for i in range(start, len(boxes)) if boxes[i][4] == last)
        return boxes[start:end + 1]

    national = line_of("CỘNG", "NAM")
    assert len({round(b[1]) for b in national}) == 1, "Quốc hiệu wraps"
    so, date = line_of("Số:", "Số:")[0], line_of("Đắk", "2026")
    assert abs(so[3] - date[-1][3]) < 1.5, "Số and the date line are not on one baseline"
    # Left block left of the right block, nothing overlapping.
    agency = line_of("UBND", "LẮK")
    assert max(b[2] for b in agency) < min(b[0] for b in national)


def test_page_numbers_from_page_two_centred_in_top_margin(report9):
    """NĐ 30/2020: no number on page 1; each appendix is numbered on its own, from its second page."""
    doc, pdf = report9
    (w, _), first = words(pdf, 1)
    assert not [b for b in first if b[3] < 20 * MM], "page 1 must not carry a page number"
    headings = [a.heading for a in doc.appendices]
    expected = 1
    appendix_starts = 0
    for page in range(2, page_count(pdf) + 1):
        (w, _), boxes = words(pdf, page)
        top = [b for b in boxes if b[3] < 20 * MM]
        starts_appendix = flat(text(pdf, first=page, last=page)).startswith(tuple(headings))
        if starts_appendix:
            appendix_starts += 1
            expected = 1
            assert top == [], (page, top)
            continue
        expected += 1
        assert [b[4] for b in top] == [str(expected)], (page, top)
        centre = (top[0][0] + top[0][2]) / 2
        text_centre = 30 * MM + (w - 45 * MM) / 2
        assert abs(centre - text_centre) < 2, (page, centre, text_centre)
    assert appendix_starts == len(doc.appendices)


def test_landscape_appendix_pages_and_repeated_header(report60):
    doc, pdf = report60
    pages = page_count(pdf)
    landscape_pages = [p for p in range(1, pages + 1) if page_size(pdf, p)[0] > 800]
    assert page_size(pdf, 1) == pytest.approx((A4_W, A4_H), abs=0.1)
    assert len(landscape_pages) >= 3, "60 tasks should fill several landscape pages"
    assert page_size(pdf, landscape_pages[0]) == pytest.approx((841.89, 595.28), abs=0.1)
    assert landscape_pages == list(range(landscape_pages[0], landscape_pages[-1] + 1))
    for p in landscape_pages:
        page_text = flat(text(pdf, "-layout", first=p, last=p))
        assert "Nội dung nhiệm vụ" in page_text and "TT" in page_text, f"header row missing on page {p}"
    first_appendix = flat(text(pdf, first=landscape_pages[0], last=landscape_pages[0]))
    assert "Biểu 01" in first_appendix and "KẾT QUẢ THỰC HIỆN NHIỆM VỤ" in first_appendix
    # Biểu 02 is portrait, on its own page after the landscape ones.
    last = pages
    assert page_size(pdf, last)[0] < 600
    assert "Biểu 02" in text(pdf, first=last, last=last)


def test_every_landscape_page_respects_margins(report60):
    _, pdf = report60
    for p in range(1, page_count(pdf) + 1):
        (w, h), boxes = words(pdf, p)
        body = [b for b in boxes if b[3] > 20 * MM]  # the page number lives in the top margin
        assert min(b[0] for b in body) >= 30 * MM - TOL, p
        assert max(b[2] for b in body) <= w - 15 * MM + TOL, p
        assert max(b[3] for b in body) <= h - 20 * MM + TOL, p


def test_user_markup_prints_literally(out_dir):
    base = sample_report_document(2)
    nasty = "Tăng <b>&</b> giảm & <i>x</i> <br/> 5 < 6 > 4 &amp;"
    doc = replace(
        base,
        body=(*base.body, Block("paragraph", nasty)),
        appendices=(replace(base.appendices[0], rows=(Row(("1", "Ô có <b>& trong bảng", "", "")),)),),
    )
    raw = flat(text(write_pdf(doc, out_dir / "markup.pdf"), "-raw"))
    assert flat(nasty) in raw
    assert "Ô có <b>& trong bảng" in raw
    assert "<quán triệt> & phổ biến" in raw  # from the sample body


def test_text_is_nfc_normalised(out_dir):
    base = sample_report_document(1)
    decomposed = unicodedata.normalize("NFD", "Tiếng Việt có dấu: Hoàn thành nhiệm vụ")
    doc = replace(base, body=(Block("paragraph", decomposed),), appendices=())
    raw = text(write_pdf(doc, out_dir / "nfd.pdf"), "-raw")
    assert unicodedata.normalize("NFC", decomposed) in flat(raw)


def test_plan_with_06_ro_appendix(out_dir):
    doc = plan_document()
    pdf = write_pdf(doc, out_dir / "plan.pdf")
    layout = text(pdf, "-layout")
    assert "KẾ HOẠCH" in layout and "Số: 120/KH-SXD" in layout
    assert "Kính gửi: Ủy ban nhân dân tỉnh Đắk Lắk" in layout
    assert "PHỤ LỤC" in layout and 'PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC "06 RÕ"' in layout
    raw = flat(text(pdf, "-raw"))
    for i in range(1, 31):
        assert f"nhiệm vụ kế hoạch {i}" in raw
    appendix_pages = [p for p in range(1, page_count(pdf) + 1) if page_size(pdf, p)[0] > 800]
    for p in appendix_pages:
        assert "Đơn vị chủ trì" in text(pdf, "-layout", first=p, last=p)


def test_very_tall_row_splits_inside_the_row(out_dir):
    def long_cell(tag: str) -> str:
        return " ".join(f"{tag}{i:04d}" for i in range(1000))  # ~ 6,000 characters

    assert len(long_cell("ab")) >= 6000
    rows = (Row(("I", "NHÓM MỘT"), "group"), Row(("1", "Nhiệm vụ ngắn", "A", "B", "Quý I", "C")),
            Row(("2", long_cell("từ"), "A", "B", "Quý II", "C")),
            Row(("II", "NHÓM HAI"), "group"), Row(("3", long_cell("xy"), "A", "B", "Quý III", "C")),
            Row(("4", "Nhiệm vụ sau hàng dài", "A", "B", "Quý IV", "C")))
    pdf = write_pdf(plan_document(rows), out_dir / "tall.pdf")
    raw = text(pdf, "-raw")
    for tag in ("từ", "xy"):
        found = re.findall(rf"{tag}(\d{{4}})", raw)
        assert [int(x) for x in found] == list(range(1000)), f"{tag}: words lost or repeated at a split"
    assert "Nhiệm vụ sau hàng dài" in flat(raw) and "NHÓM HAI" in raw
    appendix_pages = [p for p in range(1, page_count(pdf) + 1) if page_size(pdf, p)[0] > 800]
    assert len(appendix_pages) >= 4
    for p in appendix_pages:
        # the header row opens every page, and only there (never again lower on the same page)
        assert text(pdf, first=p, last=p).count("Nội dung nhiệm vụ") == 1, p
    # a row taller than a page starts right under what precedes it, not on a fresh page
    first = text(pdf, "-raw", first=appendix_pages[0], last=appendix_pages[0])
    assert "từ0000" in first


def test_blank_number_and_date_keep_their_gaps(out_dir):
    doc = plan_document(())
    doc = replace(doc, letterhead=replace(doc.letterhead, number_line="Số:      /BC-SXD",
                                          place_date_line="Đắk Lắk, ngày      tháng      năm 2026"))
    (_, _), boxes = words(write_pdf(doc, out_dir / "blank.pdf"), 1)
    so = next(b for b in boxes if b[4] == "Số:")
    suffix = next(b for b in boxes if b[4].endswith("/BC-SXD"))
    assert suffix[0] - so[2] > 15, "the gap for the hand-written number was collapsed"


def _body_pages(pdf: Path) -> list[str]:
    return [text(pdf, "-layout", first=p, last=p) for p in range(1, page_count(pdf) + 1)
            if page_size(pdf, p)[0] < 600 and "PHỤ LỤC" not in text(pdf, first=p, last=p)]


@pytest.mark.parametrize("paragraphs", range(2, 16))
def test_signature_keeps_last_paragraph_and_headings_keep_their_text(out_dir, paragraphs):
    doc = plan_document(body_paragraphs=paragraphs)
    pages = _body_pages(write_pdf(doc, out_dir / f"keep{paragraphs}.pdf"))
    sign_page = next(p for p in pages if "Lê Công Du" in p)
    assert "Nơi nhận:" in sign_page and "PHÓ GIÁM ĐỐC" in sign_page
    assert "Đoạn cuối cùng của kế hoạch trước chữ ký." in sign_page, "signature block alone on its page"
    headings = {b.text for b in doc.body if b.kind.startswith("heading")}
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[-1] not in headings, f"heading orphaned at the bottom of a page: {lines[-1]}"


def test_missing_font_raises_and_leaves_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "candidate_families", lambda: [
        fonts.FontCandidate("Times New Roman", ("/nonexistent/Fonts/times.ttf",)),
        fonts.FontCandidate("Liberation Serif", ("/nonexistent/LiberationSerif-Regular.ttf",)),
        fonts.FontCandidate("DejaVu Serif", ("/nonexistent/DejaVuSerif.ttf",)),
    ])
    target = tmp_path / "out" / "bao-cao.pdf"
    with pytest.raises(FontNotFoundError) as err:
        write_pdf(sample_report_document(3), target, font_path=str(tmp_path / "khong-co.ttf"))
    message = str(err.value)
    assert "Times New Roman" in message and "DejaVu Serif" in message and "Cài đặt" in message
    assert not target.exists()
    assert not target.parent.exists() or not list(target.parent.iterdir())


def test_font_without_vietnamese_letters_is_refused(monkeypatch):
    monkeypatch.setattr(fonts, "VIETNAMESE_LETTERS", fonts.VIETNAMESE_LETTERS | {"\ue0ff"})
    with pytest.raises(FontNotFoundError):
        fonts.find_font_family()


def test_custom_font_finds_its_siblings(tmp_path):
    family = fonts.find_font_family()
    for name, face in (("times.ttf", family.regular), ("timesbd.ttf", family.bold), ("timesi.ttf", family.italic),
                       ("timesbi.ttf", family.bold_italic)):
        shutil.copy(face, tmp_path / name)
    found = fonts.find_font_family(str(tmp_path / "times.ttf"))
    assert Path(found.regular).name == "times.ttf"
    assert (Path(found.bold).name, Path(found.italic).name, Path(found.bold_italic).name) == \
        ("timesbd.ttf", "timesi.ttf", "timesbi.ttf")
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    shutil.copy(family.regular, lonely / "DejaVuSerif.ttf")
    alone = fonts.find_font_family(str(lonely / "DejaVuSerif.ttf"))
    assert alone.regular == alone.bold == alone.italic == alone.bold_italic
    name = fonts.register_family(alone)
    assert name == fonts.register_family(alone)


def test_check_font_file_is_strict(tmp_path):
    with pytest.raises(FontNotFoundError, match="Không tìm thấy tệp phông"):
        fonts.check_font_file(str(tmp_path / "times.ttf"))
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font at all")
    with pytest.raises(FontNotFoundError, match="junk.ttf"):
        fonts.check_font_file(str(junk))
    good = fonts.check_font_file(fonts.find_font_family().regular)
    assert Path(good.regular).exists()
    # find_font_family, used at print time, falls back instead of failing
    assert fonts.find_font_family(str(junk)).regular != str(junk)


def test_custom_font_is_used_in_the_pdf(out_dir):
    dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    if not Path(dejavu).exists():
        pytest.skip("DejaVu Serif is not installed")
    pdf = write_pdf(sample_report_document(2), out_dir / "dejavu.pdf", font_path=dejavu)
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSerif" in out and "Liberation" not in out


def test_rewrite_replaces_atomically(out_dir):
    target = out_dir / "again.pdf"
    target.write_bytes(b"old")
    write_pdf(sample_report_document(1), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert not [p for p in out_dir.iterdir() if p.name.startswith(".again.pdf")]
