"""`khbc-gui --screenshot DIR --size WxH`: every page, wizard and dialog as PNG, and a check of their layout."""

from __future__ import annotations

import json
import os
import tempfile
import unicodedata
from pathlib import Path

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea, QApplication, QDialog, QHeaderView, QScrollArea, QStyle, QWidget, QWizard,
)

TASKBAR = 40  # the Windows taskbar at the bottom of the screen
TITLE_BAR = 32  # the window's own title bar


def parse_size(text: str) -> tuple[int, int]:
    """"1024x768" → (1024, 768); raises ValueError on anything else."""
    width, _, height = text.lower().replace("×", "x").partition("x")
    size = int(width), int(height)
    if not (640 <= size[0] <= 8000 and 480 <= size[1] <= 8000):
        raise ValueError(text)
    return size


def use_offscreen_screen(size: tuple[int, int]) -> None:
    """Before QApplication exists: an offscreen display of exactly this size (unless another display is set)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "offscreen")
    if platform.split(":")[0] != "offscreen":
        return
    if os.name == "nt":  # Qt's Windows offscreen plugin exits (code 9, no message) on a configfile: default screen
        return
    config = Path(tempfile.mkdtemp(prefix="khbc-screen-")) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "khbc", "x": 0, "y": 0, "width": size[0], "height": size[1],
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def window_area(size: tuple[int, int]) -> tuple[int, int]:
    """What a maximised window's contents get on a screen of this size (taskbar and title bar taken off)."""
    return size[0], size[1] - TASKBAR - TITLE_BAR


def ascii_slug(text: str) -> str:
    """'Người ký & nơi nhận' → 'nguoi-ky-noi-nhan' (file names without diacritics)."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    words = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in words).split())


def _inside_scroll_content(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea) or (parent.parentWidget() is not None and isinstance(
                parent.parentWidget(), QAbstractScrollArea) and parent is parent.parentWidget().viewport()):
            return True
        parent = parent.parentWidget()
    return False


def layout_problems(top: QWidget, name: str) -> list[str]:
    """What a clerk would see cut off: a visible widget reaching outside `top`, or a sideways scroll bar."""
    for _round in range(3):  # layouts and column fitting settle over a few passes of the event loop
        QApplication.processEvents()
    problems = []
    bounds = QRect(0, 0, top.width(), top.height())
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top) or widget.isWindow():
            continue
        if isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().maximum() > 0 \
                and widget.horizontalScrollBar().isVisibleTo(top):
            problems.append(f"{name}: {_describe(widget)} cuộn ngang ({widget.horizontalScrollBar().maximum()} px)")
        if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            problems += [f"{name}: tiêu đề cột “{text}” bị cắt" for text in _cut_headers(widget)]
        if _inside_scroll_content(widget, top):
            continue
        rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
        if not bounds.contains(rect):
            problems.append(f"{name}: {_describe(widget)} ra ngoài cửa sổ ({rect.x()},{rect.y()} "
                            f"{rect.width()}×{rect.height()} trong {bounds.width()}×{bounds.height()})")
    return problems


def _cut_headers(header: QHeaderView) -> list[str]:
    """Column titles wider than their column (Qt elides them: "Đơn vị chủ t…")."""
    model, cut = header.model(), []
    if model is None:
        return cut
    metrics = header.fontMetrics()
    margin = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
        need = max(metrics.horizontalAdvance(line) for line in text.split("\n")) if text else 0
        if need + margin > header.sectionSize(section):
            cut.append(text.replace("\n", " "))
    return cut


def _describe(widget: QWidget) -> str:
    text = ""
    for attr in ("text", "title", "placeholderText", "accessibleName"):
        getter = getattr(widget, attr, None)
        if callable(getter):
            try:
                text = getter()
            except TypeError:
                continue
            if text:
                break
    return f"{type(widget).__name__}{' “' + text[:40] + '”' if text else ''}"


def _fit(dialog: QWidget, area: tuple[int, int]) -> None:
    """Show a dialog as the window manager would: at its own size, but never larger than the screen."""
    dialog.show()
    QApplication.processEvents()
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    width, height = max(dialog.width(), hint.width()), max(dialog.height(), hint.height())
    dialog.resize(min(width, area[0]), min(height, area[1]))
    QApplication.processEvents()


def _save(widget: QWidget, path: Path, written: list[Path]) -> None:
    QApplication.processEvents()
    widget.grab().save(str(path))
    written.append(path)


def wizard_pages(wizard: QWizard):
    """Walk a wizard page by page as "Tiếp >" would (without finishing it), yielding each page id shown.
    The first-run wizard's own-plan path is taken (the sample path is one page more, shown first)."""
    from desktop.ui.first_run import FirstRunWizard

    if isinstance(wizard, FirstRunWizard):
        for page_id in wizard.pageIds():  # its pages need no data, so each is shown empty, as a clerk meets it
            wizard.setStartId(page_id)
            wizard.restart()
            yield page_id
        return
    wizard.restart()
    seen = set()
    while wizard.currentId() not in seen and wizard.currentId() != -1:
        seen.add(wizard.currentId())
        yield wizard.currentId()
        if wizard.nextId() == -1:
            return
        wizard.next()
        QApplication.processEvents()


def take_screenshots(window, out: Path, size: tuple[int, int] = (1366, 768)) -> tuple[list[Path], list[str]]:
    """Render every page, the first-run wizard, the import wizard and the task dialog as NN-slug.png at this
    screen size; returns the files written and the layout problems found."""
    out.mkdir(parents=True, exist_ok=True)
    area = window_area(size)
    window.bus.quiet = True
    window.setMinimumSize(0, 0)
    window.setWindowState(Qt.WindowState.WindowNoState)  # exactly the maximised area, whatever the screen
    window.resize(*area)
    window.show()
    written: list[Path] = []
    sections: list[Path] = []  # listed last: the files' numbers count pages and dialogs
    problems: list[str] = []
    for index, page in enumerate(window.pages):
        window.nav.setCurrentRow(index)
        page.prepare_screenshot()
        problems += layout_problems(window, page.nav_label)
        if window.width() > area[0] or window.height() > area[1]:
            problems.append(f"{page.nav_label}: cửa sổ {window.width()}×{window.height()} lớn hơn {area[0]}×{area[1]}")
        _save(window, out / f"{index + 1:02d}-{page.slug}.png", written)
        # A page with sections (Cài đặt's tabs): each section, in a folder of its own so the list stays one per page
        for number, section in enumerate(getattr(page, "screenshot_sections", tuple)(), start=1):
            problems += layout_problems(window, f"{page.nav_label} / {section}")
            folder = out / f"{index + 1:02d}-{page.slug}"
            folder.mkdir(exist_ok=True)
            _save(window, folder / f"{number}-{ascii_slug(section)}.png", sections)
    for slug, dialog in _dialogs(window):
        _fit(dialog, area)
        if isinstance(dialog, QWizard):
            for page_id in wizard_pages(dialog):
                _fit(dialog, area)
                problems += _dialog_problems(dialog, f"{dialog.windowTitle()} / {dialog.currentPage().title()}", area)
                _save(dialog, out / f"{len(written) + 1:02d}-{slug}-{page_id + 1}.png", written)
        else:
            problems += _dialog_problems(dialog, dialog.windowTitle(), area)
            _save(dialog, out / f"{len(written) + 1:02d}-{slug}.png", written)
        dialog.reject()
        dialog.deleteLater()
    return written + sections, problems


def _dialog_problems(dialog: QWidget, name: str, area: tuple[int, int]) -> list[str]:
    problems = layout_problems(dialog, name)
    need = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    if need.width() > area[0] or need.height() > area[1]:
        problems.append(f"{name}: hộp thoại cần {need.width()}×{need.height()}, màn hình chỉ có {area[0]}×{area[1]}")
    return problems


def _dialogs(window) -> list[tuple[str, QDialog]]:
    from desktop.ui.first_run import FirstRunWizard
    from desktop.ui.import_wizard import ImportWizard
    from desktop.ui.task_dialog import TaskDialog

    appendix = next(page for page in window.pages if page.slug == "phu-luc")
    importer = ImportWizard(window.bus, window)
    importer.source_page.text.setPlainText(_appendix_as_text(window.bus.workspace))
    return [("thiet-lap-lan-dau", FirstRunWizard(window.bus.workspace, window)),
            ("nhap-nhiem-vu", importer),
            ("them-nhiem-vu", TaskDialog(appendix.unit_names(), (2026, 2030), "3", window))]


def _appendix_as_text(workspace) -> str:
    """The open plan's tasks written the way a provincial plan lists them, for the import wizard to read."""
    from datetime import date

    from desktop.services.queries import list_tasks

    with workspace.unit_of_work() as session:
        rows = list_tasks(session, None, date.today())
    return "\n".join(f"{row.number}. {row.content}\n- Cơ quan chủ trì: {row.lead}\n- Cơ quan phối hợp: "
                     f"{', '.join(row.cooperating)}\n- Thời gian thực hiện: {row.timeframe_text}" for row in rows[:6])
