"""Packages at the edges of dates and periods: verify and import agree, and a refused package leaves nothing."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Submission
from desktop.bundle.verify import verify_bytes
from desktop.services.bundles import import_bundles
from desktop.services.workspace import Workspace
from tests.bundle_helpers import file_listing, read_entries, reseal, sample_package, write_zip


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        _db, path = sample_package(tmp_path_factory.mktemp("edges"))
    return path.read_bytes()


@pytest.fixture
def receiver(tmp_path):
    workspace = Workspace.open(tmp_path / "recv" / "khbc.sqlite3")
    yield workspace
    workspace.close()


def _edited(package: bytes, data_change=None, manifest_change=None) -> bytes:
    entries = read_entries(package)
    data = json.loads(entries["data.json"])
    if data_change:
        data_change(data)
    entries["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return write_zip(reseal(entries, manifest_change))


def _created(moment: str) -> tuple:
    def data(d):
        d["submission"]["created_at"] = moment

    def manifest(m):
        m["created_at"] = moment
    return data, manifest


def _period(code: str, kind: str, first: int, last: int) -> tuple:
    def data(d):
        d["period"].update(code=code, kind=kind, cutoff_start=f"{first:04d}-01-01", cutoff_end=f"{last:04d}-12-14",
                           span_start=f"{first:04d}-01-01", span_end=f"{last:04d}-12-31", deadline=None)

    def manifest(m):
        m["period_code"], m["deadline"] = code, None
    return data, manifest


def _counts(workspace):
    with workspace.unit_of_work() as session:
        return session.scalar(select(func.count(Submission.id))), session.scalar(select(func.count(AuditEntry.id)))


EDGES = {
    "latest representable moment": (_created("9999-12-31T23:59:59-14:00"), "thời điểm tạo gói"),
    "earliest representable moment": (_created("0001-01-01T00:00:00+14:00"), "thời điểm tạo gói"),
    "before 2000": (_created("1999-12-31T23:59:59+00:00"), "thời điểm tạo gói"),
    "after 2100": (_created("2101-01-01T08:00:00+07:00"), "thời điểm tạo gói"),
    "period 9999": (_period("9999", "year", 9999, 9999), "mã kỳ 9999 không phải kỳ báo cáo KHBC đọc được"),
    "period 0001": (_period("0001", "year", 1, 1), "mã kỳ 0001 không phải kỳ báo cáo KHBC đọc được"),
    "second half period": (_period("2026S2", "half", 2026, 2026), "mã kỳ 2026S2 không phải kỳ báo cáo"),
    "period after the plan": (_period("2031", "year", 2031, 2031), "nằm ngoài thời gian của kế hoạch"),
    "kind differs from code": (_period("2027", "half", 2027, 2027), "không khớp với loại kỳ"),
}


@pytest.mark.parametrize("case", EDGES)
def test_verify_refuses_what_import_could_not_use_and_nothing_is_left(package, case, receiver, tmp_path):
    (data_change, manifest_change), expected = EDGES[case]
    crafted = _edited(package, data_change, manifest_change)
    result = verify_bytes(crafted, "SXD_2026_v1.zip")
    assert not result.ok and any(expected in p for p in result.problems), result.problems
    path = tmp_path / "incoming" / "SXD_2026_v1.zip"
    path.parent.mkdir()
    path.write_bytes(crafted)
    before = file_listing(tmp_path)
    [outcome] = import_bundles(receiver, [path])
    assert outcome.status == "rejected" and any(expected in p for p in outcome.problems)
    assert _counts(receiver) == (0, 0)
    assert file_listing(tmp_path) == before  # no packages/<sha>.zip


@pytest.mark.parametrize("moment", ["2000-01-01T00:00:00+00:00", "2100-12-31T23:59:59+00:00",
                                    "2026-06-30T23:59:59-12:00", "2026-01-01T00:00:00+14:00"])
def test_moments_inside_the_range_are_received_and_collected(package, moment, receiver, tmp_path):
    data_change, manifest_change = _created(moment)
    path = tmp_path / "SXD_2026_v1.zip"
    path.write_bytes(_edited(package, data_change, manifest_change))
    assert verify_bytes(path.read_bytes(), path.name).ok
    [outcome] = import_bundles(receiver, [path])
    assert outcome.status == "imported", outcome.problems
    from datetime import date

    from desktop.services.collect import collect

    with receiver.unit_of_work() as session:
        [unit] = collect(session, "2026", date(2026, 11, 22)).units
    assert unit.sent_on is not None


def test_a_database_failure_after_storing_leaves_no_stored_package(package, receiver, tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    path = tmp_path / "incoming" / "SXD_2026_v1.zip"
    path.parent.mkdir()
    path.write_bytes(package)
    before = file_listing(tmp_path)

    def failing_commit(self):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
    monkeypatch.setattr(Session, "commit", failing_commit)
    try:
        outcomes = import_bundles(receiver, [path])
    except Exception:  # noqa: BLE001 - either way the package must not be kept
        outcomes = []
    monkeypatch.undo()
    assert all(o.status == "rejected" for o in outcomes)
    assert file_listing(tmp_path) == before
    assert _counts(receiver) == (0, 0)
    [outcome] = import_bundles(receiver, [path])  # and it is received normally once the database works
    assert outcome.status == "imported"
    assert any(name.endswith(".zip") and name.startswith("recv/") for name in file_listing(tmp_path) - before)
