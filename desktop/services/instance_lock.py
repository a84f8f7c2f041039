"""One program per database: an OS-level lock on `<db>.lock` that records who holds it and dies with its holder."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.errors import DatabaseError, os_reason
from desktop.services import file_identity

GUI_PURPOSE = "khbc-gui"
WRITE_WAIT_SECONDS = 5.0  # a CLI command waits this long for another command's commit before giving up
_WINDOWS_LOCK_OFFSET = 1 << 20  # Windows locks a byte far past the recorded text, so others can still read it

# Locks this process holds, by lock-file path: a second workspace of the same program may write through them.
_HELD: dict[str, InstanceLock] = {}
_HELD_GUARD = threading.Lock()


class DatabaseInUseError(DatabaseError):
    """Another KHBC window (or command) holds the database; `holder` says who, when known."""

    def __init__(self, message: str, holder: LockInfo | None):
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class LockInfo:
    """What the holder wrote into the lock file: process, machine, user, since when, which program."""

    pid: int
    host: str
    user: str
    since: datetime | None
    program: str

    @classmethod
    def current(cls, program: str) -> LockInfo:
        import getpass  # here, not at the top: the window's start-up only reads the lock
        import socket

        try:
            user = getpass.getuser()
        except Exception:  # no login name on some Windows service accounts
            user = "không rõ"
        return cls(os.getpid(), socket.gethostname() or "không rõ", user, datetime.now().astimezone(), program)

    def to_text(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "user": self.user,
                           "since": self.since.isoformat() if self.since else None, "program": self.program},
                          ensure_ascii=False)

    @classmethod
    def parse(cls, text: str) -> LockInfo | None:
        try:
            data = json.loads(text)
            since = datetime.fromisoformat(data["since"]) if data.get("since") else None
            return cls(int(data["pid"]), str(data["host"])[:100], str(data["user"])[:100], since,
                       str(data.get("program", ""))[:100])
        except (ValueError, KeyError, TypeError, AttributeError):
            return None  # being written at this very moment, or from another program

    def describe(self) -> str:
        since = self.since.strftime("%H:%M ngày %d/%m/%Y") if self.since else "không rõ lúc nào"
        return f"máy {self.host}, người dùng {self.user}, từ {since}"


def lock_path_for(db_path: str | os.PathLike) -> Path:
    """`<db>.lock` beside the database file (absolute, so every workspace of a file finds the same lock)."""
    db_path = Path(os.path.abspath(db_path))
    return db_path.with_name(db_path.name + ".lock")


def _try_lock(fd: int) -> bool:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


def _read_info(path: Path) -> LockInfo | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return LockInfo.parse(handle.read(4096))
    except OSError:
        return None


def in_use_message(holder: LockInfo | None, for_write: bool) -> str:
    who = f" ({holder.describe()})" if holder else ""
    if holder is not None and holder.program and holder.program != GUI_PURPOSE:
        head = f"Dữ liệu đang được một lệnh KHBC khác ghi (lệnh \"{holder.program}\", {holder.describe()})"
    else:
        head = f"Dữ liệu đang được mở trong một cửa sổ KHBC khác{who}"
    if for_write:
        return (head + ". Lệnh này cần ghi dữ liệu nên chưa chạy; không có thay đổi nào được lưu. "
                "Hãy nhập trong cửa sổ đó, hoặc đóng nó rồi chạy lại lệnh.")
    return head + ". Hãy dùng cửa sổ đó, hoặc đóng nó rồi mở lại."


class InstanceLock:
    """The lock on one database file. The OS releases it when the holder exits or crashes; the file stays."""

    def __init__(self, db_path: str | os.PathLike):
        self.path = lock_path_for(db_path)
        self.db_path = Path(os.path.abspath(db_path))
        self._window = None  # the same lock keyed on the file's identity, so another name (hard link) shares it
        self._fd: int | None = None
        self._recorded = False
        self.info: LockInfo | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise DatabaseError(f"Không tạo được tệp khóa {self.path}: {os_reason(exc)}. "
                                "Hãy kiểm tra quyền ghi vào thư mục dữ liệu.") from exc

    def try_acquire(self, program: str, record: bool = True) -> bool:
        """Take the lock without waiting; False when another holder has it (this process included)."""
        if self._fd is not None:
            return True
        fd = self._open()
        if not _try_lock(fd):
            os.close(fd)
            return False
        window = file_identity.take_window(self.db_path)
        if window is False:
            _unlock(fd)
            os.close(fd)
            return False
        self._window = window
        self._fd = fd
        self._recorded = record
        if not record:  # a probe: who it is need not be known (nor cost the window's start-up a login lookup)
            return True
        self.info = LockInfo.current(program)
        data = self.info.to_text().encode("utf-8")
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
        os.ftruncate(fd, len(data))
        with _HELD_GUARD:
            _HELD[str(self.path)] = self
        return True

    def acquire(self, program: str = GUI_PURPOSE, wait: float = 0.0, for_write: bool = False) -> None:
        """Take the lock, waiting up to `wait` seconds for a command to finish; DatabaseInUseError otherwise."""
        deadline = time.monotonic() + wait
        while not self.try_acquire(program):
            holder = _read_info(self.path)
            gui_holds = holder is not None and holder.program == GUI_PURPOSE
            if gui_holds or time.monotonic() >= deadline:
                raise DatabaseInUseError(in_use_message(holder, for_write), holder)
            time.sleep(0.05)

    def follow_replaced_file(self) -> None:
        """After a restore put a new file under the name, hold the identity part of the lock on that file."""
        if self._fd is None:
            return
        old, self._window = self._window, None
        file_identity.give_window(old)
        window = file_identity.take_window(self.db_path)
        self._window = window or None

    def release(self) -> None:
        if self._fd is None:
            return
        with _HELD_GUARD:
            if _HELD.get(str(self.path)) is self:
                del _HELD[str(self.path)]
        fd, self._fd, self.info = self._fd, None, None
        window, self._window = self._window, None
        file_identity.give_window(window)
        if self._recorded:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # the file stays (deleting it would race with a new holder); its text goes
        try:
            _unlock(fd)
        finally:
            os.close(fd)


def held_here(db_path: str | os.PathLike) -> InstanceLock | None:
    """The lock this process holds on the database, if any."""
    with _HELD_GUARD:
        return _HELD.get(str(lock_path_for(db_path)))


def current_holder(db_path: str | os.PathLike) -> LockInfo | None:
    """Who holds the database's lock right now (None when free or held by this process)."""
    if held_here(db_path) is not None:
        return None
    probe = InstanceLock(db_path)
    if not probe.path.exists():
        return None
    try:
        if probe.try_acquire("probe", record=False):
            probe.release()
            return None
    except DatabaseError:
        return None
    return _read_info(probe.path) or LockInfo(0, "không rõ", "không rõ", None, "")


@contextlib.contextmanager
def write_permit(db_path: str | os.PathLike, program: str | None = None,
                 wait: float = WRITE_WAIT_SECONDS) -> Iterator[None]:
    """Hold the lock for one write (a commit, a restore), unless this process holds it already."""
    if held_here(db_path) is not None:
        yield
        return
    lock = InstanceLock(db_path)
    lock.acquire(program or command_name(), wait=wait, for_write=True)
    try:
        yield
    finally:
        lock.release()


def command_name() -> str:
    """How this process is known in the lock file: "khbc <command>" for the CLI."""
    argv = [a for a in sys.argv[1:] if not a.startswith("-")][:1]
    return ("khbc " + argv[0])[:60] if argv else "khbc"
