"""Starting the desktop program: `khbc-gui [--db PATH] [--screenshot DIR]`."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from desktop.cli_text import install_vietnamese_argparse

    install_vietnamese_argparse()
    parser = argparse.ArgumentParser(prog="khbc-gui", description="KHBC – chương trình có giao diện.")
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    parser.add_argument("--screenshot", metavar="THƯ_MỤC", help="chụp từng trang ra tệp PNG rồi thoát")
    parser.add_argument("--size", metavar="RỘNGxCAO", default="1366x768",
                        help="cỡ màn hình khi chụp, ví dụ 1024x768 (mặc định 1366x768)")
    return parser.parse_args(list(argv))


def _has_plan(workspace) -> bool:
    from desktop.services.setup import current_plan

    with workspace.unit_of_work() as session:
        return current_plan(session, required=False) is not None


def _load_sample(workspace) -> None:
    from desktop.services.setup import load_sample

    with workspace.unit_of_work() as session:
        load_sample(session)


def layout_file(screenshot: bool) -> Path:
    """Where the window layout is remembered: the user data folder (never the registry or the install
    folder); screenshots use a throw-away file so they neither disturb nor depend on the user's layout."""
    if screenshot:
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


def open_workspace_interactively(target: str | None, screenshot: bool, parent=None):
    """Open the database for this window (no second window on the same file); a damaged file gets the
    recovery dialog, a database without a plan the first-run wizard (or, for screenshots, the sample).
    Returns the Workspace, or None when the user cancelled or it cannot be opened."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from db.engine import DamagedDatabaseError
    from desktop.errors import KhbcError
    from desktop.services.workspace import Workspace

    while True:
        try:
            workspace = Workspace.open(target, exclusive=not screenshot)
            break
        except DamagedDatabaseError as exc:
            from desktop.ui.recovery_dialog import offer_recovery

            if screenshot or not offer_recovery(exc, parent):
                if screenshot:
                    print(f"Lỗi: {exc.message}", file=sys.stderr)
                return None
        except KhbcError as exc:
            if screenshot:
                print(f"Lỗi: {exc.message}", file=sys.stderr)
            else:
                QMessageBox.critical(parent, "KHBC – không mở được dữ liệu", exc.message)
            return None
    try:
        if not _has_plan(workspace):
            if screenshot:
                _load_sample(workspace)
            else:
                from desktop.ui.first_run import FirstRunWizard

                if FirstRunWizard(workspace, parent).exec() != QDialog.DialogCode.Accepted:
                    workspace.close()
                    return None
        return workspace
    except KhbcError as exc:
        workspace.close()
        if screenshot:
            print(f"Lỗi: {exc.message}", file=sys.stderr)
        else:
            QMessageBox.critical(parent, "KHBC – không mở được dữ liệu", exc.message)
        return None


def auto_backup(workspace, reason: str) -> None:
    """A backup when something changed since the last one ("close", or "daily" from the timer).
    A failed backup must never stop the clerk's work, so it only shows in the status bar's log."""
    from desktop.errors import KhbcError
    from desktop.services.backup import maybe_auto_backup

    try:
        maybe_auto_backup(workspace, reason)
    except KhbcError as exc:
        print(f"Không sao lưu tự động được: {exc.message}", file=sys.stderr)


def run_gui(argv: Sequence[str] | None = None) -> int:
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
    from PySide6.QtCore import QSettings, QTimer
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
    opened: list = []
    backup_timer = QTimer(window)
    backup_timer.setInterval(60 * 60 * 1000)

    def load() -> bool:
        from desktop.ui.bus import DataBus

        workspace = open_workspace_interactively(args.db, bool(args.screenshot), window)
        if workspace is None:
            window.close()
            app.quit()
            return False
        opened.append(workspace)
        if not args.screenshot and workspace.database.path is not None:
            from desktop.ui.single_instance import listen_for_wakes

            listen_for_wakes(window, workspace.database.path)
        window.attach(DataBus(workspace))
        if not args.screenshot:
            backup_timer.timeout.connect(lambda: auto_backup(workspace, "daily"))  # at most once a day
            backup_timer.start()
        return True

    try:
        if args.screenshot:
            if not load():
                return 1
            for path in take_screenshots(window, Path(args.screenshot), size):
                print(path)
            window.close()
            return 0
        window.show()
        QTimer.singleShot(0, load)  # the window is on screen before the database and pages load
        return app.exec()
    finally:
        backup_timer.stop()
        for workspace in opened:
            if not args.screenshot:
                auto_backup(workspace, "close")
            workspace.close()


def main() -> None:
    sys.exit(run_gui(sys.argv))
