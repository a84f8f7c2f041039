"""Reporting and packages from plain values alone: a report built by hand, with no database, printed and packed."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from desktop.bundle.package_data import build_package_data
from desktop.domain.periods import make_period
from desktop.domain.report_values import (
    DepartmentInfo, PlanInfo, ReportContext, ReportRecord, Signer, TargetResult, report_record,
)
from desktop.domain.rows import EvidenceRow, TaskRow
from desktop.reporting.report_builder import build_report_document
from pdf_layout import need_tool

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENT = DepartmentInfo(
    "UBND TỈNH ĐẮK LẮK", "SỞ XÂY DỰNG", "Sở Xây dựng", "SXD", "DLK-SXD", "Đắk Lắk", "Trần Thị Bình",
    "PHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC", ("Giám đốc Sở;", "Lưu: VT, VP."))
SIGNER = Signer(DEPARTMENT.signer_name, DEPARTMENT.signer_title, DEPARTMENT.signer_authority)


def _task(number: int, status: str | None, result: str = "", state: str = "ongoing") -> TaskRow:
    labels = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện", None: ""}
    return TaskRow(
        id=number, position=number, number=str(number), content=f"Tuyên truyền nội dung số {number} cho công chức",
        group_id=1, group_title="Công tác tuyên truyền", lead="Văn phòng Sở", cooperating=("Công an tỉnh",),
        timeframe_text="Thường xuyên", timeframe_kind="ongoing", timeframe_label="Thường xuyên",
        expected_output="Báo cáo", state=state, state_label="Thường xuyên", status=status,
        status_label=labels[status], result=result,
        evidence=(EvidenceRow("15/SXD-VP", date(2026, 8, 5), "Công văn triển khai", "CongVan15.pdf", "ab" * 32),)
        if number == 1 else (), group_number="I")


def hand_made_context() -> ReportContext:
    period = make_period("year", 2026)
    plan = PlanInfo("45/KH-SXD", date(2026, 2, 10), "Triển khai Chương trình bảo vệ trẻ em trên môi trường mạng",
                    "QĐ 468/QĐ-TTg", ("Quyết định số 468/QĐ-TTg",), 2026, 2030, "Văn phòng UBND tỉnh")
    tasks = (_task(1, "done", "Đã tổ chức 03 hội nghị quán triệt KQPLAIN1."),
             _task(2, "in_progress", "Đang xây dựng tài liệu KQPLAIN2."),
             _task(3, None, state="late"))
    targets = (TargetResult(1, "Công chức, viên chức được tuyên truyền", "100%", 100.0, "%", "95%", 95.0, ""),)
    return ReportContext(DEPARTMENT, plan, period, None, tasks, (), targets,
                         report_record(None, plan.report_to, DEPARTMENT.default_recipients, SIGNER), date(2026, 11, 22))


def test_report_without_a_database_prints_the_hand_made_values(tmp_path):
    need_tool("pdftotext")
    from desktop.reporting.pdf_writer import write_pdf

    pdf = write_pdf(build_report_document(hand_made_context()), tmp_path / "bc.pdf")
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    for expected in ("SỞ XÂY DỰNG", "UBND TỈNH ĐẮK LẮK", "KQPLAIN1", "KQPLAIN2", "Trần Thị Bình", "KT. GIÁM ĐỐC",
                     "Văn phòng UBND tỉnh (b/c);", "Lưu: VT, VP.", "95%", "Kế hoạch số 45/KH-SXD"):
        assert expected in text, expected


def test_package_data_without_a_database_carries_the_hand_made_values():
    created = datetime(2026, 11, 22, 9, 30).astimezone()
    data, files = build_package_data(hand_made_context(), {1: [_task(1, "done").evidence[0]]}, 1, created)
    assert data["unit"]["code"] == "DLK-SXD"
    assert data["report"]["signer"] == {"name": "Trần Thị Bình", "title": "PHÓ GIÁM ĐỐC", "authority": "KT. GIÁM ĐỐC"}
    assert data["report"]["recipients"] == ["Văn phòng UBND tỉnh (b/c);", "Lưu: VT, VP."]
    assert [t["progress"]["result"] if t["progress"] else None for t in data["tasks"]] == [
        "Đã tổ chức 03 hội nghị quán triệt KQPLAIN1.", "Đang xây dựng tài liệu KQPLAIN2.", None]
    assert data["tasks"][0]["progress"]["evidence"][0]["file"] == files[0].package_name
    assert files[0].sha256 == "ab" * 32 and data["targets"][0]["value"] == 95.0


def test_report_and_package_are_built_without_loading_the_database_layer(tmp_path):
    """A fresh interpreter builds, prints and packs a report from plain values: SQLAlchemy and db never load."""
    script = f"""
import sys
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]
from test_report_plain_values import hand_made_context
from desktop.bundle.package_data import build_package_data
from desktop.reporting.report_builder import build_report_document
from desktop.reporting.xlsx_writer import write_xlsx
from datetime import datetime
ctx = hand_made_context()
write_xlsx(build_report_document(ctx), {str(tmp_path / 'bc.xlsx')!r})
build_package_data(ctx, {{}}, 1, datetime(2026, 11, 22, 9, 30).astimezone())
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'db') or m.startswith('desktop.services'))
print(__import__('json').dumps(loaded))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
    assert (tmp_path / "bc.xlsx").stat().st_size > 0


def test_signer_and_recipients_fall_back_to_the_profile_field_by_field():
    stored = ReportRecord("12/BC-SXD", None, {"results": "Nội dung"}, (), "", "GIÁM ĐỐC", "Q. GIÁM ĐỐC")
    record = report_record(stored, "Văn phòng UBND tỉnh; Công an tỉnh (b/c)", DEPARTMENT.default_recipients, SIGNER)
    assert record.recipients == ("Văn phòng UBND tỉnh (b/c);", "Công an tỉnh (b/c);", "Lưu: VT, VP.")
    # no own signer name: name and authority come from the profile, a stored title is kept
    assert (record.signer_name, record.signer_title, record.signer_authority) == (
        "Trần Thị Bình", "GIÁM ĐỐC", "KT. GIÁM ĐỐC")
    assert record.sections["results"] == "Nội dung" and record.sections["direction"] == ""
    own = report_record(ReportRecord("", None, {}, ("Lưu: VT.",), "Lê Văn C", "", "TL. GIÁM ĐỐC"), "",
                        DEPARTMENT.default_recipients, SIGNER)
    assert (own.signer_name, own.signer_title, own.signer_authority, own.recipients) == (
        "Lê Văn C", "PHÓ GIÁM ĐỐC", "TL. GIÁM ĐỐC", ("Lưu: VT.",))


def test_report_form_shows_the_signer_the_document_prints(sample_workspace):
    """One fallback rule for the Báo cáo page and the printed report: a stored title without a stored name."""
    from desktop.services.documents import report_document, save_report
    from desktop.services.ui_overview import report_form

    with sample_workspace.unit_of_work() as session:
        save_report(session, "2026", signer_title="GIÁM ĐỐC")
    with sample_workspace.unit_of_work() as session:
        form = report_form(session, "2026")
        printed = report_document(session, "2026", date(2026, 11, 22)).signature
    assert (form.signer_authority, form.signer_title, form.signer_name) == (
        printed.authority, printed.title, printed.name)
    assert form.signer_title == "GIÁM ĐỐC"
