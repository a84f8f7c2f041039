"""A short run of the window stress test (tests/benchmarks/stress_close.py) in a child process: no crash on close."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

STRESS = Path(__file__).resolve().parent / "benchmarks" / "stress_close.py"


@pytest.mark.slow
def test_page_switches_edits_dialogs_and_closes_never_crash(tmp_path):
    spec = importlib.util.spec_from_file_location("stress_close", STRESS)
    stress_close = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(stress_close)
    totals = stress_close.stress(sys.executable, children=1, cycles=2, actions=60)
    assert totals["crashes"] == 0, totals["errors"]
    assert totals["actions"] == 120
    assert totals["closes"] == 2
