"""Benchmark of the receiving side: import and consolidate (XLSX, DOCX, PDF) many large report packages.

Run: python tests/benchmarks/bench_collect.py [--units 100] [--tasks 300] [--result-chars 400]
Builds a sender database with the sample plan grown to --tasks tasks (each with progress for 2026), makes its
real data.json with the sender's own code, then writes one valid package per unit (unit code, name and results
varied, manifest resealed, the sample's PDF/XLSX/DOCX as documents). Each step then runs as its own `khbc`
process and prints its wall time and peak RSS (from wait4):
  import-bundle <all packages>, collect --format xlsx, collect --format docx, collect --format pdf.
--code-root DIR runs the steps with another checkout of the program (e.g. `git archive` of an older commit),
for before/after figures on the same packages; --timeout stops a step that takes too long.
The single large package of issue 11 is: --units 1 --tasks 5000.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = "2026-11-22"
PERIOD = "2026"
STATUSES = (("done", "Đã hoàn thành"), ("in_progress", "Đang thực hiện"), ("not_started", "Chưa triển khai"),
            ("done", "Đã hoàn thành"))


def sender_data(folder: Path, tasks: int, result_chars: int) -> tuple[dict, dict[str, bytes]]:
    """The sender's real data.json for a plan of `tasks` tasks, and the documents of a small sample package."""
    os.environ["KHBC_TODAY"] = TODAY
    from desktop.bundle.package_data import build_package_data
    from desktop.services.bundles import export_package
    from desktop.services.report_context import package_values
    from desktop.services.queries import current_plan
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace
    from tests.bundle_helpers import grow_plan, read_entries

    db = folder / "sender.sqlite3"
    initialise(str(db), sample=True)
    workspace = Workspace.open(db)
    try:
        sample = export_package(workspace, PERIOD, folder / "sample")
        documents = {name: content for name, content in read_entries(sample.path.read_bytes()).items()
                     if name.rsplit(".", 1)[-1] in ("pdf", "xlsx", "docx")}
        from desktop.services.bundles import reopen_period

        reopen_period(workspace, PERIOD)
        grow_plan(workspace, tasks, PERIOD, result_chars)
        created = datetime(2026, 11, 22, 9, 0, tzinfo=timezone(timedelta(hours=7)))
        with workspace.unit_of_work() as session:
            values = package_values(session, current_plan(session), PERIOD, date.fromisoformat(TODAY))
            data, _files = build_package_data(*values, 1, created)
    finally:
        workspace.close()
    return data, documents


def unit_package(data: dict, documents: dict[str, bytes], unit: int, trim_sections: int | None) -> tuple[str, bytes]:
    """One unit's package: identity and results changed, everything resealed so that `khbc verify` accepts it."""
    from desktop.bundle import manifest as mf
    from desktop.bundle.export import _zip_info

    data = json.loads(json.dumps(data))
    code, abbreviation = f"DLK-P{unit:03d}", f"P{unit:03d}"
    data["unit"].update(code=code, name=f"PHÒNG THỬ NGHIỆM SỐ {unit}", name_in_text=f"Phòng thử nghiệm số {unit}",
                        abbreviation=abbreviation)
    for index, task in enumerate(data["tasks"]):
        progress = task.get("progress")
        if progress is not None:
            progress["status"], progress["status_label"] = STATUSES[(index + unit) % len(STATUSES)]
            progress["result"] = f"Đơn vị {unit}: " + progress["result"]
    if trim_sections:
        data["report"]["sections"] = {k: v[:trim_sections] for k, v in data["report"]["sections"].items()}
    raw = mf.dump_json(data)
    files = {mf.DATA_NAME: raw, **documents}
    roles = {"pdf": "report-pdf", "xlsx": "report-xlsx", "docx": "report-docx", "json": "data"}
    records = [mf.FileRecord(name, len(content), hashlib.sha256(content).hexdigest(), roles[name.rsplit(".", 1)[-1]])
               for name, content in files.items()]
    created = datetime.fromisoformat(data["submission"]["created_at"])
    period = data["period"]
    manifest = mf.build_manifest(unit_code=code, unit_name=data["unit"]["name_in_text"], unit_abbreviation=abbreviation,
                                 plan_number=data["plan"]["number"], period_code=period["code"],
                                 period_title=period["title"],
                                 deadline=date.fromisoformat(period["deadline"]) if period["deadline"] else None,
                                 version=1, created_at=created, files=records)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(_zip_info(mf.MANIFEST_NAME, created), mf.dump_json(manifest))
        for name, content in files.items():
            zf.writestr(_zip_info(name, created), content)
    return mf.package_file_name(abbreviation, period["code"], 1), buffer.getvalue()


_CHILD = """
import atexit, sys
def _peak():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    sys.stderr.write("\\nPEAK_KIB " + line.split()[1] + "\\n")
atexit.register(_peak)
from desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _peak_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            return int(next(line for line in status if line.startswith("VmHWM:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return 0


def run_step(label: str, argv: list[str], code_root: Path | None, cwd: Path, timeout: float) -> tuple[float, float]:
    """Run `khbc argv` as its own process; print and return (seconds, peak RSS in MiB of that process)."""
    env = dict(os.environ, KHBC_TODAY=TODAY)
    if code_root is not None:
        env["PYTHONPATH"] = str(code_root)
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen([sys.executable, "-c", _CHILD, *argv], cwd=cwd, env=env, stdout=out, stderr=err)
        peak, stopped = 0, False
        while True:
            pid, status, rusage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _peak_kib(process.pid))
            if time.perf_counter() - start > timeout:
                process.kill()
                _pid, status, rusage = os.wait4(process.pid, 0)
                stopped = True
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    reported = [int(line.split()[1]) for line in stderr.splitlines() if line.startswith("PEAK_KIB ")]
    rss = max([peak, *reported]) / 1024
    cpu = rusage.ru_utime + rusage.ru_stime
    if stopped:
        print(f"{label:<24} > {timeout:.0f} s (stopped; CPU {cpu:.1f} s), peak RSS {rss:.0f} MiB so far")
    else:
        message = "\n".join(line for line in stderr.splitlines() if not line.startswith("PEAK_KIB")).strip()
        ok = "ok" if process.returncode == 0 else f"EXIT {process.returncode}: {(message or stdout).strip()[-300:]}"
        print(f"{label:<24} {seconds:7.1f} s (CPU {cpu:6.1f} s)  peak RSS {rss:6.0f} MiB  {ok}")
    return seconds, rss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--result-chars", type=int, default=400, help="characters of each task's result")
    parser.add_argument("--code-root", type=Path, help="run the steps with the program in this folder")
    parser.add_argument("--trim-sections", type=int, help="cut report sections to this length (older schema)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a step is stopped")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--formats", default="xlsx,docx,pdf")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="khbc-bench-collect-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for old in ("sender", "incoming"):
            shutil.rmtree(work / old, ignore_errors=True)
        start = time.perf_counter()
        data, documents = sender_data(work / "sender", args.tasks, args.result_chars)
        incoming = work / "incoming"
        incoming.mkdir(exist_ok=True)
        total = 0
        for unit in range(1, args.units + 1):
            name, content = unit_package(data, documents, unit, args.trim_sections)
            (incoming / name).write_bytes(content)
            total += len(content)
        data_json = len(json.dumps(data, ensure_ascii=False, indent=2).encode())
        print(f"{args.units} packages × {args.tasks} tasks: {total / 2**20:.1f} MiB in all "
              f"(data.json {data_json / 2**20:.1f} MiB each), made in {time.perf_counter() - start:.0f} s")
        print(f"program: {args.code_root or ROOT}")
        db = work / "receiver.sqlite3"
        db.unlink(missing_ok=True)
        files = sorted(str(p) for p in incoming.glob("*.zip"))
        run_step("import-bundle", ["import-bundle", *files, "--db", str(db)], args.code_root, work, args.timeout)
        for fmt in args.formats.split(","):
            out = work / f"TongHop_{PERIOD}.{fmt}"
            run_step(f"collect --format {fmt}", ["collect", "--period", PERIOD, "--format", fmt, "--out", str(out),
                                                 "--db", str(db)], args.code_root, work, args.timeout)
            if out.exists():
                print(f"{'':<24} {out.name}: {out.stat().st_size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
