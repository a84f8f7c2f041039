"""Checking signatures on receipt, offline: the report PDF's and the manifest's, each told as one of four states."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from desktop.signing.certs import holder_name

SIGNED, UNSIGNED, INVALID, UNTRUSTED = "signed", "unsigned", "invalid", "untrusted"
STATE_LABELS = {SIGNED: "Đã ký số", UNSIGNED: "Chưa ký số", INVALID: "Chữ ký không hợp lệ",
                UNTRUSTED: "Người ký chưa được tin cậy"}
_ORDER = {SIGNED: 0, UNSIGNED: 1, UNTRUSTED: 2, INVALID: 3}


@dataclass(frozen=True)
class SignatureCheck:
    """One signature's verdict: its state, the signer's name from the certificate, when, and why (Vietnamese)."""

    state: str
    signer: str = ""
    signed_at: str = ""  # ISO 8601, as the signer's computer claimed (or the time stamp when there is one)
    message: str = ""
    certificate_sha256: str = ""

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    def to_json(self) -> dict:
        return {"state": self.state, "signer": self.signer, "signed_at": self.signed_at, "message": self.message,
                "certificate_sha256": self.certificate_sha256}


def worst(checks: list[SignatureCheck]) -> SignatureCheck:
    return max(checks, key=lambda c: _ORDER[c.state])


def _usage():
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    return KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


def _verdict(status, what: str, moment: datetime | None) -> tuple[str, str]:
    if not status.intact:
        return INVALID, f"{what} đã bị sửa sau khi ký: nội dung không còn khớp với chữ ký số."
    if not status.valid:
        return INVALID, f"Chữ ký số trên {what.lower()} không hợp lệ (sai chữ ký hoặc chứng thư không được dùng để ký)."
    if getattr(status, "revoked", False):
        return INVALID, "Chứng thư số của người ký đã bị thu hồi (theo danh sách CRL đã cài)."
    cert = status.signing_cert
    if moment is not None and not (cert.not_valid_before <= moment <= cert.not_valid_after):
        when = moment.astimezone().strftime("%d/%m/%Y %H:%M")
        return INVALID, f"Chứng thư số của người ký không còn hiệu lực vào thời điểm ký ({when})."
    usage = cert.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        return INVALID, "Chứng thư số của người ký không được cấp để ký văn bản (thiếu mục đích \"chữ ký số\")."
    if not status.trusted:
        indic = getattr(status.trust_problem_indic, "name", "")
        if indic in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED", "NOT_YET_VALID"):
            when = moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else "lúc ký"
            return INVALID, f"Chứng thư số của người ký không còn hiệu lực vào thời điểm ký ({when})."
        if indic in ("REVOKED", "REVOKED_NO_POE", "REVOKED_CA_NO_POE"):
            return INVALID, "Chứng thư số của người ký đã bị thu hồi (theo danh sách CRL đã cài)."
        return UNTRUSTED, ("Chữ ký còn nguyên vẹn nhưng chứng thư của người ký không thuộc tổ chức chứng thực mà cơ quan đã "
                           "cài làm tin cậy (Cài đặt › Ký số › Chứng thư tin cậy).")
    return SIGNED, ""


def _moment(sig) -> datetime | None:
    claimed = sig.self_reported_timestamp
    now = datetime.now(timezone.utc)
    return min(claimed, now) if claimed else None


def _iso(moment: datetime | None) -> str:
    return moment.replace(microsecond=0).isoformat() if moment else ""


def _coverage_problem(status, sig, revisions: int) -> str:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    coverage = status.coverage
    partial = "Chữ ký số chỉ bao phủ một phần tệp báo cáo PDF; phần còn lại không được ký và có thể đã bị thay đổi."
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return partial
    if coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        if not (status.docmdp_ok or status.modification_level is None):
            return "Báo cáo PDF đã bị sửa sau khi ký (có nội dung được thêm vào sau chữ ký số)."
        if sig.signed_revision >= revisions - 1:  # bytes after the signed revision that are no revision at all
            return partial
    return ""


def check_pdf(pdf: bytes, trust: Path | None = None) -> list[SignatureCheck]:
    """Every signature of the PDF, oldest first; [UNSIGNED] when there is none. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    from desktop.signing.trust import validation_context

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
        revisions = reader.xrefs.total_revisions
    except Exception:  # noqa: BLE001 - a damaged file is a verdict, not a crash
        return [SignatureCheck(INVALID, message="Không đọc được cấu trúc tệp báo cáo PDF để kiểm tra chữ ký số.")]
    if not signatures:
        return [SignatureCheck(UNSIGNED, message="Báo cáo PDF không có chữ ký số.")]
    checks = []
    for sig in signatures:
        moment = None
        try:
            moment = _moment(sig)
            status = validate_pdf_signature(sig, validation_context(moment, trust), key_usage_settings=_usage())
            cert = status.signing_cert
            state, message = _verdict(status, "Báo cáo PDF", moment)
            if state != INVALID:
                problem = _coverage_problem(status, sig, revisions)
                if problem:
                    state, message = INVALID, problem
            checks.append(SignatureCheck(state, holder_name(cert), _iso(moment), message,
                                         hashlib.sha256(cert.dump()).hexdigest()))
        except Exception:  # noqa: BLE001
            checks.append(SignatureCheck(INVALID, "", _iso(moment),
                                         "Chữ ký số trong báo cáo PDF bị hỏng, không kiểm tra được."))
    return checks


def sign_detached(data: bytes, key) -> bytes:
    """A detached CMS (PKCS#7) signature of `data` by the opened key, DER-encoded."""
    from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes

    import asyncio

    from desktop.signing.errors import SigningError, token_error_message

    try:
        signed = asyncio.run(key.signer.async_sign_general_data(
            data, "sha256", detached=True,
            signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.now(timezone.utc))))
    except Exception as exc:  # noqa: BLE001 - the token's own errors, told in Vietnamese
        raise SigningError(token_error_message(exc)) from None
    return signed.dump()


def check_detached(data: bytes, signature: bytes, trust: Path | None = None) -> SignatureCheck:
    """Verdict on a detached CMS signature over `data` (the manifest)."""
    import asyncio

    from asn1crypto import cms
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms

    from desktop.signing.trust import validation_context

    try:
        info = cms.ContentInfo.load(signature)
        signed_data = info["content"]
        signer_info = signed_data["signer_infos"][0]
        moment = None
        for attr in signer_info["signed_attrs"]:
            if attr["type"].native == "signing_time":
                moment = min(attr["values"][0].native, datetime.now(timezone.utc))
        status = asyncio.run(async_validate_detached_cms(data, signed_data,
                                                         signer_validation_context=validation_context(moment, trust),
                                                         key_usage_settings=_usage()))
    except Exception:  # noqa: BLE001
        return SignatureCheck(INVALID, message="Chữ ký số của bản kê manifest.json bị hỏng, không kiểm tra được.")
    state, message = _verdict(status, "Bản kê manifest.json", moment)
    cert = status.signing_cert
    return SignatureCheck(state, holder_name(cert), _iso(moment), message, hashlib.sha256(cert.dump()).hexdigest())
