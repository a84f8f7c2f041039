"""Read-only work takes no write lock: Workspace.read() (and so DataBus.read) completes while another writer holds it."""

from __future__ import annotations

import sqlite3
import time

import pytest
from sqlalchemy import event, select

from db.models import Task
from desktop.errors import DatabaseError
from desktop.services.queries import list_tasks
from desktop.services.workspace import ReadOnlyUnitError
from tests.conftest import TODAY
from tests.safety_helpers import fingerprint

BUSY_SECONDS = 2.0  # far under the 10 s busy timeout a unit of work would wait for the lock


@pytest.fixture
def writer(sample_workspace, db_path):
    """Another connection in the middle of a write transaction (BEGIN IMMEDIATE holds the write lock)."""
    conn = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE task SET content = 'chưa lưu' WHERE number = '1'")
    yield conn
    conn.execute("ROLLBACK")
    conn.close()


def _task_one(rows):
    return next(row for row in rows if row.number == "1")


def test_a_read_completes_while_another_connection_holds_the_write_lock(sample_workspace, db_path, writer):
    started = time.monotonic()
    with sample_workspace.read() as session:
        rows = list_tasks(session, "2026", TODAY)
    assert time.monotonic() - started < BUSY_SECONDS
    assert len(rows) == 9 and _task_one(rows).content != "chưa lưu"  # the last committed data, not the writer's
    # The lock really is held: a write transaction cannot start beside it.
    other = sqlite3.connect(db_path, isolation_level=None, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def test_the_ui_bus_reads_while_another_connection_holds_the_write_lock(sample_workspace, writer, qtbot):
    from desktop.ui.bus import DataBus

    bus = DataBus(sample_workspace)
    bus.quiet = True
    failures = []
    bus.failed.connect(failures.append)
    started = time.monotonic()
    rows = bus.try_read(list_tasks, "2026", TODAY)
    assert time.monotonic() - started < BUSY_SECONDS
    assert failures == [] and rows is not None and len(rows) == 9


def test_a_read_sees_what_was_committed_before_it_and_leaves_the_file_as_it_was(sample_workspace, db_path):
    with sample_workspace.unit_of_work() as session:
        session.scalar(select(Task).where(Task.number == "1")).note = "ghi chú đã lưu"
    before = fingerprint(db_path)
    with sample_workspace.read() as session:
        task = session.scalar(select(Task).where(Task.number == "1"))
    assert task.note == "ghi chú đã lưu"  # still readable after the unit ended
    assert fingerprint(db_path) == before


def test_writing_inside_a_read_is_refused_and_nothing_is_saved(sample_workspace, db_path):
    before = fingerprint(db_path)
    with pytest.raises(ReadOnlyUnitError):
        with sample_workspace.read() as session:
            session.scalar(select(Task).where(Task.number == "1")).note = "không được lưu"
    assert fingerprint(db_path) == before


def test_a_write_still_takes_the_lock_and_waits_for_the_other_writer(sample_workspace, writer):
    # The unit of work starts with BEGIN IMMEDIATE; with a short busy timeout it gives up with a Vietnamese message.
    engine = sample_workspace.database.engine
    engine.dispose()

    def short_wait(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA busy_timeout = 100")

    event.listen(engine, "connect", short_wait)
    try:
        with pytest.raises(DatabaseError, match="đang bận hoặc bị chương trình khác khóa"):
            with sample_workspace.unit_of_work() as session:
                session.scalar(select(Task).where(Task.number == "2")).note = "x"
    finally:
        event.remove(engine, "connect", short_wait)
        engine.dispose()
