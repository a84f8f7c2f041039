"""Issue 15 on real outputs: a 9-task and a 300-task report with long results, each PDF read back with positions."""

from __future__ import annotations

import re
from datetime import date

import pytest

from desktop.reporting.pdf_writer import write_pdf
from desktop.services.documents import plan_document, write_document
from pdf_layout import need_tool, read_pdf
from plan_generator import report_of_plan, GROUPS, TODAY, build_plan, marker

SIZES = (9, 300)


@pytest.fixture(scope="module", params=SIZES, ids=lambda n: f"{n}-tasks")
def made(request, tmp_path_factory):
    need_tool("pdftotext")
    count = request.param
    folder = tmp_path_factory.mktemp(f"report{count}")
    doc = report_of_plan(folder, count)
    pdf = write_document(doc, "pdf", folder / "bc.pdf")
    pages = read_pdf(pdf)
    first_appendix = next(p.number for p in pages if p.landscape)
    return {"count": count, "doc": doc, "pdf": pdf, "pages": pages, "folder": folder,
            "body": pages[:first_appendix - 1], "tasks": [p for p in pages if p.landscape]}


def _flat(pages) -> str:
    return " ".join(p.text() for p in pages)


def test_body_summarises_and_stays_short(made):
    body = _flat(made["body"])
    count = made["count"]
    assert f"Trong tổng số {count} nhiệm vụ" in body
    per_group = -(-count // len(GROUPS))
    for number, title in GROUPS[:2]:
        assert f"- {number}. {title} ({min(per_group, count)} nhiệm vụ): hoàn thành" in body
    if count == 300:
        assert len(made["body"]) <= 6, f"body runs {len(made['body'])} pages"
        assert re.search(r"… và \d+ nhiệm vụ khác \(chi tiết tại Phụ lục I\)", body)
        # names only what a reader must see: no list of every task
        assert len(re.findall(r"Triển khai nội dung số \d+", body)) <= 40
    assert "Nhiệm vụ đến hạn chưa có kết quả báo cáo" in body and "Triển khai nội dung số 7 " in body


def test_text_reads_like_an_official(made):
    body = _flat(made["body"])
    assert "đạt Bảo đảm" not in body and "(chỉ tiêu: Bảo đảm)" not in body
    assert "đạt 95% (chỉ tiêu 100%)" in body
    # no praise or causes invented from counts: a visible placeholder for the clerk instead
    assert "Kết quả đạt được là nhờ" not in body and "nhiệm vụ đã hoàn thành" not in body.split("Ưu điểm")[1][:200]
    assert body.count("[Đề nghị bổ sung:") >= 2
    # cited documents in date order, all inside the data window
    section_one = body.split("I. CÔNG TÁC CHỈ ĐẠO")[1].split("II. KẾT QUẢ")[0]
    days = [date(int(y), int(m), int(d)) for d, m, y in re.findall(r"ngày (\d\d)/(\d\d)/(\d{4}):", section_one)]
    assert days == sorted(days) and all(date(2025, 12, 15) <= d <= date(2026, 12, 14) for d in days)


def test_appendices_named_and_referred_to_and_document_ends(made):
    body = _flat(made["body"])
    assert "chi tiết tại Phụ lục I kèm theo" in body and "chi tiết tại Phụ lục II kèm theo" in body
    assert "Biểu 01" not in _flat(made["pages"]) and "Biểu 02" not in _flat(made["pages"])
    before_recipients = body.split("Nơi nhận:")[0].rstrip()
    assert before_recipients.endswith("./.")
    first = made["tasks"][0].text()
    assert "Phụ lục I KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ" in first
    portrait_tail = [p for p in made["pages"] if not p.landscape and p.number > made["tasks"][0].number]
    assert "Phụ lục II KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in portrait_tail[0].text()


def test_blanks_for_the_van_thu_are_kept(made):
    page = made["tasks"][0]
    words = list(page.words)
    so = next(i for i, w in enumerate(words) if w.text == "số" and words[i - 1].text == "cáo")
    # "số" and "/BC-SXD" keep the gap a clerk writes the number in, same for the day
    assert words[so + 1].text == "/BC-SXD" and words[so + 1].x0 - words[so].x1 > 20
    ngay = so + 2
    assert words[ngay].text == "ngày" and words[ngay + 1].text == "tháng"
    assert words[ngay + 1].x0 - words[ngay].x1 > 20 and words[ngay + 2].text == "11"


def test_group_rows_keep_their_numerals(made):
    numerals = {g[0] for g in GROUPS[:min(6, -(-made["count"] // 2))]}
    found = set()
    for page in made["tasks"]:
        content_x = next(w.x0 for w in page.words if w.text == "Nội")
        groups = [w for w in page.words if w.text in numerals and w.x1 < content_x]
        found |= {w.text for w in groups}
        for group in groups:  # a group heading never ends a page without its first task
            assert any(w.text.isdigit() and w.x1 < content_x and w.y0 > group.y1 for w in page.words), \
                f"group {group.text} alone at the bottom of page {page.number}"
    assert found == numerals


def _tt_page(pages, number: str) -> int:
    for page in pages:
        content_x = next(w.x0 for w in page.words if w.text == "Nội")
        if any(w.text == number and w.x1 < content_x for w in page.words):
            return page.number
    where = [(p.number, [(w.text, round(w.x0)) for w in p.words if w.text == number]) for p in pages
             if any(w.text == number for w in p.words)]
    raise AssertionError(f"TT {number} not printed: {where[:3]}")


def test_table_rows_split_only_when_taller_than_a_page(made):
    pages = made["tasks"]
    tall = {8, 150, 300}
    for i in range(1, made["count"] + 1):
        if i % 10 == 7:
            continue  # due without a result: nothing to follow
        start = _tt_page(pages, str(i))
        end = next(p.number for p in pages if marker(i) in p.text())
        if i in tall and i <= made["count"]:
            assert end > start, f"task {i} is taller than a page and must continue"
        else:
            assert end == start, f"task {i} fits on a page but was split ({start}–{end})"


def test_header_repeats_only_at_the_top_of_each_page(made):
    for page in made["tasks"]:
        headers = [w for w in page.words if w.text == "Nội" ]
        assert len(headers) == 1, f"page {page.number}: header printed {len(headers)} times"
        top = min(w.y0 for w in page.words if w.y0 > 45)  # below the page number
        appendix_head = "Phụ lục I" in page.text()
        assert appendix_head or headers[0].y0 - top < 20, f"page {page.number}: header not at the top"


def _header_columns(page) -> list[tuple[float, float, str]]:
    """The header titles as (left, right, text), left to right: words of one title overlap in x."""
    tt = next(w for w in page.words if w.text == "TT")
    band = sorted((w for w in page.words if abs((w.y0 + w.y1) / 2 - (tt.y0 + tt.y1) / 2) < 16), key=lambda w: w.x0)
    columns: list[list] = []
    for w in band:
        if columns and w.x0 <= columns[-1][1] + 5:
            columns[-1][1] = max(columns[-1][1], w.x1)
            columns[-1][2] += " " + w.text
        else:
            columns.append([w.x0, w.x1, w.text])
    return [tuple(c) for c in columns]


def test_results_column_is_the_widest(made):
    columns = _header_columns(made["tasks"][1])
    assert len(columns) == 10, columns
    # each title is centred in its column: from the table's left edge (30 mm) the widths follow
    centres = [(left + right) / 2 for left, right, _ in columns]
    widths = [2 * (centres[0] - 30 / 25.4 * 72)]
    for before, after in zip(centres, centres[1:]):
        widths.append(2 * (after - before) - widths[-1])
    result = next(i for i, c in enumerate(columns) if "trong" in c[2])
    assert widths[result] == max(widths) and widths[result] > 1.3 * sorted(widths)[-2], widths


def _paragraph_groups(page):
    lines = [ln for ln in page.lines if 60 < ln.y0 < page.height - 50]
    groups: list[list] = []
    for line in lines:
        if groups and line.y0 - groups[-1][-1].y0 < 19:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _continues(line) -> bool:
    """A line that continues a paragraph: not indented, not a bullet or heading."""
    return line.x0 < 90 and not re.match(r"^(- |[IVX]+\. |\d+\. |\[)", line.text)


def test_body_has_no_widows_or_orphans(made):
    body = made["body"]
    for page in body[1:]:
        groups = _paragraph_groups(page)
        if groups and _continues(groups[0][0]):
            assert len(groups[0]) >= 2, f"page {page.number} starts with a widow: {groups[0][0].text}"
    for page, following in zip(body, body[1:]):
        groups, nxt = _paragraph_groups(page), _paragraph_groups(following)
        if groups and nxt and _continues(nxt[0][0]):
            assert len(groups[-1]) >= 2, f"page {page.number} ends with an orphan: {groups[-1][0].text}"
    first = body[0]
    lowest = max(ln.y1 for ln in first.lines)
    assert first.height - 57 - lowest < 60, "page 1 ends early"


def test_recipients_of_a_report(made):
    body = _flat(made["body"])
    after = body.split("Nơi nhận:")[1]
    assert "- Văn phòng Sở (b/c);" in after and "- Lưu: VT, VP (Tr)." in after
    assert "(t/hiện)" not in after and "(đăng tải)" not in after


def test_plan_appendix_line_keeps_blanks_and_leading_zeros(tmp_path):
    need_tool("pdftotext")
    workspace = build_plan(tmp_path / "khbc.sqlite3", 9)
    try:
        with workspace.unit_of_work() as session:
            doc = plan_document(session, date(2027, 2, 3))
    finally:
        workspace.close()
    pages = read_pdf(write_pdf(doc, tmp_path / "kh.pdf"))
    text = " ".join(p.text() for p in pages)
    assert "(Kèm theo Kế hoạch số /KH-SXD ngày tháng 02 năm 2027 của Sở Xây dựng)" in text
    assert "tháng 02 năm 2027" in pages[0].text()  # the date line of an unsigned plan
    words = list(next(p for p in pages if "Kèm theo" in p.text()).words)
    so = next(i for i, w in enumerate(words) if w.text == "số" and words[i - 1].text == "hoạch")
    assert words[so + 1].x0 - words[so].x1 > 20 and words[so + 3].x0 - words[so + 2].x1 > 20
