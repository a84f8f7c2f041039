"""The "Sao lưu" box of Cài đặt: the backups kept beside the data file, back up now, restore, check the data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout

from desktop.errors import KhbcError
from desktop.services import operations as ops
from desktop.ui.bus import DataBus
from desktop.ui.widgets import RowsModel, hint, make_table, selected_key


def _size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",") if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


class BackupPanel(QGroupBox):
    """Backing up and restoring are operations (a restore reloads every page); the list refreshes on BACKUPS."""

    def __init__(self, bus: DataBus):
        super().__init__("Sao lưu và kiểm tra dữ liệu")
        self.bus = bus
        self.rows = []
        self.model = RowsModel(["Thời điểm", "Lý do", "Cỡ"])
        self.view = make_table(self.model, stretch=1, sortable=False)
        self.view.setEditTriggers(self.view.EditTrigger.NoEditTriggers)
        self.view.setMinimumHeight(150)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.restore_button = QPushButton("Khôi phục bản đã chọn…")
        self.check_button = QPushButton("Kiểm tra dữ liệu")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.check_button.clicked.connect(self.check)
        self.last_folder: Path | None = None
        self.open_folder_button = QPushButton("Mở thư mục sao lưu")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()  # shown once a backup was made here, naming its folder
        buttons = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.check_button, self.open_folder_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.data_location = QLabel()
        self.data_location.setWordWrap(True)
        self.data_location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = hint("")
        layout = QVBoxLayout(self)
        layout.addWidget(hint("KHBC tự sao lưu khi đóng chương trình và mỗi ngày nếu dữ liệu có thay đổi; các bản "
                              "cũ được giữ theo ngày (2 tuần), theo tuần (3 tháng), theo tháng (2 năm)."))
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.data_location)

    def refresh(self) -> None:
        from desktop.services.backup import list_backups

        self.data_location.setText(f"Tệp dữ liệu: {self.bus.workspace.location}")
        try:
            self.rows = list_backups(self.bus.workspace)
        except KhbcError as exc:  # a server database is backed up with the server's own tools
            self.rows = []
            self.message.setText(exc.message)
        self.model.set_rows([(f"{r.created_at:%H:%M ngày %d/%m/%Y}", r.reason_label, _size(r.size))
                             for r in self.rows], keys=[str(r.path) for r in self.rows])
        self.restore_button.setEnabled(bool(self.rows))

    def back_up_now(self) -> None:
        """Back up on a worker; the message and the list follow once the copy is made."""
        self.backup_button.setEnabled(False)
        self.bus.run(ops.MAKE_BACKUP, on_success=self._backed_up, on_failure=self._backup_failed)

    def _backup_failed(self, message: str) -> None:
        self.backup_button.setEnabled(True)
        self.bus.report_error(message)

    def _backed_up(self, row) -> None:
        self.backup_button.setEnabled(True)
        self.last_folder = Path(row.path).parent
        self.message.setText(f"Đã sao lưu lúc {row.created_at:%H:%M:%S} vào thư mục {self.last_folder} "
                             f"(tệp {row.file_name}).")
        self.open_folder_button.show()

    def open_folder(self) -> None:
        """Show the backup folder in the system's file manager."""
        if self.last_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_folder)))

    def restore_selected(self) -> None:
        """Restore on a worker while the window waits (the bus holds it); every page reloads afterwards."""
        chosen = selected_key(self.view)
        row = next((r for r in self.rows if str(r.path) == chosen), None)
        if row is None:
            self.message.setText("Hãy chọn một bản sao lưu trong bảng.")
            return
        if not self.bus.quiet:
            answer = QMessageBox.question(
                self, "Khôi phục dữ liệu",
                f"Khôi phục dữ liệu về bản sao lưu lúc {row.created_at:%H:%M ngày %d/%m/%Y}?\n\n"
                "Dữ liệu hiện tại được sao lưu trước, nên vẫn lấy lại được nếu cần.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        when = f"{row.created_at:%H:%M ngày %d/%m/%Y}"
        self.message.setText(f"Đang khôi phục dữ liệu từ bản sao lưu lúc {when}…")
        self.bus.run(ops.RESTORE_BACKUP, row.path, on_success=lambda _result: self._restored(when),
                     on_failure=self._restore_failed)

    def _restored(self, when: str) -> None:
        self.message.setText(f"Đã khôi phục dữ liệu từ bản sao lưu lúc {when}.")

    def _restore_failed(self, message: str) -> None:
        self.message.setText(message)
        self.bus.report_error(message)

    def check(self) -> None:
        from desktop.services.integrity import check_database

        try:
            report = check_database(self.bus.workspace.database.url)  # location hides a password
        except KhbcError as exc:
            self.bus.report_error(exc.message)
            return
        self.message.setText(report.clerk_summary())
