"""The small table of documents cited as evidence of a task's result (số, ngày, trích yếu, tệp đính kèm)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from desktop.ui.table_model import ColumnsModel
from PySide6.QtWidgets import QAbstractItemView, QDateEdit, QHeaderView, QStyledItemDelegate, QTableView

from desktop.services.ui_support import EvidenceItem

COLUMNS = ("Số văn bản", "Ngày", "Trích yếu", "Tệp đính kèm")
NUMBER, DATE, SUMMARY, FILE = range(4)
NO_DATE = QDate(1900, 1, 1)


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


class DateDelegate(QStyledItemDelegate):
    """A date typed or picked as dd/MM/yyyy; clearing it leaves the document undated."""

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QDateEdit(parent)
        editor.setDisplayFormat("dd/MM/yyyy")
        editor.setCalendarPopup(True)
        editor.setMinimumDate(NO_DATE)
        editor.setSpecialValueText(" ")  # shown for NO_DATE: no date
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        value: date | None = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())

    def setModelData(self, editor, model, index):  # noqa: N802
        picked = editor.date()
        model.setData(index, None if picked == NO_DATE else date(picked.year(), picked.month(), picked.day()),
                      Qt.ItemDataRole.EditRole)


class EvidenceView(QTableView):
    def __init__(self, model: EvidenceModel, parent=None):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegateForColumn(DATE, DateDelegate(self))
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
        self.setColumnWidth(DATE, 92)
        self.setColumnWidth(FILE, 140)
        self.setMinimumHeight(96)
        self.setMaximumHeight(150)

    def current_row(self) -> int:
        return self.currentIndex().row() if self.currentIndex().isValid() else -1
