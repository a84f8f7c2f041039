"""A restore running at the same time as each writing command, both killed at random moments: no write the command
reported done is lost. It is either in the data or, when a restore came after it, in the copy that restore kept.

Seed and rounds per command: KHBC_CRASH_SEED, KHBC_RACE_ROUNDS.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.safety_helpers import integrity, query
from tests.test_crash_kill import SEED, Zygote, _wait_gone

ROUNDS = int(os.environ.get("KHBC_RACE_ROUNDS", "5"))
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="real processes forked by a zygote (Linux)")

# Each writer runs its command again and again, as a clerk's scripts would, each time opening the data afresh
# (as a `khbc` command does); "SAVED <token>" is printed only after the command returned.
WRITERS = {
    "progress": """
    with workspace.unit_of_work() as session:
        record_progress(session, "2026", str(counter % 9 + 1), "in_progress", result=f"race-{counter}")
    token = f"race-{counter}"
""",
    "target": """
    with workspace.unit_of_work() as session:
        record_target_figure(session, "2026", 1, f"race-{counter}")
    token = f"race-{counter}"
""",
    "export": """
    try:
        reopen_period(workspace, "2026")
    except InvalidInputError:
        pass
    token = export_package(workspace, "2026", out / f"{counter}").sha256
""",
    "import-bundle": """
    [outcome] = import_bundles(workspace, [job["packages"][counter % len(job["packages"])]])
    token = outcome.sha256[:12] if outcome.status in ("imported", "history") else None
""",
    "backup": """
    token = str(make_backup(workspace).path)
""",
}

WRITER = """
import time
from desktop.errors import InvalidInputError, KhbcError
from desktop.services.bundles import import_bundles
from desktop.services.progress import record_progress, record_target_figure
print("OPEN", flush=True)
while True:
    try:
        workspace = Workspace.open(db)
        try:
{body}
        finally:
            workspace.close()
        if token:
            print(f"SAVED {{token}}", flush=True)
    except KhbcError as exc:
        print("REFUSED", exc.message.replace(chr(10), " "), flush=True)
    counter += 1
    time.sleep(0.05)  # the gap between two commands (a real `khbc` process takes longer to start)
"""

RUN_SECONDS = {"export": (2.0, 6.0)}  # an export renders three documents: it needs longer to finish at all

RESTORER = """
from desktop.errors import KhbcError
print("OPEN", flush=True)
while True:
    for source in (first, second):
        print("RESTORING", flush=True)
        try:
            restore_backup(db, source)
            print("RESTORED", flush=True)
        except KhbcError as exc:
            print("REFUSED", exc.message.replace(chr(10), " "), flush=True)
"""


class Child:
    """A forked child and the lines it printed, read on a thread while it runs."""

    def __init__(self, zygote: Zygote, script: str, **job):
        self.pid, pipe = zygote.start(script, **job)
        first = pipe.readline()
        assert first.strip() == "OPEN", f"seed {SEED}: child failed to start ({first!r})"
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self.reader.start()

    def _read(self, pipe) -> None:
        with pipe:
            for line in pipe:
                self.lines.append(line.strip())

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        _wait_gone(self.pid)
        self.reader.join(30)


def _written_tokens(path: Path, command: str) -> set[str]:
    if command == "export":
        return {sha for (sha,) in query(path, "SELECT sha256 FROM export")}
    if command == "import-bundle":
        return {sha[:12] for (sha,) in query(path, "SELECT package_sha256 FROM submission")}
    return {value for (value,) in query(path, "SELECT new_value FROM audit_entry WHERE new_value LIKE 'race-%'")}


def _lost(db_path: Path, command: str, saved: list[str]) -> list[str]:
    if command == "backup":
        return [p for p in saved if not Path(p).is_file() or integrity(Path(p)) != ["ok"]]
    kept = [db_path, *(db_path.parent / "backups").glob("*-pre-restore*.sqlite3")]
    found = set().union(*(_written_tokens(path, command) for path in kept))
    return [token for token in saved if token not in found]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[str]:
    """Six versions of a unit's package, for the receiving side to import."""
    from desktop.services.bundles import export_package, reopen_period
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace

    folder = tmp_path_factory.mktemp("sender")
    fresh_database(folder / "gui.sqlite3")
    workspace = Workspace.open(folder / "gui.sqlite3")
    try:
        paths = []
        for _ in range(6):
            paths.append(str(export_package(workspace, "2026", folder / "goi").path))
            reopen_period(workspace, "2026")
    finally:
        workspace.close()
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("command", list(WRITERS))
def test_a_restore_beside_each_writing_command_loses_no_acknowledged_write(command, sample_workspace, db_path,
                                                                             tmp_path, packages):
    from desktop.services.backup import make_backup

    first = make_backup(sample_workspace, out=tmp_path / "A.sqlite3").path
    second = make_backup(sample_workspace, out=tmp_path / "B.sqlite3").path
    sample_workspace.close()
    rng = random.Random(f"{SEED}-{command}")
    script = WRITER.format(body="\n".join("        " + line for line in WRITERS[command].strip("\n").splitlines()))
    zygote = Zygote(tmp_path)
    kills, saved, restores, refused = 0, [], 0, 0
    try:
        for round_number in range(ROUNDS):
            out = tmp_path / "out" / str(round_number)
            writer = Child(zygote, script, db=str(db_path), out=str(out), counter=round_number * 1000,
                           packages=packages)
            restorer = Child(zygote, RESTORER, db=str(db_path), a=str(first), b=str(second))
            time.sleep(rng.uniform(*RUN_SECONDS.get(command, (0.3, 2.5))))  # the kills land at random moments
            pair = [writer, restorer]
            rng.shuffle(pair)
            pair[0].kill()
            time.sleep(rng.uniform(0, 0.5))
            pair[1].kill()
            kills += 2
            where = f"seed {SEED}, {command}, round {round_number}"
            assert integrity(db_path) == ["ok"], where
            round_saved = [line.split(" ", 1)[1] for line in writer.lines if line.startswith("SAVED ")]
            saved += round_saved
            restores += sum(line == "RESTORED" for line in restorer.lines)
            refused += sum(line.startswith("REFUSED") for line in writer.lines + restorer.lines)
            lost = _lost(db_path, command, saved)
            assert not lost, f"{where}: writes reported done but lost: {lost[:5]}"
            for line in writer.lines + restorer.lines:
                assert "Traceback" not in line, where
    finally:
        zygote.close()
    assert restores > 0 and saved, f"seed {SEED}: the race never happened ({restores} restores, {len(saved)} writes)"
    digest = hashlib.sha256(" ".join(saved).encode()).hexdigest()[:8]
    print(f"\nrestore race, {command}: seed {SEED}, {kills} kills, {len(saved)} acknowledged writes, {restores} "
          f"restores, {refused} refusals, lost: 0 (writes {digest})")
