"""Benchmark: backup, integrity checks and opening on a 1,000-task database with five years of progress.

Run: python tests/benchmarks/bench_backup.py [--tasks 1000] [--periods 10] [--runs 7]
Builds the database through the services (tasks, then progress for every task in each period, each with its
audit entries), then prints medians of: make_backup (online copy + integrity check + atomic write), the quick
check done on every open, the full integrity and foreign-key check (khbc check), Workspace.open, the
"did anything change?" test of the automatic backup, and a restore.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def build(path: Path, tasks: int, periods: int) -> list[str]:
    from desktop.services import appendix
    from desktop.services.progress import record_progress
    from desktop.services.queries import current_plan
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace

    initialise(str(path), sample=True)
    workspace = Workspace.open(path)
    try:
        with workspace.unit_of_work() as session:
            for index in range(tasks - 9):
                appendix.add_task(session, f"Nhiệm vụ thử số {index}: tuyên truyền, phổ biến pháp luật về an toàn "
                                           "thông tin mạng cho cán bộ, công chức", timeframe_text="Hàng năm")
            codes = [p.code for p in current_plan(session).periods if p.kind != "phase"][:periods]
        for code in codes:
            with workspace.unit_of_work() as session:
                for number in range(1, tasks + 1):
                    record_progress(session, code, str(number), "in_progress",
                                    result=f"Kỳ {code}: đã tổ chức tuyên truyền, phổ biến; đạt 95% kế hoạch.",
                                    difficulties="Kinh phí còn hạn chế.")
    finally:
        workspace.close()
    return codes


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folder = Path(tempfile.mkdtemp(prefix="khbc-bench-backup-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "xdg")
    os.environ.setdefault("KHBC_TODAY", "2026-11-22")
    db = folder / "khbc.sqlite3"
    start = time.perf_counter()
    codes = build(db, args.tasks, args.periods)
    print(f"built {args.tasks} tasks x {len(codes)} periods in {time.perf_counter() - start:.1f} s: "
          f"{db.stat().st_size / 1024 / 1024:.1f} MiB")

    from db.engine import make_engine
    from db.sqlite_check import quick_check
    from desktop.services.backup import list_backups, make_backup, maybe_auto_backup
    from desktop.services.integrity import check_database
    from desktop.services.restore import restore_backup
    from desktop.services.workspace import Workspace

    backup_s = median_time(lambda: make_backup(db, out=folder / "out.sqlite3"), args.runs)
    engine = make_engine("sqlite:///" + str(db))
    quick_s = median_time(lambda: quick_check(engine), args.runs)
    engine.dispose()
    full = check_database(db)
    assert full.ok, full.problems
    full_s = median_time(lambda: check_database(db), args.runs)
    open_s = median_time(lambda: Workspace.open(db).close(), args.runs)
    workspace = Workspace.open(db)
    maybe_auto_backup(workspace, "close")
    unchanged_s = median_time(lambda: maybe_auto_backup(workspace, "close"), args.runs)
    workspace.close()
    saved = list_backups(db)[0].path
    restore_s = median_time(lambda: restore_backup(db, saved), max(3, args.runs // 2))
    size = (folder / "out.sqlite3").stat().st_size / 1024 / 1024
    print(f"make_backup (online copy, integrity check, fsync, rename; {size:.1f} MiB): {backup_s * 1000:.0f} ms")
    print(f"quick_check on open: {quick_s * 1000:.1f} ms;  Workspace.open in all: {open_s * 1000:.0f} ms")
    print(f"khbc check (integrity_check + foreign_key_check): {full_s * 1000:.0f} ms")
    print(f"automatic backup when nothing changed (the cheap test): {unchanged_s * 1000:.1f} ms")
    print(f"restore (safety backup, staged copy, atomic swap): {restore_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
