"""Errors that carry a plain Vietnamese message meant for the user, raised by every layer below the UI."""


class KhbcError(Exception):
    """A failure the user can understand: `message` is Vietnamese and says what to do next."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(KhbcError):
    """Something the user named (a period, a task, a plan) does not exist."""


class InvalidInputError(KhbcError):
    """A value the user gave cannot be accepted as it is."""


class DatabaseError(KhbcError):
    """The database file cannot be opened, is locked, or was made by a newer program."""


class FontNotFoundError(KhbcError):
    """No TrueType font that covers Vietnamese could be found for the documents."""


class PeriodLockedError(KhbcError):
    """The period was sent and must be reopened before its data may change."""


class StaleReportError(KhbcError):
    """The report's stored text is older than the period's results: sealing it needs an explicit confirmation."""


_OS_REASONS = {
    "ENAMETOOLONG": "tên tệp hoặc thư mục quá dài (mỗi tên tối đa 255 byte; chữ có dấu chiếm 2–3 byte)",
    "ENOSPC": "ổ đĩa đã đầy",
    "EDQUOT": "đã hết hạn mức dung lượng được cấp trên ổ đĩa",
    "EROFS": "ổ đĩa hoặc thư mục chỉ cho phép đọc, không ghi được",
    "EACCES": "không có quyền truy cập",
    "EPERM": "không được phép thao tác",
    "ENOENT": "không tồn tại",
    "EISDIR": "đây là một thư mục, không phải tệp",
    "ENOTDIR": "một phần của đường dẫn không phải thư mục",
    "EEXIST": "đã có tệp trùng tên",
    "EIO": "lỗi đọc/ghi ổ đĩa (ổ đĩa bị rút ra hoặc hỏng)",
    "EBUSY": "đang được chương trình khác dùng",
    "ELOOP": "đường dẫn có vòng liên kết",
    "EINVAL": "đường dẫn không hợp lệ",
    "EMFILE": "quá nhiều tệp đang mở",
    "ETXTBSY": "đang được chương trình khác dùng",
    "EXDEV": "không chuyển được giữa hai ổ đĩa",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Vietnamese (never the system's English text)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _OS_REASONS:
        return _OS_REASONS[name]
    if isinstance(exc, PermissionError):
        return _OS_REASONS["EACCES"]
    if isinstance(exc, FileNotFoundError):
        return _OS_REASONS["ENOENT"]
    return f"lỗi hệ thống{f' (mã {exc.errno})' if exc.errno else ''}"


def os_error_message(exc: OSError, action: str = "Không thực hiện được thao tác với tệp") -> str:
    """A whole sentence for an OSError: what failed, on which file, and why."""
    where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
    return f"{action}{where}: {os_reason(exc)}."
