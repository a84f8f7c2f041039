"""A Workspace is one open database plus who is working: every service runs its unit of work through it."""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from db.engine import Database, open_database
from desktop.errors import DatabaseError, KhbcError
from desktop.services.locations import resolve_database

USER_NAME_KEY = "user_name"
FONT_PATH_KEY = "report_font_path"


@dataclass
class Workspace:
    """An open, migrated database; `unit_of_work()` yields a session that commits once at the end."""

    database: Database

    @classmethod
    def open(cls, target: str | os.PathLike | None = None) -> Workspace:
        return cls(open_database(resolve_database(target)))

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
            session.commit()
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
            raise DatabaseError(f"Lỗi cơ sở dữ liệu, thay đổi chưa được lưu: {exc.orig}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.database.dispose()


def default_user_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name on some Windows service accounts
        return "người dùng"
