"""Every `khbc` command with hostile arguments: long path components, odd database URLs, folders for files, a closed
output pipe. Nothing ends in a traceback, nothing prints a library's English text or a database password.

The number of command lines tried is printed with -s (KHBC_FUZZ_EXAMPLES sets how many per command).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_fuzz_inputs import ARG_TEXT, LIKELY, _command_table

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("KHBC_FUZZ_EXAMPLES", "25"))
SECRET = "MatKhau-b1mat"
ENGLISH = re.compile(
    r"usage:|\bargument\b|\berror:|sqlalche\.me|Background on this error|disk I/O error|\[Errno|No such file|"
    r"Permission denied|File name too long|Read-only file system|No space left|Traceback|invalid choice|"
    r"expected one argument|unrecognized arguments|required:|Is a directory|Not a directory|"
    r"\b(?:Error|Exception)\b|" + SECRET)
TRIED: list[int] = [0]

LONG = "đ" * 130  # 260 bytes in UTF-8: longer than any file system allows for one name
ODD_DATABASES = ["mysql://nguoi:" + SECRET + "@localhost/khbc", "foo://x", "http://example.com/khbc",
                 f"postgresql+psycopg://nguoi:{SECRET}@127.0.0.1:1/khbc", f"postgresql://nguoi:{SECRET}@/khbc?host=/x",
                 "sqlite:///", "://", "sqlite:////khong/co/thu-muc/nay/k.sqlite3", "C:\\khbc.sqlite3", ""]


def _paths(folder: Path, db: Path) -> list[str]:
    return [str(folder / LONG), str(folder / LONG / "k.sqlite3"), LONG, str(folder), str(db), str(folder / "x.pdf"),
            "/proc/khong-ghi-duoc/x.zip", str(folder / "mot-tep.txt" / "con"), "/", "-", str(folder / "k.zip")]


@st.composite
def hostile_argvs(draw, table, name: str, folder: Path, db: Path):
    argv = [name]
    for action in table[name]:
        key = action.option_strings[0] if action.option_strings else action.dest
        if key != "--db" and not action.required and action.option_strings and not draw(st.booleans()):
            continue
        if key == "--db":
            value = draw(st.sampled_from([str(db)] * 4 + ODD_DATABASES + _paths(folder, db)))
        elif key in {"--out", "--xlsx", "file", "files"} or action.metavar in ("TỆP", "ĐƯỜNG_DẪN"):
            value = draw(st.sampled_from(_paths(folder, db)))
        elif action.choices and draw(st.integers(0, 3)):
            value = draw(st.sampled_from(sorted(action.choices)))
        elif key in LIKELY and draw(st.integers(0, 3)):
            value = draw(LIKELY[key])
        else:
            value = draw(ARG_TEXT)
        if action.nargs == 0:
            argv.append(key)
        elif action.option_strings:
            argv += [key, value]
        else:
            argv.append(value)
    if draw(st.integers(0, 4)) == 0:  # something argparse itself refuses
        argv.insert(draw(st.integers(1, len(argv))), draw(st.sampled_from(
            ["--khong-co", "--period", "--db", "-x", "--format=gif", "--limit=-3", "--id", "thua"])))
    return argv


@pytest.fixture
def hostile_cli(khbc_cli, sample_workspace, db_path, tmp_path, monkeypatch):
    sample_workspace.close()
    (tmp_path / "mot-tep.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    return khbc_cli, _command_table()


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nCLI fuzz: {TRIED[0]} hostile command lines tried")


COMMANDS = sorted(_command_table())


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_command_lines_end_in_vietnamese_never_a_traceback(hostile_cli, db_path, tmp_path, command, data):
    run, table = hostile_cli
    argv = data.draw(hostile_argvs(table, command, tmp_path, db_path))
    TRIED[0] += 1
    code, out, err = run(*argv)  # any exception escaping main() fails the test
    assert code in (0, 1, 2), (argv, code, err)
    shown = err if code else err + out[:2000]
    found = ENGLISH.search(shown)
    assert found is None, (argv, found.group(0), err[-600:])
    if code == 1:
        assert err.startswith("Lỗi: "), (argv, err)


@pytest.mark.parametrize("argv", [["tasks", "--json"], ["tasks"], ["periods", "--json"], ["--help"],
                                  ["audit", "--json"], ["backups", "--json"], ["timeframe", "Quý III/2026", "--json"]])
def test_a_closed_output_pipe_ends_quietly(sample_workspace, db_path, argv):
    """`khbc tasks --json | head -1`: the reader goes away; the command stops without a traceback."""
    sample_workspace.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KHBC_DB": str(db_path)}
    command = [sys.executable, "-m", "desktop.cli", *argv]
    shell = " ".join(f"'{part}'" for part in command) + " | head -c 10 >/dev/null"
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=120)
    assert result.stderr == "", result.stderr
