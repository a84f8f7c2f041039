"""A modal "please wait" box over the window while an exclusive operation (a restore) runs on its worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QVBoxLayout, QWidget


class WindowHold(QDialog):
    """Keeps the clerk from editing while the data file is replaced; the window still repaints and answers.

    It cannot be closed by the clerk (no close button, Esc ignored); the bus closes it when the operation ends.
    """

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint
                         | Qt.WindowType.WindowTitleHint)
        self.setWindowTitle("KHBC")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.label = QLabel(f"{text}\nXin đợi trong giây lát; không tắt máy hoặc rút ổ đĩa.")
        self.label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setTextVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(bar)
        self.setMinimumWidth(380)

    def reject(self) -> None:  # Esc: the operation cannot be stopped halfway
        pass

    def release(self) -> None:
        self.done(QDialog.DialogCode.Accepted)
        self.deleteLater()
