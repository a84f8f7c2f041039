"""Synthetic AdminDocument objects for testing the document writers without a database."""

from __future__ import annotations

from desktop.reporting.document import (
    AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature,
)

TASK_COLUMNS = (
    Column("TT", 0.5, "center"),
    Column("Nội dung nhiệm vụ", 3.0),
    Column("Đơn vị chủ trì", 1.3),
    Column("Đơn vị phối hợp", 1.5),
    Column("Thời gian thực hiện", 1.2, "center"),
    Column("Kết quả dự kiến", 1.4),
    Column("Tiến độ", 1.0, "center"),
    Column("Kết quả thực hiện trong kỳ", 2.6),
    Column("Sản phẩm/văn bản", 1.6),
    Column("Khó khăn, vướng mắc", 1.5),
)
TARGET_COLUMNS = (
    Column("TT", 0.5, "center"),
    Column("Chỉ tiêu", 4.0),
    Column("Mục tiêu", 1.2, "center"),
    Column("Kết quả kỳ báo cáo", 1.6, "center"),
    Column("Tỷ lệ đạt", 1.0, "center"),
)


def sample_task_rows(count: int) -> tuple[Row, ...]:
    rows: list[Row] = [Row(("I", "Công tác tuyên truyền, phổ biến"), "group")]
    for i in range(1, count + 1):
        rows.append(Row((
            str(i),
            f"Tuyên truyền bảo vệ trẻ em trên môi trường mạng trong toàn Sở, nhiệm vụ số {i}",
            "Văn phòng Sở",
            "Các phòng chuyên môn",
            "Quý III/2026",
            "Tài liệu tuyên truyền, hội nghị",
            "Đã hoàn thành" if i % 2 else "Đang thực hiện",
            "Đã tổ chức 02 hội nghị quán triệt cho 100% công chức, viên chức; đăng tải 05 tin bài.",
            "Công văn số 15/SXD-VP ngày 05/8/2026",
            "" if i % 3 else "Thiếu kinh phí in tài liệu",
        )))
    return tuple(rows)


def sample_report_document(task_count: int = 9) -> AdminDocument:
    note = "(Kèm theo Báo cáo số 12/BC-SXD ngày 08/12/2026 của Sở Xây dựng)"
    body = (
        Block("paragraph", "Thực hiện Kế hoạch số 255/KH-UBND ngày 18/6/2026 của UBND tỉnh, Sở Xây dựng báo cáo kết quả thực hiện năm 2026 như sau:"),
        Block("heading1", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI"),
        Block("paragraph", "Sở Xây dựng đã ban hành Kế hoạch số 120/KH-SXD ngày 25/6/2026 triển khai thực hiện Chương trình."),
        Block("heading1", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ"),
        Block("heading2", "1. Công tác tuyên truyền"),
        Block("paragraph", "Trong kỳ, Sở đã hoàn thành 5/9 nhiệm vụ; 3 nhiệm vụ đang thực hiện; 1 nhiệm vụ chậm tiến độ."),
        Block("bullet", "Tuyên truyền bảo vệ trẻ em trên môi trường mạng: đã tổ chức 02 hội nghị <quán triệt> & phổ biến."),
        Block("heading1", "III. ĐÁNH GIÁ CHUNG"),
        Block("heading2", "1. Ưu điểm"),
        Block("paragraph", "Các nhiệm vụ được triển khai kịp thời, đúng tiến độ."),
        Block("heading2", "2. Tồn tại, hạn chế"),
        Block("paragraph", "Nhiệm vụ cử đầu mối phối hợp chưa hoàn thành đúng hạn."),
        Block("heading1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"),
        Block("paragraph", "Tiếp tục thực hiện các nhiệm vụ thường xuyên."),
        Block("heading1", "V. ĐỀ XUẤT, KIẾN NGHỊ"),
        Block("paragraph", "Đề nghị Công an tỉnh tổ chức tập huấn chuyên sâu."),
    )
    return AdminDocument(
        letterhead=Letterhead("UBND TỈNH ĐẮK LẮK", "SỞ XÂY DỰNG", "Số: 12/BC-SXD",
                              "Đắk Lắk, ngày 08 tháng 12 năm 2026"),
        doc_type="BÁO CÁO",
        summary="Kết quả thực hiện Kế hoạch triển khai Chương trình \"Bảo vệ và hỗ trợ trẻ em phát triển trên môi trường mạng giai đoạn 2026-2030\" năm 2026",
        body=body,
        recipients=("Công an tỉnh;", "GĐ, các PGĐ Sở;", "Lưu: VT, VP."),
        signature=Signature("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Công Du"),
        appendices=(
            Appendix("Biểu 01", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ", note, TASK_COLUMNS,
                     sample_task_rows(task_count), True, "Bieu01_NhiemVu"),
            Appendix("Biểu 02", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", note, TARGET_COLUMNS, (
                Row(("1", "Công chức, viên chức được tuyên truyền, phổ biến kiến thức", "100%", "95%", "95,0%")),
                Row(("2", "=HYPERLINK(\"http://x\") hệ thống CNTT được quản lý an toàn", "100%", "100%", "100,0%")),
            ), False, "Bieu02_ChiTieu"),
        ),
        title="Báo cáo kết quả thực hiện Kế hoạch năm 2026",
        author="Sở Xây dựng",
    )
