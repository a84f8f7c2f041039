"""Atomic file writing: a crash or a full disk never leaves a partial file under the final name."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from desktop.errors import KhbcError, os_reason


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_directory(directory: Path) -> None:
    # Directory fsync makes the rename itself durable; Windows cannot open directories, so skip there.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _explain_os_error(exc: OSError, target: Path) -> KhbcError:
    if exc.errno == errno.ENOSPC:
        return KhbcError(f"Ổ đĩa đã đầy, không ghi được tệp {target.name}. Hãy giải phóng dung lượng rồi thử lại.")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return KhbcError(f"Không có quyền ghi vào {target.parent}. Hãy chọn thư mục khác.")
    if exc.errno == errno.ENOENT:
        return KhbcError(f"Thư mục {target.parent} không tồn tại.")
    return KhbcError(f"Không ghi được tệp {target.name}: {os_reason(exc)}.")


SQLITE_HEADER = b"SQLite format 3\x00"


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, replace_database: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it is fsynced and renamed over `target`.

    The caller writes the whole file to the yielded path (any library that takes a file name).
    If the block raises, the temporary file is removed and `target` is untouched. An existing
    SQLite database is never replaced (a report saved under the data file's name would destroy
    it) unless `replace_database` says that is the point, as a restore does.
    """
    target = Path(target)
    if not replace_database and target.is_file() and _is_database(target):
        raise KhbcError(f"Tệp {target.name} là một tệp dữ liệu; KHBC không ghi đè lên nó. "
                        "Hãy chọn tên tệp khác cho văn bản.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        os.chmod(tmp_name, 0o666 & ~_current_umask())  # mkstemp makes 0600; give the usual permissions
    except OSError as exc:
        raise _explain_os_error(exc, target) from exc
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        _fsync_directory(target.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise _explain_os_error(exc, target) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `target` atomically and return the final path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_with(target: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call `write(temp_path)` and move the result over `target` atomically."""
    with atomic_path(target) as tmp:
        write(tmp)
    return Path(target)
