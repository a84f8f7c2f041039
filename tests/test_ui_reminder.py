"""Tổng hợp: the "In công văn đôn đốc" button writes the letter to the units that have not reported."""

from __future__ import annotations

import subprocess

import pytest

from tests.test_ui_send_collect import bus, package  # noqa: F401 - fixtures: the sample's 2026 package
from tests.ui_support import host, quiet_bus, shoot


@pytest.fixture
def office(tmp_path):
    """A receiving office with its own letterhead (the sample department)."""
    from desktop.services.setup import initialise
    from desktop.services.workspace import Workspace

    path = tmp_path / "van-phong" / "khbc.sqlite3"
    initialise(str(path), sample=True)
    workspace = Workspace.open(path)
    yield workspace
    workspace.close()


def test_reminder_button_writes_the_letter_to_the_late_units_only(qtbot, package, office, tmp_path,  # noqa: F811
                                                                   monkeypatch):
    from desktop.services import reminders
    from desktop.services.collect import remove_expected_unit, set_expected_unit
    from desktop.ui.pages.collect_page import CollectPage
    from tests.test_ui_operations import _off_the_window_thread, _threads_of

    set_expected_unit(office, "DLK-SXD", "Sở Xây dựng")
    set_expected_unit(office, "DLK-SYT", "Sở Y tế")
    page_bus = quiet_bus(office)
    page = CollectPage(page_bus)
    window = host(qtbot, page)
    with qtbot.waitSignal(page.imported, timeout=60_000):  # packages are read on a worker
        page.import_files([package])
    assert page.period_code() == "2026"
    assert page.reminder_button.isEnabled()
    threads = _threads_of(monkeypatch, reminders, "write_reminder")
    with qtbot.waitSignal(page.reminder_written, timeout=60_000) as done:  # written on a worker
        page.write_reminder_letter(tmp_path / "don-doc.pdf", "pdf")
    written = done.args[0]
    assert written is not None and written.exists(), page_bus.failures
    assert _off_the_window_thread(threads)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(written), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Kính gửi: Sở Y tế" in text and "V/v đôn đốc gửi báo cáo" in text and "năm 2026" in text
    assert "Sở Y tế: Báo cáo kết quả thực hiện Kế hoạch năm 2026" in text
    assert "Kính gửi: Sở Xây dựng" not in text and "- Sở Xây dựng:" not in text
    assert "Đã ghi công văn đôn đốc 1 đơn vị" in page.result_bar.label.text()
    shoot(window, "tong-hop-don-doc")
    remove_expected_unit(office, "DLK-SYT")
    page.show_period()
    assert not page.reminder_button.isEnabled()  # everyone reported: nothing to remind
    assert page_bus.failures == []
