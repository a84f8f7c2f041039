"""Drafting the upper level's own result from what its units reported ("Soạn tự động"): pure rules, no database."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

VALUE_LIMIT = 100  # a target figure's text is at most this long (TargetFigure.value_text)
_PERCENT = re.compile(r"(\d{1,3}(?:\.\d{3})*(?:,\d+)?|\d+(?:,\d+)?)\s*%")
_TOTAL = re.compile(r"^\s*Tổng số:\s*(.*?)\s*\([^()]*\)\s*\.?\s*$")
_NUMBER = re.compile(r"^\s*(-?\d{1,3}(?:\.\d{3})+|-?\d+)(?:,(\d+))?\s*(.*?)\s*\.?\s*$")


@dataclass(frozen=True)
class UnitTaskReport:
    """What one unit reported, in its current package, for one task of the upper plan."""

    unit_code: str
    unit_name: str
    version: int
    review: str  # pending | accepted | returned
    status: str
    status_label: str
    result: str
    figures: str
    evidence: tuple[str, ...] = ()

    @property
    def counts(self) -> bool:
        """A returned report is shown but never drafted from."""
        return self.review != "returned"


@dataclass(frozen=True)
class UnitTargetReport:
    """What one unit reported for one target."""

    unit_name: str
    value_text: str
    value: float | None
    note: str = ""


@dataclass(frozen=True)
class TaskDraft:
    status: str
    result: str
    figures: str


@dataclass(frozen=True)
class TargetDraft:
    value_text: str
    note: str


def _sentence(text: str) -> str:
    return " ".join(text.split()).rstrip(" .;")


def parse_count(text: str) -> tuple[float, str] | None:
    """"1.200 lượt cán bộ" → (1200, "lượt cán bộ"); "95,5 %" → (95.5, "%"); text not led by a number → None.

    "Tổng số: 65 lượt (Phòng A: 40; Phòng B: 25)." (what draft_task wrote one level down) reads as 65 lượt."""
    text = _TOTAL.sub(r"\1", text or "")  # a drafted total of the level below counts as its number
    match = _NUMBER.match(text)
    if match is None:
        return None
    whole = match.group(1).replace(".", "")
    number = float(f"{whole}.{match.group(2)}" if match.group(2) else whole)
    return number, " ".join(match.group(3).split())


def format_number(value: float) -> str:
    """Vietnamese style: 1.200; 95,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    whole, _, fraction = f"{value:.2f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


def _draft_status(statuses: list[str]) -> str:
    if statuses and all(s == "done" for s in statuses):
        return "done"
    if any(s in ("done", "in_progress") for s in statuses):
        return "in_progress"
    if statuses and all(s == "not_applicable" for s in statuses):
        return "not_applicable"
    return "not_started"


def _draft_figures(reports: list[UnitTaskReport]) -> str:
    """The same kind of count at every unit adds up ("Tổng số: 200 lượt (Phòng A: 120; Phòng B: 80)");
    anything else is listed per unit."""
    with_figures = [r for r in reports if _sentence(r.figures)]
    if not with_figures:
        return ""
    parsed = [parse_count(_sentence(r.figures)) for r in with_figures]
    kinds = {p[1].casefold() for p in parsed if p is not None}
    if len(with_figures) > 1 and all(p is not None for p in parsed) and len(kinds) == 1 and "%" not in kinds:
        total = sum(p[0] for p in parsed)
        label = parsed[0][1]
        parts = "; ".join(f"{r.unit_name}: {format_number(p[0])}" for r, p in zip(with_figures, parsed))
        return f"Tổng số: {format_number(total)} {label} ({parts}).".replace("  ", " ")
    return "; ".join(f"{r.unit_name}: {_sentence(r.figures)}" for r in with_figures) + "."


def draft_task(reports: Sequence[UnitTaskReport]) -> TaskDraft | None:
    """The upper level's result for one task, naming each unit ("Sở A: …; Sở B: …"); None when nobody reported."""
    usable = [r for r in reports if r.counts and (r.status or _sentence(r.result) or _sentence(r.figures))]
    if not usable:
        return None
    parts = []
    for report in usable:
        said = _sentence(report.result) or (report.status_label or "chưa báo cáo kết quả").lower()
        parts.append(f"{report.unit_name}: {said}")
    return TaskDraft(_draft_status([r.status for r in usable if r.status]), "; ".join(parts) + ".",
                     _draft_figures(usable))


def is_rate(measure_unit: str, goal_text: str = "") -> bool:
    """A target measured in percent is a rate: rates of different units do not add up."""
    return "%" in (measure_unit or "") or "%" in (goal_text or "") or "tỷ lệ" in (measure_unit or "").casefold()


def _percentages(text: str) -> list[float]:
    return [float(n.replace(".", "").replace(",", ".")) for n in _PERCENT.findall(text)]


def _span(values: list[float]) -> str:
    low, high = min(values), max(values)
    return f"{format_number(low)}%" if low == high else f"{format_number(low)}–{format_number(high)}%"


def _listed(usable: list[UnitTargetReport]) -> TargetDraft:
    """Rates per unit; a unit that itself listed several (its own units' rates) shows their span."""
    parts, every = [], []
    for report in usable:
        found = _percentages(report.value_text)
        every += found
        said = _span(found) if len(found) > 1 else _sentence(report.value_text)
        parts.append(f"{report.unit_name}: {said}")
    listed = "; ".join(parts)
    if len(listed) <= VALUE_LIMIT:
        return TargetDraft(listed, listed + ".")
    short = f"{_span(every)} (theo {len(usable)} đơn vị)" if every else f"Theo {len(usable)} đơn vị"
    return TargetDraft(short, listed + ".")


def draft_target(measure_unit: str, goal_text: str, reports: Sequence[UnitTargetReport]) -> TargetDraft | None:
    """Counts add up (value = the sum, the note lists the units); rates are listed per unit."""
    usable = [r for r in reports if _sentence(r.value_text)]
    if not usable:
        return None
    if is_rate(measure_unit, goal_text) or any(r.value is None for r in usable):
        return _listed(usable)
    listed = "; ".join(f"{r.unit_name}: {_sentence(r.value_text)}" for r in usable)
    total = sum(r.value for r in usable)
    unit = f" {measure_unit.strip()}" if measure_unit and measure_unit.strip() else ""
    return TargetDraft(f"{format_number(total)}{unit}", f"Tổng của các đơn vị: {listed}.")
