"""The plan package from the pages: "Nhập kế hoạch cấp trên" (with its differences dialog) and "Xuất kế hoạch gửi
cấp dưới"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.services import operations as ops
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ResultBar, busy, documents_dir
from desktop.ui.plan_import_dialog import PlanImportDialog
from desktop.ui.widgets import workspace_call


class PlanTransfer(QObject):
    """Runs the plan package services for a page; `imported` carries the service's result message."""

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

    def export_to(self, folder: Path):
        with busy():
            ok, result = self.bus.run(ops.EXPORT_PLAN_PACKAGE, folder)
        if not ok:
            return None
        state = "phiên bản mới" if result.new_version else "kế hoạch chưa đổi từ lần gửi trước"
        self.result_bar.show_file(f"Đã xuất gói kế hoạch phiên bản {result.version} ({state}; {result.task_count} "
                                  "nhiệm vụ). Gửi cùng một tệp này cho mọi đơn vị cấp dưới:", result.path,
                                  can_open=False)
        return result

    # --- coming in: the lower level --------------------------------------------------------------
    def import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.page, "Chọn gói kế hoạch của cấp trên", documents_dir(),
                                              "Gói kế hoạch (*.zip);;Mọi tệp (*)")
        if path:
            self.open_package(Path(path))

    def _preview(self, unit: str | None = None):
        from desktop.services.plan_receive import preview_plan_import

        with busy():
            return workspace_call(self.bus, preview_plan_import, self._path, unit=unit, default=None)

    def open_package(self, path: Path) -> PlanImportDialog | None:
        """Verify and preview the package, then show what importing it does (the dialog is left open)."""
        self._path = Path(path)
        preview = self._preview()
        if preview is None:
            return None
        if preview.refusal:
            self.bus.report_error(preview.refusal)
            return None
        self.dialog = PlanImportDialog(preview, self._preview, self.page)
        self.dialog.accepted.connect(self._merge)
        self.dialog.open()
        return self.dialog

    def _merge(self) -> None:
        dialog = self.dialog
        with busy():
            ok, result = self.bus.run(ops.IMPORT_PLAN_PACKAGE, self._path, unit=dialog.unit_name(),
                                      selected=dialog.selected_uids(), expected_sha256=dialog.preview.sha256)
        if not ok:
            return
        self.result_bar.show_file(result.message, self._path, can_open=False)
        self.imported.emit(result.message)
        if not self.bus.quiet:
            QMessageBox.information(self.page, "Nhập kế hoạch cấp trên", result.message)
