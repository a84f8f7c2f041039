"""Table columns on a narrow screen: the content column keeps most of the room, short columns fit their text."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView
from shiboken6 import isValid

CONTENT_SHARE = 0.3  # the content column never gets less than this share of the table's width
SHORT_CAP = 0.22  # nor does a short column (code, date, state) get more than this share
ROWS_PER_TURN = 150  # a longer table gets its rows on screen measured at once, the rest this many per event-loop turn


def rows_on_screen(view: QTableView, count: int) -> list[int]:
    """The rows of `view` (of `count`) that the viewport shows now, from the first visible one down."""
    rows, row, bottom = [], max(view.rowAt(0), 0), view.viewport().height()
    while row < count and view.rowViewportPosition(row) < bottom:
        rows.append(row)
        row += 1
    return rows


class ColumnFitter(QObject):
    """Keeps `content` the widest column and the table free of sideways scrolling: the other columns get the
    width of their text up to a cap (their text wraps beyond it), the content column the rest."""

    def __init__(self, view: QTableView, content: int):
        super().__init__(view)
        self.view = view
        self.content = content
        self._pending = False
        self._row_pass = 0  # a new fit abandons the rows an earlier one had still to measure
        self._rows_pending = False
        header = view.horizontalHeader()
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Rows are measured here, not by the vertical header: in ResizeToContents mode it would measure every
        # row of the table at each layout, before the first paint of a 1,000-task page too.
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._rows_later)  # a column the clerk widened re-wraps its rows
        view.setHorizontalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.dataChanged):
            signal.connect(self.fit_later)
        self.fit_later()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        if event.type() == QEvent.Type.Resize:
            self.fit_later()
        return False

    def fit_later(self, *_args) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.fit)  # with a context: never called once the table is gone

    def fit(self) -> None:
        self._pending = False
        if not isValid(self.view):
            return
        for _attempt in range(3):  # taller rows may bring a vertical scroll bar, which narrows the room
            room = self.view.viewport().width()
            self._fit_once()
            if self.view.viewport().width() == room:
                return

    def _fit_once(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        columns = [c for c in range(header.count()) if not header.isSectionHidden(c)]
        if self.content not in columns:
            return
        room = view.viewport().width()
        if room <= 0:
            return
        cap = max(110, int(room * SHORT_CAP))
        wanted = {c: min(cap, max(header.sectionSizeHint(c), view.sizeHintForColumn(c))) for c in columns
                  if c != self.content}
        others = sum(wanted.values())
        floor = int(room * CONTENT_SHARE)
        if others > room - floor and others:
            scale = (room - floor) / others
            wanted = {c: max(36, int(w * scale)) for c, w in wanted.items()}
            others = sum(wanted.values())
        for column, width in wanted.items():
            header.resizeSection(column, width)
        header.resizeSection(self.content, max(36, room - others - 2))  # 2 px: no 1 px sideways bar
        self._fit_rows()

    def _rows_later(self, *_args) -> None:
        if not self._rows_pending:
            self._rows_pending = True
            QTimer.singleShot(0, self, self._fit_rows)

    def _fit_rows(self) -> None:
        """Row heights follow the wrapped text. A 1,000-task table would take the window a noticeable while to
        measure at once, so the rows on screen come first and the others follow while the window answers."""
        self._rows_pending = False
        view = self.view
        if not isValid(view):
            return
        count = view.model().rowCount()
        self._row_pass += 1
        if count <= ROWS_PER_TURN:
            view.resizeRowsToContents()
            return
        for row in rows_on_screen(view, count):
            view.resizeRowToContents(row)
        QTimer.singleShot(0, self, partial(self._fit_more_rows, self._row_pass, 0))

    def _fit_more_rows(self, row_pass: int, start: int) -> None:
        if row_pass != self._row_pass or not isValid(self.view):
            return
        view = self.view
        end = min(view.model().rowCount(), start + ROWS_PER_TURN)
        for row in range(start, end):
            view.resizeRowToContents(row)
        if end < view.model().rowCount():
            QTimer.singleShot(0, self, partial(self._fit_more_rows, row_pass, end))
