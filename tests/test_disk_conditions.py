"""A full disk and a read-only medium, made real with small tmpfs mounts: KHBC says what is wrong with the disk, never
that the data is damaged, reads a read-only copy, refuses to write it, and loses nothing.

The mounts need root (CI runs as root); elsewhere these tests are skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.safety_helpers import file_sha256, fingerprint

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs root to mount a tmpfs")


@pytest.fixture
def small_disk(tmp_path):
    """Mount a 2 MB tmpfs; yields (folder, remount(options))."""
    folder = tmp_path / "o-dia"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")

    def remount(options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(folder)], check=True)

    try:
        yield folder, remount
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def khbc(*argv: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=300)
    return done.returncode, done.stdout, done.stderr


def _fill(folder: Path) -> None:
    with open(folder / "day.bin", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass


def _no_damage_claim(err: str) -> None:
    assert "hỏng" not in err and "khbc restore" not in err and "Traceback" not in err, err


def test_a_full_disk_is_called_full_and_the_data_sound(sample_workspace, db_path, small_disk, tmp_path):
    folder, _ = small_disk
    sample_workspace.close()
    db = folder / "khbc.sqlite3"
    shutil.copyfile(db_path, db)
    before = fingerprint(db)
    _fill(folder)
    code, out, err = khbc("check", "--db", str(db))
    assert code == 0 and "toàn vẹn" in out, err
    _no_damage_claim(out + err)
    code, out, err = khbc("backup", "--db", str(db))
    assert code == 1 and "ổ đĩa đã đầy" in err, err
    _no_damage_claim(err)
    code, out, err = khbc("progress", "--period", "2026", "--task", "1", "--status", "done", "--result", "x",
                          "--db", str(db))
    assert code == 1 and "ổ đĩa đã đầy" in err, err
    _no_damage_claim(err)
    (folder / "day.bin").unlink()
    assert fingerprint(db) == before
    code, out, err = khbc("check", "--db", str(db))
    assert code == 0, err


def test_a_read_only_medium_is_read_and_never_written(sample_workspace, db_path, small_disk, tmp_path):
    folder, remount = small_disk
    sample_workspace.close()
    db = folder / "khbc.sqlite3"
    shutil.copyfile(db_path, db)
    before = file_sha256(db)
    remount("ro")
    code, out, err = khbc("tasks", "--period", "2026", "--db", str(db))
    assert code == 0 and "Văn phòng Sở" in out, err
    code, out, err = khbc("report", "--period", "2026", "--format", "xlsx", "--out", str(tmp_path / "bc.xlsx"),
                          "--db", str(db))
    assert code == 0, err
    from openpyxl import load_workbook

    assert load_workbook(tmp_path / "bc.xlsx").worksheets[0]["A1"].value == "UBND TỈNH ĐẮK LẮK"
    code, out, err = khbc("check", "--db", str(db))
    assert code == 0 and "toàn vẹn" in out, err
    code, out, err = khbc("progress", "--period", "2026", "--task", "1", "--status", "done", "--result", "x",
                          "--db", str(db))
    assert code == 1 and "chỉ cho phép đọc" in err, err
    _no_damage_claim(err)
    code, out, err = khbc("backup", "--db", str(db))
    assert code == 1 and "chỉ cho phép đọc" in err, err
    _no_damage_claim(err)
    assert sorted(p.name for p in folder.iterdir()) == ["khbc.sqlite3"] and file_sha256(db) == before
