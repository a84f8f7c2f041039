"""Old Word and Excel files (.doc, .xls) converted to .docx/.xlsx through LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from desktop.errors import InvalidInputError

TIMEOUT_SECONDS = 90
_CANDIDATES = ("soffice", "libreoffice", r"C:\Program Files\LibreOffice\program\soffice.exe")


def find_office() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    for name in _CANDIDATES:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    return None


def _target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlt"):
        return "xlsx"
    if suffix in (".doc", ".dot", ".rtf"):
        return "docx"
    head = path.read_bytes()[:4096]
    return "xlsx" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in head or b"Workbook" in head else "docx"


def _plausible_ole(path: Path) -> bool:
    """Does the compound-file header hold together (byte order mark, sector size), before LibreOffice is started?"""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return len(head) == 512 and head[0x1C:0x1E] == b"\xfe\xff" and head[0x1E] in (9, 12) and head[0x20] == 6


def convert_and_read(path: Path, read: Callable[[Path], object]):
    """Convert `path` with LibreOffice into a temporary folder and read the copy; a clear message otherwise."""
    office = find_office()
    if office is None:
        raise InvalidInputError(
            f"Tệp \"{path.name}\" là định dạng Office cũ (.doc, .xls) hoặc đã đặt mật khẩu, và máy chưa cài LibreOffice "
            "để chuyển đổi. Hãy mở bằng Word/Excel, bỏ mật khẩu nếu có, rồi lưu lại dạng .docx hoặc .xlsx.")
    if not _plausible_ole(path):
        raise InvalidInputError(f"Tệp \"{path.name}\" mang dấu hiệu định dạng Office cũ (.doc, .xls) nhưng bị hỏng; "
                                "không đọc được. Hãy mở bằng Word/Excel và lưu lại dạng .docx hoặc .xlsx.")
    target = _target(path)
    with tempfile.TemporaryDirectory(prefix="khbc-convert-") as folder:
        source = Path(folder) / f"nguon{path.suffix.lower() or '.doc'}"
        shutil.copyfile(path, source)
        try:
            subprocess.run([office, "--headless", "--norestore", f"-env:UserInstallation=file:///{folder}/profile",
                            "--convert-to", target, "--outdir", folder, str(source)],
                           capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise InvalidInputError(f"Tệp \"{path.name}\" là định dạng Office cũ (.doc, .xls) nhưng LibreOffice không "
                                    "chuyển đổi được.") from exc
        converted = source.with_suffix("." + target)
        if not converted.is_file():
            raise InvalidInputError(f"Tệp \"{path.name}\" là định dạng Office cũ (.doc, .xls) nhưng LibreOffice không "
                                    "chuyển đổi được (có thể tệp đã đặt mật khẩu hoặc bị hỏng). Hãy mở bằng Word/Excel "
                                    "và lưu lại dạng .docx hoặc .xlsx.")
        return read(converted)
