"""Ký số use cases: signing settings, signing the period's report, the outside-signing round trip, sealing exports."""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Setting
from desktop.errors import InvalidInputError
from desktop.fileio import atomic_write_bytes
from desktop.services import clock
from desktop.services.attachments import store_root
from desktop.services.documents import font_path, report_document, write_document
from desktop.services.queries import current_plan, find_period
from desktop.services.workspace import Workspace

STORE = "ky-so"
PREFIX = "signing."


@dataclass
class SigningSettings:
    """What Cài đặt › Ký số keeps (never the PIN or password)."""

    key_kind: str = "pkcs11"  # "pkcs11" (USB token) or "pkcs12" (.p12/.pfx file)
    pkcs11_library: str = ""
    token_label: str = ""
    key_label: str = ""
    pkcs12_file: str = ""
    signer_image: str = ""  # blue handwritten signature, transparent PNG
    seal_image: str = ""  # red seal, transparent PNG
    seal_mm: float = 36.0  # the seal's real diameter
    tsa_url: str = ""  # optional time-stamping authority (B-T)

    @property
    def has_key(self) -> bool:
        """A key is set up in Cài đặt › Ký số (a token library and label, or a .p12 file): sealing can be offered."""
        if self.key_kind == "pkcs12":
            return bool(self.pkcs12_file)
        return bool(self.pkcs11_library and self.token_label)

    def key_source(self, secret: str):
        from desktop.signing.keys import KeySource

        return KeySource(self.key_kind, library=self.pkcs11_library, token_label=self.token_label,
                         key_label=self.key_label, pkcs12_file=self.pkcs12_file, secret=secret)


@dataclass(frozen=True)
class SignedReport:
    """The period's report as signed (in KHBC or outside), ready to go into the next package."""

    period_code: str
    path: Path
    signer: str
    signed_at: str
    source: str  # "khbc" | "external"
    level: str = ""
    warnings: tuple[str, ...] = field(default=())


def load_settings(session: Session) -> SigningSettings:
    values = {row.key[len(PREFIX):]: row.value for row in
              session.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))}
    settings = SigningSettings()
    for item in fields(SigningSettings):
        if item.name in values:
            raw = values[item.name]
            setattr(settings, item.name, float(raw) if item.type in ("float", float) and raw else raw)
    return settings


def read_settings(workspace: Workspace) -> SigningSettings:
    with workspace.read() as session:
        return load_settings(session)


def save_settings(workspace: Workspace, settings: SigningSettings) -> SigningSettings:
    """Check the images and paths first (Vietnamese messages), then store every field."""
    from desktop.signing.appearance import check_png

    if settings.key_kind not in ("pkcs11", "pkcs12"):
        raise InvalidInputError("Nơi lưu khóa ký phải là thiết bị ký số (pkcs11) hoặc tệp khóa (pkcs12).")
    if settings.signer_image:
        check_png(settings.signer_image, "chữ ký")
    if settings.seal_image:
        check_png(settings.seal_image, "con dấu")
    if not 20 <= float(settings.seal_mm) <= 60:
        raise InvalidInputError("Đường kính con dấu phải từ 20 đến 60 mm (kích thước thật của con dấu).")
    if settings.tsa_url and not settings.tsa_url.startswith(("http://", "https://")):
        raise InvalidInputError("Địa chỉ máy chủ cấp dấu thời gian phải bắt đầu bằng http:// hoặc https://.")
    with workspace.unit_of_work() as session:
        for key, value in asdict(settings).items():
            row = session.get(Setting, PREFIX + key)
            if row is None:
                session.add(Setting(key=PREFIX + key, value=str(value)))
            else:
                row.value = str(value)
    return settings


def _fingerprint(doc, font: str | None) -> str:
    return hashlib.sha256((repr(doc) + "\n" + (font or "")).encode("utf-8")).hexdigest()


def _render(doc, font: str | None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="khbc-ky-") as folder:
        out = Path(folder) / "report.pdf"
        write_document(doc, "pdf", out, font)
        return out.read_bytes()


def _paths(workspace: Workspace, code: str) -> dict[str, Path]:
    root = store_root(workspace, STORE)
    return {"signed": root / f"{code}.pdf", "meta": root / f"{code}.json", "exported": root / f"{code}.de-ky.pdf",
            "exported_meta": root / f"{code}.de-ky.json"}


def _prepare(session: Session, period_code: str, today: date):
    period = find_period(session, current_plan(session), period_code)
    doc = report_document(session, period.code, today)
    font = font_path(session)
    return period.code, doc, font


def _request(doc, settings: SigningSettings, font: str | None):
    from desktop.signing.appearance import SignatureImages
    from desktop.signing.pdf_sign import SignRequest

    title = doc.signature.title or doc.signature.authority
    return SignRequest("report", doc.signature.name, title,
                       SignatureImages(settings.signer_image, settings.seal_image, float(settings.seal_mm)),
                       agency=doc.letterhead.agency, number=doc.letterhead.number_line.removeprefix("Số:").strip(),
                       tsa_url=settings.tsa_url, font_file=font)


def _store(paths: dict[str, Path], content: bytes, meta: dict) -> None:
    atomic_write_bytes(paths["signed"], content)
    atomic_write_bytes(paths["meta"], json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))


def sign_report(workspace: Workspace, period_code: str, secret: str, today: date | None = None,
                out: Path | None = None) -> SignedReport:
    """Render the period's report, sign it with the configured key, keep it for the next package (and copy to `out`)."""
    from desktop.signing.keys import open_key
    from desktop.signing.pdf_sign import sign_pdf

    today = today or clock.today()
    with workspace.read() as session:
        code, doc, font = _prepare(session, period_code, today)
        settings = load_settings(session)
    paths = _paths(workspace, code)
    pdf = _render(doc, font)
    with open_key(settings.key_source(secret)) as key:
        signed = sign_pdf(pdf, key, _request(doc, settings, font))
    moment = signed.signed_at.replace(microsecond=0).isoformat()
    _store(paths, signed.content, {"fingerprint": _fingerprint(doc, font), "signer": signed.signer,
                                   "signed_at": moment, "source": "khbc", "level": signed.level})
    if out is not None:
        atomic_write_bytes(out, signed.content)
    return SignedReport(code, Path(out) if out else paths["signed"], signed.signer, moment, "khbc", signed.level)


def export_for_outside_signing(workspace: Workspace, period_code: str, out: Path, today: date | None = None) -> Path:
    """Write the report PDF to be signed with the office's own tool, and remember its exact bytes."""
    today = today or clock.today()
    with workspace.read() as session:
        code, doc, font = _prepare(session, period_code, today)
    pdf = _render(doc, font)
    paths = _paths(workspace, code)
    atomic_write_bytes(paths["exported"], pdf)
    atomic_write_bytes(paths["exported_meta"], json.dumps({"fingerprint": _fingerprint(doc, font)}).encode("utf-8"))
    out = Path(out)
    if out.is_dir():
        out = out / f"BaoCao_{code}_de_ky.pdf"
    atomic_write_bytes(out, pdf)
    return out


def attach_signed(workspace: Workspace, period_code: str, signed_file: Path, today: date | None = None) -> SignedReport:
    """"Gắn bản đã ký": accept the signed PDF only if it is the exported document plus signatures."""
    from desktop.signing.attach import check_external, read_signed_file
    from desktop.signing.errors import SigningError
    from desktop.signing.validate import UNTRUSTED

    today = today or clock.today()
    with workspace.read() as session:
        code, doc, font = _prepare(session, period_code, today)
    paths = _paths(workspace, code)
    if not paths["exported"].is_file():
        raise SigningError(f"Chưa xuất bản báo cáo kỳ {code} để ký bên ngoài. Hãy \"Xuất bản để ký\" trước, ký tệp đó, "
                           "rồi gắn tệp đã ký.")
    exported = paths["exported"].read_bytes()
    stated = json.loads(paths["exported_meta"].read_text(encoding="utf-8"))
    if stated["fingerprint"] != _fingerprint(doc, font):
        raise SigningError("Số liệu hoặc nội dung báo cáo đã thay đổi sau khi xuất bản để ký, nên bản đã ký không còn "
                           "đúng với báo cáo hiện tại. Hãy xuất lại bản để ký và ký lại.")
    signed = read_signed_file(Path(signed_file))
    verdict = check_external(exported, signed)
    warnings = ()
    if verdict.state == UNTRUSTED:
        warnings = ("Chữ ký hợp lệ nhưng chứng thư của người ký chưa có trong danh sách tin cậy của máy này.",)
    _store(paths, signed, {"fingerprint": stated["fingerprint"], "signer": verdict.signer,
                           "signed_at": verdict.signed_at, "source": "external", "level": ""})
    return SignedReport(code, paths["signed"], verdict.signer, verdict.signed_at, "external", "", warnings)


def current_signed_report(workspace: Workspace, session: Session, period_code: str, doc, font) -> tuple[bytes, dict] | None:
    """The stored signed report for the period, if its content is still the report's; raises if it is stale."""
    paths = _paths(workspace, period_code)
    if not (paths["signed"].is_file() and paths["meta"].is_file()):
        return None
    meta = json.loads(paths["meta"].read_text(encoding="utf-8"))
    if meta.get("fingerprint") != _fingerprint(doc, font):
        raise InvalidInputError("Báo cáo đã được ký số nhưng sau đó số liệu hoặc nội dung đã thay đổi. Hãy ký lại (hoặc "
                                "bỏ bản đã ký) trước khi xuất gói, để gói không mang bản ký cũ.")
    return paths["signed"].read_bytes(), meta


def discard_signed(workspace: Workspace, period_code: str) -> bool:
    with workspace.read() as session:
        code = find_period(session, current_plan(session), period_code).code
    removed = False
    for path in _paths(workspace, code).values():
        if path.is_file():
            path.unlink()
            removed = True
    return removed


@contextlib.contextmanager
def export_sealing(workspace: Workspace, session: Session, period_code: str, today: date, secret: str | None):
    """For export_package: the signed report (stored, or signed now) and the manifest signer, one PIN for both."""
    from desktop.signing.keys import open_key
    from desktop.signing.package import claims
    from desktop.signing.pdf_sign import sign_pdf
    from desktop.signing.validate import sign_detached

    has_store = workspace.database.path is not None and _paths(workspace, period_code)["signed"].is_file()
    if secret is None and not has_store:  # the common case stays as cheap as before: nothing to sign or seal
        yield Sealing(None, {}, None)
        return
    doc = report_document(session, period_code, today)
    font = font_path(session)
    stored = current_signed_report(workspace, session, period_code, doc, font) if has_store else None
    settings = load_settings(session)
    with contextlib.ExitStack() as stack:
        key = stack.enter_context(open_key(settings.key_source(secret))) if secret is not None else None
        report_pdf, report_claim = None, None
        if stored is not None:
            report_pdf, report_claim = stored[0], (stored[1]["signer"], stored[1]["signed_at"])
        elif key is not None:
            signed = sign_pdf(_render(doc, font), key, _request(doc, settings, font))
            report_pdf = signed.content
            report_claim = (signed.signer, signed.signed_at.replace(microsecond=0).isoformat())
        manifest_claim = (key.holder, datetime.now(timezone.utc).replace(microsecond=0).isoformat()) if key else None
        yield Sealing(report_pdf, claims(report_claim, manifest_claim),
                      (lambda raw: sign_detached(raw, key)) if key is not None else None)


@dataclass
class Sealing:
    """What export_sealing hands the export: the signed report, the data.json record, the manifest signer."""

    report_pdf: bytes | None
    claims: dict
    manifest_signer: object | None

    def apply(self, files: list, data: dict) -> list:
        """The package's files with the signed report in place of the fresh PDF and the record in data.json."""
        from desktop.bundle import manifest as mf
        from desktop.bundle.export import PackageFile

        if self.report_pdf is None and self.manifest_signer is None:
            return files
        data["signatures"] = self.claims
        result = []
        for item in files:
            if item.role == "data":
                item = PackageFile(item.name, item.role, content=mf.dump_json(data))
            elif item.role == "report-pdf" and self.report_pdf is not None:
                item = PackageFile(item.name, item.role, content=self.report_pdf)
            result.append(item)
        return result


RECEIPT_PREFIX = "receipt.signatures."


def record_receipt(session: Session, package_sha256: str, verdicts: dict) -> None:
    """Keep what the receiving side found about a package's signatures (the package's own data stay as sent)."""
    key = RECEIPT_PREFIX + package_sha256
    row = session.get(Setting, key)
    value = json.dumps(verdicts, ensure_ascii=False)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


def receipt_text(session: Session, package_sha256: str) -> str:
    """"Đã ký số – Lê Công Du", "Chữ ký không hợp lệ – …", …; "" for packages received before ký số existed."""
    from desktop.signing.validate import STATE_LABELS

    row = session.get(Setting, RECEIPT_PREFIX + package_sha256)
    if row is None:
        return ""
    overall = json.loads(row.value).get("overall") or {}
    who = f" – {overall['signer']}" if overall.get("signer") else ""
    return STATE_LABELS.get(overall.get("state"), "") + who
