"""Hostile plan packages are refused before any write: the lower unit's database stays exactly as it was."""

from __future__ import annotations

import hashlib
import json
import stat
import zipfile

import pytest

from desktop.bundle.plan_package import verify_plan_bytes
from tests.bundle_helpers import RawEntry, file_listing, raw_from_package, raw_zip, read_entries, write_zip
from tests.plan_helpers import dump, lower_database, upper_database

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> dict[str, bytes]:
    """A real plan package and a real report package, made once."""
    from desktop.services.plan_send import export_plan_package
    from desktop.services.workspace import Workspace
    from tests.bundle_helpers import sample_package

    folder = tmp_path_factory.mktemp("plan-hostile")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        upper = upper_database(folder / "so")
        workspace = Workspace.open(upper)
        try:
            plan = export_plan_package(workspace, folder / "out").path.read_bytes()
        finally:
            workspace.close()
        _db, report = sample_package(folder / "report")
    return {"plan": plan, "report": report.read_bytes()}


def _with_plan(package: bytes, change, reseal: bool = True) -> bytes:
    """The package with plan.json edited; the manifest's hash follows unless `reseal` is False (tampering)."""
    entries = read_entries(package)
    data = json.loads(entries["plan.json"])
    change(data)
    entries["plan.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    if reseal:
        manifest = json.loads(entries["manifest.json"])
        manifest["files"][0].update(size=len(entries["plan.json"]),
                                    sha256=hashlib.sha256(entries["plan.json"]).hexdigest())
        entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return write_zip(entries)


def _with_manifest(package: bytes, change) -> bytes:
    entries = read_entries(package)
    manifest = json.loads(entries["manifest.json"])
    change(manifest)
    entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return write_zip(entries)


def _listed(package: bytes, name: str, content: bytes = b"{}", **raw) -> bytes:
    """The package plus an entry whose (bad) name is also in the manifest, so only the name is wrong."""
    entries = read_entries(package)
    manifest = json.loads(entries["manifest.json"])
    manifest["files"].append({"name": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                              "role": "data"})
    entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return raw_zip([RawEntry(n.encode(), c, zipfile.ZIP_DEFLATED, flags=0x800) for n, c in entries.items()]
                   + [RawEntry(name.encode(), content, **{"flags": 0x800, **raw})])


def _set(path: str, value):
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(last) if last.isdigit() else last] = value
    return change


def _duplicate_uid(data: dict) -> None:
    data["tasks"][1]["uid"] = data["tasks"][0]["uid"]


def _units_lie(data: dict) -> None:
    data["units"][2]["leads"] = [t["uid"] for t in data["tasks"]]


def _duplicate_key(package: bytes) -> bytes:
    entries = read_entries(package)
    text = entries["plan.json"].decode("utf-8")
    entries["plan.json"] = text.replace('"format": "khbc-plan/1"', '"format": "khbc-plan/1", "format": "x"', 1).encode()
    manifest = json.loads(entries["manifest.json"])
    manifest["files"][0].update(size=len(entries["plan.json"]), sha256=hashlib.sha256(entries["plan.json"]).hexdigest())
    entries["manifest.json"] = json.dumps(manifest).encode()
    return write_zip(entries)


HOSTILE = {
    "zip bomb": (lambda p, r: raw_from_package(p, extra=[RawEntry(b"bomb.bin", bytes(60 * MiB), zipfile.ZIP_DEFLATED)]),
                 "tỉ lệ nén vượt 100:1"),
    "path traversal": (lambda p, r: _listed(p, "../../khbc.sqlite3"), "chứa \"..\""),
    "absolute path": (lambda p, r: _listed(p, "/etc/cron.d/khbc"), "là đường dẫn tuyệt đối"),
    "backslash": (lambda p, r: _listed(p, "..\\..\\plan.json"), "dấu gạch ngược"),
    "symlink": (lambda p, r: _listed(p, "link.json", b"/etc/passwd", external_attr=(stat.S_IFLNK | 0o777) << 16),
                "liên kết tượng trưng"),
    "unlisted file": (lambda p, r: raw_from_package(p, extra=[RawEntry(b"readme.txt", b"x", flags=0x800)]),
                      "\"readme.txt\" có trong gói nhưng không có trong manifest.json"),
    "newer format": (lambda p, r: _with_manifest(p, _set("format", "khbc-plan/2")), "phiên bản KHBC mới hơn"),
    "data of another version": (lambda p, r: _with_plan(p, _set("format", "khbc-plan/2")),
                                "format có giá trị không được chấp nhận"),
    "tampered hash": (lambda p, r: _with_plan(p, _set("tasks.0.content", "Nội dung bị sửa"), reseal=False),
                      "không khớp với manifest.json"),
    "tampered manifest": (lambda p, r: _with_manifest(p, _set("version", 7)), "ghi phiên bản khác nhau"),
    "oversized task text": (lambda p, r: _with_plan(p, _set("tasks.0.content", "x" * 100_001)),
                            "quá dài (tối đa 100000)"),
    "oversized unit name": (lambda p, r: _with_plan(p, _set("units.0.name", "Đ" * 301)), "quá dài (tối đa 300)"),
    "oversized outline": (lambda p, r: _with_plan(p, _set("outline", {"sections": ["Mục " * 70_000]})),
                          "đề cương báo cáo quá lớn"),
    "outline not an object": (lambda p, r: _with_plan(p, _set("outline", ["I", "II"])), "outline không đúng kiểu"),
    "bad uid": (lambda p, r: _with_plan(p, _set("tasks.0.uid", "../../x")), "uid không đúng định dạng"),
    "duplicate uid": (lambda p, r: _with_plan(p, _duplicate_uid), "trùng mã định danh"),
    "units contradict the tasks": (lambda p, r: _with_plan(p, _units_lie), "không khớp với phân công"),
    "impossible schedule": (lambda p, r: _with_plan(p, _set("plan.schedule", {"deadlines": {"half": "31/2"}})),
                            "lịch báo cáo không dùng được"),
    "absurd years": (lambda p, r: _with_plan(p, _set("plan.end_year", 2200)), "thời gian kế hoạch"),
    "duplicate json key": (lambda p, r: _duplicate_key(p), "xuất hiện hai lần"),
    "report package as plan": (lambda p, r: r, "Đây là gói báo cáo"),
    "not a zip": (lambda p, r: b"%PDF-1.7 " + bytes(1000), "không phải gói ZIP hợp lệ"),
    "empty file": (lambda p, r: b"", "không phải gói ZIP hợp lệ"),
}


@pytest.fixture(scope="module")
def lower(tmp_path_factory, packages):
    """A lower unit that has imported version 1 already (so an amendment would have something to change)."""
    from desktop.services.plan_receive import import_plan_package
    from desktop.services.workspace import Workspace

    folder = tmp_path_factory.mktemp("plan-hostile-lower")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        mp.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        db = lower_database(folder / "vp")
        (folder / "v1.zip").write_bytes(packages["plan"])
        workspace = Workspace.open(db)
        try:
            import_plan_package(workspace, folder / "v1.zip")
        finally:
            workspace.close()
    return db


def test_the_untouched_package_is_valid(packages):
    check = verify_plan_bytes(packages["plan"], "KeHoach_SXD_v1.zip")
    assert check.ok, check.problems


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_plan_package_is_refused_before_any_write(case, packages, lower, khbc_cli, tmp_path):
    build, expected = HOSTILE[case]
    hostile = build(packages["plan"], packages["report"])
    check = verify_plan_bytes(hostile, "x.zip")
    assert not check.ok and any(expected in p for p in check.problems), check.problems
    path = tmp_path / "incoming" / "KeHoach_SXD_v2.zip"
    path.parent.mkdir()
    path.write_bytes(hostile)
    before, files = dump(lower), file_listing(tmp_path)
    for preview in ((), ("--preview",)):
        code, stdout, stderr = khbc_cli("plan-import", str(path), *preview, "--db", str(lower))
        assert code == 1 and "Từ chối gói kế hoạch KeHoach_SXD_v2.zip:" in stderr and expected in stderr
        assert "Traceback" not in stderr + stdout
    assert dump(lower) == before
    assert file_listing(tmp_path) == files  # nothing extracted anywhere


def test_every_text_fits_the_column_it_is_stored_in(packages):
    """What the schema lets through must fit the database columns (PostgreSQL enforces their lengths)."""
    from db.models import Plan, Target, Task, TaskGroup, Unit

    cases = {"tasks.0.lead": ("Đ" * 301, Unit.__table__.c.name.type.length),
             "tasks.0.cooperating": (["Đ" * 301], Unit.__table__.c.name.type.length),
             "tasks.0.number": ("1" * 21, Task.__table__.c.number.type.length),
             "plan.number": ("1" * 51, Plan.__table__.c.number.type.length),
             "targets.0.goal_text": ("9" * 101, Target.__table__.c.goal_text.type.length),
             "targets.0.measure_unit": ("%" * 51, Target.__table__.c.measure_unit.type.length)}
    assert TaskGroup.__table__.c.title.type.length is None
    for path, (value, column) in cases.items():
        longest = value[0] if isinstance(value, list) else value
        assert len(longest) == column + 1
        check = verify_plan_bytes(_with_plan(packages["plan"], _set(path, value)), "x.zip")
        assert not check.ok and any(f"tối đa {column}" in p for p in check.problems), (path, check.problems)
