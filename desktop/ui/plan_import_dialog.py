""""Nhập kế hoạch cấp trên": the package's tasks with the unit's own ticked, and for an amendment its differences."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QHeaderView, QLabel, QPlainTextEdit, QTableWidget,
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.ui.widgets import hint

COLUMNS = ("Nhận", "TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian", "Vai trò")
NO_UNIT = "(chưa xác định — hãy chọn đơn vị của bạn)"


class PlanImportDialog(QDialog):
    """Shows a PlanImportPreview; `reload(unit_name)` is called when the clerk picks another unit: it returns the
    new preview, or None and hands it to `show_preview` later (read on a worker)."""

    def __init__(self, preview, reload: Callable[[str | None], object | None], parent: QWidget | None = None):
        super().__init__(parent)
        self.preview = preview
        self._reload = reload
        self.setWindowTitle("Nhập kế hoạch cấp trên")
        self.resize(960, 640)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(30)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        unit_row = QHBoxLayout()
        unit_row.addWidget(QLabel("Đơn vị của bạn trong kế hoạch:"))
        unit_row.addWidget(self.unit_combo, 1)
        self.diff_text = QPlainTextEdit()
        self.diff_text.setReadOnly(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column, mode in enumerate((QHeaderView.ResizeMode.ResizeToContents,) * 2):
            header.setSectionResizeMode(column, mode)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((3, 150), (4, 150), (5, 120), (6, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(column, width)
        self.tabs = QTabWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(unit_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(hint("Kết quả đã ghi không bao giờ bị xóa: nhiệm vụ cấp trên bỏ mà đã có kết quả được giữ lại "
                              "và đánh dấu. Mọi thay đổi được ghi vào nhật ký."))
        layout.addWidget(self.buttons)
        self._fill_units()
        self.unit_combo.currentIndexChanged.connect(self._unit_changed)
        self._show(preview)

    def _fill_units(self) -> None:
        if self.preview.unit_name is None:
            self.unit_combo.addItem(NO_UNIT, None)
        for name in self.preview.unit_names:
            self.unit_combo.addItem(name, name)
        index = self.unit_combo.findData(self.preview.unit_name)
        self.unit_combo.setCurrentIndex(max(index, 0))

    def _unit_changed(self) -> None:
        fresh = self._reload(self.unit_combo.currentData())
        if fresh is not None:
            self._show(fresh)

    def show_preview(self, preview) -> None:
        self._show(preview)

    def _show(self, preview) -> None:
        self.preview = preview
        lines = [f"<b>Kế hoạch số {_escape(preview.plan_number or '(chưa có số)')}</b> của "
                 f"{_escape(preview.issuer_name)} — phiên bản {preview.version}", _escape(preview.plan_title)]
        if preview.amendment:
            lines.append(f"Đơn vị đang có phiên bản {preview.previous_version}: xem các thay đổi trước khi cập nhật.")
        self.summary.setText("<br>".join(lines))
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self._fill_table(preview)
        self.tabs.clear()
        if preview.amendment:
            self.diff_text.setPlainText("\n".join(preview.diff.lines()))
            self.tabs.addTab(self.diff_text, "Các thay đổi")
        self.tabs.addTab(self.table, "Nhiệm vụ trong kế hoạch")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Cập nhật theo phiên bản mới" if preview.amendment else "Nhập kế hoạch")
        ok.setEnabled(preview.unit_name is not None or self.selected_uids() != set())

    def _fill_table(self, preview) -> None:
        self.table.setRowCount(len(preview.tasks))
        for row, task in enumerate(preview.tasks):
            check = QTableWidgetItem()
            check.setData(Qt.ItemDataRole.UserRole, task.uid)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if not task.already_here:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            check.setFlags(flags)
            check.setCheckState(Qt.CheckState.Checked if task.preselected else Qt.CheckState.Unchecked)
            if task.already_here:
                check.setToolTip("Nhiệm vụ đã có trong kế hoạch của đơn vị")
            self.table.setItem(row, 0, check)
            role = task.role_label + (" (đã có)" if task.already_here else "")
            for column, text in enumerate((task.number, task.content, task.lead, ", ".join(task.cooperating),
                                           task.timeframe, role), start=1):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.itemChanged.connect(self._checks_changed, Qt.ConnectionType.UniqueConnection)

    def _checks_changed(self, _item) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.preview.unit_name is not None or bool(self.selected_uids()))

    def unit_name(self) -> str | None:
        return self.unit_combo.currentData()

    def selected_uids(self) -> set[str]:
        chosen = set()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.add(item.data(Qt.ItemDataRole.UserRole))
        return chosen

    def set_checked(self, uid: str, checked: bool) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == uid:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
