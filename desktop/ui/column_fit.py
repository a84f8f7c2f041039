"""Table columns on a narrow screen: the content column keeps most of the room, short columns fit their text."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView
from shiboken6 import isValid

CONTENT_SHARE = 0.3  # the content column never gets less than this share of the table's width
SHORT_CAP = 0.22  # nor does a short column (code, date, state) get more than this share


class ColumnFitter(QObject):
    """Keeps `content` the widest column and the table free of sideways scrolling: the other columns get the
    width of their text up to a cap (their text wraps beyond it), the content column the rest."""

    def __init__(self, view: QTableView, content: int):
        super().__init__(view)
        self.view = view
        self.content = content
        self._pending = False
        header = view.horizontalHeader()
        header.setResizeContentsPrecision(200)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
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
        view.resizeRowsToContents()
