"""The UI's link to the services: run one unit of work, show failures in Vietnamese, announce what changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import KhbcError

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from desktop.services.workspace import Workspace

T = TypeVar("T")

# Topics announced on DataBus.changed; a page refreshes when a topic it shows changes.
TOPICS = ("profile", "plan", "tasks", "progress", "targets", "report", "exports", "submissions", "settings")


class DataBus(QObject):
    """Holds the open workspace; every read and write of the UI goes through it."""

    changed = Signal(str)  # a topic from TOPICS
    saved = Signal(str)  # a short Vietnamese status line, e.g. "Đã lưu lúc 09:41"
    failed = Signal(str)  # the Vietnamese message of a failure
    period_selected = Signal(str)  # the period code chosen on any page; the others follow it

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.dialog_parent: QWidget | None = None
        self.quiet = False  # tests and screenshots: report failures on `failed` only, no dialog
        self.period_code: str | None = None

    def select_period(self, code: str) -> None:
        """Make `code` the period the pages work on (progress, report, sending)."""
        if code and code != self.period_code:
            self.period_code = code
            self.period_selected.emit(code)

    def read(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a query service in its own session; it must return plain rows, never ORM objects."""
        with self.workspace.read() as session:
            return query(session, *args, **kwargs)

    def try_read(self, query: Callable[..., T], *args: Any, default: T | None = None, **kwargs: Any) -> T | None:
        try:
            return self.read(query, *args, **kwargs)
        except KhbcError as exc:
            self.report_error(exc.message)
            return default

    def write(self, topics: str | tuple[str, ...], command: Callable[..., Any], *args: Any,
              **kwargs: Any) -> tuple[bool, Any]:
        """Run one unit of work; on success announce the topics and return (True, plain result).

        The result is reduced to something safe to keep in a widget: an ORM object becomes its id.
        On failure nothing is saved, the user sees why, and (False, None) is returned.
        """
        try:
            with self.workspace.unit_of_work() as session:
                result = command(session, *args, **kwargs)
                plain = getattr(result, "id", result) if hasattr(result, "__table__") else result
        except KhbcError as exc:
            self.report_error(exc.message)
            return False, None
        for topic in (topics,) if isinstance(topics, str) else topics:
            self.changed.emit(topic)
        self.saved.emit(f"Đã lưu lúc {datetime.now():%H:%M:%S}")
        return True, plain

    def report_error(self, message: str) -> None:
        self.failed.emit(message)
        if not self.quiet:
            QMessageBox.warning(self.dialog_parent, "KHBC", message)
