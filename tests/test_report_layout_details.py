"""Report PDF details read back with positions: a row continued on the next page repeats its TT, and the
appendix note keeps the agency's name on one line."""

from __future__ import annotations

import pytest

from desktop.reporting.formatting import attached_note
from desktop.services.documents import report_document, write_document
from pdf_layout import need_tool, read_pdf
from plan_generator import TODAY, build_plan, marker

TALL_TASK = 8  # plan_generator makes task 8 taller than a page


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    need_tool("pdftotext")
    folder = tmp_path_factory.mktemp("report9")
    workspace = build_plan(folder / "khbc.sqlite3", 9)
    try:
        with workspace.unit_of_work() as session:
            doc = report_document(session, "2026", TODAY)
    finally:
        workspace.close()
    return read_pdf(write_document(doc, "pdf", folder / "bc.pdf"))


def _tt_words(page):
    """Words in the TT column (left of the "Nội dung" column's heading), below its heading "TT"."""
    content = next(w for w in page.words if w.text == "Nội")
    tt = next(w for w in page.words if w.text == "TT" and w.x1 < content.x0)
    return [w for w in page.words if w.x1 < content.x0 and w.y0 > tt.y1]


def test_a_row_continued_on_the_next_page_shows_its_tt(pages):
    tasks = [p for p in pages if p.landscape and any(w.text == "Nội" for w in p.words)]
    start = next(p for p in tasks if any(w.text == str(TALL_TASK) for w in _tt_words(p)))
    end = next(p for p in tasks if marker(TALL_TASK) in p.text())
    assert end.number > start.number, "task 8 must be taller than a page in this plan"
    assert "(tiếp)" not in " ".join(w.text for w in _tt_words(start))
    for page in (p for p in tasks if start.number < p.number <= end.number):
        column = _tt_words(page)
        assert column, f"page {page.number}: the continued row has an empty TT cell"
        first = min(column, key=lambda w: w.y0)
        below = [w for w in column if w.y0 - first.y0 < 30]  # "8" and "(tiếp)" (wrapped in the narrow cell)
        assert [w.text for w in below][:2] == [str(TALL_TASK), "(tiếp)"], (page.number, [w.text for w in column])
        # level with the first line of the continued text beside it
        content = next(w for w in page.words if w.text == "Nội")
        assert any(abs(w.y0 - first.y0) < 4 for w in page.words if w.x0 >= content.x0), page.number


def test_appendix_note_keeps_a_short_agency_name_whole(pages):
    appendix2 = next(p for p in pages if any(line.text.startswith("Phụ lục II") for line in p.lines))
    assert not appendix2.landscape
    note = [line for line in appendix2.lines if "Kèm theo" in line.text or "dựng)" in line.text]
    closing = next(line for line in note if line.text.endswith("dựng)"))
    assert "Sở Xây dựng)" in closing.text, [line.text for line in note]


def test_only_short_agency_names_are_bound():
    short = attached_note("Báo cáo", "Số: 05/BC-SXD", None, TODAY, "Sở Xây dựng")
    assert short.endswith("của\u00a0Sở\u00a0Xây\u00a0dựng)")
    long_name = "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp tỉnh"
    wrapped = attached_note("Báo cáo", "Số: 05/BC-SXD", None, TODAY, long_name)
    assert wrapped.endswith(f"của {long_name})")  # it must still be able to wrap
