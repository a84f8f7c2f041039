"""SQLite's own soundness check of a database, used on open and after a failed upgrade."""

from __future__ import annotations

from sqlalchemy.engine import Engine


def quick_check(engine: Engine) -> list[str]:
    """SQLite's PRAGMA quick_check (cheap: no index cross-checks); an empty list means the file is sound."""
    with engine.connect() as connection:
        rows = [r[0] for r in connection.exec_driver_sql("PRAGMA quick_check").fetchall()]
    return [] if rows == ["ok"] else rows
