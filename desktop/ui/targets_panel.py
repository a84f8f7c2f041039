"""The target figures of a period: each measurable target of the plan with an editable "Kết quả kỳ này"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.services.progress import TargetFigureRow
from desktop.ui.table_model import ColumnsModel
from desktop.ui.delegates import PaddedDelegate

COLUMNS = ("TT", "Chỉ tiêu", "Mục tiêu", "Kết quả kỳ này")
VALUE = 3


class TargetsModel(ColumnsModel):
    """Plain TargetFigureRows; typing a result emits `value_edited` (the page records it as an undo step)."""

    columns = COLUMNS

    value_edited = Signal(int, str, str)  # target position, new text, old text

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[TargetFigureRow] = []
        self.read_only = False

    def set_rows(self, rows: list[TargetFigureRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == VALUE and not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return (str(row.position), row.content, row.goal_text, row.value_text)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            centred = index.column() in (0, 2, 3)
            return int((Qt.AlignmentFlag.AlignHCenter if centred else Qt.AlignmentFlag.AlignLeft)
                       | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == VALUE and not self.read_only:
            return Qt.GlobalColor.white
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == VALUE:
            return "Nhấp đúp để nhập kết quả đạt được trong kỳ, ví dụ 95% hoặc Bảo đảm"
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != VALUE or self.read_only:
            return False
        row = self.rows[index.row()]
        text = str(value).strip()
        if text != row.value_text:
            self.value_edited.emit(row.position, text, row.value_text)
        return True


class TargetsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = TargetsModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setItemDelegate(PaddedDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, 44)
        self.view.setColumnWidth(2, 100)
        self.view.setColumnWidth(VALUE, 150)
        header.sectionResized.connect(lambda *_: self.view.resizeRowsToContents())
        self.model.modelReset.connect(self.view.resizeRowsToContents)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #44546a;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)

    def set_rows(self, rows: list[TargetFigureRow], period_title: str, read_only: bool) -> None:
        self.model.read_only = read_only
        self.model.set_rows(rows)
        if not rows:
            self.note.setText("Kế hoạch chưa có chỉ tiêu đo đếm được (mục \"Mục tiêu cụ thể\").")
        elif read_only:
            self.note.setText(f"Kết quả các chỉ tiêu trong kỳ {period_title} (kỳ đã gửi, chỉ xem).")
        else:
            self.note.setText(f"Nhập kết quả đạt được của từng chỉ tiêu trong kỳ {period_title} ở cột "
                              "\"Kết quả kỳ này\" (nhấp đúp vào ô). Kết quả được lưu ngay.")
