"""Opening a SQLite file that cannot be written (read-only folder, medium or file): reading works, writing is refused."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import QueuePool

from desktop.errors import DatabaseError

READ_ONLY_NOTE = ("thư mục, ổ đĩa hoặc tệp chỉ cho phép đọc: xem và in được, nhưng không lưu được thay đổi nào. "
                  "Muốn sửa, hãy chép tệp dữ liệu sang một thư mục ghi được")


def cannot_write(path: Path) -> bool:
    """Whether the existing SQLite file, or the folder its journal files go to, cannot be written."""
    if not path.is_file():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _uri(path: Path, immutable: bool) -> str:
    flags = "immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(path.resolve()))}?{flags}"


def _usable(uri: str) -> bool:
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return True


def _pending_log(path: Path) -> bool:
    log = Path(f"{path}-wal")
    return log.is_file() and log.stat().st_size > 0


def read_only_uri(path: Path) -> str:
    """A URI that only reads `path`: mode=ro, or, when SQLite cannot even create its shared-memory file beside
    a file in WAL mode, immutable (nobody can write a read-only medium, so nothing changes under us)."""
    uri = _uri(path, immutable=False)
    if not _usable(uri):
        if _pending_log(path):
            raise DatabaseError(f"Không đọc được dữ liệu {path}: {READ_ONLY_NOTE}, vì tệp còn nhật ký ghi dở "
                                f"({path.name}-wal) mà chỉ đọc thì không áp dụng được.")
        uri = _uri(path, immutable=True)
    return uri


def read_only_engine(path: Path, busy_timeout_ms: int) -> Engine:
    """An engine on read_only_uri(path); its connections refuse every write (PRAGMA query_only)."""
    uri = read_only_uri(path)
    engine = create_engine("sqlite://", poolclass=QueuePool,
                           creator=lambda: sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000,
                                                           check_same_thread=False))

    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        dbapi_connection.execute("PRAGMA query_only = ON")

    def on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine
