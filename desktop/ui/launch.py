"""Starting the desktop program: `khbc-gui [--db PATH] [--screenshot DIR]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    from desktop.cli_text import install_vietnamese_argparse

    install_vietnamese_argparse()
    parser = argparse.ArgumentParser(prog="khbc-gui", description="KHBC – chương trình có giao diện.")
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN", help="tệp cơ sở dữ liệu (mặc định: thư mục dữ liệu người dùng)")
    parser.add_argument("--screenshot", metavar="THƯ_MỤC", help="chụp các trang ra PNG rồi thoát")
    return parser.parse_args(list(argv))


def run_gui(argv: Sequence[str] | None = None) -> int:
    args = _parse((argv or sys.argv)[1:])
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop.errors import KhbcError
    from desktop.ui.main_window import MainWindow, open_workspace

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("KHBC")
    app.setOrganizationName("KHBC")
    try:
        workspace = open_workspace(args.db)
    except KhbcError as exc:
        if args.screenshot:
            print(f"Lỗi: {exc.message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, "KHBC – không mở được dữ liệu", exc.message)
        return 1
    window = MainWindow(workspace)
    if args.screenshot:
        out = Path(args.screenshot)
        out.mkdir(parents=True, exist_ok=True)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        path = out / "01-tong-quan.png"
        window.grab().save(str(path))
        print(path)
        workspace.close()
        return 0
    window.show()
    code = app.exec()
    workspace.close()
    return code


def main() -> None:
    sys.exit(run_gui(sys.argv))
