"""Table model of the "06 rõ" appendix (plain TaskRows plus group headings) and its fast search/filter proxy."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.domain.text import fold
from desktop.services.queries import TaskRow
from desktop.ui.status_icons import state_icon

COLUMNS: tuple[tuple[str, str], ...] = (
    ("number", "TT"),
    ("content", "Nội dung nhiệm vụ"),
    ("lead", "Đơn vị chủ trì"),
    ("cooperating", "Đơn vị phối hợp"),
    ("timeframe", "Thời gian thực hiện"),
    ("reading", "Hiểu là"),
    ("output", "Kết quả dự kiến"),
)
COL = {key: i for i, (key, _title) in enumerate(COLUMNS)}
# Headers of the short columns on two lines: at 1024×768 their one-line titles were cut ("Đơn vị chủ t").
HEADER_LINES = {"lead": "Đơn vị\nchủ trì", "cooperating": "Đơn vị\nphối hợp", "timeframe": "Thời gian\nthực hiện"}
# Column key → the update_task field an edit of that column changes.
EDIT_FIELDS = {"number": "number", "content": "content", "lead": "lead", "cooperating": "cooperating",
               "timeframe": "timeframe_text", "output": "expected_output"}

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
IS_GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3

# data() runs for every role of every painted cell: compare plain ints, not enum members.
DISPLAY, EDIT, TOOLTIP, DECORATION, FONT, ALIGN, BACKGROUND, FOREGROUND = (int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole))
TASK_ID, IS_GROUP, STATE = int(TASK_ID_ROLE), int(IS_GROUP_ROLE), int(STATE_ROLE)
ANSWERED = frozenset((DISPLAY, EDIT, TOOLTIP, DECORATION, FONT, ALIGN, BACKGROUND, FOREGROUND, TASK_ID, IS_GROUP,
                      STATE))
NUMBER, READING = COL["number"], COL["reading"]
ALIGN_NUMBER = int((Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter).value)
ALIGN_TEXT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)
ALIGN_HEADING = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)

NO_FLAGS = Qt.ItemFlag.NoItemFlags
READ_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
EDIT_FLAGS = READ_FLAGS | Qt.ItemFlag.ItemIsEditable
EDITABLE_COLUMNS = frozenset(COL[key] for key in EDIT_FIELDS)

GROUP_BACKGROUND = QColor("#e3ecf7")
PREVIEW_COLOUR = QColor("#1f5fa8")
UPPER_DROPPED_COLOUR = QColor("#8a8a8a")
UPPER_STATE_NOTES = {"removed": "Cấp trên đã bỏ nhiệm vụ này; giữ lại vì đã có kết quả.",
                     "reassigned": "Cấp trên đã giao nhiệm vụ này cho đơn vị khác; giữ lại vì đã có kết quả."}


@dataclass(frozen=True)
class Entry:
    """One table line: a task, or the heading of the group the following tasks belong to."""

    task: TaskRow | None
    heading: str = ""
    folded: str = ""  # search text, folded once when the rows arrive
    units: frozenset[str] = frozenset()
    display: tuple[str, ...] = ()  # the text of each column

    @property
    def is_group(self) -> bool:
        return self.task is None


def _entry(task: TaskRow, folded_before: dict[tuple, str]) -> Entry:
    display = (task.number, task.content, task.lead, "\n".join(task.cooperating), task.timeframe_text,
               task.timeframe_label, task.expected_output)
    folded = folded_before.get(display)
    if folded is None:
        folded = fold(" ".join(display))
    return Entry(task, folded=folded, units=frozenset((task.lead, *task.cooperating)) - {""}, display=display)


def build_entries(rows: list[TaskRow], previous: list[Entry] = ()) -> list[Entry]:
    """Table lines for the rows; search text already folded for an unchanged row is reused."""
    folded_before = {e.display: e.folded for e in previous if e.task is not None}
    entries: list[Entry] = []
    group_id = None
    for task in rows:
        if task.group_id is not None and task.group_id != group_id:
            entries.append(Entry(None, heading=task.group_title))
        group_id = task.group_id
        entries.append(_entry(task, folded_before))
    return entries


_FONTS: dict[tuple[bool, bool], QFont] = {}


def _font(bold: bool = False, italic: bool = False) -> QFont:
    key = (bold, italic)
    if key not in _FONTS:  # made on first use: a QFont needs the application to exist
        font = QFont()
        font.setBold(bold)
        font.setItalic(italic)
        _FONTS[key] = font
    return _FONTS[key]


class AppendixModel(QAbstractTableModel):
    """Holds plain rows; an edit is not applied here but announced with `edit_requested` for an undo command."""

    edit_requested = Signal(int, str, object)  # task id, column key, new value

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[Entry] = []
        self.group_rows: list[int] = []
        self.version = 0  # bumped on every change so the proxy knows to recompute
        self.state_period = ""  # "Năm 2026": the period the task states were computed for
        self._previews: dict[int, str] = {}

    # --- loading ----------------------------------------------------------------------------------
    def set_rows(self, rows: list[TaskRow], state_period: str = "") -> None:
        """Replace the rows; same tasks in the same order → refreshed in place (selection and editors survive)."""
        entries = build_entries(rows, self.entries)
        self.state_period = state_period
        self._previews.clear()
        same_shape = [(e.is_group, e.task.id if e.task else e.heading) for e in entries] == \
                     [(e.is_group, e.task.id if e.task else e.heading) for e in self.entries]
        self.version += 1
        if same_shape and entries:
            self.entries = entries
            self.group_rows = [row for row, e in enumerate(entries) if e.is_group]
            self.dataChanged.emit(self.index(0, 0), self.index(len(entries) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self.entries = entries
            self.group_rows = [row for row, e in enumerate(entries) if e.is_group]
            self.endResetModel()

    def task_count(self) -> int:
        return sum(1 for e in self.entries if not e.is_group)

    def row_of_task(self, task_id: int) -> int:
        for row, entry in enumerate(self.entries):
            if entry.task is not None and entry.task.id == task_id:
                return row
        return -1

    def task_at(self, row: int) -> TaskRow | None:
        return self.entries[row].task if 0 <= row < len(self.entries) else None

    def set_reading_preview(self, task_id: int, label: str | None) -> None:
        """Show what KHBC understands of a timeframe while it is being typed (None ends the preview)."""
        if label is None:
            self._previews.pop(task_id, None)
        else:
            self._previews[task_id] = label
        row = self.row_of_task(task_id)
        if row >= 0:
            index = self.index(row, COL["reading"])
            self.dataChanged.emit(index, index)

    # --- Qt model interface -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            key, title = COLUMNS[section]
            return HEADER_LINES.get(key, title)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole \
                and COLUMNS[section][0] == "reading":
            return "Cách KHBC hiểu cột \"Thời gian thực hiện\" (dùng để biết nhiệm vụ nào đến hạn, chậm tiến độ)."
        return None

    def flags(self, index):
        row = index.row()
        if row < 0:
            return NO_FLAGS
        if self.entries[row].task is None or index.column() not in EDITABLE_COLUMNS:
            return READ_FLAGS
        return EDIT_FLAGS

    def data(self, index, role=DISPLAY):
        if role not in ANSWERED:
            return None
        row, column = index.row(), index.column()
        if row < 0:
            return None
        entry = self.entries[row]
        task = entry.task
        if task is None:
            return self._group_data(entry, column, role)
        if role == DISPLAY:
            if column == READING and self._previews:
                return self._previews.get(task.id, task.timeframe_label)
            return entry.display[column]
        if role == ALIGN:
            return ALIGN_NUMBER if column == NUMBER else ALIGN_TEXT
        if role == EDIT:
            return list(task.cooperating) if column == COL["cooperating"] else entry.display[column]
        if role == TASK_ID:
            return task.id
        if role == DECORATION:
            return state_icon(task.state) if column == NUMBER and task.state else None
        if role == TOOLTIP:
            return self._tooltip(entry, column)
        if role == STATE:
            return task.state
        if role == IS_GROUP:
            return False
        if task.upper_state:  # dropped or reassigned by the upper level, kept for its results: greyed
            if role == FOREGROUND:
                return QBrush(UPPER_DROPPED_COLOUR)
            if role == FONT:
                return _font(italic=True)
        if column == READING and task.id in self._previews:
            if role == FOREGROUND:
                return QBrush(PREVIEW_COLOUR)
            if role == FONT:
                return _font(italic=True)
        return None

    def _group_data(self, entry: Entry, column: int, role: int):
        if role == DISPLAY:
            return entry.heading if column == 0 else ""
        if role == FONT:
            return _font(bold=True)
        if role == BACKGROUND:
            return QBrush(GROUP_BACKGROUND)
        if role == ALIGN:
            return ALIGN_HEADING
        if role == IS_GROUP:
            return True
        return None

    def _tooltip(self, entry: Entry, column: int) -> str | None:
        task = entry.task
        if task.upper_state and column in (NUMBER, COL["content"]):
            return UPPER_STATE_NOTES.get(task.upper_state, task.upper_state)
        if column == NUMBER and task.state:
            where = f" ({self.state_period})" if self.state_period else ""
            return f"Nhiệm vụ {task.number}{where}: {task.state_label}"
        if column == READING:
            return "Đang gõ: KHBC hiểu là như trên." if task.id in self._previews else \
                f"KHBC hiểu \"{task.timeframe_text}\" là: {task.timeframe_label}"
        text = entry.display[column]
        return text if len(text) > 60 else None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        task = self.entries[index.row()].task
        key = COLUMNS[index.column()][0]
        if task is None or key not in EDIT_FIELDS:
            return False
        current = self.data(index, EDIT)
        if value != current:
            self.edit_requested.emit(task.id, key, value)
        return True


class AppendixFilter(QSortFilterProxyModel):
    """Search (diacritics ignored), unit and state filters; compares precomputed folded strings only.

    The accepted rows are computed once per change in one pass over the model's entries; a group heading
    stays visible when at least one of its tasks does. Typing more letters only re-checks the rows that
    matched before. Qt then asks `filterAcceptsRow` row by row, which only reads the list.
    """

    filter_applied = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._needle = ""
        self._unit: str | None = None
        self._state: str | None = None
        self._accepted: list[bool] = []
        self._version = -1
        self._basis: tuple | None = None  # (needle, unit, state, version) the accepted list was computed for
        self._model: AppendixModel | None = None

    def setSourceModel(self, model: AppendixModel) -> None:  # noqa: N802
        self._model = model
        super().setSourceModel(model)

    def set_search(self, text: str) -> None:
        self._apply(fold(text), self._unit, self._state)

    def set_unit(self, unit: str | None) -> None:
        self._apply(self._needle, unit or None, self._state)

    def set_state(self, state: str | None) -> None:
        self._apply(self._needle, self._unit, state or None)

    def is_filtered(self) -> bool:
        return bool(self._needle or self._unit or self._state)

    def _apply(self, needle: str, unit: str | None, state: str | None) -> None:
        if (needle, unit, state) == (self._needle, self._unit, self._state):
            return
        self._needle, self._unit, self._state = needle, unit, state
        self._recompute()
        # One layout change instead of a removal signal per hidden range: thousands of those make the
        # table's header slow; the current row and selection survive either way.
        self.invalidate()
        self.filter_applied.emit()

    def _recompute(self) -> None:
        model = self._model
        entries = model.entries
        needle, unit, state = self._needle, self._unit, self._state
        basis = self._basis
        narrowing = (basis is not None and basis[3] == model.version and basis[1:3] == (unit, state)
                     and needle.startswith(basis[0]) and len(self._accepted) == len(entries))
        previous = self._accepted
        accepted = [False] * len(entries)
        heading = -1
        for row, entry in enumerate(entries):
            if entry.task is None:
                heading = row
                continue
            if narrowing and not previous[row]:
                continue
            if (needle in entry.folded and (unit is None or unit in entry.units)
                    and (state is None or entry.task.state == state)):
                accepted[row] = True
                if heading >= 0:
                    accepted[heading] = True
        self._accepted = accepted
        self._basis = (needle, unit, state, model.version)
        self._version = model.version

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        # Called once per row: keep it tiny, and never let it raise (an exception here takes Qt down).
        if self._version != self._model.version:
            self._recompute()  # the source changed: its signals reach the proxy before any of our slots
        accepted = self._accepted
        return accepted[source_row] if source_row < len(accepted) else True
