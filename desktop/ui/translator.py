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
    # the non-native file dialog (Linux and others; Windows shows its own, in the system's language)
    "&Look in:": "&Tìm trong:", "Files of &type:": "&Loại tệp:", "Directories": "Thư mục", "Directory": "Thư mục",
    "File": "Tệp", "File Folder": "Thư mục", "Folder": "Thư mục", "Drive": "Ổ đĩa", "Unknown": "Không rõ",
    "&Open": "&Mở", "&Save": "&Lưu", "Recent Places": "Nơi mở gần đây", "Find Directory": "Chọn thư mục",
    "Show ": "Hiện ", "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nGhi đè lên tệp đó?",
    "Are you sure you want to delete '%1'?": "Xóa '%1'?",
    "Could not delete directory.": "Không xóa được thư mục.",
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp.",
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
    # the non-native print dialog
    "&Name:": "&Tên:", "P&roperties": "&Thuộc tính", "Location:": "Vị trí:", "Type:": "Loại:",
    "Output &file:": "&Tệp ghi ra:", "Local file": "Tệp trên máy", "Write PDF file": "Ghi ra tệp PDF",
    "Options": "Tùy chọn", "Output Settings": "Cài đặt in", "Copies:": "Số bản:", "Collate": "Xếp theo bộ",
    "Reverse": "In ngược thứ tự", "Print range": "Phạm vi in", "Print all": "In tất cả", "Pages from": "Các trang từ",
    "to": "đến", "Selection": "Phần đang chọn", "Current Page": "Trang hiện tại", "Page &Set:": "&Nhóm trang:",
    "All Pages": "Mọi trang", "Odd Pages": "Trang lẻ", "Even Pages": "Trang chẵn", "Color Mode": "Màu",
    "Color": "Màu", "Grayscale": "Đen trắng", "Duplex Printing": "In hai mặt", "None": "Không",
    "Long side": "Lật theo cạnh dài", "Short side": "Lật theo cạnh ngắn", "Automatic": "Tự động",
    "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated by a hyphen. "
    "E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.":
        "Ghi các trang hoặc khoảng trang, cách nhau bởi dấu phẩy; khoảng trang là hai số nối bằng dấu gạch. "
        "Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9.",
    "Print to File ...": "In ra tệp…", "Print To File ...": "In ra tệp…", "Page": "Trang", "Paper": "Giấy",
    "Page size:": "Khổ giấy:", "Width:": "Rộng:", "Height:": "Cao:", "Paper source:": "Khay giấy:",
    "Orientation": "Hướng giấy", "Portrait": "Dọc", "Landscape": "Ngang", "Reverse landscape": "Ngang ngược",
    "Reverse portrait": "Dọc ngược", "Margins": "Lề", "top margin": "lề trên", "left margin": "lề trái",
    "right margin": "lề phải", "bottom margin": "lề dưới", "Page Layout": "Bố cục trang", "Pages per sheet:":
        "Số trang mỗi tờ:", "Page order:": "Thứ tự trang:", "Custom": "Tùy chỉnh", "Advanced": "Nâng cao",
    "Job": "Lệnh in", "Job Options": "Tùy chọn lệnh in", "Print current page": "In trang hiện tại",
    "Print selection": "In phần đang chọn", "Print range:": "Phạm vi in:", "Print": "In", "&Print": "&In",
    "Write out to a file instead of printing": "Ghi ra tệp thay vì in",
    # the print dialog's "Thuộc tính" sub-dialog (paper, layout)
    "Printer Properties": "Thuộc tính máy in", "Pages &per sheet:": "Số trang mỗi &tờ:",
    "Page &order:": "Thứ tự tr&ang:", "Left to Right, Top to Bottom": "Trái sang phải, trên xuống dưới",
    "Left to Right, Bottom to Top": "Trái sang phải, dưới lên trên",
    "Right to Left, Bottom to Top": "Phải sang trái, dưới lên trên",
    "Right to Left, Top to Bottom": "Phải sang trái, trên xuống dưới",
    "Bottom to Top, Left to Right": "Dưới lên trên, trái sang phải",
    "Bottom to Top, Right to Left": "Dưới lên trên, phải sang trái",
    "Top to Bottom, Left to Right": "Trên xuống dưới, trái sang phải",
    "Top to Bottom, Right to Left": "Trên xuống dưới, phải sang trái",
    "Millimeters (mm)": "Milimét (mm)", "Inches (in)": "Inch (in)", "Points (pt)": "Điểm (pt)",
}
ENVELOPE = "Envelope "  # QPageSize's envelope sizes ("Envelope DL"); other paper names are kept as printed on paper


class VietnameseTranslator(QTranslator):
    """Answers Qt's own lookups from the table above; everything else stays as written."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: ARG002 (Qt signature)
        # None is Qt's "no translation" (the source text is used); an empty string would blank the text.
        if source_text and source_text.startswith(ENVELOPE) and source_text not in VIETNAMESE:
            return "Phong bì " + source_text[len(ENVELOPE):]
        return VIETNAMESE.get(source_text)

    def isEmpty(self) -> bool:  # noqa: N802 (Qt naming)
        return False


def install(app: QCoreApplication) -> VietnameseTranslator:
    """Install on the application; keep the returned object alive as long as the application."""
    translator = VietnameseTranslator(app)
    app.installTranslator(translator)
    return translator
