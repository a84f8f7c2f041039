"""The UI's link to the services: reads, and the one way to run an operation and announce what it changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.errors import KhbcError
from desktop.services.operations import Operation, Takes
from desktop.ui.window_hold import WindowHold

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the window is on screen
    from desktop.services.workspace import Workspace

T = TypeVar("T")
log = logging.getLogger(__name__)
# Threads under way, kept here rather than as children of a bus: a thread destroyed while it runs ends the program.
_ALIVE: set[OperationWorker] = set()


@dataclass
class Outcome:
    """What `DataBus.run` gives back; unpacks as `ok, result`.

    A slow operation returns at once with `pending` set and its `worker`; its end reaches the callbacks.
    """

    ok: bool
    result: Any = None
    pending: bool = False
    worker: OperationWorker | None = None

    def __iter__(self):
        return iter((self.ok, self.result))


class OperationWorker(QThread):
    """One call away from the window's thread; the service opens its own unit of work, so no session crosses threads.

    `succeeded` carries the plain result, `failed` a Vietnamese message (the service's own, or the operation's
    failure text for an unexpected error, whose English text goes to the log only).
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, call: Callable[[], Any], failure: str):
        super().__init__()
        self.call, self.failure = call, failure
        self.work_done = False  # set before the outcome is sent: the thread itself may wind up a moment later

    def run(self) -> None:
        try:
            signal, value = self.succeeded, self.call()
        except KhbcError as exc:
            signal, value = self.failed, exc.message
        except Exception:  # noqa: BLE001 — the clerk must see a message, never a silent dead thread
            log.exception("unexpected failure in a background operation")
            signal, value = self.failed, self.failure
        finally:
            self.call = None  # the arguments (a PIN among them) are not kept
        self.work_done = True
        signal.emit(value)


class DataBus(QObject):
    """Holds the open workspace; every read and every operation of the UI goes through it."""

    changed = Signal(object)  # the frozenset of Change an operation produced
    saved = Signal(str)  # a short Vietnamese status line, e.g. "Đã lưu lúc 09:41"
    failed = Signal(str)  # the Vietnamese message of a failure
    period_selected = Signal(str)  # the period code chosen on any page; the others follow it
    started = Signal(str)  # "Đang tạo gói báo cáo…": a slow operation began
    finished = Signal(object)  # the Operation that ended, well or not

    def __init__(self, workspace: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.dialog_parent: QWidget | None = None
        self.quiet = False  # tests and screenshots: report failures on `failed` only, no dialog
        self.period_code: str | None = None
        self.running: list[OperationWorker] = []  # threads of slow operations and background reads
        self._slow_operations = 0  # slow operations whose end has not been announced yet
        self.exclusive: Operation | None = None  # under way: nothing else reads or runs (a restore)
        self._hold = None  # the modal box the exclusive operation shows over the window

    def select_period(self, code: str) -> None:
        """Make `code` the period the pages work on (progress, report, sending)."""
        if code and code != self.period_code:
            self.period_code = code
            self.period_selected.emit(code)

    # --- reading --------------------------------------------------------------------------------
    def read(self, query: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a query service in its own session; it must return plain rows, never ORM objects."""
        self._refuse_while_exclusive()
        with self.workspace.read() as session:
            return query(session, *args, **kwargs)

    def try_read(self, query: Callable[..., T], *args: Any, default: T | None = None, **kwargs: Any) -> T | None:
        try:
            return self.read(query, *args, **kwargs)
        except KhbcError as exc:
            self.report_error(exc.message)
            return default

    def read_later(self, query: Callable[..., T], *args: Any, on_success: Callable[[T], None],
                   on_failure: Callable[[str], None], **kwargs: Any) -> OperationWorker:
        """`read` on a worker thread (a slow read such as a report preview); the callbacks run on the window's thread."""
        return self._start(lambda: self.read(query, *args, **kwargs), "Không đọc được dữ liệu.", on_success,
                           on_failure)

    # --- operations -----------------------------------------------------------------------------
    def run(self, operation: Operation, *args: Any, on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[str], None] | None = None, **kwargs: Any) -> Outcome:
        """Run `operation`; on success announce its changes and call `on_success(result)`.

        A slow operation runs on a worker thread behind a progress indication while the window stays usable;
        the others run here. The result is reduced to something safe to keep in a widget (an ORM object becomes
        its id). On failure nothing is saved and the clerk reads why (`on_failure(message)` if given, else a dialog).
        """
        waiting = self._why_not_now(operation)
        if waiting:
            (on_failure or self.report_error)(waiting)
            return Outcome(False)
        service = operation.function()
        if operation.takes is Takes.SESSION:
            def call():
                with self.workspace.unit_of_work() as session:
                    result = service(session, *args, **kwargs)
                    return getattr(result, "id", result) if hasattr(result, "__table__") else result
        else:
            def call():
                return service(self.workspace, *args, **kwargs)

        def succeeded(result: Any) -> None:
            self._end(operation)
            if operation.changes:
                self.changed.emit(operation.changes)
                self.saved.emit(f"Đã lưu lúc {datetime.now():%H:%M:%S}")
            if on_success is not None:
                on_success(result)
            self.finished.emit(operation)

        def failed(message: str) -> None:
            self._end(operation)
            (on_failure or self.report_error)(message)
            self.finished.emit(operation)

        if operation.slow:
            self._slow_operations += 1
            self.started.emit(operation.progress_text)
            if operation.exclusive:
                self._hold_window(operation)
            worker = self._start(call, operation.failure_text, succeeded, failed)
            return Outcome(True, pending=True, worker=worker)
        try:
            result = call()
        except KhbcError as exc:
            failed(exc.message)
            return Outcome(False)
        succeeded(result)
        return Outcome(True, result)

    def running_operations(self) -> int:
        """How many slow operations are still under way."""
        return self._slow_operations

    def _end(self, operation: Operation) -> None:
        if operation.slow:
            self._slow_operations -= 1
        if operation is self.exclusive:
            self.exclusive = None
            self._hold.release()
            self._hold = None

    def _why_not_now(self, operation: Operation) -> str | None:
        """An exclusive operation waits for nothing and lets nothing start beside it: the clerk is told to wait."""
        if self.exclusive is not None:
            return f"Đang {self.exclusive.name}; hãy đợi xong rồi thử lại. Dữ liệu chưa bị thay đổi."
        if operation.exclusive and any(not worker.work_done for worker in self.running):
            return (f"Chưa {operation.name} được vì chương trình còn đang làm việc khác (ghi tệp hoặc chuẩn bị bản "
                    "xem trước); hãy đợi vài giây rồi thử lại. Dữ liệu chưa bị thay đổi.")
        return None

    def _refuse_while_exclusive(self) -> None:
        if self.exclusive is not None:
            raise KhbcError(f"Đang {self.exclusive.name}; dữ liệu sẽ được đọc lại khi xong.")

    def _hold_window(self, operation: Operation) -> None:
        self.exclusive = operation
        self._hold = WindowHold(operation.progress_text, self.dialog_parent)
        self._hold.show()

    def _start(self, call, failure: str, on_success, on_failure) -> OperationWorker:
        worker = OperationWorker(call, failure)
        _ALIVE.add(worker)
        worker.succeeded.connect(on_success)
        worker.failed.connect(on_failure)
        worker.finished.connect(lambda: self._ended(worker))
        self.running.append(worker)
        if len(self.running) == 1:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)  # arrow and hourglass: the window still works
        worker.start()
        return worker

    def _ended(self, worker: OperationWorker) -> None:
        self.running.remove(worker)
        _ALIVE.discard(worker)
        worker.deleteLater()
        if not self.running:
            QApplication.restoreOverrideCursor()

    def wait_for_running(self, timeout_ms: int = 120_000) -> None:
        """Closing the window: let the operations under way finish (a thread must not outlive its objects)."""
        for worker in list(self.running):
            worker.wait(timeout_ms)

    def report_error(self, message: str) -> None:
        self.failed.emit(message)
        if not self.quiet:
            QMessageBox.warning(self.dialog_parent, "KHBC", message)

