"""Signed outside KHBC ("Gắn bản đã ký"): only the exported document plus signatures is taken back and sealed."""

from __future__ import annotations

from io import BytesIO

import pytest

from tests.bundle_helpers import prepare_sample
from tests.signing_helpers import SigningCA, pkcs12_file


@pytest.fixture
def office(sample_workspace, tmp_path):
    """The sample unit with progress, its report exported for signing, and the office's own key (a .p12)."""
    from desktop.services.signing import export_for_outside_signing

    prepare_sample(sample_workspace, tmp_path)
    exported = export_for_outside_signing(sample_workspace, "2026", tmp_path / "de-ky.pdf")
    ca = SigningCA()
    p12 = pkcs12_file(tmp_path / "van-thu.p12", ca, "Phạm Thị Văn Thư", "mk")
    (tmp_path / "ca.pem").write_bytes(ca.pem())
    return sample_workspace, exported, p12


def _outside_tool_signs(pdf: bytes, p12) -> bytes:
    """What the office's own signing tool does: an incremental PAdES signature (here pyHanko, not KHBC's code)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"mk")
    return signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False),
                            signers.PdfSignatureMetadata(field_name="Signature1"), signer=signer).getvalue()


def test_the_signed_copy_is_sealed_into_the_package(office, tmp_path):
    from desktop.bundle.verify import verify_file
    from desktop.services.bundles import export_package
    from desktop.services.signing import attach_signed
    from desktop.signing import trust
    from desktop.signing.validate import SIGNED, UNSIGNED

    workspace, exported, p12 = office
    signed = _outside_tool_signs(exported.read_bytes(), p12)
    (tmp_path / "da-ky.pdf").write_bytes(signed)
    result = attach_signed(workspace, "2026", tmp_path / "da-ky.pdf")
    assert result.signer == "Phạm Thị Văn Thư" and result.warnings  # this office's CA is not installed here
    package = export_package(workspace, "2026", tmp_path / "goi")
    trust.add_anchors(tmp_path / "ca.pem", tmp_path / "tin-cay")
    check = verify_file(package.path, trust=tmp_path / "tin-cay")
    assert check.ok
    assert (check.signatures.report.state, check.signatures.report.signer) == (SIGNED, "Phạm Thị Văn Thư")
    assert check.signatures.manifest.state == UNSIGNED
    assert check.data["signatures"]["report"]["signed"] and not check.data["signatures"]["manifest"]["signed"]
    import zipfile

    with zipfile.ZipFile(package.path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".pdf") and "/" not in n)
        assert archive.read(name) == signed  # the very bytes the office signed


def _another_pdf(tmp_path) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(tmp_path / "khac.pdf"))
    canvas.drawString(100, 700, "Another document")
    canvas.showPage()
    canvas.save()
    return (tmp_path / "khac.pdf").read_bytes()


REFUSALS = {
    "not-signed": "chưa có chữ ký số",
    "altered-before-signing": "không phải bản KHBC đã xuất để ký",
    "different-document": "không phải bản KHBC đã xuất để ký",
    "unsigned-tail": "một phần",
    "data-changed": "đã thay đổi sau khi xuất bản để ký",
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_different_or_altered_document_is_refused_and_nothing_changes(case, office, tmp_path):
    from desktop.services.progress import record_progress
    from desktop.services.signing import attach_signed
    from desktop.signing.errors import SigningError

    workspace, exported, p12 = office
    original = exported.read_bytes()
    if case == "not-signed":
        candidate = original
    elif case == "altered-before-signing":
        at = original.index(b"ReportLab")
        candidate = _outside_tool_signs(original[:at] + b"X" + original[at + 1:], p12)
    elif case == "different-document":
        candidate = _outside_tool_signs(_another_pdf(tmp_path), p12)
    elif case == "unsigned-tail":
        candidate = _outside_tool_signs(original, p12) + b"% phan them khong duoc ky\n"
    else:
        candidate = _outside_tool_signs(original, p12)
        with workspace.unit_of_work() as session:
            record_progress(session, "2026", "3", "done", result="Đã hoàn thành sau khi xuất bản để ký.")
    (tmp_path / "da-ky.pdf").write_bytes(candidate)
    store = workspace.database.path.parent / "ky-so"
    before = sorted(p.name for p in store.iterdir())
    with pytest.raises(SigningError, match=REFUSALS[case]):
        attach_signed(workspace, "2026", tmp_path / "da-ky.pdf")
    assert sorted(p.name for p in store.iterdir()) == before and not (store / "2026.pdf").exists()


def test_a_report_changed_after_signing_is_not_exported_with_the_old_signature(office, tmp_path):
    from desktop.errors import InvalidInputError
    from desktop.services.bundles import export_package, list_exports
    from desktop.services.progress import record_progress
    from desktop.services.signing import attach_signed

    workspace, exported, p12 = office
    (tmp_path / "da-ky.pdf").write_bytes(_outside_tool_signs(exported.read_bytes(), p12))
    attach_signed(workspace, "2026", tmp_path / "da-ky.pdf")
    with workspace.unit_of_work() as session:
        record_progress(session, "2026", "3", "done", result="Bổ sung sau khi ký.")
    with pytest.raises(InvalidInputError, match="ký lại"):
        export_package(workspace, "2026", tmp_path / "goi")
    assert list_exports(workspace) == [] and not (tmp_path / "goi").exists() or not any((tmp_path / "goi").iterdir())
