"""Benchmark: the services behind the window's buttons on a 300-task plan, to tell which must run on a worker.

Run: python tests/benchmarks/bench_ui_operations.py [--tasks 300] [--runs 3]
Prints the median time of each service the pages start (export for signing, history Excel, reminder letter,
plan package export/preview/import, backup and restore, "Soạn tự động"). Anything near 100 ms or more, or that
writes a file (a USB stick, a network folder), runs as a slow operation on a worker (desktop/services/operations.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def median_seconds(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    folder = Path(tempfile.mkdtemp(prefix="khbc-bench-ui-operations-"))
    os.environ["XDG_DATA_HOME"] = str(folder / "xdg")
    os.environ["KHBC_TEST_TEMPLATES"] = str(folder / "templates")
    (folder / "templates").mkdir()
    try:
        run(folder, args.tasks, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path, tasks: int, runs: int) -> None:
    from desktop.services.audit_log import export_audit_xlsx
    from desktop.services.backup import make_backup
    from desktop.services.collect import set_expected_unit
    from desktop.services.documents import draft_report
    from desktop.services.plan_receive import import_plan_package, preview_plan_import
    from desktop.services.plan_send import export_plan_package
    from desktop.services.reminders import write_reminder
    from desktop.services.restore import restore_into_workspace
    from desktop.services.signing import export_for_outside_signing
    from desktop.services.workspace import Workspace
    from tests.plan_generator import TODAY, build_plan
    from tests.plan_helpers import lower_database

    workspace = build_plan(folder / "lon.sqlite3", tasks)
    set_expected_unit(workspace, "DLK-SYT", "Sở Y tế")
    package = export_plan_package(workspace, folder / "goi").path
    backup = make_backup(workspace)

    def draft():
        with workspace.unit_of_work() as session:
            draft_report(session, "2026", TODAY, overwrite=True)

    def import_fresh():
        lower = Workspace.open(lower_database(folder / f"vp{time.perf_counter_ns()}"))
        try:
            preview = preview_plan_import(lower, package, unit="Văn phòng Sở")
            import_plan_package(lower, package, unit="Văn phòng Sở", selected={t.uid for t in preview.tasks})
        finally:
            lower.close()

    lower = Workspace.open(lower_database(folder / "vp"))
    measured = {
        "Soạn tự động (draft_report)": draft,
        "Xuất bản để ký (export_for_outside_signing)": lambda: export_for_outside_signing(
            workspace, "2026", folder / "de-ky.pdf", TODAY),
        "Xuất nhật ký Excel (export_audit_xlsx, whole history)": lambda: export_audit_xlsx(workspace, folder / "a.xlsx"),
        "Công văn đôn đốc (write_reminder, PDF)": lambda: write_reminder(workspace, "2026", "pdf", folder / "r.pdf",
                                                                         TODAY),
        "Xuất gói kế hoạch (export_plan_package)": lambda: export_plan_package(workspace, folder / f"goi{time.perf_counter_ns()}"),
        "Đọc gói kế hoạch (preview_plan_import)": lambda: preview_plan_import(lower, package, unit="Văn phòng Sở"),
        "Nhập kế hoạch cấp trên (preview + import_plan_package)": import_fresh,
        "Sao lưu (make_backup)": lambda: make_backup(workspace),
        "Khôi phục (restore_into_workspace)": lambda: restore_into_workspace(workspace, backup.path),
    }
    print(f"{tasks}-task plan, median of {runs} runs")
    try:
        for label, call in measured.items():
            print(f"  {label}: {median_seconds(call, runs) * 1000:.0f} ms")
    finally:
        lower.close()
        workspace.close()


if __name__ == "__main__":
    main()
