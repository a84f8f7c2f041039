"""Benchmark: start-up of the frozen program (dist/KHBC) against the unfrozen one (python + source tree).

Run: python tests/benchmarks/bench_frozen_startup.py [--runs 7] [--frozen dist/KHBC]
Under Wine (installer/windows_build.sh made both): wine build/windows/tools/python/python.exe tests/benchmarks/...
Build the frozen folder first (python installer/build.py --no-setup). Three measures, offscreen,
frozen and unfrozen alternating, medians printed:
  - `khbc --version`: process start to exit;
  - GUI to the first frame of the main window: the driver turns on Qt's own "qt.widgets.painting"
    log (QT_LOGGING_RULES, no change to KHBC) and stops the clock at the first "Flushing ... of
    MainWindow" line, i.e. the window painted with its pages; the process is then ended;
  - `khbc-gui --screenshot DIR`: start, all eight pages rendered to PNG, exit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXE = ".exe" if sys.platform == "win32" else ""
CLI_CODE = "import sys; from desktop.cli import main; sys.exit(main())"
GUI_CODE = "from desktop.ui.launch import main; main()"
# QT_FORCE_STDERR_LOGGING: on Windows (and under Wine) Qt logs to the debugger, not stderr, without a console.
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "QT_FORCE_STDERR_LOGGING": "1"}


def commands(frozen: Path, program: str) -> dict[str, list[str]]:
    """The same program, frozen and unfrozen, as argument lists to which options are appended."""
    code = CLI_CODE if program == "khbc" else GUI_CODE
    return {"frozen": [str(frozen / (program + EXE))], "unfrozen": [sys.executable, "-c", code]}


def timed_run(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def first_frame(argv: list[str], timeout: float = 120) -> float:
    """Seconds from process start until Qt reports the main window's first flush to the screen."""
    env = {**ENV, "QT_LOGGING_RULES": "qt.widgets.painting.debug=true"}
    start = time.perf_counter()
    process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", errors="replace")
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        for line in process.stderr:
            if "Flushing" in line and "MainWindow" in line:
                return time.perf_counter() - start
        raise SystemExit(f"no main window frame from {argv[0]} within {timeout} s")
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


def measure(name: str, variants: dict[str, list[str]], runs: int, probe) -> dict[str, float]:
    for argv in variants.values():
        probe(argv)  # warm the file cache and Python's bytecode cache once
    samples: dict[str, list[float]] = {key: [] for key in variants}
    for _ in range(runs):
        for key, argv in variants.items():
            samples[key].append(probe(argv))
    medians = {key: statistics.median(values) for key, values in samples.items()}
    ratio = medians["frozen"] / medians["unfrozen"]
    print(f"{name:<34} frozen {medians['frozen']:6.3f} s   unfrozen {medians['unfrozen']:6.3f} s   "
          f"frozen/unfrozen {ratio:4.2f}x")
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", default=str(ROOT / "dist" / "KHBC"))
    args = parser.parse_args()
    frozen = Path(args.frozen)
    if not (frozen / ("khbc" + EXE)).is_file():
        raise SystemExit(f"no frozen KHBC in {frozen}: run python installer/build.py --no-setup first")

    folder = Path(tempfile.mkdtemp(prefix="khbc-bench-frozen-"))
    try:
        db = folder / "sample.sqlite3"
        subprocess.run([sys.executable, "-c", CLI_CODE, "init", "--sample", "--db", str(db)], cwd=ROOT, env=ENV,
                       check=True, capture_output=True)
        print(f"{args.runs} runs each, medians; machine: {os.cpu_count()} CPUs, {sys.platform}")
        cli = commands(frozen, "khbc")
        measure("khbc --version", {k: v + ["--version"] for k, v in cli.items()}, args.runs, timed_run)
        gui = commands(frozen, "khbc-gui")
        measure("GUI to first main-window frame", {k: v + ["--db", str(db)] for k, v in gui.items()}, args.runs,
                first_frame)

        counter = iter(range(10**6))

        def screenshot(argv: list[str]) -> float:
            return timed_run(argv + ["--screenshot", str(folder / f"shots-{next(counter)}")])

        measure("khbc-gui --screenshot (8 pages)", {k: v + ["--db", str(db)] for k, v in gui.items()}, args.runs,
                screenshot)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
