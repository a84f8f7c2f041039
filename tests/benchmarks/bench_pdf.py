"""Benchmark of the PDF writer against a bare ReportLab table and LibreOffice (run as a script, not by pytest)."""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle  # noqa: E402
from xml.sax.saxutils import escape  # noqa: E402

from desktop.reporting.document import AdminDocument  # noqa: E402
from desktop.reporting.fonts import find_font_family, register_family  # noqa: E402
from desktop.reporting.pdf_writer import write_pdf  # noqa: E402
from tests.document_samples import TASK_COLUMNS, sample_report_document  # noqa: E402


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_reportlab(doc: AdminDocument, out: Path, font: str) -> None:
    """What a plain ReportLab script does: one landscape Table of Paragraph cells, header repeated."""
    app = doc.appendices[0]
    plain = ParagraphStyle("c", fontName=font, fontSize=11, leading=13, alignment=TA_LEFT)
    centred = ParagraphStyle("cc", parent=plain, alignment=TA_CENTER)
    head = [Paragraph(escape(c.title), centred) for c in app.columns]
    styles = [centred if c.align == "center" else plain for c in app.columns]
    data = [head] + [[Paragraph(escape(t), styles[i]) if t else "" for i, t in enumerate(r.cells)]
                     for r in app.rows]
    width = landscape(A4)[0] - 45 * mm
    total = sum(c.weight for c in app.columns)
    data = [row + [""] * (len(app.columns) - len(row)) for row in data]
    table = Table(data, colWidths=[width * c.weight / total for c in app.columns], repeatRows=1)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    SimpleDocTemplate(str(out), pagesize=landscape(A4), leftMargin=30 * mm, rightMargin=15 * mm,
                      topMargin=20 * mm, bottomMargin=20 * mm, initialFontName=font).build([table])


def build_docx(doc: AdminDocument, out: Path) -> None:
    """An equivalent DOCX (heading, body, landscape table) for LibreOffice to convert."""
    import docx
    from docx.enum.section import WD_ORIENT

    d = docx.Document()
    d.add_paragraph(doc.letterhead.agency)
    d.add_paragraph(doc.doc_type)
    d.add_paragraph(doc.summary)
    for block in doc.body:
        d.add_paragraph(block.text)
    section = d.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    app = doc.appendices[0]
    table = d.add_table(rows=1, cols=len(app.columns))
    table.style = "Table Grid"
    for cell, col in zip(table.rows[0].cells, app.columns):
        cell.text = col.title
    for row in app.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row.cells):
            cell.text = text
    d.save(str(out))


def report_from_database(rows: int, folder: Path):
    """A database with the sample plan grown to `rows` tasks, each with a progress entry for 2026;
    returns a function that prints the year report to PDF the way `khbc report` does."""
    from datetime import date

    from desktop.services import appendix
    from desktop.services.documents import write_report
    from desktop.services.progress import record_progress
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace

    path = folder / "big.sqlite3"
    initialise(str(path), sample=True)
    workspace = Workspace.open(path)
    with workspace.unit_of_work() as session:
        for index in range(rows - 9):
            appendix.add_task(session, f"Tuyên truyền, phổ biến kiến thức bảo vệ trẻ em trên môi trường mạng, đợt {index}",
                              timeframe_text="Quý IV/2026", expected_output="Tài liệu tuyên truyền, hội nghị")
    with workspace.unit_of_work() as session:
        for number in range(1, rows + 1):
            record_progress(session, "2026", str(number), "in_progress",
                            result="Đã tổ chức 02 hội nghị quán triệt cho 100% công chức, viên chức.")
    return lambda: write_report(workspace, "2026", "pdf", folder / "report.pdf", date(2026, 11, 22))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000, help="task rows of the large document (default 1000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median is printed)")
    parser.add_argument("--soffice-runs", type=int, default=3)
    parser.add_argument("--no-soffice", action="store_true", help="skip the LibreOffice comparison")
    args = parser.parse_args(argv)
    runs = max(args.runs, 1)

    base = register_family(find_font_family())
    large, small = sample_report_document(args.rows), sample_report_document(9)
    print(f"font: {base}; columns: {len(TASK_COLUMNS)}; runs: {runs}")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        t_bare = _median(lambda: bare_reportlab(large, tmpdir / "bare.pdf", base), runs)
        t_large = _median(lambda: write_pdf(large, tmpdir / "large.pdf"), runs)
        t_small = _median(lambda: write_pdf(small, tmpdir / "small.pdf"), runs)
        t_bare_small = _median(lambda: bare_reportlab(small, tmpdir / "bare9.pdf", base), runs)
        print(f"(a) bare ReportLab table, {args.rows} rows: {t_bare:.3f} s")
        print(f"(b) write_pdf, {args.rows} rows:             {t_large:.3f} s")
        print(f"(c) write_pdf, 9 rows:                 {t_small:.3f} s  (bare table of 9 rows: {t_bare_small:.3f} s)")
        ratio = t_large / t_bare
        print(f"ratio (b)/(a): {ratio:.2f}  (requirement <= 1.0: {'OK' if ratio <= 1.0 else 'FAIL'})")
        from_db = report_from_database(args.rows, tmpdir)
        t_db = _median(from_db, runs)
        print(f"(e) khbc report from the database ({args.rows} tasks, progress each; query, draft, PDF): "
              f"{t_db:.3f} s  -> ratio (e)/(a) {t_db / t_bare:.2f}")

        if args.no_soffice:
            return 0
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            print("soffice not installed")
            return 0
        for label, doc in ((f"{args.rows} rows", large), ("9 rows", small)):
            src = tmpdir / f"lo-{len(doc.appendices[0].rows)}.docx"
            build_docx(doc, src)
            profile = (tmpdir / "lo-profile").as_uri()

            def convert(src=src, profile=profile):
                subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                                "--outdir", str(tmpdir), str(src)], check=True, capture_output=True, timeout=600)

            convert()  # first start creates the LibreOffice profile; not timed
            t_lo = _median(convert, max(args.soffice_runs, 1))
            print(f"(d) soffice DOCX -> PDF, {label}: {t_lo:.3f} s (whole process)")
            if label.startswith(str(args.rows)):
                print(f"    soffice / KHBC: {t_lo / t_large:.1f}x (document only), {t_lo / t_db:.1f}x (from the database)")
            else:
                print(f"    soffice / KHBC: {t_lo / t_small:.1f}x (document only)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
