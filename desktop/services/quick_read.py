"""The overview's rows read with the standard sqlite3 module, before SQLAlchemy loads: checks first, else nothing.

Only for a SQLite file at the schema revision this program knows, that passes PRAGMA quick_check; anything
unusual (a URL, another revision, a damaged or locked file, a value the ORM would read differently) gives
None, and the program takes its usual path (Workspace.open), which checks and explains everything.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

from desktop.domain.periods import PERIOD_STATE_LABELS, current_period, period_state, sent_and_not_reopened
from desktop.domain.periods import Period as PeriodSpec
from desktop.domain.rows import EvidenceRow, PeriodRow, TaskRow
from desktop.domain.task_state import PROGRESS_STATUS_LABELS, TASK_STATE_LABELS, task_state
from desktop.domain.timeframe import Timeframe

# Must equal db.migrate.HEAD_REVISION (a test checks): kept here so this module imports no SQLAlchemy.
KNOWN_REVISION = "0005"


class Unusual(Exception):
    """Something the quick path does not handle; the full path decides."""


def _date(value) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise Unusual(f"date {value!r}")
    return date.fromisoformat(value)


def _datetime(value) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise Unusual(f"datetime {value!r}")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        raise Unusual(f"datetime with a zone {value!r}")
    return moment.replace(tzinfo=timezone.utc)  # the text db.types.UtcDateTime writes: UTC without an offset


def open_checked(path: Path) -> sqlite3.Connection:
    """A read-only connection to a sound file at the known revision; Unusual otherwise."""
    if not path.is_file() or path.stat().st_size == 0:
        raise Unusual("no file")
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=2.0, check_same_thread=False)
    try:
        if [row[0] for row in connection.execute("PRAGMA quick_check").fetchall()] != ["ok"]:
            raise Unusual("quick_check")
        if connection.execute("SELECT version_num FROM alembic_version").fetchall() != [(KNOWN_REVISION,)]:
            raise Unusual("revision")
    except BaseException:
        connection.close()
        raise
    return connection


def _periods(connection: sqlite3.Connection, plan_id: int, today: date) -> tuple[list[PeriodRow], dict]:
    rows, specs = [], {}
    for (period_id, code, kind, title, cutoff_start, cutoff_end, span_start, span_end, deadline, sent_at,
         reopened_at) in connection.execute(
            "SELECT id, code, kind, title, cutoff_start, cutoff_end, span_start, span_end, deadline, sent_at, "
            "reopened_at FROM period WHERE plan_id = ? ORDER BY span_end, span_start DESC", (plan_id,)):
        span_start, span_end = _date(span_start), _date(span_end)
        spec = PeriodSpec(code=code, kind=kind, start_year=span_start.year, end_year=span_end.year, title=title,
                          cutoff_start=_date(cutoff_start), cutoff_end=_date(cutoff_end), span_start=span_start,
                          span_end=span_end, deadline=_date(deadline))
        sent = _datetime(sent_at)
        state = period_state(spec, today, sent=sent_and_not_reopened(sent, _datetime(reopened_at)))
        rows.append(PeriodRow(code, title, kind, spec.cutoff_start, spec.cutoff_end, span_start, span_end,
                              spec.deadline, state, PERIOD_STATE_LABELS[state], sent))
        specs[code] = (period_id, spec)
    return rows, specs


def _units(connection: sqlite3.Connection) -> dict[int, tuple[str, int]]:
    return {uid: (name, order) for uid, name, order in connection.execute("SELECT id, name, sort_order FROM unit")}


def _tasks(connection: sqlite3.Connection, plan_id: int, period_id: int, spec: PeriodSpec,
           today: date) -> list[TaskRow]:
    units = _units(connection)
    groups = {group_id: (number or "", title) for group_id, number, title in connection.execute(
        "SELECT id, number, title FROM task_group WHERE plan_id = ?", (plan_id,))}
    cooperating: dict[int, list[tuple[int, str]]] = {}
    for task_id, unit_id in connection.execute(
            "SELECT c.task_id, c.unit_id FROM task_cooperating_unit c JOIN task t ON t.id = c.task_id "
            "WHERE t.plan_id = ?", (plan_id,)):
        name, order = units[unit_id]
        cooperating.setdefault(task_id, []).append((order, name))
    current: dict[int, tuple] = {}
    done_earlier: set[int] = set()
    for (entry_id, task_id, entry_period, status, result, figures, difficulties, proposals,
         span_end) in connection.execute(
            "SELECT g.id, g.task_id, g.period_id, g.status, g.result, g.figures, g.difficulties, g.proposals, "
            "p.span_end FROM progress g JOIN period p ON p.id = g.period_id WHERE p.plan_id = ?", (plan_id,)):
        if entry_period == period_id:
            current[task_id] = (entry_id, status, result, figures, difficulties, proposals)
        elif status == "done" and _date(span_end) < spec.span_start:
            done_earlier.add(task_id)
    evidence: dict[int, list[EvidenceRow]] = {}
    if current:
        wanted = {entry[0] for entry in current.values()}
        for progress_id, number, issued_on, summary, file_name in connection.execute(
                "SELECT e.progress_id, e.number, e.issued_on, e.summary, e.file_name FROM evidence e "
                "JOIN progress g ON g.id = e.progress_id WHERE g.period_id = ? ORDER BY e.id", (period_id,)):
            if progress_id in wanted:
                evidence.setdefault(progress_id, []).append(EvidenceRow(number, _date(issued_on), summary, file_name))
    rows = []
    for (task_id, position, number, content, group_id, lead_id, timeframe_text, timeframe_json,
         expected_output, uid, upper_uid, upper_state) in connection.execute(
            "SELECT id, position, number, content, group_id, lead_unit_id, timeframe_text, timeframe, "
            "expected_output, uid, upper_uid, upper_state FROM task WHERE plan_id = ? ORDER BY position", (plan_id,)):
        stored = json.loads(timeframe_json) if timeframe_json is not None else None
        timeframe = Timeframe.from_json(stored) if stored else None
        entry = current.get(task_id)
        status = entry[1] if entry else None
        state = task_state(timeframe, spec, status, today, done_before=task_id in done_earlier) \
            if timeframe else "ongoing"
        extra = {}
        if entry is not None:
            entry_id, status, result, figures, difficulties, proposals = entry
            extra = dict(status=status, status_label=PROGRESS_STATUS_LABELS.get(status, status), result=result,
                         figures=figures, difficulties=difficulties, proposals=proposals,
                         evidence=tuple(evidence.get(entry_id, ())))
        rows.append(TaskRow(
            id=task_id, position=position, number=number, content=content, group_id=group_id,
            group_title=groups[group_id][1] if group_id in groups else "",
            group_number=groups[group_id][0] if group_id in groups else "",
            lead=units[lead_id][0] if lead_id is not None else "",
            cooperating=tuple(name for _order, name in sorted(cooperating.get(task_id, []), key=lambda u: u[0])),
            timeframe_text=timeframe_text, timeframe_kind=timeframe.kind if timeframe else "unknown",
            timeframe_label=timeframe.label() if timeframe else timeframe_text, expected_output=expected_output,
            uid=uid, upper_uid=upper_uid, upper_state=upper_state, state=state, state_label=TASK_STATE_LABELS[state], **extra))
    return rows


def read_overview(path: Path, today: date) -> tuple | None:
    """(today, periods, the current period or None, its tasks) as OverviewPage.read_data gives them, or None
    when the file needs the full path (no plan yet included: the first-run wizard needs the workspace)."""
    try:
        connection = open_checked(path)
    except (Unusual, sqlite3.Error, OSError, ValueError):
        return None
    try:
        with connection:
            connection.execute("BEGIN")  # one snapshot for every query
            plan = connection.execute("SELECT id FROM plan ORDER BY created_at DESC, id DESC LIMIT 1").fetchone()
            if plan is None:
                return None
            periods, specs = _periods(connection, plan[0], today)
            period = current_period(periods, today) if periods else None
            tasks = []
            if period is not None:
                period_id, spec = specs[period.code]
                tasks = _tasks(connection, plan[0], period_id, spec, today)
            return today, periods, period, tasks
    except Exception:  # noqa: BLE001 (whatever it is, the full path meets it again and explains it)
        return None
    finally:
        connection.close()
