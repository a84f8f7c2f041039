"""The appendix table view: wrapped text, group headings across the row, row heights that follow the text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView

from desktop.ui.appendix_model import COL, COLUMNS, IS_GROUP_ROLE, AppendixFilter, AppendixModel
from desktop.ui.delegates import (
    CooperatingDelegate, LeadUnitDelegate, MultiLineDelegate, PaddedDelegate, TimeframeDelegate,
)

# Above this many visible rows only the rows on screen are fitted to their text (fitting 10,000 rows is slow).
FIT_ALL_LIMIT = 400
WIDTHS = {"number": 52, "lead": 150, "cooperating": 170, "timeframe": 160, "reading": 170}
STRETCH = ("content", "output")


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
        self.setStyleSheet("QTableView { gridline-color: #c9d3df; alternate-background-color: #f4f7fb; }"
                           "QHeaderView::section { font-weight: bold; padding: 4px; }")
        self.setItemDelegate(PaddedDelegate(self))
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(26)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        header.setMinimumSectionSize(44)
        for key, width in WIDTHS.items():
            header.setSectionResizeMode(COL[key], QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(COL[key], width)
        for key in STRETCH:
            header.setSectionResizeMode(COL[key], QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(lambda *_: self.schedule_fit())

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
        self._fit_timer.timeout.connect(self.fit_rows)
        for signal in (proxy.layoutChanged, proxy.modelReset, proxy.rowsInserted, proxy.rowsRemoved,
                       proxy.dataChanged):
            signal.connect(self._after_change)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    def _scrolled(self, _value: int) -> None:
        if self.model().rowCount() > FIT_ALL_LIMIT:
            self.schedule_fit()

    # --- layout after every change ------------------------------------------------------------------
    def _after_change(self, *_args) -> None:
        self.update_spans()
        self.schedule_fit()

    def schedule_fit(self) -> None:
        self._fit_timer.start()

    def update_spans(self) -> None:
        """A group heading runs across the whole row."""
        self.clearSpans()
        proxy = self.model()
        for row in self.source.group_rows:
            view_row = proxy.mapFromSource(self.source.index(row, 0)).row()
            if view_row >= 0:
                self.setSpan(view_row, 0, 1, len(COLUMNS))

    def fit_rows(self) -> None:
        """Row heights follow the wrapped text (all rows when few, else those on screen)."""
        proxy = self.model()
        count = proxy.rowCount()
        heading = self.fontMetrics().height() + 14
        if count <= FIT_ALL_LIMIT:
            self.resizeRowsToContents()
            for row in range(count):
                if proxy.index(row, 0).data(IS_GROUP_ROLE):
                    self.setRowHeight(row, heading)
            return
        row, bottom = max(self.rowAt(0), 0), self.viewport().height()
        while row < count and self.rowViewportPosition(row) < bottom:
            if proxy.index(row, 0).data(IS_GROUP_ROLE):
                self.setRowHeight(row, heading)
            else:
                self.resizeRowToContents(row)
            row += 1

    def show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.empty.setVisible(bool(text))
        self._place_empty()

    def _place_empty(self) -> None:
        area = self.viewport().rect().adjusted(40, 20, -40, -20)
        self.empty.setGeometry(area.left(), area.top(), area.width(), min(area.height(), 140))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
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
