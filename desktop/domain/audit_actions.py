"""What an audit entry says was done: the allowed action codes (the database checks them) and their labels."""

from __future__ import annotations

AUDIT_ACTION_LABELS: dict[str, str] = {
    "create": "Thêm",
    "update": "Sửa",
    "delete": "Xóa",
    "reopen": "Mở lại kỳ",
    "export": "Xuất gói",
    "import": "Nhập từ tệp",
    "draft": "Soạn tự động",
}
AUDIT_ACTIONS: tuple[str, ...] = tuple(AUDIT_ACTION_LABELS)
