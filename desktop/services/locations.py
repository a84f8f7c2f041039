"""Where KHBC keeps its data: the platformdirs user data folder unless told otherwise."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "KHBC"
DB_FILE_NAME = "khbc.sqlite3"
DB_ENV_VAR = "KHBC_DB"


def user_data_dir() -> Path:
    """The per-user folder for the database, backups and attachments (never the install folder)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False, roaming=False)


def default_database_path() -> Path:
    return user_data_dir() / DB_FILE_NAME


def resolve_database(explicit: str | os.PathLike | None = None) -> str:
    """The database to use: an explicit path or URL, else $KHBC_DB, else the user data folder."""
    if explicit:
        return str(explicit)
    from_env = os.environ.get(DB_ENV_VAR, "").strip()
    if from_env:
        return from_env
    return str(default_database_path())


def plain_sqlite_path(location: str) -> Path | None:
    """The file a plain path names (URLs, even sqlite:// ones, go the full path). Kept here, light to import:
    the single-copy check runs it before the window paints."""
    if "://" in location:
        return None
    return Path(location).expanduser().resolve()
