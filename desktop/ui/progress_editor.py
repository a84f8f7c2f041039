"""The form of "Cập nhật kết quả": one task's status, result, figures, evidence, difficulties and proposals."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFormLayout, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from desktop.domain.task_state import PROGRESS_STATUS_LABELS, PROGRESS_STATUSES
from desktop.services.queries import TaskRow
from desktop.services.ui_support import EvidenceItem, ProgressDetail
from desktop.ui.evidence_table import EvidenceModel, EvidenceView
from desktop.ui.unit_reports_panel import UnitReportsPanel

TEXT_FIELDS = (
    ("result", "Kết quả thực hiện:",
     "Những việc đã làm trong kỳ, ví dụ: Đã ban hành Kế hoạch số …; tổ chức … hội nghị"),
    ("figures", "Số liệu:", "Ví dụ: 120 lượt cán bộ được tuyên truyền; 2 cuộc kiểm tra"),
    ("difficulties", "Khó khăn, vướng mắc:", "Nếu có"),
    ("proposals", "Đề xuất, kiến nghị:", "Nếu có"),
)
TEXT_HEIGHTS = {"result": 130, "figures": 64, "difficulties": 64, "proposals": 64}


def _text_box(placeholder: str, height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class ProgressEditor(QWidget):
    """Edits plain values; `dirty` tells whether something was typed since the last load or save."""

    edited = Signal()
    attach_requested = Signal(int)  # evidence row
    open_requested = Signal(int)  # evidence row

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.task_id: int | None = None
        self.dirty = False
        self.read_only = False
        self._loading = False

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #44546a;")
        self.status = QComboBox()
        self.status.addItem("— Chọn tình trạng —", None)
        for status in PROGRESS_STATUSES:
            self.status.addItem(PROGRESS_STATUS_LABELS[status], status)
        self.status.currentIndexChanged.connect(self._changed)
        self.boxes: dict[str, QPlainTextEdit] = {}
        for name, _label, placeholder in TEXT_FIELDS:
            box = _text_box(placeholder, TEXT_HEIGHTS[name])
            box.textChanged.connect(self._changed)
            self.boxes[name] = box

        self.evidence = EvidenceModel(self)
        self.evidence.edited.connect(self._changed)
        self.evidence_view = EvidenceView(self.evidence)
        self.add_evidence = QPushButton("Thêm văn bản")
        self.add_evidence.clicked.connect(self._add_evidence)
        self.remove_evidence = QPushButton("Xóa văn bản")
        self.remove_evidence.clicked.connect(lambda: self.evidence.remove(self.evidence_view.current_row()))
        self.attach = QPushButton("Đính kèm tệp…")
        self.attach.setToolTip("Chọn tệp (PDF, Word, ảnh…) của văn bản đang chọn; tệp được sao lưu cùng dữ liệu")
        self.attach.clicked.connect(self._attach)
        self.open_file = QPushButton("Mở tệp")
        self.open_file.clicked.connect(lambda: self.open_requested.emit(self.evidence_view.current_row()))
        evidence_buttons = QHBoxLayout()
        for button in (self.add_evidence, self.remove_evidence, self.attach, self.open_file):
            evidence_buttons.addWidget(button)
        evidence_buttons.addStretch(1)
        evidence_box = QVBoxLayout()
        evidence_box.setSpacing(4)
        evidence_box.addWidget(self.evidence_view)
        self.evidence_error = QLabel()
        self.evidence_error.setWordWrap(True)
        self.evidence_error.setStyleSheet("color: #c62828;")
        self.evidence_error.hide()
        self.evidence_view.date_delegate.refused.connect(
            lambda text: (self.evidence_error.setText(text), self.evidence_error.setVisible(bool(text))))
        evidence_box.addWidget(self.evidence_error)
        evidence_box.addLayout(evidence_buttons)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # labels above the boxes on a narrow screen
        form.addRow("Tình trạng:", self.status)
        labels = {name: label for name, label, _p in TEXT_FIELDS}
        form.addRow(labels["result"], self.boxes["result"])
        form.addRow(labels["figures"], self.boxes["figures"])
        form.addRow("Văn bản, minh chứng:", evidence_box)
        form.addRow(labels["difficulties"], self.boxes["difficulties"])
        form.addRow(labels["proposals"], self.boxes["proposals"])

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #c9d3df;")
        self.unit_reports = UnitReportsPanel()  # what the lower units reported (receiving side only)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        layout.addWidget(self.unit_reports)
        layout.addWidget(line)
        layout.addLayout(form)
        layout.addStretch(1)
        self.show_nothing()

    # --- loading ------------------------------------------------------------------------------------
    def show_nothing(self, text: str = "Chọn một nhiệm vụ ở danh sách bên trái để cập nhật kết quả.") -> None:
        self.task_id = None
        self.title.setText(text)
        self.details.clear()
        self.unit_reports.set_reports([], True)
        self._fill(None)
        self._set_enabled(False)

    def load(self, task: TaskRow, detail: ProgressDetail | None, period_title: str, read_only: bool) -> None:
        """Show one task; values already on screen are left alone when they are the stored ones."""
        self.title.setText(f"{task.number}. {task.content}")
        coop = ", ".join(task.cooperating) or "—"
        self.details.setText(
            f"Chủ trì: {task.lead or '—'}  •  Phối hợp: {coop}\n"
            f"Thời gian thực hiện: {task.timeframe_text or '—'} (hiểu là: {task.timeframe_label})\n"
            f"Trong kỳ {period_title}: {task.state_label or '—'}")
        same = self.task_id == task.id and self._stored_equal(detail)
        self.task_id = task.id
        if not same:
            self._fill(detail)
        self.read_only = read_only
        self._set_enabled(True)

    def _stored_equal(self, detail: ProgressDetail | None) -> bool:
        if detail is None:
            return self.status.currentData() is None and not any(self.values()[k] for k, _l, _p in TEXT_FIELDS) \
                and not self.evidence.items
        values = self.values()
        return (values["status"] == detail.status and all(values[k] == getattr(detail, k) for k, _l, _p in TEXT_FIELDS)
                and list(values["evidence"]) == list(detail.evidence))

    def _fill(self, detail: ProgressDetail | None) -> None:
        self._loading = True
        try:
            self.status.setCurrentIndex(max(self.status.findData(detail.status), 0) if detail else 0)
            for name, box in self.boxes.items():
                box.setPlainText(getattr(detail, name) if detail else "")
            self.evidence.set_items(detail.evidence if detail else [])
        finally:
            self._loading = False
        self.dirty = False

    def _set_enabled(self, enabled: bool) -> None:
        editable = enabled and not self.read_only
        self.status.setEnabled(editable)
        placeholders = {name: placeholder for name, _label, placeholder in TEXT_FIELDS}
        for name, box in self.boxes.items():
            box.setEnabled(enabled)
            box.setReadOnly(not editable)
            box.setPlaceholderText(placeholders[name] if editable else "")
            box.setStyleSheet("" if editable or not enabled else "QPlainTextEdit { background: #f1f3f6; }")
        self.evidence.read_only = not editable
        self.evidence_view.setEnabled(enabled)
        for button in (self.add_evidence, self.remove_evidence, self.attach):
            button.setEnabled(editable)
        self.open_file.setEnabled(enabled)

    def hold_evidence(self, held: bool) -> None:
        """While a file is copied for a row, no row may be removed or given another file."""
        editable = not held and not self.read_only and self.task_id is not None
        for button in (self.remove_evidence, self.attach):
            button.setEnabled(editable)

    # --- editing ------------------------------------------------------------------------------------
    def _changed(self, *_args) -> None:
        if self._loading or self.task_id is None or self.read_only:
            return
        if self.status.currentData() is None:
            # Typing a result without choosing a status: "Đang thực hiện" is shown (and saved) at once.
            self._loading = True
            self.status.setCurrentIndex(self.status.findData("in_progress"))
            self._loading = False
        self.dirty = True
        self.edited.emit()

    def _add_evidence(self) -> None:
        row = self.evidence.add()
        index = self.evidence.index(row, 0)
        self.evidence_view.setCurrentIndex(index)
        self.evidence_view.edit(index)

    def _attach(self) -> None:
        row = self.evidence_view.current_row()
        if row < 0:
            row = self.evidence.add()
            self.evidence_view.setCurrentIndex(self.evidence.index(row, 0))
        self.attach_requested.emit(row)

    def values(self) -> dict:
        return {
            "status": self.status.currentData(),
            **{name: box.toPlainText().strip() for name, box in self.boxes.items()},
            "evidence": [e for e in self.evidence.items if e.number or e.summary or e.file_name or e.issued_on],
        }

    def apply_draft(self, status: str, result: str, figures: str) -> None:
        """Put a drafted result into the boxes as if typed (so it is saved like the clerk's own text)."""
        if self.read_only or self.task_id is None:
            return
        self.boxes["result"].setPlainText(result)
        if figures:
            self.boxes["figures"].setPlainText(figures)
        self.status.setCurrentIndex(max(self.status.findData(status), 0))
        self.dirty = True

    def evidence_item(self, row: int) -> EvidenceItem | None:
        return self.evidence.items[row] if 0 <= row < len(self.evidence.items) else None

    def commit_pending(self) -> None:
        """Take in a cell of the evidence table that is still being typed (Ctrl+S does not move the focus)."""
        widget = QApplication.focusWidget()
        viewport = self.evidence_view.viewport()
        while widget is not None and widget.parentWidget() is not viewport:
            widget = widget.parentWidget()
        if widget is not None:
            self.evidence_view.commitData(widget)

    def mark_saved(self) -> None:
        self.dirty = False
