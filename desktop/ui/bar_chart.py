"""A horizontal bar chart drawn with QPainter (QtCharts is not part of the program)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    """Horizontal bars with their Vietnamese label on the left and the count at the end (drawn with QPainter)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[tuple[str, int, QColor]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_items(self, items: Sequence[tuple[str, int, QColor | str]]) -> None:
        self.items = [(label, int(value), QColor(color)) for label, value, color in items]
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 12

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(420, max(1, len(self.items)) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(260, self.sizeHint().height())

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        row_h = self._row_height()
        label_w = min(max((metrics.horizontalAdvance(label) for label, _, _ in self.items), default=0) + 12,
                      int(self.width() * 0.55))
        count_w = metrics.horizontalAdvance("0000") + 8
        bar_area = max(10, self.width() - label_w - count_w - 8)
        top_value = max((value for _, value, _ in self.items), default=0) or 1
        text_color = self.palette().windowText().color()
        for i, (label, value, color) in enumerate(self.items):
            y = 4 + i * row_h
            painter.setPen(text_color)
            elided = metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_w - 12)
            painter.drawText(QRectF(0, y, label_w - 12, row_h), Qt.AlignmentFlag.AlignRight
                             | Qt.AlignmentFlag.AlignVCenter, elided)
            width = bar_area * value / top_value
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            if value:
                painter.drawRoundedRect(QRectF(label_w, y + 4, max(width, 3), row_h - 8), 3, 3)
            painter.setPen(text_color)
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.drawText(QRectF(label_w + width + 6, y, count_w, row_h), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, str(value))
            painter.setFont(self.font())
        painter.end()
