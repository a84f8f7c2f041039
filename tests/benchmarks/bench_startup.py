"""Benchmark: process start to a painted window and to the first page with data, KHBC vs a bare PySide6 window.

Run: python tests/benchmarks/bench_startup.py [--runs 7] [--cold-runs 3] [--tasks 1000] [--frozen dist/KHBC]
Windows under Wine: --frozen dist/KHBC --wine-python build/windows/tools/python/python.exe (with WINEPREFIX set to
the build's prefix): the bare window then runs on that Windows CPython and KHBC is the frozen `khbc.exe gui` (the
console twin of khbc-gui.exe, whose marks a windowed program could not print), both under Wine.
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

# The real program, with its start-up marks on (desktop/ui/startup_marks.py): it prints them and ends
# once every page is built, so its peak memory is the whole program's.
KHBC = "from desktop.ui.launch import main; main()"
MARKS_ENV = {"KHBC_STARTUP_MARKS": "quit"}


def drop_caches() -> str | None:
    """Empty the page cache; returns why it cannot be done, or None."""
    try:
        os.sync()
        DROP_CACHES.write_text("3\n")
        return None
    except OSError as exc:
        return f"cannot drop the page cache ({exc.strerror}; needs root on Linux)"


def run_once(argv: list[str], cold: bool = False) -> tuple[dict[str, float], int]:
    """Seconds from process start to each mark the child prints, CPU seconds at each, and its peak RSS in MiB."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), **MARKS_ENV}
    # A user's PC keeps compiled bytecode between starts; with this variable set (some shells and CI images do)
    # every KHBC start would compile its own modules again, which no clerk's start does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cold:
        drop_caches()
    start = time.time()
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"child failed with status {status}: {output[-2000:]}")
    marks = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) == 4 and words[0] == "khbc-mark" or len(words) == 3 and words[0] == "shown":
            name, wall, cpu = words[-3:]
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


def programs(frozen: Path | None, wine_python: Path | None = None) -> dict[str, list[str]]:
    """The programs measured beside the bare window: KHBC from source, and the frozen folder when given
    (under Wine: only the frozen Windows program, through its console twin)."""
    if wine_python is not None:
        if frozen is None:
            raise SystemExit("--wine-python needs --frozen (the Windows dist/KHBC folder)")
        return {"KHBC frozen, Wine": ["wine", str(frozen / "khbc.exe"), "gui"]}
    found = {"KHBC": [sys.executable, "-c", KHBC]}
    if frozen is not None:
        found["KHBC frozen"] = [str(frozen / ("khbc-gui" + (".exe" if sys.platform == "win32" else "")))]
    return found


def bare_command(wine_python: Path | None) -> list[str]:
    return [sys.executable, "-c", BARE] if wine_python is None else ["wine", str(wine_python), "-c", BARE]


def measure(runs: int, plans: dict[str, Path], commands: dict[str, list[str]], cold: bool,
            bare: list[str] | None = None) -> dict[str, list]:
    """`runs` rounds, each the bare window then every program on every plan, alternating.

    Keys: "bare", and (program, plan, mark) for the marks "painted", "data" with "_cpu" twins, and "mem"."""
    found: dict = {}
    for _ in range(runs):
        marks, mem = run_once(bare or bare_command(None), cold=cold)
        for key, value in (("bare", marks["shown"]), ("bare_cpu", marks["shown_cpu"]), ("bare_mem", mem)):
            found.setdefault(key, []).append(value)
        for program, argv in commands.items():
            for plan, path in plans.items():
                marks, mem = run_once([*argv, "--db", str(path)], cold=cold)
                for mark in ("painted", "data", "painted_cpu", "data_cpu"):
                    found.setdefault((program, plan, mark), []).append(marks[mark])
                found.setdefault((program, plan, "mem"), []).append(mem)
    return found


def report(title: str, found: dict, plans: dict[str, Path], commands: dict[str, list[str]]) -> None:
    median = statistics.median
    bare, bare_cpu = median(found["bare"]), median(found["bare_cpu"])
    print(f"\n{title}: {len(found['bare'])} alternating rounds, medians; ratio = wall time / bare window's "
          f"(CPU ratio = the process's CPU seconds / bare window's, less sensitive to the machine's load)")
    print(f"  {'bare PySide6 window shown':<52} {bare:6.3f} s  1.00x  (CPU {bare_cpu:.3f} s)  "
          f"peak {max(found['bare_mem'])} MiB")
    for program in commands:
        for plan in plans:
            for mark, label in (("painted", "painted"), ("data", "first page with data")):
                value = median(found[(program, plan, mark)])
                cpu = median(found[(program, plan, mark + "_cpu")])
                goal = GOALS["painted"] if mark == "painted" else GOALS["big_data" if plan != "sample" else "data"]
                verdict = "met" if value / bare <= goal else "NOT met"
                print(f"  {f'{program} {label} ({plan})':<52} {value:6.3f} s  {value / bare:5.2f}x  "
                      f"(CPU {cpu / bare_cpu:4.2f}x)  peak {max(found[(program, plan, 'mem')])} MiB  "
                      f"goal <= {goal:.0f}x: {verdict}")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7, help="warm rounds")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold rounds (0: none)")
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--frozen", type=Path, help="also the frozen folder (dist/KHBC, from installer/build.py)")
    parser.add_argument("--wine-python", type=Path, help="a Windows python.exe with PySide6: measure under Wine")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="khbc-bench-"))
    plans = {"sample": folder / "sample.sqlite3", f"{args.tasks:,} tasks": folder / "big.sqlite3"}
    subprocess.run([sys.executable, "-m", "desktop.cli", "init", "--sample", "--db", str(plans["sample"])], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, capture_output=True)
    big_database(plans[f"{args.tasks:,} tasks"], args.tasks)
    commands = programs(args.frozen, args.wine_python)
    bare = bare_command(args.wine_python)
    print(f"load average before: {load_average()} ({os.cpu_count()} CPUs)")
    measure(1, plans, commands, cold=False, bare=bare)  # warm the file cache and compiled bytecode once
    report("warm", measure(args.runs, plans, commands, cold=False, bare=bare), plans, commands)
    if args.cold_runs:
        why_not = drop_caches()
        if why_not:
            print(f"\ncold: not measured: {why_not}")
        else:
            report("cold (page cache dropped before every process)",
                   measure(args.cold_runs, plans, commands, cold=True, bare=bare), plans, commands)
    print(f"\nload average after: {load_average()}")


if __name__ == "__main__":
    main()
