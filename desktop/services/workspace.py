"""A Workspace is one open database plus who is working: every service runs its unit of work through it."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session

from db.engine import (
    Database, DamagedDatabaseError, MigrationFailedError, open_database, sqlite_file, wrote_in_transaction,
)
from desktop.errors import DatabaseError, InvalidInputError, KhbcError
from desktop.services.instance_lock import GUI_PURPOSE, InstanceLock, write_permit
from desktop.services.locations import resolve_database

USER_NAME_KEY = "user_name"
FONT_PATH_KEY = "report_font_path"


def _migration_guard(path: Path | None, stack: contextlib.ExitStack,
                     locked: bool) -> Callable[[str | None], Path | None]:
    """Before a schema upgrade: hold the instance lock (unless held already), then back the file up."""

    def before_migrate(current: str | None) -> Path | None:
        if path is None:
            return None
        if not locked:
            stack.enter_context(write_permit(path))
        if current is None:
            return None  # an empty database: nothing to keep
        from desktop.services.backup import make_backup

        return make_backup(path, reason="pre-migrate").path

    return before_migrate


def _open_database(location: str, path: Path | None, locked: bool) -> Database:
    with contextlib.ExitStack() as stack:
        try:
            return open_database(location, before_migrate=_migration_guard(path, stack, locked))
        except DamagedDatabaseError as exc:
            if path is not None and exc.suggestion is None:
                from desktop.services.backup import newest_good_backup

                exc.suggestion = newest_good_backup(path)
            raise
        except MigrationFailedError as exc:
            if path is None or exc.intact or exc.backup is None:
                raise
            from desktop.services.restore import put_back_after_failed_migration

            raise put_back_after_failed_migration(path, exc) from exc


@dataclass
class Workspace:
    """An open, migrated database; `unit_of_work()` yields a session that commits once at the end.

    Opened with `exclusive=True` (the GUI) it holds the database's instance lock until `close()`;
    otherwise (the CLI) each unit of work that writes takes the lock just for its commit, and is
    refused while another KHBC window holds it.
    """

    database: Database
    lock: InstanceLock | None = None

    @classmethod
    def open(cls, target: str | os.PathLike | None = None, exclusive: bool = False,
             program: str = GUI_PURPOSE, lock: InstanceLock | None = None) -> Workspace:
        """`lock`: this file's instance lock, already taken by the caller (the window takes it before reading)."""
        location = resolve_database(target)
        path = sqlite_file(location)
        if lock is None and exclusive and path is not None:
            lock = InstanceLock(path)
            lock.acquire(program, wait=2.0)
        try:
            return cls(_open_database(location, path, lock is not None), lock)
        except BaseException:
            if lock is not None:
                lock.release()
            raise

    @property
    def location(self) -> str:
        path = self.database.path
        return str(path) if path else self.database.url

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        session = self.database.session_factory()
        try:
            yield session
            self._commit(session)
        except KhbcError:
            session.rollback()
            raise
        except IntegrityError as exc:
            session.rollback()
            raise DatabaseError(f"Dữ liệu không hợp lệ, chưa lưu thay đổi: {exc.orig}") from exc
        except (OperationalError, SADatabaseError) as exc:
            session.rollback()
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise DatabaseError(
                    "Cơ sở dữ liệu đang bận hoặc bị chương trình khác khóa; thay đổi chưa được lưu. "
                    "Hãy thử lại sau giây lát.") from exc
            if "full" in text:
                raise DatabaseError("Ổ đĩa đã đầy; thay đổi chưa được lưu. Hãy giải phóng dung lượng.") from exc
            if "too long" in text:
                raise InvalidInputError("Nội dung nhập dài hơn giới hạn của cơ sở dữ liệu; thay đổi chưa được lưu. "
                                        "Hãy rút gọn nội dung.") from exc
            raise DatabaseError(f"Lỗi cơ sở dữ liệu, thay đổi chưa được lưu: {exc.orig}") from exc
        except UnicodeEncodeError as exc:  # e.g. undecodable bytes on a command line become lone surrogates
            session.rollback()
            raise InvalidInputError("Nội dung nhập có ký tự không hợp lệ (lỗi mã hóa ký tự); thay đổi chưa được lưu. "
                                    "Hãy gõ hoặc dán lại nội dung đó.") from exc
        except (StatementError, OverflowError) as exc:  # a value of the wrong kind reached the database
            session.rollback()
            raise InvalidInputError("Giá trị nhập không đúng kiểu hoặc vượt giới hạn (ví dụ ngày không có thật, số quá "
                                    "lớn); thay đổi chưa được lưu.") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _commit(self, session: Session) -> None:
        path = self.database.path
        if path is None or (self.lock is not None and self.lock.held) or not session.in_transaction():
            session.commit()
            return
        session.flush()
        if not wrote_in_transaction(session.connection()):
            session.commit()
            return
        with write_permit(path):  # refused (DatabaseInUseError) while another KHBC window holds the database
            session.commit()

    def reopen(self) -> None:
        """Open the same database again (after a restore replaced its file), keeping the instance lock."""
        self.database.dispose()
        locked = self.lock is not None and self.lock.held
        self.database = _open_database(self.database.url, self.database.path, locked)

    def close(self) -> None:
        self.database.dispose()
        if self.lock is not None:
            self.lock.release()


def default_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        return "người dùng"
