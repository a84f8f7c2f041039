"""Opening a KHBC database: URL resolution, SQLite pragmas, automatic migrations and clear errors."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from desktop.errors import DatabaseError

BUSY_TIMEOUT_MS = 10_000


def database_url(target: str | os.PathLike) -> str:
    """Turn a file path or a database URL into a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite's own implicit transactions are switched off: PRAGMAs must run outside one,
    # and SQLAlchemy's "begin" event below starts every transaction explicitly instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
    finally:
        cursor.close()


def _begin_immediate(conn) -> None:
    # A write transaction takes the lock up front, so a concurrent writer waits (busy_timeout)
    # instead of failing half-way through a unit of work.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """Create an engine with KHBC's connection settings for the given URL."""
    if _is_sqlite(url):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    """An open, migrated database and the factory of its sessions."""

    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not _is_sqlite(self.url):
            return None
        return Path(self.url.removeprefix("sqlite:///"))

    def dispose(self) -> None:
        self.engine.dispose()


def _explain(exc: Exception, url: str) -> DatabaseError:
    text = str(exc).lower()
    where = url.removeprefix("sqlite:///")
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"Cơ sở dữ liệu {where} đang bị chương trình khác khóa. Hãy đóng chương trình đó rồi thử lại.")
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DatabaseError(
            f"Tệp {where} không phải cơ sở dữ liệu KHBC hoặc đã bị hỏng. Hãy khôi phục từ bản sao lưu.")
    if "unable to open" in text or "readonly" in text or "read-only" in text:
        return DatabaseError(f"Không mở được tệp {where} để ghi. Hãy kiểm tra quyền truy cập thư mục.")
    return DatabaseError(f"Không mở được cơ sở dữ liệu {where}: {exc}")


def open_database(target: str | os.PathLike, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at `target` and bring its schema up to date.

    Raises DatabaseError with a Vietnamese message when the file is damaged, locked,
    or was made by a newer KHBC.
    """
    from db.migrate import upgrade_to_head  # Alembic is only needed when opening

    url = database_url(target)
    if _is_sqlite(url):
        path = Path(url.removeprefix("sqlite:///"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Không tạo được thư mục dữ liệu {path.parent}: {exc.strerror}.") from exc
    try:
        engine = make_engine(url)
    except Exception as exc:  # a malformed URL or a missing driver
        raise DatabaseError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {url} ({exc}).") from exc
    try:
        if migrate:
            upgrade_to_head(engine)
        else:
            inspect(engine).get_table_names()
    except DatabaseError:
        engine.dispose()
        raise
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise _explain(exc, url) from exc
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))
