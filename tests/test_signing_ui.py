"""Ký số in the window: Cài đặt › Ký số saves the key and images, the dialog signs, refuses, and attaches back."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.signing_helpers import PIN, SIGNER, TOKEN, signature_pngs, token_store
from tests.ui_support import host, quiet_bus


@pytest.fixture
def settings_page(qtbot, sample_workspace):
    from desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    page.refresh()
    return page


def test_settings_save_the_token_images_and_anchors(settings_page, tmp_path_factory, tmp_path):
    from desktop.services.signing import read_settings
    from desktop.signing import trust

    store = token_store(tmp_path_factory)
    panel = settings_page.signing
    sig, seal = signature_pngs(tmp_path / "anh")
    panel.library.setEditText(store.token.library)
    panel.token_label.setText(TOKEN)
    panel.signer_image.setText(str(sig))
    panel.seal_image.setText(str(seal))
    panel.seal_mm.setValue(38)
    assert panel.save()
    saved = read_settings(settings_page.bus.workspace)
    assert (saved.pkcs11_library, saved.token_label, saved.seal_mm) == (store.token.library, TOKEN, 38.0)
    panel.signer_image.setText(str(tmp_path / "khong-co.png"))
    assert not panel.save() and "Không tìm thấy tệp ảnh chữ ký" in settings_page.bus.failures[-1]
    assert read_settings(settings_page.bus.workspace).signer_image == str(sig)  # nothing half-saved
    assert panel.add_anchor(str(store.folder / "ca.pem"))
    assert [a.holder for a in trust.list_anchors()] == ["CA thử nghiệm KHBC"]
    assert panel.anchors_model.rowCount() == 1
    settings_page.grab().save(str(tmp_path / "cai-dat.png"))


def test_the_dialog_signs_with_the_pin_and_explains_a_wrong_one(qtbot, sample_workspace, tmp_path_factory, tmp_path):
    from desktop.ui.signing_dialog import SigningDialog
    from tests.signing_helpers import configure

    store = token_store(tmp_path_factory)
    configure(sample_workspace, store, tmp_path)
    dialog = SigningDialog(quiet_bus(sample_workspace), "2026")
    qtbot.addWidget(dialog)
    dialog.pin.setText("000000")
    with qtbot.waitSignal(dialog.signing_finished, timeout=60_000) as done:
        assert dialog.sign()
    assert done.args == [False]
    assert "Mã PIN" in dialog.status.text() and dialog.pin.text() == ""
    assert not (Path(sample_workspace.database.path).parent / "ky-so" / "2026.pdf").exists()
    dialog.pin.setText(PIN)
    with qtbot.waitSignal(dialog.signing_finished, timeout=60_000) as done:
        assert dialog.sign()
    assert done.args == [True]
    assert SIGNER in dialog.status.text()
    assert (Path(sample_workspace.database.path).parent / "ky-so" / "2026.pdf").exists()


def test_the_dialog_refuses_a_different_document(qtbot, sample_workspace, tmp_path):
    from desktop.ui.signing_dialog import SigningDialog

    dialog = SigningDialog(quiet_bus(sample_workspace), "2026")
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.exported, timeout=60_000) as done:  # written on a worker
        assert dialog.export_for_signing(str(tmp_path / "de-ky.pdf"))
    exported = done.args[0]
    assert exported is not None and exported.read_bytes().startswith(b"%PDF")
    other = tmp_path / "khac.pdf"
    other.write_bytes(exported.read_bytes().replace(b"ReportLab", b"ReportLaX", 1))
    with qtbot.waitSignal(dialog.attached, timeout=60_000) as done:
        assert dialog.attach(str(other))
    assert done.args == [False]
    assert "không phải bản KHBC đã xuất để ký" in dialog.status.text()
