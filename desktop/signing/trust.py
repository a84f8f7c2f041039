"""The receiving office's trust anchors and CRL files, kept in a folder; validation contexts built from them, offline."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import crl as asn1_crl
from asn1crypto import pem, x509

from desktop.errors import os_reason
from desktop.signing.certs import holder_name, issuer_name, read_certificate_file
from desktop.signing.errors import SigningError

TRUST_ENV = "KHBC_TRUST_DIR"


def trust_dir(explicit: str | os.PathLike | None = None) -> Path:
    """$KHBC_TRUST_DIR, else the folder "tin-cay" in the per-user data folder."""
    if explicit:
        return Path(explicit)
    if os.environ.get(TRUST_ENV, "").strip():
        return Path(os.environ[TRUST_ENV])
    from platformdirs import user_data_path

    return user_data_path("KHBC", appauthor=False, roaming=False) / "tin-cay"


@dataclass(frozen=True)
class Anchor:
    """One installed certificate: who it is, who issued it, until when, and its SHA-256 fingerprint."""

    holder: str
    issuer: str
    not_after: datetime
    fingerprint: str
    self_signed: bool


def _anchor(cert: x509.Certificate) -> Anchor:
    return Anchor(holder_name(cert), issuer_name(cert), cert.not_valid_after, hashlib.sha256(cert.dump()).hexdigest(),
                  cert.self_signed != "no")


def anchor_certificates(folder: Path | None = None) -> list[x509.Certificate]:
    folder = trust_dir(folder) / "chung-thu"
    if not folder.is_dir():
        return []
    return [x509.Certificate.load(p.read_bytes()) for p in sorted(folder.glob("*.cer"))]


def list_anchors(folder: Path | None = None) -> list[Anchor]:
    return [_anchor(c) for c in anchor_certificates(folder)]


def add_anchors(path: Path, folder: Path | None = None) -> list[Anchor]:
    """Install every certificate of a .cer/.crt/.pem file (roots and intermediates) as trusted."""
    target = trust_dir(folder) / "chung-thu"
    target.mkdir(parents=True, exist_ok=True)
    added = []
    for cert in read_certificate_file(Path(path)):
        if cert.ca is False or (cert.basic_constraints_value is None and cert.self_signed == "no"):
            raise SigningError(f"Chứng thư \"{holder_name(cert)}\" là chứng thư của người ký, không phải của tổ chức "
                               "cung cấp dịch vụ chứng thực (CA). Hãy cài chứng thư gốc hoặc trung gian của CA.")
        anchor = _anchor(cert)
        (target / f"{anchor.fingerprint[:40]}.cer").write_bytes(cert.dump())
        added.append(anchor)
    return added


def remove_anchor(fingerprint: str, folder: Path | None = None) -> Anchor:
    prefix = fingerprint.strip().lower().replace(":", "")
    matches = [a for a in list_anchors(folder) if a.fingerprint.startswith(prefix)] if len(prefix) >= 8 else []
    if len(matches) != 1:
        raise SigningError("Không xác định được chứng thư cần gỡ: hãy nhập ít nhất 8 ký tự đầu của dấu vân tay "
                           "(xem bằng lệnh khbc trust list).")
    (trust_dir(folder) / "chung-thu" / f"{matches[0].fingerprint[:40]}.cer").unlink()
    return matches[0]


def add_crl(path: Path, folder: Path | None = None) -> str:
    """Install a CRL file (DER or PEM); returns the issuer's name."""
    try:
        raw = Path(path).read_bytes()
        if pem.detect(raw):
            raw = pem.unarmor(raw)[2]
        crl = asn1_crl.CertificateList.load(raw)
        issuer = crl.issuer.human_friendly
    except OSError as exc:
        raise SigningError(f"Không đọc được tệp {path}: {os_reason(exc)}.") from None
    except Exception:  # noqa: BLE001
        raise SigningError(f"Tệp {Path(path).name} không phải danh sách chứng thư bị thu hồi (CRL).") from None
    target = trust_dir(folder) / "crl"
    target.mkdir(parents=True, exist_ok=True)
    (target / f"{hashlib.sha256(raw).hexdigest()[:40]}.crl").write_bytes(raw)
    return issuer


def crls(folder: Path | None = None) -> list[asn1_crl.CertificateList]:
    target = trust_dir(folder) / "crl"
    if not target.is_dir():
        return []
    return [asn1_crl.CertificateList.load(p.read_bytes()) for p in sorted(target.glob("*.crl"))]


def validation_context(moment: datetime | None = None, folder: Path | None = None, extra_certs=()):
    """Offline: nothing fetched; revocation checked only against the installed CRL files."""
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=anchor_certificates(folder), other_certs=list(extra_certs),
                             crls=crls(folder), allow_fetching=False, revocation_mode="soft-fail",
                             moment=moment)
