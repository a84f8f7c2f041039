"""Text older than the results: the Báo cáo page's banner and its Soạn lại, and Gửi báo cáo asking before export."""

from __future__ import annotations

import json
import zipfile

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton

from tests.ui_support import host, quiet_bus, shoot


@pytest.fixture
def bus(sample_workspace):
    return quiet_bus(sample_workspace)


@pytest.fixture(autouse=True)
def vietnamese(qapp):
    """The program's translator, as the main program installs it: the question's buttons read Có / Không."""
    from desktop.ui.translator import install

    translator = install(qapp)
    yield
    qapp.removeTranslator(translator)


def answer_next_question(qtbot, button_text: str, seen: list[str]) -> None:
    """When the next message box appears, note its text and click the button labelled `button_text`."""
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text())
        buttons = box.findChildren(QPushButton)
        wanted = [b for b in buttons if b.text().replace("&", "") == button_text]
        if not wanted:  # noted, and the box closed anyway so the test fails instead of hanging
            seen.append(f"no button {button_text}: {[b.text() for b in buttons]}")
        qtbot.mouseClick((wanted or buttons[-1:])[0], Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click)


def record_new_result(bus) -> None:
    """A result recorded after the text was drafted, through the operation Cập nhật tiến độ runs."""
    from desktop.services import operations as ops

    assert bus.run(ops.RECORD_PROGRESS, "2026", "1", "done", result="Đã ban hành Kế hoạch triển khai.").ok


def test_report_page_shows_stale_text_and_soan_lai_redrafts_it(qtbot, bus):
    from desktop.services.documents import report_freshness
    from desktop.ui.pages.report_page import ReportPage

    page = ReportPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    with qtbot.waitSignal(bus.finished, timeout=60_000):  # all sections empty: drafted at once, on a worker
        qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    before = page.sections.values()["results"]
    assert "0/9" in before
    assert not page.stale_box.isVisibleTo(page)

    record_new_result(bus)
    qtbot.waitUntil(lambda: page.stale_box.isVisibleTo(page), timeout=5_000)
    assert "được viết trước lần cập nhật kết quả gần nhất" in page.stale_banner.text()
    assert "mục II" in page.stale_banner.text()
    assert f'"{page.redraft_button.text()}"' in page.stale_banner.text()  # the message names the button beside it
    shoot(page.host_window, "bao-cao-noi-dung-cu")

    seen: list[str] = []
    answer_next_question(qtbot, "Không", seen)  # the clerk changes her mind: nothing is replaced
    qtbot.mouseClick(page.redraft_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and "II. Kết quả thực hiện nhiệm vụ" in seen[0]
    assert page.sections.values()["results"] == before
    assert page.stale_box.isVisibleTo(page)

    answer_next_question(qtbot, "Có", seen)
    with qtbot.waitSignal(bus.finished, timeout=60_000):
        qtbot.mouseClick(page.redraft_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 2
    after = page.sections.values()["results"]
    assert after != before and "1/9" in after
    assert not page.stale_box.isVisibleTo(page)
    with bus.workspace.unit_of_work() as session:
        assert not report_freshness(session, "2026").stale
    assert bus.failures == []


def test_send_page_asks_before_exporting_stale_text(qtbot, bus, tmp_path, monkeypatch):
    from desktop.services import clock
    from desktop.services.bundles import list_exports
    from desktop.services.documents import draft_report
    from desktop.ui.pages.send_page import SendPage

    with bus.workspace.unit_of_work() as session:
        draft_report(session, "2026", clock.today())
    record_new_result(bus)
    out = tmp_path / "goi"
    out.mkdir()
    asked_for_folder: list[bool] = []

    def choose_folder(*_args, **_kwargs):
        asked_for_folder.append(True)
        return str(out)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", choose_folder)
    page = SendPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))

    seen: list[str] = []
    answer_next_question(qtbot, "Không", seen)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and "được viết trước lần cập nhật kết quả gần nhất" in seen[0]
    assert page.worker is None and not asked_for_folder
    assert list_exports(bus.workspace) == []
    assert list(out.iterdir()) == []

    answer_next_question(qtbot, "Có", seen)
    with qtbot.waitSignal(page.export_finished, timeout=60_000) as done:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.worker is None, timeout=10_000)
    assert len(seen) == 2
    result = done.args[0]
    assert result is not None, bus.failures
    assert [(e.period_code, e.version) for e in list_exports(bus.workspace)] == [("2026", 1)]
    with zipfile.ZipFile(result.path) as package:
        checks = json.loads(package.read("data.json"))["checks"]
    assert checks["text_older_than_data"] is True and checks["stale_confirmed"] is True
    assert bus.failures == []
