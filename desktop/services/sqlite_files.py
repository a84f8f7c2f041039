"""Plain sqlite3 access to a KHBC file: opening it, SQLite's integrity findings, its revision, failures in Vietnamese."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from db.engine import BUSY_TIMEOUT_MS, DamagedDatabaseError, explain_failure
from db.readonly import cannot_write, read_only_uri
from desktop.errors import DatabaseError


def connect_file(path: str | os.PathLike, readonly: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection to a KHBC file (read-only for backups, which never need recovery)."""
    path = Path(path)
    if readonly or cannot_write(path):
        return sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)


def integrity_rows(conn: sqlite3.Connection, quick: bool = False) -> list[str]:
    """PRAGMA integrity_check / quick_check: [] when sound, else SQLite's own findings."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
    except sqlite3.OperationalError:
        raise  # a full disk, a read-only folder, a lock or an I/O error: says nothing about the file's soundness
    except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def file_problems(path: str | os.PathLike, quick: bool = False, readonly: bool = True) -> list[str]:
    """Integrity findings for a file on disk ([] when sound); a missing or unreadable file is a finding too."""
    path = Path(path)
    if not path.is_file():
        return [f"không có tệp {path}"]
    try:
        conn = connect_file(path, readonly=readonly)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return integrity_rows(conn, quick)
    except sqlite3.OperationalError as exc:
        raise environment_failure(exc, path, "Không kiểm tra được") from exc
    finally:
        conn.close()


def stored_revision(conn: sqlite3.Connection) -> str | None:
    """The schema revision recorded in the file, or None when it is not a KHBC database."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return str(row[0]) if row else None


def environment_failure(exc: sqlite3.Error, path: Path, doing: str) -> DatabaseError:
    """What stopped SQLite (a full disk, a read-only folder…) in Vietnamese; never a claim that the data is damaged."""
    failure = explain_failure(exc, f"sqlite:///{path}", doing)
    if isinstance(failure, DamagedDatabaseError):
        return failure
    return DatabaseError(failure.message)
