"""Plain rows of the plan (periods, tasks, evidence) the pages show: no SQLAlchemy, so the first page can be
filled before the ORM is imported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class PeriodRow:
    code: str
    title: str
    kind: str
    cutoff_start: date
    cutoff_end: date
    span_start: date
    span_end: date
    deadline: date | None
    state: str
    state_label: str
    sent_at: datetime | None

    def to_json(self) -> dict:
        return {
            "code": self.code, "title": self.title, "kind": self.kind,
            "cutoff_start": self.cutoff_start.isoformat(), "cutoff_end": self.cutoff_end.isoformat(),
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "state": self.state, "state_label": self.state_label,
            "sent_at": self.sent_at.isoformat() if self.sent_at else None,
        }


@dataclass(frozen=True)
class EvidenceRow:
    number: str
    issued_on: date | None
    summary: str
    file_name: str
    file_sha256: str = ""  # of the attached file in the store, when one is attached

    def describe(self) -> str:
        """"Công văn số 15/SXD-VP ngày 05/8/2026 về …" style text for tables."""
        parts = []
        if self.number:
            parts.append(f"Số {self.number}")
        if self.issued_on:
            parts.append(f"ngày {self.issued_on.day:02d}/{self.issued_on.month:02d}/{self.issued_on.year}")
        head = " ".join(parts)
        if self.summary:
            return f"{head}: {self.summary}" if head else self.summary
        return head or self.file_name


@dataclass(frozen=True)
class TaskRow:
    id: int
    position: int
    number: str
    content: str
    group_id: int | None
    group_title: str
    lead: str
    cooperating: tuple[str, ...]
    timeframe_text: str
    timeframe_kind: str
    timeframe_label: str
    expected_output: str
    state: str | None = None
    state_label: str = ""
    status: str | None = None
    status_label: str = ""
    result: str = ""
    figures: str = ""
    difficulties: str = ""
    proposals: str = ""
    evidence: tuple[EvidenceRow, ...] = field(default_factory=tuple)
    group_number: str = ""  # "I", as the plan numbers its groups
    uid: str = ""  # stable identifier carried by packages
    upper_uid: str | None = None  # the upper-level task this one implements (from a plan package)
    upper_state: str = ""  # "" | "removed" | "reassigned": the upper level dropped it; kept for its results

    def to_json(self) -> dict:
        data = {
            "number": self.number, "content": self.content, "group": self.group_title or None,
            "lead": self.lead, "cooperating": list(self.cooperating),
            "timeframe": self.timeframe_text, "timeframe_kind": self.timeframe_kind,
            "timeframe_label": self.timeframe_label, "expected_output": self.expected_output,
        }
        if self.state is not None:
            data.update({
                "state": self.state, "state_label": self.state_label,
                "progress": None if self.status is None else {
                    "status": self.status, "status_label": self.status_label, "result": self.result,
                    "figures": self.figures, "difficulties": self.difficulties, "proposals": self.proposals,
                    "evidence": [{"number": e.number, "issued_on": e.issued_on.isoformat() if e.issued_on else None,
                                  "summary": e.summary, "file_name": e.file_name} for e in self.evidence],
                },
            })
        return data


@dataclass(frozen=True)
class OverviewScreen:
    """The "Tổng quan" page: today, the plan's periods, the current one (None when none is ahead) and its tasks."""

    today: date
    periods: list[PeriodRow]
    period: PeriodRow | None
    tasks: list[TaskRow]
    # Whether the plan has no task at all; None when not known (rows read before the workspace opened).
    appendix_empty: bool | None = None
