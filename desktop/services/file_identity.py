"""Locks keyed on a data file's identity (device and inode), not on its name, so hard links and every path share them.

Three lock regions far past the end of the database file itself (SQLite never locks there):
- PRESENCE: every open workspace holds it shared for its whole life; a restore holds it exclusively, so a file is
  never swapped under a process that has it open (that process would keep writing into the old, unlinked file);
- WINDOW: the one-window lock (a GUI holds it; a command takes it just for its commit);
- NAMES: one byte per name the file is opened by: a second name in use at the same time (a hard link) is refused,
  because SQLite keeps its write-ahead log beside the name, and two logs of one file lose data.

Linux open-file-description locks (F_OFD_*) are used: they belong to one open file, not to the process, and closing
them never drops SQLite's own locks. One descriptor per file is kept open for the life of the process (closing any
descriptor of the file would drop SQLite's POSIX locks on it). Where they do not exist (Windows, where an open file
cannot be renamed over anyway; macOS) every function here is a no-op that always succeeds.
"""

from __future__ import annotations

import contextlib
import errno
import os
import struct
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

PRESENCE = 1 << 40
WINDOW = PRESENCE + 1
NAMES = PRESENCE + 16
NAME_SLOTS = 1 << 16
_FLOCK = "hhqqi4x"  # struct flock on 64-bit Linux: type, whence, start, len, pid (+ padding)
SUPPORTED = (fcntl is not None and hasattr(fcntl, "F_OFD_SETLK") and struct.calcsize(_FLOCK) == 32)
_GUARD = threading.RLock()


class _Handle:
    """The one descriptor this process keeps on one file, and how many holders each region has here."""

    def __init__(self, fd: int, key: tuple[int, int], writable: bool):
        self.fd = fd
        self.key = key
        self.writable = writable
        self.shared: dict[int, int] = {}
        self.exclusive: dict[int, int] = {}

    def _set(self, start: int, kind: int) -> bool:
        data = struct.pack(_FLOCK, kind, os.SEEK_SET, start, 1, 0)
        try:
            fcntl.fcntl(self.fd, fcntl.F_OFD_SETLK, data)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EBADF):
                return False
            raise
        return True

    def _settle(self, start: int) -> None:
        if self.exclusive.get(start):
            return
        self._set(start, fcntl.F_RDLCK if self.shared.get(start) else fcntl.F_UNLCK)

    def take(self, start: int, exclusive: bool) -> bool:
        table = self.exclusive if exclusive else self.shared
        held = self.exclusive.get(start) or (not exclusive and self.shared.get(start))
        if not held:
            if exclusive and not self.writable:
                return False
            if not self._set(start, fcntl.F_WRLCK if exclusive else fcntl.F_RDLCK):
                return False
        table[start] = table.get(start, 0) + 1
        return True

    def give_back(self, start: int, exclusive: bool) -> None:
        table = self.exclusive if exclusive else self.shared
        if table.get(start, 0) <= 0:
            return
        table[start] -= 1
        self._settle(start)

    def other_holder(self, start: int, length: int) -> bool:
        """Whether another open file (another process, or another name here) holds any lock in the range."""
        if length <= 0:
            return False
        data = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, start, length, 0)
        try:
            answer = fcntl.fcntl(self.fd, fcntl.F_OFD_GETLK, data)
        except OSError:
            return False
        return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK


_HANDLES: dict[tuple[int, int], _Handle] = {}
_SPARE: list[int] = []  # descriptors of a file swapped while opening: never closed, see the module docstring


def _key(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_dev, stat.st_ino


def identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of the file now at `path`, or None when there is none."""
    try:
        return _key(os.stat(path))
    except OSError:
        return None


def _handle(path: Path) -> _Handle | None:
    key = identity(path)
    if key is None:
        return None
    with _GUARD:
        if key in _HANDLES:
            return _HANDLES[key]
        writable = True
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            writable = False
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                return None
        real = _key(os.fstat(fd))
        if real in _HANDLES:
            _SPARE.append(fd)
            return _HANDLES[real]
        handle = _Handle(fd, real, writable)
        _HANDLES[real] = handle
        return handle


def _name_slot(path: Path) -> int:
    return NAMES + zlib.crc32(os.path.normcase(os.path.abspath(path)).encode("utf-8", "surrogateescape")) % NAME_SLOTS


class OtherNameInUse(Exception):
    """The same file is open under another name right now."""


class Claim:
    """What one open workspace holds on its file: PRESENCE and its name's byte, both shared."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._handle: _Handle | None = None
        self._slot = _name_slot(self.path)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def acquire(self, wait: float) -> bool:
        """Take the claim, waiting up to `wait` seconds while a restore holds the file.

        False when the wait ran out; OtherNameInUse when the file is open under another name. A file that does
        not exist yet is not claimed (True): call again once it has been created.
        """
        if not SUPPORTED or self._handle is not None:
            return True
        deadline = time.monotonic() + wait
        while True:
            with _GUARD:
                handle = _handle(self.path)
                if handle is None:
                    return True
                if handle.take(PRESENCE, exclusive=False):
                    if identity(self.path) == handle.key:  # not swapped by a restore while we waited
                        if not self._take_name(handle):
                            handle.give_back(PRESENCE, exclusive=False)
                            raise OtherNameInUse(str(self.path))
                        self._handle = handle
                        return True
                    handle.give_back(PRESENCE, exclusive=False)
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.02)

    def _take_name(self, handle: _Handle) -> bool:
        if not handle.take(self._slot, exclusive=False):
            return False
        own_names = {s for s, n in handle.shared.items() if n and s >= NAMES and s != self._slot}
        if own_names or handle.other_holder(NAMES, self._slot - NAMES) or handle.other_holder(
                self._slot + 1, NAMES + NAME_SLOTS - self._slot - 1):
            handle.give_back(self._slot, exclusive=False)
            return False
        return True

    def release(self) -> None:
        with _GUARD:
            handle, self._handle = self._handle, None
            if handle is not None:
                handle.give_back(self._slot, exclusive=False)
                handle.give_back(PRESENCE, exclusive=False)


@contextlib.contextmanager
def sole_use(path: str | os.PathLike, wait: float) -> Iterator[bool]:
    """Hold PRESENCE exclusively (no other process has the file open) while the block runs; yields False when
    another process kept it for `wait` seconds (the block then must not change the file)."""
    handle = _handle(Path(path)) if SUPPORTED else None
    if handle is None:
        yield True
        return
    deadline = time.monotonic() + wait
    while True:
        with _GUARD:
            if handle.take(PRESENCE, exclusive=True):
                break
        if time.monotonic() >= deadline:
            yield False
            return
        time.sleep(0.02)
    try:
        yield True
    finally:
        with _GUARD:
            handle.give_back(PRESENCE, exclusive=True)


def take_window(path: str | os.PathLike) -> tuple[_Handle, int] | None | bool:
    """Try the one-window lock on the file: a token to give back, None when there is nothing to lock, False when
    another process (or another name) holds it."""
    handle = _handle(Path(path)) if SUPPORTED else None
    if handle is None or not handle.writable:
        return None
    with _GUARD:
        if handle.exclusive.get(WINDOW):
            return False  # held under another name in this very process
        if not handle.take(WINDOW, exclusive=True):
            return False
    return handle, WINDOW


def give_window(token) -> None:
    if not token:
        return
    handle, start = token
    with _GUARD:
        handle.give_back(start, exclusive=True)
