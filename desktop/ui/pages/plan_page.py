"""Kế hoạch: the plan's header, reporting schedule, basis documents, text sections and targets."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton,
    QSpinBox, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.operations import Change
from desktop.services.page_data import plan_screen
from desktop.services.profile import TargetRow
from desktop.services.ui_overview import PlanForm
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ResultBar, ask_save_path
from desktop.ui.pages.base import Page
from desktop.ui.widgets import (
    CallbackCommand, OptionalDateEdit, RowsModel, SectionEditor, group, heading, hint, make_table, selected_key,
    text_lines,
)

SECTIONS = (("basis", "Căn cứ ban hành"), ("preamble", "Phần mở đầu"), ("purposes", "Mục đích"),
            ("requirements", "Yêu cầu"), ("goals", "Mục tiêu chung"),
            ("tasks_and_solutions", "Nhiệm vụ, giải pháp"), ("organization", "Tổ chức thực hiện"))
SCHEDULE_KINDS = (("quarter", "Báo cáo quý"), ("half", "Báo cáo 6 tháng đầu năm"), ("nine", "Báo cáo 9 tháng"),
                  ("year", "Báo cáo năm"), ("phase", "Báo cáo sơ kết, tổng kết giai đoạn"))
CUTOFF_RULES = (("nd09", "Theo Nghị định 09/2019 (từ 15/12 năm trước đến 14/6 hoặc 14/12)"),
                ("calendar", "Theo năm dương lịch (từ 01/01 đến 30/6 hoặc 31/12)"))
TARGET_COLUMNS = ("STT", "Nội dung chỉ tiêu", "Mức phấn đấu", "Đơn vị tính")
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(%?)")


def goal_number(goal_text: str) -> tuple[float | None, str]:
    """"100%" → (100.0, "%"); "Bảo đảm" → (None, "")."""
    match = _NUMBER.match(goal_text or "")
    if not match:
        return None, ""
    return float(match.group(1).replace(",", ".")), match.group(2)


class PlanPage(Page):
    """Edits the plan; text fields are saved with Ctrl+S, the Lưu button or on leaving; targets at once."""

    nav_label = "Kế hoạch"
    slug = "ke-hoach"
    changes = frozenset({Change.PLAN, Change.TARGETS})

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self._loaded: dict | None = None
        self._schedule_rule = "nd09"
        self.title_label = heading("Kế hoạch", 5)
        self.subtitle = hint("")
        self.subtitle.setMaximumHeight(self.subtitle.fontMetrics().lineSpacing() * 2 + 4)
        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu các thay đổi (Ctrl+S)")
        self.print_button = QPushButton("In kế hoạch…")
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_plan)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.title_label)
        titles.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.addLayout(titles, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.print_button)
        self.result_bar = ResultBar()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_header_tab(), "Thông tin chung")
        self.sections = SectionEditor(SECTIONS)
        self.sections.changed.connect(self._update_buttons)
        sections_tab = QWidget()
        sections_layout = QVBoxLayout(sections_tab)
        sections_layout.addWidget(hint("Mục “Căn cứ ban hành”: mỗi dòng một văn bản. Các mục khác gõ như trong "
                                       "Word; xuống dòng để tách đoạn."))
        sections_layout.addWidget(self.sections, 1)
        self.tabs.addTab(sections_tab, "Căn cứ và nội dung")
        self.tabs.addTab(self._build_targets_tab(), "Chỉ tiêu")
        self._add_plan_package_buttons()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.tabs, 1)
        self._update_buttons()

    # --- building -------------------------------------------------------------------------------
    def _add_plan_package_buttons(self) -> None:
        """The plan package: imported from the upper level, exported for the lower units (desktop/ui/plan_transfer);
        beside the tabs, where the row has room even at 1024×768."""
        from desktop.ui.plan_transfer import PlanTransfer

        self.plan_transfer = PlanTransfer(self.bus, self, self.result_bar)
        self.import_upper_button = QPushButton("Nhập kế hoạch cấp trên…")
        self.import_upper_button.setToolTip("Nhận gói kế hoạch (ZIP) của cấp trên: nhiệm vụ của đơn vị được chọn sẵn, "
                                            "không phải gõ lại; bản sửa đổi được xem trước các thay đổi.")
        self.export_lower_button = QPushButton("Xuất kế hoạch gửi cấp dưới…")
        self.export_lower_button.setToolTip("Xuất một gói kế hoạch (ZIP) gửi chung cho mọi đơn vị cấp dưới.")
        self.import_upper_button.clicked.connect(self.plan_transfer.import_clicked)
        self.export_lower_button.clicked.connect(lambda: self.save() and self.plan_transfer.export_clicked())
        corner = QWidget()
        row = QHBoxLayout(corner)
        row.setContentsMargins(0, 0, 0, 2)
        row.addWidget(self.import_upper_button)
        row.addWidget(self.export_lower_button)
        self.tabs.setCornerWidget(corner)

    def _build_header_tab(self) -> QWidget:
        tab = QWidget()
        self.number = QLineEdit()
        self.number.setPlaceholderText("ví dụ 120/KH-SXD (để trống nếu chưa có số)")
        self.issued_on = OptionalDateEdit("chưa ban hành")
        self.title_edit = QPlainTextEdit()
        self.title_edit.setFixedHeight(64)
        self.program = QPlainTextEdit()
        self.program.setFixedHeight(64)
        self.start_year = QSpinBox()
        self.end_year = QSpinBox()
        for spin in (self.start_year, self.end_year):
            spin.setRange(2000, 2100)
        years = QHBoxLayout()
        years.setSpacing(8)
        years.addWidget(QLabel("từ năm"))
        years.addWidget(self.start_year)
        years.addWidget(QLabel("đến năm"))
        years.addWidget(self.end_year)
        years.addStretch(1)
        self.report_to = QLineEdit()
        self.report_to.setPlaceholderText("ví dụ Văn phòng Sở")
        info, form = group("Văn bản kế hoạch")
        form.addRow("Số kế hoạch:", self.number)
        form.addRow("Ngày ban hành:", self.issued_on)
        form.addRow("Tên (trích yếu):", self.title_edit)
        form.addRow("Chương trình thực hiện:", self.program)
        form.addRow("Giai đoạn:", years)
        form.addRow("Nơi nhận báo cáo:", self.report_to)

        schedule = QWidget()
        grid = QGridLayout(schedule)
        grid.setContentsMargins(0, 0, 0, 0)
        self.kind_checks: dict[str, QCheckBox] = {}
        self.deadline_edits: dict[str, QLineEdit] = {}
        for row, (kind, label) in enumerate(SCHEDULE_KINDS):
            check = QCheckBox(label)
            edit = QLineEdit()
            edit.setPlaceholderText("ngày, ví dụ 18" if kind == "quarter" else "ví dụ 10/6")
            if kind == "quarter":
                edit.setToolTip("Ngày của tháng cuối quý, ví dụ 18: hạn gửi 18/3, 18/6, 18/9, 18/12")
            edit.setMaximumWidth(140)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._update_buttons)
            edit.textChanged.connect(self._update_buttons)
            line, column = divmod(row, 2)  # two kinds a line: the page must fit a 768-pixel-high screen
            grid.addWidget(check, line, 4 * column)
            grid.addWidget(QLabel("gửi trước ngày"), line, 4 * column + 1)
            grid.addWidget(edit, line, 4 * column + 2)
            self.kind_checks[kind], self.deadline_edits[kind] = check, edit
        grid.setColumnMinimumWidth(3, 16)
        grid.setColumnStretch(7, 1)
        self.cutoff = QComboBox()
        for key, label in CUTOFF_RULES:
            self.cutoff.addItem(label, key)
        self.own_cutoffs = QLineEdit()
        self.own_cutoffs.setPlaceholderText("theo quy định; ví dụ 10/6, 10/12")
        self.own_cutoffs.setToolTip("Ngày chốt số liệu riêng của kế hoạch (cuối quý I, 6 tháng, 9 tháng, năm), "
                                    "cách nhau bằng dấu phẩy")
        self.own_cutoffs.textChanged.connect(self._update_buttons)
        self.regime_note = hint("")
        self.regime_note.hide()
        cutoff_line = QHBoxLayout()
        cutoff_line.addWidget(self.cutoff, 3)
        cutoff_line.addSpacing(8)
        cutoff_line.addWidget(QLabel("ngày chốt riêng:"))
        cutoff_line.addWidget(self.own_cutoffs, 2)
        timing, timing_form = group("Lịch báo cáo")
        timing_form.addRow(schedule)
        timing_form.addRow("Thời gian chốt số liệu:", cutoff_line)
        timing_form.addRow(self.regime_note)
        timing_form.addRow(hint("Các kỳ báo cáo và hạn gửi của từng kỳ được tính lại theo lịch này khi lưu."))

        for widget in (self.number, self.report_to):
            widget.textChanged.connect(self._update_buttons)
        for widget in (self.title_edit, self.program):
            widget.textChanged.connect(self._update_buttons)
        for spin in (self.start_year, self.end_year):
            spin.valueChanged.connect(self._update_buttons)
        self.issued_on.changed.connect(self._update_buttons)
        self.cutoff.currentIndexChanged.connect(self._update_buttons)
        layout = QVBoxLayout(tab)
        layout.addWidget(info)
        layout.addWidget(timing)
        layout.addStretch(1)
        return tab

    def _build_targets_tab(self) -> QWidget:
        tab = QWidget()
        self.targets_model = RowsModel(TARGET_COLUMNS, editable=(1, 2, 3), on_edit=self._edit_target)
        self.targets_view = make_table(self.targets_model, stretch=1, sortable=False)
        add = QPushButton("Thêm chỉ tiêu")
        remove = QPushButton("Xóa chỉ tiêu")
        add.clicked.connect(self.new_item)
        remove.clicked.connect(self.delete_item)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(tab)
        layout.addWidget(hint("Nhấp đúp vào ô để sửa; thay đổi trong bảng được lưu ngay (Ctrl+Z để hoàn tác). "
                              "Mức phấn đấu ghi như trong kế hoạch, ví dụ “100%” hoặc “Bảo đảm”."))
        layout.addWidget(self.targets_view, 1)
        layout.addLayout(buttons)
        return tab

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        screen = self.bus.try_read(plan_screen)  # one read for the whole page
        if screen is not None and not self.has_unsaved_changes():  # never overwrite what the clerk is typing
            self._fill(screen.form, screen.kept)
        self._show_targets(screen.targets if screen is not None else [])

    def _fill(self, form: PlanForm, kept: tuple[str, ...]) -> None:
        self.title_label.setText(f"Kế hoạch số {form.number}" if form.number else "Kế hoạch (chưa có số)")
        self.subtitle.setText(form.title)
        self.number.setText(form.number)
        self.issued_on.set_value(form.issued_on)
        self.title_edit.setPlainText(form.title)
        self.program.setPlainText(form.program)
        self.start_year.setValue(form.start_year)
        self.end_year.setValue(form.end_year)
        self.report_to.setText(form.report_to)
        schedule = form.schedule or {}
        kinds = schedule.get("kinds", ["half", "year"])
        deadlines = schedule.get("deadlines", {})
        for kind, check in self.kind_checks.items():
            check.setChecked(kind in kinds)
            self.deadline_edits[kind].setEnabled(kind in kinds)
            self.deadline_edits[kind].setText(str(deadlines.get(kind, "")))
        self._schedule_rule = schedule.get("cutoff_rule", "nd09")
        self.own_cutoffs.setText(", ".join((schedule.get("cutoffs") or {}).values()))
        self.regime_note.setText("Giữ nguyên kỳ đã có số liệu dù không còn trong lịch báo cáo: " + ", ".join(kept)
                                 + " (số liệu đã ghi không bị xóa)." if kept else "")
        self.regime_note.setVisible(bool(kept))
        self.cutoff.setCurrentIndex(max(0, self.cutoff.findData(self._schedule_rule)))
        values = {"basis": "\n".join(form.basis_documents)}
        values.update({key: getattr(form, key) for key, _ in SECTIONS if key != "basis"})
        self.sections.set_values(values)
        self._loaded = self._form_values()
        self._update_buttons()

    def _form_values(self) -> dict:
        sections = self.sections.values()
        kinds = [kind for kind, check in self.kind_checks.items() if check.isChecked()]
        values = dict(
            number=self.number.text().strip(), issued_on=self.issued_on.value(),
            title=" ".join(self.title_edit.toPlainText().split()), program=self.program.toPlainText().strip(),
            start_year=self.start_year.value(), end_year=self.end_year.value(),
            report_to=self.report_to.text().strip(), basis_documents=text_lines(sections.pop("basis")),
            schedule={"kinds": kinds, "cutoff_rule": self.cutoff.currentData() or self._schedule_rule,
                      "deadlines": {k: self.deadline_edits[k].text().strip() for k in kinds
                                    if self.deadline_edits[k].text().strip()},
                      "cutoffs": [c for c in re.split(r"[,;\s]+", self.own_cutoffs.text()) if c]})
        values.update({key: text.strip() for key, text in sections.items()})
        return values

    def _show_targets(self, rows: list[TargetRow]) -> None:
        self.targets_model.set_rows([(t.position, t.content, t.goal_text, t.measure_unit) for t in rows],
                                    keys=[t for t in rows])

    # --- saving ---------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self._loaded is not None and self._form_values() != self._loaded

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.has_unsaved_changes())

    def save(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        values = self._form_values()
        if not values["title"]:
            self.bus.report_error("Tên (trích yếu) của kế hoạch không được để trống.")
            return False
        ok, _ = self.bus.run(ops.SAVE_PLAN, **values)
        if ok:
            self._loaded = None  # take the stored (normalised) values back
            self.refresh()
        return ok

    def print_plan(self) -> None:
        if not self.save():
            return
        chosen = ask_save_path(self, "In kế hoạch", "KeHoach.pdf",
                               {"pdf": "Tệp PDF (*.pdf)", "xlsx": "Bảng tính Excel (*.xlsx)"})
        if chosen:
            self.write_plan(*chosen)

    def write_plan(self, path: Path, fmt: str) -> None:
        """Write the plan on a worker; the bar under the title names the file once it is written."""
        self.bus.run(ops.WRITE_PLAN_FILE, fmt, path, clock.today(),
                     on_success=lambda written: self.result_bar.show_file("Đã ghi kế hoạch ra tệp:", written))

    # --- targets --------------------------------------------------------------------------------
    def _target_values(self, target, column: int | None = None, text: str = "") -> dict:
        values = {"content": target.content, "goal_text": target.goal_text, "measure_unit": target.measure_unit}
        if column is not None:
            values[("content", "goal_text", "measure_unit")[column - 1]] = text.strip()
        number, percent = goal_number(values["goal_text"])
        if percent and not values["measure_unit"]:
            values["measure_unit"] = "%"
        return dict(values, goal_value=number)

    def _edit_target(self, target, column: int, text: str) -> bool:
        new = self._target_values(target, column, text)
        old = self._target_values(target)
        ok, _ = self.bus.run(ops.SAVE_TARGET, target.id, **new)
        if ok:
            self.undo_stack.push(CallbackCommand(
                f"Sửa chỉ tiêu {target.position}",
                lambda: self.bus.run(ops.SAVE_TARGET, target.id, **new),
                lambda: self.bus.run(ops.SAVE_TARGET, target.id, **old)))
        return ok

    def new_item(self) -> None:
        """Ctrl+N: a new target row, ready to type its content."""
        ok, _ = self.bus.run(ops.SAVE_TARGET, None, "Chỉ tiêu mới", "100%", 100.0, "%")
        if ok:
            self.tabs.setCurrentIndex(2)
            row = self.targets_model.rowCount() - 1
            index = self.targets_view.model().index(row, 1)
            self.targets_view.setCurrentIndex(index)
            self.targets_view.edit(index)

    def delete_item(self) -> None:
        target = selected_key(self.targets_view) if self.tabs.currentIndex() == 2 else None
        if target is None:
            return
        answer = QMessageBox.question(self, "Xóa chỉ tiêu",
                                      f"Xóa chỉ tiêu {target.position}: “{target.content}”?\n"
                                      "Số liệu đã nhập cho chỉ tiêu này ở các kỳ báo cáo cũng bị xóa.")
        if answer == QMessageBox.StandardButton.Yes:
            self.bus.run(ops.DELETE_TARGET, target.id)

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(1)
        self.sections.editors["purposes"].setFocus()

    def prepare_screenshot(self) -> None:
        self.tabs.setCurrentIndex(0)
