"""Real processes on one data file: a restore never swaps the file under a command that has it open, a second name
(hard link) of the file is refused while the first is in use, and a restore keeps the file's permissions."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.safety_helpers import query, task_results

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="identity locks use Linux open-file locks")

# Opens the database as a command does (no window lock), then writes only when told to: the window in which
# `import-bundle` verifies its package between opening the database and writing.
SLOW_WRITER = """
import sys
from desktop.services.progress import record_progress
from desktop.services.workspace import Workspace
workspace = Workspace.open(sys.argv[1], exclusive=sys.argv[3] == "window")
print("OPEN", flush=True)
sys.stdin.readline()
with workspace.unit_of_work() as session:
    record_progress(session, "2026", "1", "done", result=sys.argv[2])
print("SAVED", flush=True)
sys.stdin.readline()
workspace.close()
"""


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _writer(db: Path, text: str, mode: str = "command") -> subprocess.Popen:
    child = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(db), text, mode], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)
    assert child.stdout.readline().strip() == "OPEN", child.stderr.read()
    return child


def _khbc(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=_env(), cwd=ROOT)


def _tell(child: subprocess.Popen) -> None:
    child.stdin.write("\n")
    child.stdin.flush()


@pytest.fixture
def backup_file(sample_workspace, tmp_path) -> Path:
    from desktop.services.backup import make_backup

    path = make_backup(sample_workspace, out=tmp_path / "truoc.sqlite3").path
    sample_workspace.close()
    return path


def test_a_restore_waits_for_a_command_that_has_the_file_open(db_path, backup_file):
    writer = _writer(db_path, "ghi trong lúc khôi phục")
    try:
        restore = _khbc("restore", str(backup_file), "--db", str(db_path))
        deadline = time.monotonic() + 6  # long enough for an unguarded restore to swap the file (about 2 s here)
        while restore.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        _tell(writer)
        assert writer.stdout.readline().strip() == "SAVED", writer.stderr.read()
        _tell(writer)
        assert writer.wait(30) == 0
        out, err = restore.communicate(timeout=60)
    finally:
        writer.kill()
        writer.wait()
    assert restore.returncode == 0, err
    # The acknowledged write happened before the restore, so it is in the copy the restore kept of the old data.
    [safety] = [p for p in (db_path.parent / "backups").glob("*-pre-restore.sqlite3")]
    assert task_results(safety)["1"] == "ghi trong lúc khôi phục"
    assert task_results(db_path).get("1") != "ghi trong lúc khôi phục"  # and the restore did happen


def test_a_restore_is_refused_while_a_command_keeps_the_file_open(db_path, backup_file, monkeypatch, khbc_cli):
    """A command that keeps the file open past the restore's wait gets it refused, in Vietnamese, and goes on to
    write. The command here never lets go, so the wait's length does not change the outcome: `khbc restore` runs
    in this process with the wait shortened (the product reads it when a restore starts) instead of sitting out
    its 10 s; the writer is still another process."""
    from desktop.services import restore

    monkeypatch.setattr(restore, "SOLE_USE_WAIT_SECONDS", 0.5)
    writer = _writer(db_path, "ghi sau khi bị từ chối khôi phục")
    try:
        code, out, err = khbc_cli("restore", str(backup_file), "--db", str(db_path))
        assert code == 1 and "khôi phục lúc này sẽ làm mất" in err and "Traceback" not in err, err
        _tell(writer)
        assert writer.stdout.readline().strip() == "SAVED", writer.stderr.read()
    finally:
        writer.kill()
        writer.wait()
    assert task_results(db_path)["1"] == "ghi sau khi bị từ chối khôi phục"


@pytest.mark.parametrize("mode", ["window", "command"])
def test_a_hard_link_is_refused_while_the_file_is_open_under_its_first_name(db_path, backup_file, tmp_path, mode):
    other = tmp_path / "ten-khac" / "du-lieu.sqlite3"
    other.parent.mkdir()
    os.link(db_path, other)
    window = _writer(db_path, "sửa trong cửa sổ", mode)
    try:
        _tell(window)
        assert window.stdout.readline().strip() == "SAVED", window.stderr.read()
        command = _khbc("progress", "--period", "2026", "--task", "1", "--status", "in_progress", "--result",
                        "ghi qua tên khác", "--db", str(other))
        out, err = command.communicate(timeout=60)
        assert command.returncode == 1 and "Traceback" not in err, err
        assert "không có thay đổi nào được lưu" in err, err
        _tell(window)
        assert window.wait(30) == 0, window.stderr.read()
    finally:
        window.kill()
        window.wait()
    for name in (db_path, other):  # the window's edit survives under either name, and so does its audit entry
        assert task_results(name)["1"] == "sửa trong cửa sổ"
        assert query(name, "SELECT count(*) FROM audit_entry WHERE new_value = 'ghi qua tên khác'") == [(0,)]
        assert query(name, "SELECT count(*) FROM audit_entry WHERE new_value = 'sửa trong cửa sổ'") == [(1,)]


def test_the_second_name_works_once_the_first_is_closed(db_path, backup_file, tmp_path):
    other = tmp_path / "lien-ket.sqlite3"
    os.link(db_path, other)
    command = _khbc("progress", "--period", "2026", "--task", "2", "--status", "done", "--result", "qua tên kia",
                    "--db", str(other))
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    assert task_results(db_path)["2"] == "qua tên kia"


def test_a_restore_keeps_the_file_permissions(db_path, backup_file):
    from desktop.services.restore import restore_backup

    os.chmod(db_path, 0o664)
    restore_backup(db_path, backup_file)
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o664


CRASH_WITH_LOG = """
import os, sys
from desktop.services.progress import record_progress
from desktop.services.workspace import Workspace
workspace = Workspace.open(sys.argv[1], exclusive=True)
with workspace.unit_of_work() as session:
    record_progress(session, "2026", "1", "done", result="sửa trước khi mất điện")
os._exit(0)  # as a power cut would: the write-ahead log keeps the saved edit, nothing folds it in
"""


def test_a_second_name_is_refused_while_the_first_has_a_log_left_by_a_crash(db_path, backup_file, tmp_path):
    other = tmp_path / "ban-sao-ten-khac.sqlite3"
    os.link(db_path, other)
    child = subprocess.run([sys.executable, "-c", CRASH_WITH_LOG, str(db_path)], env=_env(), cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 0 and Path(f"{db_path}-wal").stat().st_size > 0, child.stderr
    command = _khbc("progress", "--period", "2026", "--task", "1", "--status", "in_progress", "--result",
                    "ghi qua tên khác", "--db", str(other))
    out, err = command.communicate(timeout=60)
    assert command.returncode == 1 and db_path.name in err and "Traceback" not in err, err
    assert task_results(db_path)["1"] == "sửa trước khi mất điện"
