"""Issue 12, trap 1's end: a plan without tasks points the clerk to adding or importing them on Tổng quan."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QSettings, Qt  # noqa: E402

from desktop.ui.bus import DataBus  # noqa: E402
from tests.test_ui_traps import type_text  # noqa: E402


@pytest.fixture
def fresh_workspace(qtbot, db_path):
    """A department and its own plan made by the first-run wizard, with no task yet."""
    from desktop.services.workspace import Workspace
    from desktop.ui.first_run import FirstRunWizard

    workspace = Workspace.open(db_path)
    wizard = FirstRunWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.choice.own.setChecked(True)
    for key, value in {"parent_agency": "UBND huyện Krông Pắc", "name": "Phòng Văn hóa và Thông tin",
                       "name_in_text": "Phòng Văn hóa và Thông tin", "abbreviation": "VHTT",
                       "place_name": "Krông Pắc"}.items():
        wizard.profile.fields[key].setText(value)
    wizard.units.units.setPlainText("Bộ phận Văn hóa\n")
    wizard.plan.title_edit.setText("Triển khai Chương trình chuyển đổi số")
    wizard.apply()
    yield workspace
    workspace.close()


@pytest.fixture
def window(qtbot, fresh_workspace, tmp_path):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    bus = DataBus(fresh_workspace)
    bus.quiet = True
    window.attach(bus)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("tong-quan")
    yield window
    window.close()


def test_an_empty_plan_says_so_instead_of_zeros(qtbot, window):
    overview = window.current_page()
    assert overview.slug == "tong-quan"
    qtbot.waitUntil(lambda: overview.no_tasks_box.isVisible())
    assert overview.appendix_is_empty()
    assert not overview.state_box.isVisible() and not overview.tasks_box.isVisible()
    assert overview.add_tasks_button.text() == "Thêm nhiệm vụ"
    assert overview.import_tasks_button.text() == "Nhập từ tệp…"


def test_add_task_button_opens_the_task_dialog_on_the_appendix(qtbot, window):
    from desktop.services import clock
    from desktop.services.queries import list_tasks

    overview = window.current_page()
    qtbot.waitUntil(lambda: overview.add_tasks_button.isVisible())
    qtbot.mouseClick(overview.add_tasks_button, Qt.MouseButton.LeftButton)
    appendix = window.current_page()
    assert appendix.slug == "phu-luc"
    qtbot.waitUntil(lambda: getattr(appendix, "task_dialog", None) is not None and appendix.task_dialog.isVisible())
    dialog = appendix.task_dialog
    qtbot.mouseClick(dialog.content.viewport(), Qt.MouseButton.LeftButton)
    type_text(dialog.content, "Tuyên truyền chuyển đổi số")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    bus = window.bus
    qtbot.waitUntil(lambda: len(bus.read(list_tasks, None, clock.today())) == 1)
    window.show_page("tong-quan")
    qtbot.waitUntil(lambda: not overview.no_tasks_box.isVisible() and overview.state_box.isVisible())


def test_import_button_opens_the_import_wizard(qtbot, window):
    overview = window.current_page()
    qtbot.waitUntil(lambda: overview.import_tasks_button.isVisible())
    qtbot.mouseClick(overview.import_tasks_button, Qt.MouseButton.LeftButton)
    appendix = window.current_page()
    assert appendix.slug == "phu-luc"
    qtbot.waitUntil(lambda: getattr(appendix, "import_wizard", None) is not None
                    and appendix.import_wizard.isVisible())
    appendix.import_wizard.reject()
