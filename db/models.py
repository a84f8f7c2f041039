"""SQLAlchemy models of the department, its plan, appendix tasks, periods, progress and reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import (
    JSON, Boolean, CheckConstraint, Column, Date, Float, ForeignKey, Integer, String, Table, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, utcnow
from db.types import UtcDateTime
from desktop.domain.audit_actions import AUDIT_ACTIONS
from desktop.domain.periods import PERIOD_KINDS
from desktop.domain.task_state import PROGRESS_STATUSES


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A check that `column` holds one of `values`, named ck_<table>_<column> (the naming convention adds the table)."""
    allowed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def new_uid() -> str:
    """A stable identifier for a plan or task, carried by packages between levels."""
    return uuid4().hex

task_cooperating_unit = Table(
    "task_cooperating_unit",
    Base.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id", ondelete="RESTRICT"), primary_key=True),
)


class Department(Base):
    """The department that uses this database: who issues and signs its documents."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_agency: Mapped[str] = mapped_column(String(200))  # "UBND TỈNH ĐẮK LẮK"
    name: Mapped[str] = mapped_column(String(200))  # "SỞ XÂY DỰNG"
    name_in_text: Mapped[str] = mapped_column(String(200), default="")  # "Sở Xây dựng", as written in sentences
    abbreviation: Mapped[str] = mapped_column(String(30))  # "SXD", used in "…/BC-SXD"
    unit_code: Mapped[str] = mapped_column(String(50))  # stable code for packages
    place_name: Mapped[str] = mapped_column(String(100))  # "Đắk Lắk"
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")  # "PHÓ GIÁM ĐỐC"
    signer_authority: Mapped[str] = mapped_column(String(100), default="")  # "KT. GIÁM ĐỐC"
    default_recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class Unit(Base):
    """A body tasks are assigned to: one of the department's phòng or an outside agency."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    short_name: Mapped[str] = mapped_column(String(50), default="")
    is_internal: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Plan(Base):
    """The department's implementation plan (Kế hoạch) and its reporting schedule."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, index=True, default=new_uid)
    number: Mapped[str] = mapped_column(String(50), default="")  # "120/KH-SXD"; empty until numbered
    issued_on: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    program: Mapped[str] = mapped_column(Text, default="")
    basis_documents: Mapped[list[str]] = mapped_column(JSON, default=list)
    preamble: Mapped[str] = mapped_column(Text, default="")
    purposes: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    tasks_and_solutions: Mapped[str] = mapped_column(Text, default="")
    organization: Mapped[str] = mapped_column(Text, default="")
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    schedule: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the regime: kinds, deadlines, cut-offs
    outline: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # đề cương báo cáo; None: the default I–V
    report_to: Mapped[str] = mapped_column(String(300), default="")  # who receives the reports
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    upper_plan_uid: Mapped[str | None] = mapped_column(String(32))  # the upper plan package imported into this plan
    upper_version: Mapped[int | None] = mapped_column(Integer)  # that package's version (amendment number)
    package_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # last sent down
    package_digest: Mapped[str] = mapped_column(String(64), default="", server_default="")  # its content hash
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    targets: Mapped[list[Target]] = relationship(
        back_populates="plan", order_by="Target.position", cascade="all, delete-orphan")
    groups: Mapped[list[TaskGroup]] = relationship(
        back_populates="plan", order_by="TaskGroup.position", cascade="all, delete-orphan")
    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", order_by="Task.position", cascade="all, delete-orphan")
    periods: Mapped[list[Period]] = relationship(
        back_populates="plan", order_by=lambda: (Period.span_end, Period.span_start.desc()),
        cascade="all, delete-orphan")


class Target(Base):
    """A measurable goal of the plan ("100% công chức, viên chức được tuyên truyền")."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text)
    goal_text: Mapped[str] = mapped_column(String(100), default="")  # "100%"
    goal_value: Mapped[float | None] = mapped_column(Float)  # 100.0 when measurable
    measure_unit: Mapped[str] = mapped_column(String(50), default="%")

    plan: Mapped[Plan] = relationship(back_populates="targets")
    figures: Mapped[list[TargetFigure]] = relationship(back_populates="target", cascade="all, delete-orphan")


class TargetFigure(Base):
    """The figure a target reached in one period."""

    __tablename__ = "target_figure"
    __table_args__ = (UniqueConstraint("target_id", "period_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("target.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    value_text: Mapped[str] = mapped_column(String(100), default="")
    value: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    target: Mapped[Target] = relationship(back_populates="figures")


class TaskGroup(Base):
    """A heading that groups appendix tasks ("I. Công tác tuyên truyền")."""

    __tablename__ = "task_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(20), default="")  # "I"
    title: Mapped[str] = mapped_column(Text)

    plan: Mapped[Plan] = relationship(back_populates="groups")


class Task(Base):
    """One row of the "06 rõ" appendix: what, who leads, who cooperates, when, and what comes out."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, index=True, default=new_uid)
    upper_uid: Mapped[str | None] = mapped_column(String(32), index=True)  # the upper-level task it implements
    upper_state: Mapped[str] = mapped_column(String(20), default="", server_default="")  # "" | "removed"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("task_group.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str] = mapped_column(String(20), default="")  # TT as printed: "1", "2.1"
    content: Mapped[str] = mapped_column(Text)
    lead_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    timeframe_text: Mapped[str] = mapped_column(Text, default="")
    timeframe: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # parsed form, see desktop.domain.timeframe
    expected_output: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    group: Mapped[TaskGroup | None] = relationship()
    lead_unit: Mapped[Unit | None] = relationship()
    cooperating_units: Mapped[list[Unit]] = relationship(
        secondary=task_cooperating_unit, order_by="Unit.sort_order")
    progress: Mapped[list[Progress]] = relationship(back_populates="task", cascade="all, delete-orphan")


class Period(Base):
    """A reporting period of a plan (2026S1, 2026, 2026-2030) with its cut-off window and deadline."""

    __tablename__ = "period"
    __table_args__ = (UniqueConstraint("plan_id", "code"), one_of("kind", PERIOD_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10))  # half | year | phase
    title: Mapped[str] = mapped_column(String(100))
    cutoff_start: Mapped[date] = mapped_column(Date)
    cutoff_end: Mapped[date] = mapped_column(Date)
    span_start: Mapped[date] = mapped_column(Date)
    span_end: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reopened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    plan: Mapped[Plan] = relationship(back_populates="periods")


class Progress(Base):
    """What was done on one task in one period."""

    __tablename__ = "progress"
    __table_args__ = (UniqueConstraint("task_id", "period_id"), one_of("status", PROGRESS_STATUSES))

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    result: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[str] = mapped_column(Text, default="")
    difficulties: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    task: Mapped[Task] = relationship(back_populates="progress")
    period: Mapped[Period] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="progress", order_by="Evidence.id", cascade="all, delete-orphan")


class Evidence(Base):
    """A document that proves progress: its number, date and summary, optionally an attached file."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(ForeignKey("progress.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(100), default="")  # "15/SXD-VP"
    issued_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")

    progress: Mapped[Progress] = relationship(back_populates="evidence")


class Report(Base):
    """The report of one period: its number, date, narrative sections, recipients and signer."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), unique=True)
    number: Mapped[str] = mapped_column(String(50), default="")  # "12/BC-SXD"
    issued_on: Mapped[date | None] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(Text, default="")  # I. Công tác chỉ đạo, triển khai
    results: Mapped[str] = mapped_column(Text, default="")  # II. Kết quả thực hiện nhiệm vụ
    assessment: Mapped[str] = mapped_column(Text, default="")  # III. Đánh giá chung
    next_steps: Mapped[str] = mapped_column(Text, default="")  # IV. Phương hướng, nhiệm vụ kỳ tới
    proposals: Mapped[str] = mapped_column(Text, default="")  # V. Đề xuất, kiến nghị
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    signer_authority: Mapped[str] = mapped_column(String(100), default="")
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    period: Mapped[Period] = relationship()


class Export(Base):
    """One package sent for a period: its version, file, hash and time."""

    __tablename__ = "export"
    __table_args__ = (UniqueConstraint("period_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100), default="")


class AuditEntry(Base):
    """One change to the data: who, when, which item and field, the old and new value."""

    __tablename__ = "audit_entry"
    __table_args__ = (one_of("action", AUDIT_ACTIONS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_name: Mapped[str] = mapped_column(String(100), default="")
    action: Mapped[str] = mapped_column(String(20))  # one of desktop.domain.audit_actions.AUDIT_ACTIONS
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(100), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """A user preference kept with the data (user name, report font path)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ExpectedUnit(Base):
    """Receiving side: a unit whose report the collecting office expects for each period."""

    __tablename__ = "expected_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Submission(Base):
    """Receiving side: one verified package received from a unit for a period (history is kept)."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("unit_code", "period_code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(50), index=True)
    unit_name: Mapped[str] = mapped_column(String(300))
    period_code: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer)
    package_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    file_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)  # when the unit made it
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    deadline: Mapped[date | None] = mapped_column(Date)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)  # False once a higher version arrives
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    review_status: Mapped[str] = mapped_column(String(20), default="pending")  # pending | accepted | returned
    review_reason: Mapped[str] = mapped_column(Text, default="")  # why it was returned
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str] = mapped_column(String(100), default="")


class SubmissionTask(Base):
    """Receiving side: what one received package reports for one task of the upper plan (by the task's uid)."""

    __tablename__ = "submission_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    upper_uid: Mapped[str] = mapped_column(String(64), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")  # the task's TT in the unit's own appendix
    status: Mapped[str] = mapped_column(String(20), default="")
    status_label: Mapped[str] = mapped_column(String(100), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    figures: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)  # each item described in one line


class ExportReceipt(Base):
    """Sending side: the receipt the receiving office sent back for one exported package (accepted or returned)."""

    __tablename__ = "export_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    export_id: Mapped[int] = mapped_column(ForeignKey("export.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # accepted | returned
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str] = mapped_column(String(100), default="")
    receiver_name: Mapped[str] = mapped_column(String(300), default="")
    receipt_sha256: Mapped[str] = mapped_column(String(64), unique=True)  # of receipt.json: one decision, once
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
