"""The "Thêm nhiệm vụ" form: one new row of the "06 rõ" appendix, with the live reading of its timeframe."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QPlainTextEdit, QVBoxLayout, QWidget,
)

from desktop.ui.delegates import TimeframeEdit, UnitChecklist, unit_combo


@dataclass(frozen=True)
class NewTask:
    content: str
    lead: str
    cooperating: list[str]
    timeframe_text: str
    expected_output: str


class TaskDialog(QDialog):
    """Collects a new task; `accepted` is emitted only when the content is filled in."""

    def __init__(self, unit_names: list[str], years: tuple[int, int] | None, after_number: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.unit_names = list(unit_names)
        self.new_unit_agreed = False  # the clerk agreed here to add the typed lead unit to the list
        self.setWindowTitle("Thêm nhiệm vụ")
        self.setMinimumWidth(620)
        intro = QLabel(f"Nhiệm vụ mới sẽ được thêm ngay sau nhiệm vụ {after_number}; số thứ tự được đánh lại."
                       if after_number else "Nhiệm vụ mới sẽ được thêm vào cuối phụ lục.")
        intro.setWordWrap(True)
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("Ví dụ: Tuyên truyền, phổ biến kiến thức về bảo vệ trẻ em trên môi trường mạng")
        self.content.setTabChangesFocus(True)
        self.content.setFixedHeight(90)
        self.lead = unit_combo(unit_names)
        self.cooperating = UnitChecklist(unit_names)
        self.cooperating.setFixedHeight(min(max(len(unit_names), 3), 6) * 22 + 8)
        self.timeframe = TimeframeEdit(years)
        self.output = QPlainTextEdit()
        self.output.setPlaceholderText("Ví dụ: Kế hoạch được ban hành; báo cáo kết quả")
        self.output.setTabChangesFocus(True)
        self.output.setFixedHeight(60)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        self.error.hide()

        form = QFormLayout()
        form.addRow("Nội dung nhiệm vụ:", self.content)
        form.addRow("Đơn vị chủ trì:", self.lead)
        form.addRow("Đơn vị phối hợp:", self.cooperating)
        form.addRow("Thời gian thực hiện:", self.timeframe)
        form.addRow("Kết quả dự kiến:", self.output)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Thêm nhiệm vụ")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.content.setFocus()

    def accept(self) -> None:
        if not self.content.toPlainText().strip():
            self.error.setText("Hãy nhập nội dung nhiệm vụ.")
            self.error.show()
            self.content.setFocus()
            return
        if not self._lead_is_settled():
            return
        super().accept()

    def _lead_is_settled(self) -> bool:
        """A typed lead unit becomes the one unit of the list it names ("Văn phòng" → "Văn phòng Sở"); a name
        that is not in the list is added only when the clerk agrees; "Không" returns to this filled form."""
        typed = self.lead.currentText().strip()
        if not typed or any(name.casefold() == typed.casefold() for name in self.unit_names):
            return True
        matches = [name for name in self.unit_names if typed.casefold() in name.casefold()]
        if len(matches) == 1:
            self.lead.setCurrentText(matches[0])
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Đơn vị mới",
                          f"Đơn vị \"{typed}\" chưa có trong danh sách đơn vị. Thêm đơn vị này?", parent=self)
        yes = box.addButton("Thêm đơn vị", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Không", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is yes:
            self.new_unit_agreed = True
            return True
        self.error.setText("Chọn đơn vị chủ trì trong danh sách, hoặc đồng ý thêm đơn vị mới.")
        self.error.show()
        self.lead.setFocus()
        self.lead.lineEdit().selectAll()
        return False

    def value(self) -> NewTask:
        return NewTask(content=self.content.toPlainText().strip(), lead=self.lead.currentText().strip(),
                       cooperating=self.cooperating.checked_names(), timeframe_text=self.timeframe.text(),
                       expected_output=self.output.toPlainText().strip())
