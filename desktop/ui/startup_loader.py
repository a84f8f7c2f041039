"""Opening the data file on a worker thread while the window paints: checks, schema, and the first page's rows."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QThread, Signal


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
        with self.workspace.unit_of_work() as session:
            return query(session, *args, **kwargs)

    def try_read(self, query, *args, default=None, **kwargs):
        return self.read(query, *args, **kwargs)


def has_plan(workspace) -> bool:
    from desktop.services.setup import current_plan

    with workspace.unit_of_work() as session:
        return current_plan(session, required=False) is not None


def open_for_window(target: str | None, exclusive: bool, first_page: type | None = None) -> Opened:
    """Open the database (instance lock, integrity check, schema upgrade when one is due: nothing skipped),
    tell whether it holds a plan, and read the first page's rows. Never raises: errors come back in `error`.
    SQLAlchemy and the services are imported here, so on the loading thread, not the window's."""
    try:
        from desktop.services.workspace import Workspace

        workspace = Workspace.open(target, exclusive=exclusive)
    except Exception as exc:  # a KhbcError the window explains, or an unexpected one it reports
        return Opened(error=exc)
    try:
        planned = has_plan(workspace)
    except Exception as exc:
        workspace.close()
        return Opened(error=exc)
    data = None
    if planned and first_page is not None:
        try:
            data = first_page.read_data(WorkerReader(workspace))
        except Exception:  # the page reads again when shown and explains the failure itself
            traceback.print_exc()
            data = None
    return Opened(workspace, planned, data)


class StartupLoader(QThread):
    """Runs `open_for_window` off the UI thread; `loaded(Opened)` arrives on the UI thread."""

    loaded = Signal(object)

    def __init__(self, target: str | None, exclusive: bool, first_page_module: str | None = None,
                 first_page_class: str | None = None, parent=None):
        super().__init__(parent)
        self.target = target
        self.exclusive = exclusive
        self.first_page = (first_page_module, first_page_class)
        self.result: Opened | None = None

    def run(self) -> None:
        page_class = None
        module, name = self.first_page
        if module and name:
            try:
                import importlib

                page_class = getattr(importlib.import_module(module), name)
            except Exception:
                traceback.print_exc()
        self.result = open_for_window(self.target, self.exclusive, page_class)
        self.loaded.emit(self.result)
