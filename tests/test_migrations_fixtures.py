"""Migrations, proven: each released schema's fixture upgrades with its data intact; a failed upgrade changes nothing."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

import db.migrate
from db.migrate import MigrationFailedError
from desktop.services.backup import list_backups
from desktop.services.workspace import Workspace
from tests.conftest import TODAY
from tests.safety_helpers import file_sha256, fingerprint, integrity, query, scalar

SCHEMAS = Path(__file__).resolve().parent / "fixtures" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("khbc-*.sqlite3"))

# A later schema revision (after the head) as a future release might write it: it rebuilds the task table (SQLite cannot drop or
# alter a column in place), which is where foreign keys with ON DELETE CASCADE could silently take progress along.
REBUILD = '''
"""Test revision: rebuild task with a new column, fill it."""
from alembic import op
import sqlalchemy as sa

revision = "9999"
down_revision = "PREVIOUS"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("task", recreate="always") as batch:
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=True))
    op.execute("UPDATE task SET priority = position")
    STEP
'''


def _copy(fixture: Path, tmp_path: Path) -> Path:
    target = tmp_path / "khbc.sqlite3"
    shutil.copyfile(fixture, target)
    return target


def _as_written_by_the_program(path: Path) -> None:
    """Put the file in WAL mode, as KHBC keeps its databases, so that only real changes alter its bytes."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()


@pytest.fixture
def future_revision(tmp_path, monkeypatch):
    """Install a copy of the migrations plus test revision 9999 after the real head (its last step is given)."""

    def install(step: str = "pass") -> None:
        folder = tmp_path / "migrations"
        shutil.copytree(db.migrate.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        script = REBUILD.replace("STEP", step).replace("PREVIOUS", db.migrate.HEAD_REVISION)
        (folder / "versions" / "9999_test_rebuild_task.py").write_text(script, encoding="utf-8")
        monkeypatch.setattr(db.migrate, "MIGRATIONS_DIR", folder)
        monkeypatch.setattr(db.migrate, "HEAD_REVISION", "9999")

    return install


def test_there_is_a_fixture_for_the_current_schema():
    assert SCHEMAS / f"khbc-{db.migrate.HEAD_REVISION}.sqlite3" in FIXTURES


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_released_schema_upgrades_with_every_row_intact(fixture, tmp_path):
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    path = _copy(fixture, tmp_path)
    workspace = Workspace.open(path)
    try:
        from desktop.services.documents import report_document
        from desktop.services.queries import list_tasks

        with workspace.unit_of_work() as session:
            tasks = {row.number: row for row in list_tasks(session, "2026S1", TODAY)}
            doc = report_document(session, "2026S1", TODAY)
    finally:
        workspace.close()
    assert scalar(path, "SELECT version_num FROM alembic_version") == db.migrate.HEAD_REVISION
    assert integrity(path) == ["ok"] and query(path, "PRAGMA foreign_key_check") == []
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        for table, rows in expected.items():
            if table == "alembic_version":
                continue
            now = {tuple(r)[0]: dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')}
            assert len(now) == len(rows), table
            for row in rows:
                current = now[next(iter(row.values()))]
                assert {k: v for k, v in row.items() if k in current} == {k: current[k] for k in row}, table
    finally:
        conn.close()
    assert tasks["1"].result == "Đã ban hành Kế hoạch số 120/KH-SXD." and tasks["3"].status == "in_progress"
    assert "Đề nghị UBND tỉnh bố trí kinh phí." in json.dumps(doc, default=lambda o: getattr(o, "__dict__", str(o)),
                                                              ensure_ascii=False)


def test_an_upgrade_backs_up_first_and_keeps_every_row(future_revision, tmp_path):
    future_revision()
    path = _copy(SCHEMAS / "khbc-0001.sqlite3", tmp_path)
    before = fingerprint(path)
    progress = query(path, "SELECT * FROM progress ORDER BY id")
    Workspace.open(path).close()
    assert scalar(path, "SELECT version_num FROM alembic_version") == "9999"
    assert query(path, "SELECT * FROM progress ORDER BY id") == progress  # nothing cascaded away with the rebuild
    assert query(path, "SELECT count(*) FROM evidence")[0][0] == 1
    assert query(path, "SELECT number FROM task WHERE priority IS NULL") == []
    assert integrity(path) == ["ok"] and query(path, "PRAGMA foreign_key_check") == []
    saved = list_backups(path)
    assert [r.reason for r in saved] == ["pre-migrate"]
    assert fingerprint(saved[0].path) == before
    assert scalar(saved[0].path, "SELECT version_num FROM alembic_version") == "0001"
    workspace = Workspace.open(path)  # and the program's own connections still enforce foreign keys
    try:
        with workspace.database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        workspace.close()


def test_a_failed_upgrade_leaves_the_file_byte_for_byte_as_it_was(future_revision, tmp_path):
    future_revision('raise RuntimeError("bước nâng cấp thử nghiệm bị lỗi")')
    path = _copy(SCHEMAS / "khbc-0001.sqlite3", tmp_path)
    _as_written_by_the_program(path)
    before = file_sha256(path)
    with pytest.raises(MigrationFailedError) as caught:
        Workspace.open(path)
    message = caught.value.message
    assert message.startswith("Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC.")
    assert "Dữ liệu vẫn được giữ nguyên như trước khi nâng cấp." in message and "bước nâng cấp thử nghiệm" in message
    assert caught.value.intact and caught.value.backup is not None and str(caught.value.backup) in message
    assert file_sha256(path) == before
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    assert scalar(path, "SELECT version_num FROM alembic_version") == "0001"


def test_an_upgrade_that_committed_half_way_is_put_back_from_its_backup(future_revision, tmp_path):
    # A step that ends the transaction itself (as some DDL does on other databases) and then fails.
    future_revision('op.get_bind().exec_driver_sql("COMMIT"); op.get_bind().exec_driver_sql("BEGIN"); '
                    'raise RuntimeError("hỏng sau khi đã ghi")')
    path = _copy(SCHEMAS / "khbc-0001.sqlite3", tmp_path)
    before = fingerprint(path)
    with pytest.raises(MigrationFailedError, match="đã được đưa về nguyên trạng từ bản sao lưu") as caught:
        Workspace.open(path)
    assert caught.value.intact
    assert fingerprint(path) == before and integrity(path) == ["ok"]
    assert "priority" not in {r[1] for r in query(path, "PRAGMA table_info(task)")}


def test_a_new_empty_database_is_not_backed_up_before_its_first_migration(db_path):
    Workspace.open(db_path).close()
    assert list_backups(db_path) == []
