"""Starting the desktop program: `khbc-gui [--db PATH] [--screenshot DIR]`."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from desktop.cli_text import KhbcArgumentParser, install_vietnamese_argparse

    install_vietnamese_argparse()
    parser = KhbcArgumentParser(prog="khbc-gui", description="KHBC – chương trình có giao diện.")
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    parser.add_argument("--screenshot", metavar="THƯ_MỤC", help="chụp từng trang ra tệp PNG rồi thoát")
    parser.add_argument("--size", metavar="RỘNGxCAO", default="1366x768",
                        help="cỡ màn hình khi chụp, ví dụ 1024x768 (mặc định 1366x768)")
    return parser.parse_args(list(argv))


def _load_sample(workspace) -> None:
    from desktop.services.setup import load_sample

    with workspace.unit_of_work() as session:
        load_sample(session)


def layout_file(screenshot: bool) -> Path:
    """Where the window layout is remembered: the user data folder (never the registry or the install
    folder); screenshots use a throw-away file so they neither disturb nor depend on the user's layout."""
    if screenshot:
        import tempfile

        return Path(tempfile.mkdtemp(prefix="khbc-shot-")) / "layout.ini"
    from desktop.services.locations import user_data_dir

    return user_data_dir() / "khbc-gui.ini"


def take_screenshots(window, out: Path, size: tuple[int, int] = (1366, 768)) -> list[Path]:
    """Render every page, wizard and dialog offscreen as NN-slug.png; layout problems go to stderr."""
    from desktop.ui.screenshots import take_screenshots as shoot

    written, problems = shoot(window, out, size)
    for problem in problems:
        print(f"Bố cục: {problem}", file=sys.stderr)
    return written


def _cannot_open(message: str, screenshot: bool, parent) -> None:
    if screenshot:
        print(f"Lỗi: {message}", file=sys.stderr)
    else:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(parent, "KHBC – không mở được dữ liệu", message)


def settle_opening(opened, screenshot: bool, parent=None):
    """On the UI thread, finish what the loading thread began: a damaged file gets the recovery dialog, a
    database without a plan the first-run wizard (or, for screenshots, the sample), an error its message.
    Returns (workspace ready for the window or None, whether to open the file again after a restore)."""
    from desktop.errors import KhbcError

    opened.handled = True
    exc = opened.error
    if exc is not None:
        from db.engine import DamagedDatabaseError

        if isinstance(exc, DamagedDatabaseError) and not screenshot:
            from desktop.ui.recovery_dialog import offer_recovery

            return None, offer_recovery(exc, parent)
        if not isinstance(exc, KhbcError):
            import traceback

            traceback.print_exception(exc)
        message = exc.message if isinstance(exc, KhbcError) else (
            f"Gặp lỗi ngoài dự kiến khi mở dữ liệu ({type(exc).__name__}). Dữ liệu không bị thay đổi; "
            "hãy báo cho bộ phận hỗ trợ kỹ thuật.")
        _cannot_open(message, screenshot, parent)
        return None, False
    workspace = opened.workspace
    if opened.has_plan:
        return workspace, False
    try:
        if screenshot:
            _load_sample(workspace)
        else:
            from PySide6.QtWidgets import QDialog

            from desktop.ui.first_run import FirstRunWizard

            if FirstRunWizard(workspace, parent).exec() != QDialog.DialogCode.Accepted:
                workspace.close()
                return None, False
        return workspace, False
    except KhbcError as exc:
        workspace.close()
        _cannot_open(exc.message, screenshot, parent)
        return None, False


def open_workspace_interactively(target: str | None, screenshot: bool, parent=None):
    """Open the database for this window on the calling thread (no second window on the same file), as
    `settle_opening` describes. Returns the Workspace, or None when the user cancelled or it cannot be opened."""
    from desktop.ui.startup_loader import open_for_window

    while True:
        workspace, again = settle_opening(open_for_window(target, exclusive=not screenshot), screenshot, parent)
        if not again:
            return workspace


def auto_backup(workspace, reason: str) -> None:
    """A backup when something changed since the last one ("close", or "daily" from the timer).
    A failed backup must never stop the clerk's work, so it only shows in the status bar's log."""
    from desktop.errors import KhbcError
    from desktop.services.backup import maybe_auto_backup

    try:
        maybe_auto_backup(workspace, reason)
    except KhbcError as exc:
        print(f"Không sao lưu tự động được: {exc.message}", file=sys.stderr)


class _Launcher:
    """Opens the data file on the loading thread while the painted window answers the user, then attaches it."""

    def __init__(self, app, window, target: str | None):
        from PySide6.QtCore import QObject, QTimer, Slot

        self.app = app
        self.window = window
        self.target = target
        self.opened: list = []  # workspaces the window works on, closed (after a backup) at the end
        self.dialogs_ahead = lambda: None
        self.loaders: list = []
        self.preview_bus = None  # the bus of the first page shown before the workspace opened
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(60 * 60 * 1000)

        class Receiver(QObject):  # a QObject of the UI thread, so `loaded` is delivered there
            @Slot(object)
            def loaded(receiver, opened) -> None:  # noqa: N805
                self.on_loaded(opened)

            @Slot(object)
            def previewed(receiver, data) -> None:  # noqa: N805
                try:
                    self.on_previewed(data)
                finally:  # the loading thread goes on once the rows are painted (a zero timer runs after the paint)
                    loader = self.loaders[-1]
                    QTimer.singleShot(0, loader.preview_painted.set)

        self.receiver = Receiver(window)

    def start(self) -> None:
        from desktop.ui.main_window import page_module
        from desktop.ui.startup_loader import StartupLoader

        module, name = page_module(self.window.remembered_page())
        loader = StartupLoader(self.target, True, module, name)
        loader.loaded.connect(self.receiver.loaded)
        if self.preview_bus is None:
            loader.previewed.connect(self.receiver.previewed)
        self.loaders.append(loader)
        loader.start()

    def on_previewed(self, data) -> None:
        """The first page's rows, read before SQLAlchemy loaded: paint them; the rest waits for `on_loaded`."""
        if not self.window.isVisible() or self.preview_bus is not None:
            return
        from desktop.ui.bus import DataBus

        self.preview_bus = DataBus(None)
        self.window.preview(self.preview_bus, data)

    def on_loaded(self, opened) -> None:
        if not self.window.isVisible():  # closed while the data was loading: `finish` closes the file
            return
        from desktop.ui.bus import DataBus

        if opened.error is not None or not opened.has_plan:
            self.dialogs_ahead()
        workspace, again = settle_opening(opened, False, self.window)
        if again:
            self.start()
            return
        if workspace is None:
            self.window.close()
            self.app.quit()
            return
        self.opened.append(workspace)
        if workspace.database.path is not None:  # a second copy on this file brings this window forward
            from desktop.ui.single_instance import listen_for_wakes

            listen_for_wakes(self.window, workspace.database.path)
        bus = self.preview_bus or DataBus(workspace)
        bus.workspace = workspace
        self.window.attach(bus, opened.first_data if opened.has_plan else None, rest_later=True)
        self.backup_timer.timeout.connect(lambda: auto_backup(workspace, "daily"))  # at most once a day
        self.backup_timer.start()

    def finish(self) -> None:
        """Wait for a loading thread still at work, close what it opened that the window never took,
        then back up (when something changed) and close the workspaces the window used."""
        self.backup_timer.stop()
        for loader in self.loaders:
            loader.preview_painted.set()  # no paint will come now: the thread must not wait for one
            loader.wait()
            result = loader.result
            if result is not None and not getattr(result, "handled", False) and result.workspace is not None:
                result.workspace.close()
        for workspace in self.opened:
            auto_backup(workspace, "close")
            workspace.close()


def after_first_paint(widget, callback, at_latest_ms: int = 1000) -> None:
    """Call `callback` once, on the turn of the event loop after `widget` first paints (a zero timer alone can
    run before the paint: measured on the offscreen platform), or after `at_latest_ms` if it never paints."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Watcher(QObject):
        def __init__(self):
            super().__init__(widget)
            self.done = False
            widget.installEventFilter(self)
            QTimer.singleShot(at_latest_ms, self, self.fire)

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
            if event.type() == QEvent.Type.Paint and not self.done:
                widget.removeEventFilter(self)
                QTimer.singleShot(0, self, self.fire)
            return False

        def fire(self) -> None:
            if not self.done:
                self.done = True
                callback()

    Watcher()


def run_gui(argv: Sequence[str] | None = None) -> int:
    # Start-up creates many objects and frees few (imports, the first rows): the cyclic garbage collector
    # would only slow it (by about a sixth, measured). It runs again once the first page is shown.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run_gui(argv, collecting)
    finally:
        if collecting:
            gc.enable()


def _run_gui(argv: Sequence[str] | None, collecting: bool) -> int:
    args = _parse((argv or sys.argv)[1:])
    size = (1366, 768)
    if args.screenshot:
        from desktop.ui.screenshots import parse_size, use_offscreen_screen

        try:
            size = parse_size(args.size)
        except ValueError:
            print(f"Lỗi: cỡ màn hình không hợp lệ: {args.size} (ví dụ: 1024x768)", file=sys.stderr)
            return 2
        use_offscreen_screen(size)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("KHBC")
    app.setOrganizationName("KHBC")
    # No setApplicationDisplayName: Qt would append it to every title ("KHBC — KHBC – Kế hoạch, báo cáo").
    from desktop.ui.translator import install

    app.khbc_translator = install(app)  # kept alive as long as the application
    settings = QSettings(str(layout_file(bool(args.screenshot))), QSettings.Format.IniFormat)
    if not args.screenshot:
        from desktop.ui.single_instance import refuse_second_copy

        if refuse_second_copy(args.db):  # before any window: never an empty window over the running one
            return 0
    window = MainWindow(settings)
    if args.screenshot:
        return _screenshots(window, args.db, Path(args.screenshot), size)
    if os.environ.get("KHBC_STARTUP_MARKS"):
        from desktop.ui.startup_marks import install as install_marks

        install_marks(window)
    launcher = _Launcher(app, window, args.db)
    if collecting:
        window.first_page_shown.connect(gc.enable)
        launcher.dialogs_ahead = gc.enable  # a dialog (recovery, first run) waits for the user: collect meanwhile
    try:
        window.show()
        # The loading thread starts once the window has painted, so the two do not share the interpreter
        # before the first paint; then the window answers the user while the data file opens.
        after_first_paint(window.loading, launcher.start)
        return app.exec()
    finally:
        launcher.finish()


def _screenshots(window, target: str | None, out: Path, size: tuple[int, int]) -> int:
    from desktop.ui.bus import DataBus

    workspace = open_workspace_interactively(target, True, window)
    if workspace is None:
        return 1
    try:
        window.attach(DataBus(workspace))
        for path in take_screenshots(window, out, size):
            print(path)
        window.close()
        return 0
    finally:
        workspace.close()


def main() -> None:
    sys.exit(run_gui(sys.argv))
