"""How an untrusted name from a package is shown to the user: control characters visible, length capped."""

from __future__ import annotations

import unicodedata


def show_name(name: str) -> str:
    """A name as it may be shown to the user: control characters made visible, length capped."""
    text = "".join(c if unicodedata.category(c)[0] != "C" else f"\\x{ord(c):02x}" for c in name)
    return text if len(text) <= 120 else text[:117] + "…"
