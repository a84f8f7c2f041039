"""The first-run wizard: start from the sample plan, or enter the department, its units and its plan."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QButtonGroup, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QRadioButton, QSpinBox, QVBoxLayout, QWidget,
    QWizard, QWizardPage,
)

from desktop.errors import KhbcError
from desktop.services.workspace import Workspace


class _ChoicePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Chào mừng đến với KHBC")
        self.setSubTitle("Chương trình theo dõi kế hoạch, kết quả thực hiện và báo cáo định kỳ.")
        self.sample = QRadioButton("Bắt đầu với kế hoạch mẫu (Kế hoạch của Sở Xây dựng tỉnh Đắk Lắk, 2026–2030)")
        self.own = QRadioButton("Nhập thông tin đơn vị và kế hoạch của tôi")
        self.sample.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.sample)
        group.addButton(self.own)
        note = QLabel("Kế hoạch mẫu giúp làm quen với chương trình; có thể sửa hoặc thay bằng kế hoạch của "
                      "đơn vị bất cứ lúc nào.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample)
        layout.addWidget(self.own)
        layout.addSpacing(12)
        layout.addWidget(note)

    def nextId(self) -> int:  # noqa: N802 (Qt naming)
        return SAMPLE_PAGE if self.sample.isChecked() else 1


SAMPLE_PAGE = 4


class _SamplePage(QWizardPage):
    """The last step of the sample path: says what will be loaded; "Hoàn tất" loads it."""

    def __init__(self):
        super().__init__()
        self.setTitle("Kế hoạch mẫu")
        self.setSubTitle("Bấm \"Hoàn tất\" để bắt đầu.")
        text = QLabel("KHBC sẽ nạp Kế hoạch của Sở Xây dựng tỉnh Đắk Lắk triển khai Chương trình \"Bảo vệ và hỗ trợ "
                      "trẻ em phát triển trên môi trường mạng giai đoạn 2026-2030\": thông tin cơ quan, người ký, "
                      "9 nhiệm vụ của phụ lục \"06 rõ\", 5 chỉ tiêu và các kỳ báo cáo từ năm 2026.\n\n"
                      "Sau đó có thể sửa thông tin cơ quan trong Cài đặt và nội dung kế hoạch trong trang Kế hoạch.")
        text.setWordWrap(True)
        QVBoxLayout(self).addWidget(text)

    def nextId(self) -> int:  # noqa: N802
        return -1


class _ProfilePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Thông tin cơ quan")
        self.setSubTitle("Dùng cho phần đầu và chữ ký của văn bản (Nghị định 30/2020/NĐ-CP).")
        self.fields = {
            "parent_agency": QLineEdit(placeholderText="ví dụ: UBND TỈNH ĐẮK LẮK"),
            "name": QLineEdit(placeholderText="ví dụ: SỞ XÂY DỰNG"),
            "name_in_text": QLineEdit(placeholderText="ví dụ: Sở Xây dựng"),
            "abbreviation": QLineEdit(placeholderText="ví dụ: SXD"),
            "place_name": QLineEdit(placeholderText="ví dụ: Đắk Lắk"),
            "signer_authority": QLineEdit(placeholderText="ví dụ: KT. GIÁM ĐỐC"),
            "signer_title": QLineEdit(placeholderText="ví dụ: PHÓ GIÁM ĐỐC"),
            "signer_name": QLineEdit(placeholderText="ví dụ: Lê Công Du"),
        }
        labels = ("Cơ quan chủ quản", "Tên cơ quan (in hoa)", "Tên viết trong câu", "Chữ viết tắt",
                  "Địa danh", "Thẩm quyền ký", "Chức vụ người ký", "Họ tên người ký")
        form = QFormLayout(self)
        for label, (key, edit) in zip(labels, self.fields.items()):
            form.addRow(label, edit)
            if key in ("parent_agency", "name", "abbreviation", "place_name"):
                self.registerField(f"{key}*", edit)

    def values(self) -> dict[str, str]:
        values = {key: edit.text().strip() for key, edit in self.fields.items()}
        values["parent_agency"] = values["parent_agency"].upper()
        values["name"] = values["name"].upper()
        values["abbreviation"] = values["abbreviation"].upper()
        return values


class _UnitsPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Các đơn vị")
        self.setSubTitle("Các phòng của cơ quan và các cơ quan phối hợp, mỗi dòng một đơn vị.")
        self.units = QPlainTextEdit()
        self.units.setPlaceholderText("ví dụ:\nVăn phòng Sở\nPhòng Quản lý xây dựng\nCông an tỉnh")
        QVBoxLayout(self).addWidget(self.units)

    def names(self) -> list[str]:
        return list(dict.fromkeys(line.strip() for line in self.units.toPlainText().splitlines() if line.strip()))


class _PlanPage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Kế hoạch")
        self.setSubTitle("Có thể bổ sung căn cứ, các mục và phụ lục nhiệm vụ sau trong trang Kế hoạch.")
        self.title_edit = QLineEdit(placeholderText="ví dụ: Triển khai thực hiện Chương trình …")
        year = date.today().year
        self.start = QSpinBox(minimum=2000, maximum=2100, value=year)
        self.end = QSpinBox(minimum=2000, maximum=2100, value=year + 4)
        self.half_deadline = QLineEdit("10/6")
        self.year_deadline = QLineEdit("10/12")
        form = QFormLayout(self)
        form.addRow("Trích yếu kế hoạch", self.title_edit)
        form.addRow("Từ năm", self.start)
        form.addRow("Đến năm", self.end)
        form.addRow("Hạn gửi báo cáo 6 tháng", self.half_deadline)
        form.addRow("Hạn gửi báo cáo năm", self.year_deadline)
        self.registerField("plan_title*", self.title_edit)


class FirstRunWizard(QWizard):
    """Asks once, on a database with no plan; writes everything in one unit of work at the end."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("KHBC – Thiết lập lần đầu")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Hoàn tất")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        self.choice, self.profile, self.units, self.plan = _ChoicePage(), _ProfilePage(), _UnitsPage(), _PlanPage()
        for page_id, page in enumerate((self.choice, self.profile, self.units, self.plan, _SamplePage())):
            self.setPage(page_id, page)
        self.resize(680, 480)
        self.error = ""

    def accept(self) -> None:
        try:
            self.apply()
        except KhbcError as exc:
            self.error = exc.message
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "KHBC", exc.message)
            return
        super().accept()

    def apply(self) -> None:
        """Store what the wizard collected (or the sample plan), in one unit of work."""
        from desktop.services import setup

        with self.workspace.unit_of_work() as session:
            if self.choice.sample.isChecked():
                setup.load_sample(session)
                return
            schedule = {"kinds": ["half", "year"], "deadlines": {
                "half": self.plan.half_deadline.text().strip(), "year": self.plan.year_deadline.text().strip()}}
            setup.start_own_plan(session, {k: v for k, v in self.profile.values().items() if v}, self.units.names(),
                                 self.plan.title_edit.text(), self.plan.start.value(), self.plan.end.value(), schedule)
