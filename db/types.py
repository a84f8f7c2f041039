"""Column types of KHBC: UtcDateTime stores moments in UTC and always gives them back timezone-aware."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class NaiveDateTimeError(ValueError):
    """A programmer handed a datetime without a time zone to a UTC column (which moment it means is unknown)."""


class UtcDateTime(TypeDecorator):
    """A moment in time: written as UTC (naive datetimes refused), read back as an aware UTC datetime.

    SQLite keeps the text SQLAlchemy's DateTime always wrote ("2026-11-22 19:59:18.385376", UTC, no offset) and
    returns it naive; PostgreSQL keeps a timestamptz. Both come back here as datetime(..., tzinfo=timezone.utc).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"UtcDateTime needs a datetime, got {type(value).__name__}: {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDateTimeError(
                f"UtcDateTime refuses the naive datetime {value.isoformat()}: give it a time zone "
                "(datetime.now(timezone.utc), or .astimezone() for local time).")
        moment = value.astimezone(timezone.utc)
        # SQLite's text form has no offset: store the UTC wall time, as every earlier release did.
        return moment.replace(tzinfo=None) if dialect.name == "sqlite" else moment

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
