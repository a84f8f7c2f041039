"""A PDF signed outside KHBC, taken back: it must be the exported document plus signatures, nothing else."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from desktop.errors import os_reason
from desktop.signing.errors import SigningError
from desktop.signing.validate import INVALID, UNSIGNED, SignatureCheck, check_pdf

MAX_SIGNED_BYTES = 100 * 1024 * 1024


def read_signed_file(path: Path) -> bytes:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_SIGNED_BYTES:
            raise SigningError(f"Tệp {path.name} quá lớn cho một báo cáo đã ký (trên 100 MB).")
        return path.read_bytes()
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp {path}: {os_reason(exc)}.") from None


def _signed_ranges(signed: bytes) -> list[tuple[int, int, int, int]]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        signatures = PdfFileReader(BytesIO(signed), strict=False).embedded_signatures
        return [tuple(int(v) for v in s.byte_range) for s in signatures]
    except Exception:  # noqa: BLE001
        raise SigningError("Tệp đã ký không phải tệp PDF đọc được.") from None


def check_external(exported: bytes, signed: bytes, trust: Path | None = None) -> SignatureCheck:
    """Accept `signed` only if it is `exported`, unchanged, followed by incremental updates carrying valid signatures.

    Returns the verdict of the first signature that covers the exported bytes (it may be "untrusted" when this
    office has not installed its own CA as trusted); raises SigningError with the reason otherwise.
    """
    if signed == exported:
        raise SigningError("Tệp này chưa có chữ ký số: đó vẫn là bản KHBC đã xuất để ký. Hãy ký bằng công cụ ký số "
                           "rồi gắn tệp đã ký.")
    if not signed.startswith(exported):
        raise SigningError("Tệp đã ký không phải bản KHBC đã xuất để ký, hoặc nội dung đã bị sửa trước khi ký (phần đầu "
                           "tệp không trùng với bản đã xuất). Hãy ký đúng tệp đã xuất, không mở ra sửa, rồi gắn lại.")
    ranges = _signed_ranges(signed)
    if not ranges:
        raise SigningError("Tệp đã ký không có chữ ký số nào (có thể công cụ chỉ lưu lại tệp mà không ký).")
    covering = [i for i, (start, first_len, _, _) in enumerate(ranges) if start == 0 and first_len >= len(exported)]
    if not covering:
        raise SigningError("Chữ ký số trong tệp chỉ bao phủ một phần văn bản đã xuất; không nhận tệp này.")
    checks = check_pdf(signed, trust)
    if any(c.state == UNSIGNED for c in checks):
        raise SigningError("Tệp đã ký không có chữ ký số hợp lệ.")
    bad = [c for c in checks if c.state == INVALID]
    if bad:
        raise SigningError("Không nhận tệp đã ký: " + bad[0].message)
    return checks[covering[0]]
