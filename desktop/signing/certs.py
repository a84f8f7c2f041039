"""Certificates: reading PEM/DER files, the holder's name, and whether a certificate may sign documents now."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from asn1crypto import pem, x509

from desktop.errors import os_reason
from desktop.signing.errors import SigningError


def load_certificates(raw: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or many) or DER file; raises ValueError when there is none."""
    if pem.detect(raw):
        certs = [x509.Certificate.load(der) for kind, _, der in pem.unarmor(raw, multiple=True) if kind == "CERTIFICATE"]
    else:
        certs = [x509.Certificate.load(raw)]
    for cert in certs:
        cert.native  # parse fully now, so a damaged file fails here and not in the middle of a check
    if not certs:
        raise ValueError("no certificate")
    return certs


def read_certificate_file(path: Path) -> list[x509.Certificate]:
    try:
        return load_certificates(Path(path).read_bytes())
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp chứng thư {path}: {os_reason(exc)}.") from None
    except Exception:  # noqa: BLE001 - asn1crypto raises many kinds on damaged input
        raise SigningError(f"Tệp {Path(path).name} không phải chứng thư số (X.509, dạng .cer/.crt/.pem).") from None


def holder_name(cert: x509.Certificate) -> str:
    """The certificate holder as people read it: the common name, else the organisation, else the whole subject."""
    subject = cert.subject.native
    for key in ("common_name", "organization_name"):
        value = subject.get(key)
        if value:
            return value if isinstance(value, str) else ", ".join(value)
    return cert.subject.human_friendly


def issuer_name(cert: x509.Certificate) -> str:
    issuer = cert.issuer.native
    return issuer.get("common_name") or issuer.get("organization_name") or cert.issuer.human_friendly


def _day(moment: datetime) -> str:
    return moment.astimezone().strftime("%d/%m/%Y")


def check_can_sign(cert: x509.Certificate, now: datetime | None = None) -> None:
    """Refuse, in Vietnamese, a certificate that is not valid today or may not sign documents."""
    now = now or datetime.now(timezone.utc)
    valid = cert["tbs_certificate"]["validity"]
    not_before, not_after = valid["not_before"].native, valid["not_after"].native
    who = holder_name(cert)
    if now > not_after:
        raise SigningError(f"Chứng thư số của {who} đã hết hạn từ ngày {_day(not_after)}. Hãy gia hạn chứng thư "
                           "với nơi cấp (hoặc dùng token khác) rồi ký lại; báo cáo chưa được ký.")
    if now < not_before:
        raise SigningError(f"Chứng thư số của {who} chỉ có hiệu lực từ ngày {_day(not_before)}; chưa ký được.")
    usage = cert.key_usage_value
    if usage is not None and not ({"digital_signature", "non_repudiation"} & set(usage.native)):
        raise SigningError(f"Chứng thư số của {who} không được cấp để ký văn bản (thiếu mục đích sử dụng "
                           "\"chữ ký số\" trong chứng thư). Hãy dùng chứng thư ký số của người ký.")
