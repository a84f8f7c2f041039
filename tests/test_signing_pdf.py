"""Ký số of the report on a real PKCS#11 token (SoftHSM2): valid to pdfsig and pyHanko, laid out per Nghị định 30."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO

import pytest

from tests.signing_helpers import PIN, REMOVABLE, SIGNER, TOKEN, configure, nss_db, pkcs12_file, token_store

MM = 72 / 25.4


@pytest.fixture
def store(tmp_path_factory):
    return token_store(tmp_path_factory)


@pytest.fixture
def signed(sample_workspace, store, tmp_path):
    """The sample's 2026 report signed in KHBC with the token's signer key."""
    from desktop.services.signing import sign_report

    configure(sample_workspace, store, tmp_path)
    result = sign_report(sample_workspace, "2026", PIN, out=tmp_path / "signed.pdf")
    return result, (tmp_path / "signed.pdf").read_bytes()


def test_signed_report_is_valid_to_pdfsig_against_the_test_ca(signed, store, tmp_path):
    result, _ = signed
    assert result.signer == SIGNER and result.level == "B-B"
    nss = nss_db(tmp_path / "nss", store.folder / "ca.pem")
    out = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(tmp_path / "signed.pdf")],
                         capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in out
    assert "Certificate Validation: Certificate is Trusted." in out
    assert "Total document signed" in out
    assert f"Signer Certificate Common Name: {SIGNER}" in out
    assert "ETSI.CAdES.detached" in out  # PAdES


def test_pyhanko_validation_passes_and_the_text_is_untouched(signed, store, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from desktop.signing.certs import load_certificates

    _, pdf = signed
    signature = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=load_certificates(store.ca.pem())))
    assert status.bottom_line and status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "signed.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "BÁO CÁO" in text and SIGNER in text and "PHÓ GIÁM ĐỐC" in text


def _word_boxes(pdf_path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Words with their boxes (points, origin top left) as poppler's pdftotext -bbox reads them."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf_path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(w, float(a), float(b), float(c), float(d)) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def _line_box(words, text: str):
    """The box of the last run of consecutive words reading `text`."""
    parts = text.split()
    for i in range(len(words) - len(parts), -1, -1):
        if [w[0] for w in words[i:i + len(parts)]] == parts:
            run = words[i:i + len(parts)]
            return (min(w[1] for w in run), min(w[2] for w in run), max(w[3] for w in run), max(w[4] for w in run))
    raise AssertionError(f"{text!r} not on the page")


def _colour_box(image, test):
    pixels = image.load()
    xs, ys = [], []
    for y in range(image.height):
        for x in range(image.width):
            if test(*pixels[x, y][:3]):
                xs.append(x)
                ys.append(y)
    assert xs, "colour not found on the rendered page"
    return min(xs), min(ys), max(xs), max(ys)


def test_images_sit_between_title_and_name_with_the_seal_over_the_left_third(signed, tmp_path):
    from PIL import Image

    _, pdf = signed
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "signed.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    page_number = next(i for i, page in enumerate(text.split("\f"), start=1) if SIGNER in page)
    dpi = 150
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page_number), "-l", str(page_number), "-singlefile",
                    str(tmp_path / "signed.pdf"), str(tmp_path / "trang-ky")], check=True)
    image = Image.open(tmp_path / "trang-ky.png").convert("RGB")  # looked at by hand: as Nghị định 30 shows it
    px = 72 / dpi  # points per pixel
    words = _word_boxes(tmp_path / "signed.pdf", page_number)
    title = _line_box(words, "PHÓ GIÁM ĐỐC")
    name = _line_box(words, SIGNER)
    blue = [v * px for v in _colour_box(image, lambda r, g, b: b > 150 and r < 90 and g < 110)]
    red = [v * px for v in _colour_box(image, lambda r, g, b: r > 170 and g < 90 and b < 90)]
    # the signer's image: below the title, above the name, centred on the name
    assert title[3] < blue[1] and blue[3] < name[1]
    assert abs((blue[0] + blue[2]) / 2 - (name[0] + name[2]) / 2) < 3 * MM
    # the seal: real size (36 mm), on the left, covering about one third of the signer's image
    assert abs((red[2] - red[0]) - 36 * MM) < 1.5 * MM and abs((red[3] - red[1]) - 36 * MM) < 1.5 * MM
    assert red[0] < blue[0]
    covered = (red[2] - blue[0]) / (blue[2] - blue[0])
    assert 0.28 < covered < 0.38
    assert abs((red[1] + red[3]) / 2 - (blue[1] + blue[3]) / 2) < 2 * MM


def _flattened_page_text(pdf: bytes, index: int = 0):
    """Text and font size of each character on the page with its form fields flattened (as pdfium prints them)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    page = document[index]
    raw.FPDFPage_Flatten(page.raw, raw.FLAT_PRINT)
    page.close()  # pdfium: a flattened page must be reloaded before use
    flattened = BytesIO()
    document.save(flattened)
    document.close()
    reopened = pdfium.PdfDocument(flattened.getvalue())
    page = reopened[index]
    return reopened, page, page.get_textpage()


def test_appendix_copy_gets_the_agency_text_signature_top_right(store, sample_workspace, tmp_path):
    from desktop.services.signing import read_settings
    from desktop.signing.keys import open_key
    from desktop.signing.pdf_sign import SignRequest, sign_pdf
    from desktop.signing.validate import SIGNED, check_pdf
    from desktop.signing import trust

    import pypdfium2.raw as raw

    subprocess.run([".venv/bin/khbc", "report", "--period", "2026", "--db", str(tmp_path / "khbc.sqlite3"),
                    "--out", str(tmp_path / "pl.pdf")], check=True, capture_output=True)
    configure(sample_workspace, store, tmp_path)
    settings = read_settings(sample_workspace)
    with open_key(settings.key_source(PIN)) as key:
        result = sign_pdf((tmp_path / "pl.pdf").read_bytes(), key,
                          SignRequest("appendix", agency="Sở Xây dựng tỉnh Đắk Lắk", number="12/BC-SXD"))
    trust.add_anchors(store.folder / "ca.pem", tmp_path / "tin-cay")
    assert [c.state for c in check_pdf(result.content, tmp_path / "tin-cay")] == [SIGNED]
    _document, page, textpage = _flattened_page_text(result.content)
    width, height = page.get_size()
    text = textpage.get_text_range()
    assert "Sở Xây dựng tỉnh Đắk Lắk" in text and "Số: 12/BC-SXD" in text
    stamp = re.search(r"Thời gian ký: (\d\d)\.(\d\d)\.(\d{4}) (\d\d):(\d\d):(\d\d) \+07:00", text)
    assert stamp, text[:300]
    start = text.index("Thời gian ký")
    left, bottom, right, top = textpage.get_charbox(start)
    assert left > width / 2 and top > height - 30 * MM  # top right of page 1
    assert round(raw.FPDFText_GetFontSize(textpage.raw, start)) == 10
    fonts = subprocess.run(["pdffonts", "-"], input=result.content, capture_output=True, check=True).stdout.decode()
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts  # every font embedded


@pytest.mark.parametrize("case", ["wrong-pin", "expired", "no-signing-usage", "removed", "bad-p12-password"])
def test_bad_keys_get_a_clear_message_and_nothing_saved_changes(case, store, sample_workspace, tmp_path):
    from desktop.services.signing import SigningSettings, save_settings, sign_report
    from desktop.signing.errors import SigningError
    from desktop.signing.keys import open_key

    configure(sample_workspace, store, tmp_path)
    first = sign_report(sample_workspace, "2026", PIN)  # an earlier good signature must survive the failure
    before = first.path.read_bytes()
    expected = {"wrong-pin": "Mã PIN", "expired": "đã hết hạn", "no-signing-usage": "không được cấp để ký",
                "removed": "rút ra", "bad-p12-password": "Mật khẩu của tệp khóa"}[case]
    with pytest.raises(SigningError, match=expected) as caught:
        if case == "wrong-pin":
            sign_report(sample_workspace, "2026", "000000")
        elif case in ("expired", "no-signing-usage"):
            configure(sample_workspace, store, tmp_path, key_label={"expired": "expired"}.get(case, "nousage"))
            sign_report(sample_workspace, "2026", PIN)
        elif case == "bad-p12-password":
            p12 = pkcs12_file(tmp_path / "khoa.p12", store.ca, SIGNER, "dung-mat-khau")
            save_settings(sample_workspace, SigningSettings("pkcs12", pkcs12_file=str(p12)))
            sign_report(sample_workspace, "2026", "sai-mat-khau")
        else:
            from desktop.services.signing import read_settings

            configure(sample_workspace, store, tmp_path, token=REMOVABLE)
            settings = read_settings(sample_workspace)
            from desktop.signing.pdf_sign import SignRequest, sign_pdf

            with open_key(settings.key_source(PIN)) as key:
                store.token.delete_token(REMOVABLE)  # the clerk pulls the token out in the middle of signing
                sign_pdf(before, key, SignRequest(signer_name=SIGNER, signer_title="PHÓ GIÁM ĐỐC"))
    assert re.search(r"[a-zA-Z]{3,}Error|Traceback", caught.value.message) is None
    assert first.path.read_bytes() == before


def test_a_pkcs12_file_signs_too(store, sample_workspace, tmp_path):
    from desktop.services.signing import SigningSettings, save_settings, sign_report
    from desktop.signing import trust
    from desktop.signing.validate import SIGNED, check_pdf

    p12 = pkcs12_file(tmp_path / "khoa.p12", store.ca, "Nguyễn Thị Bình", "mat-khau")
    save_settings(sample_workspace, SigningSettings("pkcs12", pkcs12_file=str(p12)))
    result = sign_report(sample_workspace, "2026", "mat-khau")
    trust.add_anchors(store.folder / "ca.pem", tmp_path / "tin-cay")
    checks = check_pdf(result.path.read_bytes(), tmp_path / "tin-cay")
    assert [(c.state, c.signer) for c in checks] == [(SIGNED, "Nguyễn Thị Bình")]


def test_an_unreachable_time_stamp_server_leaves_a_b_b_signature(store, sample_workspace, tmp_path):
    from dataclasses import replace

    from desktop.services.signing import read_settings, save_settings, sign_report

    configure(sample_workspace, store, tmp_path)
    save_settings(sample_workspace, replace(read_settings(sample_workspace), tsa_url="http://127.0.0.1:9/tsa"))
    result = sign_report(sample_workspace, "2026", PIN)  # nothing on the network is required
    assert result.level == "B-B" and result.path.read_bytes().startswith(b"%PDF")
