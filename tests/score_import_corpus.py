"""Scores the task importer on the corpus in tests/fixtures/import_corpus: found, leads/cooperating exact, timeframes.

Usage: python tests/score_import_corpus.py [--keep DIR]. The .pdf, .docx and .xlsx copies are made from the
texts each run (ReportLab with a two-column letterhead, running header, page numbers, hyphenated line ends
and a ruled table running over a page break; python-docx; openpyxl), into DIR or a temporary folder.
An expected task is found when its "key" phrase (no diacritics, case ignored) is inside a task read; its
lead and cooperating units are exact when they name the same bodies in the same number (names_match).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.domain.text import fold  # noqa: E402
from desktop.errors import KhbcError  # noqa: E402
from desktop.importers.units import names_match  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "import_corpus"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"


def _source(name: str) -> Path:
    if name.startswith("seeds/"):
        from tests.import_helpers import seed_path

        return seed_path(name.split("/", 1)[1])
    return CORPUS / name


# --- making the copies ---

def _fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "KSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KSerif", FONT))
        pdfmetrics.registerFont(TTFont("KSerif-Bold", FONT_BOLD))


def _split_letterhead(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(left column, right column, body) of a text whose first lines form the two-column header."""
    left, right, body = [], [], []
    for i, line in enumerate(lines[:10]):
        folded = fold(line)
        if folded in ("ke hoach", "quyet dinh", "bao cao", "phu luc") or folded.startswith(("v/v", "kinh gui")):
            return left, right, lines[i:]
        if "cong hoa" in folded or "doc lap" in folded or " ngay " in f" {folded} " and "thang" in folded:
            right.append(line)
        else:
            left.append(line)
    return [], [], lines


def make_pdf(text: str, path: Path, title: str) -> None:
    """A damaged-looking PDF: letterhead in two columns, running header, page numbers, hyphenation, tables."""
    import unicodedata

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts()
    text = unicodedata.normalize("NFC", text)
    lines = [line.strip() for line in text.replace("**", "").splitlines()]
    left, right, body = _split_letterhead([line for line in lines if line])
    small = ParagraphStyle("s", fontName="KSerif", fontSize=10, leading=12)
    style = ParagraphStyle("b", fontName="KSerif", fontSize=12, leading=15, firstLineIndent=10 * mm, spaceAfter=4,
                           hyphenationLang="", alignment=0)
    story = []
    if left or right:
        story.append(Table([[[Paragraph(x, small) for x in left], [Paragraph(x, small) for x in right]]],
                           colWidths=[70 * mm, 90 * mm]))
        story[-1].setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(Spacer(1, 6 * mm))
    rows: list[list[str]] = []

    def flush_table():
        if not rows:
            return
        width = max(len(r) for r in rows)
        widths = [10 * mm, 50 * mm, 28 * mm, 30 * mm, 22 * mm, 25 * mm][:width]
        data = [[Paragraph(c, small) for c in r + [""] * (width - len(r))] for r in rows]
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
        rows.clear()

    for count, line in enumerate(body):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush_table()
        if count % 5 == 3 and len(line) > 200:
            words = line.split(" ")
            middle = len(words) // 2
            long_word = words[middle]
            if len(long_word) >= 4 and long_word.isalpha():
                half = len(long_word) // 2
                words[middle] = long_word[:half] + "-\u200b" + long_word[half:]  # a hyphen ReportLab may break at
            line = " ".join(words)
        story.append(Paragraph(line.replace("&", "&amp;").replace("<", "&lt;"), style))
    flush_table()

    def furniture(canvas, doc):
        canvas.saveState()
        canvas.setFont("KSerif", 9)
        canvas.drawString(30 * mm, A4[1] - 12 * mm, title[:90])
        if doc.page > 1:
            canvas.setFont("KSerif", 13)
            canvas.drawCentredString(A4[0] / 2, A4[1] - 18 * mm, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=30 * mm, rightMargin=15 * mm, topMargin=25 * mm,
                            bottomMargin=20 * mm)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)


def make_docx(text: str, path: Path) -> None:
    """A Word file: the paragraphs as paragraphs, tab-separated rows as one table."""
    from docx import Document

    document = Document()
    rows = [line.split("\t") for line in text.splitlines() if "\t" in line]
    for line in text.splitlines():
        if line.strip() and "\t" not in line:
            document.add_paragraph(line.strip())
    if rows:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
    document.save(str(path))


def make_xlsx(text: str, path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Phụ lục"
    for line in text.splitlines():
        if "\t" in line:
            sheet.append(line.split("\t"))
        elif line.strip():
            sheet.append([line.strip()])
    book.save(str(path))


def make_salary_xlsx(path: Path) -> None:
    """A salary sheet: the kind of file a clerk picks by mistake (issue 12, trap 11)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Lương T10"
    sheet.append(["BẢNG THANH TOÁN TIỀN LƯƠNG THÁNG 10/2026"])
    sheet.append(["STT", "Họ và tên", "Chức vụ", "Hệ số lương", "Phụ cấp chức vụ", "Tổng cộng", "Ký nhận"])
    people = [("Nguyễn Văn An", "Trưởng phòng", 4.4, 0.4, "11.232.000"), ("Trần Thị Bình", "Chuyên viên", 3.0, 0,
              "7.020.000"), ("Lê Văn Cường", "Chuyên viên", 2.67, 0, "6.247.800"), ("Phạm Thị Dung", "Kế toán",
              2.34, 0, "5.475.600"), ("Hoàng Văn Em", "Nhân viên", 1.86, 0, "4.352.400"),
              ("Vũ Thị Giang", "Chuyên viên chính", 4.0, 0, "9.360.000")]
    for number, person in enumerate(people, start=1):
        sheet.append([number, *person, ""])
    sheet.append(["", "Tổng cộng", "", "", "", "43.687.800", ""])
    book.save(str(path))


def build(doc: dict, folder: Path) -> Path:
    """The file to import for one corpus entry (made in `folder` when it is a copy)."""
    make = doc.get("make", "")
    if make == "salary-xlsx":
        path = folder / f"{doc['name']}.xlsx"
        make_salary_xlsx(path)
        return path
    source = _source(doc["source"])
    if not make:
        return source
    text = source.read_text(encoding="utf-8")
    path = folder / f"{doc['name']}.{make}"
    if make == "pdf":
        make_pdf(text, path, doc.get("header", doc["name"]))
    elif make == "docx":
        make_docx(text, path)
    elif make == "xlsx":
        make_xlsx(text, path)
    return path


# --- scoring ---

def _same_units(found: list[str], expected: list[str]) -> bool:
    if len(found) != len(expected):
        return False
    return all(any(names_match(f, e) for f in found) for e in expected)


def score_document(doc: dict, path: Path) -> dict:
    from desktop.services.task_import import preview_import

    expected = json.loads((CORPUS / doc["expected"]).read_text(encoding="utf-8"))
    row = {"name": doc["name"], "kind": expected["kind"], "expected": len(expected["tasks"]), "found": 0,
           "units_exact": 0, "timeframes": 0, "timeframes_expected": 0, "read": 0, "not_a_plan": False,
           "error": ""}
    try:
        preview = preview_import(path)
    except KhbcError as exc:
        row["error"] = exc.message
        return row
    tasks = [r.task for r in preview.rows]
    row["read"] = len(tasks)
    row["not_a_plan"] = bool(preview.not_a_plan)
    row["ticked"] = sum(1 for r in preview.rows if r.selected)
    for want in expected["tasks"]:
        key = fold(want["key"])
        match = next((t for t in tasks if key in fold(t.content)), None)
        if match is None:
            continue
        row["found"] += 1
        if _same_units(match.lead, want["lead"]) and _same_units(match.cooperating, want["cooperating"]):
            row["units_exact"] += 1
        if "timeframe" in want:
            row["timeframes_expected"] += 1
            row["timeframes"] += fold(match.timeframe) == fold(want["timeframe"])
    return row


def score(folder: Path) -> list[dict]:
    manifest = json.loads((CORPUS / "corpus.json").read_text(encoding="utf-8"))
    return [score_document(doc, build(doc, folder)) for doc in manifest["documents"]]


def totals(rows: list[dict]) -> dict:
    plans = [r for r in rows if r["kind"] == "plan"]
    expected = sum(r["expected"] for r in plans)
    return {
        "documents": len(rows), "plans": len(plans), "expected": expected,
        "found": sum(r["found"] for r in plans), "units_exact": sum(r["units_exact"] for r in plans),
        "timeframes": sum(r["timeframes"] for r in plans),
        "timeframes_expected": sum(r["timeframes_expected"] for r in plans),
        "plans_without_tasks": [r["name"] for r in plans if r["found"] == 0],
        "not_plans_recognised": sum(1 for r in rows if r["kind"] == "not_a_plan" and (r["not_a_plan"] or r["error"])
                                    and not r.get("ticked")),
        "not_plans": sum(1 for r in rows if r["kind"] == "not_a_plan"),
    }


def report(rows: list[dict]) -> str:
    lines = [f"{'tài liệu':34} {'tìm thấy':>9} {'đơn vị đúng':>12} {'thời gian đúng':>15}"]
    for r in rows:
        if r["kind"] == "not_a_plan":
            verdict = "nhận ra: không phải kế hoạch" if (r["not_a_plan"] or r["error"]) else "KHÔNG nhận ra"
            lines.append(f"{r['name']:34} {verdict}")
            continue
        lines.append(f"{r['name']:34} {r['found']:>4}/{r['expected']:<4} {r['units_exact']:>6}/{r['expected']:<5} "
                     f"{r['timeframes']:>8}/{r['timeframes_expected']:<6}" + (f"  lỗi: {r['error']}" if r["error"]
                                                                               else ""))
    t = totals(rows)
    pct = (lambda a, b: f"{100 * a / b:.1f}%" if b else "—")
    lines.append(f"TỔNG ({t['plans']} kế hoạch): tìm thấy {t['found']}/{t['expected']} ({pct(t['found'], t['expected'])})"
                 f"; đơn vị đúng {t['units_exact']}/{t['expected']} ({pct(t['units_exact'], t['expected'])})"
                 f"; thời gian đúng {t['timeframes']}/{t['timeframes_expected']}"
                 f"; không phải kế hoạch nhận ra {t['not_plans_recognised']}/{t['not_plans']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="folder to keep the made .pdf/.docx/.xlsx copies in")
    args = parser.parse_args(argv)
    if args.keep:
        folder = Path(args.keep)
        folder.mkdir(parents=True, exist_ok=True)
        print(report(score(folder)))
        return 0
    with tempfile.TemporaryDirectory(prefix="khbc-corpus-") as folder:
        print(report(score(Path(folder))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
