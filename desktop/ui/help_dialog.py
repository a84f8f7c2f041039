"""The user guide (F1): the Vietnamese help text shipped in resources/help, shown in a window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from resources import resource_path

GUIDE_FILE = resource_path("help", "huong-dan.md")


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng KHBC")
        self.resize(820, 680)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(GUIDE_FILE.read_text(encoding="utf-8"))
        self.browser.setStyleSheet("QTextBrowser { font-size: 11pt; padding: 8px; }")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
