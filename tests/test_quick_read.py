"""The overview's rows read with plain sqlite3 before SQLAlchemy loads are the ORM path's rows, or nothing."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone

import pytest

from desktop.services import appendix
from desktop.services.progress import EvidenceInput, record_progress
from desktop.services.queries import current_plan, list_periods, list_tasks
from desktop.services.quick_read import KNOWN_REVISION, read_overview
from desktop.services.workspace import Workspace
from desktop.ui.pages.overview_page import OverviewPage
from desktop.ui.startup_loader import WorkerReader
from tests.ui_support import windows_made

TODAY = date(2026, 11, 20)  # the 2026 period is open; the first half of 2026 is already past its deadline


def _orm_rows(workspace: Workspace, today: date) -> tuple:
    with workspace.unit_of_work() as session:
        periods = list_periods(session, today)
    from desktop.domain.periods import current_period

    period = current_period(periods, today)
    with workspace.unit_of_work() as session:
        tasks = list_tasks(session, period.code, today) if period else []
    return today, periods, period, tasks


def test_known_revision_is_the_migrations_head():
    from db.migrate import HEAD_REVISION

    assert KNOWN_REVISION == HEAD_REVISION


def test_sample_plan_reads_the_same_both_ways(sample_workspace, db_path, monkeypatch):
    monkeypatch.setenv("KHBC_TODAY", TODAY.isoformat())
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2026", "1", "done", result="Đã ban hành kế hoạch.", evidence=[
            EvidenceInput("15/SXD-VP", date(2026, 8, 5), "Kế hoạch tuyên truyền"), EvidenceInput("16/SXD-VP")])
        record_progress(session, "2026S1", "2", "done", result="Xong từ kỳ trước.")
        record_progress(session, "2026", "3", "not_applicable")
        current_plan(session).periods[0].sent_at = datetime(2026, 7, 10, 9, 30, tzinfo=timezone.utc)
    expected = _orm_rows(sample_workspace, TODAY)
    quick = read_overview(db_path, TODAY)
    assert quick == expected
    assert any(t.evidence for t in quick[3]) and any(t.status == "done" for t in quick[3])
    assert any(p.state == "sent" for p in quick[1])
    # The page's own read through the ORM gives the same too (same `today` from the clock).
    assert OverviewPage.quick_read_data(db_path) == OverviewPage.read_data(WorkerReader(sample_workspace))


def test_thousand_tasks_with_progress_read_the_same_both_ways(sample_workspace, db_path):
    from tests.bundle_helpers import grow_plan

    # Rows added directly (appendix.add_task renumbers the whole plan each time: minutes for 991 tasks).
    grow_plan(sample_workspace, 1000, "2026", result_chars=40)
    expected = _orm_rows(sample_workspace, TODAY)
    quick = read_overview(db_path, TODAY)
    assert len(quick[3]) == 1000
    assert quick == expected


@pytest.mark.parametrize("spoil", ["revision", "not sqlite", "missing", "no plan"])
def test_anything_unusual_gives_nothing_so_the_full_path_decides(sample_workspace, db_path, tmp_path, spoil):
    sample_workspace.close()
    target = db_path
    if spoil == "revision":
        with sqlite3.connect(db_path) as connection:
            connection.execute("UPDATE alembic_version SET version_num = '0000'")
    elif spoil == "not sqlite":
        target = tmp_path / "plain.sqlite3"
        target.write_bytes(b"this is not a database at all" * 100)
    elif spoil == "missing":
        target = tmp_path / "absent.sqlite3"
    else:
        with sqlite3.connect(db_path) as connection:
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("DELETE FROM plan")
    assert read_overview(target, TODAY) is None
    assert not (tmp_path / "absent.sqlite3").exists()


def test_damaged_file_gives_nothing(sample_workspace, db_path):
    sample_workspace.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    data[start:start + page_size] = b"\xff" * page_size  # the task table's first page is garbage
    db_path.write_bytes(bytes(data))
    assert read_overview(db_path, TODAY) is None


def test_first_page_shows_its_rows_locked_while_the_workspace_opens(qtbot, sample_workspace, db_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication

    from desktop.services.instance_lock import DatabaseInUseError, InstanceLock
    from desktop.ui.launch import run_gui
    from desktop.ui.main_window import MainWindow

    sample_workspace.close()
    gate = threading.Event()
    real_open = Workspace.open.__func__

    def slow_open(cls, *args, **kwargs):  # the ORM workspace opens as on a slow disk
        assert gate.wait(60), "the test never opened the gate"
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(Workspace, "open", classmethod(slow_open))
    seen = {}
    made = windows_made(monkeypatch)

    def while_running(app):
        window = made[-1]
        qtbot.waitUntil(lambda: window.locked, timeout=60_000)
        page = window.stack.currentWidget()
        seen["editable_page"] = window.current_page()
        seen["late_while_opening"] = page.late_task_numbers()
        seen["period_while_opening"] = page.period
        seen["nav_enabled"] = window.nav.isEnabled()
        seen["save_enabled"] = window.save_action.isEnabled()
        seen["status"] = window.save_state.text()
        try:  # the lock was taken before reading: a second window is refused
            InstanceLock(db_path).acquire()
            seen["second_window"] = "allowed"
        except DatabaseInUseError:
            seen["second_window"] = "refused"
        window.open_task(1)  # ignored (with a word in the status bar), not a crash
        seen["workspace_while_opening"] = window.bus.workspace
        gate.set()
        qtbot.waitUntil(lambda: not window.locked and window.nav.isEnabled(), timeout=60_000)
        seen["same_page"] = window.current_page() is page
        seen["late_after"] = window.current_page().late_task_numbers()
        window.nav.setCurrentRow(3)
        seen["after"] = window.current_page().slug
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", while_running)
    assert run_gui(["khbc-gui", "--db", str(db_path)]) == 0
    assert seen["period_while_opening"] is not None and seen["workspace_while_opening"] is None
    assert seen["editable_page"] is None  # nothing to edit before the file has opened
    assert not seen["nav_enabled"] and not seen["save_enabled"] and seen["status"] == "Đang mở dữ liệu…"
    assert seen["second_window"] == "refused"
    assert seen["same_page"] and seen["late_after"] == seen["late_while_opening"]
    assert seen["after"] == "cap-nhat-ket-qua"
