"""A guard against a PySide6 6.12 bug on Python 3.11 that would otherwise crash the program after a while.

PySide6 6.12's stable-ABI wheels take one reference from None on every Qt call that returns
nothing. Python 3.12+ makes None immortal so nothing happens there, but on 3.11 None's count
(a few thousand at start) reaches zero after enough clicks and the interpreter aborts with
"none_dealloc". Giving None a reference count no session can exhaust makes 3.11 behave like 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # ~10^12 Qt calls before it could matter


def keep_none_alive() -> None:
    """Make None effectively immortal on Python versions before 3.12 (idempotent)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    refcount = ctypes.c_ssize_t.from_address(id(None))
    if refcount.value < _HEADROOM:
        refcount.value += _HEADROOM
