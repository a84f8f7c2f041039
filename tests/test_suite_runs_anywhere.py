"""The test suite itself: collected whole from any folder, and each test's sample database its own copy."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_whole_suite_is_collected_from_another_folder(tmp_path):
    elsewhere = tmp_path / "somewhere-else"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_ADDOPTS")}
    result = subprocess.run([sys.executable, "-m", "pytest", str(ROOT / "tests"), "--collect-only", "-q",
                             "-p", "no:cacheprovider"], cwd=elsewhere, env=env, capture_output=True, text=True,
                            timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert not re.search(r"\berrors?\b", output.splitlines()[-1]), output[-3000:]
    collected = int(re.search(r"(\d+) tests? collected", output).group(1))
    assert collected > 800, output[-3000:]
    assert "tests/test_suite_runs_anywhere.py::test_the_whole_suite_is_collected_from_another_folder" in output


def test_each_test_gets_its_own_copy_of_the_sample_database(sample_db, tmp_path):
    import sqlite3

    from sample_helpers import fresh_database

    other = fresh_database(tmp_path / "other.sqlite3")
    with sqlite3.connect(sample_db) as conn:
        conn.execute("UPDATE task SET content = 'chỉ trong bản này' WHERE number = '1'")
    conn.close()
    with sqlite3.connect(other) as conn:
        rows = conn.execute("SELECT number, content FROM task ORDER BY position").fetchall()
    conn.close()
    assert len(rows) == 9 and rows[0][0] == "1" and rows[0][1] != "chỉ trong bản này"
    with sqlite3.connect(fresh_database(tmp_path / "empty.sqlite3", sample=False)) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    conn.close()
