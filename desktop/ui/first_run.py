"""The first-run wizard: start from the sample plan, enter the department, its units and its plan, or take the
upper level's plan package (the unit's own tasks preselected, nothing retyped)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton, QSpinBox, QVBoxLayout,
    QWidget,
    QWizard, QWizardPage,
)

from desktop.errors import KhbcError
from desktop.importers.model import ImportedTask
from desktop.services.workspace import Workspace


REQUIRED_NOTE = "Ô có dấu * là bắt buộc."


def deadline_problem(label: str, text: str) -> str:
    """Why a "ngày/tháng" deadline cannot be (31/2, 10/13, text), or "" when it is a real day of the year."""
    parts = text.strip().replace("-", "/").replace(".", "/").split("/")
    try:
        day, month = (int(part) for part in parts)
        date(2024, month, day)  # a leap year: 29/2 is a real deadline
    except ValueError:
        return f"{label}: \"{text.strip()}\" không phải một ngày có thật (nhập ngày/tháng, ví dụ 10/6)."
    return ""


def hint_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5b6b7d;")
    return label


class _RequiredPage(QWizardPage):
    """A page whose "Tiếp >" stays grey until its starred fields are filled, saying under the form what is
    still missing, instead of a grey button and no reason."""

    def __init__(self):
        super().__init__()
        self.required: dict[str, QLineEdit] = {}
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setStyleSheet("color: #c62828;")

    def require(self, label: str, edit: QLineEdit) -> str:
        self.required[label] = edit
        edit.textChanged.connect(self.completeChanged)
        return f"{label} *"

    def problems(self) -> list[str]:
        empty = [label for label, edit in self.required.items() if not edit.text().strip()]
        return [f"Chưa điền: {', '.join(empty)}."] if empty else []

    def isComplete(self) -> bool:  # noqa: N802 (Qt naming)
        problems = self.problems()
        self.missing.setText(" ".join(problems) + (" Điền đủ để bấm \"Tiếp >\"." if problems else ""))
        return not problems


class _ChoicePage(QWizardPage):
    def __init__(self):
        super().__init__()
        self.setTitle("Chào mừng đến với KHBC")
        self.setSubTitle("Chương trình theo dõi kế hoạch, kết quả thực hiện và báo cáo định kỳ.")
        self.sample = QRadioButton("Bắt đầu với kế hoạch mẫu (Kế hoạch của Sở Xây dựng tỉnh Đắk Lắk, 2026–2030)")
        self.own = QRadioButton("Nhập thông tin đơn vị và kế hoạch của tôi")
        self.upper = QRadioButton("Nhận kế hoạch của cấp trên (gói kế hoạch .zip cấp trên gửi)")
        self.sample.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.sample)
        group.addButton(self.own)
        group.addButton(self.upper)
        note = QLabel("Kế hoạch mẫu giúp làm quen với chương trình; có thể sửa hoặc thay bằng kế hoạch của "
                      "đơn vị bất cứ lúc nào.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sample)
        layout.addWidget(self.own)
        layout.addWidget(self.upper)
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


class _ProfilePage(_RequiredPage):
    def __init__(self, choice: _ChoicePage | None = None):
        super().__init__()
        self.choice = choice
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
            if key in ("parent_agency", "name", "abbreviation", "place_name"):
                label = self.require(label, edit)
            form.addRow(label, edit)
        form.addRow(hint_label(REQUIRED_NOTE))
        form.addRow(self.missing)

    def nextId(self) -> int:  # noqa: N802 (Qt naming)
        return UPPER_PAGE if self.choice is not None and self.choice.upper.isChecked() else 2

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


class _PlanPage(_RequiredPage):
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
        form.addRow(self.require("Trích yếu kế hoạch", self.title_edit), self.title_edit)
        form.addRow("Từ năm", self.start)
        form.addRow("Đến năm", self.end)
        form.addRow(self.require("Hạn gửi báo cáo 6 tháng", self.half_deadline), self.half_deadline)
        form.addRow(self.require("Hạn gửi báo cáo năm", self.year_deadline), self.year_deadline)
        form.addRow(hint_label(REQUIRED_NOTE))
        form.addRow(self.missing)
        for spin in (self.start, self.end):
            spin.valueChanged.connect(self.completeChanged)

    def problems(self) -> list[str]:
        problems = super().problems()
        for label, edit in (("Hạn gửi báo cáo 6 tháng", self.half_deadline), ("Hạn gửi báo cáo năm", self.year_deadline)):
            if edit.text().strip():
                problems += [p for p in [deadline_problem(label, edit.text())] if p]
        if self.end.value() < self.start.value():
            problems.append("Năm kết thúc phải từ năm bắt đầu trở đi.")
        return problems

    def nextId(self) -> int:  # noqa: N802 (Qt naming)
        return TASKS_PAGE  # never the sample plan's page: this is her own plan


TASKS_PAGE = 5
UPPER_PAGE = 6


class _TasksPage(QWizardPage):
    """The own plan's last step: its tasks, typed one a line or read from the appendix file."""

    def __init__(self):
        super().__init__()
        self.setTitle("Nhiệm vụ của kế hoạch")
        self.setSubTitle("Gõ vài nhiệm vụ (mỗi dòng một nhiệm vụ), hoặc nhập phụ lục nhiệm vụ từ tệp. "
                         "Có thể bỏ qua và thêm sau trong trang Phụ lục nhiệm vụ.")
        self.typed = QPlainTextEdit()
        self.typed.setPlaceholderText("ví dụ:\nTuyên truyền bảo vệ trẻ em trên môi trường mạng\n"
                                      "Rà soát, bảo đảm an toàn hệ thống thông tin của Sở")
        self.from_file = QPushButton("Nhập phụ lục từ tệp…")
        self.from_file.clicked.connect(self.choose_file)
        self.file_note = QLabel()
        self.file_note.setWordWrap(True)
        self.imported: list = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.typed, 1)
        layout.addWidget(self.from_file)
        layout.addWidget(self.file_note)

    def choose_file(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp phụ lục nhiệm vụ", "",
                                              "Kế hoạch, phụ lục (*.xlsx *.docx *.txt *.csv);;Mọi tệp (*)")
        if path:
            self.read_file(path)

    def read_file(self, path: str) -> None:
        """Read the appendix with the same importer as "Nhập từ tệp…"; what it finds is added on "Hoàn tất"."""
        from desktop.services.task_import import preview_import

        try:
            preview = preview_import(path)
        except KhbcError as exc:
            self.imported = []
            self.file_note.setStyleSheet("color: #c62828;")
            self.file_note.setText(exc.message)
            return
        self.imported = preview.selected_rows()
        self.file_note.setStyleSheet("color: #2e7d32;" if self.imported else "color: #c62828;")
        self.file_note.setText(f"Đã đọc {len(self.imported)} nhiệm vụ từ tệp {Path(path).name}; chúng được thêm "
                               "vào phụ lục khi bấm \"Hoàn tất\"." if self.imported
                               else (preview.warnings[-1] if preview.warnings else "Không tìm thấy nhiệm vụ nào."))

    def typed_tasks(self) -> list[str]:
        return [line.strip() for line in self.typed.toPlainText().splitlines() if line.strip()]

    def nextId(self) -> int:  # noqa: N802
        return -1


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
        self.choice = _ChoicePage()
        self.profile, self.units, self.plan = _ProfilePage(self.choice), _UnitsPage(), _PlanPage()
        self.tasks = _TasksPage()
        from desktop.ui.first_run_upper import UpperPlanPage

        self.upper = UpperPlanPage(self.profile.values)
        for page_id, page in enumerate((self.choice, self.profile, self.units, self.plan, _SamplePage(), self.tasks,
                                        self.upper)):
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
        from desktop.services import profile, setup

        with self.workspace.unit_of_work() as session:
            if self.choice.sample.isChecked():
                setup.load_sample(session)
                return
            if self.choice.upper.isChecked():
                self.upper.apply(session, self.profile.values())
                return
            schedule = {"kinds": ["half", "year"], "deadlines": {
                "half": self.plan.half_deadline.text().strip(), "year": self.plan.year_deadline.text().strip()}}
            profile.start_own_plan(session, {k: v for k, v in self.profile.values().items() if v}, self.units.names(),
                                   self.plan.title_edit.text(), self.plan.start.value(), self.plan.end.value(),
                                   schedule)
            rows = [ImportedTask(content=line) for line in self.tasks.typed_tasks()] + list(self.tasks.imported)
            if rows:
                from desktop.services.task_import import apply_import

                session.flush()
                apply_import(session, rows, source="Thiết lập lần đầu")
