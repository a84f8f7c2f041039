"""The receiving side: import (round trip, supersession, idempotence, per-file results) and consolidation."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from db.models import AuditEntry, Department, Submission
from desktop.errors import InvalidInputError
from desktop.services.bundles import export_package, import_bundles, list_submissions, reopen_period
from desktop.services.collect import collect, set_expected_unit
from desktop.services.progress import record_progress
from sample_helpers import fresh_database
from desktop.services.workspace import Workspace
from tests.bundle_helpers import file_listing, prepare_sample, run_cli


def _sender(folder, today, unit=None):
    """A sample database (optionally another unit) with progress and evidence; returns its workspace."""
    folder.mkdir(parents=True)
    fresh_database(folder / "khbc.sqlite3")
    workspace = Workspace.open(folder / "khbc.sqlite3")
    if unit:
        with workspace.unit_of_work() as session:
            dept = session.scalar(select(Department))
            dept.unit_code, dept.name, dept.name_in_text, dept.abbreviation = unit
    prepare_sample(workspace, folder)
    return workspace


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """v1 and v2 of Sở Xây dựng (made 22/11), a v1 made late (15/12), and Sở Y tế's v1."""
    root = tmp_path_factory.mktemp("packages")
    made = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        sxd = _sender(root / "sxd", "2026-11-22")
        made["v1"] = export_package(sxd, "2026", root / "out").path
        reopen_period(sxd, "2026", "bổ sung")
        with sxd.unit_of_work() as session:
            record_progress(session, "2026", "3", "done", result="Đã rà soát ATTT toàn bộ hệ thống.")
        made["v2"] = export_package(sxd, "2026", root / "out").path
        sxd.close()
        syt = _sender(root / "syt", "2026-11-22", ("DLK-SYT", "SỞ Y TẾ", "Sở Y tế", "SYT"))
        made["syt"] = export_package(syt, "2026", root / "out").path
        syt.close()
        mp.setenv("KHBC_TODAY", "2026-12-15")
        late = _sender(root / "late", "2026-12-15")
        made["late"] = export_package(late, "2026", root / "late-out").path
        late.close()
    return made


@pytest.fixture
def receiver(tmp_path):
    """The collecting office's own database, empty (a provincial collector with no plan of its own)."""
    workspace = Workspace.open(tmp_path / "recv" / "khbc.sqlite3")
    yield workspace
    workspace.close()


def _counts(workspace):
    with workspace.unit_of_work() as session:
        return session.scalar(select(func.count(Submission.id))), session.scalar(select(func.count(AuditEntry.id)))


def test_round_trip_stores_the_same_data(packages, receiver, tmp_path):
    [outcome] = import_bundles(receiver, [packages["v1"]])
    assert (outcome.status, outcome.unit_code, outcome.version) == ("imported", "DLK-SXD", 1)
    package = packages["v1"].read_bytes()
    with zipfile.ZipFile(packages["v1"]) as zf:
        data = json.loads(zf.read("data.json"))
        manifest = json.loads(zf.read("manifest.json"))
    with receiver.unit_of_work() as session:
        row = session.scalar(select(Submission))
        assert row.data == data
        assert (row.unit_code, row.unit_name, row.period_code, row.version, row.is_current) == \
            ("DLK-SXD", "Sở Xây dựng", "2026", 1, True)
        assert row.package_sha256 == hashlib.sha256(package).hexdigest()
        assert row.deadline == date(2026, 12, 10) and row.file_name == "SXD_2026_v1.zip"
    tasks = {t["number"]: t for t in data["tasks"]}
    assert tasks["2"]["progress"]["result"] == "Tổ chức 02 hội nghị tuyên truyền."
    assert manifest["created_at"] == data["submission"]["created_at"]
    sha = hashlib.sha256(package).hexdigest()
    assert (tmp_path / "recv" / "packages" / sha[:2] / f"{sha}.zip").read_bytes() == package


def test_importing_the_same_file_again_changes_nothing(packages, receiver, tmp_path):
    import_bundles(receiver, [packages["v1"]])
    before = (_counts(receiver), file_listing(tmp_path))
    [outcome] = import_bundles(receiver, [packages["v1"]])
    assert outcome.status == "duplicate" and "không thay đổi gì" in outcome.message
    assert (_counts(receiver), file_listing(tmp_path)) == before


@pytest.mark.parametrize("order", [("v1", "v2"), ("v2", "v1")])
def test_a_higher_version_supersedes_and_history_is_kept(packages, receiver, order):
    outcomes = import_bundles(receiver, [packages[name] for name in order])
    assert [o.status for o in outcomes] == (["imported", "imported"] if order[0] == "v1" else ["imported", "history"])
    rows = list_submissions(receiver, "2026")
    assert [(r.version, r.is_current) for r in rows] == [(1, False), (2, True)]
    with receiver.unit_of_work() as session:
        result = collect(session, "2026", date(2026, 11, 22))
    [report] = result.reports
    assert report.version == 2
    assert {t["number"]: t for t in report.tasks}["3"]["progress"]["result"] == "Đã rà soát ATTT toàn bộ hệ thống."


def test_another_package_with_the_same_version_is_refused(packages, receiver):
    import_bundles(receiver, [packages["v1"]])
    before = _counts(receiver)
    [outcome] = import_bundles(receiver, [packages["late"]])
    assert outcome.status == "rejected"
    assert "cùng phiên bản" in outcome.problems[0] and "phiên bản mới" in outcome.problems[0]
    assert _counts(receiver) == before


def test_several_files_are_reported_one_by_one(packages, receiver, tmp_path, capsys):
    junk = tmp_path / "rac.zip"
    junk.write_bytes(b"not a package")
    receiver.close()
    db = str(tmp_path / "recv" / "khbc.sqlite3")
    code = run_cli(["import-bundle", str(packages["v1"]), str(junk), str(packages["v1"]), str(packages["syt"]),
                    "--db", db])
    captured = capsys.readouterr()
    assert code == 2
    out = captured.out.splitlines()
    assert out[0].startswith("[ĐÃ NHẬN] SXD_2026_v1.zip: Đã nhận báo cáo của Sở Xây dựng (DLK-SXD), kỳ 2026")
    assert out[1].startswith("[ĐÃ CÓ] SXD_2026_v1.zip")
    assert out[2].startswith("[ĐÃ NHẬN] SYT_2026_v1.zip: Đã nhận báo cáo của Sở Y tế (DLK-SYT)")
    err = captured.err.splitlines()
    assert err[0] == "[TỪ CHỐI] rac.zip: Từ chối gói rac.zip."
    assert err[1].startswith("    - Tệp không phải gói ZIP hợp lệ")
    assert err[-1] == "1/4 gói bị từ chối."
    assert len(list_submissions(Workspace.open(db))) == 2


def _rows(path, sheet):
    return [tuple(row) for row in load_workbook(path)[sheet].iter_rows(values_only=True)]


def _unit_row(rows, name):
    return next(row for row in rows if row[1] == name)


def test_collect_xlsx_shows_the_unit_as_received_on_time(packages, receiver, tmp_path, capsys):
    import_bundles(receiver, [packages["v1"]])
    receiver.close()
    out = tmp_path / "tong-hop.xlsx"
    assert run_cli(["collect", "--period", "2026", "--format", "xlsx", "--out", str(out),
                    "--db", str(tmp_path / "recv" / "khbc.sqlite3")]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    rows = _rows(out, "Bieu01_GuiBaoCao")
    assert _unit_row(rows, "Sở Xây dựng")[2:] == ("DLK-SXD", "Đã gửi đúng hạn", "10/12/2026", "22/11/2026",
                                                  "22/11/2026", 1)  # a version number is stored as a number
    assert _unit_row(rows, "Tổng cộng")[3] == "Đã gửi 1/1; đúng hạn 1; muộn 0; chưa gửi 0"
    tasks = _rows(out, "Bieu03_NhiemVu")
    assert any(row[0] == "Sở Xây dựng (DLK-SXD), phiên bản 1" for row in tasks)
    assert any(row[1] == "Tuyên truyền bảo vệ trẻ em trên môi trường mạng trong toàn Sở"
               and row[5] == "Tổ chức 02 hội nghị tuyên truyền." for row in tasks)
    targets = _rows(out, "Bieu04_ChiTieu")
    assert sum(1 for row in targets if isinstance(row[0], int)) == 5  # TT numbers are numbers


def test_a_package_made_after_the_deadline_is_late(packages, receiver, tmp_path, monkeypatch):
    monkeypatch.setenv("KHBC_TODAY", "2026-12-20")  # received on 20/12
    import_bundles(receiver, [packages["late"]])
    from desktop.services.collect import write_collect

    path = write_collect(receiver, "2026", "xlsx", tmp_path / "t.xlsx", today=date(2026, 12, 20))
    row = _unit_row(_rows(path, "Bieu01_GuiBaoCao"), "Sở Xây dựng")
    assert row[3] == "Đã gửi muộn" and (row[5], row[6]) == ("15/12/2026", "20/12/2026")


def test_expected_units_give_missing_and_overdue(packages, receiver, tmp_path):
    set_expected_unit(receiver, "DLK-SXD", "Sở Xây dựng")
    set_expected_unit(receiver, "DLK-STC", "Sở Tài chính")
    import_bundles(receiver, [packages["v1"], packages["syt"]])
    with receiver.unit_of_work() as session:
        result = collect(session, "2026", date(2026, 11, 22))
        assert (result.expected, result.received, result.on_time, result.missing, result.unexpected) == (2, 1, 1, 1, 1)
        assert {u.unit_code: u.status for u in result.units} == \
            {"DLK-SXD": "on_time", "DLK-STC": "missing", "DLK-SYT": "on_time"}
        strict = collect(session, "2026", date(2026, 11, 22), deadline=date(2026, 11, 1))
        assert {u.unit_code: u.status for u in strict.units}["DLK-SXD"] == "late"
        after = collect(session, "2026", date(2026, 12, 11))
        assert {u.unit_code: u.status for u in after.units}["DLK-STC"] == "overdue"
    from desktop.services.collect import write_collect

    rows = _rows(write_collect(receiver, "2026", "xlsx", tmp_path / "t.xlsx", today=date(2026, 12, 11)),
                 "Bieu01_GuiBaoCao")
    assert _unit_row(rows, "Sở Tài chính")[3] == "Chưa gửi (đã quá hạn)"
    assert _unit_row(rows, "Sở Y tế")[3] == "Đã gửi đúng hạn (ngoài danh sách)"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_collect_pdf_reads_as_a_consolidated_report(packages, tmp_path):
    # Văn phòng Sở: the same sample plan, so the letterhead and the deadline come from its own database
    fresh_database(tmp_path / "vp.sqlite3")
    office = Workspace.open(tmp_path / "vp.sqlite3")
    try:
        import_bundles(office, [packages["v1"], packages["syt"]])
        from desktop.services.collect import write_collect

        pdf = write_collect(office, "2026", "pdf", tmp_path / "tong-hop.pdf", today=date(2026, 11, 22))
    finally:
        office.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert "SỞ XÂY DỰNG" in text and "BÁO CÁO" in text
    assert "Tổng hợp tình hình báo cáo của các đơn vị kỳ năm 2026" in flat
    assert "Chưa khai báo danh sách đơn vị phải báo cáo" in flat
    assert "Hạn gửi báo cáo theo kế hoạch: ngày 10/12/2026" in flat
    assert "Số đơn vị đã gửi báo cáo: 2/2 (100%)" in flat
    assert "BIỂU TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO" in flat
    assert "Sở Y tế" in flat and "Đã gửi đúng hạn" in flat
    assert "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ" in flat


def test_expect_unit_commands(receiver, tmp_path, capsys):
    receiver.close()
    db = str(tmp_path / "recv" / "khbc.sqlite3")
    assert run_cli(["expect-unit", "--db", db]) == 0
    assert "Chưa khai báo đơn vị phải báo cáo" in capsys.readouterr().out
    assert run_cli(["expect-unit", "--code", "DLK-SXD", "--name", "Sở Xây dựng", "--db", db]) == 0
    assert run_cli(["expect-unit", "--list", "--db", db]) == 0
    assert "DLK-SXD\tSở Xây dựng" in capsys.readouterr().out
    assert run_cli(["expect-unit", "--remove", "--code", "DLK-SXD", "--db", db]) == 0
    assert run_cli(["expect-unit", "--remove", "--code", "DLK-SXD", "--db", db]) == 1
    assert "không có trong danh sách" in capsys.readouterr().err


def test_an_invalid_period_code_is_explained(receiver):
    with pytest.raises(InvalidInputError, match="Mã kỳ báo cáo không hợp lệ"):
        with receiver.unit_of_work() as session:
            collect(session, "năm nay", date(2026, 11, 22))


def test_a_creation_time_after_arrival_counts_as_the_arrival_day(packages, receiver):
    # the late package claims 15/12 but arrives on 22/11 (the sender's clock was wrong): it is dated 22/11
    import_bundles(receiver, [packages["late"]])
    with receiver.unit_of_work() as session:
        [unit] = collect(session, "2026", date(2026, 11, 22)).units
    assert (unit.sent_on, unit.received_on, unit.status) == (date(2026, 11, 22), date(2026, 11, 22), "on_time")


def test_hostile_text_in_a_valid_package_prints_literally(packages, receiver, tmp_path):
    from desktop.services.collect import write_collect
    from tests.bundle_helpers import with_data

    formula = "=HYPERLINK(\"http://example.invalid\",\"bấm vào\")"

    def change(data):
        data["tasks"][1]["content"] = formula
        data["tasks"][1]["progress"]["result"] = "<b>đậm</b> & <img src=\"/etc/passwd\"/> \x07\x1b[31m"
    crafted = tmp_path / "SXD_2026_v1.zip"
    crafted.write_bytes(with_data(packages["v1"].read_bytes(), change))
    [outcome] = import_bundles(receiver, [crafted])
    assert outcome.status == "imported"
    xlsx = write_collect(receiver, "2026", "xlsx", tmp_path / "t.xlsx", today=date(2026, 11, 22))
    sheet = load_workbook(xlsx)["Bieu03_NhiemVu"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == formula)
    assert cell.data_type == "s"
    assert any(c.value and str(c.value).startswith("<b>đậm</b> & <img") for row in sheet.iter_rows() for c in row)
    write_collect(receiver, "2026", "docx", tmp_path / "t.docx", today=date(2026, 11, 22))
    if shutil.which("pdftotext"):
        pdf = write_collect(receiver, "2026", "pdf", tmp_path / "t.pdf", today=date(2026, 11, 22))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "<b>đậm</b>" in text


def _many_tasks(package: bytes, count: int, late_every: int, unit: tuple[str, str] | None = None) -> bytes:
    from tests.bundle_helpers import with_data

    def change(data):
        template = data["tasks"][1]
        first = data["tasks"][0]  # the task the sample's evidence file belongs to
        first["state"] = "late"
        tasks = [first]
        for index in range(1, count):
            task = json.loads(json.dumps(template))
            task["number"] = str(index + 1)
            task["content"] = f"Nhiệm vụ thử số {index + 1}"
            task["state"] = "late" if index % late_every == 0 else "due"
            tasks.append(task)
        data["tasks"] = tasks
        if unit:
            data["unit"]["code"], data["unit"]["name_in_text"] = unit
    raw = with_data(package, change)
    if not unit:
        return raw
    from tests.bundle_helpers import read_entries, reseal, write_zip

    entries = read_entries(raw)
    return write_zip(reseal(entries, lambda m: m.update(unit_code=unit[0], unit_name=unit[1])))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_large_collection_prints_a_summary_and_the_xlsx_keeps_every_task(packages, receiver, tmp_path):
    from desktop.services.collect import PRINTED_TASK_LIMIT, write_collect

    base = packages["v1"].read_bytes()
    sxd, syt = tmp_path / "SXD_2026_v1.zip", tmp_path / "SYT_2026_v1.zip"
    sxd.write_bytes(_many_tasks(base, 400, 10))
    syt.write_bytes(_many_tasks(base, 300, 25, ("DLK-SYT", "Sở Y tế")))
    assert [o.status for o in import_bundles(receiver, [sxd, syt])] == ["imported", "imported"]
    assert 700 > PRINTED_TASK_LIMIT
    pdf = write_collect(receiver, "2026", "pdf", tmp_path / "t.pdf", today=date(2026, 11, 22))
    flat = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "2 đơn vị đã gửi báo cáo với tổng số 700 nhiệm vụ" in flat and "chậm tiến độ 52." in flat
    assert "BIỂU TỔNG HỢP NHIỆM VỤ CHẬM TIẾN ĐỘ CỦA CÁC ĐƠN VỊ" in flat
    assert "Sở Xây dựng (DLK-SXD), phiên bản 1: 40 nhiệm vụ chậm tiến độ" in flat
    assert "… và 30 nhiệm vụ chậm tiến độ khác của đơn vị" in flat
    assert "Nhiệm vụ thử số 391" not in flat  # late, but beyond the ten printed per unit
    assert "Nhiệm vụ thử số 2 " not in flat  # not late: only in the XLSX
    xlsx = write_collect(receiver, "2026", "xlsx", tmp_path / "t.xlsx", today=date(2026, 11, 22))
    detail = _rows(xlsx, "Bieu03_NhiemVu")
    assert sum(1 for row in detail if row[1] and row[1].startswith("Nhiệm vụ thử số")) == 698  # + 2 sample tasks
    per_unit = {row[1]: row[3:8] for row in _rows(xlsx, "Bieu02_TheoDonVi")}
    assert per_unit["Sở Y tế"][0] == 300 and per_unit["Sở Y tế"][4] == 12  # counts are stored as numbers
    assert per_unit["Tổng cộng"][0] == 700 and per_unit["Tổng cộng"][4] == 52
