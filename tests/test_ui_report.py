"""The Báo cáo page: fields, Soạn tự động, saving, the PDF preview, printing and saving as PDF/XLSX/DOCX."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.services import operations as ops
from tests.ui_support import host, pdf_pages, pdf_text, quiet_bus, run_operation, shoot


@pytest.fixture
def bus(sample_workspace):
    return quiet_bus(sample_workspace)


@pytest.fixture
def page(qtbot, bus):
    from desktop.ui.pages.report_page import ReportPage

    page = ReportPage(bus)
    host(qtbot, page)
    index = page.period_combo.findData("2026")
    page.period_combo.setCurrentIndex(index)
    return page


def test_report_fields_draft_save_and_preview(qtbot, bus, page):
    from desktop.services.ui_overview import report_form

    assert page.form.period_code == "2026"
    assert page.signer_name.text() == "Lê Công Du"  # from the profile until the report has its own
    assert page.signer_authority.currentText() == "KT. GIÁM ĐỐC"
    assert not any(page.sections.values().values())

    qtbot.keyClicks(page.number, "15/BC-SXD")
    page.issued_on.check.setChecked(True)
    page.issued_on.edit.setDate(date(2026, 12, 8))
    assert page.has_unsaved_changes()
    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.DRAFT_REPORT):
        page.draft()  # saves the number first; all sections empty, so no question (drafted on a worker)
        assert page.sections.editors["results"].isReadOnly()  # no typing into text about to be replaced
    sections = page.sections.values()
    assert all(text.strip() for text in sections.values())
    assert "9 nhiệm vụ" in sections["results"]
    assert page.tabs.currentIndex() == 1
    shoot(page.host_window, "bao-cao-noi-dung")

    page.sections.editors["proposals"].setPlainText("Đề nghị Công an tỉnh tổ chức tập huấn.")
    assert page.save()
    stored = bus.read(report_form, "2026")
    assert stored.number == "15/BC-SXD"
    assert stored.issued_on == date(2026, 12, 8)
    assert stored.sections["proposals"] == "Đề nghị Công an tỉnh tổ chức tập huấn."
    assert "9 nhiệm vụ" in stored.sections["results"]

    with qtbot.waitSignal(page.preview_done, timeout=60_000):
        page.tabs.setCurrentIndex(2)  # Xem trước: written and drawn off the window's thread
    assert page.preview.page_count() >= 1
    assert len(page.preview.page_labels) == page.preview.page_count()
    assert not page.preview.page_labels[0].pixmap().isNull()
    assert "15/BC-SXD" in page.preview.document.getAllText(0).text()
    from desktop.ui.pdf_preview import ZOOM_STEPS

    steps = [f"{round(zoom * 100)}%" for zoom in ZOOM_STEPS]
    opened_at = page.preview.zoom_label.text()  # the largest step up to 100 % that fits the width
    page.preview.zoom_in.click()
    assert page.preview.zoom_label.text() == steps[steps.index(opened_at) + 1]
    shoot(page.host_window, "bao-cao")
    page.tabs.setCurrentIndex(0)
    shoot(page.host_window, "bao-cao-thong-tin")
    assert bus.failures == []


def test_draft_asks_before_replacing_written_text(qtbot, bus, page, monkeypatch):
    page.sections.editors["direction"].setPlainText("Nội dung do văn thư tự viết.")
    monkeypatch.setattr(page, "ask_overwrite", lambda: False)  # "Chỉ soạn các mục còn trống"
    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.DRAFT_REPORT):
        page.draft()
    values = page.sections.values()
    assert values["direction"] == "Nội dung do văn thư tự viết."
    assert values["results"].strip()

    monkeypatch.setattr(page, "ask_overwrite", lambda: None)  # Hủy
    page.sections.editors["results"].setPlainText("Viết lại.")
    page.draft()
    assert page.sections.values()["results"] == "Viết lại."

    monkeypatch.setattr(page, "ask_overwrite", lambda: True)  # "Soạn lại tất cả"
    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.DRAFT_REPORT):
        page.draft()
    assert page.sections.values()["direction"] != "Nội dung do văn thư tự viết."


def test_report_is_saved_as_pdf_xlsx_and_docx(qtbot, bus, page, tmp_path, monkeypatch):
    page.number.setText("16/BC-SXD")
    for fmt in ("pdf", "xlsx", "docx"):
        with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.WRITE_REPORT_FILE):
            page.write_file(tmp_path / f"bao-cao.{fmt}", fmt)  # on a worker: the window stays usable
        written = page.result_bar.path
        assert written == tmp_path / f"bao-cao.{fmt}" and written.exists() and written.stat().st_size > 0
    assert "16/BC-SXD" in pdf_text(tmp_path / "bao-cao.pdf")
    from docx import Document
    from openpyxl import load_workbook

    appendix = load_workbook(tmp_path / "bao-cao.xlsx").worksheets[0]
    assert "16/BC-SXD" in " ".join(str(c) for row in appendix.iter_rows(max_row=8, values_only=True) for c in row if c)
    word = Document(str(tmp_path / "bao-cao.docx"))
    assert "16/BC-SXD" in " ".join([p.text for p in word.paragraphs]
                                   + [c.text for t in word.tables for r in t.rows for c in r.cells])

    chosen = tmp_path / "qua-hop-thoai"  # the clerk types no extension and picks "Văn bản Word"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(chosen), "Văn bản Word (*.docx)"))
    with qtbot.waitSignal(bus.finished, timeout=60_000, check_params_cb=lambda op: op is ops.WRITE_REPORT_FILE):
        page.export_report()
    assert (tmp_path / "qua-hop-thoai.docx").exists()
    assert page.result_bar.isVisibleTo(page)
    assert bus.failures == []


def test_preview_pages_print_onto_a_printer(qtbot, page, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    from desktop.ui.pdf_preview import print_pages

    with qtbot.waitSignal(page.preview_done, timeout=60_000) as done:
        page.update_preview()
    pages = done.args[0]
    assert pages >= 1
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "in.pdf"))
    printer.setFullPage(True)
    assert print_pages(page.preview.document, printer)
    assert pdf_pages(tmp_path / "in.pdf") == pages


def test_period_change_keeps_typed_text_for_the_period_left(qtbot, bus, page):
    from desktop.services.ui_overview import report_form

    page.number.setText("17/BC-SXD")
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026S1"))
    assert page.form.period_code == "2026S1"
    assert page.number.text() == ""
    assert bus.read(report_form, "2026").number == "17/BC-SXD"


def test_a_sent_period_is_read_only(qtbot, bus, page, tmp_path):
    assert run_operation(qtbot, bus, ops.EXPORT_PACKAGE, "2026", tmp_path)[0]
    assert page.form.locked
    assert page.number.isReadOnly()
    assert not page.draft_button.isEnabled()
    assert page.lock_banner.isVisibleTo(page)
    assert not page.has_unsaved_changes()
