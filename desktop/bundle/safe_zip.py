"""Reading an untrusted ZIP in memory with hard limits: names, entry types, counts, sizes and ratios checked."""

from __future__ import annotations

import hashlib
import io
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.bundle import zip_layout
from desktop.bundle.display import show_name
from desktop.errors import os_reason

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a package may contain at most; anything beyond is refused before it is used."""

    max_package_bytes: int = 100 * MiB  # the ZIP file itself
    max_entries: int = 500
    max_entry_bytes: int = 100 * MiB  # one file, counted while decompressing
    max_total_bytes: int = 300 * MiB  # all files together, counted while decompressing
    max_ratio: int = 100  # decompressed : compressed, per entry and for the whole package
    ratio_floor_bytes: int = 1 * MiB  # tiny files may compress better; the ratio counts beyond this
    max_central_directory: int = 1 * MiB
    max_name_length: int = 240
    max_depth: int = 4  # folders in a name: "evidence/x.pdf" has depth 1


DEFAULT_LIMITS = Limits()
CHUNK = 64 * 1024
_WINDOWS_FORBIDDEN = set('<>:"|?*')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_FLAG_ENCRYPTED = 0x0001
_FLAG_STRONG_ENCRYPTION = 0x0040
_FLAG_UTF8 = 0x0800
_DOS_DIRECTORY = 0x10
_WINDOWS_REPARSE_POINT = 0x400


@dataclass(frozen=True)
class Entry:
    """One file of the package as actually read: its name, the bytes it decompressed to and their SHA-256."""

    name: str
    size: int
    compressed_size: int
    sha256: str


@dataclass
class ZipScan:
    """What reading a package found: the files that could be read, and every problem, in Vietnamese."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    kept: dict[str, bytes] = field(default_factory=dict)  # contents of the small files asked for
    listed: list[str] = field(default_factory=list)  # every name in the archive's directory, readable or not
    readable: bool = False  # False when the archive itself could not be opened

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entries]


def name_problems(name: str, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Why a name may not appear in a package (empty when it is a safe, relative, portable file name)."""
    shown = show_name(name)
    if not name:
        return ["Gói chứa một mục không có tên."]
    problems: list[str] = []
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in name):
        problems.append(f"Tên tệp \"{shown}\" chứa ký tự điều khiển hoặc ký tự không in được.")
    if "\\" in name:
        problems.append(f"Tên tệp \"{shown}\" dùng dấu gạch ngược (\\); gói hợp lệ chỉ dùng \"/\".")
    if name.startswith("/"):
        problems.append(f"Tên tệp \"{shown}\" là đường dẫn tuyệt đối.")
    drive = len(name) >= 2 and name[1] == ":" and name[0].isalpha()
    if drive:
        problems.append(f"Tên tệp \"{shown}\" chứa ký hiệu ổ đĩa.")
    if name.endswith("/"):
        problems.append(f"Gói chứa mục thư mục \"{shown}\"; gói hợp lệ chỉ chứa các tệp có trong manifest.json.")
    parts = name.rstrip("/").split("/")
    if any(part == ".." for part in parts):
        problems.append(f"Tên tệp \"{shown}\" chứa \"..\" (trỏ ra ngoài thư mục của gói).")
    elif any(part in ("", ".") for part in parts) and not name.startswith("/"):
        problems.append(f"Tên tệp \"{shown}\" có thành phần đường dẫn rỗng hoặc \".\".")
    if any(c in _WINDOWS_FORBIDDEN for c in (name[2:] if drive else name)):
        problems.append(f"Tên tệp \"{shown}\" chứa ký tự không dùng được trong tên tệp (< > : \" | ? *).")
    for part in parts:
        if part and part not in (".", "..") and (part[-1] in " ." or part.split(".")[0].upper() in _WINDOWS_DEVICES):
            problems.append(f"Tên tệp \"{shown}\" không dùng được trên Windows (tên thiết bị hoặc kết thúc bằng dấu chấm, "
                            "dấu cách).")
            break
    if len(name) > limits.max_name_length:
        problems.append(f"Tên tệp \"{shown}\" quá dài ({len(name)} ký tự, tối đa {limits.max_name_length}).")
    if len(parts) - 1 > limits.max_depth:
        problems.append(f"Tên tệp \"{shown}\" lồng quá nhiều thư mục (tối đa {limits.max_depth}).")
    if unicodedata.normalize("NFC", name) != name:
        problems.append(f"Tên tệp \"{shown}\" không ở dạng Unicode chuẩn (NFC).")
    return problems


def _entry_type_problems(info: zipfile.ZipInfo, shown: str) -> list[str]:
    problems = []
    mode = (info.external_attr >> 16) & 0xFFFF
    kind = stat.S_IFMT(mode)
    if kind == stat.S_IFLNK:
        problems.append(f"Mục \"{shown}\" là liên kết tượng trưng (symlink); gói không được chứa liên kết.")
    elif kind not in (0, stat.S_IFREG) and not (kind == stat.S_IFDIR and info.orig_filename.endswith("/")):
        problems.append(f"Mục \"{shown}\" không phải tệp thông thường (thiết bị, ống dẫn hoặc thư mục).")
    if info.external_attr & _WINDOWS_REPARSE_POINT:
        problems.append(f"Mục \"{shown}\" là liên kết (reparse point) của Windows; gói không được chứa liên kết.")
    elif info.external_attr & _DOS_DIRECTORY and not info.orig_filename.endswith("/"):
        problems.append(f"Mục \"{shown}\" được đánh dấu là thư mục nhưng mang tên tệp.")
    if info.flag_bits & (_FLAG_ENCRYPTED | _FLAG_STRONG_ENCRYPTION):
        problems.append(f"Tệp \"{shown}\" được mã hóa (có mật khẩu); gói báo cáo không được mã hóa.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        problems.append(f"Tệp \"{shown}\" dùng kiểu nén không được hỗ trợ (mã {info.compress_type}); "
                        "chỉ chấp nhận không nén hoặc Deflate.")
    return problems


def _decoded_name_problem(info: zipfile.ZipInfo) -> str | None:
    # Without the UTF-8 flag, zipfile decoded the raw bytes as cp437; only plain ASCII is then unambiguous.
    if info.flag_bits & _FLAG_UTF8:
        return None
    if any(ord(c) > 127 for c in info.orig_filename):
        raw = info.orig_filename.encode("cp437", errors="replace")
        return (f"Tên tệp \"{show_name(raw.decode('ascii', errors='replace'))}\" không được mã hóa UTF-8 "
                "(gói do KHBC tạo luôn dùng UTF-8).")
    return None


def _same_entries(infos: list[zipfile.ZipInfo], layout: zip_layout.Layout) -> bool:
    """zipfile's reading of the directory is the one checked byte by byte (same entries, same places)."""
    def raw(info: zipfile.ZipInfo) -> bytes:
        return info.orig_filename.encode("utf-8" if info.flag_bits & _FLAG_UTF8 else "cp437", "replace")

    return sorted((i.header_offset, raw(i)) for i in infos) == sorted((r.offset, r.raw_name) for r in layout.records)


def _damage(exc: Exception) -> str:
    """What kind of damage a reading error means, in Vietnamese (never the library's English text)."""
    text = str(exc).lower()
    if "crc" in text:
        return "sai mã kiểm tra CRC, nội dung đã bị thay đổi"
    if isinstance(exc, EOFError) or "truncated" in text or "eof" in text:
        return "dữ liệu bị cắt cụt"
    if "zlib" in type(exc).__module__ or "decompress" in text or "invalid" in text:
        return "dữ liệu nén bị hỏng"
    if "header" in text or "differ" in text or "magic" in text:
        return "phần đầu của mục không khớp với mục lục"
    return "định dạng không đúng"


def _read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, keep_limit: int | None, limits: Limits,
                total_so_far: int, package_size: int, scan: ZipScan) -> tuple[int, bool]:
    """Decompress one entry in chunks, counting real bytes; returns (bytes read, whether reading may go on)."""
    shown = show_name(info.orig_filename)
    digest = hashlib.sha256()
    kept = bytearray() if keep_limit is not None else None
    size = 0
    compressed = max(min(info.compress_size, package_size), 1)
    try:
        with zf.open(info) as handle:
            while True:
                chunk = handle.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limits.max_entry_bytes:
                    scan.problems.append(f"Tệp \"{shown}\" vượt quá {limits.max_entry_bytes // MiB} MiB khi giải nén.")
                    return size, True
                if size > limits.ratio_floor_bytes and size > limits.max_ratio * compressed:
                    scan.problems.append(f"Tệp \"{shown}\" có tỉ lệ nén vượt {limits.max_ratio}:1 (dấu hiệu của "
                                         "\"bom nén\"); gói bị từ chối.")
                    return size, False
                if total_so_far + size > limits.max_total_bytes:
                    scan.problems.append(f"Tổng dung lượng sau giải nén vượt {limits.max_total_bytes // MiB} MiB.")
                    return size, False
                digest.update(chunk)
                if kept is not None:
                    if len(kept) + len(chunk) > keep_limit:
                        scan.problems.append(f"Tệp \"{shown}\" quá lớn (tối đa {keep_limit // 1024} KiB).")
                        kept = None
                        keep_limit = None
                    else:
                        kept.extend(chunk)
    except Exception as exc:  # damaged data: bad CRC, truncated stream, inconsistent headers
        scan.problems.append(f"Tệp \"{shown}\" trong gói bị hỏng, không đọc được ({_damage(exc)}).")
        return size, True
    scan.entries.append(Entry(info.orig_filename, size, info.compress_size, digest.hexdigest()))
    if kept is not None:
        scan.kept[info.orig_filename] = bytes(kept)
    return size, True


def scan_zip(data: bytes, keep: dict[str, int] | None = None, limits: Limits = DEFAULT_LIMITS) -> ZipScan:
    """Read every entry of the ZIP in `data` without writing anything; `keep` names small files to return whole."""
    keep = keep or {}
    scan = ZipScan()
    if len(data) > limits.max_package_bytes:
        scan.problems.append(f"Gói quá lớn ({len(data) // MiB} MiB, tối đa {limits.max_package_bytes // MiB} MiB).")
        return scan
    layout, early = zip_layout.end_record_problems(data, limits.max_entries, limits.max_central_directory)
    if layout is None:
        scan.problems.extend(early)
        return scan
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except UnicodeDecodeError:
        scan.problems.append("Gói có tên tệp đánh dấu UTF-8 nhưng không phải UTF-8 hợp lệ.")
        return scan
    except Exception as exc:  # zipfile raises many kinds of errors on damaged input
        scan.problems.append(f"Tệp không phải gói ZIP hợp lệ hoặc đã bị hỏng ({_damage(exc)}).")
        return scan
    with zf:
        infos = zf.infolist()
        scan.readable = True
        scan.listed = [info.orig_filename for info in infos]
        if len(infos) > limits.max_entries:
            scan.problems.append(f"Gói có {len(infos)} mục, vượt giới hạn {limits.max_entries} mục.")
            return scan
        problems = zip_layout.layout_problems(data, layout)
        if not problems and not _same_entries(infos, layout):
            problems = ["Mục lục của gói không nhất quán; các chương trình giải nén sẽ đọc khác nhau nên gói bị "
                        "từ chối."]
        if problems:
            scan.problems.extend(problems)
            return scan
        seen: dict[str, str] = {}
        readable: list[zipfile.ZipInfo] = []
        for info in infos:
            name = info.orig_filename
            shown = show_name(name)
            problems = []
            encoding = _decoded_name_problem(info)
            problems.extend([encoding] if encoding else name_problems(name, limits))
            problems.extend(_entry_type_problems(info, shown))
            folded = unicodedata.normalize("NFC", name).casefold()
            if folded in seen:
                same = seen[folded] == name
                problems.append(f"Tên tệp \"{shown}\" xuất hiện hai lần trong gói" +
                                ("." if same else f" (trùng với \"{show_name(seen[folded])}\" khi không phân biệt hoa thường)."))
            seen.setdefault(folded, name)
            scan.problems.extend(problems)
            if not problems:
                readable.append(info)
        total = 0
        for info in readable:
            size, go_on = _read_entry(zf, info, keep.get(info.orig_filename), limits, total, len(data), scan)
            total += size
            if not go_on:
                break
        if total > limits.ratio_floor_bytes and total > limits.max_ratio * len(data):
            scan.problems.append(f"Tỉ lệ nén của cả gói vượt {limits.max_ratio}:1 (dấu hiệu của \"bom nén\").")
    return scan


def read_package_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[bytes | None, str | None]:
    """The bytes of a package file (read once, so what is checked is what is stored), or a Vietnamese reason."""
    try:
        if not path.is_file():
            if not path.exists():
                return None, f"Không tìm thấy tệp {path}."
            return None, f"{path} không phải một tệp thông thường."
        size = path.stat().st_size
        if size > limits.max_package_bytes:
            return None, f"Gói quá lớn ({size // MiB} MiB, tối đa {limits.max_package_bytes // MiB} MiB)."
        with open(path, "rb") as handle:
            data = handle.read(limits.max_package_bytes + 1)
    except OSError as exc:
        return None, f"Không đọc được tệp {path}: {os_reason(exc)}."
    if len(data) > limits.max_package_bytes:
        return None, f"Gói quá lớn (tối đa {limits.max_package_bytes // MiB} MiB)."
    return data, None
