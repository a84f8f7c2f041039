"""Vietnamese for the words Qt draws itself (dialog buttons, edit menus, file dialogs); Qt ships no Vietnamese."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

# Source strings as Qt writes them (with their & accelerators), by meaning; the context is ignored
# because the same word appears in several Qt classes.
VIETNAMESE = {
    "OK": "Đồng ý", "&OK": "Đồ&ng ý", "Save": "Lưu", "&Save": "&Lưu", "Save All": "Lưu tất cả",
    "Open": "Mở", "&Open": "&Mở", "&Yes": "&Có", "Yes": "Có", "Yes to &All": "Có cho tất &cả",
    "&No": "&Không", "No": "Không", "N&o to All": "Khô&ng cho tất cả", "Abort": "Dừng", "Retry": "Thử lại",
    "Ignore": "Bỏ qua", "Close": "Đóng", "Cancel": "Hủy", "&Cancel": "&Hủy", "Discard": "Bỏ thay đổi",
    "Don't Save": "Không lưu", "Close without Saving": "Đóng không lưu", "Help": "Trợ giúp", "&Help": "&Trợ giúp",
    "Apply": "Áp dụng", "Reset": "Đặt lại", "Restore Defaults": "Khôi phục mặc định",
    "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "Cắ&t", "&Copy": "&Sao chép", "&Paste": "&Dán",
    "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Sao chép địa chỉ liên &kết",
    "< &Back": "< &Quay lại", "&Next >": "&Tiếp >", "&Finish": "&Hoàn tất", "&Next": "&Tiếp", "Go Back": "Quay lại",
    "Continue": "Tiếp tục", "Commit": "Ghi", "Done": "Xong",
    "Look in:": "Tìm trong:", "File &name:": "&Tên tệp:", "Files of type:": "Loại tệp:", "Directory:": "Thư mục:",
    "&Choose": "&Chọn", "Choose": "Chọn", "All Files (*)": "Mọi tệp (*)", "Detail View": "Xem chi tiết",
    "List View": "Xem danh sách", "Back": "Quay lại", "Forward": "Tiến", "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới", "New Folder": "Thư mục mới", "&New Folder": "Thư mục &mới",
    "&Rename": "Đổi &tên", "&Delete": "&Xóa", "Show &hidden files": "Hiện tệp ẩ&n", "Name": "Tên", "Size": "Cỡ",
    "Type": "Loại", "Date Modified": "Ngày sửa", "My Computer": "Máy tính", "Computer": "Máy tính",
    "Print": "In", "&Print": "&In", "Properties": "Thuộc tính", "Printer": "Máy in", "&Options >>": "&Tùy chọn >>",
    "&Options <<": "&Tùy chọn <<", "Print to File (PDF)": "In ra tệp (PDF)", "Copies": "Số bản",
    "Pages": "Trang", "Page Setup": "Thiết lập trang",
}


class VietnameseTranslator(QTranslator):
    """Answers Qt's own lookups from the table above; everything else stays as written."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 (Qt signature)
        # None is Qt's "no translation" (the source text is used); an empty string would blank the text.
        return VIETNAMESE.get(source_text)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt naming)
        return False


def install(app: QCoreApplication) -> VietnameseTranslator:
    """Install on the application; keep the returned object alive as long as the application."""
    translator = VietnameseTranslator(app)
    app.installTranslator(translator)
    return translator
