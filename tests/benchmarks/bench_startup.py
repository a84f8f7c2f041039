"""Benchmark: process start to a painted window and to the first page with data, KHBC vs a bare PySide6 window.

Run: python tests/benchmarks/bench_startup.py [--runs 7] [--cold-runs 3] [--tasks 1000]
One run alternates the processes (bare window, KHBC on the sample plan, KHBC on a 1,000-task plan), offscreen,
and prints medians, each as a ratio to the bare window, warm (files in the page cache) and cold (page cache
dropped before every process: needs root on Linux; said so when it cannot be done), with peak memory and the
load average, since on a shared machine only ratios of alternated runs are fair.
Marks: "painted" = the window's "Đang mở dữ liệu…" state receives its first paint (navigation and frames are
drawn in the same pass); "data" = the first page, filled with its rows, receives its first paint; the KHBC
child then waits until every page is built, so its peak memory is the whole program's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DROP_CACHES = Path("/proc/sys/vm/drop_caches")
GOALS = {"painted": 2.0, "data": 3.0, "big_data": 4.0}

BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.processEvents()
print("shown", time.time(), time.process_time(), flush=True)
"""

KHBC = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from desktop.ui import main_window

def mark(name):
    print(name, time.time(), time.process_time(), flush=True)

class FirstPaint(QObject):
    # Marks the first paint of `widget` or of anything inside it (a page is covered by its children).
    def __init__(self, name):
        super().__init__()
        self.name, self.widget = name, None
    def watch(self, widget):
        self.widget = widget
        QApplication.instance().installEventFilter(self)
    def eventFilter(self, watched, event):
        if (self.widget is not None and event.type() == QEvent.Type.Paint and watched.isWidgetType()
                and (watched is self.widget or self.widget.isAncestorOf(watched))):
            self.widget = None
            QApplication.instance().removeEventFilter(self)
            mark(self.name)
        return False

painted, data = FirstPaint("painted"), FirstPaint("data")
original_init = main_window.MainWindow.__init__
def init(self, *args, **kwargs):
    original_init(self, *args, **kwargs)
    painted.watch(self.loading)
    self.first_page_shown.connect(lambda: data.watch(self.current_page()))
    self.all_pages_built.connect(lambda: (mark("all_pages"), QApplication.quit()))
main_window.MainWindow.__init__ = init
from desktop.ui.launch import run_gui
sys.exit(run_gui(["khbc-gui", "--db", sys.argv[1]]))
"""


def drop_caches() -> str | None:
    """Empty the page cache; returns why it cannot be done, or None."""
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
        return None
    except OSError as exc:
        return f"cannot drop the page cache ({exc.strerror}; needs root on Linux)"


def run_once(code: str, *args: str, cold: bool = False) -> tuple[dict[str, float], int]:
    """Seconds from process start to each mark the child prints, and the child's peak RSS in MiB."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    if cold:
        drop_caches()
    start = time.time()
    process = subprocess.Popen([sys.executable, "-c", code, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE,
                               text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"child failed with status {status}")
    marks = {}
    for line in output.splitlines():
        if line.strip():
            name, wall, cpu = line.split()
            marks[name] = float(wall) - start
            marks[name + "_cpu"] = float(cpu)  # CPU seconds of the child (all its threads) at that mark
    return marks, usage.ru_maxrss // 1024  # MiB on Linux


def big_database(path: Path, tasks: int) -> None:
    sys.path.insert(0, str(ROOT))
    from desktop.services import appendix
    from desktop.services.progress import record_progress
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace

    initialise(str(path), sample=True)
    workspace = Workspace.open(path)
    with workspace.unit_of_work() as session:
        for index in range(tasks - 9):
            appendix.add_task(session, f"Nhiệm vụ thử số {index}: tuyên truyền, phổ biến pháp luật về an toàn "
                                       f"thông tin", timeframe_text="Quý IV/2026")
    with workspace.unit_of_work() as session:
        for number in range(1, tasks + 1):
            record_progress(session, "2026", str(number), "in_progress", result="Đang triển khai theo kế hoạch.")
    workspace.close()


def measure(runs: int, sample: Path, big: Path, cold: bool) -> dict[str, list]:
    """`runs` rounds of bare, KHBC (sample), KHBC (big), alternating; lists of seconds and MiB per mark."""
    found: dict[str, list] = {key: [] for key in ("bare", "painted", "data", "big_painted", "big_data",
                                                  "bare_mem", "mem", "big_mem")}
    for _ in range(runs):
        marks, mem = run_once(BARE, cold=cold)
        found["bare"].append(marks["shown"])
        found["bare_mem"].append(mem)
        marks, mem = run_once(KHBC, str(sample), cold=cold)
        found["painted"].append(marks["painted"])
        found["data"].append(marks["data"])
        found["mem"].append(mem)
        marks, mem = run_once(KHBC, str(big), cold=cold)
        found["big_painted"].append(marks["painted"])
        found["big_data"].append(marks["data"])
        found["big_mem"].append(mem)
    return found


def report(title: str, found: dict[str, list], tasks: int) -> None:
    bare = statistics.median(found["bare"])
    print(f"\n{title} ({len(found['bare'])} alternating rounds, medians)")
    rows = (("bare PySide6 window shown", "bare", "bare_mem"),
            ("KHBC painted (sample plan)", "painted", "mem"),
            ("KHBC first page with data (sample plan)", "data", "mem"),
            (f"KHBC painted ({tasks:,} tasks)", "big_painted", "big_mem"),
            (f"KHBC first page with data ({tasks:,} tasks)", "big_data", "big_mem"))
    for label, key, mem_key in rows:
        value = statistics.median(found[key])
        ratio = value / bare
        goal = GOALS.get(key)
        verdict = "" if goal is None else f"  goal <= {goal:.0f}x: {'met' if ratio <= goal else 'NOT met'}"
        print(f"  {label:<45} {value:6.3f} s  {ratio:5.2f}x  peak {max(found[mem_key])} MiB{verdict}")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="warm rounds")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold rounds (0: none)")
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khbc-bench-"))
    sample = folder / "sample.sqlite3"
    subprocess.run([sys.executable, "-m", "desktop.cli", "init", "--sample", "--db", str(sample)], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True)
    big = folder / "big.sqlite3"
    big_database(big, args.tasks)
    print(f"load average before: {load_average()} ({os.cpu_count()} CPUs)")
    run_once(BARE)  # warm the file cache and compiled bytecode once
    run_once(KHBC, str(sample))
    run_once(KHBC, str(big))
    report("warm", measure(args.runs, sample, big, cold=False), args.tasks)
    if args.cold_runs:
        why_not = drop_caches()
        if why_not:
            print(f"\ncold: not measured: {why_not}")
        else:
            report("cold (page cache dropped before every process)",
                   measure(args.cold_runs, sample, big, cold=True), args.tasks)
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()
