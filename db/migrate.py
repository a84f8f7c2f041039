"""Running Alembic migrations from code: upgrade on open, refuse databases from a newer program."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from db.engine import MigrationFailedError, quick_check
from desktop.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions (a test checks they agree). Knowing it lets an
# up-to-date database open without importing Alembic, which keeps the program's start quick.
HEAD_REVISION = "0001"


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
    """The schema revision stored in the database, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _still_at(engine: Engine, revision: str | None) -> bool:
    """After a failed upgrade: is the database still exactly at `revision` and sound?"""
    engine.dispose()
    try:
        if current_revision(engine) != revision:
            return False
        return engine.dialect.name != "sqlite" or not quick_check(engine)
    except Exception:
        return False
    finally:
        engine.dispose()


def upgrade_to_head(engine: Engine, before_migrate: Callable[[str | None], Path | None] | None = None) -> None:
    """Bring the database schema to this program's newest revision, in one transaction.

    `before_migrate(current)` runs first (the services make a backup there). When a step fails, the
    transaction is rolled back and MigrationFailedError says whether the file is still intact.
    """
    current = current_revision(engine)
    if current == HEAD_REVISION:
        return
    from alembic import command
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
    backup = before_migrate(current) if before_migrate is not None else None
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except DatabaseError:
        raise
    except Exception as exc:
        intact = _still_at(engine, current)
        detail = f"{type(exc).__name__}: {str(exc)[:300]}"
        message = "Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC. "
        message += ("Dữ liệu vẫn được giữ nguyên như trước khi nâng cấp. " if intact
                    else "Tệp dữ liệu có thể đã bị thay đổi một phần. ")
        if backup is not None:
            message += f"Bản sao lưu trước khi nâng cấp: {backup}. "
        message += f"Hãy báo cho bộ phận hỗ trợ kỹ thuật (chi tiết: {detail})."
        raise MigrationFailedError(message, current, intact, backup) from exc
