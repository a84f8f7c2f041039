"""Timestamps as UTC by the column type, and status/kind columns checked by the schema (migration 0002, SQLite)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from db.migrate import HEAD_REVISION
from db.models import AuditEntry, Export, Period, Progress, Submission
from db.types import NaiveDateTimeError
from desktop.domain.audit_actions import AUDIT_ACTIONS
from desktop.domain.periods import PERIOD_KINDS
from desktop.domain.task_state import PROGRESS_STATUSES
from desktop.errors import DatabaseError, InvalidInputError
from desktop.services.workspace import Workspace
from tests.safety_helpers import fingerprint, integrity, query, scalar

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
PREVIOUS = SCHEMAS / "khbc-0001.sqlite3"  # the database of the previous release, with its sample data
TIMESTAMPS = {"audit_entry": ("at",), "department": ("updated_at",), "plan": ("created_at",),
              "target_figure": ("updated_at",), "task": ("created_at", "updated_at"),
              "period": ("sent_at", "reopened_at"), "progress": ("updated_at",), "report": ("updated_at",),
              "export": ("created_at",), "submission": ("created_at", "received_at")}
VIOLATIONS = [
    ("UPDATE progress SET status = 'xong' WHERE id = (SELECT min(id) FROM progress)", "ck_progress_status"),
    ("UPDATE period SET kind = 'month' WHERE id = (SELECT min(id) FROM period)", "ck_period_kind"),
    ("INSERT INTO audit_entry (at, user_name, action, entity, entity_id, field) "
     "VALUES ('2026-11-22 10:00:00.000000', 'x', 'erase', 'task', 1, '')", "ck_audit_entry_action"),
]


def _previous_release(tmp_path: Path) -> Path:
    path = tmp_path / "khbc.sqlite3"
    shutil.copyfile(PREVIOUS, path)
    return path


def _rows(path: Path, columns: dict[str, list[str]] | None = None) -> dict[str, list[dict]]:
    """Every row of every table as {column: stored value}; with `columns`, only those tables and columns (a later
    revision may add some)."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = columns or {r[0]: None for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'alembic_version'")}
        return {t: [{k: row[k] for k in (columns[t] if columns else row.keys())}
                    for row in conn.execute(f'SELECT * FROM "{t}" ORDER BY 1')] for t in tables}
    finally:
        conn.close()


def test_a_database_at_head_checks_exactly_the_codes_the_domain_defines(sample_workspace, db_path):
    # A revision that adds a code to the domain must also replace the constraint (drop, then create it again).
    for model, column, codes in ((Progress, "status", PROGRESS_STATUSES), (Period, "kind", PERIOD_KINDS),
                                 (AuditEntry, "action", AUDIT_ACTIONS)):
        table, name = model.__tablename__, f"ck_{model.__tablename__}_{column}"
        (check,) = [c for c in model.__table__.constraints if c.name == name]
        assert str(check.sqltext) == f"{column} IN ({', '.join(repr(code) for code in codes)})"
        assert f"CONSTRAINT {name} CHECK ({check.sqltext})" in scalar(
            db_path, "SELECT sql FROM sqlite_master WHERE name = ?", table)


def test_the_previous_release_upgrades_with_every_row_value_and_timestamp_intact(tmp_path):
    path = _previous_release(tmp_path)
    before = _rows(path)
    stored_text = {(t, c): dict(query(path, f"SELECT id, {c} FROM {t}")) for t, cols in TIMESTAMPS.items() for c in cols}
    Workspace.open(path).close()
    assert scalar(path, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    assert integrity(path) == ["ok"] and query(path, "PRAGMA foreign_key_check") == []
    # The same tables, counts and values: the very same texts (timestamps stored as before).
    assert _rows(path, {t: list(rows[0]) for t, rows in before.items() if rows}) == {t: r for t, r in before.items() if r}
    assert sum(len(rows) for rows in before.values()) > 80 and before["evidence"] and before["submission"]
    workspace = Workspace.open(path)
    try:
        with workspace.read() as session:
            for model in (AuditEntry, Period, Progress, Export, Submission):
                for row in session.scalars(select(model)):
                    for column in TIMESTAMPS[model.__tablename__]:
                        value, text = getattr(row, column), stored_text[model.__tablename__, column][row.id]
                        if text is None:
                            assert value is None
                            continue
                        assert value.tzinfo is timezone.utc
                        assert value == datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
    finally:
        workspace.close()
    for table, constraint in (("progress", "ck_progress_status"), ("period", "ck_period_kind"),
                              ("audit_entry", "ck_audit_entry_action")):
        assert constraint in scalar(path, "SELECT sql FROM sqlite_master WHERE name = ?", table)


@pytest.mark.parametrize("statement,constraint", VIOLATIONS, ids=lambda v: v if v.startswith("ck_") else "")
def test_the_upgraded_database_refuses_a_value_outside_the_codes(tmp_path, statement, constraint):
    path = _previous_release(tmp_path)
    Workspace.open(path).close()
    before = fingerprint(path)
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match=f"CHECK constraint failed: {constraint}"):
            conn.execute(statement)
    finally:
        conn.close()
    assert fingerprint(path) == before


def test_a_service_writing_a_wrong_code_gets_a_vietnamese_refusal_and_nothing_is_saved(sample_workspace, db_path):
    before = fingerprint(db_path)
    with pytest.raises(DatabaseError, match="vi phạm ràng buộc của cơ sở dữ liệu"):
        with sample_workspace.unit_of_work() as session:
            session.scalars(select(Period)).first().kind = "month"
    assert fingerprint(db_path) == before


def test_legacy_spellings_are_mapped_to_their_code_and_logged(tmp_path):
    path = _previous_release(tmp_path)
    conn = sqlite3.connect(path)
    with conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM progress ORDER BY id LIMIT 2")]
        conn.execute("UPDATE progress SET status = 'Đã hoàn thành' WHERE id = ?", (ids[0],))
        conn.execute("UPDATE progress SET status = ' In-Progress ' WHERE id = ?", (ids[1],))
        conn.execute("UPDATE period SET kind = 'NĂM' WHERE code = '2026'")
        conn.execute("UPDATE audit_entry SET action = 'Create' WHERE id = 1")
    conn.close()
    audit_count = scalar(path, "SELECT count(*) FROM audit_entry")
    Workspace.open(path).close()
    assert query(path, "SELECT status FROM progress WHERE id IN (?, ?) ORDER BY id", *ids) == [("done",),
                                                                                              ("in_progress",)]
    assert scalar(path, "SELECT kind FROM period WHERE code = '2026'") == "year"
    assert scalar(path, "SELECT action FROM audit_entry WHERE id = 1") == "create"
    logged = query(path, "SELECT user_name, action, entity, entity_id, field, old_value, new_value FROM audit_entry "
                         f"WHERE id > {audit_count} ORDER BY id")
    assert ("KHBC (nâng cấp dữ liệu)", "update", "progress", ids[0], "status", "Đã hoàn thành", "done") in logged
    assert ("KHBC (nâng cấp dữ liệu)", "update", "period", scalar(path, "SELECT id FROM period WHERE code = '2026'"),
            "kind", "NĂM", "year") in logged
    assert len(logged) == 4
    at = scalar(path, f"SELECT at FROM audit_entry WHERE id = {audit_count + 1}")
    assert len(at) == 26 and abs(datetime.fromisoformat(at) - datetime.now(timezone.utc).replace(tzinfo=None)) < \
        timedelta(minutes=5)  # stored like every other moment: UTC text without an offset


def test_an_unknown_value_stops_the_upgrade_with_the_database_untouched(tmp_path):
    path = _previous_release(tmp_path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE progress SET status = 'xong một nửa' WHERE id = 2")
        conn.execute("UPDATE progress SET status = 'Đã hoàn thành' WHERE id = 1")  # mappable, but must stay too
    conn.close()
    before = fingerprint(path)
    with pytest.raises(DatabaseError) as caught:
        Workspace.open(path)
    message = caught.value.message
    assert message.startswith("Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC: có 1 dòng")
    assert "bảng progress, dòng số 2: tình trạng thực hiện “xong một nửa”" in message
    assert "Dữ liệu vẫn được giữ nguyên như trước, chưa thay đổi gì." in message
    assert fingerprint(path) == before and integrity(path) == ["ok"]
    assert scalar(path, "SELECT version_num FROM alembic_version") == "0001"
    assert "ck_progress_status" not in scalar(path, "SELECT sql FROM sqlite_master WHERE name = 'progress'")


def test_timestamps_are_written_in_utc_and_read_back_aware(sample_workspace, db_path):
    hanoi = timezone(timedelta(hours=7))
    with sample_workspace.unit_of_work() as session:
        period = session.scalars(select(Period).order_by(Period.id)).first()
        period.sent_at = datetime(2026, 7, 10, 16, 30, tzinfo=hanoi)
        period_id = period.id
    assert scalar(db_path, "SELECT sent_at FROM period WHERE id = ?", period_id) == "2026-07-10 09:30:00.000000"
    with sample_workspace.read() as session:
        sent = session.get(Period, period_id).sent_at
        newest = session.scalar(select(AuditEntry.at).order_by(AuditEntry.at.desc()).limit(1))
    assert sent == datetime(2026, 7, 10, 9, 30, tzinfo=timezone.utc) and sent.tzinfo is timezone.utc
    assert newest.tzinfo is timezone.utc


def test_a_naive_datetime_is_refused_on_write_and_nothing_is_saved(sample_workspace, db_path):
    before = fingerprint(db_path)
    with sample_workspace.unit_of_work() as session:  # the type itself, as a programmer meets it
        period = session.scalars(select(Period)).first()
        period.sent_at = datetime(2026, 7, 10, 9, 30)
        with pytest.raises(StatementError) as caught:
            session.flush()
        assert isinstance(caught.value.orig, NaiveDateTimeError) and "naive datetime" in str(caught.value.orig)
        session.rollback()
    with pytest.raises(InvalidInputError, match="thay đổi chưa được lưu"):  # what a clerk would see
        with sample_workspace.unit_of_work() as session:
            session.scalars(select(Period)).first().sent_at = datetime(2026, 7, 10, 9, 30)
    assert fingerprint(db_path) == before
