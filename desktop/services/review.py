"""Review and receipts: the receiving side accepts or returns a report and exports a receipt; the sender imports it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Department, Export, ExportReceipt, Period, Submission
from desktop.bundle import receipt as rc
from desktop.bundle.display import show_name
from desktop.bundle.package_data import UNIT_CODE
from desktop.domain.text import nfc, strip_control
from desktop.errors import InvalidInputError, NotFoundError
from desktop.services import audit
from desktop.services.bundles import _later_than, now_local
from desktop.services.queries import current_plan, is_sent
from desktop.services.workspace import Workspace

REVIEW_LABELS = {"pending": "Chờ xem xét", "accepted": "Đã tiếp nhận", "returned": "Đã trả lại"}
DEFAULT_RECEIVER = "Cơ quan tiếp nhận"


@dataclass(frozen=True)
class ReviewResult:
    unit_code: str
    unit_name: str
    period_code: str
    version: int
    decision: str
    reason: str
    decided_at: datetime
    receipt_path: Path | None = None

    def message(self) -> str:
        who = f"{self.unit_name} ({self.unit_code}), kỳ {self.period_code}, phiên bản {self.version}"
        text = (f"Đã tiếp nhận báo cáo của {who}." if self.decision == "accepted"
                else f"Đã trả lại báo cáo của {who}: {self.reason}")
        return text + (f" Biên nhận: {self.receipt_path}" if self.receipt_path else "")


@dataclass(frozen=True)
class ReceiptOutcome:
    """What importing one receipt file did on the sending side."""

    file_name: str
    status: str  # imported | duplicate | rejected
    message: str
    problems: tuple[str, ...] = ()
    period_code: str = ""
    version: int = 0
    decision: str = ""
    reopened: bool = False

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


@dataclass(frozen=True)
class ReceiptRow:
    """Sending side: the last word of the receiving office on one exported version."""

    period_code: str
    version: int
    decision: str
    reason: str
    decided_at: datetime
    receiver_name: str

    def describe(self) -> str:
        day = self.decided_at.astimezone()
        if self.decision == "accepted":
            return f"Đã tiếp nhận ngày {day:%d/%m/%Y}"
        return f"Bị trả lại: {self.reason}"


def _submission(session: Session, unit_code: str, period_code: str, version: int | None) -> Submission:
    code, period = unit_code.strip(), period_code.replace(" ", "").upper()
    query = select(Submission).where(Submission.unit_code == code, Submission.period_code == period)
    rows = session.scalars(query.order_by(Submission.version)).all()
    if not rows:
        raise NotFoundError(f"Chưa nhận báo cáo nào của đơn vị \"{code}\" cho kỳ {period}.")
    current = next((s for s in rows if s.is_current), rows[-1])
    if version is None:
        return current
    chosen = next((s for s in rows if s.version == version), None)
    if chosen is None:
        raise NotFoundError(f"Chưa nhận phiên bản {version} của đơn vị \"{code}\" cho kỳ {period}.")
    if chosen is not current:
        raise InvalidInputError(f"Phiên bản {version} không còn là phiên bản hiện hành (đã có phiên bản "
                                f"{current.version}); chỉ xem xét phiên bản hiện hành.")
    return chosen


def _receipt_of(session: Session, sub: Submission) -> rc.Receipt:
    dept = session.scalar(select(Department).limit(1))
    name = (dept.name_in_text or dept.name) if dept is not None else DEFAULT_RECEIVER
    code = dept.unit_code if dept is not None else ""
    return rc.Receipt(code if UNIT_CODE.match(code) else "", name or DEFAULT_RECEIVER, sub.unit_code, sub.unit_name, sub.period_code, sub.version,
                      sub.package_sha256, sub.review_status, sub.review_reason, sub.reviewed_at.astimezone(),
                      sub.reviewed_by)


def _write(session: Session, sub: Submission, out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"{out} không phải thư mục; hãy chọn thư mục để lưu biên nhận.")
    out.mkdir(parents=True, exist_ok=True)
    target = out / rc.file_name(sub.unit_code, sub.period_code, sub.version)
    receipt = _receipt_of(session, sub)
    rc.write_receipt(target, receipt, now_local())
    audit.record(session, "export", "submission", sub.id, "receipt", None,
                 f"{target.name} ({rc.DECISION_LABELS[sub.review_status]})")
    return target


def review_submission(workspace: Workspace, unit_code: str, period_code: str, decision: str, reason: str = "",
                      version: int | None = None, out_dir: str | Path | None = None) -> ReviewResult:
    """Accept, or return with a required reason, the current report of a unit; optionally write its receipt."""
    if decision not in ("accepted", "returned"):
        raise InvalidInputError("Quyết định phải là tiếp nhận hoặc trả lại.")
    reason = strip_control(nfc(reason or "")).strip()
    if decision == "returned" and not reason:
        raise InvalidInputError("Trả lại báo cáo phải ghi rõ lý do (để đơn vị biết cần bổ sung gì).")
    if len(reason) > 5000:
        raise InvalidInputError("Lý do dài quá 5.000 ký tự; hãy viết ngắn gọn hơn.")
    with workspace.unit_of_work() as session:
        sub = _submission(session, unit_code, period_code, version)
        audit.lock_current(session, sub)
        if sub.review_status != "pending":
            raise InvalidInputError(
                f"Phiên bản {sub.version} của {sub.unit_name} đã được xem xét "
                f"({REVIEW_LABELS[sub.review_status].lower()} ngày {sub.reviewed_at.astimezone():%d/%m/%Y}). "
                "Muốn gửi lại biên nhận, hãy dùng lệnh khbc receipt-export.")
        user = audit.current_user(session)
        moment = _later_than(now_local(), sub.received_at)
        audit.apply_changes(session, sub, "submission",
                            {"review_status": decision, "review_reason": reason if decision == "returned" else "",
                             "reviewed_at": moment, "reviewed_by": user}, user)
        session.flush()
        path = _write(session, sub, out_dir) if out_dir is not None else None
        return ReviewResult(sub.unit_code, sub.unit_name, sub.period_code, sub.version, decision, sub.review_reason,
                            moment, path)


def export_receipt(workspace: Workspace, unit_code: str, period_code: str, out_dir: str | Path,
                   version: int | None = None) -> Path:
    """Write (again) the receipt of a report already accepted or returned."""
    with workspace.unit_of_work() as session:
        sub = _submission(session, unit_code, period_code, version)
        if sub.review_status == "pending":
            raise InvalidInputError(f"Báo cáo phiên bản {sub.version} của {sub.unit_name} chưa được tiếp nhận hay "
                                    "trả lại, nên chưa có biên nhận (lệnh khbc review).")
        return _write(session, sub, out_dir)


def _own_export(session: Session, receipt: rc.Receipt) -> tuple[Export, Period] | str:
    dept = session.scalar(select(Department).limit(1))
    if dept is None or dept.unit_code != receipt.unit_code:
        return (f"Biên nhận dành cho đơn vị mã \"{show_name(receipt.unit_code)}\", không phải đơn vị này"
                f" ({dept.unit_code if dept else 'chưa khai báo'}).")
    found = session.execute(select(Export, Period).join(Period, Period.id == Export.period_id)
                            .where(Export.sha256 == receipt.package_sha256)).first()
    if found is None or found[1].code != receipt.period_code or found[0].version != receipt.version:
        return (f"Biên nhận nói về gói kỳ {receipt.period_code}, phiên bản {receipt.version} mà cơ sở dữ liệu này "
                "không có trong danh sách gói đã gửi (mã băm khác).")
    return found[0], found[1]


def _reopen_for_return(session: Session, period: Period, export: Export, receipt: rc.Receipt) -> bool:
    """A returned report opens its period for bổ sung, unless a later version was already sent."""
    newest = session.scalar(select(Export.version).where(Export.period_id == period.id)
                            .order_by(Export.version.desc()).limit(1))
    if newest != export.version or not is_sent(period):
        return False
    old = period.reopened_at
    period.reopened_at = _later_than(now_local(), period.sent_at)
    audit.record(session, "reopen", "period", period.id, "reopened_at", old,
                 f"Mở lại để bổ sung: báo cáo phiên bản {export.version} bị trả lại ({receipt.reason})")
    return True


def import_receipt(workspace: Workspace, path: str | Path) -> ReceiptOutcome:
    """Verify a receipt, then record it against the exported package it names (sending side)."""
    path = Path(path)
    check = rc.verify_receipt_file(path)
    if not check.ok:
        return ReceiptOutcome(path.name, "rejected", f"Từ chối biên nhận {path.name}.", tuple(check.problems))
    receipt = check.receipt
    ident = dict(period_code=receipt.period_code, version=receipt.version, decision=receipt.decision)
    with workspace.unit_of_work() as session:
        current_plan(session)
        found = _own_export(session, receipt)
        if isinstance(found, str):
            return ReceiptOutcome(path.name, "rejected", f"Từ chối biên nhận {path.name}.", (found,), **ident)
        export, period = found
        if session.scalar(select(ExportReceipt.id).where(ExportReceipt.receipt_sha256 == check.receipt_sha256)):
            return ReceiptOutcome(path.name, "duplicate", f"Biên nhận này đã được nhập trước đây: "
                                                          f"{receipt.describe()}.", **ident)
        row = ExportReceipt(export_id=export.id, decision=receipt.decision, reason=receipt.reason,
                            decided_at=receipt.decided_at, decided_by=receipt.decided_by[:100],
                            receiver_name=receipt.receiver_name[:300], receipt_sha256=check.receipt_sha256,
                            imported_at=now_local())
        session.add(row)
        session.flush()
        audit.record(session, "create", "export_receipt", row.id, "decision", None,
                     f"{receipt.receiver_name}: {receipt.describe()} (kỳ {period.code}, phiên bản {export.version})")
        reopened = receipt.decision == "returned" and _reopen_for_return(session, period, export, receipt)
    message = f"{receipt.receiver_name}: {receipt.describe()} (kỳ {receipt.period_code}, phiên bản {receipt.version})."
    if reopened:
        message += f" Kỳ đã được mở lại để bổ sung; lần xuất gói tiếp theo là phiên bản {receipt.version + 1}."
    return ReceiptOutcome(path.name, "imported", message, reopened=reopened, **ident)


def list_receipts(workspace: Workspace, period_code: str | None = None) -> list[ReceiptRow]:
    """Sending side: receipts received, oldest decision first."""
    with workspace.read() as session:
        return receipt_rows(session, period_code)


def receipt_rows(session: Session, period_code: str | None = None) -> list[ReceiptRow]:
    """`list_receipts` inside the caller's session."""
    query = (select(ExportReceipt, Export, Period).join(Export, Export.id == ExportReceipt.export_id)
             .join(Period, Period.id == Export.period_id))
    if period_code is not None:
        query = query.where(Period.code == period_code.replace(" ", "").upper())
    rows = session.execute(query.order_by(ExportReceipt.decided_at, ExportReceipt.id)).all()
    return [ReceiptRow(p.code, e.version, r.decision, r.reason, r.decided_at, r.receiver_name) for r, e, p in rows]


def review_states(workspace: Workspace, period_code: str) -> dict[str, tuple[str, str]]:
    """Receiving side: per unit code, the review of its current package in the period ("pending", reason)."""
    with workspace.read() as session:
        return unit_review_states(session, period_code)


def unit_review_states(session: Session, period_code: str) -> dict[str, tuple[str, str]]:
    """`review_states` inside the caller's session."""
    rows = session.execute(select(Submission.unit_code, Submission.review_status, Submission.review_reason)
                           .where(Submission.period_code == period_code.replace(" ", "").upper(),
                                  Submission.is_current.is_(True))).all()
    return {code: (status, reason) for code, status, reason in rows}
