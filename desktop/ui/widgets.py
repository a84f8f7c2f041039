"""Shared small widgets of the pages: a row table model, a period chooser, an optional date, section editors, forms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSize, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QListWidget, QListWidgetItem, QPlainTextEdit, QStackedWidget, QStyledItemDelegate, QTableView,
    QVBoxLayout, QWidget,
)

from desktop.domain.periods import chosen_period_code
from desktop.errors import KhbcError
from desktop.services import clock
from desktop.domain.rows import PeriodRow
from desktop.ui.bus import DataBus

DATE_FORMAT = "dd/MM/yyyy"
SIGNING_AUTHORITIES = ("", "KT. GIÁM ĐỐC", "TL. GIÁM ĐỐC", "TUQ. GIÁM ĐỐC", "Q. GIÁM ĐỐC", "KT. CHÁNH VĂN PHÒNG",
                       "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH")


def workspace_call(bus: DataBus, service: Callable[..., Any], *args: Any, default: Any = None, **kwargs: Any) -> Any:
    """Read through a service that takes the Workspace (bundles, collect); a KhbcError is shown and `default`
    returned. Changes go through `DataBus.run` instead."""
    try:
        return service(bus.workspace, *args, **kwargs)
    except KhbcError as exc:
        bus.report_error(exc.message)
        return default


def vn_date(value: date | None, empty: str = "") -> str:
    """08/06/2026, as Vietnamese offices write dates."""
    return value.strftime("%d/%m/%Y") if value else empty


def text_lines(text: str) -> list[str]:
    """Non-empty lines of a multi-line editor (one basis document or recipient per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def heading(text: str, size: int = 3) -> QLabel:
    """A bold section title; `size` adds points to the base font."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() + size)
    label.setFont(font)
    return label


def hint(text: str) -> QLabel:
    """A grey, wrapped explanation under a field or group."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    """A form with labels on the left, fields growing to the right, and rows that wrap on narrow windows."""
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setHorizontalSpacing(12)
    form.setVerticalSpacing(8)
    return form


def group(title: str) -> tuple[QGroupBox, QFormLayout]:
    box = QGroupBox(title)
    return box, form_layout(box)


def authority_combo() -> QComboBox:
    """The signing authority ("KT. GIÁM ĐỐC"): common forms to pick, any other may be typed."""
    combo = QComboBox()
    combo.setEditable(True)
    combo.addItems(SIGNING_AUTHORITIES)
    combo.lineEdit().setPlaceholderText("để trống nếu thủ trưởng ký trực tiếp")
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class CallbackCommand(QUndoCommand):
    """An undoable step made of two callables; with `done` the change was already made and the push skips it."""

    def __init__(self, text: str, do: Callable[[], Any], undo: Callable[[], Any], done: bool = True):
        super().__init__(text)
        self._do, self._undo, self._skip = do, undo, done

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        self._do()

    def undo(self) -> None:
        self._undo()


class RowsModel(QAbstractTableModel):
    """Plain rows (tuples of display values) with one key per row; chosen columns may be edited in place."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None,
                 editable: Sequence[int] = (), on_edit: Callable[[Any, int, str], bool] | None = None,
                 checks: dict[int, tuple[str, str]] | None = None):
        super().__init__(parent)
        self.checks = checks or {}  # column -> (text when ticked, text when not): a bool shown as a tick box
        self.headers = list(headers)
        self.rows: list[tuple] = []
        self.keys: list[Any] = []
        self.colors: list[QColor | None] = []
        self.editable = set(editable)
        self.on_edit = on_edit  # (key, column, new text) -> accepted

    def set_rows(self, rows: Sequence[Sequence[Any]], keys: Sequence[Any] | None = None,
                 colors: Sequence[QColor | None] | None = None) -> None:
        self.beginResetModel()
        self.rows = [tuple(row) for row in rows]
        self.keys = list(keys) if keys is not None else list(range(len(self.rows)))
        self.colors = list(colors) if colors is not None else [None] * len(self.rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if index.column() in self.checks:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.DisplayRole:
                return self.checks[index.column()][0 if value else 1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:  # sort key: numbers as numbers
            return value
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.colors[index.row()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in self.checks and self.on_edit is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif index.isValid() and index.column() in self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or self.on_edit is None:
            return False
        if role == Qt.ItemDataRole.CheckStateRole and index.column() in self.checks:
            ticked = Qt.CheckState(value) == Qt.CheckState.Checked
            return bool(self.on_edit(self.keys[index.row()], index.column(), "1" if ticked else ""))
        if role != Qt.ItemDataRole.EditRole:
            return False
        if str(value) == str(self.rows[index.row()][index.column()] or ""):
            return False
        return bool(self.on_edit(self.keys[index.row()], index.column(), str(value)))

    def key_at(self, row: int) -> Any:
        return self.keys[row]


class RoomyDelegate(QStyledItemDelegate):
    """Rows a little taller than the text, so wrapped Vietnamese lines and their marks do not touch."""

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width() + 6, size.height() + 6)


def make_table(model: RowsModel, stretch: int = -1, sortable: bool = True) -> QTableView:
    """A read-friendly table view (whole rows selected, wrapped text, the `stretch` column takes the room)."""
    view = QTableView()
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(Qt.ItemDataRole.UserRole)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setItemDelegate(RoomyDelegate(view))
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch >= 0:
        from desktop.ui.column_fit import ColumnFitter

        view.column_fitter = ColumnFitter(view, stretch)
    else:
        header.setStretchLastSection(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                         | QAbstractItemView.EditTrigger.AnyKeyPressed)
    return view


def selected_key(view: QTableView) -> Any:
    """The key of the selected row of a make_table() view, or None."""
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    index = rows[0]
    model = view.model()
    if isinstance(model, QSortFilterProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    return model.key_at(index.row())


class PeriodCombo(QComboBox):
    """Chooses a reporting period of the plan; shares the choice with the other pages through the bus."""

    period_changed = Signal(str)

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(parent)
        self.bus = bus
        self.periods: list[PeriodRow] = []
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(20)
        self.currentIndexChanged.connect(self._picked)
        bus.period_selected.connect(self._follow)

    def reload(self) -> None:
        """Read the periods again (states change as data is sent); keep the chosen one."""
        from desktop.services.queries import list_periods  # SQLAlchemy: not on the first page's path

        self.show_periods(self.bus.try_read(list_periods, clock.today(), default=[]) or [])

    def wanted(self) -> str | None:
        """The period to keep showing: the one chosen here, else the one chosen on another page."""
        return self.code() or self.bus.period_code

    def show_periods(self, periods: list[PeriodRow]) -> None:
        """Show `periods` (read by the page with the rest of its data); keep the chosen one (`chosen_period_code`)."""
        wanted = chosen_period_code(periods, self.wanted(), clock.today())
        self.blockSignals(True)
        self.clear()
        self.periods = list(periods)
        for row in self.periods:
            self.addItem(f"{row.title} — {row.state_label.lower()}", row.code)
        index = self.findData(wanted)
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)
        if self.code():
            self.bus.select_period(self.code())

    def code(self) -> str | None:
        value = self.currentData()
        return str(value) if value else None

    def row(self) -> PeriodRow | None:
        return next((p for p in self.periods if p.code == self.code()), None)

    def _picked(self, _index: int) -> None:
        code = self.code()
        if code:
            self.bus.select_period(code)
            self.period_changed.emit(code)

    def _follow(self, code: str) -> None:
        index = self.findData(code)
        if index >= 0 and index != self.currentIndex():
            self.setCurrentIndex(index)  # emits period_changed through _picked


class OptionalDateEdit(QWidget):
    """A date that may be left empty ("chưa ký"): a tick box "Ghi ngày" shows the date field."""

    changed = Signal()

    def __init__(self, empty_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.check = QCheckBox("Ghi ngày")
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setDate(QDate.currentDate())
        self.empty_label = hint(f"({empty_text})")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addWidget(self.empty_label)
        layout.addStretch(1)
        self.check.toggled.connect(self._sync)
        self.check.toggled.connect(self.changed)
        self.edit.dateChanged.connect(self.changed)
        self._sync()

    def _sync(self) -> None:
        on = self.check.isChecked()
        self.edit.setVisible(on)
        self.empty_label.setVisible(not on)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        return self.edit.date().toPython()

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setDate(QDate(value.year, value.month, value.day) if value else QDate(*clock.today().timetuple()[:3]))
        self.blockSignals(False)
        self._sync()

    def set_read_only(self, read_only: bool) -> None:
        self.check.setEnabled(not read_only)
        self.edit.setReadOnly(read_only)


class SectionEditor(QWidget):
    """Long texts edited one at a time: their titles listed on the left, the chosen text on the right."""

    changed = Signal()

    def __init__(self, sections: Sequence[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.titles = dict(sections)
        self.editors: dict[str, QPlainTextEdit] = {}
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.setMinimumWidth(220)
        self.list.setMaximumWidth(300)
        self.stack = QStackedWidget()
        for key, title in sections:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
            editor = QPlainTextEdit()
            editor.setTabChangesFocus(True)
            editor.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            font = editor.font()
            font.setPointSizeF(font.pointSizeF() + 1)
            editor.setFont(font)
            editor.textChanged.connect(self.changed)
            editor.textChanged.connect(self._mark_empty)
            panel = QWidget()
            panel_layout = QVBoxLayout(panel)
            panel_layout.setContentsMargins(0, 0, 0, 0)
            panel_layout.addWidget(heading(title, 1))
            panel_layout.addWidget(editor, 1)
            self.stack.addWidget(panel)
            self.editors[key] = editor
        self.list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.list.setCurrentRow(0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.stack, 1)

    def values(self) -> dict[str, str]:
        return {key: editor.toPlainText() for key, editor in self.editors.items()}

    def set_values(self, values: dict[str, str]) -> None:
        for key, editor in self.editors.items():
            editor.blockSignals(True)
            editor.setPlainText(values.get(key, "") or "")
            editor.blockSignals(False)
        self._mark_empty()

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.editors.values():
            editor.setReadOnly(read_only)

    def select(self, key: str) -> None:
        self.list.setCurrentRow(list(self.editors).index(key))

    def _mark_empty(self) -> None:
        """An empty section is listed in grey with "(chưa có nội dung)", so gaps stand out."""
        for row, (key, editor) in enumerate(self.editors.items()):
            item = self.list.item(row)
            empty = not editor.toPlainText().strip()
            item.setText(self.titles[key] + ("\n(chưa có nội dung)" if empty else ""))
            item.setForeground(self.palette().placeholderText() if empty else self.palette().text())
