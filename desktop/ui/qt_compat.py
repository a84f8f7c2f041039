"""A guard against a PySide6 6.12 bug on Python 3.11 that would otherwise crash the program after a while.

PySide6 6.12's stable-ABI wheels drop one reference of a shared singleton on some Qt calls (None on
every call that returns nothing; "bool_dealloc" on close shows True/False can be hit too). Python
3.12+ makes these objects immortal (PEP 683), so nothing happens there, but on 3.11 a count that
reaches zero aborts the interpreter ("none_dealloc", "bool_dealloc"). Rather than chase one singleton
at a time, every object that 3.11 allocates statically and 3.12 makes immortal gets a reference count
no session can exhaust: None, True, False, Ellipsis, NotImplemented, the small ints, the empty
tuple, str and bytes, and the one-character strings and bytes. That makes 3.11 behave like 3.12.
"""

from __future__ import annotations

import sys

_HEADROOM = 1 << 40  # ~10^12 lost references before it could matter


def static_singletons() -> list[object]:
    """The objects CPython 3.11 shares process-wide and never frees (immortal from 3.12 on)."""
    objects: list[object] = [None, True, False, Ellipsis, NotImplemented, (), "", b""]
    objects += [int(str(value)) for value in range(-5, 257)]  # the small-int cache, same objects as literals
    objects += [chr(code) for code in range(256)]  # one-character latin-1 strings
    objects += [bytes([code]) for code in range(256)]
    return objects


def keep_singletons_alive() -> None:
    """Make the shared singletons effectively immortal on Python versions before 3.12 (idempotent)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes  # only here: start-up on 3.12+ need not load it

    for obj in static_singletons():
        refcount = ctypes.c_ssize_t.from_address(id(obj))
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM


keep_none_alive = keep_singletons_alive  # the older name, still imported by desktop/ui/__init__.py
