"""The audit trail: record who changed which field of which item, with old and new values."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Setting
from desktop.services.workspace import USER_NAME_KEY, default_user_name


def current_user(session: Session) -> str:
    """The user name set in Cài đặt, else the operating-system login name."""
    value = session.scalar(select(Setting.value).where(Setting.key == USER_NAME_KEY))
    return value or default_user_name()


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):  # e.g. a plan's reporting schedule
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def record(session: Session, action: str, entity: str, entity_id: int | None,
           field: str = "", old: Any = None, new: Any = None, user: str | None = None) -> None:
    """Add one audit entry to the session (committed with the change it describes)."""
    session.add(AuditEntry(
        user_name=user or current_user(session), action=action, entity=entity, entity_id=entity_id,
        field=field, old_value=_as_text(old), new_value=_as_text(new)))


def lock_current(session: Session, obj: Any) -> None:
    """On a server database, read `obj`'s row again under a row lock (SELECT … FOR UPDATE) in this transaction: a
    concurrent writer's committed value becomes the old value this change logs, and that writer waits for us.
    SQLite needs nothing: its write transactions begin IMMEDIATE, one at a time."""
    if session.get_bind().dialect.name == "sqlite":
        return
    state = sa_inspect(obj)
    if state.persistent and not session.is_modified(obj):
        session.refresh(obj, with_for_update=True)


def apply_changes(session: Session, obj: Any, entity: str, changes: dict[str, Any],
                  user: str | None = None) -> list[str]:
    """Set attributes on `obj`, logging each field whose value really changes; returns those fields."""
    lock_current(session, obj)
    user = user or current_user(session)
    changed: list[str] = []
    for field, new in changes.items():
        old = getattr(obj, field)
        if old == new:
            continue
        setattr(obj, field, new)
        changed.append(field)
        record(session, "update", entity, getattr(obj, "id", None), field, old, new, user)
    return changed
