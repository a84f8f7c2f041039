"""Reporting periods (quý, 6 tháng, 9 tháng, năm, giai đoạn): codes, cut-off windows of Nghị định 09/2019, deadlines.

Decisions:
- Codes follow DHIS2: "2026Q1" (quý I), "2026S1" (6 tháng đầu năm), "2026N9" (9 tháng đầu năm; DHIS2 has
  no such period), "2026" (năm), "2026-2030" (giai đoạn). There is no S2: the year report covers it.
- A plan's regime (its schedule) says which kinds it reports on and may move the four cut-off points
  (end of quý I, of 6 tháng, of 9 tháng, of the year; Nghị định 09/2019: 14/3, 14/6, 14/9, 14/12). The year
  window runs from the day after last year's year cut-off to this year's; quarters chain inside it; the
  6- and 9-month windows start with the year's. So windows of one kind never overlap and leave no gap.
- A quarterly deadline is a day of the month in which the quarter's cut-off falls ("18" → 18/3, 18/6 …).
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
from datetime import date, datetime, timedelta
from typing import Literal

from desktop.domain.text import fold
from desktop.errors import InvalidInputError

PeriodKind = Literal["quarter", "half", "nine", "year", "phase"]
PERIOD_KINDS: tuple[str, ...] = ("quarter", "half", "nine", "year", "phase")  # shortest first
CUTOFF_POINTS: tuple[str, ...] = ("q1", "half", "nine", "year")  # ends of quý I, 6 tháng, 9 tháng, năm
_CUTOFF_DEFAULTS = {"nd09": {"q1": (14, 3), "half": (14, 6), "nine": (14, 9), "year": (14, 12)},
                    "calendar": {"q1": (31, 3), "half": (30, 6), "nine": (30, 9), "year": (31, 12)}}
ROMAN_QUARTERS = ("I", "II", "III", "IV")
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
PERIOD_KIND_LABELS: dict[str, str] = {"quarter": "Quý", "half": "6 tháng", "nine": "9 tháng", "year": "Năm",
                                      "phase": "Giai đoạn"}


def _on(year: int, day: int, month: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _parse_day_month(value: object, what: str = "Hạn gửi báo cáo") -> tuple[int, int]:
    """(day, month) from "10/6", "10/06", [10, 6] or (10, 6); 29/2 is allowed (it becomes 28/2 in other years)."""
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", value)
        if not m:
            raise InvalidInputError(f"{what} không hợp lệ: “{value}” (ghi dạng ngày/tháng, ví dụ 10/6).")
        day, month = int(m.group(1)), int(m.group(2))
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value):
        day, month = value
    else:
        raise InvalidInputError(f"{what} không hợp lệ: {value!r} (ghi dạng ngày/tháng, ví dụ 10/6).")
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2000, month)[1]):
        raise InvalidInputError(f"{what} không hợp lệ: ngày {day}/{month} không có trong lịch.")
    return day, month


def _parse_day(value: object) -> tuple[int, int]:
    """A quarterly deadline: a day of the month ("18" or 18), stored as (day, 0)."""
    if isinstance(value, (list, tuple)) and len(value) == 2 and value[1] == 0:
        value = value[0]
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"\d{1,2}", text) or not 1 <= int(text) <= 31:
        raise InvalidInputError(f"Hạn gửi báo cáo quý không hợp lệ: “{value}” (ghi ngày trong tháng cuối quý, "
                                "ví dụ 18).")
    return int(text), 0


def parse_cutoff_points(values: object) -> dict[str, tuple[int, int]]:
    """The plan's own cut-off points, {"year": "10/12", …} or a list ["10/12", "10/6"] (each goes to the
    point whose quarter its month falls in: 10/12 → year, 10/6 → 6 tháng); checked to be in order."""
    if isinstance(values, (list, tuple)):
        pairs = [_parse_day_month(v, "Ngày chốt số liệu") for v in values]
        values = {CUTOFF_POINTS[(month - 1) // 3]: (day, month) for day, month in pairs}
    if not isinstance(values, dict) or any(k not in CUTOFF_POINTS for k in values):
        raise InvalidInputError("Ngày chốt số liệu phải gắn với cuối quý I (q1), 6 tháng (half), 9 tháng (nine) "
                                "hoặc năm (year).")
    return {k: _parse_day_month(v, "Ngày chốt số liệu") for k, v in values.items()}


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
    cutoffs: dict[str, tuple[int, int]] = field(default_factory=dict, hash=False)  # the plan's own cut-off points

    def __post_init__(self) -> None:
        kinds = tuple(self.kinds) if not isinstance(self.kinds, str) else (self.kinds,)
        if not kinds or any(k not in PERIOD_KINDS for k in kinds) or len(set(kinds)) != len(kinds):
            raise InvalidInputError("Loại kỳ báo cáo không hợp lệ: chỉ dùng quý (quarter), 6 tháng (half), "
                                    "9 tháng (nine), năm (year), giai đoạn (phase), mỗi loại một lần.")
        if not isinstance(self.deadlines, dict) or any(k not in PERIOD_KINDS for k in self.deadlines):
            raise InvalidInputError("Hạn gửi báo cáo phải gắn với loại kỳ quý, 6 tháng, 9 tháng, năm hoặc giai đoạn.")
        if self.cutoff_rule not in CUTOFF_RULES:
            raise InvalidInputError(f"Cách chốt số liệu không hợp lệ: “{self.cutoff_rule}” "
                                    "(dùng nd09 theo Nghị định 09/2019 hoặc calendar theo năm dương lịch).")
        deadlines = {k: _parse_day(v) if k == "quarter" else _parse_day_month(v) for k, v in self.deadlines.items()}
        cutoffs = parse_cutoff_points(self.cutoffs or {})
        points = dict(_CUTOFF_DEFAULTS[self.cutoff_rule], **cutoffs)
        # strictly increasing in a leap year and in a common one (29/2 becomes 28/2 there)
        if any(not all(a < b for a, b in zip(days, days[1:]))
               for days in ([_on(year, *points[k]) for k in CUTOFF_POINTS] for year in (2000, 2001))):
            shown = ", ".join(f"{points[k][0]}/{points[k][1]}" for k in CUTOFF_POINTS)
            raise InvalidInputError(f"Ngày chốt số liệu phải tăng dần trong năm (cuối quý I, 6 tháng, 9 tháng, năm): "
                                    f"{shown}.")
        object.__setattr__(self, "kinds", tuple(sorted(kinds, key=_KIND_RANK.__getitem__)))
        object.__setattr__(self, "deadlines", deadlines)
        object.__setattr__(self, "cutoffs", cutoffs)

    def cutoff_point(self, point: str, year: int) -> date:
        """The last day of data for `point` ("q1", "half", "nine", "year") in `year`."""
        day, month = self.cutoffs.get(point) or _CUTOFF_DEFAULTS[self.cutoff_rule][point]
        return _on(year, day, month)

    def deadline_for(self, kind: str) -> tuple[int, int] | None:
        """(day, month) a report of this kind is due; a phase report defaults to the year deadline."""
        if kind == "phase":
            return self.deadlines.get("phase") or self.deadlines.get("year")
        return self.deadlines.get(kind)

    def to_json(self) -> dict:
        data = {"kinds": list(self.kinds),
                "deadlines": {k: (str(d) if k == "quarter" else f"{d}/{m}") for k, (d, m) in self.deadlines.items()},
                "cutoff_rule": self.cutoff_rule}
        if self.cutoffs:
            data["cutoffs"] = {k: f"{d}/{m}" for k, (d, m) in self.cutoffs.items()}
        return data

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
        return cls(kinds=tuple(kinds), deadlines=dict(deadlines), cutoff_rule=data.get("cutoff_rule", default.cutoff_rule),
                   cutoffs=data.get("cutoffs") or {})


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


def _names(kind: str, start_year: int, end_year: int, quarter: int) -> tuple[str, str, date, date]:
    """Code, title and calendar span of a period."""
    if kind == "quarter":
        return (f"{start_year}Q{quarter}", f"Quý {ROMAN_QUARTERS[quarter - 1]} năm {start_year}",
                date(start_year, 3 * quarter - 2, 1), _on(start_year, 31, 3 * quarter))
    if kind == "half":
        return f"{start_year}S1", f"6 tháng đầu năm {start_year}", date(start_year, 1, 1), date(start_year, 6, 30)
    if kind == "nine":
        return f"{start_year}N9", f"9 tháng đầu năm {start_year}", date(start_year, 1, 1), date(start_year, 9, 30)
    if kind == "year":
        return f"{start_year}", f"Năm {start_year}", date(start_year, 1, 1), date(start_year, 12, 31)
    if kind == "phase":
        return (f"{start_year}-{end_year}", f"Giai đoạn {start_year}-{end_year}", date(start_year, 1, 1),
                date(end_year, 12, 31))
    raise InvalidInputError(f"Loại kỳ báo cáo không hợp lệ: “{kind}”.")


def _window(kind: str, start_year: int, end_year: int, quarter: int, schedule: ReportingSchedule) -> tuple[date, date]:
    """The data cut-off window: from the day after the previous cut-off point to this period's."""
    year_start = schedule.cutoff_point("year", start_year - 1) + timedelta(days=1)
    if kind == "quarter":
        start = year_start if quarter == 1 else (
            schedule.cutoff_point(CUTOFF_POINTS[quarter - 2], start_year) + timedelta(days=1))
        return start, schedule.cutoff_point(CUTOFF_POINTS[quarter - 1], start_year)
    if kind in ("half", "nine"):
        return year_start, schedule.cutoff_point(kind, start_year)
    return year_start, schedule.cutoff_point("year", end_year)


def make_period(kind: str, start_year: int, end_year: int | None = None,
                schedule: ReportingSchedule | None = None, quarter: int = 1) -> Period:
    """Build a period of `kind` for a year (or a phase start..end, or quarter 1–4) under `schedule`
    (None: no deadline, Nghị định 09 windows)."""
    end_year = start_year if end_year is None or kind != "phase" else end_year
    if kind == "quarter" and quarter not in (1, 2, 3, 4):
        raise InvalidInputError(f"Quý không hợp lệ: {quarter} (chỉ có quý I đến quý IV).")
    code, title = _names(kind, start_year, max(end_year, start_year), quarter)[:2]
    for year in (start_year, end_year):
        _check_year(year, code)
    if end_year < start_year or (kind == "phase" and end_year == start_year):
        raise InvalidInputError(f"Mã kỳ báo cáo không hợp lệ: “{code}” (năm kết thúc giai đoạn phải sau "
                                "năm bắt đầu; ví dụ: 2026S1, 2026, 2026-2030).")
    _, _, span_start, span_end = _names(kind, start_year, end_year, quarter)
    rules = schedule or ReportingSchedule(deadlines={})
    cutoff_start, cutoff_end = _window(kind, start_year, end_year, quarter, rules)
    pair = schedule.deadline_for(kind) if schedule else None
    if pair is not None and kind == "quarter":  # a day of the month the quarter's cut-off falls in
        pair = (min(pair[0], calendar.monthrange(cutoff_end.year, cutoff_end.month)[1]), cutoff_end.month)
    return Period(code=code, kind=kind, start_year=start_year, end_year=end_year, title=title,
                  cutoff_start=cutoff_start, cutoff_end=cutoff_end, span_start=span_start, span_end=span_end,
                  deadline=_deadline(pair, cutoff_start, cutoff_end))


_CODE = re.compile(r"(\d{4})(?:-?(?:(s1|6t|6m|h1)|q([1-4])|(n9|9t|9m)))?", re.ASCII)
_PHASE = re.compile(r"(\d{4})-(\d{4})", re.ASCII)


def parse_period_code(code: str, schedule: ReportingSchedule | None = None) -> Period:
    """Period from a code such as "2026S1", "2026" or "2026-2030" (spaces, case and dash style are forgiven)."""
    raw = "" if code is None else str(code)
    compact = re.sub(r"\s+", "", fold(raw))
    error = InvalidInputError(f"Mã kỳ báo cáo không hợp lệ: “{raw.strip()}” "
                              "(ví dụ: 2026S1, 2026, 2026-2030; quý: 2026Q1; 9 tháng: 2026N9).")
    if m := _PHASE.fullmatch(compact):
        _check_year(int(m.group(1)), raw.strip())
        _check_year(int(m.group(2)), raw.strip())
        return make_period("phase", int(m.group(1)), int(m.group(2)), schedule)
    if m := _CODE.fullmatch(compact):
        _check_year(int(m.group(1)), raw.strip())
        if m.group(3):
            return make_period("quarter", int(m.group(1)), None, schedule, quarter=int(m.group(3)))
        kind = "half" if m.group(2) else "nine" if m.group(4) else "year"
        return make_period(kind, int(m.group(1)), None, schedule)
    raise error


def periods_for_plan(start_year: int, end_year: int, schedule: ReportingSchedule) -> list[Period]:
    """Every period of a plan: per year the schedule's quarters, 6- and 9-month and year periods, then the phase."""
    if not (MIN_YEAR <= start_year <= MAX_YEAR and MIN_YEAR <= end_year <= MAX_YEAR) or end_year < start_year:
        raise InvalidInputError(f"Thời gian của kế hoạch không hợp lệ: {start_year}–{end_year} "
                                "(năm bắt đầu không được sau năm kết thúc).")
    periods = [make_period(kind, year, None, schedule, quarter)
               for year in range(start_year, end_year + 1)
               for kind, quarter in (("quarter", 1), ("quarter", 2), ("quarter", 3), ("quarter", 4), ("half", 1),
                                     ("nine", 1), ("year", 1))
               if kind in schedule.kinds]
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
    "CUTOFF_POINTS", "CUTOFF_RULES", "PERIOD_KINDS", "ROMAN_QUARTERS", "parse_cutoff_points", "PERIOD_KIND_LABELS", "PERIOD_STATE_LABELS", "Period", "PeriodKind",
    "PeriodState", "ReportingSchedule", "current_period", "days_left", "make_period", "parse_period_code",
    "periods_for_plan", "period_state",
]


def chosen_period_code(periods: Sequence[Period], wanted: str | None, today: date) -> str | None:
    """The period a period chooser shows: `wanted` when the plan has it, else the first; with nothing wanted,
    the one the clerk works toward today (else the last)."""
    if not periods:
        return None
    if wanted is None:
        wanted = (current_period(periods, today) or periods[-1]).code
    return wanted if any(p.code == wanted for p in periods) else periods[0].code
