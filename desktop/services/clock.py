"""Today's date for the rules of the reporting calendar (overridable with KHBC_TODAY for tests and demos)."""

from __future__ import annotations

import os
from datetime import date

from desktop.errors import InvalidInputError


def today() -> date:
    value = os.environ.get("KHBC_TODAY", "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(f"KHBC_TODAY phải là ngày dạng YYYY-MM-DD, không phải \"{value}\".") from exc
