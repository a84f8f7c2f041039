"""The main window: navigation on the left, one page at a time, menus, toolbar, shortcuts and status bar."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QLabel, QListWidget, QListWidgetItem, QMainWindow, QProgressBar, QSplitter, QStackedWidget, QStyle, QToolBar,
)

from desktop import __version__
from desktop.ui.window_layout import FRAME_WIDTH, TITLE_BAR, WindowLayout

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from desktop.ui.bus import DataBus
    from desktop.ui.pages.base import Page

# The window paints before anything touches PySide6's `Qt` namespace or QMessageBox: creating their Python
# enum classes costs more CPU than the bare window's own start (measured: `Qt` alone about 24 ms), so
# the constructor sets what it needs through style sheets and property names instead of enum values.

# (module, class, label) of each page in navigation order; Ctrl+1 … Ctrl+8 follow this order.
# The labels are here, not read from the classes, so the window can show before the pages load.
PAGE_CLASSES = (
    ("overview_page", "OverviewPage", "Tổng quan"),
    ("plan_page", "PlanPage", "Kế hoạch"),
    ("appendix_page", "AppendixPage", "Phụ lục nhiệm vụ"),
    ("progress_page", "ProgressPage", "Cập nhật kết quả"),
    ("report_page", "ReportPage", "Báo cáo"),
    ("send_page", "SendPage", "Gửi báo cáo"),
    ("collect_page", "CollectPage", "Tổng hợp"),
    ("settings_page", "SettingsPage", "Cài đặt"),
)

UNSAVED = "Có thay đổi chưa lưu (Ctrl+S: lưu ngay)"

NAV_ICONS = (
    QStyle.StandardPixmap.SP_ComputerIcon, QStyle.StandardPixmap.SP_FileDialogDetailedView,
    QStyle.StandardPixmap.SP_FileDialogListView, QStyle.StandardPixmap.SP_DialogApplyButton,
    QStyle.StandardPixmap.SP_FileIcon, QStyle.StandardPixmap.SP_ArrowUp,
    QStyle.StandardPixmap.SP_DirOpenIcon, QStyle.StandardPixmap.SP_FileDialogInfoView,
)


def page_module(index: int) -> tuple[str, str]:
    """(module path, class name) of the page at `index`, for importing it (on the loading thread too)."""
    module, name, _label = PAGE_CLASSES[index]
    return f"desktop.ui.pages.{module}", name


def page_class(index: int) -> type[Page]:
    module, name = page_module(index)
    return getattr(importlib.import_module(module), name)


def load_page_classes() -> list[type[Page]]:
    return [page_class(index) for index in range(len(PAGE_CLASSES))]


def _key_sequences(shortcut: QKeySequence | QKeySequence.StandardKey) -> list[QKeySequence]:
    """The one key sequence of a shortcut (a standard key: the platform's first binding, as setShortcut takes).
    Through setShortcuts: setShortcut's overloads make PySide6 build the whole `Qt` namespace first."""
    if isinstance(shortcut, QKeySequence):
        return [shortcut]
    return QKeySequence.keyBindings(shortcut)[:1]


class MainWindow(WindowLayout, QMainWindow):
    """Hosts the pages; routes Ctrl+S, Ctrl+N, Delete, Ctrl+F and undo/redo to the page on screen.

    The window is built and shown first; `attach(bus)` then loads the pages and their data, so the
    user sees the program at once on an old PC while the database opens. With `rest_later`, only the
    page shown first is built at once and the others follow one per turn of the event loop (or at once
    when asked for: `pages`, `page_at`).
    """

    first_page_shown = Signal()  # the first page is on screen with its data
    all_pages_built = Signal()

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self._maximize_when_shown = False
        self.bus: DataBus | None = None
        self.locked = False  # the first page shows rows read before the workspace opened (see `preview`)
        self.settings = settings or QSettings()
        self.setWindowTitle("KHBC – Kế hoạch, báo cáo")
        area = self._available()  # never a minimum larger than the screen (1024×768 and smaller)
        self.setMinimumSize(QSize(min(960, area.width() - FRAME_WIDTH), min(600, area.height() - TITLE_BAR)))
        self.undo_group = QUndoGroup(self)
        self._last_saved = "Dữ liệu đã được lưu"
        self._unsaved_timer = QTimer(self)  # typing marks a page unsaved; the status bar follows within a second
        self._unsaved_timer.setInterval(700)
        self._unsaved_timer.timeout.connect(self.update_unsaved_state)
        self._slots: list[Page | None] = []  # one per navigation entry once attached; None: not built yet
        self.nav = QListWidget()
        self.stack = QStackedWidget()
        self.loading = QLabel("Đang mở dữ liệu…")
        self.loading.setStyleSheet("font-size: 14pt; color: #555; qproperty-alignment: AlignCenter;")
        self.stack.addWidget(self.loading)
        self._build_navigation()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.splitter = QSplitter()  # horizontal
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([210, 1000])
        self.setCentralWidget(self.splitter)
        self._restore_geometry()

    def preview(self, bus: DataBus, data: object) -> None:
        """Show the page used last with rows read before the workspace opened (`data`, from its
        `quick_read_data`); navigation and editing stay locked until `attach(bus)` brings the workspace."""
        self._install_slots(bus)
        last = self.remembered_page()
        self._build_page(last, data)
        self.stack.setCurrentIndex(last)
        self.nav.setCurrentRow(last)
        self._set_locked(True)
        self.first_page_shown.emit()

    def attach(self, bus: DataBus, preloaded: object = None, rest_later: bool = False) -> None:
        """Create the pages on the open workspace and show the page used last.

        `preloaded` is what that page's `read_data` returned on the loading thread (None: it reads itself).
        After `preview(bus, …)`, the page shown keeps its rows and everything is unlocked.
        """
        previewed = self.bus is bus
        if not previewed:
            self._install_slots(bus)
        self._restore_period(bus)
        self._set_locked(False)
        self.database_label.setText(f"Dữ liệu: {bus.workspace.location}")
        bus.saved.connect(self._on_saved)
        self._unsaved_timer.start()
        bus.failed.connect(lambda message: self.statusBar().showMessage(f"Chưa lưu: {message}", 8000))
        bus.started.connect(self._operation_started)
        bus.finished.connect(self._operation_finished)
        self.save_state.setText(self._last_saved)
        last = self.remembered_page()
        if not previewed:
            self._build_page(last, preloaded)
        elif preloaded is not None:  # read again after a restore replaced the file the preview came from
            self.page_at(last).show_preloaded(preloaded)
        self.nav.currentRowChanged.connect(self._show_page)
        if self.nav.currentRow() == last:
            self._show_page(last)
        self.nav.setCurrentRow(last)
        if not previewed:
            self.first_page_shown.emit()
        if rest_later:
            QTimer.singleShot(0, self._build_next_page)
        else:
            for index in range(len(self._slots)):
                self.page_at(index)
            self.all_pages_built.emit()

    def _install_slots(self, bus: DataBus) -> None:
        self.bus = bus
        bus.dialog_parent = self
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        self._slots = [None] * len(PAGE_CLASSES)
        for _entry in PAGE_CLASSES:
            self.stack.addWidget(QLabel(""))  # stands in for a page until it is built

    def _set_locked(self, locked: bool) -> None:
        """While the workspace opens after a preview: the page is readable, nothing else answers yet."""
        self.locked = locked
        tip = "Đang mở dữ liệu…" if locked else ""
        self.nav.setEnabled(not locked)
        self.nav.setToolTip(tip)
        for action in (self.save_action, self.new_action, self.delete_action, self.find_action,
                       *self.page_actions):
            action.setEnabled(not locked)
            action.setToolTip(tip or action.text().replace("&", ""))
        self.save_state.setText(tip or self.save_state.text())

    def remembered_page(self) -> int:
        """The navigation row shown when the program was last closed (0 when unknown)."""
        last = self.settings.value("window/page", 0)
        try:
            last = int(last)
        except (TypeError, ValueError):
            last = 0
        return last if 0 <= last < len(PAGE_CLASSES) else 0

    def page_at(self, index: int) -> Page:
        page = self._slots[index]
        return page if page is not None else self._build_page(index)

    @property
    def pages(self) -> list[Page]:
        """Every page, each built now if it was not yet (screenshots and layout checks go through them all)."""
        return [self.page_at(index) for index in range(len(self._slots))]

    def _built_pages(self) -> list[Page]:
        return [page for page in self._slots if page is not None]

    def _build_page(self, index: int, preloaded: object = None) -> Page:
        page = page_class(index)(self.bus)
        if preloaded is not None:
            page.show_preloaded(preloaded)
        placeholder = self.stack.widget(index)
        showing = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if showing:
            self.stack.setCurrentIndex(index)
        self._slots[index] = page
        self.undo_group.addStack(page.undo_stack)
        if hasattr(page, "open_task_requested"):
            page.open_task_requested.connect(self.open_task)
        return page

    def _build_next_page(self) -> None:
        """Build one page not built yet, then give the event loop a turn (input, painting) before the next."""
        missing = [index for index, page in enumerate(self._slots) if page is None]
        if missing:
            self._build_page(missing[0])
        if len(missing) > 1:
            QTimer.singleShot(0, self._build_next_page)
        elif missing:
            self.all_pages_built.emit()

    # --- construction ---------------------------------------------------------------------------
    def _build_navigation(self) -> None:
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setMinimumWidth(180)
        self.nav.setStyleSheet("QListWidget { font-size: 11pt; } QListWidget::item { padding: 7px 6px; }")
        for index, (_module, _name, label) in enumerate(PAGE_CLASSES):
            item = QListWidgetItem(self.style().standardIcon(NAV_ICONS[index]), label)
            item.setToolTip(f"{label} (Ctrl+{index + 1})")
            self.nav.addItem(item)

    def _action(self, text: str, shortcut, slot, icon: QStyle.StandardPixmap | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcuts(_key_sequences(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.setStatusTip(tip or text)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.save_action = self._action("&Lưu", QKeySequence.StandardKey.Save, self.save_current,
                                        sp.SP_DialogSaveButton, "Lưu các thay đổi của trang đang mở (Ctrl+S)")
        self.new_action = self._action("&Thêm mới", QKeySequence.StandardKey.New, lambda: self._route("new_item"),
                                       sp.SP_FileDialogNewFolder, "Thêm dòng mới (Ctrl+N)")
        self.delete_action = self._action("&Xóa", QKeySequence.StandardKey.Delete,
                                          lambda: self._route("delete_item"), sp.SP_TrashIcon,
                                          "Xóa dòng đang chọn (Delete)")
        self.find_action = self._action("&Tìm kiếm", QKeySequence.StandardKey.Find,
                                        lambda: self._route("focus_search"), sp.SP_FileDialogContentsView,
                                        "Tìm kiếm trong trang (Ctrl+F)")
        self.undo_action = self.undo_group.createUndoAction(self, "&Hoàn tác")
        self.undo_action.setShortcuts(_key_sequences(QKeySequence.StandardKey.Undo))
        self.undo_action.setIcon(self.style().standardIcon(sp.SP_ArrowBack))
        self.redo_action = self.undo_group.createRedoAction(self, "&Làm lại")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence.StandardKey.Redo])
        self.redo_action.setIcon(self.style().standardIcon(sp.SP_ArrowForward))
        self.addActions([self.undo_action, self.redo_action])
        self.undo_button_action = self._short_history_action("Hoàn tác", self.undo_action, self.undo_group.undo,
                                                             self.undo_group.canUndoChanged,
                                                             self.undo_group.undoTextChanged)
        self.redo_button_action = self._short_history_action("Làm lại", self.redo_action, self.undo_group.redo,
                                                             self.undo_group.canRedoChanged,
                                                             self.undo_group.redoTextChanged)
        self.help_action = self._action("&Hướng dẫn sử dụng", QKeySequence.StandardKey.HelpContents, self.show_help,
                                        sp.SP_DialogHelpButton, "Mở hướng dẫn sử dụng (F1)")
        self.quit_action = self._action("T&hoát", QKeySequence("Ctrl+Q"), self.close)
        self.about_action = self._action("&Giới thiệu KHBC", None, self.show_about)
        self.page_actions = [
            self._action(label, QKeySequence(f"Ctrl+{index + 1}"), lambda _=False, i=index: self.nav.setCurrentRow(i))
            for index, (_module, _name, label) in enumerate(PAGE_CLASSES)]

    def _short_history_action(self, label: str, group_action: QAction, slot, can_changed, text_changed) -> QAction:
        """A toolbar twin of the undo/redo action: a short fixed label; what it would undo is in the tooltip
        (the group's own action renames itself "Hoàn tác Sửa thời gian thực hiện của nhiệm vụ 7" and grows)."""
        action = QAction(group_action.icon(), label, self)
        action.setEnabled(group_action.isEnabled())
        action.triggered.connect(slot)
        can_changed.connect(action.setEnabled)

        def describe(text: str) -> None:
            tip = f"{label}: {text}" if text else label
            shortcut = group_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            action.setStatusTip(tip)

        text_changed.connect(describe)
        describe("")
        return action

    def _build_menus_and_toolbar(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&Tệp")
        file_menu.addAction(self.save_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Sửa")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.new_action, self.delete_action, self.find_action])
        view_menu = menu.addMenu("&Xem")
        view_menu.addActions(self.page_actions)
        help_menu = menu.addMenu("Trợ &giúp")
        help_menu.addActions([self.help_action, self.about_action])
        toolbar = QToolBar("Thanh công cụ")
        toolbar.setObjectName("main-toolbar")
        toolbar.setProperty("toolButtonStyle", "ToolButtonTextBesideIcon")
        toolbar.addActions([self.save_action, self.undo_button_action, self.redo_button_action])
        toolbar.addSeparator()
        toolbar.addActions([self.new_action, self.delete_action, self.find_action])
        toolbar.addSeparator()
        toolbar.addAction(self.help_action)
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.save_state = QLabel("Đang mở dữ liệu…")
        self.database_label = QLabel("")
        self.database_label.setProperty("textInteractionFlags", "TextSelectableByMouse")
        self.statusBar().addWidget(self.save_state)
        self.operation_bar = QProgressBar()  # busy while a slow operation runs off the window's thread
        self.operation_bar.setRange(0, 0)
        self.operation_bar.setMaximumWidth(160)
        self.operation_bar.hide()
        self.statusBar().addPermanentWidget(self.operation_bar)
        self.statusBar().addPermanentWidget(self.database_label)

    def _operation_started(self, text: str) -> None:
        self.statusBar().showMessage(text)
        self.operation_bar.show()

    def _operation_finished(self, _operation) -> None:
        if self.bus is not None and not self.bus.running_operations():
            self.statusBar().clearMessage()
            self.operation_bar.hide()

    # --- pages ----------------------------------------------------------------------------------
    def current_page(self) -> Page | None:
        if not self._slots or self.locked:
            return None  # still loading (or showing a preview: nothing to edit before the file has opened)
        return self.page_at(max(0, self.nav.currentRow()))

    def _route(self, command: str) -> None:
        if self.locked:
            return
        page = self.current_page()
        if page is not None:
            getattr(page, command)()

    def _show_page(self, index: int) -> None:
        from desktop.ui.pages.base import Page  # loaded with the first page, after the window painted

        if index < 0 or index >= len(self._slots):
            return
        page = self.page_at(index)
        leaving = self.stack.currentWidget()
        if isinstance(leaving, Page) and leaving is not page and leaving.has_unsaved_changes():
            leaving.save()  # autosave on leaving a page: work is never lost by clicking elsewhere
        self.stack.setCurrentIndex(index)
        self.undo_group.setActiveStack(page.undo_stack)
        self.update_unsaved_state()

    def show_page(self, slug: str) -> Page:
        for index in range(len(self._slots)):
            if page_class(index).slug == slug:
                self.nav.setCurrentRow(index)
                return self.page_at(index)
        raise KeyError(slug)

    def open_task(self, task_id: int) -> None:
        """Go to Cập nhật kết quả with this task's editor open."""
        if self.locked:
            self.statusBar().showMessage("Đang mở dữ liệu… Xin chờ giây lát rồi mở lại nhiệm vụ.", 5000)
            return
        self.show_page("cap-nhat-ket-qua").open_task(task_id)

    def save_current(self) -> bool:
        if self.locked:
            return True  # nothing can have been edited yet
        page = self.current_page()
        ok = page.save() if page is not None else True
        self.update_unsaved_state()
        return ok

    def _on_saved(self, text: str) -> None:
        self._last_saved = text
        self.update_unsaved_state()

    def update_unsaved_state(self) -> None:
        """"Đã lưu lúc …" only while nothing typed is waiting; otherwise say that something is not saved yet."""
        pages = self._built_pages()
        if not pages or self.locked:
            return  # still loading: "Đang mở dữ liệu…" stays
        unsaved = any(page.has_unsaved_changes() for page in pages)
        text = UNSAVED if unsaved else self._last_saved
        if self.save_state.text() != text:
            self.save_state.setText(text)

    def _restore_period(self, bus: DataBus) -> None:
        """Reopen on the period the clerk worked in last (not the current one, where her results are not)."""
        from desktop.services import clock
        from desktop.services.queries import list_periods

        code = self.settings.value("window/period")
        if isinstance(code, str) and code:
            codes = [period.code for period in bus.try_read(list_periods, clock.today(), default=[])]
            if code in codes:
                bus.period_code = code

    # --- help -----------------------------------------------------------------------------------
    def show_help(self) -> None:
        from desktop.ui.help_dialog import HelpDialog

        HelpDialog(self).exec()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, "Giới thiệu KHBC",
                          f"<b>KHBC – Kế hoạch, báo cáo</b><br>Phiên bản {__version__}<br><br>"
                          "Theo dõi kế hoạch, phụ lục nhiệm vụ \"06 rõ\", kết quả thực hiện và báo cáo "
                          "định kỳ theo Nghị định 30/2020/NĐ-CP và Nghị định 09/2019/NĐ-CP.")

    # --- closing ---------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt naming)
        unsaved = [page for page in self._built_pages() if page.has_unsaved_changes()]
        failed = [page.nav_label for page in unsaved if not page.save()]
        if failed and self.bus is not None and not self.bus.quiet:
            from PySide6.QtWidgets import QMessageBox

            answer = QMessageBox.question(
                self, "KHBC", "Chưa lưu được thay đổi ở trang: " + ", ".join(failed)
                + ".\nVẫn thoát và bỏ các thay đổi đó?",
                QMessageBox.StandardButton.No | QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.save_layout()
        if self.bus is not None:
            self.bus.wait_for_running()  # an export or a backup under way finishes before the data closes
        event.accept()

