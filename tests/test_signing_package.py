"""Sealed packages on receipt, offline: every signature verdict (signed, unsigned, invalid, untrusted) and its reason."""

from __future__ import annotations

import io
import subprocess
from io import BytesIO

import pytest

from tests.bundle_helpers import prepare_sample, read_entries, reseal, write_zip
from tests.signing_helpers import PIN, SIGNER, TOKEN, configure, token_store

SIG_NAME = "manifest.json.p7s"


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """The sample unit's 2026 package, signed (report and manifest) with the token, and an unsigned one."""
    from desktop.services.bundles import export_package
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace

    store = token_store(tmp_path_factory)
    folder = tmp_path_factory.mktemp("sender")
    packages = {}
    for name, secret in (("signed", PIN), ("unsigned", None)):
        fresh_database(folder / f"{name}.sqlite3")
        workspace = Workspace.open(folder / f"{name}.sqlite3")
        try:
            prepare_sample(workspace, folder)
            configure(workspace, store, folder)
            result = export_package(workspace, "2026", folder / name, sign_secret=secret)
            packages[name] = result.path.read_bytes()
        finally:
            workspace.close()
    return store, packages


@pytest.fixture
def anchors(sent, tmp_path):
    from desktop.signing import trust

    store, _ = sent
    trust.add_anchors(store.folder / "ca.pem", tmp_path / "tin-cay")
    return tmp_path / "tin-cay"


def _verify(package: bytes, trust_dir):
    from desktop.bundle.verify import verify_bytes

    return verify_bytes(package, "DLK-SXD_2026_v1.zip", trust=trust_dir)


def _pdf_name(entries):
    return next(n for n in entries if n.endswith(".pdf") and "/" not in n)


def _with_pdf(package: bytes, change) -> bytes:
    """The package with its report PDF changed and the manifest's hashes made to match (the old signature stays)."""
    entries = read_entries(package)
    name = _pdf_name(entries)
    entries[name] = change(entries[name])
    signature = entries.pop(SIG_NAME, None)
    entries = reseal(entries)
    if signature is not None:
        entries[SIG_NAME] = signature
    return write_zip(entries)


def _open(store, label):
    import pkcs11

    lib = pkcs11.lib(store.token.library)
    return lib.get_token(token_label=TOKEN).open(user_pin=PIN)


def _sign_again(store, label: str):
    """A second signature added by the key `label`, straight through pyHanko (KHBC itself refuses such keys)."""
    def change(pdf: bytes) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
        from pyhanko.sign.pkcs11 import PKCS11Signer

        with _open(store, label) as session:
            signer = PKCS11Signer(session, key_label=label)
            out = signers.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False),
                                   signers.PdfSignatureMetadata(field_name="KyThem"), signer=signer)
            return out.getvalue()
    return change


def _edit_after_signing(pdf: bytes) -> bytes:
    from pyhanko.pdf_utils.generic import StreamObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    stream = writer.add_object(StreamObject(stream_data=b"0 0 1 rg 100 400 200 50 re f"))
    writer.add_stream_to_page(0, stream)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _flip_byte(pdf: bytes) -> bytes:
    index = pdf.index(b"ReportLab")
    return pdf[:index] + b"X" + pdf[index + 1:]


def _partial(pdf: bytes) -> bytes:
    """Bytes after the signed revision that the signature's byte range does not cover."""
    return pdf + b"% them sau khi ky: noi dung khong duoc ky\n"


def _manifest_by_other_key(store):
    def change(package: bytes) -> bytes:
        from desktop.signing.keys import KeySource, open_key
        from desktop.signing.validate import sign_detached

        entries = read_entries(package)
        with open_key(KeySource("pkcs11", store.token.library, TOKEN, "other", secret=PIN)) as key:
            entries[SIG_NAME] = sign_detached(entries["manifest.json"], key)
        return write_zip(entries)
    return change


def test_a_signed_package_is_signed_by_the_named_signer(sent, anchors, khbc_cli, tmp_path):
    from desktop.signing.validate import SIGNED

    _, packages = sent
    check = _verify(packages["signed"], anchors)
    assert check.ok
    assert (check.signatures.report.state, check.signatures.report.signer) == (SIGNED, SIGNER)
    assert (check.signatures.manifest.state, check.signatures.manifest.signer) == (SIGNED, SIGNER)
    assert check.data["signatures"]["report"]["signed"] and check.data["signatures"]["manifest"]["signer"] == SIGNER
    path = tmp_path / "DLK-SXD_2026_v1.zip"
    path.write_bytes(packages["signed"])
    code, out, _ = khbc_cli("verify", str(path), "--trust", str(anchors))
    assert code == 0 and f"Chữ ký số: Đã ký số – {SIGNER}." in out


def test_an_unsigned_package_still_verifies_and_says_so(sent, anchors):
    from desktop.signing.validate import UNSIGNED

    check = _verify(sent[1]["unsigned"], anchors)
    assert check.ok and "signatures" not in check.data
    assert check.signatures.overall.state == UNSIGNED and "Chưa ký số" in check.summary()


def test_without_the_office_trust_anchors_the_signer_is_not_trusted(sent, tmp_path):
    from desktop.signing.validate import UNTRUSTED

    check = _verify(sent[1]["signed"], tmp_path / "trong")
    assert check.ok and check.signatures.overall.state == UNTRUSTED and check.signatures.overall.signer == SIGNER


BAD_CASES = {
    "altered-bytes": ("report", "đã bị sửa sau khi ký"),
    "edited-after-signing": ("report", "đã bị sửa sau khi ký"),
    "partial-coverage": ("report", "một phần"),
    "expired-certificate": ("report", "không còn hiệu lực"),
    "no-signing-usage": ("report", "không được cấp để ký"),
    "manifest-other-key": ("manifest", "khóa khác"),
    "revoked": ("report", "thu hồi"),
}


def _bad_package(case, store, package, anchors):
    if case == "altered-bytes":
        return _with_pdf(package, _flip_byte)
    if case == "edited-after-signing":
        return _with_pdf(package, _edit_after_signing)
    if case == "partial-coverage":
        return _with_pdf(package, _partial)
    if case == "expired-certificate":
        return _with_pdf(package, _sign_again(store, "expired"))
    if case == "no-signing-usage":
        return _with_pdf(package, _sign_again(store, "nousage"))
    if case == "manifest-other-key":
        return _manifest_by_other_key(store)(package)
    from desktop.signing import trust

    crl = anchors.parent / "thu-hoi.crl"
    crl.write_bytes(store.ca.crl([store.certs["signer"]]))
    trust.add_crl(crl, anchors)
    return package


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_each_bad_signature_is_invalid_with_its_reason_and_never_blocks_the_data(case, sent, anchors):
    from desktop.signing.validate import INVALID

    store, packages = sent
    package = _bad_package(case, store, packages["signed"], anchors)
    check = _verify(package, anchors)
    assert check.ok, check.problems  # the data are still readable and importable
    part, reason = BAD_CASES[case]
    verdict = getattr(check.signatures, part)
    assert verdict.state == INVALID and reason in verdict.message, verdict
    assert check.signatures.overall.state == INVALID
    assert "Error" not in verdict.message and "Traceback" not in verdict.message


def _receiver(tmp_path):
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace

    fresh_database(tmp_path / "vp.sqlite3")
    return Workspace.open(tmp_path / "vp.sqlite3")


# where no unit signs, the tables carry no signature text at all ("" below); the import message still says it
@pytest.mark.parametrize("case,label", [("signed", f"Đã ký số – {SIGNER}"), ("unsigned", ""),
                                        ("altered-bytes", f"Chữ ký không hợp lệ – {SIGNER}"),
                                        ("untrusted", f"Người ký chưa được tin cậy – {SIGNER}")])
def test_collect_table_and_consolidated_report_show_the_signature_per_unit(case, label, sent, anchors, tmp_path,
                                                                              monkeypatch):
    from desktop.services.bundles import import_bundles
    from desktop.services.collect import collect, write_collect

    store, packages = sent
    package = {"signed": packages["signed"], "unsigned": packages["unsigned"], "untrusted": packages["signed"],
               "altered-bytes": None}[case]
    if package is None:
        package = _bad_package(case, store, packages["signed"], anchors)
    monkeypatch.setenv("KHBC_TRUST_DIR", str(tmp_path / "trong" if case == "untrusted" else anchors))
    path = tmp_path / "DLK-SXD_2026_v1.zip"
    path.write_bytes(package)
    workspace = _receiver(tmp_path)
    try:
        [outcome] = import_bundles(workspace, [path])
        assert outcome.status == "imported" and (label.split(" – ")[0] or "Chưa ký số") in outcome.message
        with workspace.unit_of_work() as session:
            [unit] = [u for u in collect(session, "2026", __import__("datetime").date(2026, 11, 22)).units
                      if u.versions]
        assert unit.signature == label
        pdf = write_collect(workspace, "2026", "pdf", tmp_path / "tong-hop.pdf")
    finally:
        workspace.close()
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert label.split(" – ")[0] in " ".join(text.split())
    from desktop.signing.validate import STATE_LABELS

    if not label:
        assert not any(state in " ".join(text.split()) for state in STATE_LABELS.values())


def test_export_sign_on_the_command_line_seals_the_manifest(sent, anchors, khbc_cli, tmp_path, monkeypatch):
    from desktop.services.bundles import list_exports
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace
    from desktop.signing.validate import SIGNED

    store, _ = sent
    fresh_database(tmp_path / "dv.sqlite3")
    workspace = Workspace.open(tmp_path / "dv.sqlite3")
    try:
        configure(workspace, store, tmp_path)
    finally:
        workspace.close()
    args = ("export", "--period", "2026", "--out", str(tmp_path / "goi"), "--sign", "--db", str(tmp_path / "dv.sqlite3"))
    monkeypatch.setenv("KHBC_SIGN_PIN", "000000")
    code, _, err = khbc_cli(*args)
    assert code == 1 and "Mã PIN" in err
    workspace = Workspace.open(tmp_path / "dv.sqlite3")
    try:
        assert list_exports(workspace) == []  # nothing recorded, the period is not locked
    finally:
        workspace.close()
    assert not (tmp_path / "goi").exists() or not any((tmp_path / "goi").iterdir())
    monkeypatch.setenv("KHBC_SIGN_PIN", PIN)
    code, out, err = khbc_cli(*args)
    assert code == 0, err
    package = next((tmp_path / "goi").glob("*.zip"))
    assert SIG_NAME in read_entries(package.read_bytes())
    check = _verify(package.read_bytes(), anchors)
    assert check.ok and check.signatures.overall.state == SIGNED
