"""The history of one item (or of all data): who changed which field, when, from what to what; export to Excel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from desktop.errors import KhbcError
from desktop.services import operations as ops
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ask_save_path
from desktop.ui.widgets import RowsModel, make_table

COLUMNS = ("Thời gian", "Người sửa", "Thao tác", "Trường", "Giá trị cũ", "Giá trị mới")


class AuditDialog(QDialog):
    """Read-only table of audit rows for `entity`/`entity_id` (all data when both are None).

    Nothing here holds a session; the Excel file is written by an operation on a worker.
    """

    exported_file = Signal(object)  # the Excel file written, or None when it could not be

    def __init__(self, bus: DataBus, entity: str | None = None, entity_id: int | None = None,
                 title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.bus = bus
        self.workspace = bus.workspace
        self.entity = entity
        self.entity_id = entity_id
        self.setWindowTitle("Lịch sử thay đổi" + (f" – {title}" if title else ""))
        self.resize(980, 560)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.model = RowsModel(COLUMNS, self)
        self.view = make_table(self.model, stretch=5)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.caption)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.rows: list = []
        self.exported = None  # the last Excel file written
        self.refresh()

    def refresh(self) -> None:
        from desktop.services.audit_log import list_audit

        try:
            with self.workspace.read() as session:
                self.rows = list_audit(session, self.entity, self.entity_id)
        except KhbcError as exc:
            self.rows = []
            self.caption.setText(exc.message)
        else:
            self.caption.setText(f"{len(self.rows)} thay đổi, mới nhất ở trên." if self.rows
                                 else "Chưa có thay đổi nào được ghi lại cho mục này.")
        self.model.set_rows([(r.at.strftime("%d/%m/%Y %H:%M"), r.user, r.action_label, r.field_label, r.old_value,
                              r.new_value) for r in self.rows], keys=[r.id for r in self.rows])
        self.export_button.setEnabled(bool(self.rows))

    def export(self) -> None:
        """Ask where, then write the Excel file on a worker; `exported_file` tells the end."""
        chosen = ask_save_path(self, "Xuất nhật ký thay đổi", "NhatKyThayDoi.xlsx", {"xlsx": "Excel (*.xlsx)"})
        if chosen is None:
            return
        self.export_button.setEnabled(False)
        self.caption.setText("Đang xuất nhật ký thay đổi ra Excel…")
        self.bus.run(ops.EXPORT_AUDIT_FILE, chosen[0], self.entity, self.entity_id, on_success=self._exported,
                     on_failure=self._export_failed)

    def _exported(self, path) -> None:
        self.export_button.setEnabled(True)
        self.caption.setText(f"Đã xuất {len(self.rows)} dòng ra {path}.")
        self.exported = path
        self.exported_file.emit(path)

    def _export_failed(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.caption.setText(message)
        if not self.bus.quiet:
            QMessageBox.warning(self, "Không xuất được", message)
        self.exported_file.emit(None)
