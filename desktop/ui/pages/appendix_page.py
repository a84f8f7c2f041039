"""The "Phụ lục nhiệm vụ" page: the "06 rõ" task table with inline editing, undo, search and filters."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate, QAbstractItemView, QApplication, QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QPushButton, QVBoxLayout, QWidget,
)

from desktop.domain.task_state import TASK_STATE_LABELS
from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.appendix import deletion_refusal
from desktop.services.operations import Change
from desktop.services.page_data import appendix_screen
from desktop.services.profile import list_units
from desktop.services.ui_support import progress_count
from desktop.ui.appendix_model import COL, AppendixFilter, AppendixModel
from desktop.ui.appendix_view import AppendixFooter, AppendixView
from desktop.ui.pages.base import Page
from desktop.ui.task_dialog import TaskDialog
from desktop.ui.undo_commands import AddTaskCommand, DeleteTaskCommand, EditTaskCommand, MoveTaskCommand, TaskIds

STATE_FILTERS = ("due", "late", "ongoing", "not_yet", "finished")
FIELD_NAMES = {"number": "số thứ tự", "content": "nội dung", "lead": "đơn vị chủ trì",
               "cooperating": "đơn vị phối hợp", "timeframe": "thời gian thực hiện", "output": "kết quả dự kiến"}


class AppendixPage(Page):
    nav_label = "Phụ lục nhiệm vụ"
    slug = "phu-luc"
    changes = frozenset({Change.TASKS, Change.PLAN, Change.PROFILE})
    refresh_later = True

    def __init__(self, bus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self.ids = TaskIds()
        self.task_dialog: TaskDialog | None = None
        self.import_wizard = None
        self._units = []
        self._years: tuple[int, int] | None = None
        self._select_id: int | None = None
        self._notice_index: int | None = None  # the undo position of the deletion the notice speaks of
        self.undo_stack.indexChanged.connect(self._history_moved)
        self.model = AppendixModel(self)
        self.proxy = AppendixFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = AppendixView(self.model, self.proxy, self.unit_names, lambda: self._years,
                                  self.model.set_reading_preview)
        self.model.edit_requested.connect(self._on_edit, Qt.ConnectionType.QueuedConnection)
        self.table.delete_pressed.connect(self.delete_item)
        self.table.move_pressed.connect(self.move_current)
        self._build()
        bus.period_selected.connect(self._period_selected)  # a bound method: let go with the page
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())

    def _period_selected(self, _code: str) -> None:
        self.mark_stale()

    # --- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        title = QLabel("Phân công nhiệm vụ theo nguyên tắc \"06 rõ\"")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        title.setWordWrap(True)
        self.add_button = QPushButton("Thêm nhiệm vụ")
        self.add_button.setToolTip("Thêm một nhiệm vụ ngay sau dòng đang chọn (Ctrl+N)")
        self.add_button.clicked.connect(self.new_item)
        self.delete_button = QPushButton("Xóa nhiệm vụ")
        self.delete_button.setToolTip("Xóa nhiệm vụ đang chọn (phím Delete); Ctrl+Z để hoàn tác")
        self.delete_button.clicked.connect(self.delete_item)
        self.up_button = QPushButton("▲ Lên")
        self.up_button.setToolTip("Chuyển nhiệm vụ lên một dòng (Ctrl+Shift+↑)")
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button = QPushButton("▼ Xuống")
        self.down_button.setToolTip("Chuyển nhiệm vụ xuống một dòng (Ctrl+Shift+↓)")
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.history_button = QPushButton("Lịch sử…")
        self.history_button.setToolTip("Ai đã sửa nhiệm vụ này, lúc nào, giá trị cũ và mới")
        self.history_button.clicked.connect(self.show_history)
        self.import_button = QPushButton("Nhập từ tệp…")
        self.import_button.setToolTip("Nhập nhiệm vụ từ tệp Excel, Word hoặc văn bản kế hoạch")
        self.import_button.clicked.connect(self.open_import)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button, self.history_button,
                       self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        actions = QVBoxLayout()  # the title above the buttons: beside them it took three lines at 1024×768
        actions.addWidget(title)
        actions.addLayout(buttons)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm nhiệm vụ – Ctrl+F")  # a long hint was cut at 1024×768
        self.search.setToolTip("Tìm trong các nhiệm vụ của phụ lục; gõ không dấu cũng được (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        self.unit_filter = QComboBox()
        self.unit_filter.setToolTip("Chỉ hiện nhiệm vụ mà đơn vị này chủ trì hoặc phối hợp")
        self.unit_filter.currentIndexChanged.connect(
            lambda _i: self._filter_changed(self.proxy.set_unit, self.unit_filter.currentData()))
        self.state_filter = QComboBox()
        self.state_filter.addItem("Mọi tình trạng", None)
        for state in STATE_FILTERS:
            self.state_filter.addItem(TASK_STATE_LABELS[state], state)
        self.state_filter.currentIndexChanged.connect(
            lambda _i: self._filter_changed(self.proxy.set_state, self.state_filter.currentData()))
        for combo in (self.unit_filter, self.state_filter):  # the search box keeps room at 1024×768
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(13)
        self.state_label = QLabel("Tình trạng:")
        self.clear_filters = QPushButton("Bỏ lọc")
        self.clear_filters.setToolTip("Hiện lại tất cả nhiệm vụ")
        self.clear_filters.clicked.connect(self.reset_filters)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Tìm:"))
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Đơn vị:"))
        filters.addWidget(self.unit_filter, 1)
        filters.addWidget(self.state_label)
        filters.addWidget(self.state_filter, 1)
        filters.addWidget(self.clear_filters)

        self.footer = AppendixFooter()
        self.count_label, self.notice, self.show_notice = self.footer.count, self.footer.notice, self.footer.notify

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footer)

    # --- data ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        today = clock.today()
        current = self.current_task()
        keep = self._select_id or (current.id if current else None)
        self._select_id = None
        screen = self.bus.try_read(appendix_screen, self.bus.period_code, today)
        self._years = screen.years if screen else None
        self._units = screen.units if screen else []
        period = screen.period if screen else None
        rows = screen.rows if screen else []
        self.model.set_rows(rows, period.title if period else "")
        self.state_label.setText(f"Tình trạng ({period.title}):" if period else "Tình trạng:")
        self.state_filter.setEnabled(period is not None)
        self._fill_unit_filter()
        if keep is not None:
            self.select_task(keep)
        elif rows and not self.table.currentIndex().isValid():
            self.select_task(rows[0].id)
        self._update_counts()
        self._update_buttons()

    def _fill_unit_filter(self) -> None:
        chosen = self.unit_filter.currentData()
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem("Tất cả đơn vị", None)
        for unit in self._units:
            self.unit_filter.addItem(unit.name, unit.name)
        index = self.unit_filter.findData(chosen)
        self.unit_filter.setCurrentIndex(max(index, 0))
        self.unit_filter.blockSignals(False)
        if index < 0 and chosen is not None:
            self.proxy.set_unit(None)

    def unit_names(self) -> list[str]:
        return [u.name for u in self._units]

    # --- selection ----------------------------------------------------------------------------------
    def current_task(self):
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.task_at(self.proxy.mapToSource(index).row())

    def select_task(self, task_id: int, column: int = COL["content"]) -> None:
        row = self.model.row_of_task(task_id)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, column))
        if index.isValid():
            self.table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)

    def _will_select(self, task_id: int) -> None:
        self._select_id = task_id

    def _update_counts(self) -> None:
        total, shown = self.model.task_count(), self.proxy.rowCount() - self._visible_headings()
        self.count_label.setText(f"{total} nhiệm vụ" if not self.proxy.is_filtered()
                                 else f"Hiển thị {shown} trên {total} nhiệm vụ")
        if total == 0:
            self.table.show_empty("Phụ lục chưa có nhiệm vụ nào.\nBấm \"Thêm nhiệm vụ\" (Ctrl+N) để thêm nhiệm vụ "
                                  "đầu tiên" + (", hoặc \"Nhập từ tệp…\"." if self.import_button else "."))
        elif shown == 0:
            self.table.show_empty("Không có nhiệm vụ nào khớp với điều kiện tìm kiếm, lọc.\n"
                                  "Bấm \"Bỏ lọc\" để hiện lại tất cả nhiệm vụ.")
        else:
            self.table.show_empty("")

    def _visible_headings(self) -> int:
        return sum(1 for row in self.model.group_rows
                   if self.proxy.mapFromSource(self.model.index(row, 0)).isValid())

    def _update_buttons(self) -> None:
        task = self.current_task()
        count = self.model.task_count()
        self.clear_filters.setEnabled(self.proxy.is_filtered())
        self.delete_button.setEnabled(task is not None)
        self.history_button.setEnabled(task is not None)
        self.up_button.setEnabled(task is not None and task.position > 1)
        self.down_button.setEnabled(task is not None and task.position < count)

    # --- search and filters -------------------------------------------------------------------------
    def _on_search(self, text: str) -> None:
        self._filter_changed(self.proxy.set_search, text)

    def _filter_changed(self, setter, value) -> None:
        setter(value)
        self._update_counts()
        self._update_buttons()

    # --- saving: edits are written as they are made; only a cell still being typed can be pending -----
    def has_unsaved_changes(self) -> bool:
        return self.table.state() == QAbstractItemView.State.EditingState

    def save(self) -> bool:
        """Take in a cell that is still being typed (the window is closing, or Ctrl+S)."""
        editor = self._open_editor()
        if editor is None:
            return True
        self.table.commitData(editor)
        self.table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall.value)  # the queued edit, now
        return True

    def _open_editor(self) -> QWidget | None:
        if not self.has_unsaved_changes():
            return None
        widget = QApplication.focusWidget()
        viewport = self.table.viewport()
        while widget is not None and widget.parentWidget() is not viewport:
            widget = widget.parentWidget()
        return widget

    def reset_filters(self) -> None:
        self.search.clear()
        self.unit_filter.setCurrentIndex(0)
        self.state_filter.setCurrentIndex(0)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # --- edits (each one an undo command) -----------------------------------------------------------
    def _unit_id(self, name: str, agreed: bool = False) -> tuple[bool, int | None]:
        """The id of a unit by name; a name not in the list is added after the user agrees (or `agreed`)."""
        if not name:
            return True, None
        for unit in self._units:
            if unit.name.casefold() == name.casefold():
                return True, unit.id
        if not agreed and not self.confirm(f"Đơn vị \"{name}\" chưa có trong danh sách đơn vị. Thêm đơn vị này?",
                                           "Thêm đơn vị"):
            return False, None
        ok, unit_id = self.bus.run(ops.ADD_UNIT, name)
        if ok:
            self._units = self.bus.read(list_units)
        return ok, unit_id

    def _unit_ids(self, names) -> list[int]:
        by_name = {u.name: u.id for u in self._units}
        return [by_name[n] for n in names if n in by_name]

    def _on_edit(self, task_id: int, key: str, value) -> None:
        row = self.model.row_of_task(task_id)
        task = self.model.task_at(row)
        if task is None:
            return
        if key == "lead":
            ok, unit_id = self._unit_id(value)
            if not ok:
                return
            old_ids = self._unit_ids([task.lead])
            new, old = {"lead_unit_id": unit_id}, {"lead_unit_id": old_ids[0] if old_ids else None}
        elif key == "cooperating":
            new, old = {"cooperating_unit_ids": self._unit_ids(value)}, \
                {"cooperating_unit_ids": self._unit_ids(task.cooperating)}
        else:
            field = {"number": "number", "content": "content", "timeframe": "timeframe_text",
                     "output": "expected_output"}[key]
            new, old = {field: value}, {field: getattr(task, field)}
        text = f"Sửa {FIELD_NAMES[key]} của nhiệm vụ {task.number}"
        self.undo_stack.push(EditTaskCommand(self.bus, self.ids, task_id, new, old, text, self._will_select))

    def new_item(self) -> None:
        current = self.current_task()
        dialog = TaskDialog(self.unit_names(), self._years, current.number if current else "", self)
        dialog.accepted.connect(lambda: self._add(dialog, current.id if current else None))
        dialog.finished.connect(dialog.deleteLater)
        self.task_dialog = dialog
        dialog.open()

    def _add(self, dialog: TaskDialog, after_id: int | None) -> None:
        value = dialog.value()
        ok, lead_id = self._unit_id(value.lead, agreed=dialog.new_unit_agreed)  # the dialog asked already
        if not ok:
            return
        fields = {"lead_unit_id": lead_id, "cooperating_unit_ids": self._unit_ids(value.cooperating),
                  "timeframe_text": value.timeframe_text, "expected_output": value.expected_output}
        self.undo_stack.push(AddTaskCommand(self.bus, self.ids, value.content, after_id, fields, self._will_select))

    def show_history(self) -> None:
        """The audit trail of the selected task (its progress entries included)."""
        from desktop.ui.audit_dialog import AuditDialog

        task = self.current_task()
        if task is not None:
            AuditDialog(self.bus, "task", task.id, f"Nhiệm vụ {task.number}", self).exec()

    def delete_item(self) -> None:
        task = self.current_task()
        if task is None:
            return
        refusal = self.bus.try_read(deletion_refusal, task.id, default=None)
        if refusal:  # refuse first, rather than ask "Vẫn xóa?" and then refuse
            self.refuse(refusal)
            return
        periods = self.bus.try_read(progress_count, task.id, default=0)
        if periods and not self.confirm(
                f"Nhiệm vụ {task.number} đã có kết quả thực hiện ở {periods} kỳ báo cáo. Xóa nhiệm vụ sẽ xóa "
                "cả các kết quả đó.\n\nVẫn xóa? (Có thể hoàn tác bằng Ctrl+Z.)", "Xóa nhiệm vụ"):
            return
        row = self.model.row_of_task(task.id)
        neighbour = self.model.task_at(row + 1) or self.model.task_at(row - 1)
        self._select_id = neighbour.id if neighbour else None
        self.undo_stack.push(DeleteTaskCommand(self.bus, self.ids, task.id, task.number))
        self.show_notice(f"Đã xóa nhiệm vụ {task.number}. Bấm Ctrl+Z để hoàn tác.")
        self._notice_index = self.undo_stack.index()

    def _history_moved(self, index: int) -> None:
        """A notice about a deletion that was just undone would misstate the table: take it away."""
        if self._notice_index is not None and index < self._notice_index:
            self._notice_index = None
            self.show_notice("")

    def refuse(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "KHBC", text, parent=self)
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def move_current(self, offset: int) -> None:
        task = self.current_task()
        if task is None or not 1 <= task.position + offset <= self.model.task_count():
            return
        self.undo_stack.push(MoveTaskCommand(self.bus, self.ids, task.id, offset, self._will_select))

    def confirm(self, text: str, action: str) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "KHBC", text, parent=self)
        yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is yes

    # --- import (issue 6) ---------------------------------------------------------------------------
    def open_import(self) -> None:
        from desktop.ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.bus, self)
        wizard.accepted.connect(lambda: self._imported(wizard.summary))
        wizard.finished.connect(wizard.deleteLater)
        self.import_wizard = wizard
        wizard.open()

    def _imported(self, summary) -> None:
        if summary is None:
            return
        parts = [f"Đã nhập {summary.added} nhiệm vụ vào cuối phụ lục"
                 + (f" (số {summary.numbers[0]}–{summary.numbers[-1]})" if summary.numbers else "") + "."]
        if summary.skipped_duplicates:
            parts.append(f"Bỏ qua {summary.skipped_duplicates} nhiệm vụ đã có.")
        if summary.created_units:
            parts.append(f"Đã thêm {len(summary.created_units)} đơn vị mới vào danh mục.")
        self.show_notice(" ".join(parts))
        if summary.task_ids:
            self._select_id = summary.task_ids[0]

    def prepare_screenshot(self) -> None:
        first = next((e.task for e in self.model.entries if e.task is not None), None)
        if first is not None:
            self.select_task(first.id)
