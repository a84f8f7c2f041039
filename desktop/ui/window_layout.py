"""The main window's size and place: remembered between runs, and always fitting a 1024×768 or 1366×768 screen."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QGuiApplication

TITLE_BAR = 32  # room for the window frame's title bar (Windows 10/11 at 100 %), outside geometry()
FRAME_WIDTH = 16


class WindowLayout:
    """Mixed into the main window (before QMainWindow): restores and saves its layout, fits it to the screen."""

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if not (isinstance(geometry, QByteArray) and not geometry.isEmpty() and self.restoreGeometry(geometry)
                and self.fits_on_screen()):
            self.fit_to_screen()
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        splitter = self.settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def _available(self):
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)

    def fits_on_screen(self) -> bool:
        """Whether the remembered window (with its title bar) lies wholly inside the screen's free area."""
        if self.isMaximized():
            return True
        return self._available().contains(self.frameGeometry().adjusted(0, 0, 0, TITLE_BAR if self.frameGeometry()
                                                                          == self.geometry() else 0))

    def fit_to_screen(self) -> None:
        """1280×800 where there is room, otherwise the whole free area of the screen (maximised there), so the
        title bar's buttons and the status bar are never off-screen on a 1366×768 or 1024×768 display."""
        area = self._available()
        if area.width() >= 1280 + FRAME_WIDTH and area.height() >= 800 + TITLE_BAR:
            self.resize(1280, 800)
            self.move(area.left() + (area.width() - 1280 - FRAME_WIDTH) // 2,
                      area.top() + (area.height() - 800 - TITLE_BAR) // 2)
            return
        self.resize(area.width() - FRAME_WIDTH, area.height() - TITLE_BAR)
        self.move(area.topLeft())
        if self.isVisible():
            self.showMaximized()
        else:
            self._maximize_when_shown = True  # see setVisible: maximised as it shows

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (Qt naming)
        """Shown maximised when `fit_to_screen` asked for it before the window was visible (showMaximized sets
        the state without naming a `Qt.WindowState`, which would cost the first paint its enum classes)."""
        if visible and self._maximize_when_shown:
            self._maximize_when_shown = False
            self.showMaximized()  # sets the state, then comes back here
            return
        super().setVisible(visible)

    def setWindowState(self, state) -> None:  # noqa: N802 (Qt naming)
        """A state set by the caller replaces a maximising still pending from `fit_to_screen`."""
        self._maximize_when_shown = False
        super().setWindowState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        if self._slots:
            self.settings.setValue("window/page", self.nav.currentRow())
        if self.bus is not None and self.bus.period_code:
            self.settings.setValue("window/period", self.bus.period_code)
        self.settings.sync()

