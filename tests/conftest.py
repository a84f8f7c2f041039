"""Shared test set-up: Qt offscreen, a fixed 'today', and databases built by each test."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import desktop.ui  # noqa: E402,F401  (its guard must run before pytest-qt makes Qt calls)

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="session", autouse=True)
def _screenshot_folder(tmp_path_factory):
    """Screenshots that UI tests save for a person to look at go under pytest's temporary folders."""
    os.environ["KHBC_TEST_SHOTS"] = str(tmp_path_factory.mktemp("ui-shots"))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """No test reads the real user data folder or depends on the real date."""
    monkeypatch.setenv("KHBC_TODAY", TODAY.isoformat())
    monkeypatch.delenv("KHBC_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "khbc.sqlite3"


@pytest.fixture
def sample_workspace(db_path):
    """A workspace on a fresh database holding the sample plan."""
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace

    initialise(str(db_path), sample=True)
    workspace = Workspace.open(db_path)
    yield workspace
    workspace.close()


@pytest.fixture
def khbc_cli(monkeypatch, capsys):
    """Run `khbc ARGV…` in-process; returns (exit code, stdout, stderr). An argparse refusal counts as its exit code.

    The data-safety commands (desktop/cli_safety.py) are added here when desktop/cli.py does not wire them yet.
    """
    import argparse
    import inspect

    from desktop import cli

    if "cli_safety" not in inspect.getsource(cli):
        from desktop.cli_safety import SAFETY_COMMANDS, add_safety_commands

        build, run = cli.build_parser, cli._run

        def build_parser():
            parser = build()
            sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            add_safety_commands(sub, cli._db_option)
            return parser

        def dispatch(args):
            if args.command in SAFETY_COMMANDS:
                return SAFETY_COMMANDS[args.command](args)
            return run(args)

        monkeypatch.setattr(cli, "build_parser", build_parser)
        monkeypatch.setattr(cli, "_run", dispatch)

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
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
