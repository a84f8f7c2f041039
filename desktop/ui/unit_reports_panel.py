"""Under a task in Cập nhật kết quả: what each lower unit reported for it, and the "Soạn tự động" button."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.domain.drafting import UnitTaskReport

REVIEW_NOTES = {"pending": "", "accepted": "", "returned": " — <i>báo cáo đã bị trả lại, không dùng để soạn</i>"}


def report_html(reports: list[UnitTaskReport]) -> str:
    """One compact paragraph per unit: name, status, result, figures, evidence (escaped: it came from a package)."""
    parts = []
    for r in reports:
        head = f"<b>{html.escape(r.unit_name)}</b> (v{r.version}) — {html.escape(r.status_label or 'chưa có tình trạng')}"
        lines = [head + REVIEW_NOTES.get(r.review, "")]
        if r.result.strip():
            lines.append(html.escape(r.result.strip()))
        if r.figures.strip():
            lines.append("Số liệu: " + html.escape(r.figures.strip()))
        if r.evidence:
            lines.append("Minh chứng: " + "; ".join(html.escape(e) for e in r.evidence))
        parts.append("<p style='margin:0 0 4px 0'>" + "<br>".join(lines) + "</p>")
    return "".join(parts)


class UnitReportsPanel(QFrame):
    """Hidden when no unit reported on the task; the button asks the page to draft this level's result."""

    draft_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.reports: list[UnitTaskReport] = []
        self.setStyleSheet("UnitReportsPanel { background: #f4f8fc; border: 1px solid #c9d8ea; }")
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; color: #1f3b5a;")
        self.draft_button = QPushButton("Soạn tự động")
        self.draft_button.setToolTip("Điền kết quả và số liệu của cấp mình từ báo cáo của các đơn vị (ghi rõ tên "
                                     "đơn vị); bạn xem lại, sửa rồi mới lưu.")
        self.draft_button.clicked.connect(self.draft_requested)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.draft_button)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(self.body)
        self.hide()

    def set_reports(self, reports: list[UnitTaskReport], read_only: bool) -> None:
        self.reports = list(reports)
        self.title.setText(f"Các đơn vị đã báo cáo nhiệm vụ này ({len(self.reports)})")
        self.body.setText(report_html(self.reports))
        self.draft_button.setEnabled(not read_only and any(r.counts for r in self.reports))
        self.setVisible(bool(self.reports))
