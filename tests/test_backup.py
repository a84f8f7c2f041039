"""Backups: online copies checked before they are kept, automatic ones only on change, thinning, restore, CLI."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from db.migrate import HEAD_REVISION
from desktop.errors import DatabaseError, InvalidInputError, KhbcError
from desktop.services import backup
from desktop.services.progress import record_progress
from desktop.services.restore import restore_backup, restore_into_workspace
from desktop.services.workspace import Workspace
from tests.safety_helpers import damage, fingerprint, integrity, query, scalar, task_results

NOW = datetime(2026, 11, 22, 9, 30).astimezone()


def _edit(workspace, task: str, text: str) -> None:
    with workspace.unit_of_work() as session:
        record_progress(session, "2026", task, "in_progress", result=text)


def test_backup_is_a_checked_single_file_copy_with_an_ascii_timestamped_name(sample_workspace, db_path):
    _edit(sample_workspace, "1", "Đã ban hành kế hoạch.")
    row = backup.make_backup(sample_workspace, now=NOW)
    assert row.path.parent == db_path.parent / "backups"
    assert row.file_name == "khbc-20261122-093000-manual.sqlite3" and row.file_name.isascii()
    assert row.reason == "manual" and row.reason_label == "Sao lưu thủ công" and row.size == row.path.stat().st_size
    assert integrity(row.path) == ["ok"]
    assert scalar(row.path, "PRAGMA journal_mode") == "delete"  # self-contained: no -wal beside it
    assert fingerprint(row.path) == fingerprint(db_path)
    assert sorted(p.name for p in row.path.parent.iterdir()) == [row.file_name]
    second = backup.make_backup(sample_workspace, now=NOW)
    assert second.file_name == "khbc-20261122-093000-manual-2.sqlite3"
    assert [r.file_name for r in backup.list_backups(db_path)] == [second.file_name, row.file_name]


def test_backup_is_a_consistent_snapshot_while_another_writer_is_mid_transaction(sample_workspace, db_path):
    _edit(sample_workspace, "1", "đã lưu")
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE progress SET result = 'chưa lưu'")
    try:
        row = backup.make_backup(db_path, now=NOW)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert task_results(row.path) == {"1": "đã lưu"}


def test_a_copy_that_fails_the_integrity_check_is_not_kept(sample_workspace, db_path, monkeypatch):
    monkeypatch.setattr(backup, "integrity_rows", lambda conn, quick=False: ["*** in database main ***"])
    with pytest.raises(DatabaseError, match="không đạt kiểm tra toàn vẹn"):
        backup.make_backup(sample_workspace, now=NOW)
    assert list((db_path.parent / "backups").iterdir()) == []  # neither the copy nor its temporary file


def test_backup_of_a_damaged_file_is_refused_with_a_plain_message(sample_workspace, db_path):
    sample_workspace.close()
    damage(db_path)
    with pytest.raises(DatabaseError, match="khbc check"):
        backup.make_backup(db_path, now=NOW)
    assert backup.list_backups(db_path) == []


def test_backup_to_an_explicit_file_or_folder(sample_workspace, db_path, tmp_path):
    folder = tmp_path / "usb"
    folder.mkdir()
    row = backup.make_backup(db_path, out=folder, now=NOW)
    assert row.path == folder / "khbc-20261122-093000-manual.sqlite3" and integrity(row.path) == ["ok"]
    named = backup.make_backup(db_path, out=folder / "ban-sao.sqlite3", now=NOW)
    assert named.path.name == "ban-sao.sqlite3" and fingerprint(named.path) == fingerprint(db_path)
    with pytest.raises(InvalidInputError, match="chính tệp dữ liệu"):
        backup.make_backup(db_path, out=db_path)


def test_a_database_with_a_vietnamese_name_gets_ascii_backup_names(tmp_path):
    from sample_helpers import fresh_database

    db = tmp_path / "Dữ liệu Sở Xây dựng.sqlite3"
    fresh_database(db)
    row = backup.make_backup(db, now=NOW)
    assert row.file_name == "Du_lieu_So_Xay_dung-20261122-093000-manual.sqlite3"
    assert backup.list_backups(db) == [row]


def test_default_database_backups_live_in_the_user_data_folder(tmp_path):
    from desktop.services.setup import initialise

    initialise(None, sample=True)  # conftest points the user data folder at tmp_path/xdg-data
    row = backup.make_backup(None, now=NOW)
    assert row.path == tmp_path / "xdg-data" / "KHBC" / "backups" / "khbc-20261122-093000-manual.sqlite3"


def test_list_ignores_partial_and_foreign_files(sample_workspace, db_path):
    row = backup.make_backup(db_path, now=NOW)
    folder = row.path.parent
    (folder / f".{row.file_name}.abc123.tmp").write_bytes(b"partial")
    (folder / "ghi-chu.txt").write_text("x")
    (folder / "other-20261122-093000-manual.sqlite3").write_bytes(b"another database's backup")
    assert backup.list_backups(db_path) == [row]


def test_auto_backup_only_when_something_changed_and_daily_at_most_once_a_day(sample_workspace, db_path):
    first = backup.maybe_auto_backup(sample_workspace, "close", now=NOW)
    assert first is not None and first.reason == "close"
    assert backup.maybe_auto_backup(sample_workspace, "close", now=NOW + timedelta(minutes=5)) is None
    _edit(sample_workspace, "2", "sửa lần 1")
    assert backup.maybe_auto_backup(sample_workspace, "daily", now=NOW + timedelta(hours=3)) is None  # < 24 h
    second = backup.maybe_auto_backup(sample_workspace, "close", now=NOW + timedelta(hours=3))
    assert second is not None and task_results(second.path) == {"2": "sửa lần 1"}
    assert backup.maybe_auto_backup(sample_workspace, "daily", now=NOW + timedelta(hours=28)) is None  # unchanged
    _edit(sample_workspace, "2", "sửa lần 2")
    third = backup.maybe_auto_backup(sample_workspace, "daily", now=NOW + timedelta(hours=28))
    assert third is not None and third.reason == "daily" and task_results(third.path) == {"2": "sửa lần 2"}
    with pytest.raises(InvalidInputError):
        backup.maybe_auto_backup(sample_workspace, "manual")


def test_auto_backup_skips_an_empty_database(db_path):
    workspace = Workspace.open(db_path)
    try:
        assert backup.maybe_auto_backup(workspace, "close", now=NOW) is None
        assert backup.list_backups(db_path) == []
    finally:
        workspace.close()


def _fake_backups(db_path: Path, moments: list[datetime], reason: str = "daily") -> None:
    folder = db_path.parent / "backups"
    folder.mkdir(exist_ok=True)
    for moment in moments:
        (folder / f"khbc-{moment:%Y%m%d-%H%M%S}-{reason}.sqlite3").write_bytes(b"x")


def test_thinning_keeps_days_then_weeks_then_months_then_years(tmp_path):
    db_path = tmp_path / "khbc.sqlite3"
    # Every 6 hours for a month, then daily: three years of backups.
    moments = ([NOW - timedelta(hours=6 * i) for i in range(4 * 30)]
               + [NOW - timedelta(days=d) for d in range(30, 3 * 365)])
    _fake_backups(db_path, moments)
    _fake_backups(db_path, [NOW - timedelta(days=1000)], reason="damaged")
    removed = backup.thin_backups(db_path, now=NOW)
    kept = backup.list_backups(db_path)
    assert len(kept) + len(removed) == len(moments) + 1
    ages = [NOW - r.created_at for r in kept if r.reason != "damaged"]
    assert sum(a < timedelta(days=1) for a in ages) == 4  # all of the last day
    assert 13 <= sum(timedelta(days=1) <= a < timedelta(days=14) for a in ages) <= 14  # one per calendar day
    assert 11 <= sum(timedelta(days=14) <= a < timedelta(days=92) for a in ages) <= 13  # one per week
    assert 21 <= sum(timedelta(days=92) <= a < timedelta(days=731) for a in ages) <= 23  # one per month
    assert 1 <= sum(a >= timedelta(days=731) for a in ages) <= 2  # one per year
    assert any(r.reason == "damaged" for r in kept)  # copies of damaged files are never thinned
    assert backup.thin_backups(db_path, now=NOW) == []  # a second pass finds nothing more to do


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(min_value=0, max_value=3 * 365 * 24 * 60), min_size=1, max_size=60, unique=True))
def test_thinning_keeps_the_newest_of_every_bucket_and_the_three_newest(tmp_path_factory, minutes):
    db_path = tmp_path_factory.mktemp("thin") / "khbc.sqlite3"
    moments = [(NOW - timedelta(minutes=m)).replace(second=0) for m in minutes]
    _fake_backups(db_path, moments)
    before = backup.list_backups(db_path)
    backup.thin_backups(db_path, now=NOW)
    kept = {r.path for r in backup.list_backups(db_path)}
    assert {r.path for r in before[:3]} <= kept
    newest_per_bucket: dict = {}
    for row in before:  # newest first
        key = backup._bucket(row.created_at, NOW - row.created_at)
        if key is None:
            assert row.path in kept
        elif key not in newest_per_bucket:
            newest_per_bucket[key] = row.path
    assert set(newest_per_bucket.values()) <= kept
    assert len(kept) <= len(newest_per_bucket) + 3 + sum(backup._bucket(r.created_at, NOW - r.created_at) is None
                                                         for r in before)


def test_restore_puts_the_backup_back_and_keeps_the_current_data_first(sample_workspace, db_path):
    _edit(sample_workspace, "1", "trước")
    saved = backup.make_backup(sample_workspace, now=NOW)
    _edit(sample_workspace, "1", "sau")
    _edit(sample_workspace, "3", "thêm")
    before = fingerprint(db_path)
    result = restore_into_workspace(sample_workspace, saved.path, now=NOW + timedelta(minutes=1))
    assert task_results(db_path) == {"1": "trước"}
    assert result.safety_backup is not None and result.safety_backup.reason == "pre-restore"
    assert fingerprint(result.safety_backup.path) == before
    assert result.revision == HEAD_REVISION
    _edit(sample_workspace, "2", "sau khi khôi phục")  # the workspace was reopened on the restored file
    assert task_results(db_path) == {"1": "trước", "2": "sau khi khôi phục"}
    assert sample_workspace.lock is None  # a CLI-style workspace stays without a lock
    assert not list(db_path.parent.glob(".*.tmp*"))


def test_restore_refuses_bad_backups_and_changes_nothing(sample_workspace, db_path, tmp_path):
    before = fingerprint(db_path)
    not_db = tmp_path / "hong.sqlite3"
    not_db.write_bytes(b"PK\x03\x04" + b"\0" * 5000)
    other = tmp_path / "khac.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    newer = backup.make_backup(db_path, out=tmp_path / "moi.sqlite3")
    with sqlite3.connect(newer.path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    damaged = backup.make_backup(db_path, out=tmp_path / "hong2.sqlite3")
    damage(damaged.path)
    cases = [(not_db, "bị hỏng hoặc không phải tệp dữ liệu"), (other, "không phải bản sao lưu dữ liệu KHBC"),
             (newer.path, "mới hơn"), (damaged.path, "bị hỏng"), (tmp_path / "khong-co.sqlite3", "Không tìm thấy"),
             (db_path, "chính tệp dữ liệu")]
    for path, message in cases:
        with pytest.raises(KhbcError, match=message):
            restore_into_workspace(sample_workspace, path)
    assert fingerprint(db_path) == before
    assert [r.reason for r in backup.list_backups(db_path)] == []  # nothing was even backed up


def test_restore_never_replays_a_stale_log_of_the_old_file(sample_workspace, db_path):
    saved = backup.make_backup(sample_workspace, now=NOW)
    sample_workspace.close()
    # A crashed writer leaves committed pages in db-wal beside the old file (no checkpoint ever ran).
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE task SET content = 'ghi vào nhật ký WAL' WHERE number = '1'")
    wal = Path(f"{db_path}-wal").read_bytes()
    conn.close()
    Path(f"{db_path}-wal").write_bytes(wal)  # as the crash left it
    restore_backup(db_path, saved.path, now=NOW + timedelta(minutes=1))
    assert not Path(f"{db_path}-wal").exists() and not Path(f"{db_path}-shm").exists()
    assert integrity(db_path) == ["ok"]
    assert scalar(db_path, "SELECT content FROM task WHERE number = '1'") != "ghi vào nhật ký WAL"
    assert fingerprint(db_path) == fingerprint(saved.path)


def test_restore_over_a_damaged_file_keeps_a_raw_copy_of_it(sample_workspace, db_path):
    saved = backup.make_backup(sample_workspace, now=NOW)
    sample_workspace.close()
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    result = restore_backup(db_path, saved.path, now=NOW + timedelta(minutes=1))
    assert result.safety_backup.reason == "damaged" and result.safety_backup.path.read_bytes() == damaged_bytes
    assert integrity(db_path) == ["ok"] and fingerprint(db_path) == fingerprint(saved.path)
    assert backup.newest_good_backup(db_path).path != result.safety_backup.path


def test_cli_backup_backups_restore(khbc_cli, db_path, tmp_path, sample_db):
    code, out, err = khbc_cli("backup", "--db", str(db_path))
    assert code == 0 and "đã qua kiểm tra toàn vẹn" in err
    made = Path(out.strip())
    assert made.parent == db_path.parent / "backups" and integrity(made) == ["ok"]
    code, out, _ = khbc_cli("backups", "--json", "--db", str(db_path))
    assert code == 0 and [Path(r["path"]) for r in json.loads(out)] == [made]
    code, out, _ = khbc_cli("backups", "--db", str(db_path))
    assert "Sao lưu thủ công" in out and str(made) in out
    assert khbc_cli("progress", "--period", "2026", "--task", "4", "--status", "done", "--result", "xong",
                    "--db", str(db_path))[0] == 0
    code, out, _ = khbc_cli("restore", str(made), "--db", str(db_path))
    assert code == 0 and "Đã khôi phục dữ liệu" in out and "khbc restore" in out
    assert task_results(db_path) == {}
    code, out, err = khbc_cli("restore", str(tmp_path / "khong-co.sqlite3"), "--db", str(db_path))
    assert code == 1 and "Không tìm thấy bản sao lưu" in err
    assert len(query(db_path, "SELECT id FROM task")) == 9
