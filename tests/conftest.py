"""Shared test set-up: Qt offscreen, a fixed 'today', and databases built by each test."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2026, 11, 22)


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
