"""One window per data file: a second start refuses before any window and brings the running window forward."""

from __future__ import annotations

import os
import zlib

WAKE = b"show\n"


def _network():
    """QtNetwork's local sockets, or None where the module is left out (the frozen program's size rules):
    then the second copy still refuses before any window, only without bringing the first one forward."""
    try:
        from PySide6 import QtNetwork
    except ImportError:
        return None
    return QtNetwork


def server_name(db_path: str | os.PathLike) -> str:
    """A local socket name for this data file (the same file gives the same name in every process)."""
    resolved = os.path.normcase(os.path.abspath(os.fspath(db_path))).encode("utf-8")
    # Two 32-bit checksums, not hashlib: loading OpenSSL would delay the first paint, and a name only
    # needs to differ between the few data files of one computer (the lock, not the name, guards the data).
    return f"khbc-{zlib.crc32(resolved):08x}{zlib.adler32(resolved):08x}"


def wake_running_window(db_path, timeout_ms: int = 800) -> bool:
    """Ask the KHBC window already open on this file to come to the front; True when one answered."""
    network = _network()
    if network is None:
        return False
    socket = network.QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(WAKE)
    socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return True


def bring_to_front(window) -> None:
    from PySide6.QtCore import Qt

    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()


def listen_for_wakes(window, db_path):
    """Serve wake requests for this file while the window lives (a stale name left by a crash is cleared)."""
    network = _network()
    if network is None:
        return None
    server = network.QLocalServer(window)
    name = server_name(db_path)
    if not server.listen(name):
        network.QLocalServer.removeServer(name)  # only reached when no live window answers on it (we hold the lock)
        if not server.listen(name):
            return None

    def accept() -> None:
        while server.hasPendingConnections():
            connection = server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: c.readAll() and bring_to_front(window))
            connection.disconnected.connect(connection.deleteLater)

    server.newConnection.connect(accept)
    window.single_instance_server = server
    return server


def refuse_second_copy(target: str | None) -> bool:
    """Before any window: when another KHBC holds this data file, say so plainly (bringing its window forward
    when it is a window) and return True, so this copy stops without covering it with an empty window."""
    from desktop.services.instance_lock import current_holder, in_use_message
    from desktop.services.locations import plain_sqlite_path, resolve_database

    try:
        location = resolve_database(target)
        path = plain_sqlite_path(location)  # a plain path needs no SQLAlchemy (start-up stays light)
        if path is None and location.startswith("sqlite:"):
            from db.engine import sqlite_file

            path = sqlite_file(location)
    except Exception:  # a malformed target is reported by the normal opening path
        return False
    if path is None:
        return False
    holder = current_holder(path)
    if holder is None:
        return False
    from PySide6.QtWidgets import QMessageBox  # only now: its enum classes would delay every first paint

    woke = wake_running_window(path)
    text = in_use_message(holder, for_write=False)
    if woke:
        text += "\n\nCửa sổ đó đã được đưa lên trước."
    box = QMessageBox(QMessageBox.Icon.Information, "KHBC đang mở", text)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
    return True
