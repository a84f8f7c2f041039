"""The "Ký số" box of Cài đặt: where the key is, the signature and seal images, the trust anchors of this office."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QFileDialog, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout,
)

from desktop.errors import KhbcError
from desktop.services import operations as ops
from desktop.services.signing import SigningSettings, read_settings
from desktop.signing import trust
from desktop.signing.token_paths import found_libraries
from desktop.ui.bus import DataBus
from desktop.ui.widgets import RowsModel, form_layout, hint, make_table


def _file_row(edit: QLineEdit, choose) -> QHBoxLayout:
    button = QPushButton("Chọn…")
    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row


class SigningPanel(QGroupBox):
    """Settings are saved with their own button (images and paths are checked first); anchors apply at once."""

    def __init__(self, bus: DataBus):
        super().__init__("Ký số")
        self.bus = bus
        form_box = QGroupBox()
        form_box.setFlat(True)
        form = form_layout(form_box)
        self.kind = QComboBox()
        self.kind.addItem("Thiết bị ký số (USB token, PKCS#11)", "pkcs11")
        self.kind.addItem("Tệp khóa (.p12, .pfx)", "pkcs12")
        self.library = QComboBox()
        self.library.setEditable(True)
        for label, path in found_libraries():
            self.library.addItem(f"{path}", str(path))
            self.library.setItemData(self.library.count() - 1, label)
        self.token_label = QLineEdit()
        self.token_label.setPlaceholderText("(token đầu tiên đang cắm)")
        self.pkcs12 = QLineEdit()
        self.signer_image = QLineEdit()
        self.seal_image = QLineEdit()
        self.seal_mm = QDoubleSpinBox()
        self.seal_mm.setRange(20, 60)
        self.seal_mm.setSuffix(" mm")
        self.tsa = QLineEdit()
        self.tsa.setPlaceholderText("(không bắt buộc) máy chủ cấp dấu thời gian")
        form.addRow("Khóa ký:", self.kind)
        form.addRow("Thư viện token:", self.library)
        form.addRow("Nhãn token:", self.token_label)
        form.addRow("Tệp khóa:", _file_row(self.pkcs12, lambda: self._choose(self.pkcs12, "Tệp khóa (*.p12 *.pfx)")))
        form.addRow("Ảnh chữ ký:", _file_row(self.signer_image, lambda: self._choose(self.signer_image, "PNG (*.png)")))
        form.addRow("Ảnh con dấu:", _file_row(self.seal_image, lambda: self._choose(self.seal_image, "PNG (*.png)")))
        form.addRow("Đường kính dấu:", self.seal_mm)
        form.addRow("Dấu thời gian:", self.tsa)
        form.addRow(hint("Ảnh chữ ký màu xanh, ảnh con dấu màu đỏ, cả hai là PNG nền trong suốt (Nghị định "
                         "30/2020, Phụ lục I). Mã PIN không được lưu: chương trình hỏi mỗi lần ký."))
        self.save_button = QPushButton("Lưu cấu hình ký số")
        self.save_button.clicked.connect(self.save)

        self.anchors_model = RowsModel(["Chứng thư tin cậy", "Loại", "Hết hạn", "Vân tay"])
        self.anchors_view = make_table(self.anchors_model, stretch=0, sortable=False)
        self.anchors_view.setMinimumHeight(90)
        add = QPushButton("Cài chứng thư CA…")
        add_crl = QPushButton("Cài danh sách thu hồi (CRL)…")
        add.clicked.connect(self.add_anchor)
        add_crl.clicked.connect(self.add_crl)
        anchor_buttons = QHBoxLayout()
        anchor_buttons.addWidget(add)
        anchor_buttons.addWidget(add_crl)
        anchor_buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(form_box)
        layout.addWidget(self.save_button)
        layout.addWidget(hint("Phía nhận báo cáo: chữ ký số được kiểm tra với các chứng thư dưới đây (chứng thư gốc và "
                              "trung gian của tổ chức chứng thực), không cần mạng."))
        layout.addWidget(self.anchors_view)
        layout.addLayout(anchor_buttons)
        self.anchor_status = hint("")
        layout.addWidget(self.anchor_status)

    def refresh(self, settings: SigningSettings | None = None) -> None:
        """Show the stored settings (`settings`: already read with the rest of the page)."""
        if settings is None:
            try:
                settings = read_settings(self.bus.workspace)
            except KhbcError as exc:
                self.bus.report_error(exc.message)
                return
        self.kind.setCurrentIndex(max(self.kind.findData(settings.key_kind), 0))
        self.library.setEditText(settings.pkcs11_library)
        self.token_label.setText(settings.token_label)
        self.pkcs12.setText(settings.pkcs12_file)
        self.signer_image.setText(settings.signer_image)
        self.seal_image.setText(settings.seal_image)
        self.seal_mm.setValue(float(settings.seal_mm))
        self.tsa.setText(settings.tsa_url)
        self._show_anchors()

    def _show_anchors(self) -> None:
        anchors = trust.list_anchors()
        self.anchors_model.set_rows([(a.holder, "Gốc" if a.self_signed else "Trung gian", f"{a.not_after:%d/%m/%Y}",
                                      a.fingerprint[:16]) for a in anchors], keys=[a.fingerprint for a in anchors])

    def settings(self) -> SigningSettings:
        return SigningSettings(self.kind.currentData(), self.library.currentText().strip(), self.token_label.text().strip(),
                               "", self.pkcs12.text().strip(), self.signer_image.text().strip(),
                               self.seal_image.text().strip(), self.seal_mm.value(), self.tsa.text().strip())

    def save(self) -> bool:
        ok, _ = self.bus.run(ops.SAVE_SIGNING_SETTINGS, self.settings())
        return ok

    def _choose(self, edit: QLineEdit, pattern: str) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp", str(Path(edit.text()).parent if edit.text() else ""),
                                              pattern)
        if path:
            edit.setText(path)

    def add_anchor(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "Chứng thư CA", "", "Chứng thư (*.cer *.crt *.pem *.der)")
        if not path:
            return False
        try:
            added = trust.add_anchors(Path(path))
        except KhbcError as exc:
            self.bus.report_error(exc.message)
            return False
        self._show_anchors()
        self.anchor_status.setText("Đã cài: " + ", ".join(a.holder for a in added))
        return True

    def add_crl(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Danh sách thu hồi", "", "CRL (*.crl *.pem)")
        if path:
            try:
                self.anchor_status.setText(f"Đã cài danh sách thu hồi của {trust.add_crl(Path(path))}.")
            except KhbcError as exc:
                self.bus.report_error(exc.message)
