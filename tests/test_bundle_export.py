"""Exporting a period's package: contents, manifest, the Export record, the lock, reopen → v2, atomic writing."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from datetime import datetime

import pytest
from docx import Document
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.models import AuditEntry, Department, Export, Period, Progress
from desktop.errors import InvalidInputError, KhbcError, NotFoundError, PeriodLockedError
from desktop.services import bundles
from desktop.services.attachments import attach_file, store_root
from desktop.services.bundles import export_package, list_exports, reopen_period
from desktop.services.progress import record_progress
from resources import resource_path
from tests.bundle_helpers import EVIDENCE_BYTES, prepare_sample, run_cli


@pytest.fixture
def exported(sample_workspace, tmp_path):
    prepare_sample(sample_workspace, tmp_path)
    return export_package(sample_workspace, "2026", tmp_path / "out")


def _period(session, code="2026"):
    return session.scalar(select(Period).where(Period.code == code))


def test_package_holds_reports_data_evidence_and_manifest(exported):
    assert exported.path.name == "SXD_2026_v1.zip"
    package = exported.path.read_bytes()
    assert hashlib.sha256(package).hexdigest() == exported.sha256
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        contents = {info.filename: zf.read(info) for info in zf.infolist()}
    manifest = json.loads(contents["manifest.json"])
    assert manifest["format"] == "khbc-package/1"
    assert (manifest["unit_code"], manifest["unit_name"], manifest["period_code"], manifest["version"]) == \
        ("DLK-SXD", "Sở Xây dựng", "2026", 1)
    assert manifest["plan_number"] == "" and manifest["deadline"] == "2026-12-10"
    assert re.fullmatch(r"2026-11-22T\d\d:\d\d:\d\d[+-]\d\d:\d\d", manifest["created_at"])
    assert manifest["program"] == "KHBC" and manifest["program_version"]
    roles = {f["role"]: f["name"] for f in manifest["files"]}
    assert roles["report-pdf"] == "BaoCao_SXD_2026.pdf"
    # every file listed with its real size and hash, and nothing unlisted but the manifest itself
    assert {f["name"] for f in manifest["files"]} | {"manifest.json"} == set(contents)
    for record in manifest["files"]:
        assert record["size"] == len(contents[record["name"]])
        assert record["sha256"] == hashlib.sha256(contents[record["name"]]).hexdigest()
    assert contents["BaoCao_SXD_2026.pdf"].startswith(b"%PDF")
    sheets = load_workbook(io.BytesIO(contents["BaoCao_SXD_2026.xlsx"])).sheetnames
    assert sheets and all(name.startswith("PhuLuc") for name in sheets)  # Phụ lục I, II (NĐ 30)
    text = "\n".join(p.text for p in Document(io.BytesIO(contents["BaoCao_SXD_2026.docx"])).paragraphs)
    assert "BÁO CÁO" in text
    evidence = [f for f in manifest["files"] if f["role"] == "evidence"]
    assert len(evidence) == 1 and evidence[0]["name"].startswith("evidence/")
    assert contents[evidence[0]["name"]] == EVIDENCE_BYTES


def test_data_json_carries_the_period_and_follows_the_published_schema(exported):
    with zipfile.ZipFile(exported.path) as zf:
        data = json.loads(zf.read("data.json"))
    schema = json.loads(resource_path("schema", "khbc-package-1.schema.json").read_text(encoding="utf-8"))
    assert schema["$id"].endswith(":1")
    Draft202012Validator(schema).validate(data)
    assert data["unit"]["code"] == "DLK-SXD" and data["period"]["code"] == "2026"
    assert data["submission"] == {"version": 1, "created_at": data["submission"]["created_at"]}
    tasks = {t["number"]: t for t in data["tasks"]}
    assert len(tasks) == 9
    assert tasks["1"]["progress"]["status"] == "done"
    assert tasks["2"]["progress"]["difficulties"] == "Kinh phí hạn chế."
    evidence = tasks["1"]["progress"]["evidence"][0]
    assert evidence["number"] == "15/SXD-VP" and evidence["file_name"] == "Công văn 15-SXD.pdf"
    assert evidence["sha256"] == hashlib.sha256(EVIDENCE_BYTES).hexdigest()
    assert len(data["targets"]) == 5
    assert all(data["report"]["sections"].values())  # the text as printed (drafted when not written)


def test_export_is_recorded_and_locks_the_period(exported, sample_workspace, tmp_path):
    with sample_workspace.unit_of_work() as session:
        row = session.scalar(select(Export))
        assert (row.version, row.file_name, row.sha256, row.size) == \
            (1, "SXD_2026_v1.zip", exported.sha256, exported.path.stat().st_size)
        assert _period(session).sent_at is not None
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "export")).entity == "period"
        progress_id = session.scalar(select(Progress.id))
    with pytest.raises(PeriodLockedError, match="Mở lại để bổ sung"):
        with sample_workspace.unit_of_work() as session:
            record_progress(session, "2026", "3", "done")
    (tmp_path / "more.pdf").write_bytes(b"%PDF more")
    with pytest.raises(PeriodLockedError):
        with sample_workspace.unit_of_work() as session:
            attach_file(session, sample_workspace, progress_id, tmp_path / "more.pdf")
    with pytest.raises(PeriodLockedError, match="khbc reopen --period 2026"):
        export_package(sample_workspace, "2026", tmp_path / "again")
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())
    # other periods are not locked
    with sample_workspace.unit_of_work() as session:
        record_progress(session, "2027S1", "3", "in_progress")


def test_reopen_is_logged_and_the_next_export_is_v2(exported, sample_workspace, tmp_path):
    reopened = reopen_period(sample_workspace, "2026", "bổ sung số liệu quý IV")
    assert (reopened.last_version, reopened.next_version) == (1, 2)
    with sample_workspace.unit_of_work() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen"))
        assert "Mở lại để bổ sung: bổ sung số liệu quý IV" in entry.new_value
        record_progress(session, "2026", "3", "done", result="Đã rà soát toàn bộ hệ thống.")
    second = export_package(sample_workspace, "2026", tmp_path / "out")
    assert second.path.name == "SXD_2026_v2.zip" and second.version == 2
    with zipfile.ZipFile(second.path) as zf:
        assert json.loads(zf.read("manifest.json"))["version"] == 2
        tasks = {t["number"]: t for t in json.loads(zf.read("data.json"))["tasks"]}
    assert tasks["3"]["progress"]["result"] == "Đã rà soát toàn bộ hệ thống."
    assert [(r.version, r.file_name) for r in list_exports(sample_workspace)] == \
        [(1, "SXD_2026_v1.zip"), (2, "SXD_2026_v2.zip")]
    with pytest.raises(PeriodLockedError):
        with sample_workspace.unit_of_work() as session:
            record_progress(session, "2026", "4", "done")


def test_reopen_of_an_unsent_period_is_refused(sample_workspace):
    with pytest.raises(InvalidInputError, match="chưa gửi báo cáo"):
        reopen_period(sample_workspace, "2026")


def _nothing_written(workspace, out_dir):
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    with workspace.unit_of_work() as session:
        assert session.scalar(select(func.count(Export.id))) == 0
        assert _period(session).sent_at is None


def test_a_failure_while_writing_leaves_no_partial_file(sample_workspace, tmp_path, monkeypatch):
    def half_then_disk_full(target, files, fields, created_at):
        target.write_bytes(b"PK\x03\x04 half a package")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bundles, "write_package", half_then_disk_full)
    with pytest.raises(KhbcError, match="Ổ đĩa đã đầy"):
        export_package(sample_workspace, "2026", tmp_path / "out")
    _nothing_written(sample_workspace, tmp_path / "out")


def test_a_package_failing_its_own_check_is_never_renamed(sample_workspace, tmp_path, monkeypatch):
    from desktop.bundle import export as export_module
    from desktop.bundle.verify import VerifyResult

    monkeypatch.setattr(export_module, "verify_file",
                        lambda path: VerifyResult(path.name, ["Mã băm SHA-256 của tệp \"data.json\" không khớp"]))
    with pytest.raises(KhbcError, match="không vượt qua bước kiểm tra"):
        export_package(sample_workspace, "2026", tmp_path / "out")
    _nothing_written(sample_workspace, tmp_path / "out")


def test_a_failing_document_writer_leaves_nothing(sample_workspace, tmp_path, monkeypatch):
    def broken(doc, fmt, path, font=None):
        if fmt == "docx":
            raise KhbcError("Không ghi được tệp DOCX.")
        return path.write_bytes(b"stub") and path

    monkeypatch.setattr(bundles, "write_document", broken)
    with pytest.raises(KhbcError, match="DOCX"):
        export_package(sample_workspace, "2026", tmp_path / "out")
    _nothing_written(sample_workspace, tmp_path / "out")


def test_an_existing_package_file_is_not_overwritten(sample_workspace, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "SXD_2026_v1.zip").write_bytes(b"an earlier package")
    with pytest.raises(InvalidInputError, match="đã có tệp SXD_2026_v1.zip"):
        export_package(sample_workspace, "2026", out)
    assert (out / "SXD_2026_v1.zip").read_bytes() == b"an earlier package"


def test_a_unit_code_unfit_for_packages_is_explained(sample_workspace, tmp_path):
    with sample_workspace.unit_of_work() as session:
        session.scalar(select(Department)).unit_code = "SỞ XD"
    with pytest.raises(InvalidInputError, match="Mã đơn vị \"SỞ XD\""):
        export_package(sample_workspace, "2026", tmp_path / "out")
    _nothing_written(sample_workspace, tmp_path / "out")


def test_a_missing_or_damaged_attachment_stops_the_export(sample_workspace, tmp_path):
    prepare_sample(sample_workspace, tmp_path)
    stored = next(p for p in store_root(sample_workspace).rglob("*") if p.is_file())
    stored.write_bytes(b"changed on disk")
    with pytest.raises(KhbcError, match="đã bị thay đổi hoặc hỏng"):
        export_package(sample_workspace, "2026", tmp_path / "out")
    stored.unlink()
    with pytest.raises(NotFoundError, match="Hãy đính kèm lại"):
        export_package(sample_workspace, "2026", tmp_path / "out")
    _nothing_written(sample_workspace, tmp_path / "out")


def test_created_time_keeps_its_time_zone(sample_workspace, tmp_path):
    from datetime import timedelta, timezone

    moment = datetime(2026, 11, 20, 8, 30, tzinfo=timezone(timedelta(hours=7)))
    result = export_package(sample_workspace, "2026", tmp_path / "out", now=moment)
    with zipfile.ZipFile(result.path) as zf:
        assert json.loads(zf.read("manifest.json"))["created_at"] == "2026-11-20T08:30:00+07:00"


def test_cli_export_prints_the_path_and_verify_accepts_it(sample_workspace, db_path, tmp_path, capsys):
    sample_workspace.close()
    assert run_cli(["export", "--period", "2026", "--out", str(tmp_path / "d"), "--db", str(db_path)]) == 0
    out = capsys.readouterr().out.strip()
    assert out == str(tmp_path / "d" / "SXD_2026_v1.zip")
    assert run_cli(["verify", out]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("Gói hợp lệ: Sở Xây dựng (DLK-SXD), kỳ 2026, phiên bản 1") and "\n" not in line
    assert run_cli(["export", "--period", "2026", "--out", str(tmp_path / "d"), "--db", str(db_path)]) == 1
    assert "đã gửi báo cáo" in capsys.readouterr().err
    assert run_cli(["reopen", "--period", "2026", "--db", str(db_path)]) == 0
    assert "phiên bản 2" in capsys.readouterr().out
    assert run_cli(["exports", "--db", str(db_path)]) == 0
    assert "SXD_2026_v1.zip" in capsys.readouterr().out
