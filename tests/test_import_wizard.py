"""The import wizard at 1024×768 and given the wrong file (issue 12, trap 11), driven by real keys and mouse."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWizard  # noqa: E402

from desktop.ui.bus import DataBus  # noqa: E402
from desktop.ui.import_wizard import ImportWizard  # noqa: E402
from tests.score_import_corpus import CORPUS, make_salary_xlsx  # noqa: E402
from tests.test_ui_appendix import type_text  # noqa: E402


@pytest.fixture
def wizard(sample_workspace, qtbot):
    bus = DataBus(sample_workspace)
    bus.quiet = True
    wizard = ImportWizard(bus)
    qtbot.addWidget(wizard)
    wizard.resize(1024, 740)  # 1024×768 less the taskbar
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def _choose_file(qtbot, wizard, path) -> None:
    box = wizard.source_page.path
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    QTest.keyClicks(box, str(path))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def _inside(widget, window) -> bool:
    top_left = widget.mapTo(window, QPoint(0, 0))
    return (widget.isVisible() and top_left.x() >= 0 and top_left.y() >= 0
            and top_left.x() + widget.width() <= window.width() and top_left.y() + widget.height() <= window.height())


def test_buttons_read_like_the_first_run_wizard(wizard):
    assert wizard.buttonText(QWizard.WizardButton.NextButton) == "Tiếp >"
    assert wizard.buttonText(QWizard.WizardButton.BackButton) == "< Quay lại"


def test_a_salary_sheet_is_said_not_to_be_an_appendix_and_nothing_is_offered(qtbot, wizard, tmp_path):
    path = tmp_path / "bang-luong.xlsx"
    make_salary_xlsx(path)
    _choose_file(qtbot, wizard, path)
    assert wizard.currentPage() is wizard.source_page  # no preview of "tasks" made of people
    message = wizard.source_page.error.text()
    assert "không giống bảng phân công nhiệm vụ" in message
    assert wizard.preview is None and wizard.preview_model.rowCount() == 0


def test_a_report_is_said_not_to_be_a_plan(qtbot, wizard):
    _choose_file(qtbot, wizard, CORPUS / "bc-ket-qua-khong-phai-ke-hoach.txt")
    if wizard.currentPage() is wizard.source_page:
        assert "không giống kế hoạch" in wizard.source_page.error.text()
        return
    page = wizard.preview_page  # when its loose items are shown, the verdict is on top and nothing is ticked
    assert page.verdict.isVisible() and "không giống kế hoạch" in page.verdict.text()
    assert not wizard.preview.selected_rows()


def test_uncertain_tasks_are_marked_and_not_ticked(qtbot, wizard, tmp_path):
    path = tmp_path / "van-ban.txt"
    path.write_text("II. NHIỆM VỤ\n1. Sở Y tế chủ trì tổ chức khám sàng lọc cho trẻ em.\n"
                    "- Tăng cường công tác phối hợp giữa các cấp trong tỉnh.\n"
                    "Kinh phí được bố trí từ ngân sách nhà nước theo phân cấp hiện hành.\n", encoding="utf-8")
    _choose_file(qtbot, wizard, path)
    model = wizard.preview_model
    marks = {model.index(r, 2).data(): (model.index(r, 7).data(), model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole))
             for r in range(model.rowCount())}
    assert marks["Tổ chức khám sàng lọc cho trẻ em"] == ("câu văn", Qt.CheckState.Checked)
    how, ticked = marks["Tăng cường công tác phối hợp giữa các cấp trong tỉnh."]
    assert how.startswith("Cần kiểm tra") and ticked == Qt.CheckState.Unchecked
    assert "tô vàng" in wizard.preview_page.summary.text()
    page = wizard.preview_page
    assert page.unrecognised.isVisible() and "Kinh phí được bố trí" in page.unrecognised.toPlainText()
    assert page.unrecognised_label.text().startswith("Không nhận ra 1 đoạn")


@pytest.mark.parametrize("source", ["phu-luc-bang-dai.txt", "qd-giao-nhiem-vu-cau-van.txt"])
def test_the_wizard_fits_1024_by_768(qtbot, wizard, tmp_path, source):
    if source.endswith(".txt") and "phu-luc" in source:
        from tests.score_import_corpus import make_xlsx

        path = tmp_path / "phu-luc.xlsx"  # the column mapping row is shown for a spreadsheet
        make_xlsx((CORPUS / source).read_text(encoding="utf-8"), path)
    else:
        path = CORPUS / source
    _choose_file(qtbot, wizard, path)
    assert wizard.currentPage() is wizard.preview_page
    QApplication.processEvents()
    assert wizard.minimumSizeHint().width() <= 1024 and wizard.width() <= 1024
    for button in (QWizard.WizardButton.NextButton, QWizard.WizardButton.CancelButton,
                   QWizard.WizardButton.BackButton):
        assert _inside(wizard.button(button), wizard), button
    view = wizard.preview_page.view
    assert not view.horizontalScrollBar().isVisible()
    assert view.columnWidth(2) >= max(view.columnWidth(c) for c in (3, 4, 5, 7))  # content is the widest


def test_the_clerk_teaches_a_variant_from_the_wizard(qtbot, wizard, tmp_path):
    from desktop.services.task_import import preview_import, variants_path

    path = tmp_path / "cong-van.txt"
    path.write_text("II. NHIỆM VỤ\n1. Sở KHCNMT chủ trì tổ chức hội thảo khoa học về chuyển đổi số.\n",
                    encoding="utf-8")
    _choose_file(qtbot, wizard, path)
    model = wizard.preview_model
    view = wizard.preview_page.view
    assert not wizard.preview.selected_rows()  # an unknown unit: the reader is not sure, nothing is ticked
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(0, 0)).center())
    QTest.keyClick(view, Qt.Key.Key_Space)  # the clerk ticks it herself
    assert wizard.preview.selected_rows()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.confirm_page
    assert wizard.currentPage() is page
    listed = [page.units.item(i).text() for i in range(page.units.count())]
    assert "Sở KHCNMT" in listed
    page.units.setCurrentRow(listed.index("Sở KHCNMT"))
    editor = page.alias_target.lineEdit()
    editor.clear()
    type_text(editor, "Sở Khoa học và Công nghệ")
    qtbot.mouseClick(page.alias_button, Qt.MouseButton.LeftButton)
    listed = [page.units.item(i).text() for i in range(page.units.count())]
    assert "Sở KHCNMT" not in listed and page.alias_error.text() == ""
    assert wizard.preview.rows[0].task.lead == ["Sở Khoa học và Công nghệ"]
    assert "Sở KHCNMT" in variants_path().read_text(encoding="utf-8")
    again = preview_import("Sở KHCNMT chủ trì tập huấn kỹ năng số cho công chức cấp xã.")
    assert again.rows[0].task.lead == ["Sở Khoa học và Công nghệ"] and again.rows[0].task.certain
