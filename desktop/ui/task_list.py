"""The task list of "Cập nhật kết quả": tasks grouped by their state in the period, each with its status icon."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeWidget, QTreeWidgetItem,
)

from desktop.ui.status_icons import status_icon

TASK_ID = Qt.ItemDataRole.UserRole + 1
SUBTITLE = Qt.ItemDataRole.UserRole + 2
LATE = Qt.ItemDataRole.UserRole + 3
GROUPS = (("report", "Cần báo cáo trong kỳ"), ("finished", "Đã hoàn thành từ kỳ trước"),
          ("not_yet", "Chưa đến thời gian thực hiện"))
GROUP_OF_STATE = {"late": "report", "due": "report", "ongoing": "report", "finished": "finished",
                  "not_yet": "not_yet"}
MAX_TITLE_LINES = 3
# Short forms for the line under each task (the full labels are in the tooltip and the editor).
SHORT_STATE = {"late": "Chậm tiến độ", "due": "Đến hạn trong kỳ", "ongoing": "Còn trong thời hạn",
               "not_yet": "Chưa đến hạn", "finished": "Đã xong từ kỳ trước"}
ICON, GAP, PAD = 16, 6, 5


class TaskItemDelegate(QStyledItemDelegate):
    """Paints a task as its title (up to three lines) over a small line giving its state and status."""

    def _small(self, option) -> QFont:
        font = QFont(option.font)
        font.setPointSizeF(max(font.pointSizeF() * 0.9, 7))
        return font

    def _text_width(self, index) -> int:
        """Width for the title of a task item: the row (a child of a group, so indented twice) minus the icon."""
        view = self.parent()
        return max(view.viewport().width() - 2 * view.indentation() - ICON - GAP - 2 * PAD, 60)

    def sizeHint(self, option, index):  # noqa: N802
        if not isinstance(index.data(TASK_ID), int):
            return QSize(super().sizeHint(option, index).width(), QFontMetrics(option.font).height() + 2 * PAD)
        width = self._text_width(index)
        metrics = QFontMetrics(option.font)
        lines = len(self._elided_lines(metrics, index.data(Qt.ItemDataRole.DisplayRole), width))
        small = QFontMetrics(self._small(option)).lineSpacing()
        return QSize(width + ICON + GAP + 2 * PAD, lines * metrics.lineSpacing() + small + 2 * PAD + 2)

    def paint(self, painter, option, index):
        if not isinstance(index.data(TASK_ID), int):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        rect = opt.rect.adjusted(PAD, PAD, -PAD, -PAD)
        icon_top = rect.top() + (QFontMetrics(opt.font).height() - ICON) // 2
        opt.icon.paint(painter, QRect(rect.left(), icon_top, ICON, ICON))
        text_left = rect.left() + ICON + GAP
        width = rect.right() - text_left
        painter.save()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        painter.setFont(opt.font)
        metrics = QFontMetrics(opt.font)
        lines = self._elided_lines(metrics, opt.text, width)
        for number, line in enumerate(lines):
            painter.drawText(text_left, rect.top() + number * metrics.lineSpacing() + metrics.ascent(), line)
        title_bottom = rect.top() + len(lines) * metrics.lineSpacing()
        small = self._small(opt)
        painter.setFont(small)
        late = bool(index.data(LATE))
        painter.setPen(opt.palette.color(role) if selected else QColor("#b71c1c" if late else "#5b6b7d"))
        small_metrics = QFontMetrics(small)
        subtitle = small_metrics.elidedText(index.data(SUBTITLE) or "", Qt.TextElideMode.ElideRight, width)
        painter.drawText(text_left, title_bottom + 1 + small_metrics.ascent(), subtitle)
        painter.restore()

    @staticmethod
    def _elided_lines(metrics: QFontMetrics, text: str, width: int) -> list[str]:
        words, lines, line = text.split(), [], ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if metrics.horizontalAdvance(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        if len(lines) > MAX_TITLE_LINES:
            rest = " ".join(lines[MAX_TITLE_LINES - 1:])
            lines = lines[:MAX_TITLE_LINES - 1] + [metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
        return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines]


class TaskList(QTreeWidget):
    """Groups: "Cần báo cáo trong kỳ" first; finished and not-yet tasks apart, collapsed unless opened."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(False)
        self.setIndentation(12)
        self.setItemDelegate(TaskItemDelegate(self))
        self.setAccessibleName("Danh sách nhiệm vụ")
        self.expanded = {"report": True, "finished": False, "not_yet": False}
        self.filling = False
        self.itemExpanded.connect(lambda item: self._remember(item, True))
        self.itemCollapsed.connect(lambda item: self._remember(item, False))

    def fill(self, rows, current_id: int | None) -> None:
        self.filling = True
        self.clear()
        groups: dict[str, QTreeWidgetItem] = {}
        bold = QFont(self.font())
        bold.setBold(True)
        for key, title in GROUPS:
            count = sum(1 for r in rows if GROUP_OF_STATE.get(r.state, "report") == key)
            if count:
                item = QTreeWidgetItem(self, [f"{title} ({count})"])
                item.setData(0, TASK_ID, key)
                item.setFont(0, bold)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                groups[key] = item
        current = None
        for row in rows:
            status = row.status_label or "Chưa nhập kết quả"
            item = QTreeWidgetItem(groups[GROUP_OF_STATE.get(row.state, "report")], [f"{row.number}. {row.content}"])
            item.setData(0, TASK_ID, row.id)
            # The deadline state and the entered result are told apart ("Đang thực hiện" could be either).
            result = f"Kết quả: {row.status_label}" if row.status_label else status
            item.setData(0, SUBTITLE, f"{SHORT_STATE.get(row.state, row.state_label)} • {result}")
            item.setData(0, LATE, row.state == "late")
            item.setIcon(0, status_icon(row.status, row.state == "late"))
            item.setToolTip(0, f"{row.number}. {row.content}\n{row.state_label} • Kết quả: {status}")
            if row.id == current_id:
                current = item
        for key, item in groups.items():
            item.setExpanded(self.expanded[key] or (current is not None and current.parent() is item))
        if current is not None:
            self.setCurrentItem(current)
            self.scrollToItem(current)
        self.filling = False

    def item_of(self, task_id: int) -> QTreeWidgetItem | None:
        for group in range(self.topLevelItemCount()):
            parent = self.topLevelItem(group)
            for child in range(parent.childCount()):
                if parent.child(child).data(0, TASK_ID) == task_id:
                    return parent.child(child)
        return None

    def _remember(self, item: QTreeWidgetItem, expanded: bool) -> None:
        key = item.data(0, TASK_ID)
        if not self.filling and key in self.expanded:
            self.expanded[key] = expanded

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # wrapped titles take another height at another width
