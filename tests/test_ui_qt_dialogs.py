"""Qt's own file and print dialogs (shown where the platform has no native one) speak Vietnamese: every visible
text, button, column, choice and tooltip is listed, and no English word is left."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import (
    QAbstractButton, QComboBox, QFileDialog, QGroupBox, QHeaderView, QLabel, QLineEdit, QPushButton, QTabWidget,
    QWidget,
)

# Words of Qt's English dialog strings (as Qt 6.12 shows them untranslated); Vietnamese has none of them.
ENGLISH = set("""look files type name size date modified open save cancel back forward parent directory create new
folder detail view list properties location local file output write options settings copies collate reverse print
range all pages from odd even page set specify or ranges separated by commas are specified two numbers hyphen prints
and choose directories computer my rename delete show hidden printer color grayscale duplex none long short side
selection current orientation portrait landscape margins paper width height job advanced custom order sheet left
right top bottom millimeters inches points envelope""".split())


@pytest.fixture
def vietnamese(qapp):
    from desktop.ui.translator import install

    translator = install(qapp)
    yield
    qapp.removeTranslator(translator)


def visible_texts(dialog: QWidget) -> set[str]:
    texts = {dialog.windowTitle()}
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.add(widget.text())
        if isinstance(widget, QGroupBox):
            texts.add(widget.title())
        if isinstance(widget, QComboBox):
            texts |= {widget.itemText(i) for i in range(widget.count())}
        if isinstance(widget, QTabWidget):
            texts |= {widget.tabText(i) for i in range(widget.count())}
        if isinstance(widget, QHeaderView) and widget.model() is not None:
            texts |= {str(widget.model().headerData(i, widget.orientation())) for i in range(widget.count())}
        if isinstance(widget, QLineEdit):
            texts.add(widget.placeholderText())
        texts.add(widget.toolTip())
    return {text for text in texts if text}


def english_words(texts: set[str]) -> list[str]:
    words = (texts - {t for t in texts if t.startswith("/") or re.match(r"[A-Za-z]:\\", t)})  # folder paths
    return sorted({word for text in words for word in re.findall(r"[A-Za-z]+", text.replace("&", ""))
                   if word.lower() in ENGLISH})


@pytest.mark.parametrize("mode", ["open", "save", "folder"])
def test_qt_file_dialog_has_no_english_word(qtbot, vietnamese, mode, tmp_path):
    dialog = QFileDialog(None, "Chọn tệp", str(tmp_path), "Kế hoạch, phụ lục (*.xlsx *.docx);;Mọi tệp (*)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # what KHBC gets where there is no native dialog
    if mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = visible_texts(dialog)
    assert len(texts) > 8  # the dialog's labels, buttons, columns and tooltips were really read
    assert english_words(texts) == [], texts


def test_qt_print_dialog_has_no_english_word(qtbot, vietnamese):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # no printer on the test machine: print to PDF
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    more = next(b for b in dialog.findChildren(QPushButton) if ">>" in b.text())
    qtbot.mouseClick(more, pytest.importorskip("PySide6.QtCore").Qt.MouseButton.LeftButton)  # the options too
    texts = visible_texts(dialog)
    assert len(texts) > 15
    assert english_words(texts) == [], texts


def test_qt_print_properties_dialog_has_no_english_word(qtbot, vietnamese):
    """The print dialog's "Thuộc tính" button opens Qt's paper and layout dialog: Vietnamese too. Standard paper
    names (A4, Letter, Legal, …) are names, printed as such; envelopes read "Phong bì …"."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QApplication

    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    dialog = QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    seen: list[set[str]] = []

    def read_and_close() -> None:
        properties = QApplication.activeModalWidget()
        if properties is None or properties is dialog:
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(visible_texts(properties))
        properties.reject()

    QTimer.singleShot(0, read_and_close)
    button = dialog.findChild(QPushButton, "properties")
    assert button.text().replace("&", "") == "Thuộc tính" and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # modal: returns once read_and_close closed it
    qtbot.waitUntil(lambda: seen != [])
    texts = seen[0]
    assert "Thuộc tính máy in" in texts and "Khổ giấy:" in texts and len(texts) > 20
    assert any(t.startswith("Phong bì ") for t in texts)
    assert english_words(texts) == [], sorted(texts)
