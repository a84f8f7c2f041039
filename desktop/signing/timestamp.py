"""An optional time-stamping authority (B-T): used only when one is configured and answers; never required."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def reachable_timestamper(url: str, timeout: float = 5.0):
    """A pyHanko time stamper for `url`, or None when none is set or it does not answer (then the signature is B-B)."""
    url = (url or "").strip()
    if not url:
        return None
    import asyncio

    from pyhanko.sign.timestamps import HTTPTimeStamper

    stamper = HTTPTimeStamper(url, timeout=int(timeout))
    try:
        asyncio.run(stamper.async_dummy_response("sha256"))
    except Exception as exc:  # noqa: BLE001 - any network or protocol failure means "not reachable"
        log.warning("Máy chủ cấp dấu thời gian %s không trả lời (%s); ký không có dấu thời gian.", url, type(exc).__name__)
        return None
    return HTTPTimeStamper(url, timeout=int(timeout))  # a fresh client: the probe's belongs to a closed event loop
