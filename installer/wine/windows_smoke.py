"""Smoke tests of the Windows KHBC under Wine: the frozen folder, then install, upgrade and uninstall with the setup.

Run by installer/windows_build.sh (which prepares Wine and exports WINEPREFIX and friends) with the Linux
Python; every Windows program runs under `wine` with its output piped (a redirected file breaks Python
under Wine). Each check looks at real outputs: files, the database, the registry, PNG headers; it stops
at the first failure with a message saying what was expected.

    python installer/wine/windows_smoke.py --frozen dist/KHBC --setup dist/KHBC-Setup-0.1.0.exe \
        --old-setup build/windows/old/KHBC-Setup-0.0.9.exe --version 0.1.0 --out build/windows/smoke
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

APP_ID = "{6F1D2B7C-3E84-4C1A-9B2F-5A7D0C4E8B13}_is1"
UNINSTALL_KEY = rf"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
PAGES = 8  # desktop.ui.main_window.PAGE_CLASSES
NOTE = "Đã xong trước khi nâng cấp (kiểm thử Wine)"


class SmokeFailure(Exception):
    """One smoke check failed; the message says what was expected and what happened."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def win(path: Path) -> str:
    """The Windows name of a Linux path inside Wine: C: for the prefix's drive_c, else Z: (the Linux root)."""
    path = path.resolve()
    drive_c = (Path(os.environ["WINEPREFIX"]) / "drive_c").resolve()
    if path == drive_c or drive_c in path.parents:
        return "C:\\" + str(path.relative_to(drive_c)).replace("/", "\\").removeprefix(".")
    return "Z:" + str(path).replace("/", "\\")


def wine(*argv: str, timeout: float = 600, expect: int | None = 0,
         settle: bool = False) -> subprocess.CompletedProcess:
    """Run a Windows program under Wine, its output piped. `settle`: then wait until every process of the
    prefix has ended (a setup or uninstaller finishes in child processes of its own)."""
    started = time.perf_counter()
    try:
        result = subprocess.run(["wine", *argv], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        subprocess.run(["wineserver", "-k"], check=False)
        raise SmokeFailure(f"{' '.join(argv)} did not finish within {timeout:.0f} s") from None
    if settle:
        subprocess.run(["wineserver", "-w"], check=False, timeout=timeout)
    result.stdout = result.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    result.stderr = result.stderr.decode("utf-8", "replace").replace("\r\n", "\n")
    print(f"   {Path(argv[0]).name} {' '.join(argv[1:])[:100]} -> {result.returncode} "
          f"({time.perf_counter() - started:.1f} s)", flush=True)
    if expect is not None and result.returncode != expect:
        raise SmokeFailure(f"{' '.join(argv)} exited {result.returncode}, expected {expect}\n"
                           f"stdout: {result.stdout[-1500:]}\nstderr: {result.stderr[-3000:]}")
    return result


def windows_folder(variable: str) -> Path:
    """A Windows environment folder (e.g. LOCALAPPDATA) of the prefix's user, as a Linux path."""
    value = wine("cmd", "/c", f"echo %{variable}%").stdout.strip().splitlines()[-1]
    unix = subprocess.run(["winepath", "-u", value], capture_output=True, text=True, check=True).stdout.strip()
    check(bool(unix) and "%" not in value, f"Wine has no %{variable}%: {value!r}")
    return Path(unix)


def registry_value(key: str, name: str) -> str | None:
    result = wine("reg", "query", key, "/v", name, expect=None)
    for line in result.stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[0] == name:
            return parts[2].strip()
    return None


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    check(head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG")
    return struct.unpack(">II", head[16:24])


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def schema_revision(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def head_revision(root: Path) -> str:
    """The newest Alembic revision in the source tree (db/migrations/versions/NNNN_*.py)."""
    return sorted(p.name.split("_")[0] for p in (root / "db" / "migrations" / "versions").glob("[0-9]*_*.py"))[-1]


def screenshots(folder: Path, program: Path, shots: Path, *db_args: str) -> None:
    shutil.rmtree(shots, ignore_errors=True)
    wine(str(program / "khbc-gui.exe"), "--screenshot", win(shots), *db_args, timeout=900)
    # One PNG per page (01-…08-), then the wizards' pages and the dialogs (--screenshot renders those too).
    pngs = sorted(p for p in shots.glob("*.png") if p.name[:2].isdigit() and 1 <= int(p.name[:2]) <= PAGES)
    check(len(pngs) == PAGES, f"{PAGES} page screenshots expected in {shots}, got {[p.name for p in pngs]}")
    for png in pngs:
        # The program draws at a 1366x768 screen's maximised area; Qt's offscreen screen under Wine (800x800,
        # its configfile option is refused there) may cap the window smaller.
        width, height = png_size(png)
        check(width >= 780 and height >= 600, f"{png.name}: {width}x{height}, expected about 1366x696")
        check(png.stat().st_size > 20_000, f"{png.name} looks blank ({png.stat().st_size} bytes)")
    print(f"   {len(pngs)} screenshots in {shots}", flush=True)


def frozen_folder(frozen: Path, version: str, out: Path, root: Path) -> None:
    """The frozen folder itself: the command line end to end and the GUI's screenshots."""
    khbc = str(frozen / "khbc.exe")
    shown = wine(khbc, "--version").stdout.strip()
    check(shown == f"KHBC {version}", f"khbc.exe --version printed {shown!r}, expected 'KHBC {version}'")

    work = out / "frozen"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    db = work / "khbc.sqlite3"
    init = wine(khbc, "init", "--sample", "--db", win(db))
    check("Đã nạp kế hoạch mẫu" in init.stdout, f"init --sample said: {init.stdout[-500:]}")
    check(schema_revision(db) == head_revision(root), "the frozen program did not bring the database to head")

    wine(khbc, "export", "--period", "2026", "--out", win(work / "out"), "--db", win(db))
    packages = sorted((work / "out").glob("*.zip"))
    check(len(packages) == 1 and packages[0].stat().st_size > 10_000, f"export made {packages}")
    verify = wine(khbc, "verify", win(packages[0]))
    check(verify.stdout.startswith("Gói hợp lệ"), f"verify said: {verify.stdout[:500]}")
    screenshots(work, frozen, out / "screenshots-frozen", "--db", win(work / "gui.sqlite3"))


def setup_run(setup: Path, log: Path, *extra: str, expect: int | None = 0) -> subprocess.CompletedProcess:
    """A silent per-user install; Inno Setup's own log goes to `log` (read it when a check fails)."""
    return wine(str(setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/CURRENTUSER", "/NORESTART", "/SP-",
                f"/LOG={win(log)}", *extra, timeout=900, expect=expect, settle=True)


def start_menu_links(appdata: Path) -> list[Path]:
    return sorted((appdata / "Microsoft" / "Windows" / "Start Menu" / "Programs" / "KHBC").glob("*.lnk"))


def installer_cycle(setup: Path, old_setup: Path, version: str, out: Path, root: Path) -> None:
    """Guard, install of an older version, data, upgrade keeping and migrating the data, uninstall keeping it."""
    local, roaming = windows_folder("LOCALAPPDATA"), windows_folder("APPDATA")
    program, data = local / "Programs" / "KHBC", local / "KHBC"
    db = data / "khbc.sqlite3"
    check(not program.exists() and not data.exists(), f"start from a clean prefix ({program}, {data})")

    print(" - the data-folder guard refuses, silently, to install into the data folder", flush=True)
    refused = setup_run(setup, out / "setup-guard.log", f"/DIR={win(data / 'Chuong trinh')}", expect=None)
    check(refused.returncode != 0, "setup installed into the data folder")
    check(not (data / "Chuong trinh" / "khbc.exe").exists(), "the program landed in the data folder")
    check(registry_value(UNINSTALL_KEY, "DisplayVersion") is None, "a refused install registered itself")

    print(f" - install the older setup ({old_setup.name}) for this user only", flush=True)
    setup_run(old_setup, out / "setup-old.log")
    check((program / "khbc.exe").is_file() and (program / "unins000.exe").is_file(),
          f"no khbc.exe / unins000.exe in {program}")
    old_version = registry_value(UNINSTALL_KEY, "DisplayVersion")
    check(old_version is not None and old_version != version, f"older install registered as {old_version}")
    links = start_menu_links(roaming)
    check(len(links) == 3, f"3 Start-menu shortcuts expected, found {[p.name for p in links]}")

    installed = str(program / "khbc.exe")
    wine(installed, "init", "--sample")
    check(db.is_file(), f"no database in the data folder {db}")
    wine(installed, "progress", "--period", "2026", "--task", "1", "--status", "done", "--result", NOTE)
    tasks_before = wine(installed, "tasks", "--period", "2026", "--json").stdout
    check(NOTE in tasks_before, "the progress written before the upgrade is not listed")
    wine(installed, "backup")
    data_before = {p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()}
    stale = program / "_internal" / "stale-from-older-version.dll"
    stale.write_bytes(b"left by the older version")

    print(f" - upgrade to {version} over it", flush=True)
    setup_run(setup, out / "setup-upgrade.log")
    check(registry_value(UNINSTALL_KEY, "DisplayVersion") == version, "the upgrade did not register the new version")
    check(not stale.exists(), "the upgrade left the older version's _internal files behind")
    data_after = {p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()}
    check(data_after == data_before, "the installer changed or removed files in the data folder")
    shown = wine(installed, "--version").stdout.strip()
    check(shown == f"KHBC {version}", f"installed khbc.exe --version printed {shown!r}")
    wine(installed, "init")  # opening the data brings its schema to this version's head
    check(schema_revision(db) == head_revision(root), "the upgraded program did not migrate the database")
    tasks_after = wine(installed, "tasks", "--period", "2026", "--json").stdout
    check(json.loads(tasks_after) == json.loads(tasks_before), "the tasks read after the upgrade differ")
    wine(installed, "check")
    screenshots(out, program, out / "screenshots-installed")

    print(" - uninstall keeps %LOCALAPPDATA%\\KHBC", flush=True)
    kept = {p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()}
    check(any(p.suffix == ".sqlite3" and p.parent.name == "backups" for p in kept), "no backup to keep")
    wine(str(program / "unins000.exe"), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", timeout=600, settle=True)
    deadline = time.monotonic() + 120  # the uninstaller finishes from a copy of itself in %TEMP%
    while (program / "khbc.exe").exists() and time.monotonic() < deadline:
        subprocess.run(["wineserver", "-w"], check=False, timeout=120)
        time.sleep(1)
    check(not (program / "khbc.exe").exists(), f"uninstall left {program / 'khbc.exe'}")
    check(registry_value(UNINSTALL_KEY, "DisplayVersion") is None, "uninstall left its registry entry")
    check(start_menu_links(roaming) == [], "uninstall left Start-menu shortcuts")
    check({p.relative_to(data): sha256(p) for p in data.rglob("*") if p.is_file()} == kept,
          "uninstall removed or changed files in the data folder (database, backups)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", required=True, type=Path)
    parser.add_argument("--setup", required=True, type=Path)
    parser.add_argument("--old-setup", required=True, type=Path)
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[2]
    started = time.perf_counter()
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        print(" - frozen folder: khbc.exe --version, init --sample, export, verify; khbc-gui --screenshot", flush=True)
        frozen_folder(args.frozen, args.version, args.out, root)
        installer_cycle(args.setup, args.old_setup, args.version, args.out, root)
    except SmokeFailure as failure:
        print(f"\nWINDOWS SMOKE TEST FAILED: {failure}", file=sys.stderr)
        return 1
    print(f"Windows smoke tests passed in {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
