"""Reminders on the receiving side: who has not sent a period's report, and the "Công văn đôn đốc" to them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department
from desktop.domain.text import fold
from desktop.errors import InvalidInputError, os_reason
from desktop.reporting.reminder_builder import LateUnit, ReminderLetter, build_reminder_document
from desktop.services import audit, clock
from desktop.services.collect import collect
from desktop.services.queries import current_plan
from desktop.services.workspace import Workspace

REMINDER_FORMATS = ("pdf", "docx")
GRACE_DAYS = 5  # default new deadline: five days after the letter, moved off a weekend


@dataclass(frozen=True)
class ReminderWritten:
    path: Path
    units: tuple[str, ...]  # the late units the letter is addressed to


def default_new_deadline(today: date) -> date:
    day = today + timedelta(days=GRACE_DAYS)
    while day.weekday() >= 5:  # Saturday, Sunday
        day += timedelta(days=1)
    return day


def parse_day(text: str | None, today: date) -> date | None:
    """"20/6/2026", "20/06/2026" or "2026-06-20"; a day before today is refused (a reminder asks for the future)."""
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text.strip(), fmt).date()
            break
        except ValueError:
            continue
    else:
        raise InvalidInputError(f"Hạn gửi mới “{text}” không hợp lệ (ghi dạng 20/6/2026).")
    if day < today:
        raise InvalidInputError(f"Hạn gửi mới {day:%d/%m/%Y} đã qua: hãy chọn một ngày từ hôm nay trở đi.")
    return day


def _lead_tasks(session: Session) -> dict[str, tuple[str, ...]]:
    """The TT of the tasks each unit leads in this office's plan, by folded unit name."""
    plan = current_plan(session, required=False)
    out: dict[str, list[str]] = {}
    for task in plan.tasks if plan else ():
        if task.lead_unit is not None:
            out.setdefault(fold(task.lead_unit.name), []).append(task.number)
    return {k: tuple(v) for k, v in out.items()}


def _plan_reference(session: Session, agency: str) -> tuple[str, str]:
    plan = current_plan(session, required=False)
    if plan is None:
        return "Kế hoạch", ""
    report_to = (plan.report_to or "").split(";")[0].strip()
    if not plan.number:  # not numbered yet: name it by its title
        title = " ".join((plan.title or "").split()).rstrip(".")
        return (f"Kế hoạch {title[:1].lower() + title[1:]}" if title else "Kế hoạch"), report_to
    when = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    return f"Kế hoạch số {plan.number}{when} của {agency}", report_to


def reminder_letter(session: Session, period_code: str, today: date, new_deadline: date | None = None) -> ReminderLetter:
    """The letter's content for the expected units that have not sent the period's report (late or not yet due)."""
    dept = session.scalar(select(Department).limit(1))
    if dept is None:
        raise InvalidInputError("Chưa khai báo thông tin đơn vị (tên cơ quan, người ký). Hãy nhập trong Cài đặt.")
    result = collect(session, period_code, today, details=False)
    missing = [u for u in result.units if u.expected and u.status in ("missing", "overdue")]
    if not missing:
        if not result.expected:
            raise InvalidInputError("Chưa có danh sách đơn vị phải báo cáo: hãy khai báo (khbc expect-unit) trước "
                                    "khi in công văn đôn đốc.")
        raise InvalidInputError(f"Tất cả {result.expected} đơn vị đã gửi báo cáo {result.period_title.lower()}: "
                                "không cần công văn đôn đốc.")
    spec = next((p for p in (current_plan(session, required=False) or _NoPlan()).periods
                 if p.code == result.period_code), None)
    leads = _lead_tasks(session)
    agency_in_text = dept.name_in_text or dept.name.title()
    reference, report_to = _plan_reference(session, agency_in_text)
    keep = next((r.lstrip("-–• ").strip() for r in reversed(dept.default_recipients or ())
                 if r.lstrip("-–• ").startswith("Lưu")), "Lưu: VT, VP.")
    words = re.sub(r"^(Năm|Quý|Giai đoạn)", lambda m: m.group(1).lower(), result.period_title)
    return ReminderLetter(
        parent_agency=dept.parent_agency, agency=dept.name, agency_in_text=agency_in_text,
        abbreviation=dept.abbreviation, place_name=dept.place_name, signer_authority=dept.signer_authority,
        signer_title=dept.signer_title, signer_name=dept.signer_name, keep_line=keep, plan_reference=reference,
        period_words=words, cutoff_start=spec.cutoff_start if spec else None,
        cutoff_end=spec.cutoff_end if spec else None, deadline=result.deadline,
        new_deadline=new_deadline or default_new_deadline(today), today=today,
        units=tuple(LateUnit(u.unit_name, (today - u.deadline).days if u.deadline else None,
                             leads.get(fold(u.unit_name), ())) for u in missing),
        report_to=report_to)


def parse_code(period_code: str) -> str:
    from desktop.domain.periods import parse_period_code

    return parse_period_code(period_code).code


class _NoPlan:
    periods: tuple = ()


def write_reminder(workspace: Workspace, period_code: str, fmt: str = "pdf", out: str | Path | None = None,
                   today: date | None = None, deadline_text: str | None = None) -> ReminderWritten:
    """Write the công văn đôn đốc of a period (PDF or DOCX) and note it in the audit trail."""
    from desktop.services.documents import font_path, write_document

    if fmt not in REMINDER_FORMATS:
        raise InvalidInputError(f"Định dạng \"{fmt}\" không được hỗ trợ cho công văn (chọn pdf hoặc docx).")
    today = today or clock.today()
    new_deadline = parse_day(deadline_text, today)
    with workspace.unit_of_work() as session:
        letter = reminder_letter(session, period_code, today, new_deadline)
        font = font_path(session)
    doc = build_reminder_document(letter)
    code = letter_code = parse_code(period_code)
    name = f"CongVanDonDoc_{letter_code}.{fmt}"
    target = Path(out) if out else Path.cwd() / name
    if target.suffix.lower() not in (".pdf", ".docx"):  # --out names a folder (made if it does not exist yet)
        try:
            target.mkdir(exist_ok=True)
        except OSError as exc:
            raise InvalidInputError(f"Không tạo được thư mục {target}: {os_reason(exc)}") from None
        target = target / name
    written = write_document(doc, fmt, target, font)
    with workspace.unit_of_work() as session:
        audit.record(session, "export", "reminder", None, code, None,
                     "; ".join(u.name for u in letter.units))
    return ReminderWritten(written, tuple(u.name for u in letter.units))
