"""Vietnamese wording for argparse's own messages, so the command line speaks one language."""

from __future__ import annotations

import argparse
import re

# user:password@ in a database URL typed where it does not belong: argparse would echo it back.
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")

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
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "lệnh không có: %(parser_name)r (chọn một trong: %(choices)s)",
    "not allowed with argument %s": "không dùng cùng với tham số %s",
    "ignored explicit argument %r": "tùy chọn này không nhận giá trị (bỏ qua %r)",
    "one of the arguments %s is required": "cần một trong các tham số %s",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "expected at least one argument": "cần ít nhất một giá trị",
    "unexpected option string: %s": "tùy chọn không đúng chỗ: %s",
    "can't open '%(filename)s': %(error)s": "không mở được '%(filename)s': %(error)s",
}
_ARGPARSE_VI_PLURAL = {"expected %s argument": "cần %s giá trị"}


def install_vietnamese_argparse() -> None:
    """Route argparse's gettext lookups through the Vietnamese table above."""
    original = argparse._  # type: ignore[attr-defined]
    if getattr(original, "khbc", False):
        return  # installed already

    def translate(message: str) -> str:
        return _ARGPARSE_VI.get(message, original(message))

    translate.khbc = True  # type: ignore[attr-defined]
    argparse._ = translate  # type: ignore[attr-defined]
    original_plural = argparse.ngettext  # type: ignore[attr-defined]

    def translate_plural(singular: str, plural: str, count: int) -> str:
        return _ARGPARSE_VI_PLURAL.get(singular) or original_plural(singular, plural, count)

    argparse.ngettext = translate_plural  # type: ignore[attr-defined]


def hide_url_passwords(text: str) -> str:
    """`postgresql://user:secret@host/db` -> `postgresql://user:***@host/db`, anywhere in `text`."""
    return _URL_PASSWORD.sub(r"\1***@", text)


class KhbcArgumentParser(argparse.ArgumentParser):
    """argparse with Vietnamese messages that never repeat a database password the user typed."""

    def error(self, message: str):  # noqa: D102 (argparse's)
        super().error(hide_url_passwords(message))
