"""Choosing the reader for a file (by its content, then its name) and decoding text files of any common encoding.

Text files are tried as UTF-8 (with or without BOM), UTF-16 (with BOM, or when it is full of NUL
bytes) and Windows-1258 (Vietnamese, possibly with combining tone marks; NFC-normalised later).
Binary files, legacy .doc/.xls files and password-protected Office files get a clear message.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from desktop.errors import InvalidInputError, os_reason
from desktop.importers.grid import GridRow, read_table
from desktop.importers.model import ColumnMapping, ImportResult
from desktop.importers.text_tasks import read_text

MAX_FILE_BYTES = 50 * 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_SUFFIXES = {".txt", ".text", ".md", ".tsv", ".csv", ""}


def decode_text(data: bytes, name: str = "tệp") -> str:
    """Text of a file in UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258; a clear error for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif data and data.count(b"\x00") > len(data) // 4:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    if b"\x00" not in data:
        for codec in ("utf-8-sig", "cp1258"):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    raise InvalidInputError(
        f"Không đọc được {name}: không phải văn bản UTF-8, UTF-16 hay Windows-1258 (có thể là tệp nhị phân). "
        "Hãy lưu lại văn bản dạng \"Unicode (UTF-8)\".")


def _kind(path: Path, head: bytes) -> str:
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "badzip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    return "text"


def _read_csv(text: str, mapping: ColumnMapping | None) -> ImportResult:
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            rows.append(GridRow([c.strip() for c in cells], number))
            if number >= 20000:
                break
    except csv.Error as exc:
        raise InvalidInputError(f"Tệp CSV không đúng định dạng: {exc}.") from exc
    result = ImportResult(kind="csv", layout="table")
    tasks, used = read_table(rows, result, lambda r: f"dòng {r.line}", mapping=mapping)
    result.tasks, result.mapping = tasks, used
    if used is None:
        result.warn("Không nhận ra dòng tiêu đề của bảng nhiệm vụ trong tệp CSV.")
    return result


def read_file(path: str | Path, mapping: ColumnMapping | None = None) -> ImportResult:
    """Tasks from an .xlsx, .docx, .pdf, .csv or text file (.doc/.xls through LibreOffice); InvalidInputError otherwise."""
    path = Path(path)
    name = f"tệp \"{path.name}\""
    try:
        if not path.is_file():
            raise InvalidInputError(f"Không tìm thấy {name}." if not path.exists() else f"\"{path.name}\" không phải là tệp.")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InvalidInputError(f"{name[0].upper()}{name[1:]} quá lớn ({size // (1024 * 1024)} MB); "
                                    f"chỉ nhận tệp đến {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        with path.open("rb") as handle:
            head = handle.read(8)
    except PermissionError as exc:
        raise InvalidInputError(f"Không có quyền đọc {name}.") from exc
    except OSError as exc:
        raise InvalidInputError(f"Không mở được {name}: {os_reason(exc)}.") from exc
    kind = _kind(path, head)
    if kind == "ole":
        from desktop.importers.office_convert import convert_and_read

        return convert_and_read(path, lambda converted: read_file(converted, mapping))
    if kind == "pdf":
        from desktop.importers.pdf_text import pdf_text

        return read_text(pdf_text(path), mapping, kind="pdf")
    if kind == "rtf":
        raise InvalidInputError(f"Chưa đọc được tệp RTF ({path.name}). Hãy mở bằng Word và lưu dạng .docx.")
    if kind in ("badzip", "zip"):
        raise InvalidInputError(f"{name[0].upper()}{name[1:]} bị hỏng hoặc không phải tệp Word (.docx) hay Excel (.xlsx).")
    if kind == "xlsx":
        from desktop.importers.xlsx_tasks import read_xlsx

        return read_xlsx(path, mapping)
    if kind == "docx":
        from desktop.importers.docx_tasks import read_docx

        return read_docx(path, mapping)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"Không đọc được {name}: {os_reason(exc)}.") from exc
    text = decode_text(data, name)
    if kind == "csv":
        return _read_csv(text, mapping)
    return read_text(text, mapping)
