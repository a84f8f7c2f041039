"""A plan's reporting regime (which periods, their deadlines, its own cut-off days): read it, change it safely."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from desktop.domain.periods import PERIOD_KINDS, ReportingSchedule, periods_for_plan
from desktop.errors import InvalidInputError
from desktop.services.profile import save_plan
from desktop.services.queries import current_plan

# Named regimes; "phase" (sơ kết, tổng kết) is kept as it was unless the kinds are listed one by one.
PRESETS: dict[str, tuple[str, ...]] = {
    "half-year": ("half", "year"),  # Nghị định 09/2019's usual pair: 6 tháng and năm
    "quarterly": ("quarter", "year"),
    "cumulative": ("quarter", "half", "nine", "year"),  # quý I, 6 tháng, 9 tháng, năm
    "nine-month": ("half", "nine", "year"),
    "yearly": ("year",),
}
KIND_WORDS = {"quarter": "quý", "half": "6 tháng", "nine": "9 tháng", "year": "năm", "phase": "giai đoạn"}


@dataclass(frozen=True)
class RegimeChange:
    """The regime now in force and what it did to the plan's periods."""

    schedule: dict
    added: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]  # outside the regime but holding recorded data: kept, never dropped

    def describe(self) -> list[str]:
        """Vietnamese lines for the clerk."""
        kinds = ", ".join(KIND_WORDS[k] for k in self.schedule["kinds"])
        lines = [f"Chế độ báo cáo: {kinds}."]
        deadlines = self.schedule.get("deadlines") or {}
        if deadlines:
            lines.append("Hạn gửi: " + "; ".join(
                f"{KIND_WORDS[k]} trước ngày {v}" + (" (tháng cuối quý)" if k == "quarter" else "")
                for k, v in deadlines.items()) + ".")
        cutoffs = self.schedule.get("cutoffs") or {}
        rule = "Nghị định 09/2019" if self.schedule.get("cutoff_rule", "nd09") == "nd09" else "năm dương lịch"
        lines.append("Chốt số liệu: theo " + rule + (
            "; riêng kế hoạch này: " + ", ".join(cutoffs.values()) if cutoffs else "") + ".")
        if self.added:
            lines.append("Đã thêm kỳ: " + ", ".join(self.added) + ".")
        if self.removed:
            lines.append("Đã bỏ kỳ (chưa có số liệu): " + ", ".join(self.removed) + ".")
        if self.kept:
            lines.append("Giữ nguyên kỳ đã có số liệu dù không còn trong chế độ mới: " + ", ".join(self.kept)
                         + ". Số liệu đã ghi không bị xóa.")
        return lines


def parse_kinds(words: list[str], current: tuple[str, ...]) -> tuple[str, ...]:
    """Kinds from a preset name or a list of kinds; a preset keeps an existing phase period kind."""
    if len(words) == 1 and words[0] in PRESETS:
        return PRESETS[words[0]] + (("phase",) if "phase" in current else ())
    unknown = [w for w in words if w not in PERIOD_KINDS]
    if unknown or not words:
        raise InvalidInputError(
            f"Chế độ báo cáo không hợp lệ: {' '.join(words) or '(trống)'}. Dùng một trong {', '.join(PRESETS)} "
            f"hoặc liệt kê loại kỳ: {', '.join(PERIOD_KINDS)}.")
    return tuple(dict.fromkeys(words))


def parse_deadlines(items: list[str]) -> dict[str, str]:
    """"half=10/6", "quarter=18" → {"half": "10/6", "quarter": "18"}."""
    out = {}
    for item in items:
        kind, sep, value = item.partition("=")
        if not sep or kind.strip() not in PERIOD_KINDS:
            raise InvalidInputError(f"Hạn gửi “{item}” không hợp lệ: ghi LOẠI_KỲ=NGÀY/THÁNG, ví dụ year=15/12 "
                                    "hoặc quarter=18.")
        out[kind.strip()] = value.strip()
    return out


def regime_change(session: Session, kinds: tuple[str, ...] | None = None, deadlines: dict | None = None,
                  cutoffs: list[str] | dict | None = None, cutoff_rule: str | None = None) -> RegimeChange:
    """Change the current plan's regime (None leaves a part as it is; cutoffs=[] returns to the rule's
    defaults). Periods follow; a period that holds data and leaves the regime is kept, and said so."""
    plan = current_plan(session)
    old = ReportingSchedule.from_json(plan.schedule or {})
    data = old.to_json()
    if kinds is not None:
        data["kinds"] = list(kinds)
        data["deadlines"] = {k: v for k, v in data["deadlines"].items() if k in kinds or k == "year"}
    if deadlines:
        data["deadlines"].update(deadlines)
    if cutoffs is not None:
        data["cutoffs"] = cutoffs
    if cutoff_rule is not None:
        data["cutoff_rule"] = cutoff_rule
    schedule = ReportingSchedule.from_json(data)  # refuses nonsense before anything changes
    before = {p.code for p in plan.periods}
    save_plan(session, schedule=schedule.to_json())
    session.flush()
    after = {p.code for p in plan.periods}
    wanted = {p.code for p in periods_for_plan(plan.start_year, plan.end_year, schedule)}
    order = sorted(after | before, key=lambda c: (c[:4], c))
    return RegimeChange(schedule.to_json(), tuple(c for c in order if c in after - before),
                        tuple(c for c in order if c in before - after),
                        tuple(c for c in order if c in after - wanted))


def current_regime(session: Session) -> RegimeChange:
    """The regime in force, and the periods kept outside it."""
    plan = current_plan(session)
    schedule = ReportingSchedule.from_json(plan.schedule or {})
    wanted = {p.code for p in periods_for_plan(plan.start_year, plan.end_year, schedule)}
    return RegimeChange(schedule.to_json(), (), (), tuple(p.code for p in plan.periods if p.code not in wanted))
