"""Before a package is exported with a key set up: "Ký số và niêm phong gói" and the PIN (masked, never kept)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout

from desktop.ui.widgets import hint


class SealDialog(QDialog):
    """Asks whether to sign and seal the package; `chosen` carries the PIN, or None for a package without signature.

    The PIN is handed on once and cleared from the field; nothing stores it.
    """

    chosen = Signal(object)  # str (PIN or password) | None (export unsigned)

    def __init__(self, period_title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Xuất gói báo cáo")
        self.setMinimumWidth(480)
        self.seal = QCheckBox("Ký số và niêm phong gói")
        self.seal.setChecked(True)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("mã PIN của token hoặc mật khẩu tệp khóa")
        form = QFormLayout()
        form.addRow("Mã PIN:", self.pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Xuất gói")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint(
            f"Gói báo cáo kỳ {period_title}: ký số báo cáo (nếu chưa ký) và ký niêm phong danh mục của gói bằng khóa "
            "đã cài đặt. Nơi nhận kiểm tra được gói do ai "
            "niêm phong và không bị sửa. Mã PIN không được lưu lại."))
        layout.addWidget(self.seal)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.seal.toggled.connect(self._update)
        self.pin.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.pin.setEnabled(self.seal.isChecked())
        self.ok_button.setEnabled(not self.seal.isChecked() or bool(self.pin.text()))

    def accept(self) -> None:
        secret = self.pin.text() if self.seal.isChecked() else None
        self.pin.clear()
        super().accept()
        self.chosen.emit(secret)

    def reject(self) -> None:
        self.pin.clear()
        super().reject()
