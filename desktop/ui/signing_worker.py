"""Runs a slow ký số service (signing, sealed export) away from the window's thread; hands back a result or a message."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from desktop.errors import KhbcError

log = logging.getLogger(__name__)


class ServiceWorker(QThread):
    """One call of `action(*args, **kwargs)`; the service opens its own unit of work, so no session crosses threads.

    `succeeded` carries the service's plain result, `failed` a Vietnamese message (the service's own, or `failure`
    for an unexpected error, whose English text goes to the log only).
    """

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, action: Callable[..., Any], *args: Any, failure: str, parent=None, **kwargs: Any):
        super().__init__(parent)
        self.action, self.args, self.kwargs, self.failure = action, args, kwargs, failure

    def run(self) -> None:
        try:
            result = self.action(*self.args, **self.kwargs)
        except KhbcError as exc:
            self.failed.emit(exc.message)
        except Exception:  # noqa: BLE001 — the clerk must see a message, never a silent dead thread
            log.exception("ký số: unexpected failure")
            self.failed.emit(self.failure)
        else:
            self.succeeded.emit(result)
        finally:
            self.args, self.kwargs = (), {}  # drop the PIN as soon as the call is over
