"""Cài đặt at 1024×768 (issue 12): sections as tabs, backups one click away, the unit name the widest column."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QMainWindow  # noqa: E402

from desktop.ui.bus import DataBus  # noqa: E402

SECTIONS = ["Cơ quan", "Người ký & nơi nhận", "Đơn vị", "Người dùng & phông chữ", "Sao lưu", "Ký số"]


@pytest.fixture
def page(qtbot, sample_workspace):
    from desktop.ui.pages.settings_page import SettingsPage

    bus = DataBus(sample_workspace)
    bus.quiet = True
    page = SettingsPage(bus)
    window = QMainWindow()
    window.setCentralWidget(page)
    window.resize(1024 - 210, 768 - 72 - 90)  # the room the main window leaves a page on 1024×768
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield page
    window.close()


def _click_tab(qtbot, page, title: str) -> None:
    bar = page.tabs.tabBar()
    index = [bar.tabText(i).replace("&&", "&") for i in range(bar.count())].index(title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert page.tabs.currentIndex() == index


def test_sections_are_tabs_whose_names_show_whole(page):
    bar = page.tabs.tabBar()
    assert [bar.tabText(i).replace("&&", "&") for i in range(bar.count())] == SECTIONS
    assert bar.tabRect(bar.count() - 1).right() <= bar.width()  # every tab name on screen, no scroll arrows


def test_backups_are_one_click_away(qtbot, page):
    assert not page.backups.backup_button.isVisible()
    _click_tab(qtbot, page, "Sao lưu")
    button = page.backups.backup_button
    assert button.isVisible()
    top_left = button.mapTo(page, button.rect().topLeft())
    assert top_left.y() + button.height() <= page.height()  # not below the fold


def test_unit_name_is_the_widest_column_and_headers_are_whole(qtbot, page):
    _click_tab(qtbot, page, "Đơn vị")
    view = page.units_view
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: header.sectionSize(0) > 200)
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert widths[0] == max(widths)
    metrics = header.fontMetrics()
    for column in range(1, header.count()):
        text = page.units_model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        assert metrics.horizontalAdvance(text) < widths[column], text
    assert view.horizontalScrollBar().maximum() == 0


def test_the_layout_check_sees_a_cut_column_title(qapp):
    """`khbc-gui --screenshot` reports a column title Qt would elide ("Thuộc cơ q…"), and not a whole one."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QTableView

    from desktop.ui.screenshots import layout_problems

    model = QStandardItemModel(1, 2)
    model.setHorizontalHeaderLabels(["Tên đơn vị", "Thuộc cơ quan"])
    view = QTableView()
    view.setModel(model)
    view.resize(500, 200)
    view.setColumnWidth(0, 200)
    view.setColumnWidth(1, 40)
    view.show()
    problems = layout_problems(view, "thử")
    assert any("“Thuộc cơ quan” bị cắt" in p for p in problems)
    assert not any("Tên đơn vị" in p for p in problems)
    view.close()
