"""The signing failures, each with a plain Vietnamese message, and the translation of library errors into them."""

from __future__ import annotations

from desktop.errors import KhbcError


class SigningError(KhbcError):
    """Signing could not be done; nothing already saved was changed."""


def token_error_message(exc: BaseException) -> str:
    """A Vietnamese explanation of a python-pkcs11 / pyHanko token failure (never the library's English text)."""
    name = type(exc).__name__
    text = str(exc)
    if name in ("PinIncorrect", "PinInvalid", "PinLenRange"):
        return "Mã PIN của thiết bị ký số (USB token) không đúng. Hãy nhập lại; nhập sai nhiều lần token có thể bị khóa."
    if name == "PinLocked":
        return "Thiết bị ký số đã bị khóa vì nhập sai mã PIN quá số lần cho phép. Hãy liên hệ nơi cấp chứng thư số để mở khóa."
    if name == "PinExpired":
        return "Mã PIN của thiết bị ký số đã hết hạn; hãy đổi mã PIN bằng công cụ của nhà cung cấp token."
    if name in ("TokenNotPresent", "DeviceRemoved", "PKCS11Error", "ObjectHandleInvalid", "KeyHandleInvalid", "SessionClosed", "SessionHandleInvalid", "TokenNotRecognised",
                "DeviceError", "SlotIDInvalid"):
        return ("Không còn kết nối với thiết bị ký số (USB token bị rút ra hoặc không nhận). Hãy cắm lại token rồi ký lại; "
                "báo cáo chưa được ký và không có gì bị thay đổi.")
    if "No token" in text or name == "NoSuchToken":
        return "Không tìm thấy thiết bị ký số (USB token). Hãy cắm token vào máy và kiểm tra đường dẫn thư viện PKCS#11 trong Cài đặt."
    if name in ("NoSuchKey", "MultipleObjectsReturned"):
        return "Không tìm thấy khóa ký trên thiết bị ký số (hoặc có nhiều khóa mà chưa chọn nhãn khóa trong Cài đặt)."
    if name == "UserNotLoggedIn":
        return "Chưa đăng nhập được vào thiết bị ký số: hãy nhập mã PIN."
    return f"Thiết bị ký số báo lỗi ({name}). Hãy rút token ra, cắm lại rồi thử lại; báo cáo chưa được ký."
