"""What every page of the main window offers: refresh on data changes, save, undo, search, add, delete."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QWidget

from desktop.services.operations import Change
from desktop.ui.bus import DataBus


class Page(QWidget):
    """A page in the left navigation. Subclasses set `nav_label`, `changes`, and override what they support."""

    nav_label = ""  # "Tổng quan"
    slug = ""  # ASCII name used for screenshots: "tong-quan"
    changes: frozenset[Change] = frozenset()  # what the page shows: an operation changing any of it reloads the page
    refresh_later = False  # pages with in-place editors reload after the event that changed the data

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(parent)
        self.bus = bus
        self.undo_stack = QUndoStack(self)
        self._stale = True
        bus.changed.connect(self._on_changed)

    # --- data -----------------------------------------------------------------------------------
    def _on_changed(self, changes: frozenset[Change]) -> None:
        if changes & self.changes:
            self.mark_stale()

    def mark_stale(self) -> None:
        """What the page shows is out of date: reload now if it is on screen, else when it is shown."""
        self._stale = True
        if self.refresh_later:
            # A write may come from inside an editor that is closing: reload after this event.
            QTimer.singleShot(0, self, self._refresh_if_stale)  # context: not after the page is gone
        else:
            self._refresh_if_stale()

    def _refresh_if_stale(self) -> None:
        if self._stale and self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        """Reload what the page shows from the services (plain rows)."""
        self._stale = False

    @classmethod
    def read_data(cls, reader) -> object | None:
        """What the page shows first, as plain values read through `reader.read`/`reader.try_read`.

        The program calls this on its loading thread, before the page exists, so the first page has its
        data as soon as it is built: it must touch no widget. None (the default) means nothing preloaded;
        the page then reads its data itself when it is shown.
        """
        return None

    def show_data(self, data) -> None:
        """Fill the widgets from what `read_data` returned."""

    def show_preloaded(self, data) -> None:
        """Show data read on the loading thread; the page is up to date until the next change."""
        self.show_data(data)
        self._stale = False

    # --- commands the main window routes to the current page -------------------------------------
    def save(self) -> bool:
        """Ctrl+S: store pending edits; returns False when something could not be saved."""
        return True

    def has_unsaved_changes(self) -> bool:
        return False

    def focus_search(self) -> None:
        """Ctrl+F."""

    def new_item(self) -> None:
        """Ctrl+N."""

    def delete_item(self) -> None:
        """Delete."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        # The main window's actions normally take these keys; a page shown on its own (or a key the
        # window did not see) still answers the usual shortcuts.
        for key, command in ((QKeySequence.StandardKey.Save, self.save), (QKeySequence.StandardKey.New, self.new_item),
                             (QKeySequence.StandardKey.Find, self.focus_search),
                             (QKeySequence.StandardKey.Undo, self.undo_stack.undo),
                             (QKeySequence.StandardKey.Redo, self.undo_stack.redo)):
            if event.matches(key):
                command()
                return
        super().keyPressEvent(event)

    def prepare_screenshot(self) -> None:
        """Bring the page into a representative state before `khbc-gui --screenshot` grabs it."""
