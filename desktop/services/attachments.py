"""Evidence files kept beside the database in a content-addressed store (attachments/<sha[:2]>/<sha>)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from db.models import Evidence, Progress
from desktop.domain.text import nfc, strip_control
from desktop.errors import InvalidInputError, KhbcError, NotFoundError, os_reason
from desktop.services import audit
from desktop.services.progress import ensure_editable
from desktop.services.workspace import Workspace

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
CHUNK = 1024 * 1024
STORE_FOLDER = "attachments"


@dataclass(frozen=True)
class AttachmentInfo:
    """An evidence entry with its attached file, as plain data."""

    evidence_id: int
    progress_id: int
    number: str
    issued_on: date | None
    summary: str
    file_name: str
    sha256: str
    size: int


def store_root(workspace: Workspace, folder: str = STORE_FOLDER) -> Path:
    """The store folder beside the SQLite file; a server database has no such folder."""
    path = workspace.database.path
    if path is None:
        raise KhbcError("Tệp đính kèm chỉ lưu được khi dùng cơ sở dữ liệu dạng tệp (SQLite) trên máy này.")
    return path.parent / folder


def stored_path(root: Path, sha256: str) -> Path:
    return root / sha256[:2] / sha256


def _hash_file(path: Path, limit: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise InvalidInputError(f"Tệp {path.name} quá lớn (tối đa {limit // (1024 * 1024)} MiB).")
            digest.update(chunk)
    return digest.hexdigest(), size


def store_file(root: Path, source: Path, limit: int = MAX_ATTACHMENT_BYTES) -> tuple[str, int]:
    """Copy `source` into the store under its SHA-256, hashing while copying; an identical file is kept once.

    The copy goes to a temporary file that is fsynced and then renamed, so the store never holds a partial file.
    """
    if not source.is_file():
        raise NotFoundError(f"Không tìm thấy tệp {source}.")
    tmp: Path | None = None
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".incoming-", dir=root)
        tmp = Path(name)
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as dst, open(source, "rb") as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise InvalidInputError(f"Tệp {source.name} quá lớn (tối đa {limit // (1024 * 1024)} MiB).")
                digest.update(chunk)
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        sha = digest.hexdigest()
        final = stored_path(root, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
        tmp = None
        return sha, size
    except OSError as exc:
        raise KhbcError(f"Không sao chép được tệp {source.name} vào kho đính kèm: {os_reason(exc)}.") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()


def stored_file(root: Path, sha256: str, file_name: str) -> Path:
    """The stored copy of an attachment, checked against its hash; a Vietnamese error when missing or damaged."""
    path = stored_path(root, sha256)
    if not path.is_file():
        raise NotFoundError(f"Không tìm thấy tệp minh chứng \"{file_name}\" trong kho đính kèm ({root}). "
                            "Hãy đính kèm lại tệp này.")
    actual, _size = _hash_file(path, MAX_ATTACHMENT_BYTES)
    if actual != sha256:
        raise KhbcError(f"Tệp minh chứng \"{file_name}\" trong kho đính kèm đã bị thay đổi hoặc hỏng. "
                        "Hãy đính kèm lại tệp này.")
    return path


def attach_file(session: Session, workspace: Workspace, progress_id: int, source_path: str | os.PathLike,
                number: str = "", issued_on: date | None = None, summary: str = "") -> AttachmentInfo:
    """Add an evidence entry with a file to a progress entry; the file is copied into the store first."""
    progress = session.get(Progress, progress_id)
    if progress is None:
        raise NotFoundError(f"Không có mục tiến độ số {progress_id}.")
    ensure_editable(progress.period)
    source = Path(source_path)
    file_name = strip_control(nfc(source.name)).replace("\n", " ")[:255]
    sha, size = store_file(store_root(workspace), source)
    evidence = Evidence(progress=progress, number=strip_control(nfc(number))[:100], issued_on=issued_on,
                        summary=strip_control(nfc(summary)), file_name=file_name, file_sha256=sha)
    session.add(evidence)
    session.flush()
    audit.record(session, "create", "evidence", evidence.id, "file_name", None, f"{file_name} ({sha[:12]})")
    return AttachmentInfo(evidence.id, progress.id, evidence.number, issued_on, evidence.summary, file_name, sha, size)
