"""The file side of an export: stage the package under a temporary name, give it its final name once recorded."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy import select

from db.models import Export
from desktop.errors import KhbcError
from desktop.fileio import _current_umask as current_umask
from desktop.fileio import _explain_os_error as explain_os_error
from desktop.fileio import _fsync_directory as fsync_directory

STAGED_SUFFIX = ".publish.tmp"


def stage_file(target: Path) -> Path:
    """An empty temporary file beside `target` (hidden, ending in .tmp) with the usual permissions."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=STAGED_SUFFIX, dir=target.parent)
        os.close(fd)
        os.chmod(name, 0o666 & ~current_umask())
    except OSError as exc:
        raise explain_os_error(exc, target) from exc
    return Path(name)


def flush_file(staged: Path, target: Path) -> None:
    """Make the staged package durable before the database records it."""
    try:
        with open(staged, "rb+") as handle:
            os.fsync(handle.fileno())
    except OSError as exc:
        raise explain_os_error(exc, target) from exc


def publish_file(staged: Path, target: Path) -> None:
    """Give the staged package its final name, never over an existing file."""
    try:
        try:
            os.link(staged, target)  # fails when the name is taken: nothing is overwritten
        except FileExistsError:
            raise KhbcError(f"Trong {target.parent} vừa xuất hiện tệp {target.name}; gói mới được giữ ở {staged}. "
                            "Hãy chuyển tệp kia đi rồi chạy lại lệnh xuất gói để đặt tên cho gói.") from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK,
                                 errno.ENOSYS, errno.EACCES):
                raise
            if target.exists():  # a file system without hard links (a FAT USB stick)
                raise KhbcError(f"Trong {target.parent} vừa xuất hiện tệp {target.name}; gói mới được giữ ở "
                                f"{staged}.") from None
            os.replace(staged, target)
        else:
            staged.unlink()
        fsync_directory(target.parent)
    except OSError as exc:
        raise explain_os_error(exc, target) from exc


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def finish_interrupted_exports(workspace, out: Path) -> list[Path]:
    """Packages a crash left recorded but unnamed in `out` get their final names now; returns them.

    A staged file the database does not know is left alone: another export may be writing it right now."""
    if not out.is_dir():
        return []
    staged = [p for p in out.glob(f".*.zip.*{STAGED_SUFFIX}") if p.is_file()]
    if not staged:
        return []
    finished = []
    with workspace.read() as session:
        known = {(name, sha) for name, sha in session.execute(select(Export.file_name, Export.sha256))}
    for path in staged:
        name = path.name[1:].split(".zip.", 1)[0] + ".zip"
        target = out / name
        with contextlib.suppress(OSError):
            if not target.exists() and (name, _sha256(path)) in known:
                publish_file(path, target)
                finished.append(target)
    return finished
