"""Reading the audit trail: the history of an item (or of everything) as plain rows, and its export to Excel."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import AuditEntry, Progress, TargetFigure, Unit
from desktop.domain.audit_actions import AUDIT_ACTION_LABELS
from desktop.domain.task_state import PROGRESS_STATUS_LABELS
from desktop.errors import InvalidInputError

DEFAULT_LIMIT = 1000
ENTITY_LABELS = {
    "plan": "Kế hoạch", "task": "Nhiệm vụ", "task_group": "Nhóm nhiệm vụ", "progress": "Kết quả thực hiện",
    "evidence": "Minh chứng", "target": "Chỉ tiêu", "target_figure": "Kết quả chỉ tiêu", "report": "Báo cáo",
    "period": "Kỳ báo cáo", "department": "Cơ quan", "unit": "Đơn vị", "setting": "Cài đặt",
    "submission": "Gói báo cáo đã nhận", "expected_unit": "Đơn vị phải báo cáo",
}
FIELD_LABELS = {
    "content": "Nội dung", "number": "Số", "title": "Tên", "status": "Tình trạng", "result": "Kết quả",
    "figures": "Số liệu", "difficulties": "Khó khăn, vướng mắc", "proposals": "Đề xuất, kiến nghị",
    "updated_by": "Người cập nhật", "evidence": "Minh chứng", "lead_unit_id": "Đơn vị chủ trì",
    "cooperating_units": "Đơn vị phối hợp", "timeframe_text": "Thời gian thực hiện",
    "expected_output": "Kết quả dự kiến", "note": "Ghi chú", "group_id": "Nhóm nhiệm vụ", "position": "Thứ tự",
    "value_text": "Kết quả đạt được", "value": "Giá trị số", "goal_text": "Chỉ tiêu đề ra",
    "goal_value": "Giá trị chỉ tiêu", "measure_unit": "Đơn vị tính", "target": "Chỉ tiêu", "issued_on": "Ngày ban hành",
    "direction": "I. Chỉ đạo, triển khai",
    "results": "II. Kết quả thực hiện", "assessment": "III. Đánh giá chung", "next_steps": "IV. Phương hướng kỳ tới",
    "recipients": "Nơi nhận", "signer_name": "Người ký", "signer_title": "Chức vụ người ký",
    "signer_authority": "Thẩm quyền ký", "sent_at": "Đã gửi", "reopened_at": "Mở lại", "period": "Kỳ báo cáo",
    "copied_from": "Sao chép từ kỳ", "file_name": "Tệp", "name": "Tên", "short_name": "Tên viết tắt",
    "is_internal": "Đơn vị thuộc cơ quan", "user_name": "Tên người dùng", "report_font_path": "Phông chữ báo cáo",
    "program": "Chương trình", "basis_documents": "Căn cứ", "purposes": "Mục đích", "requirements": "Yêu cầu",
    "goals": "Mục tiêu", "organization": "Tổ chức thực hiện", "start_year": "Năm bắt đầu", "end_year": "Năm kết thúc",
    "schedule": "Lịch báo cáo", "report_to": "Nơi nhận báo cáo", "preamble": "Phần mở đầu",
    "tasks_and_solutions": "Nhiệm vụ, giải pháp", "parent_agency": "Cơ quan chủ quản", "name_in_text": "Tên trong câu",
    "abbreviation": "Chữ viết tắt", "unit_code": "Mã đơn vị", "place_name": "Địa danh",
    "default_recipients": "Nơi nhận của kế hoạch", "active": "Còn theo dõi", "version": "Phiên bản",
}
XLSX_HEADERS = ("Thời gian", "Người sửa", "Thao tác", "Mục", "Mã mục", "Trường", "Giá trị cũ", "Giá trị mới")


@dataclass(frozen=True)
class AuditRow:
    """One change, ready to show: when (local time), who, what was done to which item, field, old and new."""

    id: int
    at: datetime
    user: str
    action: str
    action_label: str
    entity: str
    entity_label: str
    entity_id: int | None
    field: str
    field_label: str
    old_value: str
    new_value: str

    def cells(self) -> tuple[str, ...]:
        """The row as the dialog and the Excel file show it (the XLSX_HEADERS columns)."""
        return (self.at.strftime("%d/%m/%Y %H:%M:%S"), self.user, self.action_label, self.entity_label,
                "" if self.entity_id is None else str(self.entity_id), self.field_label, self.old_value,
                self.new_value)

    def to_json(self) -> dict:
        return {"id": self.id, "at": self.at.isoformat(), "user": self.user, "action": self.action,
                "entity": self.entity, "entity_id": self.entity_id, "field": self.field,
                "old_value": self.old_value, "new_value": self.new_value}


def _display(session: Session, field: str, value: str | None, units: dict[str, str]) -> str:
    """Stored text made readable: status codes as their labels, unit ids as unit names."""
    if value is None:
        return ""
    if field == "status":
        return PROGRESS_STATUS_LABELS.get(value, value)
    if field == "lead_unit_id" and value.isdigit():
        if value not in units:
            units[value] = session.scalar(select(Unit.name).where(Unit.id == int(value))) or f"đơn vị số {value}"
        return units[value]
    if field in ("is_internal", "active") and value in ("True", "False"):
        return "Có" if value == "True" else "Không"
    return value


def _related(session: Session, entity: str, entity_id: int):
    """An item's own entries and, for a task or a target, those of its results in every period."""
    own = (AuditEntry.entity == entity) & (AuditEntry.entity_id == entity_id)
    if entity == "task":
        ids = list(session.scalars(select(Progress.id).where(Progress.task_id == entity_id)))
        return or_(own, (AuditEntry.entity == "progress") & AuditEntry.entity_id.in_(ids)) if ids else own
    if entity == "target":
        ids = list(session.scalars(select(TargetFigure.id).where(TargetFigure.target_id == entity_id)))
        return or_(own, (AuditEntry.entity == "target_figure") & AuditEntry.entity_id.in_(ids)) if ids else own
    return own


def list_audit(session: Session, entity: str | None = None, entity_id: int | None = None,
               limit: int | None = DEFAULT_LIMIT, related: bool = True) -> list[AuditRow]:
    """The audit trail, newest first: everything, one kind of item, or one item (with its results when `related`)."""
    if entity_id is not None and entity is None:
        raise InvalidInputError("Hãy cho biết loại mục (ví dụ task) khi chọn mục theo số.")
    if limit is not None and limit < 1:
        raise InvalidInputError("Số dòng nhật ký cần xem phải lớn hơn 0.")
    query = select(AuditEntry)
    if entity is not None and entity_id is not None:
        query = query.where(_related(session, entity, entity_id) if related else
                            (AuditEntry.entity == entity) & (AuditEntry.entity_id == entity_id))
    elif entity is not None:
        query = query.where(AuditEntry.entity == entity)
    query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if limit is not None:
        query = query.limit(limit)
    units: dict[str, str] = {}
    return [AuditRow(e.id, e.at.astimezone(), e.user_name, e.action, AUDIT_ACTION_LABELS.get(e.action, e.action),
                     e.entity, ENTITY_LABELS.get(e.entity, e.entity), e.entity_id, e.field, FIELD_LABELS.get(e.field, e.field),
                     _display(session, e.field, e.old_value, units), _display(session, e.field, e.new_value, units))
            for e in session.scalars(query)]


def write_audit_xlsx(rows: list[AuditRow], out_path: str | os.PathLike, title: str = "Nhật ký thay đổi") -> Path:
    """Write rows to an Excel file atomically; every cell is literal text (never a formula)."""
    target = Path(out_path)
    if target.suffix.lower() != ".xlsx":
        raise InvalidInputError(f"Tệp Excel phải có đuôi .xlsx (nhận được \"{target.name}\").")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from desktop.fileio import atomic_path
    from desktop.reporting.office_text import clean_text

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhat ky"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    for col, header in enumerate(XLSX_HEADERS, start=1):
        cell = sheet.cell(row=2, column=col, value=header)
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row.cells(), start=1):
            text = clean_text(value)[:32_000]
            if not text:
                continue
            cell = sheet.cell(row=r, column=col)
            cell.value = text
            cell.data_type = "s"  # openpyxl would take "=…" for a formula and "#N/A" for an error
            if text[0] in "=+-@":
                cell.quotePrefix = True
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGH", (19, 18, 10, 18, 8, 22, 45, 45)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    with atomic_path(target) as tmp:
        workbook.save(tmp)
    return target


def export_audit_xlsx(workspace, out_path: str | os.PathLike, entity: str | None = None,
                      entity_id: int | None = None, limit: int | None = None) -> Path:
    """The audit trail (all, a kind of item, or one item with its results) as an Excel file."""
    with workspace.read() as session:
        rows = list_audit(session, entity, entity_id, limit)
    title = "Nhật ký thay đổi"
    if entity is not None:
        title += f" – {ENTITY_LABELS.get(entity, entity)}" + (f" số {entity_id}" if entity_id is not None else "")
    return write_audit_xlsx(rows, out_path, title)
