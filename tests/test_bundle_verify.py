"""Verifying packages without a database: intact packages pass, every kind of change is found and named."""

from __future__ import annotations

import json
import zipfile

import pytest

from desktop.bundle.verify import verify_bytes, verify_file
from tests.bundle_helpers import read_entries, reseal, run_cli, sample_package, with_data, write_zip


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        _db, path = sample_package(tmp_path_factory.mktemp("verify"))
    return path.read_bytes()


def test_an_intact_package_passes_with_a_one_line_summary(package, tmp_path, capsys):
    path = tmp_path / "SXD_2026_v1.zip"
    path.write_bytes(package)
    result = verify_file(path)
    assert result.ok, result.problems
    assert result.manifest["unit_code"] == "DLK-SXD" and result.data["period"]["code"] == "2026"
    assert run_cli(["verify", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Gói hợp lệ: Sở Xây dựng (DLK-SXD), kỳ 2026, phiên bản 1")


def test_one_changed_byte_of_the_pdf_fails_and_names_the_file(package, tmp_path, capsys):
    entries = read_entries(package)
    pdf = bytearray(entries["BaoCao_SXD_2026.pdf"])
    pdf[len(pdf) // 2] ^= 0x01
    entries["BaoCao_SXD_2026.pdf"] = bytes(pdf)
    path = tmp_path / "SXD_2026_v1.zip"
    path.write_bytes(write_zip(entries))
    assert run_cli(["verify", str(path)]) != 0
    err = capsys.readouterr().err
    assert "KHÔNG hợp lệ: 1 lỗi" in err
    assert "- Mã băm SHA-256 của tệp \"BaoCao_SXD_2026.pdf\" không khớp với manifest.json" in err


def test_a_flipped_byte_inside_the_zip_file_names_the_damaged_entry(package):
    with zipfile.ZipFile(__import__("io").BytesIO(package)) as zf:
        info = zf.getinfo("BaoCao_SXD_2026.pdf")
    position = info.header_offset + 30 + len(info.filename) + info.compress_size // 2
    damaged = bytearray(package)
    damaged[position] ^= 0xFF
    result = verify_bytes(bytes(damaged), "SXD_2026_v1.zip")
    assert not result.ok
    assert any("BaoCao_SXD_2026.pdf" in p for p in result.problems), result.problems


def test_every_problem_is_listed(package):
    entries = read_entries(package)
    entries["BaoCao_SXD_2026.xlsx"] += b"\0"
    entries["BaoCao_SXD_2026.docx"] = entries["BaoCao_SXD_2026.docx"][:-1] + b"!"
    entries["ghi-chu.txt"] = b"not listed"
    problems = verify_bytes(write_zip(entries), "x.zip").problems
    assert len(problems) == 4, problems
    assert any("\"BaoCao_SXD_2026.xlsx\" có kích thước" in p for p in problems)
    assert any("SHA-256 của tệp \"BaoCao_SXD_2026.docx\"" in p for p in problems)
    assert any("\"ghi-chu.txt\" có trong gói nhưng không có trong manifest.json" in p for p in problems)


def test_verify_needs_no_database(package, tmp_path, monkeypatch):
    from desktop.services import workspace

    def no_database(*args, **kwargs):
        raise AssertionError("verify opened a database")

    monkeypatch.setattr(workspace.Workspace, "open", no_database)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "p.zip"
    path.write_bytes(package)
    assert run_cli(["verify", str(path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.zip"]


def _drop(key):
    return lambda data: data.pop(key)


def _set(path, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


SCHEMA_CASES = {
    "missing tasks": (_drop("tasks"), "data.json: thiếu trường \"tasks\""),
    "version as text": (_set(("submission", "version"), "1"), "submission/version phải là số nguyên"),
    "unknown field": (_set(("unit", "password"), "x"), "có trường không được phép \"password\""),
    "bad period code": (_set(("period", "code"), "2026/S1"), "period/code không đúng định dạng"),
    "task content not text": (_set(("tasks", 0, "content"), 5), "tasks/0/content phải là chuỗi"),
    "wrong format": (_set(("format",), "khbc-package/0"), "format có giá trị không được chấp nhận"),
    "impossible date": (_set(("period", "deadline"), "2026-02-30"), "ngày không có thật"),
    "other unit": (_set(("unit", "code"), "DLK-SYT"), "ghi mã đơn vị khác nhau"),
    "other period": (_set(("period", "code"), "2027"), "ghi mã kỳ khác nhau"),
    "missing evidence file": (_set(("tasks", 0, "progress", "evidence", 0, "file"), "evidence/khong-co.pdf"),
                              "không có trong gói"),
}


@pytest.mark.parametrize("case", SCHEMA_CASES)
def test_schema_and_consistency_violations_are_refused(package, case):
    change, expected = SCHEMA_CASES[case]
    result = verify_bytes(with_data(package, change), "x.zip")
    assert not result.ok
    assert any(expected in p for p in result.problems), result.problems
    assert result.data is None


def _manifest_case(change):
    def build(package):
        return write_zip(reseal(read_entries(package), change))
    return build


def _raw_manifest(raw: bytes):
    def build(package):
        entries = read_entries(package)
        entries["manifest.json"] = raw
        return write_zip(entries)
    return build


def _without(name: str):
    def build(package):
        entries = read_entries(package)
        del entries[name]
        return write_zip(reseal(entries, lambda m: m.update(files=[f for f in m["files"] if f["name"] != name])))
    return build


MANIFEST_CASES = {
    "newer format": (_manifest_case(lambda m: m.update(format="khbc-package/2")), "không được hỗ trợ"),
    "no hash": (_manifest_case(lambda m: m["files"][0].pop("sha256")), "thiếu trường \"sha256\""),
    "no time zone": (_manifest_case(lambda m: m.update(created_at="2026-11-22T10:00:00")),
                     "created_at không đúng định dạng"),
    "not json": (_raw_manifest(b"{not json"), "manifest.json không phải JSON hợp lệ"),
    "duplicate key": (_raw_manifest(b'{"format": "khbc-package/1", "format": "x"}'), "xuất hiện hai lần"),
    "nan": (_raw_manifest(b'{"format": "khbc-package/1", "version": NaN}'), "NaN không được phép"),
    "bom": (_raw_manifest(b"\xef\xbb\xbf{}"), "BOM"),
    "not utf-8": (_raw_manifest(b'{"unit_name": "S\xf4"}'), "không phải văn bản UTF-8"),
    "listed twice": (_manifest_case(lambda m: m["files"].append(dict(m["files"][0]))), "hai lần"),
    "lists itself": (_manifest_case(lambda m: m["files"].append(
        {"name": "manifest.json", "size": 1, "sha256": "0" * 64, "role": "evidence"})), "tự liệt kê"),
    "missing docx": (_without("BaoCao_SXD_2026.docx"), "báo cáo DOCX (có 0)"),
    "no manifest": (lambda p: write_zip({k: v for k, v in read_entries(p).items() if k != "manifest.json"}),
                    "không có manifest.json"),
}


@pytest.mark.parametrize("case", MANIFEST_CASES)
def test_manifest_problems_are_refused(package, case):
    build, expected = MANIFEST_CASES[case]
    result = verify_bytes(build(package), "x.zip")
    assert not result.ok
    assert any(expected in p for p in result.problems), result.problems


def test_cli_lists_every_problem_one_per_line(package, tmp_path, capsys):
    entries = read_entries(package)
    entries["data.json"] = json.dumps({"format": "khbc-package/1"}).encode()
    entries["BaoCao_SXD_2026.pdf"] = b"%PDF-changed"
    path = tmp_path / "bad.zip"
    path.write_bytes(write_zip(entries))
    assert run_cli(["verify", str(path)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    problems = verify_file(path).problems
    assert lines[0].startswith("Gói bad.zip KHÔNG hợp lệ")
    assert lines[1:] == [f"- {p}" for p in problems] and len(problems) >= 3


def test_a_missing_file_is_reported(tmp_path, capsys):
    assert run_cli(["verify", str(tmp_path / "khong-co.zip")]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err
