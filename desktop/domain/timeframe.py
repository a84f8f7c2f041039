"""Reads a task's free-text "Thời gian thực hiện" into deadlines, yearly recurrence and year bounds; never raises.

Decisions (the texts are written by hand, so the rules favour what a clerk means):
- Matching runs on folded text (no diacritics, lower case) and tolerates letters lost in PDF
  conversion ("Thư ng xuyên", "H ng năm", "Qu  III/2026"); the original text is kept verbatim.
- A quarter/month/year names its last day: "Quý III/2026" → 30/09/2026, "Tháng 6/2026" → 30/06/2026,
  "Năm 2028" → 31/12/2028. A list sharing one year ("Quý I, II/2027", "tháng 6 - 8/2026") is one
  deadline at the end of the last unit named; items with their own years are separate deadlines.
- "6 tháng đầu năm" → 30/6, "6 tháng cuối năm" → 31/12, "đầu năm" → 31/3 (end of the first quarter),
  "giữa năm" → 30/6, "cuối năm" → 31/12. "Trước …"/"đến …" are read as "by …".
- Day/month or quarter without a year and without "hằng năm" take the year of a dated item in the
  same text, else the first plan year (`years[0]`); beside a year range, or with no year at all,
  they are ignored ("Quý IV" alone is "unknown").
- "Hằng năm"/"hằng quý"/"hằng tháng"/"định kỳ 6 tháng" make the task recurring ("định kỳ" alone is
  read as yearly; "hằng ngày"/"hằng tuần" as continuous). Explicit day/months in the text ("trước
  ngày 10/6 và 10/12 hàng năm") replace the default dates (31/12; 30/6+31/12; quarter/month ends).
  A year range in the same text bounds the recurrence ("Sơ kết hằng năm, tổng kết giai đoạn 2026 - 2030");
  a bare year does too ("Hàng năm và năm 2030" → end_year 2030 plus the explicit 31/12/2030).
  start_year/end_year are not taken from `years`: that argument only chooses which dates to list.
- "Thường xuyên, hằng năm" is recurring with continues=True (continuous work, reported yearly);
  "Thường xuyên" or "khi có yêu cầu" beside a deadline gives continues=True; beside a year range it stays
  continuous, bounded by the range. "Từ năm 2027"/"2027 trở đi" → continuous from 2027.
- "Từ X đến Y" or "X - Y" between two dated items → range over their years, deadline = end of Y.
- A text that starts as a condition ("Sau khi …", "Khi có hướng dẫn …", "Trong vòng 30 ngày …") is
  conditional with the whole text as condition and no dates (numbers in it are usually document numbers).
- Only the first 1,000 characters are examined; anything unreadable is kind "unknown", text kept.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from typing import Literal

from desktop.domain.text import fold, nfc, strip_control
from desktop.domain.text import tolerant_pattern as _tol  # short: it is spelled out in every pattern below
from desktop.errors import InvalidInputError

TimeframeKind = Literal["deadline", "recurring", "continuous", "range", "on_demand", "conditional", "unknown"]
KINDS: tuple[str, ...] = ("deadline", "recurring", "continuous", "range", "on_demand", "conditional", "unknown")

YEARLY = ((31, 12),)
HALF_YEARLY = ((30, 6), (31, 12))
QUARTERLY = ((31, 3), (30, 6), (30, 9), (31, 12))
MONTHLY = tuple((29 if m == 2 else calendar.monthrange(2001, m)[1], m) for m in range(1, 13))
_MAX_CHARS = 1000


def _on(year: int, day: int, month: int) -> date:
    """The date (day, month) in `year`, with the day clamped to the month's length (29/2 → 28/2)."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _dm(pair: tuple[int, int]) -> str:
    return f"{pair[0]:02d}/{pair[1]:02d}"


def _join_vi(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


@dataclass(frozen=True)
class Timeframe:
    """What a task's "Thời gian thực hiện" means, with the original text kept verbatim."""

    text: str
    kind: TimeframeKind
    deadlines: tuple[date, ...] = ()
    start_year: int | None = None
    end_year: int | None = None
    continues: bool = False
    recurring: tuple[tuple[int, int], ...] = ()
    condition: str = ""

    def deadlines_between(self, start: date, end: date) -> tuple[date, ...]:
        """Explicit deadlines in [start, end] plus the recurring ones of every year in it, within the year bounds."""
        if start > end:
            return ()
        found = {d for d in self.deadlines if start <= d <= end}
        if self.recurring:
            lo = start.year if self.start_year is None else max(start.year, self.start_year)
            hi = end.year if self.end_year is None else min(end.year, self.end_year)
            for year in range(max(lo, MINYEAR), min(hi, MAXYEAR) + 1):
                for pair in self.recurring:
                    d = _on(year, *pair)
                    if start <= d <= end:
                        found.add(d)
        return tuple(sorted(found))

    def _bounds(self) -> str:
        if self.start_year is not None and self.end_year is not None and self.start_year != self.end_year:
            return f"giai đoạn {self.start_year}–{self.end_year}"
        if self.start_year is not None and self.end_year is not None:
            return f"năm {self.start_year}"
        if self.end_year is not None:
            return f"đến năm {self.end_year}"
        if self.start_year is not None:
            return f"từ năm {self.start_year}"
        return ""

    def label(self) -> str:
        """A short Vietnamese reading of the timeframe for the user interface."""
        kind = self.kind
        if kind == "deadline" and self.deadlines:
            out = "Hạn: " + "; ".join(_dmy(d) for d in self.deadlines)
            return out + (", sau đó duy trì" if self.continues else "")
        if kind == "recurring":
            rec = tuple(sorted(set(self.recurring), key=lambda p: (p[1], p[0])))
            named = {YEARLY: "Hằng năm", HALF_YEARLY: "Định kỳ 6 tháng", QUARTERLY: "Hằng quý", MONTHLY: "Hằng tháng"}
            base = named.get(rec) or "Hằng năm, hạn " + _join_vi([_dm(p) for p in rec])
            if self.continues:
                base = "Thường xuyên, " + base[0].lower() + base[1:]
            if self._bounds():
                base += ", " + self._bounds()
            extra = [d for d in self.deadlines if not any(_on(d.year, *p) == d for p in rec)]
            return base + ("; hạn " + ", ".join(_dmy(d) for d in extra) if extra else "")
        if kind == "continuous":
            bounds = self._bounds()
            if self.start_year is not None and self.end_year is None:
                return f"Thường xuyên từ năm {self.start_year}"
            return "Thường xuyên" + (", " + bounds if bounds else "")
        if kind == "range" and self.start_year is not None:
            end = self.end_year if self.end_year is not None else self.start_year
            out = f"Giai đoạn {self.start_year}–{end}" if end != self.start_year else f"Trong năm {end}"
            if self.deadlines and self.deadlines[-1] != date(end, 12, 31):
                out += ", hạn " + _dmy(self.deadlines[-1])
            return out + (", sau đó duy trì" if self.continues else "")
        if kind == "on_demand":
            return "Theo yêu cầu"
        if kind == "conditional":
            cond = self.condition or self.text
            return "Khi có điều kiện: " + (cond if len(cond) <= 60 else cond[:59].rstrip() + "…")
        return "Chưa xác định (giữ nguyên văn)"

    def to_json(self) -> dict:
        """Plain JSON-ready dict; dates as ISO strings, `label` added for readers that only display."""
        return {
            "text": self.text,
            "kind": self.kind,
            "deadlines": [d.isoformat() for d in self.deadlines],
            "start_year": self.start_year,
            "end_year": self.end_year,
            "continues": self.continues,
            "recurring": [[d, m] for d, m in self.recurring],
            "condition": self.condition,
            "label": self.label(),
        }

    @classmethod
    def from_json(cls, data: dict) -> Timeframe:
        """Rebuild from `to_json()` output; raises InvalidInputError on anything malformed (`label` is ignored)."""
        def year(v):
            if v is None:
                return None
            if isinstance(v, bool) or not isinstance(v, int) or not MINYEAR <= v <= MAXYEAR:
                raise ValueError(v)
            return v

        try:
            kind = data["kind"]
            if kind not in KINDS:
                raise ValueError(kind)
            text, condition, continues = data.get("text", ""), data.get("condition", ""), data.get("continues", False)
            if not isinstance(text, str) or not isinstance(condition, str) or not isinstance(continues, bool):
                raise ValueError("types")
            recurring = []
            for pair in data.get("recurring", []):
                d, m = pair
                if isinstance(d, bool) or isinstance(m, bool):
                    raise ValueError(pair)
                date(2000, int(m), int(d))  # validates, 29/2 allowed
                recurring.append((int(d), int(m)))
            return cls(text=text, kind=kind,
                       deadlines=tuple(date.fromisoformat(s) for s in data.get("deadlines", [])),
                       start_year=year(data.get("start_year")), end_year=year(data.get("end_year")),
                       continues=continues, recurring=tuple(recurring), condition=condition)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInputError("Dữ liệu thời gian thực hiện không hợp lệ, không đọc được.") from exc


# --- patterns (on folded, cleaned text: only a-z 0-9 space and / . , ; : - + &) ---

def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


NAM, THANG, NGAY = _tol("năm"), _tol("tháng"), _tol("ngày")
HANG = rf"(?:{_tol('hằng')}|{_tol('mỗi')}|{_tol('từng')})"
LAN = _tol("lần")
DEN = rf"(?:{_tol('đến')}(?:\s*{_tol('hết')})?|t(?:o| ?)i)"
Y = r"((?:19|20|21)\d\d)(?!\d)"
YSUF = rf"(?:\s*[/.,\-]?\s*(?:{NAM}\s*)?{Y})"
SEP = rf"\s*(?:,|-|&|\+|;|va|{DEN})\s*"
QUY = r"\bq(?:u(?:y|i| )?)?\.?\s*"
QNUM = r"(?:iv|iii|ii|i|[1-4]|mot|hai|ba|bon|tu)(?![a-z0-9])"
DAU, CUOI, GIUA = _tol("đầu"), _tol("cuối"), _tol("giữa")
_QUARTER_OF = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4}

_DMY = _rx(rf"(?<![\d/.])(\d{{1,2}})\s*[/.\-]\s*(\d{{1,2}})\s*[/.\-]\s*{Y}"
           rf"|\b{NGAY}\s*(\d{{1,2}})\s*{THANG}\s*(\d{{1,2}}){YSUF}")
_YEAR_RANGE = _rx(rf"(?<![\d/.])(?:{NAM}\s*)?{Y}\s*(?:-|{DEN})\s*(?:{NAM}\s*)?((?:19|20|21)\d\d|\d\d)(?![\d/])")
_HALF = _rx(rf"(?:\b(?:0?6|sau)\s*{THANG}|\bnua)\s*({DAU}|{CUOI}|sau)\s*{NAM}(?:\s*{Y})?")
_PART = _rx(rf"\b({DAU}|{GIUA}|{CUOI})\s*{NAM}(?:\s*{Y})?")
_FREQ = (  # (pattern, default yearly (day, month) dates)
    # a bare "6 tháng" is a duration, so half-yearly needs "định kỳ"/"hằng"/"1 lần" or a following yearly part
    (_rx(rf"\b(?:{_tol('định kỳ')}|{HANG}|bao\s*cao)\s*(?:0?6|sau)\s*{THANG}(?:\s*(?:0?1|mot)\s*{LAN})?"
         rf"|\b(?:0?6|sau)\s*{THANG}\s*(?:(?:0?1|mot)\s*|/\s*){LAN}"
         rf"|\bnua\s*{NAM}\s*(?:0?1|mot)\s*{LAN}|{_tol('bán niên')}"
         rf"|\b0?6\s*{THANG}(?=\s*(?:,|va|;)\s*(?:{HANG}\s*{NAM}|(?:0?1|mot)\s*{NAM}))"), HALF_YEARLY),
    (_rx(rf"\b(?:{HANG}|{_tol('định kỳ')})\s*qu(?:y|i| )?(?![a-z])(?!\s*dinh)"  # not "định kỳ quy định"
         rf"|\b(?:0?3|ba)\s*{THANG}\s*(?:0?1|mot)\s*{LAN}"), QUARTERLY),
    (_rx(rf"\b(?:{HANG}|theo)\s*{THANG}(?!\s*\d)|\b(?:0?1|mot)\s*{THANG}\s*(?:0?1|mot)\s*{LAN}"), MONTHLY),
    (_rx(rf"\b{HANG}\s*{NAM}(?!\s*\d)|{_tol('thường niên')}|\b(?:0?1|mot)\s*{NAM}\s*(?:0?1|mot)\s*{LAN}"
         rf"|\b{NAM}\s*(?:0?1|mot)\s*{LAN}|{_tol('định kỳ')}\s*(?:0?1|mot)\s*{NAM}"), YEARLY),
)
_PERIODIC = _rx(rf"\b{_tol('định kỳ')}")
_QUARTER = _rx(rf"{QUY}({QNUM}(?:{SEP}(?:{QUY})?{QNUM})*){YSUF}?")
_MONTH = _rx(rf"\b{THANG}\s*(\d{{1,2}}(?!\d)(?:{SEP}(?:{THANG}\s*)?\d{{1,2}}(?!\d))*){YSUF}?")
_MONTH_YEAR = _rx(rf"(?:\bt)?(?<![\d/.])(\d{{1,2}})\s*[/\-.]\s*{Y}(?![/\d])")
_DAY_MONTH = _rx(rf"(?<![\d/.])(\d{{1,2}})\s*/\s*(\d{{1,2}})(?![\d/])"
                 rf"|\b{NGAY}\s*(\d{{1,2}})\s*{THANG}\s*(\d{{1,2}})(?!\d)")
_YEAR = _rx(rf"(?:\b{NAM}\s*)?(?<![\d/.\-]){Y}(?![\d/])")

_CONTINUOUS = _rx(rf"{_tol('thường xuyên')}|{_tol('liên tục')}|\b{HANG}\s*(?:{NGAY}|{_tol('tuần')})|\bsuot\b")
_ON_DEMAND = _rx(rf"{_tol('yêu cầu')}|{_tol('đột xuất')}|\bkhi\s*can\b|{_tol('cần thiết')}|{_tol('phát sinh')}"
                 rf"|{_tol('chỉ đạo')}|{_tol('đề nghị')}")
_CONDITION_START = _rx(rf"^(?:{NGAY}\s*)?sau\s*khi\b|^khi\b|^tuy\s*(?:thuoc|theo)|^neu\b|^phu\s*thuoc"
                       rf"|^cho\b(?!\s*den)|^trong\s*(?:vong|thoi\s*han)\s*\d+|^ke\s*tu\s*(?:khi|ngay)")
_CONDITION_ANY = _rx(rf"\bsau\s*khi\b|{_tol('hướng dẫn')}|{_tol('phê duyệt')}"
                     r"|\btheo\s*(?:ke\s*hoach|lo\s*trinh|tien\s*do)")
_CONTINUES = _rx(rf"\bduy\s*tr(?:i| )?\b|\b(?:cac|nhung)\s*{NAM}\s*(?:tiep\s*theo|sau|ke\s*tiep)"
                 rf"|{_tol('tiếp tục')}|\bsau\s*do\b")
_ONWARDS = _rx(r"\btro\s*(?:di|ve\s*sau)\b")
_FROM_END = _rx(r"\b(?:tu|bat\s*dau|ke\s*tu)\s*$")
_CONNECTOR = _rx(rf"^\s*(?:-|{DEN})\s*$")
_FROM_TO = _rx(rf"\btu\b.*\b{DEN}\b")
_PREFIX = _rx(r"^-?\s*thoi\s*gian(?:\s*thuc\s*hien)?\s*:\s*")


def _clean(folded: str) -> str:
    s = re.sub(r"[^a-z0-9/.,;:+&\-]+", " ", folded[:_MAX_CHARS])
    return _PREFIX.sub("", re.sub(r"\s+", " ", s).strip())


@dataclass
class _Found:
    dated: list[tuple[int, date, bool]]  # (position, date, names a whole year)
    yearless: list[tuple[int, tuple[tuple[int, int], ...]]]
    ranges: list[tuple[int, int]]
    freq: set[tuple[int, int]]
    freq_at: int  # position of the first recurrence word, to tell "năm 2026 và hằng năm" from "hằng năm và năm 2030"
    periodic: bool
    blanked: str


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _valid_dm(d: int, m: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(2000, m)[1]


def _scan(s: str) -> _Found:
    """Pull the dated pieces out of `s`, blanking each match so later patterns cannot reuse it."""
    f = _Found([], [], [], set(), len(s), False, s)

    def sweep(rx: re.Pattern, handle) -> None:
        text = f.blanked
        for m in rx.finditer(text):
            handle(m)
        f.blanked = rx.sub(lambda m: " " * len(m.group(0)), text)

    def dated(pos: int, d: date, whole: bool = False) -> None:
        f.dated.append((pos, d, whole))

    def yearless(pos: int, pairs) -> None:
        pairs = tuple(p for p in pairs if _valid_dm(*p))
        if pairs:
            f.yearless.append((pos, pairs))

    def on_dmy(m):
        d, mo, y = (int(g) for g in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            dated(m.start(), date(y, mo, d))
        except ValueError:
            pass

    def on_range(m):
        y1, tail = int(m.group(1)), m.group(2)
        y2 = int(tail) if len(tail) == 4 else y1 // 100 * 100 + int(tail)
        if y2 < y1 and len(tail) == 2:
            return
        f.ranges.append((min(y1, y2), max(y1, y2)))

    def on_half(m):
        first = m.group(1).startswith("d")
        pair = (30, 6) if first else (31, 12)
        dated(m.start(), _on(int(m.group(2)), *pair)) if m.group(2) else yearless(m.start(), [pair])

    def on_part(m):
        word = m.group(1)
        pair = (31, 3) if word.startswith("d") else (30, 6) if word.startswith("g") else (31, 12)
        dated(m.start(), _on(int(m.group(2)), *pair)) if m.group(2) else yearless(m.start(), [pair])

    def on_freq(pairs):
        def handle(m):
            f.freq.update(pairs)
            f.freq_at = min(f.freq_at, m.start())
        return handle

    def on_quarter(m):
        nums = [_QUARTER_OF.get(n) or int(n) for n in re.findall(QNUM, m.group(1), re.ASCII)]
        if m.group(2):
            dated(m.start(), _end_of_month(int(m.group(2)), nums[-1] * 3))
        else:
            yearless(m.start(), [(calendar.monthrange(2001, q * 3)[1], q * 3) for q in nums])

    def on_month(m):
        months = [int(n) for n in re.findall(r"\d{1,2}", m.group(1))]
        if not all(1 <= mo <= 12 for mo in months):
            return
        if m.group(2):
            dated(m.start(), _end_of_month(int(m.group(2)), months[-1]))
        else:
            yearless(m.start(), [(29 if mo == 2 else calendar.monthrange(2001, mo)[1], mo) for mo in months])

    def on_month_year(m):
        if 1 <= int(m.group(1)) <= 12:
            dated(m.start(), _end_of_month(int(m.group(2)), int(m.group(1))))

    def on_day_month(m):
        d, mo = (int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:]))
        yearless(m.start(), [(d, mo)])

    sweep(_DMY, on_dmy)
    sweep(_YEAR_RANGE, on_range)
    sweep(_HALF, on_half)
    sweep(_PART, on_part)
    for rx, pairs in _FREQ:
        sweep(rx, on_freq(pairs))
    periodic = _PERIODIC.search(f.blanked)
    if periodic:
        f.periodic, f.freq_at = True, min(f.freq_at, periodic.start())
    sweep(_QUARTER, on_quarter)
    sweep(_DAY_MONTH, on_day_month)  # before months: "ngày 15 tháng 11" is a day, not November
    sweep(_MONTH, on_month)
    sweep(_MONTH_YEAR, on_month_year)
    sweep(_YEAR, lambda m: dated(m.start(), date(int(m.group(1)), 12, 31), True))
    return f


def _years_arg(years) -> tuple[int, int] | None:
    try:
        a, b = (int(y) for y in years)
    except (TypeError, ValueError):
        return None
    a, b = min(a, b), max(a, b)
    return (a, b) if MINYEAR <= a and b <= MAXYEAR else None


def _analyse(s: str, yrs: tuple[int, int] | None) -> dict:
    """Decide the kind and dates of cleaned text `s` (see the module docstring for the rules)."""
    f = _scan(s)
    text = f.blanked
    continuous = bool(_CONTINUOUS.search(text))
    dated = sorted(f.dated, key=lambda item: item[0])
    years_range = (min(a for a, _ in f.ranges), max(b for _, b in f.ranges)) if f.ranges else None
    gaps = [text[dated[i][0]:dated[i + 1][0]].strip() for i in range(len(dated) - 1)]
    from_to = len(dated) >= 2 and (bool(_FROM_TO.search(text)) or any(_CONNECTOR.match(g) for g in gaps))
    open_start = None
    if dated and not from_to and (_FROM_END.search(text[:dated[0][0]]) or _ONWARDS.search(text)):
        open_start = dated.pop(0)[1].year

    if f.freq or f.periodic:
        pairs = {p for _, ps in f.yearless for p in ps} or f.freq or set(YEARLY)
        start, end = years_range or (None, None)
        explicit = [d for _, d, _ in dated]
        if from_to:
            start, end, explicit = explicit[0].year, explicit[-1].year, []
        elif years_range is None:
            # "Hàng năm và năm 2030": a bare year after the recurrence ends it; "Năm 2026 và hằng năm" starts it
            wholes = [(p, d.year) for p, d, whole in dated if whole]
            if any(p > f.freq_at for p, _ in wholes):
                end = max(y for p, y in wholes if p > f.freq_at)
            if any(p < f.freq_at for p, _ in wholes) and open_start is None:
                start = min(y for p, y in wholes if p < f.freq_at)
        return dict(kind="recurring", recurring=tuple(sorted(pairs, key=lambda p: (p[1], p[0]))),
                    explicit=explicit, start_year=open_start or start, end_year=end, continues=continuous)

    if f.yearless and (dated or (yrs and not years_range and not open_start)):
        for pos, pairs in f.yearless:
            after = [d.year for p, d, _ in dated if p > pos]
            before = [d.year for p, d, _ in dated if p < pos]
            year = after[0] if after else before[-1] if before else yrs[0]
            dated.append((pos, _on(year, *pairs[-1]), False))
        dated.sort(key=lambda item: item[0])
    if dated:
        dates = sorted({d for _, d, _ in dated})
        if from_to:
            return dict(kind="range", deadlines=(dates[-1],), start_year=dates[0].year, end_year=dates[-1].year)
        start, end = years_range or (open_start or dates[0].year, dates[-1].year)
        return dict(kind="deadline", deadlines=tuple(dates), start_year=start, end_year=end,
                    continues=continuous or bool(_ON_DEMAND.search(text)))
    if years_range:
        if continuous:
            return dict(kind="continuous", start_year=years_range[0], end_year=years_range[1])
        return dict(kind="range", deadlines=(date(years_range[1], 12, 31),),
                    start_year=years_range[0], end_year=years_range[1])
    if open_start or continuous:
        return dict(kind="continuous", start_year=open_start)
    if _ON_DEMAND.search(text):
        return dict(kind="on_demand")
    if _CONDITION_ANY.search(s):
        return dict(kind="conditional")
    return dict(kind="unknown")


def _build(text: str, r: dict, yrs: tuple[int, int] | None) -> Timeframe:
    kind = r["kind"]
    if kind == "conditional":
        return Timeframe(text, kind, condition=text.rstrip(" .;,"))
    deadlines = r.get("deadlines", ())
    if kind == "recurring":
        start, end = r.get("start_year"), r.get("end_year")
        lo, hi = yrs if yrs else (start, end)
        lo = lo if start is None or lo is None else max(lo, start)
        hi = hi if end is None or hi is None else min(hi, end)
        found = set(r["explicit"])
        if lo is not None and hi is not None and hi - lo <= 500:
            found.update(_on(y, *p) for y in range(lo, hi + 1) for p in r["recurring"])
        deadlines = tuple(sorted(found))
    return Timeframe(text=text, kind=kind, deadlines=tuple(deadlines), start_year=r.get("start_year"),
                     end_year=r.get("end_year"), continues=bool(r.get("continues")),
                     recurring=r.get("recurring", ()))


def _parse(original: str, years) -> Timeframe:
    s = _clean(fold(original))
    yrs = _years_arg(years) if years is not None else None
    if not s:
        return Timeframe(original, "unknown")
    if _CONDITION_START.search(s) and not _ON_DEMAND.search(s[:30]):
        return _build(original, {"kind": "conditional"}, yrs)
    marker = _CONTINUES.search(s)
    if marker and marker.start() > 0:
        head = _analyse(s[:marker.start()], yrs)
        if head["kind"] in ("deadline", "range", "recurring"):
            head["continues"] = True
            return _build(original, head, yrs)
    return _build(original, _analyse(s, yrs), yrs)


def parse_timeframe(text: str | None, years: tuple[int, int] | None = None) -> Timeframe:
    """Read a "Thời gian thực hiện" text; `years` (the plan's first and last year) lists recurring dates. Never raises."""
    original = ""
    try:
        original = nfc(strip_control("" if text is None else str(text)))
        return _parse(original, years)
    except Exception:  # the parser must survive any text a user or a converter can produce
        return Timeframe(original, "unknown")
