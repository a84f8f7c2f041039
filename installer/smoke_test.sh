#!/usr/bin/env bash
# Build the frozen KHBC folder (dist/KHBC) and run the smoke test of the real executables against it.
# Usage: bash installer/smoke_test.sh   (PYTHON=/path/to/python to choose the interpreter; default .venv or python3)
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  if [ -x .venv/bin/python ]; then PY=.venv/bin/python; else PY=python3; fi
fi
# PyInstaller is a build tool, not a dependency of the program: install it on demand.
"$PY" -c "import PyInstaller" 2>/dev/null || "$PY" -m pip install -q "pyinstaller>=6.10"
"$PY" -c "import desktop, pytest" 2>/dev/null || "$PY" -m pip install -q ".[test]"

start=$(date +%s)
"$PY" installer/build.py --no-setup
echo "build: $(( $(date +%s) - start )) s, frozen folder: $(du -sh dist/KHBC | cut -f1)"

KHBC_TEST_FROZEN=1 KHBC_FROZEN_DIR="$PWD/dist/KHBC" "$PY" -m pytest tests/test_installer_smoke.py -q
