"""Plain values a period report is made of (department, plan, report record, targets) and the rules that fill them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desktop.domain.periods import Period as PeriodSpec
from desktop.domain.rows import TaskRow

SECTION_KEYS = ("direction", "results", "assessment", "next_steps", "proposals")


@dataclass(frozen=True)
class DepartmentInfo:
    parent_agency: str
    name: str
    name_in_text: str
    abbreviation: str
    unit_code: str
    place_name: str
    signer_name: str
    signer_title: str
    signer_authority: str
    default_recipients: tuple[str, ...]


@dataclass(frozen=True)
class PlanInfo:
    number: str
    issued_on: date | None
    title: str
    program: str
    basis_documents: tuple[str, ...]
    start_year: int
    end_year: int
    report_to: str


@dataclass(frozen=True)
class PlanText:
    """What the Kế hoạch document prints besides its appendix: number, date, title and the narrative parts."""

    number: str
    issued_on: date | None
    title: str
    preamble: str
    purposes: str
    requirements: str
    goals: str
    tasks_and_solutions: str
    organization: str


def achievement(value: float | None, goal: float | None) -> float | None:
    """A target's achievement in percent of its goal, when both are numbers (and the goal is not 0)."""
    if goal and value is not None:
        return value / goal * 100
    return None


@dataclass(frozen=True)
class TargetResult:
    position: int
    content: str
    goal_text: str
    goal_value: float | None
    measure_unit: str
    value_text: str
    value: float | None
    note: str
    target_id: int | None = None

    @property
    def ratio(self) -> float | None:
        return achievement(self.value, self.goal_value)


@dataclass(frozen=True)
class ReportRecord:
    number: str
    issued_on: date | None
    sections: dict[str, str]
    recipients: tuple[str, ...]
    signer_name: str
    signer_title: str
    signer_authority: str


@dataclass(frozen=True)
class ReportContext:
    department: DepartmentInfo
    plan: PlanInfo
    period: PeriodSpec
    next_period: PeriodSpec | None
    tasks: tuple[TaskRow, ...]
    next_period_tasks: tuple[TaskRow, ...]
    targets: tuple[TargetResult, ...]
    report: ReportRecord
    today: date


@dataclass(frozen=True)
class Signer:
    """Who signs by default (the department profile): name, title ("PHÓ GIÁM ĐỐC"), authority ("KT. GIÁM ĐỐC")."""

    name: str
    title: str
    authority: str


def report_recipients(report_to: str, unit_recipients: tuple[str, ...]) -> tuple[str, ...]:
    """Nơi nhận of a report by default: the body it reports to "(b/c)", then the unit's "Lưu: VT, …" line.

    `report_to` is the plan's receiving body (several separated by ";"); without it the unit's own list is kept.
    """
    bodies = [b.strip().rstrip(";.").removesuffix("(b/c)").strip() for b in report_to.split(";") if b.strip()]
    if not bodies:
        return tuple(unit_recipients)
    keep = next((r.lstrip("-–• ").strip() for r in reversed(unit_recipients)
                 if r.lstrip("-–• ").startswith("Lưu")), "Lưu: VT.")
    return (*(f"{b} (b/c);" for b in bodies), keep)


def report_record(stored: ReportRecord | None, report_to: str, default_recipients: tuple[str, ...],
                  signer: Signer) -> ReportRecord:
    """The report as it prints and as its form shows it: the stored fields, and where they are empty the
    defaults — recipients from the plan's receiving body, signer from the department profile (a stored
    signer name brings its own authority)."""
    if stored is None:
        stored = ReportRecord("", None, {}, (), "", "", "")
    return ReportRecord(
        number=stored.number or "",
        issued_on=stored.issued_on,
        sections={key: stored.sections.get(key) or "" for key in SECTION_KEYS},
        recipients=(tuple(stored.recipients) if stored.recipients
                    else report_recipients(report_to, default_recipients)),
        signer_name=stored.signer_name or signer.name,
        signer_title=stored.signer_title or signer.title,
        signer_authority=stored.signer_authority if stored.signer_name else signer.authority,
    )

