"""Báo cáo: a period's report — number, date, signer, recipients, the five sections, preview, print and save as."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QTabWidget, QVBoxLayout,
    QWidget,
)

from desktop.services import clock
from desktop.services import operations as ops
from desktop.services.documents import ReportFreshness
from desktop.services.operations import Change
from desktop.services.page_data import ReportView, report_screen, report_view, write_report_preview
from desktop.services.ui_overview import ReportForm
from desktop.ui.bus import DataBus
from desktop.ui.file_actions import ResultBar, ask_save_path
from desktop.ui.pages.base import Page
from desktop.ui.signing_dialog import SigningDialog
from desktop.ui.pdf_preview import PdfPreview
from desktop.ui.widgets import OptionalDateEdit, PeriodCombo, SectionEditor, authority_combo, group, hint, text_lines

SECTIONS = (("direction", "I. Công tác chỉ đạo, triển khai"), ("results", "II. Kết quả thực hiện nhiệm vụ"),
            ("assessment", "III. Đánh giá chung"), ("next_steps", "IV. Phương hướng, nhiệm vụ kỳ tới"),
            ("proposals", "V. Đề xuất, kiến nghị"))
SAVE_FILTERS = {"pdf": "Tệp PDF (*.pdf)", "docx": "Văn bản Word (*.docx)", "xlsx": "Bảng tính Excel (*.xlsx)"}
PREVIEW_TAB = 2


class ReportPage(Page):
    """The report of the chosen period; edits are kept with Ctrl+S, the Lưu button, on leaving or on preview."""

    nav_label = "Báo cáo"
    slug = "bao-cao"
    changes = frozenset({Change.REPORT, Change.PLAN, Change.PROFILE, Change.PROGRESS, Change.TASKS, Change.TARGETS,
                         Change.EXPORTS, Change.SETTINGS})

    preview_done = Signal(int)  # the preview's page count once every page is drawn; 0 when it could not be made

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self._preview_reader = None  # the worker writing the preview PDF, while it runs
        self._preview_again = False  # the data changed while the preview was being written
        self._print_pending = False  # "In…" waits for the preview to be drawn
        self.form: ReportForm | None = None
        self._loaded: dict | None = None
        self._preview_stale = True
        self.stale_sections: tuple[str, ...] = ()
        self._saving = False  # a save announces "report", which must not start another save
        self._drafting = False  # "Soạn tự động" runs on a worker: the text stays read-only until it is shown

        self.period_combo = PeriodCombo(bus)
        self.period_combo.period_changed.connect(self._period_changed)
        self.draft_button = QPushButton("Soạn tự động")
        self.draft_button.setToolTip("Soạn nội dung các mục từ kết quả đã cập nhật của các nhiệm vụ")
        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu các thay đổi (Ctrl+S)")
        self.print_button = QPushButton("In…")
        self.export_button = QPushButton("Lưu thành tệp…")
        self.export_button.setToolTip("Lưu báo cáo thành tệp PDF, Word (DOCX) hoặc Excel (XLSX)")
        self.draft_button.clicked.connect(self.draft)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.print_report)
        self.export_button.clicked.connect(self.export_report)
        top = QHBoxLayout()
        top.addWidget(QLabel("Kỳ báo cáo:"))
        top.addWidget(self.period_combo)
        top.addStretch(1)
        self.sign_button = QPushButton("Ký số…")  # ký số: desktop/ui/signing_dialog.py
        self.sign_button.clicked.connect(lambda: SigningDialog(self.bus, self.period_combo.code(), self).exec())
        for button in (self.draft_button, self.save_button, self.print_button, self.export_button, self.sign_button):
            top.addWidget(button)

        self.lock_banner = QLabel()
        self.lock_banner.setWordWrap(True)
        self.lock_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.lock_banner.setStyleSheet("background: #fff8e1; border: 1px solid #ffcc80; padding: 6px;")
        self.lock_banner.hide()
        self.stale_banner = QLabel()  # the stored text is older than the results it speaks about
        self.stale_banner.setWordWrap(True)
        self.redraft_button = QPushButton("Soạn lại")
        self.redraft_button.setToolTip("Soạn lại các mục cũ từ kết quả mới nhất")
        self.redraft_button.clicked.connect(self.redraft_stale)
        self.stale_box = QFrame()
        self.stale_box.setStyleSheet("QFrame { background: #ffebee; border: 1px solid #ef9a9a; }"
                                     "QLabel { border: none; padding: 4px; }")
        stale_row = QHBoxLayout(self.stale_box)
        stale_row.setContentsMargins(4, 4, 4, 4)
        stale_row.addWidget(self.stale_banner, 1)
        stale_row.addWidget(self.redraft_button)
        self.stale_box.hide()
        self.result_bar = ResultBar()

        self.sections = SectionEditor(SECTIONS)
        self.sections.changed.connect(self._edited)
        self.preview = PdfPreview()
        self.preview.ready.connect(self.preview_done)
        self.preview_done.connect(self._preview_shown)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_letter_tab(), "Thông tin văn bản")
        self.tabs.addTab(self.sections, "Nội dung báo cáo")
        self.tabs.addTab(self.preview, "Xem trước")
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.lock_banner)
        layout.addWidget(self.stale_box)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.tabs, 1)

    def _build_letter_tab(self) -> QWidget:
        tab = QWidget()
        self.number = QLineEdit()
        self.issued_on = OptionalDateEdit("chưa ký – văn bản in “ngày … tháng … năm …” để ghi tay")
        self.signer_authority = authority_combo()
        self.signer_title = QLineEdit()
        self.signer_title.setPlaceholderText("ví dụ PHÓ GIÁM ĐỐC")
        self.signer_name = QLineEdit()
        self.recipients = QPlainTextEdit()
        self.recipients.setMinimumHeight(120)
        letter, letter_form = group("Văn bản")
        letter_form.addRow("Số báo cáo:", self.number)
        letter_form.addRow("Ngày ký:", self.issued_on)
        signer, signer_form = group("Người ký")
        signer_form.addRow("Thẩm quyền ký:", self.signer_authority)
        signer_form.addRow("Chức vụ:", self.signer_title)
        signer_form.addRow("Họ và tên:", self.signer_name)
        signer_form.addRow(hint("Để trống “Thẩm quyền ký” khi thủ trưởng ký trực tiếp. Mặc định lấy theo Cài đặt."))
        recipients, recipients_form = group("Nơi nhận")
        recipients_form.addRow(self.recipients)
        recipients_form.addRow(hint("Mỗi dòng một nơi nhận; dòng cuối thường là “Lưu: VT, …”."))
        for widget in (self.number, self.signer_title, self.signer_name):
            widget.textChanged.connect(self._edited)
        self.signer_authority.currentTextChanged.connect(self._edited)
        self.recipients.textChanged.connect(self._edited)
        self.issued_on.changed.connect(self._edited)
        left = QVBoxLayout()
        left.addWidget(letter)
        left.addWidget(signer)
        left.addStretch(1)
        layout = QHBoxLayout(tab)
        layout.setSpacing(16)
        layout.addLayout(left, 1)
        layout.addWidget(recipients, 1)
        return tab

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._saving:
            return
        super().refresh()
        screen = self.bus.try_read(report_screen, self.period_combo.wanted(), clock.today())  # one read
        self.period_combo.show_periods(screen.periods if screen is not None else [])
        self._preview_stale = True
        if not self.has_unsaved_changes():
            self._show(screen.view if screen is not None else None)
        if self.tabs.currentIndex() == PREVIEW_TAB and self.isVisible():
            self.update_preview()

    def _load(self, code: str | None) -> None:
        self._show(self.bus.try_read(report_view, code) if code else None)

    def _show(self, view: ReportView | None) -> None:
        self.form = form = view.form if view is not None else None
        if form is None:
            return
        self.number.setPlaceholderText(f"ví dụ 12/BC-{form.abbreviation or 'SXD'} (để trống nếu chưa lấy số)")
        for widget in (self.number, self.signer_title, self.signer_name, self.recipients):
            widget.blockSignals(True)
        self.number.setText(form.number)
        self.issued_on.set_value(form.issued_on)
        self.signer_authority.blockSignals(True)
        self.signer_authority.setCurrentText(form.signer_authority)
        self.signer_authority.blockSignals(False)
        self.signer_title.setText(form.signer_title)
        self.signer_name.setText(form.signer_name)
        self.recipients.setPlainText("\n".join(form.recipients))
        for widget in (self.number, self.signer_title, self.signer_name, self.recipients):
            widget.blockSignals(False)
        self.sections.set_values(form.sections)
        self._loaded = self._values()
        self._apply_lock(view.freshness)

    def _values(self) -> dict:
        values = dict(number=self.number.text().strip(), issued_on=self.issued_on.value(),
                      signer_authority=self.signer_authority.currentText().strip(),
                      signer_title=self.signer_title.text().strip(), signer_name=self.signer_name.text().strip(),
                      recipients=text_lines(self.recipients.toPlainText()))
        values.update({key: text.strip() for key, text in self.sections.values().items()})
        return values

    def _apply_lock(self, freshness: ReportFreshness | None) -> None:
        locked = bool(self.form and self.form.locked)
        for widget in (self.number, self.signer_title, self.signer_name, self.recipients):
            widget.setReadOnly(locked)
        self.signer_authority.setEnabled(not locked)
        self.issued_on.set_read_only(locked)
        self.sections.set_read_only(locked or self._drafting)
        self.draft_button.setEnabled(not locked and self.form is not None and not self._drafting)
        self.lock_banner.setVisible(locked)
        self.stale_sections = freshness.stale_sections if freshness else ()
        self.stale_box.setVisible(bool(self.stale_sections))
        if self.stale_sections:
            self.stale_banner.setText(freshness.message())
        if locked:
            self.lock_banner.setText(f"Kỳ {self.form.period_title} đã gửi báo cáo nên không sửa được. Muốn sửa hoặc "
                                     "bổ sung, vào trang “Gửi báo cáo” và chọn “Mở lại để bổ sung”.")
        self._edited()

    def _edited(self) -> None:
        dirty = self.has_unsaved_changes()
        self.save_button.setEnabled(dirty)
        if dirty:
            self._preview_stale = True

    def _period_changed(self, code: str) -> None:
        if self.form is not None and code == self.form.period_code:
            return
        self.save()  # keep what was typed for the period being left
        self._preview_stale = True
        self._load(code)
        if self.tabs.currentIndex() == PREVIEW_TAB:
            self.update_preview()

    def _tab_changed(self, index: int) -> None:
        if index == PREVIEW_TAB and self._preview_stale:
            self.update_preview()

    # --- saving ---------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return (self._loaded is not None and self.form is not None and not self.form.locked
                and self._values() != self._loaded)

    def save(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        values = self._values()
        changed = {key: value for key, value in values.items() if value != self._loaded.get(key)}
        self._saving = True
        try:
            ok, _ = self.bus.run(ops.SAVE_REPORT, self.form.period_code, **changed)
        finally:
            self._saving = False
        if ok:
            self._loaded = values
            self._edited()
        return ok

    def draft(self) -> None:
        """Soạn tự động: fill the sections from the recorded progress; asks before replacing written text."""
        if self.form is None or self.form.locked or not self.save():
            return
        overwrite = False
        if any(text.strip() for text in self.sections.values().values()):
            choice = self.ask_overwrite()
            if choice is None:
                return
            overwrite = choice
        self._start_draft(overwrite=overwrite)

    def redraft_stale(self) -> None:
        """The banner's "Soạn lại": draft again the sections older than the results, after asking."""
        if self.form is None or self.form.locked or not self.stale_sections or not self.save():
            return
        names = ", ".join(title for key, title in SECTIONS if key in self.stale_sections)
        answer = QMessageBox.question(self, "Soạn lại", f"Soạn lại từ kết quả mới nhất các mục: {names}?\n"
                                      "Nội dung đang có của các mục này sẽ được thay thế.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._start_draft(overwrite=True, only=self.stale_sections)

    def _start_draft(self, **options) -> None:
        """Draft on a worker (it reads every task's results); the text cannot be edited until it is shown."""
        code = self.form.period_code
        self._drafting = True
        self.sections.set_read_only(True)
        for button in (self.draft_button, self.redraft_button, self.period_combo):
            button.setEnabled(False)
        self.bus.run(ops.DRAFT_REPORT, code, clock.today(), on_success=lambda _sections: self._drafted(code),
                     on_failure=self._draft_failed, **options)

    def _drafted(self, code: str) -> None:
        self._draft_ended()
        if self.form is not None and self.form.period_code == code:
            self._load(code)
            self.tabs.setCurrentIndex(1)

    def _draft_failed(self, message: str) -> None:
        self._draft_ended()
        self._apply_lock()
        self.bus.report_error(message)

    def _draft_ended(self) -> None:
        self._drafting = False
        self.period_combo.setEnabled(True)
        self.redraft_button.setEnabled(True)

    def ask_overwrite(self) -> bool | None:
        """True: redraft every section; False: only the empty ones; None: cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, "Soạn tự động",
                          "Một số mục đã có nội dung. Soạn lại toàn bộ sẽ thay thế nội dung đó.", parent=self)
        replace = box.addButton("Soạn lại tất cả các mục", QMessageBox.ButtonRole.DestructiveRole)
        empty_only = box.addButton("Chỉ soạn các mục còn trống", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Hủy", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(empty_only)
        box.exec()
        if box.clickedButton() not in (replace, empty_only):
            return None
        return box.clickedButton() is replace

    # --- documents ------------------------------------------------------------------------------
    def update_preview(self) -> None:
        """Write the report to a private PDF on a worker, then show it page by page; `preview_done` tells the end."""
        code = self.period_combo.code()
        if code is None:
            self.preview.show_message("Chưa chọn kỳ báo cáo.")
            self.preview_done.emit(0)
            return
        self.save()
        self._preview_stale = False
        if self._preview_reader is not None:  # one at a time; the newest data is shown once this one ends
            self._preview_again = True
            return
        self.preview.show_message("Đang chuẩn bị bản xem trước…")
        self._preview_reader = self.bus.read_later(write_report_preview, code, clock.today(),
                                                   self.preview.next_scratch_path(), on_success=self._preview_written,
                                                   on_failure=self._preview_failed)

    def _preview_written(self, path: Path) -> None:
        self._preview_reader = None
        if self._preview_again:
            self._preview_again = False
            self.update_preview()
        else:
            self.preview.load(path)

    def _preview_failed(self, message: str) -> None:
        self._preview_reader = None
        self._preview_again = False
        self.preview.show_message(message)
        self.preview_done.emit(0)

    def print_report(self) -> None:
        """Print what the preview shows; a preview still to be made is made first, then printing follows."""
        if self._preview_stale or not self.preview.page_count() or self._preview_reader is not None:
            self._print_pending = True
            if self._preview_reader is None:
                self.update_preview()
            return
        self.preview.print_document(self)

    def _preview_shown(self, pages: int) -> None:
        if self._print_pending:
            self._print_pending = False
            if pages:
                self.preview.print_document(self)

    def export_report(self) -> None:
        code = self.period_combo.code()
        if code is None:
            return
        abbreviation = self.form.abbreviation if self.form else "KHBC"
        chosen = ask_save_path(self, "Lưu báo cáo thành tệp", f"BaoCao_{abbreviation}_{code}.pdf", SAVE_FILTERS)
        if chosen:
            self.write_file(*chosen)

    def write_file(self, path: Path, fmt: str) -> None:
        """Write the report on a worker; the bar above the tabs names the file once it is written."""
        if self.save():
            self.bus.run(ops.WRITE_REPORT_FILE, self.period_combo.code(), fmt, path, clock.today(),
                         on_success=lambda written: self.result_bar.show_file("Đã lưu báo cáo thành tệp:", written))

    def new_item(self) -> None:
        self.tabs.setCurrentIndex(1)

    def focus_search(self) -> None:
        self.number.setFocus()

    def prepare_screenshot(self) -> None:
        """Show the preview, waiting (in an event loop, at most a minute) until its pages are drawn."""
        loop = QEventLoop()
        self.preview_done.connect(loop.quit)
        QTimer.singleShot(60_000, loop.quit)
        self.tabs.setCurrentIndex(PREVIEW_TAB)
        if self._preview_reader is not None or self.preview.is_rendering():
            loop.exec()
        self.preview_done.disconnect(loop.quit)
