"""The appendix table view: wrapped text, group headings across the row, row heights that follow the text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QWidget

from desktop.ui.appendix_model import COL, COLUMNS, AppendixFilter, AppendixModel
from desktop.ui.column_fit import rows_on_screen
from desktop.ui.delegates import (
    CooperatingDelegate, LeadUnitDelegate, MultiLineDelegate, PaddedDelegate, TimeframeDelegate,
)
from desktop.ui.status_icons import STATE_COLOURS

# Above this many visible rows only the rows on screen are fitted to their text (fitting all of them is slow).
FIT_ALL_LIMIT = 200
MEASURE_DELAY_MS = 150  # a pause in typing
WIDTHS = {"number": 52, "lead": 150, "cooperating": 170, "timeframe": 160, "reading": 170}
STRETCH = ("content", "output")
SHORT_COLUMNS_SHARE = 0.5  # at most this share of the width for the columns above (1366 px screens: all of it)
LEGEND_LABELS = {"late": "Chậm tiến độ", "due": "Đến hạn trong kỳ", "ongoing": "Đang thực hiện",
                 "not_yet": "Chưa đến hạn", "finished": "Đã xong từ kỳ trước"}
# Each item stays on one line; on a narrow screen the legend wraps between items.
LEGEND = "&nbsp; ".join(
    f'<span style="color:{STATE_COLOURS[state]}">{"○" if state == "not_yet" else "●"}</span>'
    f'&nbsp;{label.replace(" ", "&nbsp;")}' for state, label in LEGEND_LABELS.items())
EDIT_HINT = "Nhấp đúp (F2) để sửa ô • Ctrl+Z: hoàn tác"
NOTICE_SECONDS = 12


class AppendixView(QTableView):
    """Shows an AppendixFilter; emits the keyboard commands a table cell does not consume itself."""

    delete_pressed = Signal()
    move_pressed = Signal(int)  # -1 up, +1 down

    def __init__(self, model: AppendixModel, proxy: AppendixFilter, unit_names, years, on_preview, parent=None):
        super().__init__(parent)
        self.source = model
        self.setModel(proxy)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        # Colours through the palette: a style sheet on the view makes every cell paint about a third slower.
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f4f7fb"))
        self.setPalette(palette)
        self.setItemDelegate(PaddedDelegate(self))
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(26)
        header = self.horizontalHeader()
        bold = QFont(header.font())
        bold.setBold(True)
        header.setFont(bold)
        header.setMinimumHeight(header.fontMetrics().height() + 12)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumSectionSize(44)
        for key, width in WIDTHS.items():
            header.setSectionResizeMode(COL[key], QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(COL[key], width)
        for key in STRETCH:
            header.setSectionResizeMode(COL[key], QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._columns_resized)

        multi = MultiLineDelegate(self)
        for key in ("number", "content", "output"):
            self.setItemDelegateForColumn(COL[key], multi)
        self.setItemDelegateForColumn(COL["lead"], LeadUnitDelegate(unit_names, self))
        self.setItemDelegateForColumn(COL["cooperating"], CooperatingDelegate(unit_names, self))
        self.setItemDelegateForColumn(COL["timeframe"], TimeframeDelegate(years, on_preview, self))

        self.empty = QLabel(self.viewport())
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #5b6b7d; font-size: 11pt;")
        self.empty.hide()

        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._relayout)
        self._measure_timer = QTimer(self)
        self._measure_timer.setSingleShot(True)
        self._measure_timer.setInterval(MEASURE_DELAY_MS)
        self._measure_timer.timeout.connect(self.fit_rows)
        self._heights: dict[int, int] = {}  # source row → fitted height, valid for the current column widths
        # Deliberately not rowsInserted/rowsRemoved: a filter change can emit thousands of them.
        for signal in (proxy.layoutChanged, proxy.filter_applied):
            signal.connect(self._after_change)
        for signal in (proxy.modelReset, model.dataChanged):
            signal.connect(self._after_data_change)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _scrolled(self, _value: int) -> None:
        if self.model().rowCount() > FIT_ALL_LIMIT:
            self.schedule_fit()

    # --- layout after every change ------------------------------------------------------------------
    def _after_change(self, *_args) -> None:
        self._fit_timer.start()  # spans and row heights once the change is complete

    def _after_data_change(self, *_args) -> None:
        self._heights.clear()
        self._fit_timer.start()

    def _columns_resized(self, *_args) -> None:
        self._heights.clear()
        self._fit_timer.start()

    def schedule_fit(self) -> None:
        self._fit_timer.start()

    def _relayout(self) -> None:
        self.update_spans()
        self.fit_rows(measure=False)

    def update_spans(self) -> None:
        """A group heading runs across the whole row."""
        self.clearSpans()
        proxy = self.model()
        for row in self.source.group_rows:
            view_row = proxy.mapFromSource(self.source.index(row, 0)).row()
            if view_row >= 0:
                self.setSpan(view_row, 0, 1, len(COLUMNS))

    def fit_rows(self, measure: bool = True) -> None:
        """Row heights follow the wrapped text: every row of a small table, else the rows on screen.

        Heights are remembered per row until the data or the column widths change, so filtering mostly
        reuses them. In a large table, rows not measured yet are measured once typing pauses
        (`measure=False` defers them), keeping each keystroke fast.
        """
        proxy = self.model()
        count = proxy.rowCount()
        if count <= FIT_ALL_LIMIT:
            rows, measure = range(count), True
        else:
            rows = rows_on_screen(self, count)
        heights, heading, pending = self._heights, self.fontMetrics().height() + 14, False
        for row in rows:
            source_row = proxy.mapToSource(proxy.index(row, 0)).row()
            height = heights.get(source_row)
            if height is None:
                if not measure:
                    pending = True
                    continue
                height = heading if self.source.entries[source_row].task is None else self.sizeHintForRow(row)
                heights[source_row] = height
            if self.rowHeight(row) != height:
                self.setRowHeight(row, height)
        if pending:
            self._measure_timer.start()

    def show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
        self._place_empty()

    def _place_empty(self) -> None:
        area = self.viewport().rect().adjusted(40, 20, -40, -20)
        self.empty.setGeometry(area.left(), area.top(), area.width(), min(area.height(), 140))

    def share_width(self) -> None:
        """The short columns give up room on a narrow screen so the content columns stay the widest (their
        text wraps) and the table never scrolls sideways."""
        room = self.viewport().width()
        scale = min(1.0, room * SHORT_COLUMNS_SHARE / sum(WIDTHS.values()))
        minimum = self.horizontalHeader().minimumSectionSize()
        for key, width in WIDTHS.items():
            wanted = max(minimum, int(width * scale))
            if self.columnWidth(COL[key]) != wanted:
                self.setColumnWidth(COL[key], wanted)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.share_width()
        self._place_empty()
        self.schedule_fit()

    # --- keys the table does not use ----------------------------------------------------------------
    def keyPressEvent(self, event) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            if event.key() == Qt.Key.Key_Delete and not event.modifiers():
                self.delete_pressed.emit()
                return
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and event.modifiers() == ctrl_shift:
                self.move_pressed.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
                return
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        # Ctrl+Shift+Up/Down must reach keyPressEvent even if a window shortcut uses the same keys.
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) \
                and event.modifiers() == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            event.accept()
            return True
        return super().event(event)


class AppendixFooter(QWidget):
    """Under the table: how many tasks are shown, what the state dots mean, and a hint or what was just done."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.count = QLabel()
        self.count.setMinimumWidth(120)
        legend = QLabel(LEGEND)
        legend.setTextFormat(Qt.TextFormat.RichText)
        legend.setWordWrap(True)
        legend.setToolTip("Tình trạng của nhiệm vụ trong kỳ báo cáo đang chọn (biểu tượng ở cột TT)")
        self.notice = QLabel()
        self.notice.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.notice.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.notify(""))
        self.notify("")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(legend, 3)
        layout.addWidget(self.notice, 2)

    def notify(self, text: str) -> None:
        """Show what was just done for a few seconds in place of the editing hint ("" brings the hint back)."""
        self.notice.setText(text or EDIT_HINT)
        self.notice.setStyleSheet("color: #2e7d32;" if text else "color: #5b6b7d;")
        if text:
            self._timer.start(NOTICE_SECONDS * 1000)
