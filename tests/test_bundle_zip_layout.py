"""ZIP files that different tools read differently are refused: every byte of a package must be accounted for."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile

import pytest

from desktop.bundle.verify import verify_bytes
from desktop.services.bundles import import_bundles
from desktop.services.workspace import Workspace
from tests.bundle_helpers import RawEntry, file_listing, raw_from_package, raw_zip, read_entries, sample_package

END = struct.Struct("<4s4H2LH")


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        _db, path = sample_package(tmp_path_factory.mktemp("layout"))
    return path.read_bytes()


def _end(archive: bytes) -> tuple[int, list]:
    pos = archive.rfind(b"PK\x05\x06")
    return pos, list(END.unpack(archive[pos:pos + 22]))


def _with_end(archive: bytes, **changes) -> bytes:
    pos, fields = _end(archive)
    names = ("sig", "disk", "cd_disk", "on_disk", "total", "cd_size", "cd_offset", "comment")
    for key, value in changes.items():
        fields[names.index(key)] = value
    return archive[:pos] + END.pack(*fields) + archive[pos + 22:]


def _count_zero(package: bytes) -> bytes:
    return _with_end(package, on_disk=0, total=0)


def _count_low(package: bytes) -> bytes:
    return _with_end(package, on_disk=3, total=3)


def _trailing(package: bytes) -> bytes:
    return package + bytes(5000)


def _trailing_zip(package: bytes) -> bytes:
    # a second archive glued after the first: a reader that scans from the end sees only the second one
    return package + raw_zip([RawEntry(b"evidence/hidden.pdf", b"%PDF hidden", flags=0x800)])


def _comment(package: bytes) -> bytes:
    hidden = b"PK\x03\x04 payload that some tools would show"
    return _with_end(package, comment=len(hidden)) + hidden


def _entry_comment(package: bytes) -> bytes:
    """data.json's directory record carries a comment (the directory grows by its length)."""
    archive = bytearray(package)
    info = zipfile.ZipFile(_io(package)).getinfo("data.json")
    pos, fields = _end(package)
    start = fields[6]
    at = start
    while archive[at + 46:at + 46 + 9] != b"data.json":
        at += 46 + sum(struct.unpack("<3H", archive[at + 28:at + 34]))
    assert struct.unpack("<L", archive[at + 42:at + 46])[0] == info.header_offset
    n_name, n_extra = struct.unpack("<2H", archive[at + 28:at + 32])
    note = b"hidden note"
    archive[at + 32:at + 34] = struct.pack("<H", len(note))
    end = at + 46 + n_name + n_extra
    archive[end:end] = note
    return _with_end(bytes(archive), cd_size=fields[5] + len(note))


def _io(data: bytes):
    import io

    return io.BytesIO(data)


def _prepended_absolute(package: bytes) -> bytes:
    """Data before the archive with every offset adjusted to it (as a self-extracting program is made)."""
    prefix = b"MZ" + bytes(500)
    archive = bytearray(prefix + package)
    pos, fields = _end(bytes(archive))
    at = fields[6] + len(prefix)
    for _ in range(fields[4]):
        offset = struct.unpack("<L", archive[at + 42:at + 46])[0]
        archive[at + 42:at + 46] = struct.pack("<L", offset + len(prefix))
        at += 46 + sum(struct.unpack("<3H", archive[at + 28:at + 34]))
    return _with_end(bytes(archive), cd_offset=fields[6] + len(prefix))


def _local_header(package: bytes, name: str, change) -> bytes:
    archive = bytearray(package)
    offset = zipfile.ZipFile(_io(package)).getinfo(name).header_offset
    change(archive, offset)
    return bytes(archive)


def _local_name(package: bytes) -> bytes:
    def rename(archive, at):
        archive[at + 30:at + 39] = b"data.jsoX"
    return _local_header(package, "data.json", rename)


def _local_method(package: bytes) -> bytes:
    def stored(archive, at):
        archive[at + 8:at + 10] = struct.pack("<H", zipfile.ZIP_STORED)
    return _local_header(package, "data.json", stored)


def _local_size(package: bytes) -> bytes:
    def smaller(archive, at):
        size = struct.unpack("<L", archive[at + 18:at + 22])[0]
        archive[at + 18:at + 22] = struct.pack("<L", size - 100)
    return _local_header(package, "data.json", smaller)


def _hidden_entry(package: bytes) -> bytes:
    """A whole local entry between two listed ones, absent from the directory (a streaming reader shows it)."""
    entries = [RawEntry(n.encode(), c, zipfile.ZIP_DEFLATED, flags=0x800) for n, c in read_entries(package).items()]
    first = raw_zip(entries[:1])
    pos, fields = _end(first)
    hidden = raw_zip([RawEntry(b"evidence/hidden.pdf", b"%PDF hidden", flags=0x800)])
    hidden_local = hidden[:_end(hidden)[1][6]]
    rest = raw_zip(entries)
    _p, rest_fields = _end(rest)
    first_local = first[:fields[6]]
    tail_local = rest[len(first_local):rest_fields[6]]
    directory = bytearray(rest[rest_fields[6]:rest_fields[6] + rest_fields[5]])
    at = 0
    for index in range(len(entries)):  # every entry after the first moved by the hidden one's length
        if index:
            offset = struct.unpack("<L", directory[at + 42:at + 46])[0]
            directory[at + 42:at + 46] = struct.pack("<L", offset + len(hidden_local))
        at += 46 + sum(struct.unpack("<3H", directory[at + 28:at + 34]))
    body = first_local + hidden_local + tail_local
    end = END.pack(b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return body + bytes(directory) + end


def _shared_header(package: bytes) -> bytes:
    """Two directory records (different names) pointing at the same local entry."""
    extra = RawEntry(b"evidence/copy.pdf", b"%PDF", flags=0x800, header_offset=0)
    return raw_from_package(package, extra=[extra])


CASES = {
    "end record says 0 entries": (_count_zero, "ghi 0 mục nhưng mục lục có 6 mục"),
    "end record says 3 entries": (_count_low, "ghi 3 mục nhưng mục lục có 6 mục"),
    "trailing zeros": (_trailing, "5000 byte dữ liệu lạ nằm sau phần kết thúc"),
    "trailing archive": (_trailing_zip, "dữ liệu lạ nằm trước nội dung"),
    "archive comment": (_comment, "phần chú thích của tệp nén"),
    "entry comment": (_entry_comment, "có chú thích trong mục lục"),
    "prepended, offsets adjusted": (_prepended_absolute, "dữ liệu lạ nằm trước nội dung"),
    "local name differs": (_local_name, "ghi khác với mục lục (tên tệp)"),
    "local method differs": (_local_method, "ghi khác với mục lục (cờ hoặc kiểu nén)"),
    "local size differs": (_local_size, "ghi khác với mục lục (mã kiểm tra hoặc kích thước)"),
    "entry hidden between entries": (_hidden_entry, "dữ liệu lạ xen giữa các mục"),
    "two names, one entry": (_shared_header, "chồng lên nhau"),
}


@pytest.fixture
def receiver(tmp_path):
    workspace = Workspace.open(tmp_path / "recv" / "khbc.sqlite3")
    yield workspace
    workspace.close()


def test_the_intact_package_is_accepted_and_unzip_lists_the_same_files(package, tmp_path):
    result = verify_bytes(package, "SXD_2026_v1.zip")
    assert result.ok, result.problems
    if shutil.which("unzip") is None:
        pytest.skip("unzip is not installed")
    path = tmp_path / "SXD_2026_v1.zip"
    path.write_bytes(package)
    listing = subprocess.run(["unzip", "-Z1", str(path)], capture_output=True, check=True).stdout.decode()
    assert listing.split() == [f["name"] for f in [{"name": "manifest.json"}, *result.manifest["files"]]]
    assert subprocess.run(["unzip", "-tq", str(path)], capture_output=True).returncode == 0


@pytest.mark.parametrize("case", CASES)
def test_an_ambiguous_zip_is_refused_in_vietnamese_and_leaves_nothing(package, case, receiver, tmp_path):
    build, expected = CASES[case]
    crafted = build(package)
    result = verify_bytes(crafted, "SXD_2026_v1.zip")
    assert not result.ok
    assert any(expected in p for p in result.problems), result.problems
    assert not any(word in " ".join(result.problems) for word in ("Error", "error", "File name", "Bad"))
    path = tmp_path / "incoming" / "SXD_2026_v1.zip"
    path.parent.mkdir()
    path.write_bytes(crafted)
    before = file_listing(tmp_path)
    [outcome] = import_bundles(receiver, [path])
    assert outcome.status == "rejected" and any(expected in p for p in outcome.problems)
    assert file_listing(tmp_path) == before


@pytest.mark.parametrize("build", [_count_zero, _count_low])
def test_unzip_cannot_read_an_end_record_with_the_wrong_count(package, build, tmp_path):
    """Python's zipfile reads all six entries of these files; Info-ZIP's unzip fails: KHBC must refuse them."""
    crafted = build(package)
    assert len(zipfile.ZipFile(_io(crafted)).infolist()) == 6
    if shutil.which("unzip") is None:
        pytest.skip("unzip is not installed")
    path = tmp_path / "x.zip"
    path.write_bytes(crafted)
    assert subprocess.run(["unzip", "-l", str(path)], capture_output=True).returncode != 0


def test_a_damaged_entry_is_described_in_vietnamese(package):
    archive = bytearray(package)
    info = zipfile.ZipFile(_io(package)).getinfo("data.json")
    start = info.header_offset + 30 + len(b"data.json") + len(info.extra)
    archive[start + 20] ^= 0xFF
    problems = verify_bytes(bytes(archive), "x.zip").problems
    assert any("\"data.json\" trong gói bị hỏng" in p for p in problems), problems
    assert all(p.isascii() is False for p in problems)
    assert not any("Error" in p or "CRC-32" in p or "zlib" in p for p in problems), problems
