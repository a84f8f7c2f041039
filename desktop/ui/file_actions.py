"""Files the pages write (as operations on a worker): asking where to save, a bar that opens the written file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ResultBar(QFrame):
    """A line saying which file was written, with buttons to open the file or its folder."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: Path | None = None
        self.setObjectName("resultBar")
        self.setStyleSheet("#resultBar { background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_file = QPushButton("Mở tệp")
        self.open_folder = QPushButton("Mở thư mục")
        self.open_file.clicked.connect(lambda: self.path and open_path(self.path))
        self.open_folder.clicked.connect(lambda: self.path and open_path(self.path.parent))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.open_file)
        layout.addWidget(self.open_folder)
        self.hide()

    def show_file(self, message: str, path: Path, can_open: bool = True) -> None:
        self.path = Path(path)
        self.label.setText(f"{message}\n{self.path}")
        self.open_file.setVisible(can_open)
        self.show()


def open_path(path: Path) -> None:
    """Open a file or folder with the system's program (Explorer, Excel, Word, the PDF reader)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())


def ask_save_path(parent: QWidget, title: str, file_name: str, filters: dict[str, str]) -> tuple[Path, str] | None:
    """Ask where to save; `filters` maps a format ("pdf") to its filter text. Returns (path, format) or None."""
    names = list(filters.values())
    chosen, selected = QFileDialog.getSaveFileName(parent, title, str(Path(documents_dir()) / file_name),
                                                   ";;".join(names))
    if not chosen:
        return None
    path = Path(chosen)
    by_suffix = path.suffix.lower().lstrip(".")
    fmt = by_suffix if by_suffix in filters else next((k for k, v in filters.items() if v == selected),
                                                      next(iter(filters)))
    if by_suffix != fmt:
        path = path.with_name(path.name + "." + fmt)
    return path, fmt
