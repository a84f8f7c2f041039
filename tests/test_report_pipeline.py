"""The period report and the plan from real data: drafted text, stored text, and the files read back."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date

import pytest

from desktop.cli import main
from desktop.services.documents import draft_report, report_document, report_freshness, report_gaps, save_report
from desktop.services.progress import EvidenceInput, record_progress, record_target_figure
from desktop.services.workspace import Workspace

TODAY = date(2026, 11, 22)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="cần pdftotext (poppler-utils)")


def _fill_sample(session):
    record_progress(session, "2026", "1", "done", result="Đã ban hành Kế hoạch số 120/KH-SXD ngày 25/6/2026.",
                    evidence=[EvidenceInput("120/KH-SXD", date(2026, 6, 25), "Kế hoạch triển khai Chương trình")])
    record_progress(session, "2026", "2", "done", result="Đã tổ chức 02 hội nghị quán triệt.")
    record_progress(session, "2026", "3", "in_progress", result="Đã rà soát 12 máy chủ.",
                    difficulties="Thiếu nhân lực chuyên trách về an toàn thông tin",
                    proposals="Đề nghị Công an tỉnh hỗ trợ tập huấn chuyên sâu")
    record_target_figure(session, "2026", 1, "95%")


def _text(doc) -> str:
    parts = [b.text for b in doc.body]
    for appendix in doc.appendices:
        parts.extend(" ".join(row.cells) for row in appendix.rows)
    return "\n".join(parts)


def test_drafted_sections_state_the_facts(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        _fill_sample(session)
    with sample_workspace.unit_of_work() as session:
        doc = report_document(session, "2026", TODAY)
    text = _text(doc)
    headings = [b.text for b in doc.body if b.kind == "heading1"]
    assert headings == ["I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "III. ĐÁNH GIÁ CHUNG",
                        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "V. ĐỀ XUẤT, KIẾN NGHỊ"]
    assert "đã hoàn thành 2/9 nhiệm vụ" in text
    # Task 6 (Quý III/2026 và duy trì) passed its deadline without being done: late, with its lead unit.
    assert "Cử đầu mối phối hợp với Công an tỉnh và các sở, ngành (Văn phòng Sở chủ trì" in text
    assert "chậm tiến độ" in text
    assert "đạt 95% (chỉ tiêu 100%)" in text
    assert "thiếu nhân lực chuyên trách về an toàn thông tin." in text
    assert "Đề nghị Công an tỉnh hỗ trợ tập huấn chuyên sâu." in text
    assert "Số 120/KH-SXD ngày 25/06/2026: Kế hoạch triển khai Chương trình" in text
    assert "số liệu tính từ ngày 15/12/2025 đến ngày 14/12/2026" in text
    assert not re.search(r"None|\{|\}|TODO|XXX|\.\.\.", text)
    assert [b.text for b in doc.body if b.text.startswith("Không có đề xuất")] == []


def test_empty_period_is_drafted_without_placeholders(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        doc = report_document(session, "2027S1", TODAY)
    text = _text(doc)
    assert "đã hoàn thành 0/9 nhiệm vụ" in text
    assert "Không có đề xuất, kiến nghị." in text
    assert doc.summary.endswith("6 tháng đầu năm 2027")
    assert not re.search(r"None|\{|\}|TODO", text)


def test_stored_text_replaces_the_draft_and_survives_redrafting(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        save_report(session, "2026", number="5", issued_on=date(2026, 12, 8),
                    results="1. Kết quả nổi bật\nĐã hoàn thành toàn bộ nhiệm vụ tuyên truyền <đặc biệt> & hội nghị.")
    with sample_workspace.unit_of_work() as session:
        sections = draft_report(session, "2026", TODAY)
        assert sections["results"].startswith("1. Kết quả nổi bật")
        assert sections["direction"].startswith("Sở Xây dựng đã ban hành Kế hoạch")
    with sample_workspace.unit_of_work() as session:
        doc = report_document(session, "2026", TODAY)
    assert doc.letterhead.number_line == "Số: 05/BC-SXD"
    assert doc.letterhead.place_date_line == "Đắk Lắk, ngày 08 tháng 12 năm 2026"
    assert "(Kèm theo Báo cáo số 05/BC-SXD ngày 08/12/2026 của\u00a0Sở\u00a0Xây\u00a0dựng)" == doc.appendices[0].note
    assert any(b.text == "Đã hoàn thành toàn bộ nhiệm vụ tuyên truyền <đặc biệt> & hội nghị." for b in doc.body)
    with sample_workspace.unit_of_work() as session:
        redrafted = draft_report(session, "2026", TODAY, overwrite=True)
    assert redrafted["results"].startswith("1. Kết quả chung")


def _pdf_text(path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(out.split())


@needs_poppler
def test_report_files_from_the_command_line_read_back(capsys, tmp_path, db_path):
    assert main(["init", "--sample", "--db", str(db_path)]) == 0
    assert main(["progress", "--period", "2026", "--task", "2", "--status", "done", "--result",
                 "Đã tổ chức hội nghị quán triệt.", "--db", str(db_path)]) == 0
    capsys.readouterr()
    paths = {}
    for fmt in ("pdf", "xlsx", "docx"):
        assert main(["report", "--period", "2026", "--format", fmt, "--out", str(tmp_path / f"bc.{fmt}"),
                     "--db", str(db_path)]) == 0
        paths[fmt] = tmp_path / f"bc.{fmt}"
        assert capsys.readouterr().out.strip() == str(paths[fmt])
    text = _pdf_text(paths["pdf"])
    for needle in ("UBND TỈNH ĐẮK LẮK", "SỞ XÂY DỰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "Độc lập - Tự do - Hạnh phúc", "/BC-SXD", "Đắk Lắk, ngày", "tháng 11 năm 2026", "BÁO CÁO",
                   "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Công Du", "Nơi nhận:", "Phụ lục I", "Phụ lục II"):
        assert needle in text, needle
    tasks = json.loads(_run_json(capsys, db_path))
    for task in tasks:  # the task names now sit in the appendix table, wrapped in their column
        assert _in_reading_order(text, task["content"]), task["content"]

    from docx import Document
    from openpyxl import load_workbook

    book = load_workbook(paths["xlsx"])
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert all(task["content"] in cells for task in tasks)
    assert "Đã tổ chức hội nghị quán triệt." in cells
    docx_text = "\n".join(p.text for p in Document(str(paths["docx"])).paragraphs)
    docx_text += "\n".join(c.text for t in Document(str(paths["docx"])).tables for r in t.rows for c in r.cells)
    assert "Lê Công Du" in docx_text and tasks[0]["content"] in docx_text


def _in_reading_order(text: str, phrase: str) -> bool:
    """A table cell's words, wrapped over several lines between other cells' words, still come in order."""
    words = iter(text.split())
    return all(any(word == candidate for candidate in words) for word in phrase.split())


def _run_json(capsys, db_path) -> str:
    assert main(["tasks", "--json", "--db", str(db_path)]) == 0
    return capsys.readouterr().out


@needs_poppler
def test_plan_document_prints_the_plan_and_its_appendix(capsys, tmp_path, db_path, sample_db):
    capsys.readouterr()
    out = tmp_path / "kh.pdf"
    assert main(["plan-doc", "--format", "pdf", "--out", str(out), "--db", str(db_path)]) == 0
    capsys.readouterr()
    text = _pdf_text(out)
    for needle in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II. MỤC TIÊU", "PHỤ LỤC",
                   "PHÂN CÔNG NHIỆM VỤ TRIỂN KHAI THEO NGUYÊN TẮC \"06 RÕ\"", "Lê Công Du",
                   "100% công chức, viên chức được tuyên truyền"):
        assert needle in text, needle
    tasks = json.loads(_run_json(capsys, db_path))
    for task in tasks:
        assert _in_reading_order(text, task["content"]), task["content"]
    assert main(["plan-doc", "--format", "xlsx", "--out", str(tmp_path / "kh.xlsx"), "--db", str(db_path)]) == 0
    from openpyxl import load_workbook

    values = {c.value for row in load_workbook(tmp_path / "kh.xlsx").active.iter_rows() for c in row}
    assert "Quý III/2026 và duy trì" in values


def test_target_figure_command_and_errors(capsys, db_path, sample_db):
    assert main(["target", "--period", "2026", "--target", "2", "--value", "87,5%", "--db", str(db_path)]) == 0
    assert main(["target", "--period", "2026", "--target", "9", "--value", "1", "--db", str(db_path)]) == 1
    assert "Không có chỉ tiêu số 9" in capsys.readouterr().err


def _export(db_path, out, *extra) -> tuple[int, str]:
    code = main(["export", "--period", "2026", "--out", str(out), "--db", str(db_path), *extra])
    return code


def test_text_older_than_the_results_is_detected_and_export_needs_force(capsys, tmp_path, db_path, sample_db):
    """Finding 2: a period reopened for bổ sung, new results recorded, the old text exported again as v2."""
    import zipfile

    workspace = Workspace.open(db_path)
    try:
        with workspace.unit_of_work() as session:
            draft_report(session, "2026", TODAY)  # the text speaks of 0 done
        out = tmp_path / "goi"
        out.mkdir()
        capsys.readouterr()
        assert _export(db_path, out) == 0  # v1: text and results agree
        assert main(["reopen", "--period", "2026", "--reason", "bổ sung", "--db", str(db_path)]) == 0
        with workspace.unit_of_work() as session:
            record_progress(session, "2026", "1", "done", result="Đã ban hành Kế hoạch.")
            assert report_freshness(session, "2026").stale_sections == ("direction", "results", "assessment",
                                                                         "next_steps", "proposals")
    finally:
        workspace.close()
    capsys.readouterr()
    assert main(["report", "--period", "2026", "--out", str(tmp_path / "bc.pdf"), "--db", str(db_path)]) == 0
    err = capsys.readouterr().err
    assert "được viết trước lần cập nhật kết quả gần nhất" in err and "--redraft" in err
    assert _export(db_path, out) == 1
    err = capsys.readouterr().err
    assert "--force" in err and "không khớp" in err
    assert len(list(out.glob("*_v2.zip"))) == 0  # nothing sealed
    assert _export(db_path, out, "--force") == 0
    err = capsys.readouterr().err
    assert "Lưu ý, báo cáo còn thiếu" in err and "chưa có số liệu" in err
    with zipfile.ZipFile(next(out.glob("*_v2.zip"))) as package:
        data = json.loads(package.read("data.json"))
    assert data["checks"]["text_older_than_data"] is True and data["checks"]["stale_confirmed"] is True
    kinds = {m["kind"] for m in data["checks"]["missing"]}
    assert {"task_without_result", "target_without_figure"} <= kinds
    assert main(["verify", str(next(out.glob("*_v2.zip")))]) == 0  # the schema accepts the new field


def test_redraft_brings_text_and_tables_together(capsys, tmp_path, db_path, sample_db):
    workspace = Workspace.open(db_path)
    try:
        with workspace.unit_of_work() as session:
            draft_report(session, "2026", TODAY)
            record_progress(session, "2026", "2", "done", result="Đã tổ chức hội nghị.")
        capsys.readouterr()
        assert main(["report", "--period", "2026", "--redraft", "--out", str(tmp_path / "bc.pdf"),
                     "--db", str(db_path)]) == 0
        assert "Cảnh báo" not in capsys.readouterr().err
        with workspace.unit_of_work() as session:
            assert not report_freshness(session, "2026").stale
            body = " ".join(b.text for b in report_document(session, "2026", TODAY).body)
            assert "đã hoàn thành 1/9 nhiệm vụ" in body
    finally:
        workspace.close()


def test_gaps_list_documents_dated_outside_the_period(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026", "1", "done", result="Đã ban hành.",
                        evidence=[EvidenceInput("15/KH-SXD", date(2026, 12, 20), "Kế hoạch bổ sung")])
        gaps = report_gaps(session, "2026", TODAY)
        doc = report_document(session, "2026", TODAY)
    outside = [g for g in gaps if g.kind == "document_outside_period"]
    assert len(outside) == 1 and "15/KH-SXD" in outside[0].text and "14/12/2026" in outside[0].text
    section_one = " ".join(b.text for b in doc.body[:6])
    assert "15/KH-SXD" not in section_one  # never cited as issued in the period
