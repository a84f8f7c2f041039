"""The small table of documents cited as evidence of a task's result (số, ngày, trích yếu, tệp đính kèm)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QRect, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLineEdit, QStyledItemDelegate, QTableView

from desktop.ui.table_model import ColumnsModel

from desktop.services.ui_support import EvidenceItem

COLUMNS = ("Số văn bản", "Ngày", "Trích yếu", "Tệp đính kèm")
NUMBER, DATE, SUMMARY, FILE = range(4)


class EvidenceModel(ColumnsModel):
    """Holds plain EvidenceItems being edited; `edited` fires on every change."""

    columns = COLUMNS

    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list[EvidenceItem] = []
        self.read_only = False

    def set_items(self, items) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def add(self) -> int:
        row = len(self.items)
        self.beginInsertRows(QModelIndex(), row, row)
        self.items.append(EvidenceItem())
        self.endInsertRows()
        self.edited.emit()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.items[row]
            self.endRemoveRows()
            self.edited.emit()

    def attach(self, row: int, file_name: str, sha256: str) -> None:
        self.items[row] = replace(self.items[row], file_name=file_name, file_sha256=sha256)
        self.dataChanged.emit(self.index(row, FILE), self.index(row, FILE))
        self.edited.emit()

    def row_count(self) -> int:
        return len(self.items)

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() != FILE and not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self.items[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == NUMBER:
                return item.number
            if column == DATE:
                return f"{item.issued_on:%d/%m/%Y}" if item.issued_on else ""
            if column == SUMMARY:
                return item.summary
            if item.file_name and not item.file_sha256 and role == Qt.ItemDataRole.DisplayRole:
                return f"{item.file_name} (chưa có tệp)"
            return item.file_name or ("" if role == Qt.ItemDataRole.ToolTipRole else "—")
        if role == Qt.ItemDataRole.EditRole:
            if column == DATE:
                return item.issued_on
            return (item.number, None, item.summary, item.file_name)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == FILE and not item.file_name:
            return Qt.GlobalColor.gray
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or self.read_only:
            return False
        item = self.items[index.row()]
        column = index.column()
        if column == NUMBER:
            new = replace(item, number=str(value).strip())
        elif column == DATE:
            new = replace(item, issued_on=value)
        elif column == SUMMARY:
            new = replace(item, summary=str(value).strip())
        else:
            return False
        if new != item:
            self.items[index.row()] = new
            self.dataChanged.emit(index, index)
            self.edited.emit()
        return True


def parse_vn_date(text: str) -> date | None:
    """"31/12/2026" → date; "" → None; raises ValueError with a Vietnamese message for a day that does not exist
    (31/02/2026 is refused, never quietly turned into 28/02) or text that is not a date."""
    text = text.strip()
    if not text:
        return None
    parts = text.replace("-", "/").replace(".", "/").split("/")
    try:
        day, month, year = (int(part) for part in parts)
        if year < 100:
            year += 2000
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"Ngày \"{text}\" không có thật hoặc không đúng dạng ngày/tháng/năm "
                         "(ví dụ 28/02/2026); ngày văn bản chưa được đổi.") from None


class DateDelegate(QStyledItemDelegate):
    """A date typed as dd/mm/yyyy (the full year shown); an impossible date is refused with a message and the
    editor stays open on Enter; clearing it leaves the document undated."""

    refused = Signal(str)

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        editor.setPlaceholderText("ngày/tháng/năm")
        editor.setToolTip("Ví dụ: 28/02/2026 • Enter: lưu • Esc: bỏ qua • để trống: văn bản không ghi ngày")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        value: date | None = index.data(Qt.ItemDataRole.EditRole)
        editor.setText(f"{value:%d/%m/%Y}" if value else "")
        editor.selectAll()

    def setModelData(self, editor, model, index):  # noqa: N802
        try:
            value = parse_vn_date(editor.text())
        except ValueError as exc:
            self.refused.emit(str(exc))
            return
        self.refused.emit("")
        model.setData(index, value, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), editor.fontMetrics().horizontalAdvance("00/00/00000") + 16))
        editor.setGeometry(rect)

    def eventFilter(self, editor, event):  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            try:
                parse_vn_date(editor.text())
            except ValueError as exc:
                self.refused.emit(str(exc))
                return True  # stay in the editor: she corrects the date
        return super().eventFilter(editor, event)


class EvidenceView(QTableView):
    def __init__(self, model: EvidenceModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.date_delegate = DateDelegate(self)
        self.setItemDelegateForColumn(DATE, self.date_delegate)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setAlternatingRowColors(True)
        self.setWordWrap(True)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(NUMBER, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(DATE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FILE, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(NUMBER, 105)
        self.setColumnWidth(DATE, max(92, self.fontMetrics().horizontalAdvance("00/00/0000") + 16))
        self.setColumnWidth(FILE, 140)
        self.setMinimumHeight(96)
        self.setMaximumHeight(150)

    def current_row(self) -> int:
        return self.currentIndex().row() if self.currentIndex().isValid() else -1
