"""Shared test set-up: Qt offscreen, a fixed 'today', and each test's own copy of the sample database."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

from sample_helpers import FOLDER_VARIABLE, fresh_database, template

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import desktop.ui  # noqa: E402,F401  (its guard must run before pytest-qt makes Qt calls)

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder(tmp_path_factory):
    """Screenshots that UI tests save for a person to look at go under pytest's temporary folders."""
    os.environ["KHBC_TEST_SHOTS"] = str(tmp_path_factory.mktemp("ui-shots"))


# Tests that kill and race real processes, timing their kills against the machine: under `pytest -n auto` they run
# one after another on one worker, so they never fight each other (the other workers run the rest meanwhile).
ONE_WORKER_FILES = ("tests/test_crash_kill.py", "tests/test_crash_restore_race.py", "tests/test_restore_race.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `load` distribution, except that the tests of ONE_WORKER_FILES form one unit, handed out
    first (the longest). (`--dist loadgroup` would do it from marks, but with pytest 9.2 it no longer groups.)"""
    if config.getvalue("dist") != "load":
        return None  # a distribution asked for by name is left as it is
    from xdist.scheduler import LoadScopeScheduling

    class OneWorkerForKills(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "real-process-kills" if nodeid.startswith(ONE_WORKER_FILES) else nodeid

    return OneWorkerForKills(config, log)


def pytest_sessionstart(session):
    """Hypothesis keeps its example database and caches under pytest's temporary folders, not ./.hypothesis."""
    from hypothesis.configuration import set_hypothesis_home_dir

    folder = session.config._tmp_path_factory.mktemp("hypothesis")  # what the tmp_path_factory fixture returns
    os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(folder)  # and for the pytest processes tests start
    set_hypothesis_home_dir(folder)


@pytest.fixture(scope="session", autouse=True)
def _template_folder(tmp_path_factory):
    """The sample database is built once per session there (tests/sample_helpers.py), under pytest's folders."""
    os.environ[FOLDER_VARIABLE] = str(tmp_path_factory.mktemp("templates"))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the real user data folder or depends on the real date."""
    monkeypatch.setenv("KHBC_TODAY", TODAY.isoformat())
    monkeypatch.delenv("KHBC_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # Temporary files, caches and settings of the program, of Qt and of the processes a test starts stay in the
    # test's own folder too (the suite writes nothing outside pytest's temporary folders).
    scratch = tmp_path.with_name(tmp_path.name + "-tmp")  # beside tmp_path: tests that list their folder see no extra
    scratch.mkdir(exist_ok=True)
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "khbc.sqlite3"


@pytest.fixture(scope="session")
def _sample_template(_template_folder) -> Path:
    """Build the sample database before any test's own set-up runs, in the same environment a test has."""
    folder = Path(os.environ[FOLDER_VARIABLE])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KHBC_TODAY", TODAY.isoformat())
        patch.delenv("KHBC_DB", raising=False)
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg-data"))
        patch.setenv("HOME", str(folder / "home"))
        return template(sample=True)


@pytest.fixture
def sample_db(db_path, _sample_template) -> Path:
    """A fresh database file holding the sample plan (as `khbc init --sample` leaves it), this test's own copy."""
    return fresh_database(db_path)


@pytest.fixture
def sample_workspace(sample_db):
    """A workspace on a fresh database holding the sample plan."""
    from desktop.services.workspace import Workspace

    workspace = Workspace.open(sample_db)
    yield workspace
    workspace.close()


@pytest.fixture
def khbc_cli(capsys):
    """Run `khbc ARGV…` in-process; returns (exit code, stdout, stderr). An argparse refusal counts as its exit code."""
    from desktop import cli

    def invoke(*argv: str) -> tuple[int, str, str]:
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return invoke


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server the tests may use (KHBC_TEST_POSTGRES, a SQLAlchemy URL); skips when none is set."""
    url = os.environ.get("KHBC_TEST_POSTGRES", "").strip()
    if not url:
        pytest.skip("no PostgreSQL server configured: set KHBC_TEST_POSTGRES="
                    "postgresql+psycopg://USER:PASSWORD@localhost/DB to run these tests")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is not installed (pip install psycopg[binary])")
    return url


@pytest.fixture
def postgres_url(postgres_server_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards; yields its URL."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"khbc_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"cannot create a test database on the PostgreSQL server: {exc}")
    try:
        yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        _drop_database(admin, name)
        admin.dispose()


def _drop_database(admin, name: str) -> None:
    """DROP … WITH (FORCE), again while the server's own autovacuum worker is on it: a role that is not superuser
    may not end that process, and the drop fails for a moment (seen under pytest -n, two test databases at work)."""
    import time

    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    deadline = time.monotonic() + 30
    while True:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except (OperationalError, ProgrammingError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)  # the autovacuum worker finishes its table on its own
