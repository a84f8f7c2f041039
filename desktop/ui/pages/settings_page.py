"""Cài đặt: the department profile, default signer and recipients, units, the user's name, the report font, backups."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPlainTextEdit, QPushButton, QScrollArea,
    QSizePolicy, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.errors import KhbcError
from desktop.services import operations as ops
from desktop.services.operations import Change
from desktop.services.page_data import settings_screen
from desktop.services.profile import list_units
from desktop.services.ui_overview import DepartmentForm, UserSettings
from desktop.ui.backup_panel import BackupPanel
from desktop.ui.bus import DataBus
from desktop.ui.pages.base import Page
from desktop.ui.signing_panel import SigningPanel
from desktop.ui.widgets import (
    CallbackCommand, RowsModel, authority_combo, group, heading, hint, make_table, selected_key, text_lines,
)

PROFILE_FIELDS = (("parent_agency", "Cơ quan chủ quản:", "ví dụ UBND TỈNH ĐẮK LẮK"),
                  ("name", "Tên cơ quan (in hoa):", "ví dụ SỞ XÂY DỰNG"),
                  ("name_in_text", "Tên viết trong câu:", "ví dụ Sở Xây dựng"),
                  ("abbreviation", "Chữ viết tắt:", "ví dụ SXD — dùng trong số văn bản …/BC-SXD"),
                  ("unit_code", "Mã đơn vị:", "ví dụ DLK-SXD — ghi trong gói báo cáo gửi đi"),
                  ("place_name", "Địa danh:", "ví dụ Đắk Lắk — ghi trước ngày tháng của văn bản"))
SIGNER_FIELDS = (("signer_title", "Chức vụ:", "ví dụ PHÓ GIÁM ĐỐC"), ("signer_name", "Họ và tên:", ""))
UNIT_COLUMNS = ("Tên đơn vị", "Tên viết tắt", "Thuộc cơ quan", "Số nhiệm vụ")
UNIT_FIELDS = {0: "name", 1: "short_name", 2: "is_internal"}


class SettingsPage(Page):
    """Profile and preferences; the profile and user name are saved with Ctrl+S or Lưu, units and font at once."""

    nav_label = "Cài đặt"
    slug = "cai-dat"
    changes = frozenset({Change.PROFILE, Change.SETTINGS, Change.TASKS, Change.BACKUPS})

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self._loaded: dict | None = None
        self.settings: UserSettings | None = None
        self.fields: dict[str, QLineEdit] = {}

        self.save_button = QPushButton("Lưu")
        self.save_button.setToolTip("Lưu thông tin cơ quan, người ký và tên người dùng (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(heading("Cài đặt", 5), 1)
        top.addWidget(self.save_button)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)  # a very narrow window scrolls the tab names, never the page
        profile, signer = self._build_profile()
        user_and_font, self.backups, self.signing = self._build_user_and_font()
        for title, widget in (("Cơ quan", profile), ("Người ký && nơi nhận", signer),
                              ("Đơn vị", self._build_units()), ("Người dùng && phông chữ", user_and_font),
                              ("Sao lưu", self.backups), ("Ký số", self.signing)):
            self.tabs.addTab(self._scrolled(widget), title)  # "&&": a plain "&", not a shortcut
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        """A tab's content: scrolls down on a short screen, never sideways."""
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(0, 12, 8, 0)
        inner_layout.addWidget(widget)
        if widget.sizePolicy().verticalPolicy() != QSizePolicy.Policy.Expanding:
            inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        return scroll

    def show_section(self, title: str) -> None:
        """Bring the tab named `title` ("Sao lưu") to the front."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index).replace("&&", "&") == title:
                self.tabs.setCurrentIndex(index)
                return
        raise KeyError(title)

    def screenshot_sections(self):
        """For `khbc-gui --screenshot`: show each tab in turn, yielding its name; ends on the first tab."""
        for index in range(self.tabs.count()):
            self.tabs.setCurrentIndex(index)
            yield self.tabs.tabText(index).replace("&&", "&")
        self.tabs.setCurrentIndex(0)

    # --- building -------------------------------------------------------------------------------
    def _line(self, key: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textChanged.connect(self._update_buttons)
        self.fields[key] = edit
        return edit

    def _build_profile(self) -> tuple[QWidget, QWidget]:
        """(the department's own details, the default signer and recipients)."""
        profile, form = group("Cơ quan ban hành văn bản")
        for key, label, placeholder in PROFILE_FIELDS:
            form.addRow(label, self._line(key, placeholder))
        signer_column = QWidget()
        layout = QVBoxLayout(signer_column)
        layout.setContentsMargins(0, 0, 0, 0)
        signer, signer_form = group("Người ký mặc định")
        self.authority = authority_combo()
        self.authority.currentTextChanged.connect(self._update_buttons)
        signer_form.addRow("Thẩm quyền ký:", self.authority)
        for key, label, placeholder in SIGNER_FIELDS:
            signer_form.addRow(label, self._line(key, placeholder))
        signer_form.addRow(hint("Ví dụ “KT. GIÁM ĐỐC” / “PHÓ GIÁM ĐỐC”. Mỗi báo cáo có thể đổi người ký riêng."))
        recipients, recipients_form = group("Nơi nhận của kế hoạch")
        self.recipients = QPlainTextEdit()
        self.recipients.setMinimumHeight(150)
        self.recipients.textChanged.connect(self._update_buttons)
        recipients_form.addRow(self.recipients)
        recipients_form.addRow(hint("Mỗi dòng một nơi nhận; dòng cuối thường là “Lưu: VT, …”. Báo cáo gửi cơ quan "
                                    "nhận báo cáo ghi trong kế hoạch, kèm “(b/c)”, và chỉ lấy dòng “Lưu: …” từ "
                                    "danh sách này (lấy cả danh sách khi kế hoạch chưa ghi cơ quan nhận báo cáo)."))
        layout.addWidget(signer)
        layout.addWidget(recipients)
        return profile, signer_column

    def _build_units(self) -> QWidget:
        box, form = group("Đơn vị thực hiện nhiệm vụ (chủ trì, phối hợp)")
        self.units_model = RowsModel(UNIT_COLUMNS, editable=(0, 1), on_edit=self._edit_unit,
                                     checks={2: ("Trong cơ quan", "Ngoài cơ quan")})
        self.units_view = make_table(self.units_model, stretch=0)
        self.units_view.setMinimumHeight(260)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        add = QPushButton("Thêm đơn vị")
        rename = QPushButton("Đổi tên")
        remove = QPushButton("Xóa đơn vị")
        add.clicked.connect(self.new_item)
        rename.clicked.connect(self._rename_unit)
        remove.clicked.connect(self.delete_item)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (add, rename, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(self.units_view)
        form.addRow(buttons)
        form.addRow(hint("Nhấp đúp vào tên để sửa; đánh dấu ô “Thuộc cơ quan” cho các phòng, ban của cơ quan. "
                         "Thay đổi trong bảng được lưu ngay."))
        return box

    def _build_user_and_font(self) -> tuple[QWidget, BackupPanel, SigningPanel]:
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        user, user_form = group("Người sử dụng")
        self.user_name = QLineEdit()
        self.user_name.textChanged.connect(self._update_buttons)
        user_form.addRow("Tên người dùng:", self.user_name)
        self.user_hint = hint("")
        user_form.addRow(self.user_hint)

        font, font_form = group("Phông chữ của văn bản in")
        self.font_path = QLineEdit()
        self.font_path.setReadOnly(True)
        self.font_path.setPlaceholderText("(tự tìm phông phù hợp)")
        choose = QPushButton("Chọn…")
        default = QPushButton("Dùng mặc định")
        choose.clicked.connect(self.choose_font)
        default.clicked.connect(lambda: self.set_font(""))
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self.font_path, 1)
        row.addWidget(choose)
        row.addWidget(default)
        self.font_status = QLabel()
        self.font_status.setWordWrap(True)
        self.font_status.setTextFormat(Qt.TextFormat.RichText)
        font_form.addRow("Tệp phông:", row)
        font_form.addRow(self.font_status)

        for box in (user, font):
            layout.addWidget(box)
        backups = BackupPanel(self.bus)
        signing = SigningPanel(self.bus)  # ký số: key, images, trust anchors (desktop/ui/signing_panel.py)
        return column, backups, signing

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        screen = self.bus.try_read(settings_screen)  # one read for the whole page
        if screen is None:
            return
        if not self.has_unsaved_changes():
            self.settings = screen.user
            self._fill(screen.department, screen.user)
        self._show_font(screen.user.font_path)
        self.backups.refresh()
        self.signing.refresh(screen.signing)
        self._show_units(screen.units)

    def _fill(self, department: DepartmentForm, settings: UserSettings) -> None:
        for key, edit in self.fields.items():
            edit.setText(getattr(department, key))
        self.authority.setCurrentText(department.signer_authority)
        self.recipients.setPlainText("\n".join(department.default_recipients))
        self.user_name.setText(settings.user_name)
        self.user_name.setPlaceholderText(settings.login_name)
        self.user_hint.setText(f"Ghi vào nhật ký thay đổi. Để trống thì dùng tên đăng nhập máy "
                               f"“{settings.login_name}”.")
        self._loaded = self._values()
        self._update_buttons()

    def _values(self) -> dict:
        values = {key: edit.text().strip() for key, edit in self.fields.items()}
        values["signer_authority"] = self.authority.currentText().strip()
        values["default_recipients"] = text_lines(self.recipients.toPlainText())
        values["user_name"] = self.user_name.text().strip()
        return values

    def _show_font(self, path: str) -> None:
        from desktop.reporting.fonts import find_font_family

        self.font_path.setText(path)
        try:
            family = find_font_family(path or None)
        except KhbcError as exc:
            self.font_status.setText(f"<span style='color:#c62828'>{html.escape(exc.message)}</span>")
            return
        chosen = Path(path).stem if path else ""
        note = "" if not path or family.name == chosen else \
            " <span style='color:#c62828'>(không dùng được tệp đã chọn)</span>"
        source = "" if path else " (tự tìm theo thứ tự Times New Roman, Liberation Serif, DejaVu Serif)"
        self.font_status.setText(f"Văn bản sẽ dùng phông: <b>{html.escape(family.name)}</b>{note}{source}")

    def _load_units(self) -> None:
        self._show_units(self.bus.try_read(list_units, default=[]) or [])

    def _show_units(self, rows) -> None:
        self.units_model.set_rows([(u.name, u.short_name, u.is_internal, u.task_count) for u in rows],
                                  keys=[u for u in rows])

    # --- saving ---------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return self._loaded is not None and self._values() != self._loaded

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.has_unsaved_changes())

    def save(self) -> bool:
        if not self.has_unsaved_changes():
            return True
        values = self._values()
        user = values.pop("user_name")
        old = dict(self._loaded)
        old_user = old.pop("user_name")
        changed = {key: value for key, value in values.items() if value != old.get(key)}
        if changed:
            ok, _ = self.bus.run(ops.SAVE_DEPARTMENT, **changed)
            if not ok:
                return False
            self._loaded = dict(self._loaded, **changed)
        if user != old_user and user:
            ok, _ = self.bus.run(ops.SET_USER_NAME, user)
            if not ok:
                return False
        self._loaded = None
        self.refresh()
        return True

    def choose_font(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn phông chữ có đủ dấu tiếng Việt", "",
                                              "Phông TrueType (*.ttf *.otf);;Mọi tệp (*)")
        if path:
            self.set_font(path)

    def set_font(self, path: str) -> bool:
        ok, _ = self.bus.run(ops.SET_REPORT_FONT, path)
        if ok:
            self._show_font(path)
        return ok

    # --- units ----------------------------------------------------------------------------------
    def _edit_unit(self, unit, column: int, text: str) -> bool:
        field = UNIT_FIELDS[column]
        new = bool(text) if field == "is_internal" else text.strip()
        old = getattr(unit, field)
        ok, _ = self.bus.run(ops.UPDATE_UNIT, unit.id, **{field: new})
        if ok:
            self.undo_stack.push(CallbackCommand(
                f"Sửa đơn vị {unit.name}",
                lambda: self.bus.run(ops.UPDATE_UNIT, unit.id, **{field: new}),
                lambda: self.bus.run(ops.UPDATE_UNIT, unit.id, **{field: old})))
        return ok

    def new_item(self) -> None:
        """Ctrl+N: a new unit row, its name ready to type."""
        names = {row[0] for row in self.units_model.rows}
        name = next(n for n in (f"Đơn vị mới {i}" if i else "Đơn vị mới" for i in range(1000)) if n not in names)
        ok, _ = self.bus.run(ops.ADD_UNIT, name, "", True)
        if ok:
            self._load_units()
            self._start_editing(name)

    def _start_editing(self, name: str) -> None:
        view_model = self.units_view.model()
        for row in range(view_model.rowCount()):
            index = view_model.index(row, 0)
            if index.data() == name:
                self.units_view.setCurrentIndex(index)
                self.units_view.edit(index)
                return

    def _rename_unit(self) -> None:
        unit = selected_key(self.units_view)
        if unit is not None:
            self._start_editing(unit.name)

    def delete_item(self) -> None:
        unit = selected_key(self.units_view)
        if unit is None:
            return
        answer = QMessageBox.question(self, "Xóa đơn vị", f"Xóa đơn vị “{unit.name}” khỏi danh sách?")
        if answer == QMessageBox.StandardButton.Yes:
            self.bus.run(ops.DELETE_UNIT, unit.id)

    def focus_search(self) -> None:
        self.fields["name"].setFocus()
