"""Tổng hợp (receiving side): import packages by drag and drop or a chooser, see who reported, export the summary."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QSplitter,
    QTextBrowser, QVBoxLayout, QWidget,
)

from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.bundles import ImportOutcome
from desktop.services.collect import CollectResult
from desktop.services.operations import Change
from desktop.services.package_screens import CollectView, collect_screen, collect_view
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ResultBar, ask_save_path, documents_dir
from desktop.ui.pages.base import Page
from desktop.ui.review_actions import ReviewBar, ask_folder, ask_reason, review_label, run_review
from desktop.ui.widgets import RowsModel, form_layout, hint, make_table, selected_key, vn_date, workspace_call

STATUS_COLORS = {"on_time": "#2e7d32", "received": "#2e7d32", "late": "#e65100", "missing": "#616161",
                 "overdue": "#c62828"}
OUTCOME_STYLE = {"imported": ("✔", "#2e7d32", "Đã nhận"), "history": ("✔", "#1565c0", "Lưu vào lịch sử"),
                 "duplicate": ("•", "#616161", "Đã có từ trước"), "rejected": ("✘", "#c62828", "Từ chối")}
EXPORT_FILTERS = {"xlsx": "Bảng tính Excel (*.xlsx)", "pdf": "Tệp PDF (*.pdf)", "docx": "Văn bản Word (*.docx)"}


def zip_paths(mime) -> list[Path]:
    """The local .zip files among dragged items."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() == ".zip"]


class CollectPage(Page):
    """Receiving side: packages from the units, completeness and timeliness per period."""

    nav_label = "Tổng hợp"
    slug = "tong-hop"
    changes = frozenset({Change.SUBMISSIONS, Change.PLAN})

    imported = Signal(list)  # the ImportOutcome list of one import
    reminder_written = Signal(object)  # the letter written, or None when it could not be

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self.result: CollectResult | None = None
        self.setAcceptDrops(True)

        self.period_box = QComboBox()
        self.period_box.setEditable(True)
        self.period_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.period_box.setMinimumWidth(260)
        self.period_box.lineEdit().setPlaceholderText("mã kỳ, ví dụ 2026S1 hoặc 2026")
        self.period_box.activated.connect(lambda _i: self.show_period())
        self.period_box.lineEdit().returnPressed.connect(self.show_period)
        import_button = QPushButton("Nhập gói…")
        import_button.setToolTip("Chọn một hoặc nhiều tệp gói báo cáo (.zip) do các đơn vị gửi")
        import_button.clicked.connect(self.import_clicked)
        self.export_button = QPushButton("Xuất bảng tổng hợp…")
        self.export_button.clicked.connect(self.export_clicked)
        self.reminder_button = QPushButton("In công văn đôn đốc…")
        self.reminder_button.setToolTip("Công văn đôn đốc các đơn vị chưa gửi báo cáo của kỳ đang xem (PDF, Word)")
        self.reminder_button.clicked.connect(self.reminder_clicked)
        self.reminder_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ báo cáo:"))
        top.addWidget(self.period_box)
        top.addStretch(1)
        top.addWidget(import_button)
        top.addWidget(self.export_button)
        top.addWidget(self.reminder_button)

        self.drop_zone = QLabel("Kéo thả các tệp gói báo cáo (.zip) vào đây để nhập — hoặc bấm “Nhập gói…”")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setMinimumHeight(56)
        self._drop_style(False)
        self.outcomes = QTextBrowser()
        self.outcomes.hide()
        self.result_bar = ResultBar()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.units_model = RowsModel(["Mã đơn vị", "Tên đơn vị", "Tình trạng", "Phiên bản", "Ngày gửi", "Hạn gửi"])
        self.units_view = make_table(self.units_model, stretch=1)
        self.units_view.setEditTriggers(self.units_view.EditTrigger.NoEditTriggers)
        status_box = QGroupBox("Tình hình gửi báo cáo của các đơn vị")
        status_layout = QVBoxLayout(status_box)
        status_layout.addWidget(self.summary)
        status_layout.addWidget(self.units_view, 1)
        self.review_bar = ReviewBar()
        self.review_bar.accept_button.clicked.connect(lambda: self.review_clicked("accepted"))
        self.review_bar.return_button.clicked.connect(lambda: self.review_clicked("returned"))
        status_layout.addWidget(self.review_bar)

        splitter = QSplitter()
        splitter.addWidget(status_box)
        splitter.addWidget(self._build_expected_box())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([700, 380])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.drop_zone)
        layout.addWidget(self.outcomes)
        layout.addWidget(self.result_bar)
        layout.addWidget(splitter, 1)

    def _build_expected_box(self) -> QGroupBox:
        box = QGroupBox("Đơn vị phải báo cáo")
        self.expected_model = RowsModel(["Mã", "Tên đơn vị"])
        self.expected_view = make_table(self.expected_model, stretch=1)
        self.expected_view.setEditTriggers(self.expected_view.EditTrigger.NoEditTriggers)
        self.expected_view.doubleClicked.connect(self._pick_expected)
        self.new_code = QLineEdit()
        self.new_code.setPlaceholderText("ví dụ DLK-SXD")
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("ví dụ Sở Xây dựng")
        add = QPushButton("Thêm vào danh sách")
        remove = QPushButton("Bỏ khỏi danh sách")
        add.clicked.connect(self.add_expected)
        remove.clicked.connect(self.delete_item)
        self.new_name.returnPressed.connect(self.add_expected)
        entry = form_layout()
        entry.addRow("Mã đơn vị:", self.new_code)
        entry.addRow("Tên đơn vị:", self.new_name)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(hint("Khi danh sách trống, mọi đơn vị đã gửi gói đều được tính. Mã đơn vị ghi trong gói "
                              "báo cáo của đơn vị (Cài đặt → Mã đơn vị)."))
        layout.addWidget(self.expected_view, 1)
        layout.addLayout(entry)
        layout.addLayout(buttons)
        return box

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self._show_screen()

    def _show_screen(self, prefer: str | None = None) -> None:
        """Periods, the expected units and the period shown, in one read (`prefer`: the period to show)."""
        screen = self.bus.try_read(collect_screen, prefer or self.period_code(), self.bus.period_code, clock.today())
        if screen is None:
            self.expected_model.set_rows([])
            self._show_view(None)
            return
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code, title in screen.periods:
            self.period_box.addItem(title, code)
        self.period_box.setCurrentIndex(max(0, self.period_box.findData(screen.chosen)))
        self.period_box.blockSignals(False)
        self.expected_model.set_rows([(r.unit_code, r.name) for r in screen.expected],
                                     keys=[r.unit_code for r in screen.expected])
        self._show_view(screen.view)

    def period_code(self) -> str | None:
        text = self.period_box.currentText().strip()
        index = self.period_box.findText(text)
        if index >= 0:
            return self.period_box.itemData(index)
        return text or None

    def show_period(self) -> None:
        code = self.period_code()
        self._show_view(self.bus.try_read(collect_view, code, clock.today()) if code else None)

    def _show_view(self, view: CollectView | None) -> None:
        if view is not None and view.error is not None:
            self.bus.report_error(view.error)
        self.result = result = view.result if view is not None else None
        self.export_button.setEnabled(result is not None)
        self.reminder_button.setEnabled(result is not None and result.missing > 0)
        if result is None:
            self.summary.setText("Chưa chọn kỳ báo cáo.")
            self.units_model.set_rows([])
            return
        units = [u for u in result.units if u.expected]
        if not units:
            self.summary.setText(f"Chưa nhận gói báo cáo nào của kỳ <b>{html.escape(result.period_title)}</b>.")
        else:
            rate = result.rate(result.received)
            due = f" Hạn gửi: {vn_date(result.deadline)}." if result.deadline else ""
            self.summary.setText(
                f"Kỳ <b>{html.escape(result.period_title)}</b>: đã nhận <b>{result.received}/{result.expected}</b> "
                f"đơn vị ({rate:.0f}%) — đúng hạn {result.on_time}, muộn {result.late}, chưa gửi {result.missing}."
                f"{due}")
        reviews = view.reviews
        self.units_model.set_rows(
            [(u.unit_code, u.unit_name + ("" if u.expected else " (ngoài danh sách)"),
              u.status_label + (f"; {u.signature}" if u.signature else "")
              + (f"; {review_label(reviews.get(u.unit_code))}" if review_label(reviews.get(u.unit_code)) else ""),
              u.version or "", vn_date(u.sent_on), vn_date(u.deadline)) for u in result.units],
            keys=[u.unit_code for u in result.units],
            colors=[QColor(STATUS_COLORS.get(u.status, "#000000")) for u in result.units])

    def review_clicked(self, decision: str) -> None:
        """Tiếp nhận / Trả lại the selected unit's current report, then save its receipt in a chosen folder."""
        code = selected_key(self.units_view)
        unit = next((u for u in self.result.units if u.unit_code == code), None) if self.result else None
        if unit is None or not unit.version:
            self.bus.report_error("Hãy chọn trong bảng một đơn vị đã gửi báo cáo.")
            return
        reason = ask_reason(self, unit.unit_name) if decision == "returned" else ""
        folder = ask_folder(self) if reason is not None else None
        if folder is not None:
            self.review(code, decision, reason, folder)

    def review(self, unit_code: str, decision: str, reason: str, folder: Path):
        result = run_review(self.bus, unit_code, self.result.period_code, decision, reason, folder)
        if result is not None:
            self.review_bar.show_result(result)
            self.show_period()
        return result

    # --- importing ------------------------------------------------------------------------------
    def import_clicked(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Chọn gói báo cáo", documents_dir(),
                                                "Gói báo cáo (*.zip);;Mọi tệp (*)")
        if files:
            self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        """Import on a worker; the outcome of each file is listed, and `imported` carries them, once it is done."""
        self.bus.run(ops.IMPORT_PACKAGES, paths, on_success=self._imported, on_failure=self._import_failed)

    def _imported(self, outcomes: list[ImportOutcome]) -> None:
        self._show_outcomes(outcomes)
        accepted = {o.period_code for o in outcomes if o.ok and o.period_code}
        if len(accepted) == 1:
            self._show_screen(prefer=accepted.pop())
        self.imported.emit(outcomes)

    def _import_failed(self, message: str) -> None:
        self.bus.report_error(message)
        self._show_outcomes([])
        self.imported.emit([])

    def _show_outcomes(self, outcomes: list[ImportOutcome]) -> None:
        parts = []
        for outcome in outcomes:
            mark, color, label = OUTCOME_STYLE.get(outcome.status, ("•", "#000000", outcome.status))
            parts.append(f"<p style='margin:2px 0'><span style='color:{color}; font-weight:bold'>{mark} {label}:"
                         f"</span> {html.escape(outcome.message)}</p>")
            if outcome.problems:
                parts.append("<ul style='margin-top:0'>" + "".join(
                    f"<li>{html.escape(problem)}</li>" for problem in outcome.problems) + "</ul>")
        self.outcomes.setHtml("".join(parts) or "<p>Không có tệp nào được nhập.</p>")
        self.outcomes.document().setTextWidth(max(200, self.outcomes.viewport().width()))
        height = int(self.outcomes.document().size().height()) + 2 * self.outcomes.frameWidth() + 4
        self.outcomes.setFixedHeight(max(40, min(height, 180)))
        self.outcomes.show()

    def _drop_style(self, active: bool) -> None:
        color = "#1565c0" if active else "#9e9e9e"
        background = "#e3f2fd" if active else "transparent"
        self.drop_zone.setStyleSheet(f"border: 2px dashed {color}; border-radius: 6px; background: {background};"
                                     " color: palette(text); padding: 8px;")

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if zip_paths(event.mimeData()):
            self._drop_style(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event) -> None:  # noqa: N802
        self._drop_style(False)
        super().dragLeaveEvent(event)

    def dropEvent(self, event) -> None:  # noqa: N802
        self._drop_style(False)
        paths = zip_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # --- expected units and export --------------------------------------------------------------
    def add_expected(self) -> None:
        ok, _ = self.bus.run(ops.SET_EXPECTED_UNIT, self.new_code.text(), self.new_name.text())
        if ok:
            self.new_code.clear()
            self.new_name.clear()

    def _pick_expected(self) -> None:
        code = selected_key(self.expected_view)
        name = next((r[1] for r in self.expected_model.rows if r[0] == code), "")
        self.new_code.setText(code or "")
        self.new_name.setText(name)
        self.new_name.setFocus()

    def delete_item(self) -> None:
        code = selected_key(self.expected_view)
        if code is None:
            return
        answer = QMessageBox.question(self, "Bỏ đơn vị", f"Bỏ đơn vị mã {code} khỏi danh sách đơn vị phải báo cáo?\n"
                                      "Các gói đã nhận của đơn vị vẫn được giữ.")
        if answer == QMessageBox.StandardButton.Yes:
            self.bus.run(ops.REMOVE_EXPECTED_UNIT, code)

    def new_item(self) -> None:
        self.new_code.setFocus()

    def export_clicked(self) -> None:
        if self.result is None:
            return
        chosen = ask_save_path(self, "Xuất bảng tổng hợp", f"TongHop_{self.result.period_code}.xlsx", EXPORT_FILTERS)
        if chosen:
            self.export_summary(*chosen)

    def export_summary(self, path: Path, fmt: str) -> None:
        """Write the summary on a worker; the bar names the file once it is written."""
        self.bus.run(ops.WRITE_COLLECT_FILE, self.result.period_code, fmt, path, clock.today(),
                     on_success=lambda written: self.result_bar.show_file("Đã xuất bảng tổng hợp:", written))

    def reminder_clicked(self) -> None:
        if self.result is None:
            return
        chosen = ask_save_path(self, "In công văn đôn đốc", f"CongVanDonDoc_{self.result.period_code}.pdf",
                               {k: EXPORT_FILTERS[k] for k in ("pdf", "docx")})
        if chosen:
            self.write_reminder_letter(*chosen)

    def write_reminder_letter(self, path: Path, fmt: str) -> None:
        """Write the letter on a worker; the bar names the file once it is written, `reminder_written` tells the end."""
        self.bus.run(ops.WRITE_REMINDER_LETTER, self.result.period_code, fmt, path, clock.today(),
                     on_success=self._reminder_written, on_failure=self._reminder_failed)

    def _reminder_written(self, written) -> None:
        self.result_bar.show_file(f"Đã ghi công văn đôn đốc {len(written.units)} đơn vị:", written.path)
        self.reminder_written.emit(written.path)

    def _reminder_failed(self, message: str) -> None:
        self.bus.report_error(message)
        self.reminder_written.emit(None)

    def prepare_screenshot(self) -> None:
        self.refresh()

