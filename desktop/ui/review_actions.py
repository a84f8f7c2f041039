"""Tổng hợp: accept or return the selected unit's report and save its receipt; Gửi báo cáo: import receipts."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QInputDialog, QLabel, QPushButton, QWidget

from desktop.services import operations as ops
from desktop.services.review import REVIEW_LABELS, ReceiptOutcome, ReviewResult
from desktop.ui.file_actions import documents_dir

OUTCOME_COLORS = {"imported": "#2e7d32", "duplicate": "#616161", "rejected": "#c62828"}


def review_label(state: tuple[str, str] | None) -> str:
    """"Đã trả lại: thiếu số liệu" for the status column; nothing while it waits."""
    if state is None or state[0] == "pending":
        return ""
    return REVIEW_LABELS[state[0]] + (f": {state[1]}" if state[1] else "")


def ask_reason(parent: QWidget, unit_name: str) -> str | None:
    """The reason a report is returned: required; None when the clerk cancels."""
    text, ok = QInputDialog.getMultiLineText(parent, "Trả lại báo cáo",
                                             f"Trả lại báo cáo của {unit_name} để bổ sung.\n"
                                             "Lý do (bắt buộc, gửi kèm biên nhận):")
    while ok and not text.strip():
        text, ok = QInputDialog.getMultiLineText(parent, "Trả lại báo cáo", "Hãy ghi lý do trả lại (bắt buộc):")
    return text.strip() if ok else None


def ask_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Chọn thư mục lưu biên nhận", documents_dir())
    return Path(folder) if folder else None


class ReviewBar(QWidget):
    """The two buttons under the units table; the page gives the selected unit and period."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.accept_button = QPushButton("Tiếp nhận…")
        self.accept_button.setToolTip("Tiếp nhận báo cáo đang chọn và lưu biên nhận để gửi lại đơn vị")
        self.return_button = QPushButton("Trả lại…")
        self.return_button.setToolTip("Trả lại báo cáo đang chọn để đơn vị bổ sung (phải ghi lý do); "
                                      "biên nhận được lưu để gửi lại đơn vị")
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.accept_button)
        layout.addWidget(self.return_button)
        layout.addWidget(self.note, 1)

    def show_result(self, result: ReviewResult) -> None:
        self.note.setText(html.escape(result.message()))


def run_review(bus, unit_code: str, period_code: str, decision: str, reason: str,
               folder: Path) -> ReviewResult | None:
    ok, result = bus.run(ops.REVIEW_SUBMISSION, unit_code, period_code, decision, reason, out_dir=folder)
    return result if ok else None


def import_receipts(bus, paths: list[Path]) -> list[ReceiptOutcome]:
    outcomes = []
    for path in paths:
        refusals: list[str] = []
        ok, outcome = bus.run(ops.IMPORT_RECEIPT, path, on_failure=refusals.append)
        outcomes.append(outcome if ok else ReceiptOutcome(Path(path).name, "rejected", refusals[0]))
    return outcomes


def outcomes_html(outcomes: list[ReceiptOutcome]) -> str:
    parts = []
    for o in outcomes:
        color = OUTCOME_COLORS.get(o.status, "#000000")
        parts.append(f"<span style='color:{color}'>{html.escape(o.message)}</span>"
                     + "".join(f"<br>– {html.escape(p)}" for p in o.problems))
    return "<br>".join(parts)
