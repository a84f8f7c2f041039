"""Writing a report package ZIP: files hashed, manifest added, the result verified before it may be renamed."""

from __future__ import annotations

import hashlib
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop.bundle import manifest as mf
from desktop.bundle.verify import verify_file
from desktop.errors import KhbcError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class PackageFile:
    """A file to put into the package: its name inside, its role, and where its bytes are now."""

    name: str
    role: str
    source: Path | None = None
    content: bytes | None = None


@dataclass(frozen=True)
class WrittenPackage:
    sha256: str
    size: int
    file_count: int  # files inside, manifest.json included


def _digest(item: PackageFile) -> tuple[str, int]:
    if item.content is not None:
        return hashlib.sha256(item.content).hexdigest(), len(item.content)
    digest, size = hashlib.sha256(), 0
    with open(item.source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _zip_info(name: str, moment: datetime) -> zipfile.ZipInfo:
    local = moment.astimezone()
    info = zipfile.ZipInfo(name, date_time=(max(local.year, 1980), local.month, local.day,
                                            local.hour, local.minute, local.second))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so that the mode bits below mean "regular file"
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


def write_package(target: Path, files: list[PackageFile], manifest_fields: dict, created_at: datetime,
                  manifest_signer: Callable[[bytes], bytes] | None = None) -> WrittenPackage:
    """Write the ZIP to `target` (a temporary path) and check it with the receiving side's own verifier.

    `manifest_signer`, when given, turns manifest.json's bytes into a detached signature stored beside it.

    Raises KhbcError when the written package would not pass `khbc verify`; the caller then discards it.
    """
    records = []
    for item in files:
        sha, size = _digest(item)
        records.append(mf.FileRecord(item.name, size, sha, item.role))
    manifest = mf.build_manifest(created_at=created_at, files=records, **manifest_fields)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        manifest_bytes = mf.dump_json(manifest)
        zf.writestr(_zip_info(mf.MANIFEST_NAME, created_at), manifest_bytes)
        if manifest_signer is not None:
            from desktop.signing.package import SIGNATURE_NAME

            zf.writestr(_zip_info(SIGNATURE_NAME, created_at), manifest_signer(manifest_bytes))
        for item, record in zip(files, records):
            with zf.open(_zip_info(item.name, created_at), "w") as out:
                if item.content is not None:
                    out.write(item.content)
                    continue
                digest, size = hashlib.sha256(), 0
                with open(item.source, "rb") as handle:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                if (digest.hexdigest(), size) != (record.sha256, record.size):
                    raise KhbcError(f"Tệp {item.name} thay đổi trong khi đang đóng gói; hãy xuất lại.")
    check = verify_file(target)
    if not check.ok:
        raise KhbcError("Gói vừa tạo không vượt qua bước kiểm tra nên không được lưu:\n" + "\n".join(check.problems))
    return WrittenPackage(check.sha256, check.size, len(files) + 1 + (manifest_signer is not None))
