"""Stable task and plan identifiers: filled by migration 0003 for existing rows, given to every new task."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from desktop.services import appendix
from desktop.services.queries import list_tasks
from desktop.services.workspace import Workspace
from tests.conftest import TODAY
from tests.safety_helpers import query

FIXTURE_0001 = Path(__file__).resolve().parent / "fixtures" / "schemas" / "khbc-0001.sqlite3"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def test_upgrading_a_0001_database_gives_every_plan_and_task_its_own_uid(tmp_path):
    path = tmp_path / "khbc.sqlite3"
    shutil.copyfile(FIXTURE_0001, path)
    tasks_before = query(path, "SELECT id, content FROM task ORDER BY id")
    Workspace.open(path).close()
    tasks = query(path, "SELECT id, content, uid, upper_uid, upper_state FROM task ORDER BY id")
    assert [(t[0], t[1]) for t in tasks] == tasks_before
    uids = [t[2] for t in tasks] + [p[0] for p in query(path, "SELECT uid FROM plan")]
    assert all(HEX32.match(u) for u in uids) and len(set(uids)) == len(uids)
    assert {(t[3], t[4]) for t in tasks} == {(None, "")}
    assert query(path, "SELECT upper_plan_uid, upper_version, package_version, package_digest FROM plan") == [
        (None, None, 0, "")]


def test_a_new_task_gets_a_uid_and_task_rows_carry_it(sample_workspace):
    with sample_workspace.unit_of_work() as session:
        appendix.add_task(session, "Nhiệm vụ mới thêm tay")
    with sample_workspace.unit_of_work() as session:
        rows = list_tasks(session, None, TODAY)
    assert all(HEX32.match(r.uid) for r in rows) and len({r.uid for r in rows}) == len(rows)
    assert all(r.upper_uid is None for r in rows)
