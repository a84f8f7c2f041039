"""The data layer: migrations from an empty file, connection pragmas, and refusals with clear messages."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import inspect, text

from db.engine import open_database
from db.migrate import current_revision, head_revision
from desktop.errors import DatabaseError


def test_empty_file_is_migrated_to_head_with_every_table(db_path):
    database = open_database(db_path)
    try:
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert {"department", "unit", "plan", "target", "target_figure", "task_group", "task",
                "task_cooperating_unit", "period", "progress", "evidence", "report", "export",
                "audit_entry", "setting"} <= tables
    finally:
        database.dispose()


def test_opening_twice_is_harmless(db_path):
    open_database(db_path).dispose()
    database = open_database(db_path)
    assert current_revision(database.engine) == head_revision()
    database.dispose()


def test_connections_use_safe_pragmas(db_path):
    database = open_database(db_path)
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    finally:
        database.dispose()


def test_foreign_keys_are_enforced(db_path):
    database = open_database(db_path)
    try:
        with pytest.raises(Exception):
            with database.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO task (uid, plan_id, position, number, content, timeframe_text, timeframe, "
                    "expected_output, note, created_at, updated_at) "
                    "VALUES ('u1', 999, 1, '1', 'x', '', '{}', '', '', '2026-01-01', '2026-01-01')"))
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM task")).scalar() == 0
    finally:
        database.dispose()


def test_database_from_a_newer_program_is_refused_and_left_alone(db_path):
    open_database(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="phiên bản KHBC mới hơn"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_a_database_gets_a_vietnamese_message(tmp_path):
    bogus = tmp_path / "hong.sqlite3"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 200)
    with pytest.raises(DatabaseError, match="không phải cơ sở dữ liệu KHBC hoặc đã bị hỏng"):
        open_database(bogus)
    assert bogus.read_bytes().startswith(b"PK\x03\x04")


def test_the_head_constant_matches_the_migration_scripts():
    from db.migrate import HEAD_REVISION

    assert HEAD_REVISION == head_revision()
