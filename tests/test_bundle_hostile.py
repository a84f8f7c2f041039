"""Hostile packages: each is refused with a clear Vietnamese reason, and nothing is written or stored."""

from __future__ import annotations

import stat
import zipfile

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Submission
from desktop.bundle.safe_zip import Limits, name_problems
from desktop.bundle.verify import verify_bytes
from desktop.services.bundles import import_bundles
from desktop.services.workspace import Workspace
from tests.bundle_helpers import (
    RawEntry, file_listing, raw_from_package, raw_zip, read_entries, reseal, sample_package, write_zip,
)

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        _db, path = sample_package(tmp_path_factory.mktemp("hostile"))
    return path.read_bytes()


def _listed(package: bytes, name: str, content: bytes = b"x", **raw) -> bytes:
    """A real package plus one entry whose name is also put into the manifest (so only the name is wrong)."""
    import hashlib
    import json

    entries = read_entries(package)
    manifest = json.loads(entries["manifest.json"])
    manifest["files"].append({"name": name.encode("utf-8", "surrogateescape").decode("utf-8", "replace"),
                              "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                              "role": "evidence"})
    entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return raw_zip([RawEntry(n.encode("utf-8"), c, zipfile.ZIP_DEFLATED, flags=0x800) for n, c in entries.items()]
                   + [RawEntry(name.encode("utf-8", "surrogateescape"), content, **{"flags": 0x800, **raw})])


def _duplicate(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"data.json", b"{}", flags=0x800)])


def _case_duplicate(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"DATA.json", b"{}", flags=0x800)])


def _unlisted(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"readme.txt", b"hello", flags=0x800)])


def _too_many(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(f"evidence/{i}.txt".encode(), b"") for i in range(600)])


def _eocd(archive: bytes, **fields) -> bytes:
    """Rewrite fields of the end-of-archive record (entries, cd_size) to lie about the directory."""
    import struct

    pos = archive.rfind(b"PK\x05\x06")
    sig, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment = struct.unpack("<4s4H2LH", archive[pos:pos + 22])
    on_disk = total = fields.get("entries", total)
    cd_size = fields.get("cd_size", cd_size)
    return archive[:pos] + struct.pack("<4s4H2LH", sig, disk, cd_disk, on_disk, total, cd_size, cd_offset, comment)


def _count_lie(package: bytes) -> bytes:
    return _eocd(_too_many(package), entries=6)


def _huge_directory(package: bytes) -> bytes:
    return _eocd(package, cd_size=2 * MiB)


def _bomb(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"evidence/zeros.bin", bytes(60 * MiB), zipfile.ZIP_DEFLATED)])


def _lying_size(package: bytes) -> bytes:
    # the headers claim 10 bytes; the deflate stream holds 5 MiB
    return raw_from_package(package, extra=[RawEntry(b"evidence/small.txt", bytes(5 * MiB), zipfile.ZIP_DEFLATED,
                                                     claimed_size=10)])


def _overlapping(package: bytes) -> bytes:
    big = RawEntry(b"evidence/a.bin", bytes(2 * MiB), zipfile.ZIP_DEFLATED)
    return raw_zip([big, RawEntry(b"evidence/b.bin", bytes(2 * MiB), zipfile.ZIP_DEFLATED, header_offset=0)])


def _symlink(package: bytes) -> bytes:
    return _listed(package, "evidence/link.pdf", b"/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16)


def _device(package: bytes) -> bytes:
    return _listed(package, "evidence/fifo.pdf", b"", external_attr=(stat.S_IFIFO | 0o644) << 16)


def _reparse_point(package: bytes) -> bytes:
    return _listed(package, "evidence/junction.pdf", b"x", create_system=0, external_attr=0x400)


def _encrypted(package: bytes) -> bytes:
    return _listed(package, "evidence/secret.pdf", b"\x00" * 12 + b"cipher", flags=0x801)


def _bzip2(package: bytes) -> bytes:
    return _listed(package, "evidence/x.pdf", b"BZh9", method=zipfile.ZIP_BZIP2)


def _invalid_utf8(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"evidence/\xc3\x28.pdf", b"x", flags=0x800)])


def _legacy_encoding(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"evidence/c\xf4ng-v\xe3n.pdf", b"x", flags=0)])


def _prepended(package: bytes) -> bytes:
    entries = [RawEntry(n.encode(), c, zipfile.ZIP_DEFLATED, flags=0x800) for n, c in read_entries(package).items()]
    return raw_zip(entries, prefix=b"MZ" + bytes(200))


def _zip64(package: bytes) -> bytes:
    entries = [RawEntry(n.encode(), c, zipfile.ZIP_DEFLATED, flags=0x800) for n, c in read_entries(package).items()]
    return raw_zip(entries, zip64_locator=True)


def _directory_entry(package: bytes) -> bytes:
    return raw_from_package(package, extra=[RawEntry(b"evidence/", b"", external_attr=(stat.S_IFDIR | 0o755) << 16)])


def _truncated(package: bytes) -> bytes:
    return package[: len(package) // 2]


HOSTILE = {
    "absolute path": (lambda p: _listed(p, "/etc/cron.d/khbc"), "là đường dẫn tuyệt đối"),
    "parent folder": (lambda p: _listed(p, "../../khbc.sqlite3"), "chứa \"..\""),
    "hidden parent": (lambda p: _listed(p, "evidence/../../x.pdf"), "chứa \"..\""),
    "drive letter": (lambda p: _listed(p, "C:/Windows/win.ini"), "chứa ký hiệu ổ đĩa"),
    "drive relative": (lambda p: _listed(p, "C:evil.pdf"), "chứa ký hiệu ổ đĩa"),
    "backslash": (lambda p: _listed(p, "evidence\\..\\..\\x.pdf"), "dấu gạch ngược"),
    "nul in name": (lambda p: _listed(p, "data.json\x00.exe"), "ký tự điều khiển"),
    "control char": (lambda p: _listed(p, "evidence/a\x1b[2J.pdf"), "ký tự điều khiển"),
    "windows device": (lambda p: _listed(p, "evidence/CON.pdf"), "không dùng được trên Windows"),
    "symlink": (_symlink, "liên kết tượng trưng (symlink)"),
    "fifo": (_device, "không phải tệp thông thường"),
    "reparse point": (_reparse_point, "reparse point"),
    "duplicate name": (_duplicate, "\"data.json\" xuất hiện hai lần"),
    "case duplicate": (_case_duplicate, "khi không phân biệt hoa thường"),
    "not in manifest": (_unlisted, "\"readme.txt\" có trong gói nhưng không có trong manifest.json"),
    "too many entries": (_too_many, "vượt giới hạn 500 mục"),
    "entry count lie": (_count_lie, "vượt giới hạn 500 mục"),
    "huge directory": (_huge_directory, "Mục lục của gói quá lớn"),
    "zip bomb": (_bomb, "tỉ lệ nén vượt 100:1"),
    "size lie": (_lying_size, "\"evidence/small.txt\" trong gói bị hỏng"),
    "overlapping entries": (_overlapping, "chồng lên nhau"),
    "encrypted": (_encrypted, "được mã hóa (có mật khẩu)"),
    "bzip2": (_bzip2, "kiểu nén không được hỗ trợ"),
    "invalid utf-8 name": (_invalid_utf8, "không phải UTF-8 hợp lệ"),
    "legacy name encoding": (_legacy_encoding, "không được mã hóa UTF-8"),
    "data before the zip": (_prepended, "dữ liệu lạ nằm trước"),
    "zip64": (_zip64, "ZIP64"),
    "directory entry": (_directory_entry, "mục thư mục \"evidence/\""),
    "truncated": (_truncated, "không phải gói ZIP hợp lệ"),
    "not a zip": (lambda p: b"%PDF-1.7 " + bytes(1000), "không phải gói ZIP hợp lệ"),
    "empty file": (lambda p: b"", "không phải gói ZIP hợp lệ"),
}


@pytest.fixture
def receiver(tmp_path):
    workspace = Workspace.open(tmp_path / "recv" / "khbc.sqlite3")
    yield workspace
    workspace.close()


def _counts(workspace):
    with workspace.unit_of_work() as session:
        return session.scalar(select(func.count(Submission.id))), session.scalar(select(func.count(AuditEntry.id)))


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_package_is_refused_and_nothing_is_written(package, case, receiver, tmp_path):
    build, expected = HOSTILE[case]
    hostile = build(package)
    result = verify_bytes(hostile, "x.zip")
    assert not result.ok
    assert any(expected in p for p in result.problems), result.problems
    path = tmp_path / "incoming" / "SXD_2026_v1.zip"
    path.parent.mkdir()
    path.write_bytes(hostile)
    before_files, before_counts = file_listing(tmp_path), _counts(receiver)
    [outcome] = import_bundles(receiver, [path])
    assert outcome.status == "rejected" and any(expected in p for p in outcome.problems)
    assert _counts(receiver) == before_counts == (0, 0)
    assert file_listing(tmp_path) == before_files  # no extracted file, no stored package


def test_the_size_limits_count_real_bytes(package):
    entries = read_entries(package)
    small = Limits(max_total_bytes=len(entries["BaoCao_SXD_2026.pdf"]) // 2)
    assert any("Tổng dung lượng sau giải nén vượt" in p for p in verify_bytes(package, "x.zip", small).problems)
    one = Limits(max_entry_bytes=len(entries["data.json"]) - 1)
    assert any("\"data.json\" vượt quá" in p for p in verify_bytes(package, "x.zip", one).problems)
    tiny = Limits(max_package_bytes=len(package) - 1)
    assert any("Gói quá lớn" in p for p in verify_bytes(package, "x.zip", tiny).problems)


def test_a_nested_zip_is_just_a_file(package):
    inner = write_zip({"../../evil.txt": bytes(10 * MiB)})  # hostile inside, but never opened
    entries = read_entries(package)
    entries["evidence/abc_ho-so.zip"] = inner
    sealed = reseal(entries, lambda m: m["files"].append(
        {"name": "evidence/abc_ho-so.zip", "size": 0, "sha256": "0" * 64, "role": "evidence"}))
    sealed = reseal(sealed)  # now with the real size and hash of the inner zip
    problems = verify_bytes(write_zip(sealed), "x.zip").problems
    # the only objection is that no task refers to it; its contents were not looked into
    assert problems == ["Tệp minh chứng \"evidence/abc_ho-so.zip\" không gắn với nhiệm vụ nào trong data.json."]


@pytest.mark.parametrize("name", ["evidence/ok.pdf", "data.json", "evidence/Công văn.pdf"])
def test_ordinary_names_are_accepted(name):
    assert name_problems(name) == []


@pytest.mark.parametrize("name", ["", "a//b", "./a", "a/./b", "evidence/x.", "evidence/a:b",
                                  "a\u200bb", "x" * 300, "a/b/c/d/e/f"])
def test_odd_names_are_refused(name):
    assert name_problems(name)
