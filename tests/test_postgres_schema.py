"""Migration 0002, UTC timestamps and read-only units on a real PostgreSQL server (skipped when none is configured).

The previous release's database is rebuilt on the server: schema revision 0001 from its migration, then every row of
the release's SQLite fixture (tests/fixtures/schemas/khbc-0001.json) copied in; the program then upgrades it.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import JSON, Boolean, Date, DateTime, MetaData, create_engine, select, text
from sqlalchemy.exc import IntegrityError

from db.migrate import HEAD_REVISION, alembic_config, current_revision
from db.models import AuditEntry, Period, Progress, Submission
from desktop.errors import DatabaseError
from desktop.services.workspace import Workspace

PREVIOUS_ROWS = Path(__file__).resolve().parent / "fixtures" / "schemas" / "khbc-0001.json"


def _value(column, stored):
    """A value as the SQLite file of the previous release held it, as the server's column takes it."""
    if stored is None:
        return None
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(stored).replace(tzinfo=timezone.utc)  # SQLite kept UTC without an offset
    if isinstance(column.type, Date):
        return date.fromisoformat(stored)
    if isinstance(column.type, Boolean):
        return bool(stored)
    if isinstance(column.type, JSON):
        return json.loads(stored)
    return stored


def _previous_release(url: str, change=None) -> dict[str, list[dict]]:
    """Make the database at `url` a revision-0001 one with the previous release's rows; returns them as inserted."""
    from alembic import command

    engine = create_engine(url)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        rows = json.loads(PREVIOUS_ROWS.read_text(encoding="utf-8"))
        if change is not None:
            change(rows)
        meta = MetaData()
        meta.reflect(engine)
        inserted = {}
        with engine.begin() as connection:
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                data = [{k: _value(table.c[k], v) for k, v in row.items()} for row in rows[table.name]]
                if data:
                    connection.execute(table.insert(), data)
                inserted[table.name] = data
                if "id" in table.c:
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                            f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)"))
        assert current_revision(engine) == "0001"
        return inserted
    finally:
        engine.dispose()


def _all_rows(url: str) -> dict[str, list[dict]]:
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as connection:
            return {t.name: [dict(r._mapping) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
                    for t in meta.sorted_tables if t.name != "alembic_version"}
    finally:
        engine.dispose()


def test_the_previous_release_upgrades_on_the_server_with_every_row_intact(postgres_url):
    inserted = _previous_release(postgres_url)
    workspace = Workspace.open(postgres_url)
    try:
        assert current_revision(workspace.database.engine) == HEAD_REVISION
        now = _all_rows(postgres_url)
        assert sum(len(rows) for rows in inserted.values()) > 80 and inserted["submission"]
        for table, rows in inserted.items():
            by_key = {tuple(r.values())[0]: r for r in now[table]}
            assert len(now[table]) == len(rows), table
            for row in rows:
                current = by_key[tuple(row.values())[0]]  # a later revision may add columns
                assert {k: current[k] for k in row} == row, table  # timestamps compare as moments (UTC)
        with workspace.read() as session:
            moments = [*session.scalars(select(AuditEntry.at)), *session.scalars(select(Period.sent_at)),
                       *session.scalars(select(Submission.received_at))]
        expected = [r["at"] for r in inserted["audit_entry"]] + [r["sent_at"] for r in inserted["period"]] + \
            [r["received_at"] for r in inserted["submission"]]
        assert sorted(m for m in moments if m) == sorted(m for m in expected if m)
        assert all(m.tzinfo is timezone.utc for m in moments if m)
        engine = workspace.database.engine
        for statement in ("UPDATE progress SET status = 'xong' WHERE id = 1",
                          "UPDATE period SET kind = 'month' WHERE id = 1",
                          "UPDATE audit_entry SET action = 'erase' WHERE id = 1"):
            with pytest.raises(IntegrityError, match="violates check constraint"):
                with engine.begin() as connection:
                    connection.execute(text(statement))
    finally:
        workspace.close()
    assert [{k: r[k] for k in inserted["progress"][0]} for r in _all_rows(postgres_url)["progress"]] == \
        inserted["progress"]


def test_on_the_server_legacy_spellings_are_mapped_and_unknown_values_refused(postgres_url):
    def legacy(rows):
        rows["progress"][0]["status"] = "Không phát sinh"
        rows["progress"][1]["status"] = "việc riêng"

    inserted = _previous_release(postgres_url, legacy)
    mapped, unknown = inserted["progress"][0]["id"], inserted["progress"][1]["id"]
    with pytest.raises(DatabaseError, match=f"bảng progress, dòng số {unknown}: tình trạng thực hiện “việc riêng”"):
        Workspace.open(postgres_url)
    engine = create_engine(postgres_url)
    try:
        assert current_revision(engine) == "0001"
        assert _all_rows(postgres_url) == inserted  # nothing changed, not even the mappable row
        with engine.begin() as connection:
            connection.execute(text(f"UPDATE progress SET status = 'not_started' WHERE id = {unknown}"))
    finally:
        engine.dispose()
    Workspace.open(postgres_url).close()
    assert {r["id"]: r["status"] for r in _all_rows(postgres_url)["progress"]}[mapped] == "not_applicable"


def test_a_read_unit_on_the_server_is_a_read_only_transaction(postgres_url):
    from desktop.services.setup import initialise

    initialise(postgres_url, sample=True)
    workspace = Workspace.open(postgres_url)
    try:
        with workspace.read() as session:
            assert session.execute(text("SHOW transaction_read_only")).scalar() == "on"
            statuses = list(session.scalars(select(Progress.status)))
        with pytest.raises(DatabaseError):
            with workspace.read() as session:
                session.execute(text("UPDATE task SET note = 'không được lưu'"))
        with workspace.unit_of_work() as session:
            assert session.execute(text("SHOW transaction_read_only")).scalar() == "off"
            assert session.scalar(text("SELECT count(*) FROM task WHERE note = 'không được lưu'")) == 0
            assert list(session.scalars(select(Progress.status))) == statuses
    finally:
        workspace.close()
