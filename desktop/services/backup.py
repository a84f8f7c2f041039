"""Backups of the SQLite file: online copies checked before they are kept, automatic ones, thinning, and restore."""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db.engine import sqlite_file
from desktop.errors import DatabaseError, InvalidInputError, KhbcError, NotFoundError
from desktop.fileio import atomic_path
from desktop.services.locations import resolve_database
from desktop.services.sqlite_files import (
    connect_file, environment_failure, file_problems, integrity_rows, stored_revision,
)

BACKUP_FOLDER = "backups"
SUFFIX = ".sqlite3"
REASON_LABELS = {
    "manual": "Sao lưu thủ công",
    "close": "Tự động khi đóng chương trình",
    "daily": "Tự động hằng ngày",
    "pre-restore": "Trước khi khôi phục",
    "pre-migrate": "Trước khi nâng cấp dữ liệu",
    "damaged": "Bản sao tệp hỏng (giữ lại để kiểm tra)",
}
AUTO_REASONS = ("close", "daily")
DAILY_INTERVAL = timedelta(hours=24)
KEEP_NEWEST = 3
# (age below which a tier applies, bucket of that tier): every backup of the last day, then the newest of each
# day for two weeks, of each week for three months, of each month for two years, of each year after that.
TIERS = ((timedelta(days=1), None), (timedelta(days=14), "day"), (timedelta(days=92), "week"),
         (timedelta(days=731), "month"), (timedelta.max, "year"))
STALE_TEMP_AGE = 3600.0
_NAME = re.compile(r"-(\d{8})-(\d{6})-([a-z]+(?:-[a-z]+)*?)(?:-(\d+))?" + re.escape(SUFFIX) + "$")


@dataclass(frozen=True)
class BackupRow:
    """One backup file, as plain data for the CLI and the Cài đặt page."""

    path: Path
    file_name: str
    created_at: datetime  # local time, aware
    reason: str
    reason_label: str
    size: int

    def to_json(self) -> dict:
        return {"path": str(self.path), "file_name": self.file_name, "created_at": self.created_at.isoformat(),
                "reason": self.reason, "reason_label": self.reason_label, "size": self.size}


def local_now(now: datetime | None) -> datetime:
    return (now or datetime.now()).astimezone()


def database_file(target) -> Path:
    """The SQLite file of a Workspace, path, URL or None (the default database)."""
    database = getattr(target, "database", None)
    if database is not None:
        path = database.path
    else:
        path = sqlite_file(resolve_database(target))
    if path is not None and path.is_dir():
        raise InvalidInputError(f"{path} là một thư mục, không phải tệp dữ liệu. Hãy chỉ --db tới tệp dữ liệu "
                                "(ví dụ khbc.sqlite3).")
    if path is None:
        raise KhbcError("Sao lưu và khôi phục của KHBC chỉ dùng cho tệp dữ liệu SQLite trên máy này. Với cơ sở dữ "
                        "liệu trên máy chủ PostgreSQL, hãy dùng công cụ sao lưu của máy chủ (pg_dump).")
    return path


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / BACKUP_FOLDER


def _token(db_path: Path) -> str:
    """The database file's name as plain ASCII, the prefix of its backups' names."""
    plain = unicodedata.normalize("NFD", db_path.stem.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9_]+", "_", plain).strip("_") or "khbc"


def parse_backup_name(db_path: Path, path: Path, prefix: str | None = None) -> BackupRow | None:
    """The backup a file name describes, or None when the file is not one of this database's backups."""
    prefix = prefix or _token(db_path)
    if not path.name.startswith(prefix):
        return None
    match = _NAME.fullmatch(path.name[len(prefix):])
    if match is None:
        return None
    day, clock, reason, _counter = match.groups()
    try:
        created = datetime(int(day[:4]), int(day[4:6]), int(day[6:]), int(clock[:2]), int(clock[2:4]),
                           int(clock[4:])).astimezone()
        size = path.stat().st_size
    except (ValueError, OSError, OverflowError):
        return None
    return BackupRow(path, path.name, created, reason, REASON_LABELS.get(reason, reason), size)


def list_backups(target=None) -> list[BackupRow]:
    """The database's backups in `<db folder>/backups/`, newest first (partial .tmp files are never listed)."""
    db_path = database_file(target)
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    prefix = _token(db_path)
    rows = [row for p in folder.iterdir() if (row := parse_backup_name(db_path, p, prefix)) is not None]
    return sorted(rows, key=_order, reverse=True)


def _order(row: BackupRow) -> tuple:
    """Time, then the counter that tells apart backups made within the same second."""
    match = _NAME.search(row.file_name)
    return row.created_at, int(match.group(4) or 1) if match else 0


def new_backup_path(db_path: Path, reason: str, moment: datetime) -> Path:
    folder = backup_dir(db_path)
    stem = f"{_token(db_path)}-{moment:%Y%m%d-%H%M%S}-{reason}"
    candidate, counter = folder / f"{stem}{SUFFIX}", 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}-{counter}{SUFFIX}"
    return candidate


def online_copy(source: Path, target: Path, source_readonly: bool = False) -> None:
    """Copy a consistent snapshot with SQLite's backup API, make it a single self-contained file, and check it."""
    try:
        src = connect_file(source, readonly=source_readonly)
    except sqlite3.Error as exc:
        raise environment_failure(exc, source, "Không đọc được") from exc
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # the copy needs no -wal/-shm beside it
            problems = integrity_rows(dst)
        finally:
            dst.close()
    except sqlite3.OperationalError as exc:  # a full disk, a read-only folder: the data itself is fine
        failure = environment_failure(exc, target, "Không sao lưu được vào")
        reason = failure.message.split(": ", 1)[-1] if ": " in failure.message else failure.message
        raise DatabaseError(f"Không sao lưu được vào thư mục {target.parent}: {reason}") from exc
    except sqlite3.Error as exc:
        raise DatabaseError(f"Không sao chép được dữ liệu từ {source.name}: tệp có thể đã bị hỏng. "
                            "Hãy chạy \"khbc check\".") from exc
    finally:
        src.close()
    if problems:
        raise DatabaseError(f"Bản sao của {source.name} không đạt kiểm tra toàn vẹn nên không được giữ lại; dữ liệu "
                            "gốc có thể đã bị hỏng. Hãy chạy \"khbc check\".")


def make_backup(target=None, reason: str = "manual", out: str | os.PathLike | None = None,
                now: datetime | None = None, thin: bool = True) -> BackupRow:
    """Back the database up (online, consistent even while it is in use), check the copy, keep it atomically.

    Without `out` the copy goes to `<db folder>/backups/` under a timestamped ASCII name and old backups are
    thinned; with `out` (a file or a folder) it goes there.
    """
    if reason not in REASON_LABELS:
        raise InvalidInputError(f"Lý do sao lưu không hợp lệ: \"{reason}\".")
    db_path = database_file(target)
    if not db_path.is_file():
        raise NotFoundError(f"Không có tệp dữ liệu {db_path} để sao lưu.")
    moment = local_now(now)
    if out is None:
        final = new_backup_path(db_path, reason, moment)
    else:
        final = Path(out)
        if final.is_dir():
            final = final / f"{_token(db_path)}-{moment:%Y%m%d-%H%M%S}-{reason}{SUFFIX}"
        if final.resolve() == db_path.resolve():
            raise InvalidInputError("Không thể sao lưu đè lên chính tệp dữ liệu đang dùng; hãy chọn nơi khác.")
        if final.is_file():
            raise InvalidInputError(f"Đã có tệp {final.name} ở {final.parent}; bản sao lưu không ghi đè lên tệp có sẵn. "
                                    "Hãy chọn tên tệp khác cho bản sao lưu, hoặc chỉ tên thư mục.")
    with atomic_path(final) as tmp:
        online_copy(db_path, tmp)
    if out is None and thin:
        thin_backups(db_path, now=moment)
    row = parse_backup_name(db_path, final)
    return row or BackupRow(final, final.name, moment, reason, REASON_LABELS[reason], final.stat().st_size)


def _bucket(moment: datetime, age: timedelta) -> tuple | None:
    for limit, kind in TIERS:
        if age < limit:
            if kind is None:
                return None
            if kind == "day":
                return ("day", moment.date())
            if kind == "week":
                return ("week", *moment.isocalendar()[:2])
            if kind == "month":
                return ("month", moment.year, moment.month)
            return ("year", moment.year)
    return ("year", moment.year)


def _remove_stale_temps(folder: Path, prefix: str) -> None:
    """Partial files a crash left behind (they only ever carry a .tmp name), once they are old enough."""
    if not folder.is_dir():
        return
    limit = time.time() - STALE_TEMP_AGE
    for path in folder.glob(f".{prefix}*.tmp*"):
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()


def thin_backups(target=None, now: datetime | None = None) -> list[Path]:
    """Delete the backups the retention rules no longer need; returns what was deleted."""
    db_path = database_file(target)
    moment = local_now(now)
    rows = [r for r in list_backups(db_path) if r.reason != "damaged"]  # copies of damaged files stay
    keep: set[Path] = {r.path for r in rows[:KEEP_NEWEST]}
    seen: set[tuple] = set()
    for row in rows:
        key = _bucket(row.created_at, moment - row.created_at)
        if key is None or key not in seen:
            keep.add(row.path)
            if key is not None:
                seen.add(key)
    removed = []
    for row in rows:
        if row.path not in keep:
            with contextlib.suppress(OSError):
                row.path.unlink()
                removed.append(row.path)
    _remove_stale_temps(backup_dir(db_path), _token(db_path))
    return removed


def _marker(path: Path, readonly: bool) -> tuple | None:
    """What changes whenever the data does: every service writes an audit entry with each change."""
    try:
        conn = connect_file(path, readonly=readonly)
        try:
            return tuple(conn.execute("SELECT count(*), max(id), max(at) FROM audit_entry").fetchone())
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def maybe_auto_backup(workspace, reason: str = "close", now: datetime | None = None) -> BackupRow | None:
    """The GUI's automatic backup, on close and on a daily timer: only when the data changed since the newest
    backup, and for the timer at most once a day. Returns the new backup, or None when none was needed."""
    if reason not in AUTO_REASONS:
        raise InvalidInputError(f"Lý do sao lưu tự động không hợp lệ: \"{reason}\".")
    if getattr(workspace, "database", None) is not None and workspace.database.path is None:
        return None  # a server database is backed up by the server's own tools
    db_path = database_file(workspace)
    moment = local_now(now)
    rows = list_backups(db_path)
    newest = rows[0] if rows else None
    if reason == "daily" and newest is not None and moment - newest.created_at < DAILY_INTERVAL:
        return None
    live = _marker(db_path, readonly=False)
    if live is None or (newest is None and not live[0]):
        return None  # nothing entered yet
    if newest is not None and _marker(newest.path, readonly=True) == live:
        return None
    return make_backup(db_path, reason, now=moment)


def newest_good_backup(target=None) -> BackupRow | None:
    """The newest backup that passes SQLite's quick check and holds a KHBC schema (for the recovery offer)."""
    for row in list_backups(target):
        try:
            if row.reason == "damaged" or file_problems(row.path, quick=True):
                continue
        except DatabaseError:
            continue
        try:
            conn = connect_file(row.path, readonly=True)
            try:
                if stored_revision(conn) is not None:
                    return row
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return None

