"""Small round icons and colours for a task's state in a period and its recorded progress status."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

STATE_COLOURS = {
    "late": "#c62828",
    "due": "#ef6c00",
    "ongoing": "#1565c0",
    "not_yet": "#9e9e9e",
    "finished": "#2e7d32",
}
STATUS_COLOURS = {
    "done": "#2e7d32",
    "in_progress": "#1565c0",
    "not_started": "#ef6c00",
    "not_applicable": "#757575",
}
NO_ENTRY_COLOUR = "#9e9e9e"


def _dot(colour: str, hollow: bool = False, mark: str = "") -> QIcon:
    size = 16
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    rect = QRectF(2, 2, size - 4, size - 4)
    if hollow:
        painter.setPen(QPen(QColor(colour), 1.6))
        painter.setBrush(Qt.BrushStyle.NoBrush)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(colour))
    painter.drawEllipse(rect)
    if mark:
        painter.setPen(QPen(QColor("white"), 1.8))
        if mark == "check":
            painter.drawPolyline([QPointF(5, 8), QPointF(7.5, 10.5), QPointF(11.5, 5.5)])
        elif mark == "!":
            painter.drawLine(QPointF(8, 4.5), QPointF(8, 8.5))
            painter.drawPoint(QPointF(8, 11))
    painter.end()
    return QIcon(pixmap)


@cache
def state_icon(state: str) -> QIcon:
    """Icon for a task's state in the chosen period (late, due, ongoing, not yet, finished)."""
    return _dot(STATE_COLOURS.get(state, NO_ENTRY_COLOUR), hollow=state == "not_yet",
                mark="!" if state == "late" else ("check" if state == "finished" else ""))


@cache
def status_icon(status: str | None, late: bool = False) -> QIcon:
    """Icon for the progress recorded in a period; hollow when nothing has been entered yet."""
    if status is None:
        return _dot(STATE_COLOURS["late"] if late else NO_ENTRY_COLOUR, hollow=True)
    if late and status != "done":
        return _dot(STATE_COLOURS["late"], mark="!")
    return _dot(STATUS_COLOURS.get(status, NO_ENTRY_COLOUR), mark="check" if status == "done" else "")
