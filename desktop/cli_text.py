"""Vietnamese wording for argparse's own messages, so the command line speaks one language."""

from __future__ import annotations

import argparse

_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "unrecognized arguments: %s": "tham số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "lựa chọn không hợp lệ: %(value)r (chọn một trong: %(choices)s)",
    "expected one argument": "cần một giá trị",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "show program's version number and exit": "hiện phiên bản rồi thoát",
}


def install_vietnamese_argparse() -> None:
    """Route argparse's gettext lookups through the Vietnamese table above."""
    original = argparse._  # type: ignore[attr-defined]

    def translate(message: str) -> str:
        return _ARGPARSE_VI.get(message, original(message))

    argparse._ = translate  # type: ignore[attr-defined]
