"""Producing the period report and the plan as PDF, XLSX or DOCX, and keeping the report's own text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Report, Setting
from desktop.domain.text import as_text, as_text_list
from desktop.errors import InvalidInputError
from desktop.reporting.document import AdminDocument
from desktop.reporting.narrative import draft_sections
from desktop.reporting.plan_builder import build_plan_document
from desktop.reporting.report_builder import build_report_document
from desktop.reporting.report_data import SECTION_KEYS, department_info, gather
from desktop.services import audit
from desktop.services.progress import ensure_editable
from desktop.services.queries import find_period, list_tasks
from desktop.services.setup import current_plan
from desktop.services.workspace import FONT_PATH_KEY, Workspace

REPORT_FIELDS = ("number", "issued_on", *SECTION_KEYS, "recipients", "signer_name", "signer_title",
                 "signer_authority")


def font_path(session: Session) -> str | None:
    """The report font chosen in Cài đặt, if any."""
    return session.scalar(select(Setting.value).where(Setting.key == FONT_PATH_KEY)) or None


def report_document(session: Session, period_code: str, today: date) -> AdminDocument:
    plan = current_plan(session)
    return build_report_document(gather(session, plan, period_code, today))


def plan_document(session: Session, today: date) -> AdminDocument:
    plan = current_plan(session)
    targets = [f"{t.goal_text} {t.content[:1].lower()}{t.content[1:]}." if t.goal_text.endswith("%")
               else f"{t.content}." for t in plan.targets]
    tasks = list_tasks(session, None, today)
    return build_plan_document(department_info(session), plan, targets, tasks, today)


def _ascii(text: str) -> str:
    """"SXD" stays "SXD"; Vietnamese letters lose their marks so file names stay plain ASCII."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^A-Za-z0-9]+", "", plain) or "KHBC"


def write_document(doc: AdminDocument, fmt: str, out: Path, font: str | None = None) -> Path:
    """Write `doc` in the given format; the writers are imported only here, when a document is asked for."""
    if fmt == "pdf":
        from desktop.reporting.pdf_writer import write_pdf

        return write_pdf(doc, out, font_path=font)
    if fmt == "xlsx":
        from desktop.reporting.xlsx_writer import write_xlsx

        return write_xlsx(doc, out)
    if fmt == "docx":
        from desktop.reporting.docx_writer import write_docx

        return write_docx(doc, out)
    raise InvalidInputError(f"Định dạng \"{fmt}\" không được hỗ trợ (chọn pdf, xlsx hoặc docx).")


def write_report(workspace: Workspace, period_code: str, fmt: str, out: Path | None, today: date) -> Path:
    with workspace.unit_of_work() as session:
        doc = report_document(session, period_code, today)
        abbreviation = department_info(session).abbreviation
        font = font_path(session)
        code = find_period(session, current_plan(session), period_code).code
    target = out or Path.cwd() / f"BaoCao_{_ascii(abbreviation)}_{code}.{fmt}"
    if target.is_dir():
        target = target / f"BaoCao_{_ascii(abbreviation)}_{code}.{fmt}"
    return write_document(doc, fmt, target, font)


def write_plan_document(workspace: Workspace, fmt: str, out: Path | None, today: date) -> Path:
    if fmt not in ("pdf", "xlsx"):
        raise InvalidInputError("Kế hoạch được in ra PDF hoặc XLSX.")
    with workspace.unit_of_work() as session:
        doc = plan_document(session, today)
        abbreviation = department_info(session).abbreviation
        font = font_path(session)
    target = out or Path.cwd() / f"KeHoach_{_ascii(abbreviation)}.{fmt}"
    if target.is_dir():
        target = target / f"KeHoach_{_ascii(abbreviation)}.{fmt}"
    return write_document(doc, fmt, target, font)


def _report_row(session: Session, period_code: str) -> Report:
    plan = current_plan(session)
    period = find_period(session, plan, period_code)
    report = session.scalar(select(Report).where(Report.period_id == period.id))
    if report is None:
        report = Report(period=period)
        session.add(report)
        session.flush()
        audit.record(session, "create", "report", report.id, "period", None, period.code)
    return report


def save_report(session: Session, period_code: str, **fields) -> Report:
    """Store edited report fields (number, date, sections, recipients, signer) for a period."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise InvalidInputError(f"Trường không hợp lệ của báo cáo: {', '.join(sorted(unknown))}.")
    report = _report_row(session, period_code)
    ensure_editable(report.period)
    clean: dict[str, object] = {}
    for key, value in fields.items():
        if key == "recipients":
            clean[key] = as_text_list(value, "nơi nhận")
        elif key == "issued_on":
            if value is not None and not isinstance(value, date):
                raise InvalidInputError("Ngày ký báo cáo không hợp lệ.")
            clean[key] = value
        else:
            clean[key] = as_text(value, key)
    audit.apply_changes(session, report, "report", clean)
    return report


def draft_report(session: Session, period_code: str, today: date, overwrite: bool = False) -> dict[str, str]:
    """"Soạn tự động": draft the five sections from the data and store them (only empty ones unless overwrite)."""
    plan = current_plan(session)
    drafted = draft_sections(gather(session, plan, period_code, today))
    report = _report_row(session, period_code)
    changes = {key: text for key, text in drafted.items() if overwrite or not (getattr(report, key) or "").strip()}
    save_report(session, period_code, **changes)
    return {key: getattr(report, key) for key in SECTION_KEYS}
