"""Start-up marks for measuring (KHBC_STARTUP_MARKS=1): when the window is painted and when the first page has data.

The benchmark reads these lines from the real program, frozen or not; nothing is printed unless the variable is set.
With KHBC_STARTUP_MARKS=quit the program also ends once every page is built (for timing and peak memory runs).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

VARIABLE = "KHBC_STARTUP_MARKS"


def wanted() -> str:
    return os.environ.get(VARIABLE, "")


def mark(name: str) -> None:
    print(f"khbc-mark {name} {time.time():.6f} {time.process_time():.6f}", file=sys.stderr, flush=True)


class FirstPaint(QObject):
    """Marks the first paint of a widget or of anything inside it (a page is covered by its children)."""

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.widgets: list[QWidget] = []

    def watch(self, widget: QWidget) -> None:
        # The widget and each widget inside it, not the whole application: an application-wide filter would
        # see every event of the start-up and make PySide6 build classes the program itself never needs.
        self.widgets = [widget, *widget.findChildren(QWidget)]
        for each in self.widgets:
            each.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        if self.widgets and event.type() == QEvent.Type.Paint:
            for each in self.widgets:
                if isValid(each):  # a widget deleted meanwhile took its filter with it
                    each.removeEventFilter(self)
            self.widgets = []
            mark(self.name)
        return False


def install(window) -> None:
    """Print `painted`, `data` and `all_pages` marks for this main window when KHBC_STARTUP_MARKS is set."""
    how = wanted()
    if not how:
        return
    painted, data = FirstPaint("painted"), FirstPaint("data")
    window.khbc_marks = (painted, data)  # kept alive with the window
    painted.watch(window.loading)
    window.first_page_shown.connect(lambda: data.watch(window.stack.currentWidget()))

    def all_built() -> None:
        mark("all_pages")
        if how == "quit":
            window.close()

    window.all_pages_built.connect(all_built)
