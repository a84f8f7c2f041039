"""Build KHBC for distribution: the frozen one-folder program (PyInstaller), then on Windows the Inno Setup installer.

Usage, from anywhere:
    python installer/build.py               # dist/KHBC/ (+ dist/KHBC-Setup-<version>.exe on Windows)
    python installer/build.py --no-setup    # only the frozen folder
    python installer/build.py --iscc PATH   # ISCC.exe somewhere unusual (or set the ISCC variable)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from freeze_rules import read_version, version_tuple  # noqa: E402

IS_WIN = sys.platform == "win32"
EXE = ".exe" if IS_WIN else ""


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def find_iscc(explicit: str | None) -> Path | None:
    """ISCC.exe from --iscc, $ISCC, PATH, or the usual Inno Setup 6 install folders (also per-user)."""
    candidates = [explicit, os.environ.get("ISCC"), shutil.which("iscc"), shutil.which("ISCC")]
    for base in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        root = os.environ.get(base)
        if root:
            candidates += [str(Path(root) / "Inno Setup 6" / "ISCC.exe"),
                           str(Path(root) / "Programs" / "Inno Setup 6" / "ISCC.exe")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def freeze(dist: Path, work: Path) -> Path:
    """Run PyInstaller on khbc.spec; returns the frozen folder."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is not installed: pip install \".[build]\" (or pip install pyinstaller)") from None
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    subprocess.run([sys.executable, "-m", "PyInstaller", str(HERE / "khbc.spec"), "--noconfirm", "--clean",
                    "--log-level", "WARN", "--distpath", str(dist), "--workpath", str(work)],
                   cwd=ROOT, env=env, check=True)
    return dist / "KHBC"


def check_frozen(folder: Path, version: str) -> None:
    """The two programs exist and the command line answers with this version."""
    for name in ("khbc-gui", "khbc"):
        if not (folder / (name + EXE)).is_file():
            raise SystemExit(f"missing {name + EXE} in {folder}")
    result = subprocess.run([str(folder / ("khbc" + EXE)), "--version"], capture_output=True, text=True,
                            encoding="utf-8", timeout=120)
    if result.returncode != 0 or version not in result.stdout:
        raise SystemExit(f"frozen khbc --version failed ({result.returncode}): {result.stdout}{result.stderr}")


def make_setup(iscc: Path, folder: Path, dist: Path, version: str) -> Path:
    """Compile khbc.iss; the setup must be new and hold the program (ISCC can exit 0 having done nothing)."""
    if not version.strip():
        raise SystemExit("empty version: refusing to build KHBC-Setup-.exe")
    numbers = ".".join(str(n) for n in version_tuple(version))
    setup = dist / f"KHBC-Setup-{version}.exe"
    setup.unlink(missing_ok=True)
    subprocess.run([str(iscc), "/Qp", f"/DAppVersion={version}", f"/DFileVersion={numbers}", f"/DSourceDir={folder}",
                    f"/DOutputDir={dist}", str(HERE / "khbc.iss")], check=True)
    if not setup.is_file() or setup.stat().st_size < folder_size(folder) // 10:
        raise SystemExit(f"ISCC finished but {setup} is missing or too small")
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the frozen KHBC folder and, on Windows, its installer.")
    parser.add_argument("--no-setup", action="store_true", help="stop after the frozen folder")
    parser.add_argument("--iscc", help="path of ISCC.exe (Inno Setup 6 compiler)")
    parser.add_argument("--dist", default=str(ROOT / "dist"), help="output folder (default: dist/)")
    parser.add_argument("--work", default=str(ROOT / "build" / "pyinstaller"), help="PyInstaller work folder")
    args = parser.parse_args(argv)

    version = read_version(ROOT)
    dist, work = Path(args.dist).resolve(), Path(args.work).resolve()
    started = time.perf_counter()
    folder = freeze(dist, work)
    check_frozen(folder, version)
    froze = time.perf_counter() - started
    print(f"frozen KHBC {version}: {folder} ({folder_size(folder) / 2**20:.0f} MiB) in {froze:.0f} s")

    if args.no_setup:
        return 0
    if not IS_WIN:
        print("not on Windows: the Inno Setup installer is built on a Windows machine (see installer/README.md)")
        return 0
    iscc = find_iscc(args.iscc)
    if iscc is None:
        print("Inno Setup 6 (ISCC.exe) not found: install it, or pass --iscc PATH; the frozen folder is ready",
              file=sys.stderr)
        return 2
    setup = make_setup(iscc, folder, dist, version)
    print(f"installer: {setup} ({setup.stat().st_size / 2**20:.0f} MiB) in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
