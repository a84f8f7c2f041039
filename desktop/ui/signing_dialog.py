"""The "Ký số" dialog of the Báo cáo and Gửi báo cáo pages: sign in KHBC, or export for another tool and attach back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QLineEdit, QProgressBar, QPushButton,
    QVBoxLayout,
)

from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.operations import Operation
from desktop.ui.bus import DataBus, OperationWorker
from desktop.ui.widgets import hint


class SigningDialog(QDialog):
    """One period: each action runs a service; a failure is shown in the dialog and changes nothing saved.

    Signing talks to the token for seconds and the other two draw the report, so each runs as a slow operation
    while the window stays responsive; the dialog cannot close meanwhile.
    """

    signing_finished = Signal(bool)
    exported = Signal(object)  # "Xuất bản để ký" ended: the file written, or None
    attached = Signal(bool)  # "Gắn bản đã ký" ended: whether the signed file was accepted

    def __init__(self, bus: DataBus, period_code: str, parent=None):
        super().__init__(parent)
        self.bus, self.period_code = bus, period_code
        self.worker: OperationWorker | None = None
        self._succeeded = False
        self.setWindowTitle(f"Ký số báo cáo kỳ {period_code}")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("mã PIN của token hoặc mật khẩu tệp khóa")
        self.sign_button = QPushButton("Ký số báo cáo")
        self.export_button = QPushButton("Xuất bản để ký bằng công cụ khác…")
        self.attach_button = QPushButton("Gắn bản đã ký…")
        self.sign_button.clicked.connect(lambda: self.sign())
        self.export_button.clicked.connect(lambda: self.export_for_signing())
        self.attach_button.clicked.connect(lambda: self.attach())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setFormat("")
        self.busy.hide()
        form = QFormLayout()
        form.addRow("Mã PIN:", self.pin)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_buttons = close
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sign_button)
        layout.addWidget(hint("Hoặc, nếu cơ quan phải ký bằng công cụ riêng: xuất bản để ký, ký tệp đó (không sửa), "
                              "rồi gắn bản đã ký. Lần xuất gói sau sẽ mang bản đã ký."))
        layout.addWidget(self.export_button)
        layout.addWidget(self.attach_button)
        layout.addWidget(self.busy)
        layout.addWidget(self.status)
        layout.addWidget(close)

    def _start(self, operation: Operation, *args, on_success, on_failure) -> bool:
        """Run an operation on this period on a worker, the dialog's buttons off meanwhile; False if one runs."""
        if self.worker is not None:
            return False
        outcome = self.bus.run(operation, self.period_code, *args, on_success=on_success, on_failure=on_failure)
        if outcome.worker is None:
            return False
        self.worker = outcome.worker
        self._set_busy(True)
        self.status.setText(operation.progress_text)
        return True

    def sign(self) -> bool:
        """Start signing in a worker; False when a signing is already under way. `signing_finished` tells the end."""
        if self.worker is not None:
            return False
        self._succeeded = False
        secret = self.pin.text()
        self.pin.clear()  # the PIN is never kept
        if not self._start(ops.SIGN_REPORT, secret, clock.today(), on_success=self._signed,
                           on_failure=self._sign_failed):
            return False
        self.status.setText("Đang ký số báo cáo… (không rút thiết bị ký số ra)")
        return True

    def _signed(self, result) -> None:
        self.status.setText(f"Đã ký số: {result.signer}, lúc {result.signed_at} (PAdES {result.level}). "
                            "Lần xuất gói tiếp theo sẽ dùng bản đã ký.")
        self._succeeded = True
        self._worker_done()

    def _sign_failed(self, message: str) -> None:
        self.status.setText(message)
        self._succeeded = False
        self._worker_done()

    def _worker_done(self) -> None:
        self._worker_ended()
        self.signing_finished.emit(self._succeeded)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        for widget in (self.pin, self.sign_button, self.export_button, self.attach_button, self.close_buttons):
            widget.setEnabled(not busy)

    def reject(self) -> None:  # closing mid-operation would leave its end with nowhere to show
        if self.worker is None:
            super().reject()

    def export_for_signing(self, path: str | None = None) -> bool:
        """Write the PDF to sign on a worker; `exported` carries the file written (None on failure)."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Xuất bản để ký", f"BaoCao_{self.period_code}_de_ky.pdf",
                                                  "PDF (*.pdf)")
        if not path:
            return False
        return self._start(ops.EXPORT_FOR_SIGNING, Path(path), clock.today(), on_success=self._exported,
                           on_failure=lambda message: self._action_failed(message, self.exported, None))

    def _exported(self, written: Path) -> None:
        self._worker_ended()
        self.status.setText(f"Đã xuất {written}. Hãy ký tệp này rồi bấm \"Gắn bản đã ký\".")
        self.exported.emit(written)

    def attach(self, path: str | None = None) -> bool:
        """Check and keep the signed PDF on a worker; `attached` tells whether it was accepted."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Gắn bản đã ký", "", "PDF (*.pdf)")
        if not path:
            return False
        return self._start(ops.ATTACH_SIGNED, Path(path), clock.today(), on_success=self._attached,
                           on_failure=lambda message: self._action_failed(message, self.attached, False))

    def _attached(self, result) -> None:
        self._worker_ended()
        self.status.setText(" ".join([f"Đã gắn bản đã ký: {result.signer}, lúc {result.signed_at}.", *result.warnings]))
        self.attached.emit(True)

    def _action_failed(self, message: str, signal, value) -> None:
        self._worker_ended()
        self.status.setText(message)
        signal.emit(value)

    def _worker_ended(self) -> None:
        self.worker = None
        self._set_busy(False)
