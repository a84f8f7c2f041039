"""When the data file is damaged: say so plainly and offer to restore the newest good backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget,
)

from desktop.errors import KhbcError


class RecoveryDialog(QDialog):
    """Shows what is wrong and the suggested backup; `chosen` is the backup the user picked (or None)."""

    def __init__(self, error, parent: QWidget | None = None):
        super().__init__(parent)
        self.error = error
        self.chosen: Path | None = None
        self.setWindowTitle("KHBC – dữ liệu bị hỏng")
        self.resize(620, 260)
        suggestion = getattr(error, "suggestion", None)
        text = error.message
        if suggestion is not None:
            text += (f"\n\nBản sao lưu tốt gần nhất: lúc {suggestion.created_at:%H:%M ngày %d/%m/%Y} "
                     f"({suggestion.reason_label.lower()}).\nKhôi phục bản này sẽ mất các thay đổi sau thời điểm đó; "
                     "tệp hỏng vẫn được giữ lại trong thư mục sao lưu để kiểm tra.")
        else:
            text += "\n\nKhông tìm thấy bản sao lưu tốt nào bên cạnh tệp dữ liệu. Hãy chọn một bản sao lưu khác."
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("Khôi phục bản sao lưu này")
        self.restore_button.setEnabled(suggestion is not None)
        self.restore_button.clicked.connect(self._use_suggestion)
        self.other_button = QPushButton("Chọn bản sao lưu khác…")
        self.other_button.clicked.connect(self._choose_other)
        quit_button = QPushButton("Thoát")
        quit_button.clicked.connect(self.reject)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)

    def _use_suggestion(self) -> None:
        self.chosen = self.error.suggestion.path
        self.accept()

    def _choose_other(self) -> None:
        folder = ""
        if getattr(self.error, "path", None) is not None:
            folder = str(Path(self.error.path).parent / "backups")
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", folder, "Bản sao lưu KHBC (*.sqlite3)")
        if chosen:
            self.chosen = Path(chosen)
            self.accept()


def offer_recovery(error, parent: QWidget | None = None) -> bool:
    """Show the dialog for a DamagedDatabaseError and restore what the user chose.

    Returns True when a backup was restored (the caller opens the database again), False otherwise.
    """
    dialog = RecoveryDialog(error, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None or error.path is None:
        return False
    return restore_chosen(error.path, dialog.chosen, parent)


def restore_chosen(db_path: Path, backup: Path, parent: QWidget | None = None) -> bool:
    from desktop.services.restore import restore_backup

    try:
        restore_backup(db_path, backup)
    except KhbcError as exc:
        QMessageBox.critical(parent, "Không khôi phục được", exc.message)
        return False
    return True
