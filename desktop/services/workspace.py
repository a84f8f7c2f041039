"""A Workspace is one open database plus who is working: every service runs its unit of work through it."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError
from sqlalchemy.orm import Session

from db.engine import (
    READ_ONLY_OPTION, Database, DamagedDatabaseError, display_url, explain_failure, open_database, sqlite_file,
    wrote_in_transaction,
)
from db.migrate import MigrationFailedError
from desktop.errors import DatabaseError, InvalidInputError, KhbcError
from desktop.services.file_identity import Claim, OtherNameInUse
from desktop.services.instance_lock import GUI_PURPOSE, DatabaseInUseError, InstanceLock, write_permit
from desktop.services.locations import resolve_database

USER_NAME_KEY = "user_name"
RESTORE_WAIT_SECONDS = 30.0  # how long opening waits for a restore of the same file to finish
OTHER_NAME_MESSAGE = ("Tệp dữ liệu {path} đang được mở qua một tên khác của cùng tệp (liên kết cứng). Hai tên cùng "
                      "lúc sẽ làm mất dữ liệu, nên lệnh này chưa chạy; không có thay đổi nào được lưu. Hãy mở dữ liệu "
                      "bằng đúng một đường dẫn (đóng cửa sổ hoặc lệnh đang dùng tên kia).")
RESTORING_MESSAGE = ("Dữ liệu {path} đang được khôi phục từ bản sao lưu và việc đó chưa xong. Hãy thử lại sau ít "
                     "phút; không có thay đổi nào được lưu.")
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


def _other_name_with_pending_log(path: Path) -> Path | None:
    """Another name of the same file in its folder whose write-ahead log still holds data (its last user crashed):
    opening by this name would not see that data, and writing here would later clash with it."""
    try:
        own = os.stat(path)
        if own.st_nlink < 2:
            return None
        for sibling in path.parent.iterdir():
            if sibling.name == path.name or not sibling.is_file():
                continue
            same = os.stat(sibling)
            log = Path(f"{sibling}-wal")
            if (same.st_dev, same.st_ino) == (own.st_dev, own.st_ino) and log.is_file() and log.stat().st_size:
                return sibling
    except OSError:
        return None
    return None


def claim_file(path: Path | None, wait: float = RESTORE_WAIT_SECONDS) -> Claim | None:
    """Mark the file as open by this process (a restore then waits for us), refusing a second name of it."""
    if path is None:
        return None
    claim = Claim(path)
    try:
        taken = claim.acquire(wait)
    except OtherNameInUse:
        raise DatabaseInUseError(OTHER_NAME_MESSAGE.format(path=path), None) from None
    if not taken:
        raise DatabaseInUseError(RESTORING_MESSAGE.format(path=path), None)
    other = _other_name_with_pending_log(path)
    if other is not None:
        claim.release()
        raise DatabaseInUseError(f"Tệp dữ liệu {path} còn một tên khác là {other} (liên kết cứng), và lần dùng trước "
                                 "qua tên đó chưa kết thúc trọn vẹn. Hãy mở dữ liệu bằng tên đó để hoàn tất; lệnh này "
                                 "chưa chạy, không có thay đổi nào được lưu.", None)
    return claim


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


class ReadOnlyUnitError(RuntimeError):
    """Code tried to add, change or delete rows inside Workspace.read(): use unit_of_work() for that."""


def _refuse_writes(session: Session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyUnitError("a read-only unit of work (Workspace.read) cannot write; use unit_of_work()")


def _begin_read_only(session: Session) -> None:
    event.listen(session, "before_flush", _refuse_writes)
    connection = session.connection(execution_options={READ_ONLY_OPTION: True})  # SQLite: BEGIN DEFERRED
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION READ ONLY")


@dataclass
class Workspace:
    """An open, migrated database; `unit_of_work()` yields a session that commits once at the end.

    Opened with `exclusive=True` (the GUI) it holds the database's instance lock until `close()`;
    otherwise (the CLI) each unit of work that writes takes the lock just for its commit, and is
    refused while another KHBC window holds it.
    """

    database: Database
    lock: InstanceLock | None = None
    claim: Claim | None = None

    @classmethod
    def open(cls, target: str | os.PathLike | None = None, exclusive: bool = False,
             program: str = GUI_PURPOSE, lock: InstanceLock | None = None) -> Workspace:
        """`lock`: this file's instance lock, already taken by the caller (the window takes it before reading)."""
        location = resolve_database(target)
        path = sqlite_file(location)
        if path is not None and path.is_dir():
            raise InvalidInputError(f"{path} là một thư mục, không phải tệp dữ liệu. Hãy chỉ --db tới tệp dữ liệu "
                                    "(ví dụ khbc.sqlite3).")
        claim = None
        try:
            claim = claim_file(path)
            if lock is None and exclusive and path is not None:
                lock = InstanceLock(path)
                lock.acquire(program, wait=2.0)
            database = _open_database(location, path, lock is not None)
            if claim is not None and not claim.held:  # the file was created just now
                claim.acquire(0)
            return cls(database, lock, claim)
        except BaseException:
            if lock is not None:
                lock.release()
            if claim is not None:
                claim.release()
            raise

    @property
    def location(self) -> str:
        path = self.database.path
        return str(path) if path else display_url(self.database.url)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction: committed when the block ends normally, rolled back on any error."""
        with self._transaction(read_only=False) as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """One read-only transaction: it takes no write lock (SQLite: deferred; PostgreSQL: READ ONLY), so it
        never waits for a writer; trying to write in it is a programming error (ReadOnlyUnitError)."""
        with self._transaction(read_only=True) as session:
            yield session

    @contextlib.contextmanager
    def _transaction(self, read_only: bool) -> Iterator[Session]:
        session = self.database.session_factory()
        try:
            if read_only:
                _begin_read_only(session)
            yield session
            if read_only:
                session.commit()  # nothing to write: ends the read (expire_on_commit=False keeps loaded rows usable)
            else:
                self._commit(session)
        except KhbcError:
            session.rollback()
            raise
        except IntegrityError as exc:
            session.rollback()
            text = str(exc.orig).lower()
            if "unique" in text or "duplicate" in text:
                raise DatabaseError("Một cửa sổ hoặc lệnh KHBC khác vừa lưu đúng mục này cùng lúc (ví dụ cùng xuất gói "
                                    "một kỳ); thay đổi này chưa được lưu. Hãy xem lại dữ liệu rồi làm lại nếu cần.") from exc
            raise DatabaseError("Dữ liệu không hợp lệ (vi phạm ràng buộc của cơ sở dữ liệu), chưa lưu thay đổi."
                                ) from exc
        except (OperationalError, SADatabaseError) as exc:
            session.rollback()
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise DatabaseError(
                    "Cơ sở dữ liệu đang bận hoặc bị chương trình khác khóa; thay đổi chưa được lưu. "
                    "Hãy thử lại sau giây lát.") from exc
            if "too long" in text:
                raise InvalidInputError("Nội dung nhập dài hơn giới hạn của cơ sở dữ liệu; thay đổi chưa được lưu. "
                                        "Hãy rút gọn nội dung.") from exc
            failure = explain_failure(exc, self.database.url, "Chưa lưu được thay đổi vào")
            raise type(failure)(failure.message + " Thay đổi chưa được lưu.") from exc
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
        if self.database.read_only:  # every write already failed at the flush (PRAGMA query_only); no lock needed
            session.commit()
            return
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
        if self.claim is not None:  # the claim was on the file that was replaced
            self.claim.release()
            self.claim = claim_file(self.database.path, wait=0)
        if locked:
            self.lock.follow_replaced_file()
        self.database = _open_database(self.database.url, self.database.path, locked)

    def close(self) -> None:
        self.database.dispose()
        if self.lock is not None:
            self.lock.release()
        if self.claim is not None:
            self.claim.release()


def default_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        return "người dùng"
