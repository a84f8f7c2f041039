"""The "Công văn đôn đốc" to units that have not sent a period's report, as an AdminDocument (Nghị định 30/2020)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import BLANK, attached_note, date_line, lower_first, short_date

ADDRESSEE_LIMIT = 6  # more late units than this: "Kính gửi: Các đơn vị có tên tại Phụ lục kèm theo"
LIST_COLUMNS = (Column("TT", 0.5, "center"), Column("Đơn vị", 3.2), Column("Báo cáo còn thiếu", 3.0),
                Column("Hạn gửi", 1.2, "center"))


@dataclass(frozen=True)
class LateUnit:
    name: str
    overdue_days: int | None  # days past the deadline; None without a deadline
    lead_tasks: tuple[str, ...] = ()  # TT of the plan's tasks this unit leads (when its name matches the plan's)


@dataclass(frozen=True)
class ReminderLetter:
    """Everything the letter says, as plain values."""

    parent_agency: str
    agency: str  # "SỞ XÂY DỰNG"
    agency_in_text: str  # "Sở Xây dựng"
    abbreviation: str  # "SXD"
    place_name: str
    signer_authority: str
    signer_title: str
    signer_name: str
    keep_line: str  # "Lưu: VT, VP."
    plan_reference: str  # "Kế hoạch số 120/KH-SXD ngày 15/01/2026 của Sở Xây dựng" (or "Kế hoạch")
    period_words: str  # "6 tháng đầu năm 2026"
    cutoff_start: date | None
    cutoff_end: date | None
    deadline: date | None  # the deadline that was missed
    new_deadline: date  # the date the letter now asks for
    today: date
    units: tuple[LateUnit, ...]
    report_to: str = ""  # whom the collecting office reports to ("UBND tỉnh"), for the reason sentence


def reminder_subject(letter: ReminderLetter) -> str:
    plan = letter.plan_reference.split(" ngày ")[0] if letter.plan_reference.startswith("Kế hoạch số ") else "Kế hoạch"
    return f"V/v đôn đốc gửi báo cáo kết quả thực hiện {plan} {letter.period_words}"


def _missing(letter: ReminderLetter, unit: LateUnit) -> str:
    what = f"Báo cáo kết quả thực hiện Kế hoạch {letter.period_words}"
    if unit.lead_tasks:
        shown = ", ".join(unit.lead_tasks[:12]) + (", …" if len(unit.lead_tasks) > 12 else "")
        what += f" (nhiệm vụ chủ trì: {shown})"
    return what


def _late_words(letter: ReminderLetter, unit: LateUnit) -> str:
    if letter.deadline is None or unit.overdue_days is None:
        return "chưa gửi"
    if unit.overdue_days <= 0:
        return "chưa gửi"
    return f"chưa gửi, đã quá hạn {unit.overdue_days} ngày"


def _body(letter: ReminderLetter, in_appendix: bool) -> list[Block]:
    dept = letter.agency_in_text
    window = ""
    if letter.cutoff_start and letter.cutoff_end:
        window = (f" (số liệu tính từ ngày {short_date(letter.cutoff_start)} đến ngày "
                  f"{short_date(letter.cutoff_end)})")
    due = f" trước ngày {short_date(letter.deadline)}" if letter.deadline else ""
    blocks = [Block("paragraph", f"Thực hiện {letter.plan_reference}, các đơn vị có trách nhiệm báo cáo kết quả "
                                 f"thực hiện {letter.period_words}{window} gửi về {dept}{due}.")]
    count = len(letter.units)
    if in_appendix:
        blocks.append(Block("paragraph", f"Đến ngày {short_date(letter.today)}, {dept} chưa nhận được báo cáo của "
                                         f"{count} đơn vị (danh sách và nội dung còn thiếu tại Phụ lục kèm theo)."))
    else:
        blocks.append(Block("paragraph", f"Đến ngày {short_date(letter.today)}, {dept} chưa nhận được báo cáo của "
                                         f"{'các đơn vị sau' if count > 1 else 'đơn vị sau'}:"))
        last = count - 1
        for i, unit in enumerate(letter.units):
            blocks.append(Block("bullet", f"{unit.name}: {_missing(letter, unit)}, {_late_words(letter, unit)}"
                                          f"{'.' if i == last else ';'}"))
    upward = f", báo cáo {letter.report_to}" if letter.report_to else ""
    blocks.append(Block("paragraph", f"Để bảo đảm tổng hợp{upward} đúng thời gian quy định, {dept} đề nghị "
                                     f"{'các đơn vị' if count > 1 else 'đơn vị'} khẩn trương hoàn thành, gửi báo cáo "
                                     f"về {dept} trước ngày {short_date(letter.new_deadline)}."))
    blocks.append(Block("paragraph", f"Quá thời hạn trên, {'đơn vị nào' if count > 1 else 'nếu đơn vị'} chưa gửi "
                                     f"báo cáo, {dept} sẽ tổng hợp, báo cáo lãnh đạo xem xét, xử lý theo quy định./."))
    return blocks


def build_reminder_document(letter: ReminderLetter) -> AdminDocument:
    """The letter: letterhead with "V/v …" under the number, Kính gửi the late units, what is missing, the deadline."""
    in_appendix = len(letter.units) > ADDRESSEE_LIMIT
    number_line = f"Số:{BLANK}/{letter.abbreviation}-VP"  # the văn thư numbers it; Văn phòng drafts đôn đốc
    subject = reminder_subject(letter)
    addressees = (("Các đơn vị có tên tại Phụ lục kèm theo",) if in_appendix
                  else tuple(u.name for u in letter.units))
    appendices: tuple[Appendix, ...] = ()
    if in_appendix:
        note = attached_note("Công văn", number_line, None, letter.today, letter.agency_in_text)
        rows = tuple(Row((str(i), u.name, _missing(letter, u) + f" ({_late_words(letter, u)})",
                          short_date(letter.deadline) or "—")) for i, u in enumerate(letter.units, start=1))
        appendices = (Appendix("PHỤ LỤC", "DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO", note, LIST_COLUMNS, rows,
                               landscape=False, sheet_name="DanhSach"),)
    recipients = ("Như trên;", letter.keep_line or "Lưu: VT, VP.")
    return AdminDocument(
        letterhead=Letterhead(letter.parent_agency, letter.agency, number_line,
                              date_line(letter.place_name, None, letter.today), subject=subject),
        doc_type="", summary=subject, body=tuple(_body(letter, in_appendix)), recipients=recipients,
        signature=Signature(letter.signer_authority, letter.signer_title, letter.signer_name),
        appendices=appendices, addressees=addressees, title=f"Công văn {lower_first(subject)}",
        author=letter.agency_in_text)
