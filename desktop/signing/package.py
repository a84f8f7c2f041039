"""Signatures inside a report package: the manifest's detached signature, the claims in data.json, the verdicts."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.signing.validate import (INVALID, SIGNED, UNSIGNED, SignatureCheck, check_detached, check_pdf, worst)

SIGNATURE_NAME = "manifest.json.p7s"
MAX_SIGNATURE_BYTES = 256 * 1024
MAX_CHECKED_PDF_BYTES = 100 * 1024 * 1024


@dataclass
class PackageSignatures:
    """What the receiving side knows about a package's signatures: report, manifest, and one overall verdict."""

    report: SignatureCheck = field(default_factory=lambda: SignatureCheck(UNSIGNED))
    manifest: SignatureCheck = field(default_factory=lambda: SignatureCheck(UNSIGNED))
    notes: list[str] = field(default_factory=list)

    @property
    def overall(self) -> SignatureCheck:
        """The report's verdict, made worse by any problem of the manifest's signature."""
        if self.report.state == UNSIGNED:
            return self.report if self.manifest.state != INVALID else self.manifest
        return worst([self.report, self.manifest] if self.manifest.state != UNSIGNED else [self.report])

    def summary(self) -> str:
        verdict = self.overall
        who = f" – {verdict.signer}" if verdict.signer else ""
        return f"Chữ ký số: {verdict.label}{who}."

    def lines(self) -> list[str]:
        out = []
        for what, check in (("Báo cáo PDF", self.report), ("Bản kê manifest.json", self.manifest)):
            who = f" ({check.signer}, ký lúc {check.signed_at})" if check.signer else ""
            out.append(f"{what}: {check.label}{who}" + (f" – {check.message}" if check.message and
                                                        check.state != UNSIGNED else ""))
        return out + self.notes

    def to_json(self) -> dict:
        return {"overall": self.overall.to_json(), "report": self.report.to_json(), "manifest": self.manifest.to_json()}


def claims(report: tuple[str, str] | None, manifest: tuple[str, str] | None) -> dict:
    """The optional "signatures" block of data.json: whether the report and the manifest are signed, by whom, when."""
    def one(value):
        return {"signed": True, "signer": value[0], "signed_at": value[1]} if value else {"signed": False}
    return {"report": one(report), "manifest": one(manifest)}


def _claim_notes(data: dict | None, result: PackageSignatures) -> list[str]:
    stated = (data or {}).get("signatures")
    if not stated:
        return []
    notes = []
    for key, check, what in (("report", result.report, "báo cáo PDF"), ("manifest", result.manifest, "manifest.json")):
        if stated[key]["signed"] and check.state == UNSIGNED:
            notes.append(f"data.json ghi {what} đã được ký số nhưng trong gói không có chữ ký đó.")
    return notes


def check_package(content: bytes, manifest: dict, raw_manifest: bytes, signature: bytes | None,
                  data: dict | None, trust: Path | None = None) -> PackageSignatures:
    """Check the report PDF's signatures and the manifest's detached signature; never raises, never blocks."""
    result = PackageSignatures()
    pdf_name = next((f["name"] for f in manifest["files"] if f["role"] == "report-pdf"), None)
    if pdf_name is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                if archive.getinfo(pdf_name).file_size <= MAX_CHECKED_PDF_BYTES:
                    checks = check_pdf(archive.read(pdf_name), trust)
                    result.report = worst(checks) if checks[0].state != UNSIGNED else checks[0]
                    if result.report.state == SIGNED or not result.report.signer:
                        result.report = SignatureCheck(result.report.state, checks[0].signer, checks[0].signed_at,
                                                       result.report.message, checks[0].certificate_sha256)
        except (KeyError, zipfile.BadZipFile, OSError):
            pass  # the package's own checks already say what is wrong with the archive
    if signature is not None:
        result.manifest = check_detached(raw_manifest, signature, trust)
        same_key = result.manifest.certificate_sha256 == result.report.certificate_sha256
        if result.manifest.state != INVALID and result.report.state != UNSIGNED and not same_key:
            result.manifest = SignatureCheck(INVALID, result.manifest.signer, result.manifest.signed_at,
                                             f"Bản kê manifest.json được ký bằng khóa khác ({result.manifest.signer}) với "
                                             f"khóa đã ký báo cáo ({result.report.signer}).",
                                             result.manifest.certificate_sha256)
    result.notes = _claim_notes(data, result)
    if result.notes and result.overall.state == SIGNED:
        result.report = SignatureCheck(INVALID, result.report.signer, result.report.signed_at, result.notes[0],
                                       result.report.certificate_sha256)
    return result
