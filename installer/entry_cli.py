"""Frozen entry point of khbc.exe (the console command line); PyInstaller starts here."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
