"""Plain values of the receiving side: each unit's sending status, its current report, and the period's totals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATUS_LABELS = {
    "on_time": "Đã gửi đúng hạn",
    "late": "Đã gửi muộn",
    "received": "Đã gửi (không có hạn gửi)",
    "missing": "Chưa gửi",
    "overdue": "Chưa gửi (đã quá hạn)",
}


@dataclass(frozen=True)
class UnitStatus:
    """One unit's line of the completeness table."""

    unit_code: str
    unit_name: str
    expected: bool  # False: sent although not on the configured list
    status: str  # a key of STATUS_LABELS
    version: int | None  # current version received
    versions: int  # how many versions were received
    sent_on: date | None  # when the first version was made (not after it was received)
    received_on: date | None
    deadline: date | None
    signature: str = ""  # "Đã ký số – Nguyễn Văn An", "Chưa ký số", … (ký số, checked on receipt)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class UnitReport:
    """The current submission of one unit: its tasks and targets as data.json carries them."""

    unit_code: str
    unit_name: str
    version: int
    tasks: tuple[dict, ...]
    targets: tuple[dict, ...]


@dataclass(frozen=True)
class CollectResult:
    period_code: str
    period_title: str
    period_kind: str
    start_year: int
    end_year: int
    today: date
    expected_source: str  # "configured" (ExpectedUnit list) | "senders" (no list: whoever sent is expected)
    deadline_source: str  # "override" | "plan" | "packages" | "none"
    deadline: date | None  # the common deadline, when there is one
    units: tuple[UnitStatus, ...]
    reports: tuple[UnitReport, ...]

    def _count(self, *statuses: str) -> int:
        return sum(1 for u in self.units if u.expected and u.status in statuses)

    @property
    def expected(self) -> int:
        return sum(1 for u in self.units if u.expected)

    @property
    def received(self) -> int:
        return self._count("on_time", "late", "received")

    @property
    def on_time(self) -> int:
        return self._count("on_time")

    @property
    def late(self) -> int:
        return self._count("late")

    @property
    def missing(self) -> int:
        return self._count("missing", "overdue")

    @property
    def unexpected(self) -> int:
        return sum(1 for u in self.units if not u.expected)

    def rate(self, count: int) -> float | None:
        """Percent of the expected units (DHIS2's reporting rate), None when nothing is expected."""
        return count / self.expected * 100 if self.expected else None
