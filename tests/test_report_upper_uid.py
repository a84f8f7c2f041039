"""Report package 1.1: tasks carry the upper plan's task uid; 1.0 packages (without it) are still accepted."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from db.models import SubmissionTask
from desktop.bundle.verify import verify_bytes
from desktop.services.bundles import import_bundles
from desktop.services.workspace import Workspace
from tests.bundle_helpers import read_entries, sample_package, with_data


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    return sample_package(tmp_path_factory.mktemp("uid"))[1].read_bytes()


def _linked(data):
    for i, task in enumerate(data["tasks"]):
        task["upper_uid"] = f"{i:032x}"


def test_a_new_package_says_its_minor_version_and_an_unlinked_plan_carries_no_uid(package):
    data = json.loads(read_entries(package)["data.json"])
    assert data["format_version"] == "1.1"
    assert all("upper_uid" not in task for task in data["tasks"])  # the sample plan came from no upper level


def test_a_10_package_without_the_new_fields_still_verifies(package):
    def as_10(data):
        data.pop("format_version")
        for task in data["tasks"]:
            task.pop("upper_uid", None)

    assert verify_bytes(with_data(package, as_10), "SXD_2026_v1.zip").ok


@pytest.mark.parametrize("bad", ["", "../x", "a" * 65, "ký-tự", 7])
def test_a_malformed_uid_is_refused(package, bad):
    def change(data):
        data["tasks"][0]["upper_uid"] = bad

    result = verify_bytes(with_data(package, change), "SXD_2026_v1.zip")
    assert not result.ok and any("upper_uid" in p for p in result.problems)


def test_an_unknown_minor_version_is_refused(package):
    result = verify_bytes(with_data(package, lambda d: d.update(format_version="1.9")), "SXD_2026_v1.zip")
    assert not result.ok and any("format_version" in p for p in result.problems)


def test_the_receiver_keeps_what_was_reported_per_upper_task(package, tmp_path):
    path = tmp_path / "SXD_2026_v1.zip"
    path.write_bytes(with_data(package, _linked))
    receiver = Workspace.open(tmp_path / "recv.sqlite3")
    try:
        assert [o.status for o in import_bundles(receiver, [path])] == ["imported"]
        with receiver.unit_of_work() as session:
            rows = session.scalars(select(SubmissionTask).order_by(SubmissionTask.id)).all()
            assert [(r.upper_uid, r.number, r.status) for r in rows] == [
                (f"{0:032x}", "1", "done"), (f"{1:032x}", "2", "in_progress")]  # only tasks with an entry
            assert rows[0].evidence == ["Số 15/SXD-VP: Về việc triển khai Kế hoạch"]
            assert session.scalar(select(func.count(SubmissionTask.id))) == 2
    finally:
        receiver.close()
