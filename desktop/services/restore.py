"""Restoring a backup, and undoing a failed upgrade: stage a checked copy beside the file, then one atomic swap."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from db.migrate import HEAD_REVISION, MigrationFailedError, alembic_config
from desktop.errors import DatabaseError, InvalidInputError, NotFoundError, os_reason
from desktop.fileio import atomic_path
from desktop.services.backup import (
    BackupRow, database_file, local_now, make_backup, new_backup_path, online_copy, parse_backup_name, thin_backups,
)
from desktop.services.file_identity import sole_use
from desktop.services.instance_lock import DatabaseInUseError, write_permit
from desktop.services.sqlite_files import connect_file, file_problems, stored_revision

if TYPE_CHECKING:
    from desktop.services.workspace import Workspace  # which imports this module when an upgrade fails


IN_USE_MESSAGE = ("Dữ liệu {path} đang được một cửa sổ hoặc một lệnh KHBC khác dùng; khôi phục lúc này sẽ làm mất "
                  "những gì nó đang ghi, nên chưa khôi phục. Hãy đợi lệnh đó xong hoặc đóng cửa sổ đó rồi thử lại; "
                  "dữ liệu chưa bị thay đổi.")
SOLE_USE_WAIT_SECONDS = 10.0


@contextlib.contextmanager
def _only_user(db_path: Path, wait: float | None = None):
    """No other process may have the file open (under any name) while it is replaced (waiting up to `wait`
    seconds, SOLE_USE_WAIT_SECONDS as it is when called by default)."""
    with sole_use(db_path, SOLE_USE_WAIT_SECONDS if wait is None else wait) as alone:
        if not alone:
            raise DatabaseInUseError(IN_USE_MESSAGE.format(path=db_path), None)
        yield


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_backup: BackupRow | None  # the copy of the data as it was just before the restore
    revision: str


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name != "nt":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _settle(db_path: Path, damaged_ok: bool = False) -> None:
    """Fold the write-ahead log into the file and close, so nothing beside it (-wal, -shm) belongs to it.

    With `damaged_ok` (a raw copy of a damaged file and its log was kept), a log that cannot be folded in goes.
    """
    if not db_path.exists():
        return
    damaged = False
    try:
        conn = connect_file(db_path)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:
        busy = 1  # locked by another program
    except sqlite3.DatabaseError:
        busy, damaged = 0, True
    leftovers = [p for p in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")) if p.exists()]
    log_has_data = any(p.name.endswith("-wal") and p.stat().st_size for p in leftovers)
    if busy or (log_has_data and not (damaged and damaged_ok)):
        raise DatabaseError("Dữ liệu đang được một chương trình khác đọc hoặc ghi, nên chưa thay được tệp. "
                            "Hãy đóng các cửa sổ và lệnh KHBC khác đang dùng dữ liệu này rồi thử lại; "
                            "dữ liệu chưa bị thay đổi.")
    for path in leftovers:  # empty leftovers of a crash: harmless, but they must not outlive the old file
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _stage_copy(source: Path, db_path: Path) -> Path:
    """A checked copy of `source` in a temporary file beside the database, flushed to disk."""
    for stale in db_path.parent.glob(f".{db_path.name}.*.restore.tmp*"):
        with contextlib.suppress(OSError):
            stale.unlink()  # an earlier restore was interrupted; the instance lock is ours now
    fd, name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".restore.tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        online_copy(source, tmp, source_readonly=True)
        _fsync_file(tmp)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _keep_access(tmp: Path, db_path: Path) -> None:
    """The restored file gets the permissions (and owner, where allowed) of the file it replaces, so an office
    that shares the file between accounts keeps its access."""
    try:
        old = os.stat(db_path)
    except OSError:
        return
    with contextlib.suppress(OSError):
        os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        with contextlib.suppress(OSError):
            os.chown(tmp, old.st_uid, old.st_gid)


def _swap_in(tmp: Path, db_path: Path, damaged_ok: bool = False) -> None:
    """The one step that changes the data: rename the staged copy over the database file."""
    try:
        _keep_access(tmp, db_path)
        _settle(db_path, damaged_ok)
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
    except OSError as exc:
        raise DatabaseError(f"Không thay được tệp dữ liệu {db_path}: {os_reason(exc)}. Có thể tệp đang được "
                            "chương trình khác mở; dữ liệu chưa bị thay đổi.") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def _check_restorable(source: Path, db_path: Path) -> str:
    if not source.is_file():
        raise NotFoundError(f"Không tìm thấy bản sao lưu {source}.")
    if source.resolve() == db_path.resolve():
        raise InvalidInputError("Hãy chọn một bản sao lưu, không phải chính tệp dữ liệu đang dùng.")
    if file_problems(source):
        raise DatabaseError(f"Bản sao lưu {source.name} bị hỏng hoặc không phải tệp dữ liệu; không dùng để khôi "
                            "phục được. Hãy chọn bản sao lưu khác.")
    conn = connect_file(source, readonly=True)
    try:
        revision = stored_revision(conn)
    finally:
        conn.close()
    if revision is None:
        raise InvalidInputError(f"Tệp {source.name} không phải bản sao lưu dữ liệu KHBC.")
    if revision != HEAD_REVISION:
        from alembic.script import ScriptDirectory

        if revision not in {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}:
            raise DatabaseError(f"Bản sao lưu {source.name} do một phiên bản KHBC mới hơn tạo ra; hãy cài phiên bản "
                                "KHBC mới nhất để khôi phục nó.")
    return revision


def _safety_copy(db_path: Path, moment: datetime) -> tuple[BackupRow | None, bool]:
    """The data as it is now, before it is replaced: a checked backup, or a raw copy (with its log) when damaged.

    Returns the copy and whether the file was damaged."""
    if not db_path.is_file():
        return None, False
    try:
        return make_backup(db_path, "pre-restore", now=moment, thin=False), False
    except DatabaseError:
        final = new_backup_path(db_path, "damaged", moment)
        log = Path(f"{db_path}-wal")
        if log.is_file() and log.stat().st_size:
            with atomic_path(Path(f"{final}-wal"), replace_database=True) as tmp:
                shutil.copyfile(log, tmp)
        with atomic_path(final, replace_database=True) as tmp:
            shutil.copyfile(db_path, tmp)
        return parse_backup_name(db_path, final), True


def restore_backup(db_path: Path, backup: Path, now: datetime | None = None) -> RestoreResult:
    """Replace the SQLite file `db_path` (not open in this process) with `backup`: back up the current file, stage
    a checked copy beside it, swap atomically. A restore cut short by a crash leaves the old file or the new one,
    never a mix."""
    return _restore(database_file(Path(db_path)), Path(backup), now, None)


def restore_into_workspace(workspace: Workspace, backup: Path, now: datetime | None = None) -> RestoreResult:
    """The same for the GUI's open Workspace: it lets go of its file for the swap and is reopened on the restored
    one, keeping its lock."""
    return _restore(database_file(workspace), Path(backup), now, workspace)


def _restore(db_path: Path, source: Path, now: datetime | None, workspace: Workspace | None) -> RestoreResult:
    revision = _check_restorable(source, db_path)
    moment = local_now(now)
    with _only_user(db_path), write_permit(db_path, "khbc restore"):
        tmp = _stage_copy(source, db_path)  # before the safety backup, whose thinning must not take `source`
        try:
            safety, damaged = _safety_copy(db_path, moment)
            if workspace is not None:
                workspace.database.dispose()
            try:
                _swap_in(tmp, db_path, damaged_ok=damaged)
            finally:
                if workspace is not None:
                    workspace.reopen()
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()
    thin_backups(db_path, now=moment)
    return RestoreResult(source, safety, revision)


def put_back_after_failed_migration(db_path: Path, error: MigrationFailedError) -> MigrationFailedError:
    """A failed upgrade left the file changed: put the pre-upgrade backup back and say so."""
    with _only_user(db_path), write_permit(db_path, "khbc"):
        _swap_in(_stage_copy(error.backup, db_path), db_path)
    return MigrationFailedError(
        "Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC. Dữ liệu đã được đưa về nguyên trạng từ bản "
        f"sao lưu trước khi nâng cấp ({error.backup}). Hãy báo cho bộ phận hỗ trợ kỹ thuật.",
        error.revision, True, error.backup)
