"""The sample (or empty) database built once per test process, handed to each test as its own copy of the file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

FOLDER_VARIABLE = "KHBC_TEST_TEMPLATES"  # set by tests/conftest.py to a folder under pytest's temporary folders


def fresh_database(target: str | os.PathLike, sample: bool = True) -> Path:
    """Put at `target` a new database file: the sample plan loaded (`khbc init --sample`), or empty (`khbc init`).

    The database is built once per test process and copied, so each test still gets its own independent file.
    """
    target = Path(target)
    if target.exists():
        raise FileExistsError(f"{target} exists: a fresh database goes to a new file")
    source = template(sample)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def template(sample: bool = True) -> Path:
    """The file to copy, built on first use (kept as a file, so every import of this module shares it)."""
    from desktop.services.setup import initialise

    folder = Path(os.environ[FOLDER_VARIABLE])
    path = folder / ("sample.sqlite3" if sample else "empty.sqlite3")
    if path.exists():
        return path
    building = folder / "building" / path.name
    building.parent.mkdir(exist_ok=True)
    initialise(str(building), sample=sample)
    # Closed cleanly, the database is this one file (no write-ahead log beside it): a plain copy is all of it.
    leftovers = [p.name for p in building.parent.iterdir() if p.name.startswith(path.name + "-")]
    if leftovers:
        raise RuntimeError(f"the template database left {leftovers} beside it; a file copy would miss them")
    building.replace(path)
    return path
