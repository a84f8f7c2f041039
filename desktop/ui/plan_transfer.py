"""The plan package from the pages: "Nhập kế hoạch cấp trên" (with its differences dialog) and "Xuất kế hoạch gửi
cấp dưới"; reading, importing and writing a package run as operations on a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QMessageBox, QWidget

from desktop.services import operations as ops
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ResultBar, documents_dir
from desktop.ui.plan_import_dialog import PlanImportDialog


class PlanTransfer(QObject):
    """Runs the plan package services for a page; the signals tell each end on the window's thread.

    `exported` carries the PlanExportResult (None on failure), `opened` the differences dialog (None when the
    package was refused or unreadable), `imported` the service's result message.
    """

    exported = Signal(object)
    opened = Signal(object)
    imported = Signal(str)

    def __init__(self, bus: DataBus, page: QWidget, result_bar: ResultBar):
        super().__init__(page)
        self.bus, self.page, self.result_bar = bus, page, result_bar
        self.dialog: PlanImportDialog | None = None
        self._path: Path | None = None

    # --- going down: the upper level ------------------------------------------------------------
    def export_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.page, "Chọn thư mục lưu gói kế hoạch gửi cấp dưới",
                                                  documents_dir())
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the package on a worker; the bar names it once written."""
        self.bus.run(ops.EXPORT_PLAN_PACKAGE, folder, on_success=self._exported, on_failure=self._export_failed)

    def _exported(self, result) -> None:
        state = "phiên bản mới" if result.new_version else "kế hoạch chưa đổi từ lần gửi trước"
        self.result_bar.show_file(f"Đã xuất gói kế hoạch phiên bản {result.version} ({state}; {result.task_count} "
                                  "nhiệm vụ). Gửi cùng một tệp này cho mọi đơn vị cấp dưới:", result.path,
                                  can_open=False)
        self.exported.emit(result)

    def _export_failed(self, message: str) -> None:
        self.bus.report_error(message)
        self.exported.emit(None)

    # --- coming in: the lower level --------------------------------------------------------------
    def import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.page, "Chọn gói kế hoạch của cấp trên", documents_dir(),
                                              "Gói kế hoạch (*.zip);;Mọi tệp (*)")
        if path:
            self.open_package(Path(path))

    def open_package(self, path: Path) -> None:
        """Verify and preview the package on a worker, then show what importing it does (`opened` tells)."""
        self._path = Path(path)
        self.bus.run(ops.PREVIEW_PLAN_PACKAGE, self._path, on_success=self._previewed,
                     on_failure=self._preview_failed)

    def _previewed(self, preview) -> None:
        if preview.refusal:
            self._preview_failed(preview.refusal)
            return
        self.dialog = PlanImportDialog(preview, self._preview_unit, self.page)
        self.dialog.accepted.connect(self._merge)
        self.dialog.open()
        self.opened.emit(self.dialog)

    def _preview_failed(self, message: str) -> None:
        self.bus.report_error(message)
        self.opened.emit(None)

    def _preview_unit(self, unit: str | None) -> None:
        """The clerk chose another unit in the dialog: its tasks are read again; OK waits for them."""
        dialog = self.dialog
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.bus.run(ops.PREVIEW_PLAN_PACKAGE, self._path, unit=unit, on_success=dialog.show_preview,
                     on_failure=self._unit_preview_failed)

    def _unit_preview_failed(self, message: str) -> None:
        self.bus.report_error(message)
        if self.dialog is not None:
            self.dialog.show_preview(self.dialog.preview)  # the unit chosen before stays shown and usable

    def _merge(self) -> None:
        dialog = self.dialog
        self.bus.run(ops.IMPORT_PLAN_PACKAGE, self._path, unit=dialog.unit_name(), selected=dialog.selected_uids(),
                     expected_sha256=dialog.preview.sha256, on_success=self._merged)

    def _merged(self, result) -> None:
        self.result_bar.show_file(result.message, self._path, can_open=False)
        self.imported.emit(result.message)
        if not self.bus.quiet:
            QMessageBox.information(self.page, "Nhập kế hoạch cấp trên", result.message)
