"""The main window shell with pytest-qt: navigation, shortcuts, layout memory, screenshots, first-run wizard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage

from db.models import Department, Plan, Unit
from desktop.ui.bus import DataBus
from desktop.ui.main_window import PAGE_CLASSES, MainWindow
from tests.ui_support import windows_made


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, sample_workspace, settings):
    bus = DataBus(sample_workspace)
    bus.quiet = True
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.attach(bus)
    win.show()
    return win


def test_navigation_lists_the_eight_pages_in_vietnamese(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["Tổng quan", "Kế hoạch", "Phụ lục nhiệm vụ", "Cập nhật kết quả", "Báo cáo", "Gửi báo cáo",
                      "Tổng hợp", "Cài đặt"]
    assert [page.nav_label for page in window.pages] == labels
    assert len({page.slug for page in window.pages}) == 8


def test_ctrl_number_switches_pages_and_the_menus_are_vietnamese(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.pages[2]
    qtbot.keyClick(window, Qt.Key.Key_8, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().slug == window.pages[7].slug
    menus = [action.text().replace("&", "") for action in window.menuBar().actions()]
    assert menus == ["Tệp", "Sửa", "Xem", "Trợ giúp"]
    assert window.undo_group.activeStack() is window.pages[7].undo_stack


def test_status_bar_shows_the_database_and_save_state(window, sample_workspace):
    assert sample_workspace.location in window.database_label.text()
    window.bus.saved.emit("Đã lưu lúc 09:41:00")
    assert window.save_state.text() == "Đã lưu lúc 09:41:00"


def test_window_size_and_page_are_remembered(qtbot, sample_workspace, settings):
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.attach(DataBus(sample_workspace))
    first.show()
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.resize(784, 707)  # fits the 800×800 offscreen screen with its title bar (784 is the minimum there)
    first.move(0, 0)
    first.nav.setCurrentRow(4)
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.attach(DataBus(sample_workspace))
    assert second.nav.currentRow() == 4
    assert (second.width(), second.height()) == (784, 707) and not settings.value("window/geometry").isEmpty()


def test_a_remembered_size_that_no_longer_fits_the_screen_is_not_restored(qtbot, sample_workspace, settings):
    """Saved on a big monitor, opened on a 800 px screen (the offscreen one): sized to the screen instead,
    so the title bar's buttons and the status bar stay on screen."""
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.attach(DataBus(sample_workspace))
    first.show()
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.setMinimumSize(0, 0)
    first.resize(1600, 1000)
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    area = second.screen().availableGeometry()
    assert second.isMaximized() or area.contains(second.frameGeometry())
    assert second.width() <= area.width() and second.height() <= area.height()


def test_undo_and_redo_buttons_keep_a_short_label(qtbot, window):
    """The toolbar's undo button says "Hoàn tác" whatever it would undo; the long text is in its tooltip."""
    from PySide6.QtWidgets import QToolBar, QToolButton

    toolbar = window.findChild(QToolBar)
    undo_button = next(b for b in toolbar.findChildren(QToolButton) if b.defaultAction() is window.undo_button_action)
    width_before = undo_button.sizeHint().width()
    page = window.show_page("phu-luc")
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    from PySide6.QtGui import QUndoCommand

    page.undo_stack.push(QUndoCommand("Sửa thời gian thực hiện của nhiệm vụ 7"))
    assert undo_button.text() == "Hoàn tác" and undo_button.isEnabled()
    assert "Sửa thời gian thực hiện của nhiệm vụ 7" in undo_button.toolTip()
    assert undo_button.sizeHint().width() == width_before
    qtbot.mouseClick(undo_button, Qt.MouseButton.LeftButton)
    assert page.undo_stack.index() == 0 and not undo_button.isEnabled()


def test_window_shows_before_the_data_is_attached(qtbot, settings):
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    assert win.nav.count() == len(PAGE_CLASSES)
    assert win.current_page() is None
    win.save_current()  # routed commands are harmless while loading
    assert win.save_state.text() == "Đang mở dữ liệu…"


PAGE_SLUGS = ["tong-quan", "ke-hoach", "phu-luc", "cap-nhat-ket-qua", "bao-cao", "gui-bao-cao", "tong-hop", "cai-dat"]


def test_screenshot_mode_renders_every_page(tmp_path, db_path, qapp):
    from desktop.ui.launch import run_gui

    out = tmp_path / "shots"
    assert run_gui(["khbc-gui", "--screenshot", str(out), "--db", str(db_path)]) == 0
    files = sorted(out.glob("*.png"))
    names = [f.name for f in files]
    assert names[:8] == [f"{i + 1:02d}-{slug}.png" for i, slug in enumerate(PAGE_SLUGS)]
    # then the first-run wizard's five pages, the import wizard's pages and the task dialog
    assert [n[3:] for n in names[8:13]] == [f"thiet-lap-lan-dau-{i}.png" for i in range(1, 6)]
    assert any("nhap-nhiem-vu" in n for n in names) and names[-1].endswith("them-nhiem-vu.png")
    for path in files:
        image = QImage(str(path))
        is_page = path.name[3:] in {f"{slug}.png" for slug in PAGE_SLUGS}
        if is_page:
            assert (image.width(), image.height()) == (1366, 768 - 72)  # maximised on 1366×768 with a taskbar
        # Not a blank grab: a real page has many distinct colours (a wizard page a few).
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 23)}
        assert len(colours) > (8 if is_page else 3), path.name


def test_first_run_wizard_creates_the_department_units_and_plan(qtbot, db_path):
    from desktop.services.workspace import Workspace
    from desktop.ui.first_run import FirstRunWizard

    workspace = Workspace.open(db_path)
    wizard = FirstRunWizard(workspace)
    qtbot.addWidget(wizard)
    wizard.choice.own.setChecked(True)
    values = {"parent_agency": "UBND huyện Krông Pắc", "name": "Phòng Văn hóa và Thông tin",
              "name_in_text": "Phòng Văn hóa và Thông tin", "abbreviation": "vhtt", "place_name": "Krông Pắc",
              "signer_authority": "KT. TRƯỞNG PHÒNG", "signer_title": "PHÓ TRƯỞNG PHÒNG", "signer_name": "Y Bhim"}
    for key, value in values.items():
        wizard.profile.fields[key].setText(value)
    wizard.units.units.setPlainText("Bộ phận Văn hóa\nBộ phận Thông tin\n\nBộ phận Văn hóa\n")
    wizard.plan.title_edit.setText("Triển khai Chương trình chuyển đổi số năm 2027")
    wizard.plan.start.setValue(2027)
    wizard.plan.end.setValue(2027)
    wizard.apply()
    with workspace.unit_of_work() as session:
        department = session.query(Department).one()
        assert (department.parent_agency, department.name, department.abbreviation) == (
            "UBND HUYỆN KRÔNG PẮC", "PHÒNG VĂN HÓA VÀ THÔNG TIN", "VHTT")
        assert sorted(u.name for u in session.query(Unit)) == ["Bộ phận Thông tin", "Bộ phận Văn hóa"]
        plan = session.query(Plan).one()
        assert plan.title == "Triển khai Chương trình chuyển đổi số năm 2027"
        assert [p.code for p in plan.periods] == ["2027S1", "2027"]
    workspace.close()


def test_first_run_wizard_can_start_from_the_sample(qtbot, db_path):
    from desktop.services.workspace import Workspace
    from desktop.ui.first_run import FirstRunWizard

    workspace = Workspace.open(db_path)
    wizard = FirstRunWizard(workspace)
    qtbot.addWidget(wizard)
    assert wizard.choice.sample.isChecked()
    wizard.apply()
    with workspace.unit_of_work() as session:
        assert session.query(Plan).one().is_sample
    workspace.close()


def test_help_shows_the_vietnamese_guide(qtbot):
    from desktop.ui.help_dialog import HelpDialog

    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "Hướng dẫn sử dụng KHBC" in text and "Soạn tự động" in text and "Ctrl+S" in text


def test_a_late_task_on_the_overview_opens_its_progress_editor(qtbot, window):
    overview = window.show_page("tong-quan")
    late = [t for t in overview.attention if t.state == "late"]
    assert [t.number for t in late] == ["1", "6"]
    overview.open_task_requested.emit(late[1].id)
    page = window.current_page()
    assert page.slug == "cap-nhat-ket-qua"
    assert page.editor.task_id == late[1].id


def test_qt_own_buttons_speak_vietnamese(qapp):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from desktop.ui.translator import install

    translator = install(qapp)
    try:
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        assert [b.text() for b in box.buttons()] == ["Đồng ý", "Hủy"]
        question = QMessageBox(QMessageBox.Icon.Question, "KHBC", "?",
                               QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert sorted(b.text().replace("&", "") for b in question.buttons()) == ["Có", "Không"]
        # Words Qt asks about that the table does not know keep their own text.
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QProgressBar

        assert QCoreApplication.translate("QProgressBar", "%p%") == "%p%"
        bar = QProgressBar()
        bar.setValue(40)
        assert bar.text() == "40%"
    finally:
        qapp.removeTranslator(translator)


def test_window_layout_is_kept_in_the_user_data_folder(tmp_path):
    from desktop.ui.launch import layout_file

    assert layout_file(False).parent.name == "KHBC"
    assert str(tmp_path) in str(layout_file(False))  # the test's XDG_DATA_HOME, not the real home
    assert layout_file(True) != layout_file(False)


def test_a_second_window_on_the_same_data_is_refused_politely(qapp, db_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace
    from desktop.ui.launch import open_workspace_interactively

    fresh_database(db_path)
    first = Workspace.open(db_path, exclusive=True)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    try:
        assert open_workspace_interactively(str(db_path), screenshot=False) is None
    finally:
        first.close()
    assert len(shown) == 1 and "đang được mở" in shown[0]
    second = open_workspace_interactively(str(db_path), screenshot=False)
    assert second is not None and second.location == str(db_path)
    second.close()


def test_closing_the_program_backs_up_what_changed(qtbot, db_path, monkeypatch):
    from PySide6.QtWidgets import QApplication

    from desktop.services.backup import list_backups
    from desktop.services.progress import record_progress
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace
    from desktop.ui.launch import run_gui

    fresh_database(db_path)
    workspace = Workspace.open(db_path)
    with workspace.unit_of_work() as session:
        record_progress(session, "2026", "1", "done", result="Đã ban hành Kế hoạch.")
    workspace.close()
    before = len(list_backups(str(db_path)))
    made = windows_made(monkeypatch)

    def run_until_loaded(app):  # the data file opens on the loading thread: wait for the first page
        window = made[-1]
        qtbot.waitUntil(lambda: window.current_page() is not None, timeout=60_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", run_until_loaded)
    assert run_gui(["khbc-gui", "--db", str(db_path)]) == 0
    backups = list_backups(str(db_path))
    assert len(backups) == before + 1 and backups[0].reason == "close"
