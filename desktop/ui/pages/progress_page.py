"""The "Cập nhật kết quả" page: choose a period and a task, record what was done; work is saved automatically."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QTabWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from desktop.domain.drafting import draft_task
from desktop.errors import KhbcError
from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.attachments import store_root, stored_file
from desktop.services.operations import Change
from desktop.services.page_data import progress_screen, task_panel
from desktop.services.queries import PeriodRow
from desktop.services.ui_support import ProgressDetail
from desktop.services.unit_reports import draft_targets
from desktop.ui.pages.base import Page
from desktop.ui.progress_editor import ProgressEditor
from desktop.ui.targets_panel import TargetsPanel
from desktop.ui.task_list import GROUP_OF_STATE, TASK_ID, TaskList
from desktop.ui.undo_commands import TargetFigureCommand

AUTOSAVE_HINT = "Kết quả được lưu tự động khi chuyển nhiệm vụ, chuyển kỳ hoặc chuyển trang (Ctrl+S: lưu ngay)."
REPORT_STATES = frozenset(state for state, group in GROUP_OF_STATE.items() if group == "report")  # shown first
BANNER_STYLE = "QLabel { background: #fff4d6; border: 1px solid #e0b84c; padding: 8px; color: #5a4300; }"


def _dmy(value) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone()  # stored in UTC; the clerk reads the local date
    return f"{value:%d/%m/%Y}" if value else "—"


class ProgressPage(Page):
    nav_label = "Cập nhật kết quả"
    slug = "cap-nhat-ket-qua"
    changes = frozenset({Change.TASKS, Change.PROGRESS, Change.TARGETS, Change.EXPORTS, Change.SUBMISSIONS})
    refresh_later = True

    def __init__(self, bus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self._periods: dict[str, PeriodRow] = {}
        self._rows: dict = {}
        self._code: str | None = None
        self._task_id: int | None = None
        self._figures: dict[int, str] = {}
        self._loading = False
        self._build()
        bus.period_selected.connect(self._on_period_selected)

    # --- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.period_combo = QComboBox()
        self.period_combo.setMinimumContentsLength(30)
        self.period_combo.currentIndexChanged.connect(self._on_period_chosen)
        self.period_info = QLabel()
        self.period_info.setStyleSheet("color: #44546a;")
        self.period_info.setWordWrap(True)
        self.copy_button = QPushButton("Sao chép từ kỳ trước")
        self.copy_button.setToolTip("Những nhiệm vụ chưa có kết quả kỳ này lấy kết quả gần nhất của kỳ trước "
                                    "để sửa lại; nhiệm vụ đã có kết quả được giữ nguyên.")
        self.copy_button.clicked.connect(self.copy_previous)
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ báo cáo:"))
        top.addWidget(self.period_combo)
        top.addWidget(self.period_info, 1)
        top.addWidget(self.copy_button)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()

        self.tree = TaskList()
        self.tree.currentItemChanged.connect(self._on_task_chosen)

        self.editor = ProgressEditor()
        self.editor.attach_requested.connect(self._attach)
        self.editor.open_requested.connect(self._open_file)
        self.editor.unit_reports.draft_requested.connect(self.draft_from_units)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        self.targets = TargetsPanel()
        self.targets.model.value_edited.connect(self._on_target_edit, Qt.ConnectionType.QueuedConnection)
        self.draft_targets_button = QPushButton("Soạn chỉ tiêu từ báo cáo đơn vị")
        self.draft_targets_button.setToolTip("Điền các chỉ tiêu còn trống từ báo cáo của các đơn vị: số đếm được "
                                             "cộng lại, tỷ lệ ghi theo từng đơn vị (Ctrl+Z để hoàn tác)")
        self.draft_targets_button.clicked.connect(self.draft_targets_from_units)
        self.targets.layout().insertWidget(0, self.draft_targets_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs = QTabWidget()
        self.tabs.addTab(scroll, "Kết quả thực hiện nhiệm vụ")
        self.tabs.addTab(self.targets, "Chỉ tiêu của kỳ")
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([340, 860])

        self.message = QLabel()
        self.message.setStyleSheet("color: #2e7d32;")
        self.hint = QLabel(AUTOSAVE_HINT)
        self.hint.setStyleSheet("color: #5b6b7d;")
        footer = QHBoxLayout()
        footer.addWidget(self.message, 1)
        footer.addWidget(self.hint)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)

    # --- data ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        screen = self.bus.try_read(progress_screen, self._code or self.bus.period_code, clock.today(), self._task_id,
                                   REPORT_STATES)  # one read for the whole page
        periods = screen.periods if screen else []
        self._periods = {p.code: p for p in periods}
        code = self._code = screen.code if screen else None
        self._fill_periods(periods)
        if code:
            self.bus.select_period(code)
        period = self._periods.get(code)
        rows = screen.rows if screen else []
        self._rows = {row.id: row for row in rows}
        self._task_id = screen.task_id if screen else None
        self.tree.fill(rows, self._task_id)
        self._show_period(period)
        self._show_task(screen.detail if screen else None, preloaded=True, reports=screen.reports if screen else ())
        figures = screen.figures if screen else []
        self.targets.set_rows(figures, period.title if period else "", self._read_only())
        self.tabs.setTabText(1, f"Chỉ tiêu của kỳ ({len(figures)})")
        self._figures = {f.position: f.value_text for f in figures}
        received = bool(screen and screen.received)
        self.draft_targets_button.setVisible(bool(received and figures))
        self.draft_targets_button.setEnabled(not self._read_only())

    def draft_targets_from_units(self) -> None:
        """Fill the empty targets from the units' figures, one undoable step (the table saves as it is edited)."""
        if not self._code or self._read_only():
            return
        drafts = [(p, d) for p, d in self.bus.try_read(draft_targets, self._code, default=[]) or []
                  if not self._figures.get(p, "").strip()]
        self.undo_stack.beginMacro("Soạn chỉ tiêu từ báo cáo đơn vị")
        for position, draft in drafts:
            self.undo_stack.push(TargetFigureCommand(self.bus, self._code, position, draft.value_text, ""))
        self.undo_stack.endMacro()
        self.message.setText(f"Đã điền {len(drafts)} chỉ tiêu còn trống từ báo cáo của các đơn vị; hãy xem lại."
                             if drafts else "Không có chỉ tiêu còn trống nào mà các đơn vị đã báo cáo.")

    def _fill_periods(self, periods: list[PeriodRow]) -> None:
        self._loading = True
        self.period_combo.clear()
        for p in periods:
            self.period_combo.addItem(f"{p.title} — {p.state_label}", p.code)
        self.period_combo.setCurrentIndex(max(self.period_combo.findData(self._code), 0))
        self._loading = False

    def _read_only(self) -> bool:
        period = self._periods.get(self._code)
        return period is not None and period.state == "sent"

    def _show_period(self, period: PeriodRow | None) -> None:
        if period is None:
            self.period_info.setText("Kế hoạch chưa có kỳ báo cáo.")
            self.banner.hide()
            self.copy_button.setEnabled(False)
            return
        self.period_info.setText(f"Hạn gửi: {_dmy(period.deadline)}  •  Số liệu tính từ {_dmy(period.cutoff_start)}"
                                 f" đến {_dmy(period.cutoff_end)}")
        sent = self._read_only()
        self.banner.setText(f"Kỳ này đã gửi báo cáo ngày {_dmy(period.sent_at)}; muốn sửa, vào Gửi báo cáo → "
                            "Mở lại để bổ sung.")
        self.banner.setVisible(sent)
        self.copy_button.setEnabled(not sent)
        self.hint.setText("Kỳ đã gửi báo cáo: chỉ xem." if sent else AUTOSAVE_HINT)

    def _show_task(self, detail: ProgressDetail | None = None, preloaded: bool = False, reports=()) -> None:
        """The editor for the chosen task; `preloaded`: its `detail` and the units' `reports` were read with the
        rest of the page (else both are read now, in one transaction)."""
        task = self._rows.get(self._task_id)
        period = self._periods.get(self._code)
        if task is None or period is None:
            self.editor.show_nothing("Chưa có nhiệm vụ nào trong phụ lục." if not self._rows else
                                     "Chọn một nhiệm vụ ở danh sách bên trái để cập nhật kết quả.")
            return
        if self.editor.dirty and self.editor.task_id == task.id:
            return  # keep what is being typed; it is saved when the user moves on
        if not preloaded:
            panel = self.bus.try_read(task_panel, period.code, task.id)
            detail, reports = (panel.detail, panel.reports) if panel else (None, ())
        self.editor.load(task, detail, period.title, self._read_only())
        self.editor.unit_reports.set_reports(list(reports), self._read_only())

    def draft_from_units(self) -> None:
        """"Soạn tự động": fill the editor from the units' reports; the clerk edits, it is saved like her own text."""
        draft = draft_task(self.editor.unit_reports.reports)
        if draft is None or self.editor.read_only:
            return
        self.editor.apply_draft(draft.status, draft.result, draft.figures)
        self.message.setText("Đã soạn kết quả từ báo cáo của các đơn vị; hãy xem lại, sửa cho phù hợp rồi lưu (Ctrl+S).")

    # --- moving around (each move saves first) ------------------------------------------------------
    def _on_task_chosen(self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None) -> None:
        if self._loading or self.tree.filling or current is None:
            return
        task_id = current.data(0, TASK_ID)
        if not isinstance(task_id, int) or task_id == self._task_id:
            return
        if not self._save_editor():
            self._loading = True
            self.tree.setCurrentItem(previous)
            self._loading = False
            return
        self._task_id = task_id
        self._show_task()

    def _on_period_chosen(self, index: int) -> None:
        code = self.period_combo.itemData(index)
        if self._loading or not code or code == self._code:
            return
        if not self._save_editor():
            self._loading = True
            self.period_combo.setCurrentIndex(max(self.period_combo.findData(self._code), 0))
            self._loading = False
            return
        self._code = code
        self.bus.select_period(code)
        self.refresh()

    def _on_period_selected(self, code: str) -> None:
        if code != self._code:
            self._save_editor()
            self._code = code
            self.mark_stale()

    # --- saving -------------------------------------------------------------------------------------
    def _save_editor(self) -> bool:
        editor = self.editor
        editor.commit_pending()
        if not editor.dirty or editor.read_only or editor.task_id is None or not self._code:
            return True
        values = editor.values()
        ok, _ = self.bus.run(ops.SAVE_PROGRESS, self._code, editor.task_id,
                             values["status"] or "in_progress", values["result"], values["figures"],
                             values["difficulties"], values["proposals"], values["evidence"])
        if ok:
            editor.mark_saved()
            task = self._rows.get(editor.task_id)
            self.message.setText(f"Đã lưu kết quả nhiệm vụ {task.number if task else ''} lúc "
                                 f"{datetime.now():%H:%M:%S}.")
        return ok

    def save(self) -> bool:
        return self._save_editor()

    def open_task(self, task_id: int) -> None:
        """Show one task's editor (the overview's list of late tasks leads here)."""
        if self._save_editor():
            self._task_id = task_id
            self.refresh()

    def has_unsaved_changes(self) -> bool:
        return self.editor.dirty and not self.editor.read_only

    def hideEvent(self, event) -> None:  # noqa: N802
        self._save_editor()
        super().hideEvent(event)

    def copy_previous(self) -> None:
        if not self._code or not self._save_editor():
            return
        ok, count = self.bus.run(ops.COPY_PREVIOUS_PROGRESS, self._code)
        if ok:
            self.message.setText(
                f"Đã sao chép kết quả của {count} nhiệm vụ từ kỳ trước; hãy xem lại và sửa cho đúng kỳ này."
                if count else "Không có gì để sao chép: các nhiệm vụ đã có kết quả kỳ này, hoặc kỳ trước chưa có "
                              "kết quả.")

    def _on_target_edit(self, position: int, new: str, old: str) -> None:
        if self._code:
            self.undo_stack.push(TargetFigureCommand(self.bus, self._code, position, new, old))

    # --- attachments --------------------------------------------------------------------------------
    def choose_file(self) -> str:
        path, _filter = QFileDialog.getOpenFileName(self, "Chọn tệp minh chứng", "",
                                                    "Văn bản, hình ảnh (*.pdf *.doc *.docx *.xls *.xlsx *.jpg "
                                                    "*.jpeg *.png);;Mọi tệp (*)")
        return path

    def _attach(self, row: int) -> None:
        path = self.choose_file()
        if not path:
            return
        task_id, code = self.editor.task_id, self._code
        self.editor.hold_evidence(True)  # rows stay where they are until the file is in
        self.bus.run(ops.STORE_ATTACHMENT, path, on_success=lambda stored: self._attached(task_id, code, row, stored),
                     on_failure=self._attach_failed)

    def _attached(self, task_id: int | None, code: str | None, row: int, stored: tuple[str, str]) -> None:
        """The file was copied on a worker: it goes to its row if that task is still the one shown."""
        self.editor.hold_evidence(False)
        if (self.editor.task_id, self._code) == (task_id, code) and row < self.editor.evidence.rowCount():
            self.editor.evidence.attach(row, *stored)
        else:
            self.message.setText(f"Tệp {stored[0]} đã được lưu nhưng chưa gắn vào văn bản nào vì nhiệm vụ đang mở đã "
                                 "đổi; hãy mở lại nhiệm vụ đó và gắn tệp lần nữa.")

    def _attach_failed(self, message: str) -> None:
        self.editor.hold_evidence(False)
        self.bus.report_error(message)

    def _open_file(self, row: int) -> None:
        item = self.editor.evidence_item(row)
        if item is None or not item.file_sha256:
            self.message.setText("Văn bản này chưa có tệp đính kèm.")
            return
        try:
            path = stored_file(store_root(self.bus.workspace), item.file_sha256, item.file_name)
        except KhbcError as exc:
            self.bus.report_error(exc.message)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def prepare_screenshot(self) -> None:
        self.tabs.setCurrentIndex(0)
