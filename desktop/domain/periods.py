"""Reporting periods (6 tháng, năm, giai đoạn): codes, data cut-off windows of Nghị định 09/2019, deadlines and states.

Decisions:
- Codes follow DHIS2: "2026S1" (6 tháng đầu năm), "2026" (năm), "2026-2030" (giai đoạn). There is no
  S2: the second half is covered by the year report.
- A schedule deadline (day, month) is placed in the year nearest to the end of the cut-off window,
  so 10/12 stays in December of the report year even though the Nghị định 09 window ends on 14/12
  (units often ask for reports before the cut-off), while 15/1 moves to January of the next year.
- A period's deadline can fall inside its window; once that deadline has passed an unsent period
  is "overdue" even if the window is still open.
- Without a deadline (no schedule, or none for that kind) a period is never overdue, and
  `current_period` uses the end of its window instead.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from desktop.domain.text import fold
from desktop.errors import InvalidInputError

PeriodKind = Literal["half", "year", "phase"]
PERIOD_KINDS: tuple[str, ...] = ("half", "year", "phase")
CUTOFF_RULES: tuple[str, ...] = ("nd09", "calendar")
MIN_YEAR, MAX_YEAR = 1900, 2200
_KIND_RANK = {kind: i for i, kind in enumerate(PERIOD_KINDS)}

PeriodState = Literal["upcoming", "open", "awaiting", "overdue", "sent"]
PERIOD_STATE_LABELS: dict[str, str] = {
    "upcoming": "Chưa đến kỳ",
    "open": "Đang trong kỳ",
    "awaiting": "Chờ gửi báo cáo",
    "overdue": "Quá hạn gửi",
    "sent": "Đã gửi",
}
PERIOD_KIND_LABELS: dict[str, str] = {"half": "6 tháng", "year": "Năm", "phase": "Giai đoạn"}


def _on(year: int, day: int, month: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _parse_day_month(value: object) -> tuple[int, int]:
    """(day, month) from "10/6", "10/06", [10, 6] or (10, 6); 29/2 is allowed (it becomes 28/2 in other years)."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", value)
        if not m:
            raise InvalidInputError(f"Hạn gửi báo cáo không hợp lệ: “{value}” (ghi dạng ngày/tháng, ví dụ 10/6).")
        day, month = int(m.group(1)), int(m.group(2))
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        day, month = value
    else:
        raise InvalidInputError(f"Hạn gửi báo cáo không hợp lệ: {value!r} (ghi dạng ngày/tháng, ví dụ 10/6).")
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        raise InvalidInputError(f"Hạn gửi báo cáo không hợp lệ: ngày {day}/{month} không có trong lịch.")
    return day, month


@dataclass(frozen=True)
class ReportingSchedule:
    """Which periods a plan reports on, when each report is due, and how the data cut-off is counted.

    The default deadlines (10/6 and 10/12, the sample plan's) are only a convenience: every plan
    should store its own.
    """

    kinds: tuple[PeriodKind, ...] = ("half", "year")
    deadlines: dict[str, tuple[int, int]] = field(
        default_factory=lambda: {"half": (10, 6), "year": (10, 12)}, hash=False)
    cutoff_rule: str = "nd09"

    def __post_init__(self) -> None:
        kinds = tuple(self.kinds) if not isinstance(self.kinds, str) else (self.kinds,)
        if not kinds or any(k not in PERIOD_KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise InvalidInputError("Loại kỳ báo cáo không hợp lệ: chỉ dùng 6 tháng (half), năm (year), "
                                    "giai đoạn (phase), mỗi loại một lần.")
        if not isinstance(self.deadlines, dict) or any(k not in PERIOD_KINDS for k in self.deadlines):
            raise InvalidInputError("Hạn gửi báo cáo phải gắn với loại kỳ 6 tháng, năm hoặc giai đoạn.")
        if self.cutoff_rule not in CUTOFF_RULES:
            raise InvalidInputError(f"Cách chốt số liệu không hợp lệ: “{self.cutoff_rule}” "
                                    "(dùng nd09 theo Nghị định 09/2019 hoặc calendar theo năm dương lịch).")
        deadlines = {k: _parse_day_month(v) for k, v in self.deadlines.items()}
        object.__setattr__(self, "kinds", tuple(sorted(kinds, key=_KIND_RANK.__getitem__)))
        object.__setattr__(self, "deadlines", deadlines)

    def deadline_for(self, kind: str) -> tuple[int, int] | None:
        """(day, month) a report of this kind is due; a phase report defaults to the year deadline."""
        if kind == "phase":
            return self.deadlines.get("phase") or self.deadlines.get("year")
        return self.deadlines.get(kind)

    def to_json(self) -> dict:
        return {"kinds": list(self.kinds),
                "deadlines": {k: f"{d}/{m}" for k, (d, m) in self.deadlines.items()},
                "cutoff_rule": self.cutoff_rule}

    @classmethod
    def from_json(cls, data: dict) -> ReportingSchedule:
        """Read `to_json()` output (deadlines as "10/6" or [10, 6]); raises InvalidInputError on nonsense."""
        if not isinstance(data, dict):
            raise InvalidInputError("Lịch báo cáo không hợp lệ: cần một bảng các trường kinds, deadlines, cutoff_rule.")
        default = cls()  # a missing field keeps the default, so from_json({}) == ReportingSchedule()
        kinds = data.get("kinds", default.kinds)
        deadlines = data.get("deadlines", default.deadlines)
        if not isinstance(kinds, (list, tuple)) or not isinstance(deadlines, dict):
            raise InvalidInputError("Lịch báo cáo không hợp lệ: kinds phải là danh sách, deadlines phải là bảng.")
        return cls(kinds=tuple(kinds), deadlines=dict(deadlines), cutoff_rule=data.get("cutoff_rule", default.cutoff_rule))


@dataclass(frozen=True)
class Period:
    """One reporting period with its cut-off window, the calendar span it reports on, and its deadline."""

    code: str
    kind: PeriodKind
    start_year: int
    end_year: int
    title: str
    cutoff_start: date
    cutoff_end: date
    span_start: date
    span_end: date
    deadline: date | None


def _deadline(pair: tuple[int, int] | None, cutoff_start: date, cutoff_end: date) -> date | None:
    if pair is None:
        return None
    candidates = [_on(y, *pair) for y in (cutoff_end.year, cutoff_end.year + 1)]
    candidates = [d for d in candidates if d > cutoff_start] or candidates
    return min(candidates, key=lambda d: (abs((d - cutoff_end).days), -d.toordinal()))


def _check_year(year: int, code: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInputError(f"Mã kỳ báo cáo không hợp lệ: “{code}” (năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}; "
                                "ví dụ: 2026S1, 2026, 2026-2030).")


def make_period(kind: str, start_year: int, end_year: int | None = None,
                schedule: ReportingSchedule | None = None) -> Period:
    """Build a period of `kind` for a year (or a phase start..end) under `schedule` (None: no deadline, nd09)."""
    end_year = start_year if end_year is None else end_year
    rule = schedule.cutoff_rule if schedule else "nd09"
    if kind == "half":
        code, title = f"{start_year}S1", f"6 tháng đầu năm {start_year}"
        span_start, span_end = date(start_year, 1, 1), date(start_year, 6, 30)
    elif kind == "year":
        code, title = f"{start_year}", f"Năm {start_year}"
        span_start, span_end = date(start_year, 1, 1), date(start_year, 12, 31)
    elif kind == "phase":
        code, title = f"{start_year}-{end_year}", f"Giai đoạn {start_year}-{end_year}"
        span_start, span_end = date(start_year, 1, 1), date(end_year, 12, 31)
    else:
        raise InvalidInputError(f"Loại kỳ báo cáo không hợp lệ: “{kind}”.")
    if kind != "phase":
        end_year = start_year
    for year in (start_year, end_year):
        _check_year(year, code)
    if end_year < start_year or (kind == "phase" and end_year == start_year):
        raise InvalidInputError(f"Mã kỳ báo cáo không hợp lệ: “{code}” (năm kết thúc giai đoạn phải sau "
                                "năm bắt đầu; ví dụ: 2026S1, 2026, 2026-2030).")
    if rule == "nd09":
        # Nghị định 09/2019: from 15/12 of the year before to 14/6 (half) or 14/12 (year, last year of a phase)
        cutoff_start = date(start_year - 1, 12, 15)
        cutoff_end = date(start_year, 6, 14) if kind == "half" else date(end_year, 12, 14)
    else:
        cutoff_start, cutoff_end = span_start, span_end
    pair = schedule.deadline_for(kind) if schedule else None
    return Period(code=code, kind=kind, start_year=start_year, end_year=end_year, title=title,
                  cutoff_start=cutoff_start, cutoff_end=cutoff_end, span_start=span_start, span_end=span_end,
                  deadline=_deadline(pair, cutoff_start, cutoff_end))


_CODE = re.compile(r"(\d{4})(?:-?(s1|6t|6m|h1))?", re.ASCII)
_PHASE = re.compile(r"(\d{4})-(\d{4})", re.ASCII)


def parse_period_code(code: str, schedule: ReportingSchedule | None = None) -> Period:
    """Period from a code such as "2026S1", "2026" or "2026-2030" (spaces, case and dash style are forgiven)."""
    raw = "" if code is None else str(code)
    compact = re.sub(r"\s+", "", fold(raw))
    error = InvalidInputError(f"Mã kỳ báo cáo không hợp lệ: “{raw.strip()}” (ví dụ: 2026S1, 2026, 2026-2030).")
    if m := _PHASE.fullmatch(compact):
        _check_year(int(m.group(1)), raw.strip())
        _check_year(int(m.group(2)), raw.strip())
        return make_period("phase", int(m.group(1)), int(m.group(2)), schedule)
    if m := _CODE.fullmatch(compact):
        _check_year(int(m.group(1)), raw.strip())
        return make_period("half" if m.group(2) else "year", int(m.group(1)), None, schedule)
    raise error


def periods_for_plan(start_year: int, end_year: int, schedule: ReportingSchedule) -> list[Period]:
    """Every period of a plan: per year the schedule's half and year periods, then the phase (if asked and multi-year)."""
    if not (MIN_YEAR <= start_year <= MAX_YEAR and MIN_YEAR <= end_year <= MAX_YEAR) or end_year < start_year:
        raise InvalidInputError(f"Thời gian của kế hoạch không hợp lệ: {start_year}–{end_year} "
                                "(năm bắt đầu không được sau năm kết thúc).")
    periods = [make_period(kind, year, None, schedule)
               for year in range(start_year, end_year + 1) for kind in ("half", "year") if kind in schedule.kinds]
    if "phase" in schedule.kinds and end_year > start_year:
        periods.append(make_period("phase", start_year, end_year, schedule))
    return sorted(periods, key=lambda p: (p.span_end, _KIND_RANK[p.kind]))


def sent_and_not_reopened(sent_at: datetime | None, reopened_at: datetime | None) -> bool:
    """Whether a period's report is sent and the period was not reopened since: its data is locked."""
    return sent_at is not None and (reopened_at is None or reopened_at < sent_at)


def period_state(period: Period, today: date, sent: bool = False) -> PeriodState:
    """Where `today` stands for the period: before its window, inside it, waiting for the report, late, or sent."""
    if sent:
        return "sent"
    if period.deadline is not None and today > period.deadline:
        return "overdue"
    if today < period.cutoff_start:
        return "upcoming"
    if today <= period.cutoff_end:
        return "open"
    return "awaiting"


def current_period(periods: Sequence[Period], today: date) -> Period | None:
    """The period the clerk is working toward: the earliest deadline on or after today (shorter period first on a tie)."""
    def due(p: Period) -> date:
        return p.deadline if p.deadline is not None else p.cutoff_end

    ahead = [p for p in periods if due(p) >= today]
    if not ahead:
        return None
    return min(ahead, key=lambda p: (due(p), _KIND_RANK[p.kind], p.span_start))


def days_left(period: Period, today: date) -> int | None:
    """Days from today to the period's deadline (negative when passed); None without a deadline."""
    return None if period.deadline is None else (period.deadline - today).days


__all__ = [
    "CUTOFF_RULES", "PERIOD_KINDS", "PERIOD_KIND_LABELS", "PERIOD_STATE_LABELS", "Period", "PeriodKind",
    "PeriodState", "ReportingSchedule", "current_period", "days_left", "make_period", "parse_period_code",
    "periods_for_plan", "period_state",
]
