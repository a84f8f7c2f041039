"""KHBC's PySide6 user interface: the only package that imports Qt."""

from desktop.ui.qt_compat import keep_singletons_alive

keep_singletons_alive()
