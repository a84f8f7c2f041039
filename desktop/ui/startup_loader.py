"""Opening the data file on a worker thread while the window paints: checks, schema, and the first page's rows."""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QThread, Signal

PREVIEW_PAINT_WAIT = 2.0  # seconds the loading thread waits at most for the previewed page to be painted


@dataclass
class Opened:
    """What the loading thread hands to the window: an open workspace (or why not) and plain rows only."""

    workspace: Any = None  # desktop.services.workspace.Workspace, checked and at the current schema
    has_plan: bool = False
    first_data: object = None  # what the first page's `read_data` returned, or None
    error: BaseException | None = None
    handled: bool = False  # set on the UI thread once the window took it (or closed what it opened)


class WorkerReader:
    """The `read`/`try_read` a page's `read_data` uses, for the loading thread: no dialogs, errors propagate
    (the page then reads its data itself once shown, and reports any failure the usual way)."""

    def __init__(self, workspace):
        self.workspace = workspace

    def read(self, query, *args, **kwargs):
        with self.workspace.read() as session:
            return query(session, *args, **kwargs)

    def try_read(self, query, *args, default=None, **kwargs):
        return self.read(query, *args, **kwargs)


def has_plan(workspace) -> bool:
    from desktop.services.queries import current_plan

    with workspace.read() as session:
        return current_plan(session, required=False) is not None


def take_lock_and_preview(target: str | None, exclusive: bool, first_page: type | None, on_preview):
    """Before SQLAlchemy loads: take the instance lock (one window per data file), then, when the first page
    can read its rows with the standard sqlite3 module (`quick_read_data`, which checks the file and its
    revision first), hand them to `on_preview`. Returns (the lock or None, whether rows were handed)."""
    from desktop.services.instance_lock import GUI_PURPOSE, InstanceLock
    from desktop.services.locations import plain_sqlite_path, resolve_database

    path = plain_sqlite_path(resolve_database(target))
    lock = None
    if exclusive and path is not None:
        lock = InstanceLock(path)
        lock.acquire(GUI_PURPOSE, wait=2.0)
    if path is None or first_page is None or on_preview is None or not hasattr(first_page, "quick_read_data"):
        return lock, False
    try:
        data = first_page.quick_read_data(path)
    except Exception:  # e.g. a malformed KHBC_TODAY: the full path meets it again and explains it
        data = None
    if data is None:
        return lock, False
    on_preview(data)
    return lock, True


def open_for_window(target: str | None, exclusive: bool, first_page: type | None = None,
                    on_preview=None) -> Opened:
    """Open the database (instance lock, integrity check, schema upgrade when one is due: nothing skipped),
    tell whether it holds a plan, and read the first page's rows (unless `on_preview` already had them,
    read before SQLAlchemy loaded). Never raises: errors come back in `error`.
    SQLAlchemy and the services are imported here, so on the loading thread, not the window's."""
    lock = None
    try:
        lock, previewed = take_lock_and_preview(target, exclusive, first_page, on_preview)
        from desktop.services.workspace import Workspace

        workspace = Workspace.open(target, exclusive=exclusive, lock=lock)
    except Exception as exc:  # a KhbcError the window explains, or an unexpected one it reports
        if lock is not None:
            lock.release()
        return Opened(error=exc)
    try:
        planned = has_plan(workspace)
    except Exception as exc:
        workspace.close()
        return Opened(error=exc)
    data = None
    if planned and first_page is not None and not previewed:
        try:
            data = first_page.read_data(WorkerReader(workspace))
        except Exception:  # the page reads again when shown and explains the failure itself
            traceback.print_exc()
            data = None
    return Opened(workspace, planned, data)


class StartupLoader(QThread):
    """Runs `open_for_window` off the UI thread; `loaded(Opened)` arrives on the UI thread."""

    previewed = Signal(object)  # the first page's rows, read before the workspace opens (see quick_read)
    loaded = Signal(object)

    def __init__(self, target: str | None, exclusive: bool, first_page_module: str | None = None,
                 first_page_class: str | None = None, parent=None):
        super().__init__(parent)
        self.target = target
        self.exclusive = exclusive
        self.first_page = (first_page_module, first_page_class)
        self.result: Opened | None = None
        # Set by the window once the previewed rows are on screen: imports hold the interpreter's lock, so
        # SQLAlchemy loads after that paint rather than beside it (never waiting long: see `run`).
        self.preview_painted = threading.Event()

    def _previewed(self, data) -> None:
        self.previewed.emit(data)
        self.preview_painted.wait(PREVIEW_PAINT_WAIT)

    def run(self) -> None:
        page_class = None
        module, name = self.first_page
        if module and name:
            try:
                import importlib

                page_class = getattr(importlib.import_module(module), name)
            except Exception:
                traceback.print_exc()
        self.result = open_for_window(self.target, self.exclusive, page_class, self._previewed)
        self.loaded.emit(self.result)
