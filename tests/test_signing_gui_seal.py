"""Ký số in the window, off the UI thread: Gửi báo cáo seals the package with the token; the "Ký số" dialog signs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from tests.bundle_helpers import read_entries
from tests.signing_helpers import PIN, SIGNER, configure, token_store
from tests.ui_support import host, quiet_bus


@pytest.fixture
def signing_page(qtbot, sample_workspace, tmp_path_factory, tmp_path, monkeypatch):
    """Gửi báo cáo on the sample with the SoftHSM2 token set up in Cài đặt › Ký số; the folder dialog answers `goi`."""
    from desktop.ui.pages.send_page import SendPage

    store = token_store(tmp_path_factory)
    configure(sample_workspace, store, tmp_path)
    (tmp_path / "goi").mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path / "goi"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page = SendPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    page.refresh()
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    return store, page


class TickCounter:
    """A 10 ms timer on the UI thread: it only ticks while the window's event loop runs."""

    def __init__(self):
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self):
        self.ticks += 1


def export_with_pin(qtbot, page, pin: str):
    """Click "Xuất gói báo cáo…", type the PIN in the masked field, press "Xuất gói"; return (result, ticks seen)."""
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "seal_dialog", None) is not None and page.seal_dialog.isVisible())
    dialog = page.seal_dialog
    assert dialog.seal.isChecked() and dialog.seal.text() == "Ký số và niêm phong gói"
    assert dialog.pin.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.ok_button.isEnabled()  # no sealing without a PIN
    qtbot.keyClicks(dialog.pin, pin)
    assert dialog.ok_button.isEnabled()
    counter = TickCounter()
    ticks_at_end = []
    page.export_finished.connect(lambda _result: ticks_at_end.append(counter.ticks))
    with qtbot.waitSignal(page.export_finished, timeout=90_000) as done:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        worker = page.worker
        assert worker is not None and worker.isRunning() and dialog.pin.text() == ""
        assert not page.export_button.isEnabled() and not page.sign_button.isEnabled() and page.progress.isVisible()
        assert "ký số" in page.progress_label.text()
        page.start_export(Path("/nonexistent"), sign_secret=PIN)  # a second start while busy does nothing
        assert page.worker is worker
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    assert page.sign_button.isEnabled()
    counter.timer.stop()
    qtbot.waitUntil(lambda: worker.call is None, timeout=10_000)  # the call, the PIN among its arguments, is dropped
    return done.args[0], ticks_at_end[0]


def test_gui_export_seals_the_package_with_the_token(qtbot, signing_page, khbc_cli, tmp_path):
    from desktop.services.bundles import list_exports
    from desktop.signing import trust

    store, page = signing_page
    result, ticks = export_with_pin(qtbot, page, PIN)
    assert result is not None, page.bus.failures
    assert ticks >= 5, f"the window froze while signing ({ticks} ticks of 10 ms)"
    assert "manifest.json.p7s" in read_entries(result.path.read_bytes())
    assert [e.version for e in list_exports(page.bus.workspace)] == [1]
    assert page.state.sent and not page.export_button.isEnabled()
    trust.add_anchors(store.folder / "ca.pem", tmp_path / "tin-cay")
    code, out, err = khbc_cli("verify", str(result.path), "--trust", str(tmp_path / "tin-cay"))
    assert code == 0, err
    assert f"Chữ ký số: Đã ký số – {SIGNER}." in out


def test_a_wrong_pin_exports_nothing_and_says_so(qtbot, signing_page, tmp_path):
    from desktop.services.bundles import list_exports

    _, page = signing_page
    result, _ = export_with_pin(qtbot, page, "000000")
    assert result is None
    assert "Mã PIN của thiết bị ký số (USB token) không đúng" in page.bus.failures[-1]
    assert list_exports(page.bus.workspace) == []  # nothing recorded, the period stays open
    assert list((tmp_path / "goi").iterdir()) == []
    assert not page.state.sent and page.export_button.isEnabled()


def test_the_sign_dialog_signs_off_the_ui_thread(qtbot, sample_workspace, tmp_path_factory, tmp_path):
    from desktop.ui.signing_dialog import SigningDialog

    store = token_store(tmp_path_factory)
    configure(sample_workspace, store, tmp_path)
    dialog = SigningDialog(quiet_bus(sample_workspace), "2026")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.pin, PIN)
    counter = TickCounter()
    ticks_at_end = []
    dialog.signing_finished.connect(lambda _ok: ticks_at_end.append(counter.ticks))
    with qtbot.waitSignal(dialog.signing_finished, timeout=60_000) as done:
        qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
        assert dialog.worker is not None and dialog.busy.isVisible() and dialog.pin.text() == ""
        assert not dialog.sign_button.isEnabled() and not dialog.sign()  # no double start
        dialog.reject()  # closing mid-signing is refused: the thread must finish
        assert dialog.isVisible()
    counter.timer.stop()
    assert done.args == [True], dialog.status.text()
    assert ticks_at_end[0] >= 5, f"the window froze while signing ({ticks_at_end[0]} ticks of 10 ms)"
    assert SIGNER in dialog.status.text() and dialog.sign_button.isEnabled()
    assert (Path(sample_workspace.database.path).parent / "ky-so" / "2026.pdf").exists()


def test_without_sealing_or_without_a_key_the_package_is_not_signed(qtbot, signing_page, sample_workspace, tmp_path):
    from desktop.services.bundles import reopen_period
    from desktop.services.signing import SigningSettings, save_settings

    _, page = signing_page
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "seal_dialog", None) is not None and page.seal_dialog.isVisible())
    dialog = page.seal_dialog
    page.seal_dialog.grab().save(str(tmp_path / "niem-phong.png"))
    qtbot.mouseClick(dialog.seal, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.seal.height() // 2))  # untick "Ký số và niêm phong gói"
    assert not dialog.pin.isEnabled() and dialog.ok_button.isEnabled()
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as done:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    assert done.args[0] is not None and "manifest.json.p7s" not in read_entries(done.args[0].path.read_bytes())

    reopen_period(sample_workspace, "2026", "bổ sung số liệu")
    save_settings(sample_workspace, SigningSettings())  # no key set up: the export asks nothing
    page.refresh()
    page.seal_dialog = None
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as done:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    assert page.seal_dialog is None
    assert done.args[0].version == 2 and "manifest.json.p7s" not in read_entries(done.args[0].path.read_bytes())
