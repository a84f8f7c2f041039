"""Gửi báo cáo: export a period's sealed package (off the window's thread), list earlier exports, reopen a period."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QMessageBox, QProgressBar, QPushButton, QVBoxLayout,
    QWidget,
)

from desktop.domain.periods import days_left
from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.bundles import ExportResult, ExportRow
from desktop.services.documents import report_warnings
from desktop.services.operations import Change
from desktop.services.package_screens import SendScreen, send_screen
from desktop.services.review import ReceiptRow
from desktop.services.signing import read_settings
from desktop.services.ui_overview import SendState, as_local, send_state
from desktop.ui.bus import DataBus, OperationWorker
from desktop.ui.file_actions import ResultBar, documents_dir
from desktop.ui.pages.base import Page
from desktop.ui.review_actions import import_receipts, outcomes_html
from desktop.ui.seal_dialog import SealDialog
from desktop.ui.signing_dialog import SigningDialog
from desktop.ui.widgets import PeriodCombo, RowsModel, hint, make_table, vn_date, workspace_call

EXPORTING_TEXT = "Đang tạo gói báo cáo (báo cáo PDF, Word, Excel và dữ liệu)…"
SEALING_TEXT = "Đang ký số và niêm phong gói báo cáo… (không rút thiết bị ký số ra)"


def local_time(moment: datetime | None) -> str:
    local = as_local(moment)
    return local.strftime("%d/%m/%Y %H:%M") if local else ""


class SendPage(Page):
    """Sending side: one package per period and version."""

    nav_label = "Gửi báo cáo"
    slug = "gui-bao-cao"
    changes = frozenset({Change.EXPORTS, Change.REPORT, Change.PROGRESS, Change.PLAN, Change.PROFILE})

    export_finished = Signal(object)  # ExportResult, or None when it failed

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self.state: SendState | None = None
        self.worker: OperationWorker | None = None  # the export under way
        self.report_to = ""

        self.period_combo = PeriodCombo(bus)
        self.period_combo.period_changed.connect(lambda _code: self._show_state())
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ báo cáo:"))
        top.addWidget(self.period_combo)
        top.addStretch(1)

        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setTextFormat(Qt.TextFormat.RichText)
        self.export_button = QPushButton("Xuất gói báo cáo…")
        self.reopen_button = QPushButton("Mở lại để bổ sung…")
        for button in (self.export_button, self.reopen_button):
            button.setMinimumHeight(32)
        self.export_button.clicked.connect(self.export_clicked)
        self.reopen_button.clicked.connect(self.reopen_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: the service gives no steps
        self.progress.setFormat("")
        self.progress_label = QLabel(EXPORTING_TEXT)
        self.progress.hide()
        self.progress_label.hide()
        self.explain = hint("")
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.reopen_button)
        self.sign_button = QPushButton("Ký số…")  # ký số: desktop/ui/signing_dialog.py
        self.sign_button.clicked.connect(lambda: SigningDialog(self.bus, self.period_combo.code(), self).exec())
        buttons.addWidget(self.sign_button)
        buttons.addStretch(1)
        box = QGroupBox("Gói báo cáo của kỳ")
        box_layout = QVBoxLayout(box)
        box_layout.addWidget(self.state_label)
        box_layout.addLayout(buttons)
        box_layout.addWidget(self.progress_label)
        box_layout.addWidget(self.progress)
        box_layout.addWidget(self.explain)
        self.result_bar = ResultBar()
        self.result_bar.open_file.hide()

        self.exports_model = RowsModel(["Kỳ báo cáo", "Phiên bản", "Tệp", "Thời gian xuất", "Người xuất",
                                        "Mã kiểm tra (SHA-256)", "Cấp trên phản hồi"])
        self.exports_view = make_table(self.exports_model, stretch=2)
        self.exports_view.setEditTriggers(self.exports_view.EditTrigger.NoEditTriggers)
        self.exports_empty = hint("Chưa xuất gói báo cáo nào.")
        history = QGroupBox("Các lần đã xuất gói")
        history_layout = QVBoxLayout(history)
        history_layout.addWidget(self.exports_view)
        history_layout.addWidget(self.exports_empty)
        self.receipt_button = QPushButton("Nhập biên nhận…")
        self.receipt_button.setToolTip("Nhập biên nhận cấp trên gửi về: đã tiếp nhận, hoặc trả lại kèm lý do "
                                       "(kỳ bị trả lại được mở lại để bổ sung)")
        self.receipt_button.clicked.connect(self.receipt_clicked)
        self.receipt_note = QLabel()
        self.receipt_note.setWordWrap(True)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.receipt_button)
        receipt_row.addWidget(self.receipt_note, 1)
        history_layout.addLayout(receipt_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(box)
        layout.addWidget(self.result_bar)
        layout.addWidget(history, 1)

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        screen = self.bus.try_read(send_screen, self.period_combo.wanted(), clock.today(),  # one read
                                   default=SendScreen("", [], None, None, [], []))
        self.report_to = screen.report_to
        self.period_combo.show_periods(screen.periods)
        self._show_send_state(screen.state)
        self._show_exports(screen.exports, screen.receipts)

    def _show_state(self) -> None:
        code = self.period_combo.code()
        self._show_send_state(self.bus.try_read(send_state, code) if code else None)

    def _show_send_state(self, state: SendState | None) -> None:
        self.state = state
        busy = self.worker is not None
        if state is None:
            self.state_label.setText("Chưa có kỳ báo cáo.")
            self.export_button.setEnabled(False)
            self.reopen_button.setEnabled(False)
            return
        title = html.escape(state.period_title)
        if state.sent:
            # KHBC exports the package; the clerk sends it herself: say what really happened.
            text = (f"<b style='color:#2e7d32'>Đã xuất gói</b> báo cáo kỳ <b>{title}</b> lúc "
                    f"{local_time(state.sent_at)} (phiên bản {state.last_version}); gửi tệp gói đó cho nơi nhận. "
                    "Số liệu của kỳ đã được khóa.")
        else:
            due = ""
            if state.deadline:
                left = days_left(state, clock.today())
                when = f"còn {left} ngày" if left > 0 else ("hôm nay" if left == 0 else f"đã quá hạn {-left} ngày")
                due = f" Hạn gửi {vn_date(state.deadline)} ({when})."
            again = " (gửi bổ sung)" if state.last_version else ""
            text = (f"Kỳ <b>{title}</b> <b style='color:#ef6c00'>chưa gửi báo cáo</b>.{due} "
                    f"Lần xuất tới là phiên bản {state.next_version}{again}.")
        self.state_label.setText(text)
        self.export_button.setEnabled(not state.sent and not busy)
        self.reopen_button.setEnabled(state.sent and not busy)
        receiver = html.escape(self.report_to) if self.report_to else "nơi nhận báo cáo"
        self.explain.setText(
            f"Gói báo cáo là một tệp .zip gồm báo cáo (PDF, Word, Excel), dữ liệu và mã kiểm tra. Gửi tệp này cho "
            f"{receiver} qua thư điện tử hoặc USB. Sau khi xuất gói, số liệu của kỳ được khóa; muốn sửa, chọn "
            "“Mở lại để bổ sung” rồi xuất gói phiên bản mới.")

    def _show_exports(self, rows: list[ExportRow], receipts: list[ReceiptRow]) -> None:
        rows = list(reversed(rows))  # newest first
        answers = {(r.period_code, r.version): r.describe() for r in receipts}  # the latest one wins
        self.exports_model.set_rows(
            [(r.period_title, r.version, r.file_name, local_time(r.created_at), r.created_by, r.sha256[:16] + "…",
              answers.get((r.period_code, r.version), "")) for r in rows], keys=rows)
        self.exports_view.setVisible(bool(rows))
        self.exports_empty.setVisible(not rows)

    # --- export ---------------------------------------------------------------------------------
    def export_clicked(self) -> None:
        confirmed = self.confirm_warnings()
        if confirmed is None:
            return
        settings = workspace_call(self.bus, read_settings, default=None)
        if settings is not None and settings.has_key and self.state is not None:  # ký số: desktop/ui/seal_dialog.py
            self.seal_dialog = SealDialog(self.state.period_title, self)
            self.seal_dialog.chosen.connect(lambda secret: self.choose_folder(confirmed, secret))
            self.seal_dialog.open()
        else:
            self.choose_folder(confirmed, None)

    def choose_folder(self, confirmed: bool, sign_secret: str | None) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục lưu gói báo cáo", documents_dir())
        if folder:
            self.start_export(Path(folder), confirm_stale=confirmed, sign_secret=sign_secret)

    def confirm_warnings(self) -> bool | None:
        """Show what the report lacks and whether its text is older than its data; None when the clerk stops."""
        code = self.period_combo.code()
        found = workspace_call(self.bus, report_warnings, code, clock.today(), default=None) if code else None
        if found is None:
            return False
        freshness, gaps = found
        if not freshness.stale and not gaps:
            return False
        lines = [freshness.message()] if freshness.stale else []
        if gaps:
            lines.append(f"Báo cáo còn thiếu {len(gaps)} mục (danh sách được ghi vào gói):")
            lines += [f"- {g.text}" for g in gaps[:8]] + ([f"- … và {len(gaps) - 8} mục khác."] if len(gaps) > 8 else [])
        lines.append("Vẫn xuất gói báo cáo?")
        answer = QMessageBox.question(self, "Trước khi xuất gói", "\n".join(lines))
        return freshness.stale if answer == QMessageBox.StandardButton.Yes else None

    def start_export(self, folder: Path, confirm_stale: bool = False, sign_secret: str | None = None) -> None:
        code = self.period_combo.code()
        if code is None or self.worker is not None:
            return
        self.result_bar.hide()
        outcome = self.bus.run(ops.EXPORT_PACKAGE, code, folder, clock.today(), confirm_stale=confirm_stale,
                               sign_secret=sign_secret, on_success=self._exported, on_failure=self._export_failed)
        if outcome.worker is None:
            return
        self.worker = outcome.worker
        self.progress_label.setText(SEALING_TEXT if sign_secret is not None else EXPORTING_TEXT)
        self.progress.show()
        self.progress_label.show()
        self.export_button.setEnabled(False)
        self.sign_button.setEnabled(False)  # one use of the token at a time
        self.period_combo.setEnabled(False)

    def _exported(self, result: ExportResult) -> None:
        self.result_bar.show_file(f"Đã xuất gói báo cáo kỳ {result.period_title}, phiên bản {result.version}:",
                                  result.path, can_open=False)
        self._export_done()
        self.export_finished.emit(result)

    def _export_failed(self, message: str) -> None:
        self._export_done()
        self.bus.report_error(message)
        self.export_finished.emit(None)

    def _export_done(self) -> None:
        self.worker = None
        self.progress.hide()
        self.progress_label.hide()
        self.period_combo.setEnabled(True)
        self.sign_button.setEnabled(True)
        self._show_state()

    # --- reopen ---------------------------------------------------------------------------------
    def reopen_clicked(self) -> None:
        if self.state is None or not self.state.sent:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Mở lại để bổ sung")
        dialog.setLabelText(f"Mở lại kỳ {self.state.period_title} để sửa số liệu rồi gửi phiên bản "
                            f"{self.state.next_version}.\nLý do (bắt buộc, ghi vào nhật ký thay đổi):")
        dialog.setOkButtonText("Mở lại")
        dialog.setCancelButtonText("Hủy")
        self.reopen_dialog = dialog

        def require_reason(text: str) -> None:  # no reopening without a reason
            for button in dialog.findChildren(QPushButton):
                if button.text() == "Mở lại":
                    button.setEnabled(bool(text.strip()))

        dialog.textValueChanged.connect(require_reason)
        QTimer.singleShot(0, lambda: require_reason(dialog.textValue()))
        if dialog.exec() == QInputDialog.DialogCode.Accepted and dialog.textValue().strip():
            self.reopen(dialog.textValue().strip())

    def reopen(self, reason: str) -> bool:
        ok, _ = self.bus.run(ops.REOPEN_PERIOD, self.period_combo.code(), reason)
        return ok

    def receipt_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn biên nhận của cấp trên", documents_dir(),
                                                "Biên nhận (*.zip);;Mọi tệp (*)")
        if files:
            self.import_receipts([Path(f) for f in files])

    def import_receipts(self, paths: list[Path]) -> list:
        outcomes = import_receipts(self.bus, paths)
        self.receipt_note.setText(outcomes_html(outcomes))
        self.refresh()
        return outcomes

    def prepare_screenshot(self) -> None:
        self.refresh()
