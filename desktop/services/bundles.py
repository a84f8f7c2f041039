"""Sending and receiving report packages: export (then the period is locked), reopen, import, and their lists."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Export, Period, Submission
from desktop.bundle import manifest as mf
from desktop.bundle.export import PackageFile, write_package
from desktop.bundle.package_data import build_package_data, check_unit_code
from desktop.bundle.verify import VerifyResult, verify_file
from desktop.errors import InvalidInputError, KhbcError, PeriodLockedError, StaleReportError
from desktop.fileio import atomic_write_bytes
from desktop.reporting.document import AdminDocument
from desktop.reporting.report_builder import build_report_document
from desktop.reporting.report_checks import missing_items
from desktop.services.export_files import (
    explain_os_error, finish_interrupted_exports, flush_file, publish_file, stage_file,
)
from desktop.services import audit, clock
from desktop.services.attachments import store_root, stored_file
from desktop.services.documents import font_path, report_freshness, write_document
from desktop.services.queries import current_plan, find_period, is_sent
from desktop.services.report_context import department_info, package_values
from desktop.services.signing import export_sealing, record_receipt
from desktop.services.unit_reports import store_task_reports
from desktop.services.workspace import Workspace

PACKAGE_STORE = "packages"  # receiving side: verified packages kept beside the database, by SHA-256
REPORT_FORMATS = (("pdf", "report-pdf"), ("xlsx", "report-xlsx"), ("docx", "report-docx"))


def now_local() -> datetime:
    """The current time with the local time zone; with KHBC_TODAY set, the same clock time on that day."""
    moment = datetime.now().astimezone()
    today = clock.today()
    return moment if moment.date() == today else datetime.combine(today, moment.timetz())


@dataclass(frozen=True)
class ExportResult:
    path: Path
    file_name: str
    period_code: str
    period_title: str
    version: int
    sha256: str
    size: int
    file_count: int
    created_at: datetime


@dataclass(frozen=True)
class ExportRow:
    period_code: str
    period_title: str
    version: int
    file_name: str
    sha256: str
    size: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class ReopenResult:
    period_code: str
    period_title: str
    reopened_at: datetime
    last_version: int
    next_version: int


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one package file: imported, kept as history, already there, or rejected (and why)."""

    file_name: str
    status: str  # imported | history | duplicate | rejected
    message: str
    problems: tuple[str, ...] = ()
    unit_code: str = ""
    unit_name: str = ""
    period_code: str = ""
    version: int = 0
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.status != "rejected"


@dataclass(frozen=True)
class SubmissionRow:
    unit_code: str
    unit_name: str
    period_code: str
    version: int
    is_current: bool
    created_at: datetime
    received_at: datetime
    deadline: date | None
    file_name: str
    sha256: str


def _last_version(session: Session, period_id: int) -> int:
    return session.scalar(select(func.max(Export.version)).where(Export.period_id == period_id)) or 0


def _later_than(moment: datetime, other: datetime | None) -> datetime:
    """`moment`, nudged to be strictly after `other` so "sent" and "reopened" never tie."""
    if other is not None and moment <= other:
        return other + timedelta(microseconds=1)
    return moment.astimezone(timezone.utc)


def _render_documents(session: Session, doc: AdminDocument, folder: Path, stem: str) -> list[PackageFile]:
    font = font_path(session)
    files = []
    for fmt, role in REPORT_FORMATS:
        name = f"{stem}.{fmt}"
        write_document(doc, fmt, folder / name, font)
        files.append(PackageFile(name, role, source=folder / name))
    return files


def export_package(workspace: Workspace, period_code: str, out_dir: str | Path, today: date | None = None,
                   now: datetime | None = None, sign_secret: str | None = None,
                   confirm_stale: bool = False) -> ExportResult:
    """Write the period's package into `out_dir` as <abbreviation>_<period>_v<N>.zip, record it, lock the period.

    A report signed earlier goes in instead of a fresh PDF; with `sign_secret` (PIN or password) the configured key
    signs the report now (if not signed yet) and the manifest (services/signing.py). A report whose stored text is
    older than its results is refused (StaleReportError) unless `confirm_stale`; the gaps of the period and that
    confirmation go into data.json ("checks").

    The package is written under a temporary name and the export recorded (its version taken for good) before the
    file gets its final name: a crash in between leaves a recorded version whose file is given its name by the
    next export into the same folder, never a package under a final name that the database does not know, which
    the next export would contradict with different contents under the same version.
    """
    today = today or clock.today()
    created_at = now or now_local()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInputError(f"{out} không phải thư mục; --out phải là thư mục để lưu gói.")
    finish_interrupted_exports(workspace, out)
    staged: Path | None = None
    recorded = False
    try:
        with workspace.unit_of_work() as session:
            plan = current_plan(session)
            period = find_period(session, plan, period_code)
            audit.lock_current(session, period)  # a concurrent export of the period waits, then finds it sent
            last = _last_version(session, period.id)
            if is_sent(period):
                raise PeriodLockedError(
                    f"Kỳ {period.title} đã gửi báo cáo (phiên bản {last}). Muốn gửi bổ sung, hãy \"Mở lại để bổ "
                    f"sung\" (trang Gửi báo cáo, hoặc lệnh khbc reopen --period {period.code}) rồi xuất gói mới.")
            version = last + 1
            dept = department_info(session)
            check_unit_code(dept.unit_code)
            file_name = mf.package_file_name(dept.abbreviation, period.code, version)
            target = out / file_name
            if target.exists():
                raise InvalidInputError(f"Trong {out} đã có tệp {file_name}. Hãy chuyển tệp cũ đi nơi khác hoặc "
                                        "chọn thư mục khác, để không ghi đè một gói đã gửi.")
            freshness = report_freshness(session, period.code)
            if freshness.stale and not confirm_stale:
                raise StaleReportError(
                    freshness.message() + " Muốn vẫn gửi nội dung này, hãy xác nhận (lệnh khbc export … --force).")
            # One read of the period feeds the gaps, data.json and the printed report alike.
            ctx, evidence_rows = package_values(session, plan, period.code, today)
            checks = {"missing": [m.to_json() for m in missing_items(ctx)],
                      "text_older_than_data": freshness.stale, "stale_confirmed": freshness.stale and confirm_stale}
            data, evidence = build_package_data(ctx, evidence_rows, version, created_at, checks)
            with tempfile.TemporaryDirectory(prefix="khbc-export-") as folder, \
                    export_sealing(workspace, session, period.code, today, sign_secret) as sealing:
                stem = f"BaoCao_{mf.ascii_token(dept.abbreviation)}_{period.code}"
                files = [PackageFile(mf.DATA_NAME, "data", content=mf.dump_json(data)),
                         *_render_documents(session, build_report_document(ctx), Path(folder), stem)]
                if evidence:
                    root = store_root(workspace)
                    files += [PackageFile(e.package_name, "evidence", source=stored_file(root, e.sha256, e.file_name))
                              for e in evidence]
                files = sealing.apply(files, data)
                fields = dict(unit_code=dept.unit_code, unit_name=dept.name_in_text,
                              unit_abbreviation=dept.abbreviation, plan_number=plan.number, period_code=period.code,
                              period_title=period.title, deadline=period.deadline, version=version)
                sealed = {"manifest_signer": sealing.manifest_signer} if sealing.manifest_signer else {}
                staged = stage_file(target)
                try:
                    package = write_package(staged, files, fields, created_at, **sealed)
                except OSError as exc:
                    raise explain_os_error(exc, target) from exc
                flush_file(staged, target)
                user = audit.current_user(session)
                session.add(Export(period_id=period.id, version=version, file_name=file_name,
                                   sha256=package.sha256, size=package.size, created_at=created_at,
                                   created_by=user))
                old_sent = period.sent_at
                period.sent_at = _later_than(created_at, period.reopened_at)
                audit.record(session, "export", "period", period.id, "sent_at", old_sent,
                             f"{file_name} (phiên bản {version}, SHA-256 {package.sha256})", user)
                session.flush()
            result = ExportResult(target, file_name, period.code, period.title, version, package.sha256,
                                  package.size, package.file_count, created_at)
        recorded = True
        publish_file(staged, target)  # from here on the version exists, so its file must too
    finally:
        if staged is not None and not recorded:  # a recorded one is given its name by the next export
            staged.unlink(missing_ok=True)
    return result


def reopen_period(workspace: Workspace, period_code: str, reason: str = "") -> ReopenResult:
    """"Mở lại để bổ sung": unlock a sent period (logged); its next export becomes the next version."""
    with workspace.unit_of_work() as session:
        period = find_period(session, current_plan(session), period_code)
        if not is_sent(period):
            raise InvalidInputError(f"Kỳ {period.title} chưa gửi báo cáo (hoặc đã được mở lại), không cần mở lại.")
        moment = _later_than(now_local(), period.sent_at)
        old = period.reopened_at
        period.reopened_at = moment
        note = "Mở lại để bổ sung" + (f": {reason.strip()}" if reason.strip() else "")
        audit.record(session, "reopen", "period", period.id, "reopened_at", old, note)
        last = _last_version(session, period.id)
        return ReopenResult(period.code, period.title, moment, last, last + 1)


def list_exports(workspace: Workspace, period_code: str | None = None) -> list[ExportRow]:
    """Packages this database has sent, oldest first."""
    with workspace.read() as session:
        return export_rows(session, period_code)


def export_rows(session: Session, period_code: str | None = None) -> list[ExportRow]:
    """`list_exports` inside the caller's session (a page reading all it shows at once)."""
    query = select(Export, Period).join(Period, Period.id == Export.period_id)
    if period_code is not None:
        query = query.where(Period.id == find_period(session, current_plan(session), period_code).id)
    rows = session.execute(query.order_by(Export.created_at, Export.id)).all()
    return [ExportRow(p.code, p.title, e.version, e.file_name, e.sha256, e.size, e.created_at,
                      e.created_by) for e, p in rows]


def _store_package(workspace: Workspace, check: VerifyResult) -> Path | None:
    """Keep the verified bytes beside the database (SQLite only) so the original report can be opened later.

    Returns the path when this call wrote it (so that a failure afterwards can take it back)."""
    if workspace.database.path is None:
        return None
    target = store_root(workspace, PACKAGE_STORE) / check.sha256[:2] / f"{check.sha256}.zip"
    if target.is_file() and target.stat().st_size == check.size:
        return None
    atomic_write_bytes(target, check.content)
    return target


def _import_verified(workspace: Workspace, check: VerifyResult) -> ImportOutcome:
    m = check.manifest
    ident = dict(unit_code=m["unit_code"], unit_name=m["unit_name"], period_code=m["period_code"],
                 version=m["version"], sha256=check.sha256)
    who = f"{m['unit_name']} ({m['unit_code']}), kỳ {m['period_code']}, phiên bản {m['version']}"
    stored: Path | None = None
    try:
        with workspace.unit_of_work() as session:
            if session.scalar(select(Submission.id).where(Submission.package_sha256 == check.sha256)) is not None:
                return ImportOutcome(check.file_name, "duplicate",
                                     f"Gói đã được nhận trước đây ({who}); không thay đổi gì.", **ident)
            others = session.scalars(select(Submission).where(
                Submission.unit_code == m["unit_code"], Submission.period_code == m["period_code"])).all()
            if any(o.version == m["version"] for o in others):
                return ImportOutcome(
                    check.file_name, "rejected", f"Từ chối gói {check.file_name}.",
                    (f"Đã nhận một gói khác cùng phiên bản ({who}) nhưng nội dung khác. Hãy đề nghị đơn vị gửi gói "
                     "bổ sung với phiên bản mới.",), **ident)
            newest = max((o.version for o in others), default=0)
            current = m["version"] > newest
            if current:
                for other in others:
                    other.is_current = False
            created = mf.package_time(m["created_at"])  # verify accepted it, so it is a real, sane moment
            row = Submission(unit_code=m["unit_code"], unit_name=m["unit_name"], period_code=m["period_code"],
                             version=m["version"], package_sha256=check.sha256, file_name=check.file_name[:255],
                             created_at=created, received_at=now_local(),
                             deadline=date.fromisoformat(m["deadline"]) if m["deadline"] else None,
                             is_current=current, data=check.data)
            session.add(row)
            session.flush()
            store_task_reports(session, row, check.data)  # per upper task, for Cập nhật kết quả and drafting
            if check.signatures is not None:
                record_receipt(session, check.sha256, check.signatures.to_json())
            audit.record(session, "create", "submission", row.id, "version", None,
                         f"{m['unit_code']} {m['period_code']} v{m['version']} ({check.sha256[:12]})")
            session.flush()
            stored = _store_package(workspace, check)  # last, once the database has taken the submission
    except BaseException:
        if stored is not None:  # the commit failed: the stored copy of a package not received must go too
            stored.unlink(missing_ok=True)
            for folder in (stored.parent, stored.parent.parent):  # and the folders made for it, when empty
                try:
                    folder.rmdir()
                except OSError:
                    break
        raise
    if current:
        replaced = f"; thay cho phiên bản {newest}" if newest else ""
        return ImportOutcome(check.file_name, "imported", f"Đã nhận báo cáo của {who}{replaced}.", **ident)
    return ImportOutcome(check.file_name, "history",
                         f"Đã lưu vào lịch sử báo cáo của {who}; phiên bản hiện hành vẫn là {newest}.", **ident)


def import_bundles(workspace: Workspace, paths: Iterable[str | Path]) -> list[ImportOutcome]:
    """Verify then store each package as its unit's submission (one unit of work per file; results per file)."""
    outcomes = []
    for raw in paths:
        path = Path(raw)
        check = verify_file(path)
        if not check.ok:
            outcomes.append(ImportOutcome(path.name, "rejected", f"Từ chối gói {path.name}.", tuple(check.problems),
                                          sha256=check.sha256))
            continue
        try:
            outcome = _import_verified(workspace, check)
            if check.signatures is not None:  # ký số: shown with the outcome, never a reason to refuse
                outcome = replace(outcome, message=f"{outcome.message} {check.signatures.summary()}")
            outcomes.append(outcome)
        except KhbcError as exc:
            outcomes.append(ImportOutcome(path.name, "rejected", f"Không nhận được gói {path.name}.", (exc.message,),
                                          sha256=check.sha256))
    return outcomes


def list_submissions(workspace: Workspace, period_code: str | None = None) -> list[SubmissionRow]:
    """Packages received (receiving side), by period, unit and version."""
    with workspace.read() as session:
        return submission_rows(session, period_code)


def submission_rows(session: Session, period_code: str | None = None) -> list[SubmissionRow]:
    """`list_submissions` inside the caller's session."""
    query = select(Submission)
    if period_code is not None:
        query = query.where(Submission.period_code == period_code.replace(" ", "").upper())
    rows = session.scalars(query.order_by(Submission.period_code, Submission.unit_code, Submission.version)).all()
    return [SubmissionRow(s.unit_code, s.unit_name, s.period_code, s.version, s.is_current, s.created_at,
                          s.received_at, s.deadline, s.file_name, s.package_sha256) for s in rows]
