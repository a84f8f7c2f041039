"""Cell editors of the appendix table: multi-line text, lead-unit chooser, cooperating-unit checklist, timeframe."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QComboBox, QCompleter, QFrame, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QStyledItemDelegate, QVBoxLayout, QWidget,
)

from shiboken6 import isValid

from desktop.domain.timeframe import parse_timeframe
from desktop.ui.appendix_model import TASK_ID_ROLE

NO_TIMEFRAME = "Chưa nhập thời gian thực hiện"
HINT_STYLE = "QLabel { background: #fff8dc; border: 1px solid #d9c27a; padding: 3px 6px; color: #1f3b5a; }"


def reading_of(text: str, years: tuple[int, int] | None) -> str:
    """What KHBC understands of a "Thời gian thực hiện" text, as shown to the user."""
    return parse_timeframe(text, years).label() if text.strip() else NO_TIMEFRAME


def _fit_inside(rect: QRect, area: QRect) -> QRect:
    """Move `rect` up/left so that it stays inside `area` (an editor taller than its cell near the bottom)."""
    if rect.bottom() > area.bottom():
        rect.moveBottom(max(area.top() + rect.height() - 1, area.bottom()))
    if rect.right() > area.right():
        rect.moveRight(max(area.left() + rect.width() - 1, area.right()))
    return rect


class PaddedDelegate(QStyledItemDelegate):
    """Rows a little taller than their text, as in a Word table; painting stays in C++ (it runs for every cell)."""

    PAD = 6

    def sizeHint(self, option, index):  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + self.PAD)


class UnitChecklist(QListWidget):
    """Units with a tick box each; a click anywhere on a line or Space ticks it."""

    def __init__(self, names: list[str], checked: list[str] = (), parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Đơn vị phối hợp")
        self.set_units(names, checked)
        self.itemClicked.connect(self._toggle)

    def set_units(self, names: list[str], checked: list[str] = ()) -> None:
        self.clear()
        wanted = set(checked)
        for name in [*names, *[c for c in checked if c not in names]]:
            item = QListWidgetItem(name, self)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Checked if name in wanted else Qt.CheckState.Unchecked)

    def set_checked(self, names: list[str]) -> None:
        wanted = set(names)
        for row in range(self.count()):
            item = self.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in wanted else Qt.CheckState.Unchecked)

    def checked_names(self) -> list[str]:
        return [self.item(r).text() for r in range(self.count())
                if self.item(r).checkState() == Qt.CheckState.Checked]

    def _toggle(self, item: QListWidgetItem) -> None:
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Space and self.currentItem() is not None:
            self._toggle(self.currentItem())
            return
        super().keyPressEvent(event)


class TimeframeEdit(QWidget):
    """A timeframe box with, under it, the live reading of what KHBC understood."""

    def __init__(self, years: tuple[int, int] | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.years = years
        self.line = QLineEdit()
        self.line.setPlaceholderText("Ví dụ: Quý III/2026; Hằng năm; Thường xuyên; Trước ngày 30/6/2027")
        self.reading = QLabel()
        self.reading.setWordWrap(True)
        self.reading.setStyleSheet("color: #1f5fa8;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line)
        layout.addWidget(self.reading)
        self.line.textChanged.connect(self._update)
        self._update("")

    def text(self) -> str:
        return self.line.text().strip()

    def setText(self, text: str) -> None:  # noqa: N802 (Qt-style, like QLineEdit)
        self.line.setText(text)

    def _update(self, text: str) -> None:
        self.reading.setText("KHBC hiểu là: " + reading_of(text, self.years))


class MultiLineDelegate(PaddedDelegate):
    """Long text (content, expected output): Enter saves, Alt+Enter or Shift+Enter starts a new line."""

    LINES = 5

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setFrameShape(QFrame.Shape.Box)
        editor.setToolTip("Enter: lưu • Alt+Enter: xuống dòng • Esc: bỏ qua")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setPlainText(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.moveCursor(editor.textCursor().MoveOperation.End)

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.toPlainText().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        line = editor.fontMetrics().lineSpacing()
        rect = QRect(option.rect)
        rect.setHeight(max(rect.height(), line * self.LINES + 12))
        editor.setGeometry(_fit_inside(rect, editor.parentWidget().rect()))

    def eventFilter(self, editor, event):  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier):
                editor.insertPlainText("\n")
                return True
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            return True
        return super().eventFilter(editor, event)


class LeadUnitDelegate(PaddedDelegate):
    """The lead unit: pick from the list, or type the name of a unit that is not there yet."""

    def __init__(self, unit_names: Callable[[], list[str]], parent=None):
        super().__init__(parent)
        self.unit_names = unit_names

    def createEditor(self, parent, option, index):  # noqa: N802
        combo = unit_combo(self.unit_names(), parent)
        QTimer.singleShot(0, lambda: self._open_list(combo))
        return combo

    def _open_list(self, combo: QComboBox) -> None:
        """Show the list, and only then listen for a choice: PySide6 6.12 emits `activated` while the editor
        starts (setting its text, showing the popup), which used to close it before the clerk chose."""
        if not isValid(combo) or not combo.isVisible():
            return  # the editor was closed already (Esc, another cell)
        combo.showPopup()
        QTimer.singleShot(0, lambda: isValid(combo) and combo.activated.connect(lambda _i: self._finish(combo)))

    def _finish(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        rect = QRect(option.rect)
        rect.setWidth(max(rect.width(), 220))
        rect.setHeight(max(editor.sizeHint().height(), 28))
        editor.setGeometry(_fit_inside(rect, editor.parentWidget().rect()))


def unit_combo(names: list[str], parent: QWidget | None = None) -> QComboBox:
    """An editable unit chooser whose completer finds a name by any part of it."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(["", *names])
    combo.lineEdit().setPlaceholderText("Chọn hoặc gõ tên đơn vị")
    completer = QCompleter(names, combo)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    combo.setCompleter(completer)
    combo.setMaxVisibleItems(15)
    return combo


class CooperatingDelegate(PaddedDelegate):
    """Cooperating units: a tick list that opens over the cell; Enter or clicking elsewhere saves."""

    def __init__(self, unit_names: Callable[[], list[str]], parent=None):
        super().__init__(parent)
        self.unit_names = unit_names

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = UnitChecklist(self.unit_names(), [], parent)
        editor.setToolTip("Bấm vào tên đơn vị (hoặc phím cách) để chọn/bỏ chọn • Enter: lưu • Esc: bỏ qua")
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        checked = index.data(Qt.ItemDataRole.EditRole) or []
        editor.set_units(self.unit_names(), checked)
        if editor.count():
            editor.setCurrentRow(0)

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.checked_names(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        rows = max(editor.count(), 1)
        height = min(rows * max(editor.sizeHintForRow(0), 20) + 8, 280)
        rect = QRect(option.rect.topLeft(), QSize(max(option.rect.width(), 280), max(option.rect.height(), height)))
        editor.setGeometry(_fit_inside(rect, editor.parentWidget().rect()))


class TimeframeDelegate(PaddedDelegate):
    """The timeframe text, with a note under the cell (and the "Hiểu là" column) following as the user types."""

    def __init__(self, years: Callable[[], tuple[int, int] | None],
                 on_preview: Callable[[int, str | None], None], parent=None):
        super().__init__(parent)
        self.years = years
        self.on_preview = on_preview
        self._hints: dict[int, QLabel] = {}

    def createEditor(self, parent, option, index):  # noqa: N802
        editor = QLineEdit(parent)
        hint = QLabel(parent)
        hint.setStyleSheet(HINT_STYLE)
        hint.setWordWrap(True)
        self._hints[id(editor)] = hint
        task_id = index.data(TASK_ID_ROLE)
        years = self.years()

        def follow(text: str) -> None:
            label = reading_of(text, years)
            hint.setText("KHBC hiểu là: " + label)
            hint.adjustSize()
            self.on_preview(task_id, label)

        editor.textChanged.connect(follow)
        hint.show()
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")
        editor.textChanged.emit(editor.text())

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.text().strip(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor, option, index):  # noqa: N802
        rect = QRect(option.rect)
        rect.setHeight(max(editor.sizeHint().height(), 28))
        editor.setGeometry(rect)
        hint = self._hints.get(id(editor))
        if hint is not None:
            hint.setFixedWidth(max(rect.width(), 260))
            hint.adjustSize()
            area = editor.parentWidget().rect()
            top = rect.bottom() + 2
            if top + hint.height() > area.bottom():
                top = rect.top() - hint.height() - 2
            hint.move(rect.left(), max(0, top))
            hint.raise_()

    def destroyEditor(self, editor, index):  # noqa: N802
        hint = self._hints.pop(id(editor), None)
        if hint is not None:
            hint.deleteLater()
        task_id = index.data(TASK_ID_ROLE)
        if task_id is not None:
            self.on_preview(task_id, None)
        super().destroyEditor(editor, index)
