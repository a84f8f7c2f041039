"""Producing the period report and the plan as PDF, XLSX or DOCX, and keeping the report's own text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Progress, Report, Setting, TargetFigure
from desktop.domain.report_values import SECTION_KEYS
from desktop.domain.outline import load_outline
from desktop.domain.text import as_text, as_text_list
from desktop.errors import InvalidInputError
from desktop.reporting.document import AdminDocument
from desktop.reporting.narrative import draft_sections
from desktop.reporting.report_checks import MissingItem, missing_items
from desktop.reporting.plan_builder import build_plan_document
from desktop.reporting.report_builder import build_report_document
from desktop.services import audit
from desktop.services.progress import ensure_editable
from desktop.services.queries import current_plan, find_period, list_tasks
from desktop.services.report_context import department_info, period_targets, plan_text, report_context
from desktop.services.workspace import FONT_PATH_KEY, Workspace

REPORT_FIELDS = ("number", "issued_on", *SECTION_KEYS, "recipients", "signer_name", "signer_title",
                 "signer_authority")


def font_path(session: Session) -> str | None:
    """The report font chosen in Cài đặt, if any."""
    return session.scalar(select(Setting.value).where(Setting.key == FONT_PATH_KEY)) or None


def report_document(session: Session, period_code: str, today: date) -> AdminDocument:
    plan = current_plan(session)
    return build_report_document(report_context(session, plan, period_code, today), load_outline(plan.outline))


def plan_document(session: Session, today: date) -> AdminDocument:
    plan = current_plan(session)
    return build_plan_document(department_info(session), plan_text(plan), period_targets(session, plan, None),
                               list_tasks(session, None, today), today)


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


def report_warnings(workspace: Workspace, period_code: str, today: date) -> tuple[ReportFreshness, list[MissingItem]]:
    """The staleness of the stored text and the gaps of the period, read in one unit of work."""
    with workspace.read() as session:
        return report_freshness(session, period_code), report_gaps(session, period_code, today)


def write_report(workspace: Workspace, period_code: str, fmt: str, out: Path | None, today: date,
                 redraft: bool = False) -> Path:
    """Print the period's report; with `redraft`, the five sections are drafted again from the data first
    (kept only when the file was written: a failed print leaves the stored text as it was)."""
    with workspace.unit_of_work() as session:
        if redraft:
            draft_report(session, period_code, today, overwrite=True)
        doc = report_document(session, period_code, today)
        abbreviation = department_info(session).abbreviation
        font = font_path(session)
        code = find_period(session, current_plan(session), period_code).code
        target = out or Path.cwd() / f"BaoCao_{_ascii(abbreviation)}_{code}.{fmt}"
        if target.is_dir():
            target = target / f"BaoCao_{_ascii(abbreviation)}_{code}.{fmt}"
        if redraft:
            return write_document(doc, fmt, target, font)
    return write_document(doc, fmt, target, font)


def write_plan_document(workspace: Workspace, fmt: str, out: Path | None, today: date) -> Path:
    if fmt not in ("pdf", "xlsx"):
        raise InvalidInputError("Kế hoạch được in ra PDF hoặc XLSX.")
    with workspace.read() as session:
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


def draft_report(session: Session, period_code: str, today: date, overwrite: bool = False,
                 only: tuple[str, ...] | None = None) -> dict[str, str]:
    """"Soạn tự động": draft the five sections from the data and store them (only empty ones unless overwrite;
    with `only`, just those sections)."""
    plan = current_plan(session)
    drafted = draft_sections(report_context(session, plan, period_code, today))
    report = _report_row(session, period_code)
    changes = {key: text for key, text in drafted.items() if (only is None or key in only)
               and (overwrite or not (getattr(report, key) or "").strip())}
    save_report(session, period_code, **changes)
    for key in changes:  # drafted now from the current data, even where the text came out the same
        audit.record(session, "draft", "report", report.id, key, None, "soạn tự động")
    return {key: getattr(report, key) for key in SECTION_KEYS}


SECTION_TITLES = {"direction": "I", "results": "II", "assessment": "III", "next_steps": "IV", "proposals": "V"}


@dataclass(frozen=True)
class ReportFreshness:
    """Whether the stored text of a report was written before the latest change to the period's results."""

    period_code: str
    data_at: datetime | None  # latest change to progress or target figures of the period (UTC)
    text_at: datetime | None  # latest write or draft of a stored section (UTC)
    stale_sections: tuple[str, ...]  # keys of stored sections older than data_at

    @property
    def stale(self) -> bool:
        return bool(self.stale_sections)

    def message(self) -> str:
        if not self.stale:
            return ""
        parts = ", ".join(f"mục {SECTION_TITLES[k]}" for k in self.stale_sections)
        local = self.data_at.astimezone() if self.data_at else None
        when = local.strftime("%H:%M ngày %d/%m/%Y") if local else ""
        return (f"Nội dung đã lưu ({parts}) được viết trước lần cập nhật kết quả gần nhất ({when}): phần lời "
                "có thể không khớp với bảng phụ lục. Hãy bấm \"Soạn lại\" trên trang Báo cáo (hoặc lệnh "
                f"khbc report --period {self.period_code} --redraft) rồi đọc lại trước khi ký.")


def report_freshness(session: Session, period_code: str) -> ReportFreshness:
    """Compare when each stored section was last written or drafted with the period's latest result change."""
    period = find_period(session, current_plan(session), period_code)
    data_at = max((t for t in (
        session.scalar(select(func.max(Progress.updated_at)).where(Progress.period_id == period.id)),
        session.scalar(select(func.max(TargetFigure.updated_at)).where(TargetFigure.period_id == period.id)),
    ) if t is not None), default=None)
    report = session.scalar(select(Report).where(Report.period_id == period.id))
    if report is None:
        return ReportFreshness(period.code, data_at, None, ())
    written = dict(session.execute(
        select(AuditEntry.field, func.max(AuditEntry.at))
        .where(AuditEntry.entity == "report", AuditEntry.entity_id == report.id,
               AuditEntry.field.in_(SECTION_KEYS)).group_by(AuditEntry.field)).all())
    stale = []
    text_at = None
    for key in SECTION_KEYS:
        if not (getattr(report, key) or "").strip():
            continue  # an empty section is drafted afresh at every print: never stale
        at = written.get(key) or report.updated_at
        text_at = at if text_at is None or (at and at > text_at) else text_at
        if data_at is not None and at is not None and at < data_at:
            stale.append(key)
    return ReportFreshness(period.code, data_at, text_at, tuple(stale))


def report_gaps(session: Session, period_code: str, today: date) -> list[MissingItem]:
    """What the period's report still lacks (tasks due with no result, targets with no figure, documents dated
    outside the period): shown before export, kept in the package's data."""
    return missing_items(report_context(session, current_plan(session), period_code, today))
