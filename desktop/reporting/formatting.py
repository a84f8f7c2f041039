"""Vietnamese administrative formatting: dates, document numbers, percentages, period phrases."""

from __future__ import annotations

import re
from datetime import date

# The gap a văn thư fills in by hand (number, day): non-breaking, so no writer trims or wraps it away.
BLANK = "\u00a0" * 8


def date_line(place: str, day: date | None, draft_on: date | None = None) -> str:
    """"Đắk Lắk, ngày 08 tháng 12 năm 2026": days below 10 and months 1–2 take a leading zero (NĐ 30/2020).

    Without a signing date the day is left blank for the văn thư, with the month and year of
    `draft_on` filled in, as unsigned drafts are printed ("ngày      tháng 6 năm 2026").
    """
    if day is None:
        draft_on = draft_on or date.today()
        return f"{place}, ngày{BLANK}tháng {_month(draft_on.month)} năm {draft_on.year}"
    return f"{place}, ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


def short_date(day: date | None) -> str:
    """"08/12/2026", or an empty string."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def document_number(number: str, kind: str, abbreviation: str) -> str:
    """The "Số:" line: "Số: 05/BC-SXD"; without a number, a blank for the văn thư ("Số:      /BC-SXD")."""
    number = (number or "").strip()
    if not number:
        return f"Số:{BLANK}/{kind}-{abbreviation}"
    if "/" not in number:
        number = f"{number}/{kind}-{abbreviation}"
    match = re.match(r"^(\d)(/.*)$", number)
    if match:
        number = f"0{match.group(1)}{match.group(2)}"
    return f"Số: {number}"


def number_only(number_line: str) -> str:
    """"Số: 05/BC-SXD" → "05/BC-SXD"; the blank form keeps its blank ("        /BC-SXD", non-breaking)."""
    rest = number_line.removeprefix("Số:").strip(" \u00a0")
    return BLANK + rest if rest.startswith("/") else rest


def attached_note(kind_words: str, number_line: str, issued: date | None, draft_on: date, agency: str) -> str:
    """"(Kèm theo Báo cáo số 05/BC-SXD ngày 08/12/2026 của Sở Xây dựng)"; unsigned, the number and day stay
    blank for the văn thư: "(Kèm theo Báo cáo số        /BC-SXD ngày        tháng 11 năm 2026 của …)"."""
    when = f"ngày {short_date(issued)}" if issued else f"ngày{BLANK}tháng {_month(draft_on.month)} năm {draft_on.year}"
    name = keep_together(agency)
    of = "của\u00a0" if "\u00a0" in name else "của "  # "của" goes with a name kept whole
    return f"(Kèm theo {kind_words} số {number_only(number_line)} {when} {of}{name})"


def keep_together(name: str, longest: int = 40) -> str:
    """A short agency name ("Sở Xây dựng") with non-breaking spaces, so a line never wraps inside it; a long
    one keeps its spaces (it must be able to wrap somewhere)."""
    words = name.split()
    return "\u00a0".join(words) if len(" ".join(words)) <= longest else name


def percent(value: float) -> str:
    """95.0 → "95%", 95.5 → "95,5%" (Vietnamese decimal comma)."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def period_phrase(kind: str, start_year: int, end_year: int, code: str = "") -> str:
    """How a period is named inside a sentence: "6 tháng đầu năm 2026", "năm 2026", "giai đoạn 2026-2030",
    "quý II năm 2026" (the quarter is read from the code "2026Q2"), "9 tháng đầu năm 2026"."""
    if kind == "quarter" and code[-1:] in "1234" and code[-2:-1].upper() == "Q":
        return f"quý {('I', 'II', 'III', 'IV')[int(code[-1]) - 1]} năm {start_year}"
    if kind == "nine":
        return f"9 tháng đầu năm {start_year}"
    if kind == "half":
        return f"6 tháng đầu năm {start_year}"
    if kind == "year":
        return f"năm {start_year}"
    return f"giai đoạn {start_year}-{end_year}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def count_phrase(count: int, noun: str = "nhiệm vụ") -> str:
    """"02 nhiệm vụ" style is for documents numbers below 10; counts in prose stay plain: "2 nhiệm vụ"."""
    return f"{count} {noun}"
