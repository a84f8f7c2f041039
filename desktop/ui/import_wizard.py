"""The "Nhập từ tệp…" wizard: read tasks from a file or pasted text, preview and tick them, add them to the appendix."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QRadioButton, QTableView, QVBoxLayout, QWizard,
    QWizardPage,
)

from desktop.errors import KhbcError
from desktop.importers.model import FIELD_LABELS, FIELDS, READ_AS_LABELS
from desktop.services import operations as ops
from desktop.services.task_import import (
    ImportPreview, check_import, known_unit_names, preview_import, remember_unit_variant, rename_unit,
)
from desktop.services.ui_support import department_name
from desktop.ui.table_model import ColumnsModel
from desktop.ui.delegates import PaddedDelegate

# The short columns' titles on two lines: on one they were cut at 1024×768 ("hời gian thực hiệ").
COLUMNS = ("Nhập", "TT", "Nội dung nhiệm vụ", "Đơn vị\nchủ trì", "Đơn vị\nphối hợp", "Thời gian\nthực hiện",
           "Vai trò", "Cách đọc")
UNCERTAIN_BACKGROUND = QColor("#fff3cd")
ROLE_CHOICES = (("any", "Chủ trì hoặc phối hợp"), ("lead", "Chỉ nhiệm vụ chủ trì"),
                ("cooperate", "Chỉ nhiệm vụ phối hợp"))
NO_COLUMN = -1


class PreviewModel(ColumnsModel):
    """The rows read, each with a tick box (PreviewRow.selected is changed in place)."""

    columns = COLUMNS

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def set_all(self, selected: bool) -> None:
        for row in self.rows:
            row.selected = selected
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))

    def flags(self, index):
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        task = row.task
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return Qt.CheckState.Checked if row.selected else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole and not task.certain:
            return UNCERTAIN_BACKGROUND
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            how = READ_AS_LABELS.get(task.read_as, task.read_as)
            if not task.certain:
                how = "Cần kiểm tra: " + "; ".join(task.doubts)
            values = ("", task.number, task.content, ", ".join(task.lead), ", ".join(task.cooperating),
                      task.timeframe, row.role_label, how)
            text = values[index.column()]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{text}\n({task.source})" if task.source and index.column() in (2, 7) else None
            return text
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            self.rows[index.row()].selected = Qt.CheckState(value) == Qt.CheckState.Checked
            self.dataChanged.emit(index, index)
            return True
        return False


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.owner = wizard
        self.setTitle("Chọn nơi lấy nhiệm vụ")
        self.setSubTitle("Một tệp PDF, Word (.docx), Excel (.xlsx) hoặc văn bản (.txt): kế hoạch, công văn, quyết "
                         "định giao nhiệm vụ hoặc bảng phân công; hoặc dán nội dung vào ô bên dưới.")
        self.from_file = QRadioButton("Từ tệp:")
        self.from_file.setChecked(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText("Chọn tệp kế hoạch hoặc phụ lục…")
        browse = QPushButton("Chọn tệp…")
        browse.clicked.connect(self._browse)
        self.from_text = QRadioButton("Dán văn bản:")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Dán nội dung kế hoạch, công văn hoặc bảng phụ lục (sao chép từ Word, PDF…)")
        self.text.textChanged.connect(lambda: self.from_text.setChecked(True))
        self.path.textChanged.connect(lambda: self.from_file.setChecked(True))
        self.only_mine = QCheckBox("Chỉ lấy nhiệm vụ giao cho đơn vị:")
        self.unit = QLineEdit(wizard.department)
        self.role = QComboBox()
        for key, label in ROLE_CHOICES:
            self.role.addItem(label, key)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        grid = QGridLayout(self)
        grid.addWidget(self.from_file, 0, 0)
        grid.addWidget(self.path, 0, 1)
        grid.addWidget(browse, 0, 2)
        grid.addWidget(self.from_text, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.text, 1, 1, 1, 2)
        mine = QHBoxLayout()
        mine.addWidget(self.only_mine)
        mine.addWidget(self.unit, 1)
        mine.addWidget(self.role)
        grid.addLayout(mine, 2, 0, 1, 3)
        grid.addWidget(self.error, 3, 0, 1, 3)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp", "", "Kế hoạch, phụ lục (*.pdf *.docx *.xlsx *.txt *.csv *.doc *.xls);;"
                                              "Mọi tệp (*)")
        if path:
            self.path.setText(path)

    def source(self) -> str:
        return self.path.text().strip() if self.from_file.isChecked() else self.text.toPlainText()

    def validatePage(self) -> bool:  # noqa: N802
        source = self.source()
        if not source.strip():
            self.error.setText("Hãy chọn một tệp hoặc dán nội dung cần đọc.")
            return False
        unit = self.unit.text().strip() if self.only_mine.isChecked() else None
        role = self.role.currentData() if unit else "any"
        return self.owner.read(source, unit, role, None, self.error)


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.owner = wizard
        self.setTitle("Xem trước và chọn nhiệm vụ cần nhập")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.view = QTableView()
        self.view.setModel(wizard.preview_model)
        self.view.setItemDelegate(PaddedDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 44), (1, 40), (3, 130), (4, 130), (5, 110), (6, 80), (7, 110)):
            self.view.setColumnWidth(column, width)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.sectionResized.connect(lambda *_: QTimer.singleShot(0, self.view.resizeRowsToContents))
        all_on = QPushButton("Chọn tất cả")
        all_on.clicked.connect(lambda: wizard.preview_model.set_all(True))
        all_off = QPushButton("Bỏ chọn tất cả")
        all_off.clicked.connect(lambda: wizard.preview_model.set_all(False))
        self.mapping_box = QGridLayout()
        self.mapping_combos: dict[str, QComboBox] = {}
        self.mapping_label = QLabel("Ghép cột:")
        self.mapping_box.addWidget(self.mapping_label, 0, 0)
        for position, name in enumerate(FIELDS):
            combo = QComboBox()
            combo.setToolTip(f"Cột của bảng chứa \"{FIELD_LABELS[name]}\"")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
            self.mapping_combos[name] = combo
            row, column = divmod(position, 3)
            self.mapping_box.addWidget(QLabel(FIELD_LABELS[name] + ":"), row, 1 + column * 2)
            self.mapping_box.addWidget(combo, row, 2 + column * 2)
        self.reread = QPushButton("Đọc lại")
        self.reread.clicked.connect(self._reread)
        self.mapping_box.addWidget(self.reread, 1, 0)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("color: #c62828; font-weight: bold;")
        self.unrecognised_label = QLabel()
        self.unrecognised_label.setWordWrap(True)
        self.unrecognised = QPlainTextEdit()
        self.unrecognised.setReadOnly(True)
        self.unrecognised.setMaximumHeight(90)
        self.unrecognised.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        buttons = QHBoxLayout()
        buttons.addWidget(all_on)
        buttons.addWidget(all_off)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.summary)
        layout.addLayout(self.mapping_box)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.unrecognised_label)
        layout.addWidget(self.unrecognised)
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # noqa: N802
        self.show_preview(self.owner.preview)

    def show_preview(self, preview: ImportPreview) -> None:
        self.owner.preview_model.set_rows(preview.rows)
        self.view.setColumnHidden(6, not preview.unit_name)  # "Vai trò" only when filtering by unit
        self.verdict.setText(preview.not_a_plan)
        self.verdict.setVisible(bool(preview.not_a_plan))
        uncertain = sum(1 for r in preview.rows if not r.task.certain)
        count = len(preview.unrecognised)
        self.unrecognised_label.setText(f"Không nhận ra {count} đoạn (không phải nhiệm vụ, hoặc cần nhập tay):")
        self.unrecognised.setPlainText("\n".join(f"{where}: {text}" for where, text in preview.unrecognised))
        self.unrecognised_label.setVisible(bool(count))
        self.unrecognised.setVisible(bool(count))
        QTimer.singleShot(0, self.view.resizeRowsToContents)  # once the columns have their real widths
        text = f"Đọc được {preview.total} nhiệm vụ từ {preview.source} ({preview.layout_label})."
        if preview.hidden:
            text += f" {preview.hidden} nhiệm vụ của đơn vị khác không hiện."
        if uncertain:
            text += f" {uncertain} nhiệm vụ tô vàng cần kiểm tra, chưa được chọn."
        notes = "".join(f"\n• {w}" for w in preview.warnings if w != preview.not_a_plan)
        self.summary.setText(text + notes)
        mapping = preview.mapping
        visible = mapping is not None and any(mapping.headers)
        for index in range(self.mapping_box.count()):
            widget = self.mapping_box.itemAt(index).widget()
            if widget is not None:
                widget.setVisible(visible)
        if visible:
            for name, combo in self.mapping_combos.items():
                combo.clear()
                combo.addItem("(không có)", NO_COLUMN)
                for column, header in enumerate(mapping.headers):
                    combo.addItem(f"{column + 1}. {header}"[:40], column)
                combo.setCurrentIndex(max(combo.findData(mapping.columns.get(name, NO_COLUMN)), 0))

    def _reread(self) -> None:
        preview = self.owner.preview
        columns = {name: combo.currentData() for name, combo in self.mapping_combos.items()
                   if combo.currentData() != NO_COLUMN}
        if self.owner.read(self.owner.source, preview.unit_name or None, preview.role_filter,
                           preview.mapping.with_columns(columns), self.error):
            self.show_preview(self.owner.preview)

    def validatePage(self) -> bool:  # noqa: N802
        if not self.owner.preview.selected_rows():
            self.error.setText("Chưa chọn nhiệm vụ nào để nhập.")
            return False
        return True


class ConfirmPage(QWizardPage):
    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self.owner = wizard
        self.setTitle("Nhập vào phụ lục")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.units_label = QLabel("Các đơn vị chưa có trong danh mục (đánh dấu để thêm vào danh mục đơn vị):")
        self.units_label.setWordWrap(True)
        self.units = QListWidget()
        self.alias_label = QLabel("Tên đang chọn là cách viết khác (viết tắt) của:")
        self.alias_label.setWordWrap(True)
        self.alias_target = QComboBox()
        self.alias_target.setEditable(True)
        self.alias_target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.alias_target.setMinimumContentsLength(24)
        self.alias_button = QPushButton("Ghi nhớ tên này")
        self.alias_button.setToolTip("Lần sau KHBC tự hiểu tên viết tắt này là đơn vị đã chọn")
        self.alias_button.clicked.connect(self._remember_alias)
        self.alias_error = QLabel()
        self.alias_error.setWordWrap(True)
        self.alias_error.setStyleSheet("color: #c62828;")
        alias = QHBoxLayout()
        alias.addWidget(self.alias_label)
        alias.addWidget(self.alias_target, 1)
        alias.addWidget(self.alias_button)
        self.with_groups = QCheckBox("Tạo nhóm nhiệm vụ theo các mục của văn bản")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.units_label)
        layout.addWidget(self.units, 1)
        layout.addLayout(alias)
        layout.addWidget(self.alias_error)
        layout.addWidget(self.with_groups)
        self.alias_widgets = (self.alias_label, self.alias_target, self.alias_button)

    def initializePage(self) -> None:  # noqa: N802
        rows = self.owner.preview.selected_rows()
        check = self.owner.bus.try_read(check_import, rows)
        unknown = check.unknown_units if check else []
        duplicates = len(check.duplicates) if check else 0
        text = f"Sẽ thêm {len(rows) - duplicates} nhiệm vụ vào cuối phụ lục."
        if duplicates:
            text += f" {duplicates} nhiệm vụ đã có trong phụ lục sẽ được bỏ qua."
        self.summary.setText(text)
        self.units.clear()
        for name in unknown:
            item = QListWidgetItem(name, self.units)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.units_label.setVisible(bool(unknown))
        self.units.setVisible(bool(unknown))
        if unknown:
            self.units.setCurrentRow(0)
            if not self.alias_target.count():
                self.alias_target.addItems(self.owner.bus.try_read(known_unit_names, default=[]) or [])
            self.alias_target.setCurrentIndex(-1)
        for widget in self.alias_widgets:
            widget.setVisible(bool(unknown))
        self.with_groups.setVisible(any(r.task.group for r in rows))

    def _remember_alias(self) -> None:
        item = self.units.currentItem()
        name = self.alias_target.currentText().strip()
        if item is None or not name:
            self.alias_error.setText("Hãy chọn một tên trong danh sách trên và đơn vị mà nó chỉ.")
            return
        try:
            remember_unit_variant(item.text(), name)
        except KhbcError as exc:
            self.alias_error.setText(exc.message)
            return
        self.alias_error.clear()
        rename_unit(self.owner.preview.rows, item.text(), name)
        self.initializePage()

    def create_units(self) -> list[str]:
        return [self.units.item(r).text() for r in range(self.units.count())
                if self.units.item(r).checkState() == Qt.CheckState.Checked]

    def validatePage(self) -> bool:  # noqa: N802
        return self.owner.apply(self.create_units(), self.with_groups.isChecked())


class ImportWizard(QWizard):
    """Three steps; nothing is written before "Nhập" on the last page (one unit of work)."""

    def __init__(self, bus, parent=None):
        super().__init__(parent)
        self.bus = bus
        self.setWindowTitle("Nhập nhiệm vụ từ tệp")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Nhập")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Hủy")
        screen = QGuiApplication.primaryScreen()
        space = screen.availableGeometry() if screen is not None else None
        width, height = (min(960, space.width() - 40), min(640, space.height() - 60)) if space else (960, 640)
        self.resize(max(width, 600), max(height, 480))
        self.department = bus.try_read(department_name, default="") or ""
        self.preview: ImportPreview | None = None
        self.source = ""
        self.summary = None
        self.preview_model = PreviewModel(self)
        self.source_page = SourcePage(self)
        self.preview_page = PreviewPage(self)
        self.confirm_page = ConfirmPage(self)
        for page in (self.source_page, self.preview_page, self.confirm_page):
            self.addPage(page)

    def read(self, source: str, unit: str | None, role: str, mapping, error_label: QLabel) -> bool:
        try:
            preview = preview_import(source, unit_name=unit, role=role, mapping=mapping)
        except KhbcError as exc:
            error_label.setText(exc.message)
            return False
        if not preview.rows:
            error_label.setText(preview.not_a_plan or (preview.warnings[-1] if preview.warnings
                                                       else "Không tìm thấy nhiệm vụ nào."))
            return False
        error_label.clear()
        self.preview, self.source = preview, source
        return True

    def apply(self, create_units: list[str], with_groups: bool) -> bool:
        ok, summary = self.bus.run(ops.IMPORT_TASKS, self.preview.selected_rows(), create_units,
                                   source=self.preview.source, with_groups=with_groups)
        self.summary = summary if ok else None
        return ok
