"""Running Alembic migrations from code: upgrade on open, refuse databases from a newer program."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from db.sqlite_check import quick_check
from desktop.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions (a test checks they agree). Knowing it lets an
# up-to-date database open without importing Alembic, which keeps the program's start quick.
HEAD_REVISION = "0005"


class MigrationFailedError(DatabaseError):
    """Upgrading the schema failed; `intact` tells whether the file is still exactly at its old revision."""

    def __init__(self, message: str, revision: str | None, intact: bool, backup: Path | None = None):
        super().__init__(message)
        self.revision = revision
        self.intact = intact
        self.backup = backup


def alembic_config() -> Config:
    """An Alembic configuration pointing at KHBC's migrations, without an ini file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this program's migration scripts define."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or None for an empty database.

    One query when the table is there (every open of an existing file); only when it fails does the
    catalogue say whether the table is missing (None) or the failure is real (raised).
    """
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
        raise


def _content_digest(path: Path) -> str:
    """A hash of every row of every table of a SQLite file (used only after a failed upgrade)."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            digest.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{table}"')):
                digest.update(row.encode())
        digest.update(repr(conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def _schema_version(connection) -> int | None:
    if connection.dialect.name != "sqlite":
        return None
    return connection.exec_driver_sql("PRAGMA schema_version").scalar()


def _still_at(engine: Engine, revision: str | None, schema_version: int | None, backup: Path | None) -> bool:
    """After a failed upgrade: is the database still exactly as it was (revision, schema and, given a backup, rows)?"""
    engine.dispose()
    try:
        if current_revision(engine) != revision:
            return False
        if engine.dialect.name != "sqlite":
            return True  # PostgreSQL rolls DDL back with the transaction
        if quick_check(engine):
            return False
        with engine.connect() as connection:
            if _schema_version(connection) != schema_version:
                return False
        path = Path(engine.url.database)
        return backup is None or _content_digest(path) == _content_digest(backup)
    except Exception:
        return False
    finally:
        engine.dispose()


def _set_foreign_keys(connection, on: bool) -> None:
    # Outside any transaction (SQLite ignores this PRAGMA inside one), on the driver's own connection.
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")


def _run_upgrade(engine: Engine, config: Config) -> None:
    """All steps in one transaction. On SQLite, foreign keys are off meanwhile (a step that rebuilds a table
    would otherwise cascade-delete the rows that refer to it) and are checked as a whole before the commit."""
    from alembic import command

    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            _set_foreign_keys(connection, False)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"foreign keys broken by the upgrade: {broken[:5]}")
        finally:
            if sqlite:
                _set_foreign_keys(connection, True)


def upgrade_to_head(engine: Engine, before_migrate: Callable[[str | None], Path | None] | None = None) -> None:
    """Bring the database schema to this program's newest revision, in one transaction.

    `before_migrate(current)` runs first (the services make a backup there). When a step fails, the
    transaction is rolled back and MigrationFailedError says whether the file is still intact.
    """
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            "Cơ sở dữ liệu này được tạo bởi một phiên bản KHBC mới hơn. "
            "Hãy cài phiên bản KHBC mới nhất để mở nó; dữ liệu không bị thay đổi.")
    if current == script.get_current_head():
        return
    with engine.connect() as connection:
        schema_version = _schema_version(connection)
    backup = before_migrate(current) if before_migrate is not None else None
    try:
        _run_upgrade(engine, config)
    except DatabaseError:
        raise
    except Exception as exc:
        intact = _still_at(engine, current, schema_version, backup)
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        message = "Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC. "
        message += ("Dữ liệu vẫn được giữ nguyên như trước khi nâng cấp. " if intact
                    else "Tệp dữ liệu có thể đã bị thay đổi một phần. ")
        if backup is not None:
            message += f"Bản sao lưu trước khi nâng cấp: {backup}. "
        message += f"Hãy báo cho bộ phận hỗ trợ kỹ thuật (chi tiết: {detail})."
        raise MigrationFailedError(message, current, intact, backup) from exc
