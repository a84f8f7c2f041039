"""Checks (khbc check, quick check on open, recovery suggestion) and one program per database (the instance lock)."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import DamagedDatabaseError
from db.migrate import HEAD_REVISION
from desktop.errors import DatabaseError
from desktop.services import backup
from desktop.services.instance_lock import DatabaseInUseError, InstanceLock, current_holder, lock_path_for, write_permit
from desktop.services.integrity import check_database
from desktop.services.progress import record_progress
from desktop.services.restore import restore_backup
from desktop.services.workspace import Workspace
from tests.safety_helpers import damage, fingerprint, integrity, scalar

ROOT = Path(__file__).resolve().parent.parent
HOLDER = """
import sys
from desktop.services.workspace import Workspace
workspace = Workspace.open(sys.argv[1], exclusive=True, program=sys.argv[2])
print("READY", flush=True)
sys.stdin.readline()
workspace.close()
"""


@pytest.fixture
def holder(db_path, sample_workspace):
    """Start another process that opens the sample database exclusively (as the GUI does); yields a starter."""
    children = []

    def start(program: str = "khbc-gui") -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path), program], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
        children.append(child)
        line = child.stdout.readline()
        assert line.strip() == "READY", child.stderr.read()
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.wait()


def _audit_count(db_path: Path) -> int:
    return scalar(db_path, "SELECT count(*) FROM audit_entry")


# --- checks --------------------------------------------------------------------------------------

def test_check_passes_on_a_sound_database(khbc_cli, sample_workspace, db_path):
    code, out, err = khbc_cli("check", "--db", str(db_path))
    assert code == 0 and "toàn vẹn" in out and HEAD_REVISION in out and err == ""
    report = check_database(db_path, quick=True)
    assert report.ok and report.revision == HEAD_REVISION


def test_check_finds_damage_and_points_at_the_newest_good_backup(khbc_cli, sample_workspace, db_path):
    good = backup.make_backup(db_path, now=backup.local_now(None).replace(year=2026, month=11, day=20))
    newest = backup.make_backup(db_path)
    damage(newest.path)  # the newest backup is damaged too: it must not be offered
    sample_workspace.close()
    damage(db_path)
    code, out, err = khbc_cli("check", "--db", str(db_path))
    assert code == 1 and out == ""
    assert "đã bị hỏng" in err and f'khbc restore "{good.path}"' in err and "chi tiết kỹ thuật" in err
    assert backup.newest_good_backup(db_path) == good


def test_opening_a_damaged_file_raises_damaged_with_the_suggestion(sample_workspace, db_path):
    good = backup.make_backup(db_path)
    sample_workspace.close()
    damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        Workspace.open(db_path, exclusive=True)
    assert "bị hỏng" in caught.value.message and caught.value.suggestion == good
    assert caught.value.path == db_path
    assert db_path.read_bytes() == before  # nothing was written to the damaged file
    assert current_holder(db_path) is None  # the failed open let go of the lock
    restore_backup(db_path, caught.value.suggestion.path)
    Workspace.open(db_path, exclusive=True).close()


def test_a_file_that_is_not_a_database_is_damaged_too(tmp_path):
    bogus = tmp_path / "khbc.sqlite3"
    bogus.write_bytes(b"MZ this is a program, not data" * 300)
    with pytest.raises(DamagedDatabaseError, match="không phải cơ sở dữ liệu KHBC hoặc đã bị hỏng") as caught:
        Workspace.open(bogus)
    assert caught.value.suggestion is None


def test_check_reports_broken_references_in_vietnamese(khbc_cli, sample_workspace, db_path):
    sample_workspace.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("UPDATE task SET plan_id = 999 WHERE number = '2'")
    conn.commit()
    conn.close()
    code, _, err = khbc_cli("check", "--db", str(db_path))
    assert code == 1 and "trỏ tới kế hoạch (bảng plan) không còn tồn tại" in err


def test_check_of_missing_empty_and_foreign_files(khbc_cli, tmp_path):
    code, _, err = khbc_cli("check", "--db", str(tmp_path / "khong-co.sqlite3"))
    assert code == 1 and "Không có tệp dữ liệu" in err
    assert not (tmp_path / "khong-co.sqlite3").exists()  # checking never creates a database
    other = tmp_path / "khac.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    code, _, err = khbc_cli("check", "--db", str(other))
    assert code == 1 and "không phải dữ liệu KHBC" in err


# --- one program per database ---------------------------------------------------------------------

def test_a_second_window_is_told_who_has_the_data_open(holder, db_path):
    holder()
    with pytest.raises(DatabaseInUseError) as caught:
        Workspace.open(db_path, exclusive=True)
    message = caught.value.message
    assert message.startswith("Dữ liệu đang được mở trong một cửa sổ KHBC khác (máy ")
    assert socket.gethostname() in message and "người dùng" in message and "từ " in message
    assert caught.value.holder.program == "khbc-gui" and caught.value.holder.pid != os.getpid()
    info = json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))
    assert info["pid"] == caught.value.holder.pid and info["host"] == socket.gethostname()


def test_cli_writes_are_refused_while_a_window_holds_the_data_reads_go_on(holder, khbc_cli, db_path, tmp_path,
                                                                          monkeypatch):
    """Every writing command is refused and writes nothing while a window holds the data; reading commands run.

    The window never lets go here, so how long `khbc restore` waits for the file to be free before refusing does
    not change the outcome: the test shortens that wait (the product reads it when a restore starts) instead of
    sitting out its 10 s.
    """
    from desktop.services import restore

    monkeypatch.setattr(restore, "SOLE_USE_WAIT_SECONDS", 0.3)
    holder()
    before = _audit_count(db_path)
    code, _, err = khbc_cli("progress", "--period", "2026", "--task", "1", "--status", "done", "--result", "x",
                            "--db", str(db_path))
    assert code == 1 and "cửa sổ KHBC khác" in err and "không có thay đổi nào được lưu" in err
    assert khbc_cli("restore", str(backup.make_backup(db_path).path), "--db", str(db_path))[0] == 1
    assert khbc_cli("export", "--period", "2026", "--out", str(tmp_path / "goi"), "--db", str(db_path))[0] == 1
    assert list((tmp_path / "goi").glob("*.zip")) == []  # the refused export left no package behind
    assert _audit_count(db_path) == before
    assert scalar(db_path, "SELECT count(*) FROM progress") == 0
    for argv in (["tasks", "--period", "2026"], ["periods"], ["check"], ["backups"], ["audit"]):
        code, _, err = khbc_cli(*argv, "--db", str(db_path))
        assert code == 0, (argv, err)


def test_the_lock_dies_with_its_holder(holder, db_path):
    child = holder()
    assert current_holder(db_path).pid == child.pid
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert current_holder(db_path) is None  # no stale lock after a crash: the OS let go of it
    workspace = Workspace.open(db_path, exclusive=True)
    try:
        assert json.loads(lock_path_for(db_path).read_text(encoding="utf-8"))["pid"] == os.getpid()
        with workspace.unit_of_work() as session:
            record_progress(session, "2026", "1", "done", result="sau sự cố")
    finally:
        workspace.close()
    assert lock_path_for(db_path).read_text(encoding="utf-8") == ""  # released: the file stays, its text goes


def test_the_window_that_holds_the_lock_and_its_own_helpers_may_write(db_path, sample_workspace):
    window = Workspace.open(db_path, exclusive=True)
    helper = Workspace.open(db_path)  # e.g. a service the GUI runs through a second workspace
    try:
        with helper.unit_of_work() as session:
            record_progress(session, "2026", "5", "done", result="cùng chương trình")
        with pytest.raises(DatabaseInUseError):
            Workspace.open(db_path, exclusive=True)  # but not a second window, even in this process
    finally:
        helper.close()
        window.close()
    assert scalar(db_path, "SELECT result FROM progress") == "cùng chương trình"


def test_a_command_holding_the_lock_is_named_and_waited_for(holder, db_path):
    holder("khbc restore")
    with pytest.raises(DatabaseInUseError, match="lệnh KHBC khác ghi \\(lệnh \"khbc restore\", máy "):
        with write_permit(db_path, wait=0.2):
            pass


def test_read_only_units_of_work_do_not_need_the_lock(holder, db_path):
    holder()
    workspace = Workspace.open(db_path)
    try:
        with workspace.unit_of_work() as session:
            from desktop.services.queries import list_tasks

            assert len(list_tasks(session, "2026", backup.local_now(None).date())) == 9
    finally:
        workspace.close()


def test_lock_file_in_an_unwritable_place_gives_a_vietnamese_message(tmp_path, monkeypatch):
    lock = InstanceLock(tmp_path / "khbc.sqlite3")
    monkeypatch.setattr(os, "open", lambda *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    with pytest.raises(DatabaseError, match="Không tạo được tệp khóa"):
        lock.acquire()


def test_recovery_dialog_offers_and_restores_the_newest_good_backup(qtbot, sample_workspace, db_path, monkeypatch):
    from desktop.ui import recovery_dialog

    good = backup.make_backup(db_path)
    sample_workspace.close()
    damage(db_path)
    with pytest.raises(DamagedDatabaseError) as caught:
        Workspace.open(db_path, exclusive=True)
    dialog = recovery_dialog.RecoveryDialog(caught.value)
    qtbot.addWidget(dialog)
    assert "bị hỏng" in dialog.label.text() and "Bản sao lưu tốt gần nhất" in dialog.label.text()
    assert dialog.restore_button.isEnabled()
    monkeypatch.setattr(recovery_dialog.RecoveryDialog, "exec",
                        lambda self: (self.restore_button.click(), self.result())[1])
    assert recovery_dialog.offer_recovery(caught.value) is True
    assert integrity(db_path) == ["ok"] and fingerprint(db_path) == fingerprint(good.path)
    Workspace.open(db_path, exclusive=True).close()
    no_backup = DamagedDatabaseError("Tệp dữ liệu bị hỏng.", db_path, [], None)
    empty = recovery_dialog.RecoveryDialog(no_backup)
    qtbot.addWidget(empty)
    assert not empty.restore_button.isEnabled() and "Không tìm thấy bản sao lưu tốt" in empty.label.text()


@pytest.mark.parametrize("argv", [["report", "--period", "2026", "--out"], ["plan-doc", "--format", "xlsx", "--out"],
                                  ["collect", "--period", "2026", "--out"]], ids=lambda a: a[0])
def test_output_never_replaces_the_database(khbc_cli, sample_workspace, db_path, argv):
    sample_workspace.close()
    before = fingerprint(db_path)
    code, _, err = khbc_cli(*argv, str(db_path), "--db", str(db_path))
    assert code == 1 and err.startswith("Lỗi: ")
    assert fingerprint(db_path) == before
