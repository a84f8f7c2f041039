"""PyInstaller runtime hook for khbc (the console program): PyInstaller's PySide6 set-up, minus importing Qt at start.

PyInstaller's own pyi_rth_pyside6 imports PySide6.QtCore in every process (to register a qt.conf
resource), which costs the command line ~0.1 s and ~18 MB on each run although only `khbc gui`
needs Qt. This hook sets the same environment at once and registers qt.conf right after QtCore is
first imported. khbc.spec uses it for khbc only; khbc-gui keeps PyInstaller's hook.
"""


def _pyi_rthook():
    import os
    import sys

    from _pyi_rth_utils import prepend_path_to_environment_variable

    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")

    class AfterQtCore:
        """A meta path finder that finds nothing itself; it wraps the loader of PySide6.QtCore to finish
        the Qt set-up once that module has loaded."""

        def find_spec(self, name, path=None, target=None):
            if name != "PySide6.QtCore":
                return None
            import importlib.util

            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(name)
            if spec is None or spec.loader is None:
                return spec
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                from _pyi_rth_utils import qt

                qt.ensure_single_qt_bindings_package("PySide6")
                qt.create_embedded_qt_conf("PySide6", qt_path)

            spec.loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, AfterQtCore())


_pyi_rthook()
del _pyi_rthook
