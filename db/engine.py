"""Opening a KHBC database: URL resolution, SQLite pragmas, automatic migrations and clear errors."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.migrate import HEAD_REVISION, current_revision, upgrade_to_head  # Alembic itself loads only to upgrade
from db.sqlite_check import quick_check
from desktop.errors import DatabaseError, os_reason

BUSY_TIMEOUT_MS = 10_000
CHANGES_AT_BEGIN = "khbc_changes_at_begin"  # Connection.info key: sqlite3 total_changes when the transaction began


class DamagedDatabaseError(DatabaseError):
    """The database file fails SQLite's check; `suggestion` is set by the services to the newest good backup."""

    def __init__(self, message: str, path: Path | None = None, problems: list[str] | None = None,
                 suggestion: object = None):
        super().__init__(message)
        self.path = path
        self.problems = list(problems or [])
        self.suggestion = suggestion


def database_url(target: str | os.PathLike) -> str:
    """Turn a file path or a database URL into a SQLAlchemy URL."""
    text = str(target)
    if "://" in text:
        return text
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def display_url(url: str) -> str:
    """A database URL as it may be shown or printed: a file's path, or the URL with its password masked."""
    if _is_sqlite(url):
        return url.removeprefix("sqlite:///")
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not even a URL: show only its scheme, never what may be a password
        return url.split("://", 1)[0] + "://…"


def sqlite_file(target: str | os.PathLike) -> Path | None:
    """The SQLite file a path or URL names, or None for a server database."""
    url = database_url(target)
    return Path(url.removeprefix("sqlite:///")) if _is_sqlite(url) else None


SUPPORTED_DIALECTS = ("sqlite", "postgresql")


def check_url(url: str) -> None:
    """Refuse, in Vietnamese, a URL that names a database KHBC does not support or a driver that is missing."""
    from sqlalchemy.engine import make_url

    try:
        dialect = make_url(url).get_backend_name()
    except Exception:
        dialect = ""
    if dialect not in SUPPORTED_DIALECTS:
        raise DatabaseError(f"Địa chỉ cơ sở dữ liệu không hợp lệ: {display_url(url)}. KHBC dùng một tệp dữ liệu "
                            "(đường dẫn tệp) hoặc máy chủ PostgreSQL (postgresql+psycopg://người_dùng@máy/tên_csdl).")
    if _is_sqlite(url) and url.removeprefix("sqlite:///") in ("", "sqlite://", ":memory:"):
        raise DatabaseError("Địa chỉ cơ sở dữ liệu thiếu đường dẫn tệp, ví dụ sqlite:///C:/KHBC/khbc.sqlite3.")


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


READ_ONLY_OPTION = "khbc_read_only"  # execution option: this connection's transaction only reads


def _begin_immediate(conn) -> None:
    # A write transaction takes the lock up front, so a concurrent writer waits (busy_timeout)
    # instead of failing half-way through a unit of work. A read-only one (READ_ONLY_OPTION) begins
    # deferred: it takes no write lock, so it never waits for a writer (WAL readers see the last commit).
    read_only = conn.get_execution_options().get(READ_ONLY_OPTION, False)
    conn.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")
    # Remember how many rows this connection had changed, so wrote_in_transaction() can tell a
    # unit of work that wrote from one that only read (the instance lock is needed only to write).
    conn.info[CHANGES_AT_BEGIN] = conn.connection.dbapi_connection.total_changes


def wrote_in_transaction(conn) -> bool:
    """Whether the SQLite transaction on `conn` has inserted, updated or deleted any row so far."""
    start = conn.info.get(CHANGES_AT_BEGIN)
    if start is None:
        return True  # unknown: assume it wrote, the safe answer
    return conn.connection.dbapi_connection.total_changes != start


def make_engine(url: str) -> Engine:
    """Create an engine with KHBC's connection settings for the given URL (DatabaseError when it cannot be used)."""
    check_url(url)
    try:
        return _make_engine(url)
    except Exception as exc:  # a malformed URL or a missing driver
        raise DatabaseError(f"Không dùng được cơ sở dữ liệu {display_url(url)}: máy này thiếu trình kết nối cho loại "
                            "cơ sở dữ liệu đó hoặc địa chỉ sai định dạng.") from exc


def _make_engine(url: str) -> Engine:
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
    read_only: bool = False  # a file on a read-only folder or medium: reads work, every write is refused

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if not _is_sqlite(self.url):
            return None
        return Path(self.url.removeprefix("sqlite:///"))

    def dispose(self) -> None:
        self.engine.dispose()


def _free_bytes(url: str) -> int | None:
    try:
        import shutil

        return shutil.disk_usage(Path(url.removeprefix("sqlite:///")).parent).free
    except OSError:
        return None


def explain_failure(exc: Exception, url: str, doing: str = "Không mở được") -> DatabaseError:
    """A database driver's failure said in Vietnamese: the driver's English text never reaches the user."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    where = display_url(url)
    if "locked" in text or "busy" in text:
        return DatabaseError(
            f"Cơ sở dữ liệu {where} đang bị chương trình khác khóa. Hãy đóng chương trình đó rồi thử lại.")
    if "full" in text or (_is_sqlite(url) and "disk i/o" in text and (_free_bytes(url) or 0) < 4 * 1024 * 1024):
        return DatabaseError(f"{doing} cơ sở dữ liệu {where}: ổ đĩa đã đầy. Hãy giải phóng dung lượng rồi thử lại; "
                             "dữ liệu đã lưu không bị ảnh hưởng.")
    if "not a database" in text or "malformed" in text or "disk image" in text:
        return DamagedDatabaseError(
            f"Tệp {where} không phải cơ sở dữ liệu KHBC hoặc đã bị hỏng. Hãy khôi phục từ bản sao lưu.",
            Path(where) if _is_sqlite(url) else None, [str(exc)])
    if "readonly" in text or "read-only" in text:
        return DatabaseError(f"Không ghi được vào {where}: tệp hoặc ổ đĩa chỉ cho phép đọc. Hãy chép dữ liệu sang "
                             "thư mục ghi được, hoặc kiểm tra quyền truy cập.")
    if "unable to open" in text:
        return DatabaseError(f"Không mở được tệp {where}. Hãy kiểm tra đường dẫn và quyền truy cập thư mục.")
    if "disk i/o" in text:
        return DatabaseError(f"{doing} cơ sở dữ liệu {where}: lỗi đọc/ghi ổ đĩa (ổ đĩa bị rút ra, lỗi mạng hoặc "
                             "hỏng). Hãy kiểm tra ổ đĩa rồi thử lại.")
    if not _is_sqlite(url):
        if "password" in text or "authentication" in text:
            return DatabaseError(f"Máy chủ cơ sở dữ liệu {where} từ chối đăng nhập: sai tên người dùng hoặc mật khẩu.")
        if "does not exist" in text:
            return DatabaseError(f"Trên máy chủ chưa có cơ sở dữ liệu {where}. Hãy nhờ quản trị viên tạo nó.")
        if "connect" in text or "connection" in text or "server" in text:
            return DatabaseError(f"Không kết nối được máy chủ cơ sở dữ liệu {where}: máy chủ không chạy, từ chối kết "
                                 "nối hoặc mạng bị ngắt. Hãy kiểm tra địa chỉ và mạng rồi thử lại.")
    return DatabaseError(f"{doing} cơ sở dữ liệu {where} (lỗi {type(getattr(exc, 'orig', None) or exc).__name__}).")


def _explain(exc: Exception, url: str) -> DatabaseError:
    return explain_failure(exc, url)


def _check_on_open(engine: Engine, url: str) -> None:
    problems = quick_check(engine)
    if problems:
        where = url.removeprefix("sqlite:///")
        raise DamagedDatabaseError(
            f"Tệp dữ liệu {where} bị hỏng (kiểm tra toàn vẹn phát hiện {len(problems)} lỗi). "
            "Hãy khôi phục từ bản sao lưu tốt gần nhất; tệp hỏng được giữ nguyên để kiểm tra.",
            Path(where), problems)


def _open_read_only(path: Path, url: str, check: bool) -> Database:
    from db.readonly import READ_ONLY_NOTE, read_only_engine

    engine = read_only_engine(path, BUSY_TIMEOUT_MS)
    try:
        if check:
            _check_on_open(engine, url)
        revision = current_revision(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise _explain(exc, url) from exc
    if revision != HEAD_REVISION:
        engine.dispose()
        raise DatabaseError(f"Dữ liệu {path} cần được nâng cấp cho phiên bản KHBC này (hoặc chưa được khởi tạo), nhưng "
                            f"{READ_ONLY_NOTE}.")
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False), read_only=True)


def open_database(target: str | os.PathLike, migrate: bool = True, check: bool = True,
                  before_migrate: Callable[[str | None], Path | None] | None = None) -> Database:
    """Open (creating if needed) the database at `target` and bring its schema up to date.

    With `check`, a SQLite file first passes PRAGMA quick_check (DamagedDatabaseError otherwise).
    `before_migrate(current_revision)` is called just before a real schema upgrade and may return
    the path of the backup it made. Raises DatabaseError with a Vietnamese message when the file
    is damaged, locked, or was made by a newer KHBC.
    """
    url = database_url(target)
    if _is_sqlite(url):
        path = Path(url.removeprefix("sqlite:///"))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(f"Không tạo được thư mục dữ liệu {path.parent}: {os_reason(exc)}.") from exc
        from db.readonly import cannot_write

        if cannot_write(path):
            return _open_read_only(path, url, check)
    engine = make_engine(url)
    try:
        if check and _is_sqlite(url):
            _check_on_open(engine, url)
        if migrate:
            upgrade_to_head(engine, before_migrate)
        else:
            inspect(engine).get_table_names()
    except DatabaseError:
        engine.dispose()
        raise
    except (OperationalError, SADatabaseError) as exc:
        engine.dispose()
        raise _explain(exc, url) from exc
    except BaseException:
        engine.dispose()
        raise
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))
