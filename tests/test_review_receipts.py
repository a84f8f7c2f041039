"""Review and receipts: accept or return (with a reason), the receipt package, the sender importing it, hostile ones."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, ExportReceipt, Submission
from desktop.bundle.receipt import verify_receipt_file
from desktop.errors import InvalidInputError
from desktop.services.bundles import export_package, import_bundles, list_exports
from desktop.services.review import import_receipt, list_receipts, review_submission
from desktop.services.setup import initialise
from desktop.services.workspace import Workspace
from tests.bundle_helpers import RawEntry, prepare_sample, raw_zip, read_entries, run_cli, write_zip


@pytest.fixture
def chain(tmp_path, monkeypatch):
    """A sending unit (the sample Sở) that exported 2026 v1, and a receiving office that imported it."""
    monkeypatch.setenv("KHBC_TODAY", "2026-11-22")
    (tmp_path / "sender").mkdir()
    initialise(str(tmp_path / "sender" / "khbc.sqlite3"), sample=True)
    sender = Workspace.open(tmp_path / "sender" / "khbc.sqlite3")
    prepare_sample(sender, tmp_path / "sender")
    package = export_package(sender, "2026", tmp_path / "out").path
    receiver = Workspace.open(tmp_path / "recv" / "khbc.sqlite3")
    assert [o.status for o in import_bundles(receiver, [package])] == ["imported"]
    yield sender, receiver, package
    sender.close()
    receiver.close()


def _audit(workspace, entity):
    with workspace.unit_of_work() as session:
        return session.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).all()


def _counts(workspace):
    with workspace.unit_of_work() as session:
        return (session.scalar(select(func.count(ExportReceipt.id))), session.scalar(select(func.count(AuditEntry.id))))


def test_a_return_needs_a_reason_and_changes_nothing_without_one(chain, tmp_path):
    _sender, receiver, _package = chain
    with pytest.raises(InvalidInputError, match="lý do"):
        review_submission(receiver, "DLK-SXD", "2026", "returned", "   ", out_dir=tmp_path / "r")
    with receiver.unit_of_work() as session:
        assert session.scalar(select(Submission.review_status)) == "pending"
    assert not (tmp_path / "r").exists()
    assert run_cli(["review", "return", "--unit", "DLK-SXD", "--period", "2026", "--db",
                    str(tmp_path / "recv" / "khbc.sqlite3")]) == 1


def test_returned_then_resent_then_accepted(chain, tmp_path, capsys):
    sender, receiver, _package = chain
    receiver_db, sender_db = str(tmp_path / "recv" / "khbc.sqlite3"), str(tmp_path / "sender" / "khbc.sqlite3")
    assert run_cli(["review", "return", "--unit", "DLK-SXD", "--period", "2026", "--reason",
                    "Thiếu số liệu chỉ tiêu 2", "--out", str(tmp_path / "receipts"), "--db", receiver_db]) == 0
    assert "Đã trả lại báo cáo của Sở Xây dựng" in capsys.readouterr().out
    returned = tmp_path / "receipts" / "BienNhan_DLK-SXD_2026_v1.zip"
    check = verify_receipt_file(returned)
    assert check.ok and check.receipt.decision == "returned" and check.receipt.reason == "Thiếu số liệu chỉ tiêu 2"

    assert run_cli(["receipt-import", str(returned), "--db", sender_db]) == 0
    out = capsys.readouterr().out
    assert "Bị trả lại ngày" in out and "Thiếu số liệu chỉ tiêu 2" in out and "phiên bản 2" in out
    assert run_cli(["receipt-import", str(returned), "--db", sender_db]) == 0
    assert "[ĐÃ CÓ]" in capsys.readouterr().out
    assert [r.describe() for r in list_receipts(sender)] == ["Bị trả lại: Thiếu số liệu chỉ tiêu 2"]

    v2 = export_package(sender, "2026", tmp_path / "out")  # reopened by the receipt: bổ sung is allowed
    assert v2.version == 2
    assert [o.status for o in import_bundles(receiver, [v2.path])] == ["imported"]
    assert run_cli(["review", "accept", "--unit", "DLK-SXD", "--period", "2026", "--db", receiver_db]) == 0
    assert run_cli(["receipt-export", "--unit", "DLK-SXD", "--period", "2026", "--out", str(tmp_path / "receipts"),
                    "--db", receiver_db]) == 0
    accepted = tmp_path / "receipts" / "BienNhan_DLK-SXD_2026_v2.zip"
    capsys.readouterr()
    assert run_cli(["receipt-import", str(accepted), "--db", sender_db]) == 0
    assert "Đã tiếp nhận ngày 22/11/2026" in capsys.readouterr().out
    assert run_cli(["receipts", "--db", sender_db]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[-1].endswith("Đã tiếp nhận ngày 22/11/2026") and "| v2 |" in listing[-1]

    # both audit trails hold every step
    receiver_steps = [(a.action, a.field, a.new_value) for a in _audit(receiver, "submission")]
    assert ("update", "review_status", "returned") in receiver_steps
    assert ("update", "review_status", "accepted") in receiver_steps
    assert sum(1 for a in receiver_steps if a[1] == "receipt") == 2
    sender_receipts = [a.new_value for a in _audit(sender, "export_receipt")]
    assert len(sender_receipts) == 2 and "Thiếu số liệu chỉ tiêu 2" in sender_receipts[0]
    reopen = [a.new_value for a in _audit(sender, "period") if a.action == "reopen"]
    assert reopen and "bị trả lại" in reopen[-1]


def test_an_old_version_and_a_second_decision_are_refused(chain, tmp_path):
    _sender, receiver, _package = chain
    review_submission(receiver, "DLK-SXD", "2026", "accepted")
    with pytest.raises(InvalidInputError, match="đã được xem xét"):
        review_submission(receiver, "DLK-SXD", "2026", "returned", "đổi ý")


def _receipt(chain, tmp_path):
    _sender, receiver, _package = chain
    result = review_submission(receiver, "DLK-SXD", "2026", "returned", "Thiếu minh chứng", out_dir=tmp_path / "rc")
    return result.receipt_path.read_bytes()


def _resealed(entries: dict[str, bytes]) -> bytes:
    manifest = json.loads(entries["manifest.json"])
    content = entries["receipt.json"]
    manifest["files"][0].update(size=len(content), sha256=hashlib.sha256(content).hexdigest())
    return write_zip({"manifest.json": json.dumps(manifest).encode(), "receipt.json": content})


def _edited(package: bytes, change) -> bytes:
    entries = read_entries(package)
    value = json.loads(entries["receipt.json"])
    change(value)
    entries["receipt.json"] = json.dumps(value, ensure_ascii=False).encode()
    return _resealed(entries)


HOSTILE = {
    "tampered": lambda p: write_zip({**read_entries(p), "receipt.json": read_entries(p)["receipt.json"].replace(
        "Thiếu minh chứng".encode(), "Thiếu minh chúng".encode())}),
    "no-reason": lambda p: _edited(p, lambda v: v.update(reason="")),
    "other-unit": lambda p: _edited(p, lambda v: v["report"].update(unit_code="DLK-SYT")),
    "other-package": lambda p: _edited(p, lambda v: v["report"].update(package_sha256="0" * 64)),
    "extra-file": lambda p: write_zip({**read_entries(p), "evil.exe": b"MZ"}),
    "traversal": lambda p: raw_zip([RawEntry(b"manifest.json", read_entries(p)["manifest.json"]),
                                    RawEntry(b"../receipt.json", read_entries(p)["receipt.json"])]),
    "report-package": None,  # a report package is not a receipt
    "not-zip": lambda p: b"PK\x03\x04 this is not a zip",
    "huge": lambda p: write_zip({"manifest.json": read_entries(p)["manifest.json"],
                                 "receipt.json": b" " * 300_000}),
    "bad-date": lambda p: _edited(p, lambda v: v.update(decided_at="2026-02-30T10:00:00+07:00")),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_receipts_are_refused_before_any_write(chain, tmp_path, kind):
    sender, _receiver, package = chain
    good = _receipt(chain, tmp_path)
    bad = tmp_path / f"hostile-{kind}.zip"
    bad.write_bytes(package.read_bytes() if HOSTILE[kind] is None else HOSTILE[kind](good))
    before = _counts(sender)
    outcome = import_receipt(sender, bad)
    assert outcome.status == "rejected" and outcome.problems
    assert all(p and "Traceback" not in p for p in outcome.problems)
    assert _counts(sender) == before
    assert [e.version for e in list_exports(sender)] == [1]  # and the period stays locked (not reopened)
    with pytest.raises(Exception, match="đã gửi"):
        export_package(sender, "2026", tmp_path / "out2")


def test_the_written_receipt_is_a_plain_two_file_zip(chain, tmp_path):
    data = _receipt(chain, tmp_path)
    (tmp_path / "r.zip").write_bytes(data)
    with zipfile.ZipFile(tmp_path / "r.zip") as zf:
        assert sorted(zf.namelist()) == ["manifest.json", "receipt.json"]
        value = json.loads(zf.read("receipt.json"))
    assert value["format"] == "khbc-receipt/1" and value["decision"] == "returned"
    assert value["report"]["unit_code"] == "DLK-SXD" and value["report"]["version"] == 1
