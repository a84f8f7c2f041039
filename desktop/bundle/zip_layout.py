"""The byte layout of an untrusted ZIP, checked so that every ZIP reader sees the same files in it.

A ZIP can be read from its end (the central directory, as Python's zipfile and most tools do) or from its
start (local headers, as streaming readers do). A package is accepted only when both views agree and every
byte is accounted for: local entries one after another from the first byte, then the central directory,
then the end record, with nothing before, between or after them, no archive or entry comment, and each
local header saying the same as its directory record.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from desktop.bundle.display import show_name

EOCD = b"PK\x05\x06"
ZIP64_LOCATOR = b"PK\x06\x07"
_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_DESCRIPTOR = b"PK\x07\x08"
_EOCD_SIZE = 22
_CENTRAL_SIZE = 46
_LOCAL_SIZE = 30
_FLAG_DESCRIPTOR = 0x0008
_FLAG_UTF8 = 0x0800
_END = struct.Struct("<4s4H2LH")
_CENTRAL_RECORD = struct.Struct("<4s6H3L5H2L")
_LOCAL_RECORD = struct.Struct("<4s5H3L2H")
NOT_ZIP = "Tệp không phải gói ZIP hợp lệ (không tìm thấy mục lục của tệp nén)."


@dataclass(frozen=True)
class DirectoryRecord:
    """One entry as the central directory describes it (raw name bytes, not decoded)."""

    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    offset: int
    comment_length: int


@dataclass(frozen=True)
class Layout:
    """Where the central directory is, and its records in directory order."""

    directory_offset: int
    directory_size: int
    records: tuple[DirectoryRecord, ...]


def _end_record(data: bytes) -> tuple[tuple | None, list[str]]:
    """The end record, which must be the last 22 bytes of the file (no comment, nothing after it)."""
    if len(data) < _EOCD_SIZE:
        return None, [NOT_ZIP]
    if data[-_EOCD_SIZE:-_EOCD_SIZE + 4] == EOCD and data[-2:] == b"\0\0":
        return _END.unpack(data[-_EOCD_SIZE:]), []
    pos = data.rfind(EOCD, max(len(data) - (1 << 16) - _EOCD_SIZE, 0))
    if pos < 0 or len(data) - pos < _EOCD_SIZE:
        return None, [NOT_ZIP]
    comment = struct.unpack("<H", data[pos + 20:pos + 22])[0]
    after = len(data) - pos - _EOCD_SIZE
    if comment and comment == after:
        return None, [f"Gói có phần chú thích của tệp nén ({comment} byte); gói do KHBC tạo không có chú thích, "
                      "phần này có thể che giấu dữ liệu nên gói bị từ chối."]
    if after > comment:
        return None, [f"Gói có {after - comment} byte dữ liệu lạ nằm sau phần kết thúc của tệp nén "
                      "(tệp bị ghép hoặc bị sửa)."]
    return None, [NOT_ZIP]


def end_record_problems(data: bytes, max_entries: int, max_directory: int) -> tuple[Layout | None, list[str]]:
    """Parse the end record and the central directory byte by byte, before zipfile reads anything."""
    end, problems = _end_record(data)
    if end is None:
        return None, problems
    _sig, disk, cd_disk, on_disk, total, cd_size, cd_offset, _comment = end
    pos = len(data) - _EOCD_SIZE
    if pos >= 20 and data[pos - 20:pos - 16] == ZIP64_LOCATOR or 0xFFFF in (on_disk, total) \
            or 0xFFFFFFFF in (cd_size, cd_offset):
        return None, ["Gói dùng định dạng ZIP64 (dành cho tệp rất lớn); gói báo cáo không được lớn như vậy."]
    if disk or cd_disk or on_disk != total:
        return None, ["Gói là tệp nén chia nhiều phần; hãy dùng gói gồm một tệp duy nhất."]
    if total > max_entries:
        return None, [f"Gói có {total} mục, vượt giới hạn {max_entries} mục."]
    if cd_size > max_directory:
        return None, [f"Mục lục của gói quá lớn ({cd_size} byte, tối đa {max_directory})."]
    if cd_size > pos:
        return None, [NOT_ZIP]
    start = pos - cd_size
    if start > cd_offset:  # what zipfile silently allows as "data prepended to the archive"
        return None, ["Gói có dữ liệu lạ nằm trước nội dung (tệp bị ghép hoặc bị sửa)."]
    if start < cd_offset:
        return None, ["Mục lục của gói ghi sai vị trí hoặc kích thước (tệp bị cắt cụt hoặc bị sửa)."]
    records, problems = _directory(data[start:pos], total, max_entries)
    if problems:
        return None, problems
    return Layout(start, cd_size, records), []


def _directory(raw: bytes, total: int, max_entries: int) -> tuple[tuple[DirectoryRecord, ...], list[str]]:
    records: list[DirectoryRecord] = []
    at = 0
    while at < len(raw):
        if raw[at:at + 4] != _CENTRAL or at + _CENTRAL_SIZE > len(raw):
            return (), ["Mục lục của gói bị hỏng (bản ghi không đúng định dạng)."]
        (_sig, _made, _need, flags, method, _time, _date, crc, csize, usize, n_name, n_extra, n_comment, _disk,
         _internal, _external, offset) = _CENTRAL_RECORD.unpack(raw[at:at + _CENTRAL_SIZE])
        end = at + _CENTRAL_SIZE + n_name + n_extra + n_comment
        if end > len(raw):
            return (), ["Mục lục của gói bị hỏng (bản ghi vượt ra ngoài mục lục)."]
        name = raw[at + _CENTRAL_SIZE:at + _CENTRAL_SIZE + n_name]
        records.append(DirectoryRecord(name, flags, method, crc, csize, usize, offset, n_comment))
        at = end
    if len(records) > max_entries:
        return (), [f"Gói có {len(records)} mục, vượt giới hạn {max_entries} mục."]
    if len(records) != total:
        return (), [f"Phần kết thúc của tệp nén ghi {total} mục nhưng mục lục có {len(records)} mục (tệp bị sửa); "
                    "các chương trình giải nén sẽ đọc khác nhau nên gói bị từ chối."]
    commented = next((r for r in records if r.comment_length), None)
    if commented is not None:
        return (), [f"Mục \"{_shown(commented)}\" có chú thích trong mục lục; gói do KHBC tạo không có chú thích, "
                    "phần này có thể che giấu dữ liệu nên gói bị từ chối."]
    return tuple(records), []


def _shown(record: DirectoryRecord) -> str:
    return show_name(record.raw_name.decode("utf-8" if record.flags & _FLAG_UTF8 else "cp437", "replace"))


def _local_end(data: bytes, record: DirectoryRecord) -> tuple[int, str | None]:
    """Where the entry (local header, data, descriptor) ends, or why its local header disagrees."""
    at = record.offset
    if at + _LOCAL_SIZE > len(data) or data[at:at + 4] != _LOCAL:
        return at, f"Mục \"{_shown(record)}\" không có phần đầu (local header) ở vị trí mục lục ghi."
    (_sig, _need, flags, method, _time, _date, crc, csize, usize, n_name,
     n_extra) = _LOCAL_RECORD.unpack(data[at:at + _LOCAL_SIZE])
    name = data[at + _LOCAL_SIZE:at + _LOCAL_SIZE + n_name]
    disagree = f"Phần đầu của mục \"{_shown(record)}\" ghi khác với mục lục ({{}}); các chương trình giải nén sẽ " \
               "đọc khác nhau nên gói bị từ chối."
    if name != record.raw_name:
        return at, disagree.format("tên tệp")
    if flags != record.flags or method != record.method:
        return at, disagree.format("cờ hoặc kiểu nén")
    end = at + _LOCAL_SIZE + n_name + n_extra + record.compressed_size
    wanted = (record.crc, record.compressed_size, record.size)
    if flags & _FLAG_DESCRIPTOR:
        if (crc, csize, usize) not in (wanted, (0, 0, 0)):
            return at, disagree.format("mã kiểm tra hoặc kích thước")
        signed = data[end:end + 4] == _DESCRIPTOR
        start = end + (4 if signed else 0)
        if end + (16 if signed else 12) > len(data) or struct.unpack("<3L", data[start:start + 12]) != wanted:
            return at, disagree.format("phần mô tả dữ liệu sau nội dung nén")
        return start + 12, None
    if (crc, csize, usize) != wanted:
        return at, disagree.format("mã kiểm tra hoặc kích thước")
    return end, None


def layout_problems(data: bytes, layout: Layout) -> list[str]:
    """Entries must follow each other from the first byte up to the central directory, with no gap or overlap."""
    ordered = sorted(layout.records, key=lambda r: r.offset)
    if ordered and ordered[0].offset != 0:
        return ["Gói có dữ liệu lạ nằm trước nội dung (tệp bị ghép hoặc bị sửa)."]
    position = 0
    for record in ordered:
        if record.offset < position:
            return ["Các mục trong gói chồng lên nhau (dấu hiệu của \"bom nén\"); gói bị từ chối."]
        if record.offset > position:
            return [f"Gói có {record.offset - position} byte dữ liệu lạ xen giữa các mục (trước mục "
                    f"\"{_shown(record)}\"); gói bị từ chối."]
        position, problem = _local_end(data, record)
        if problem:
            return [problem]
    if position > layout.directory_offset:
        return ["Các mục trong gói chồng lên nhau (dấu hiệu của \"bom nén\"); gói bị từ chối."]
    if position < layout.directory_offset:
        return [f"Gói có {layout.directory_offset - position} byte dữ liệu lạ nằm trước mục lục của tệp nén; "
                "gói bị từ chối."]
    return []
