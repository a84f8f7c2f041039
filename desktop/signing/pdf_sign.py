"""Signing a PDF as PAdES (B-B, or B-T with a reachable time-stamping authority) with the visible appearance."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from desktop.signing.appearance import (SignatureImages, appendix_height, appendix_lines, appendix_stamp, check_png,
                                        report_stamp)
from desktop.signing.errors import SigningError, token_error_message
from desktop.signing.keys import OpenKey
from desktop.signing.placement import (Box, appendix_box, find_signature_block, page_size, signature_layout)
from desktop.signing.timestamp import reachable_timestamper

REPORT_FIELD = "ChuKyNguoiKy"
APPENDIX_FIELD = "ChuKyCoQuan"


@dataclass(frozen=True)
class SignRequest:
    """What to sign and how it should look: "report" (images in the signature block) or "appendix" (text, page 1)."""

    layout: str = "report"
    signer_name: str = ""
    signer_title: str = ""
    images: SignatureImages = SignatureImages()
    agency: str = ""
    number: str = ""
    tsa_url: str = ""
    font_file: str | None = None


@dataclass(frozen=True)
class SignedPdf:
    content: bytes
    signer: str
    signed_at: datetime
    level: str  # "B-B" or "B-T"


def _report_appearance(pdf: bytes, request: SignRequest) -> tuple[int, Box, bytes]:
    signer_px = check_png(request.images.signer_png, "chữ ký") if request.images.signer_png else None
    seal_mm = None
    if request.images.seal_png:
        check_png(request.images.seal_png, "con dấu")
        seal_mm = request.images.seal_mm
    block = find_signature_block(pdf, request.signer_name, request.signer_title)
    layout = signature_layout(block, signer_px, seal_mm)
    return layout.page, layout.field, report_stamp(layout, request.images, request.font_file)


def _appendix_appearance(pdf: bytes, request: SignRequest, moment: datetime, holder: str) -> tuple[int, Box, bytes]:
    width, height = page_size(pdf, 0)
    lines = appendix_lines(request.agency or holder, request.number, moment)
    box = appendix_box(width, height)
    box = appendix_box(width, height, height=appendix_height(lines, box.width, request.font_file))
    return 0, box, appendix_stamp(box, lines, request.font_file)


def _check_pdf(pdf: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        reader.root  # noqa: B018 - parsing the catalogue proves the file is a PDF we can extend
    except Exception:  # noqa: BLE001
        raise SigningError("Tệp cần ký không phải tệp PDF đọc được.") from None


def _explain(exc: BaseException) -> str:
    cause: BaseException | None = exc
    while cause is not None:  # pyHanko may wrap the token's own error
        if type(cause).__module__.startswith("pkcs11"):
            return token_error_message(cause)
        cause = cause.__cause__ or cause.__context__
    if "already" in str(exc).lower() and "field" in str(exc).lower():
        return "Văn bản đã có chữ ký ở vị trí này; không ký chồng lên chữ ký cũ."
    return f"Không ký được văn bản ({type(exc).__name__}); văn bản chưa được ký và không có gì bị thay đổi."


def sign_pdf(pdf: bytes, key: OpenKey, request: SignRequest) -> SignedPdf:
    """Add one signature as an incremental update; the input bytes stay, unchanged, at the start of the output."""
    from pyhanko.pdf_utils import layout as pdf_layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.stamp import StaticStampStyle

    _check_pdf(pdf)
    moment = datetime.now(timezone.utc)
    if request.layout == "appendix":
        page, box, stamp = _appendix_appearance(pdf, request, moment, key.holder)
        field_name = APPENDIX_FIELD
    else:
        page, box, stamp = _report_appearance(pdf, request)
        field_name = REPORT_FIELD
    timestamper = reachable_timestamper(request.tsa_url)
    with tempfile.TemporaryDirectory(prefix="khbc-sign-") as folder:
        stamp_file = Path(folder) / "stamp.pdf"
        stamp_file.write_bytes(stamp)
        style = StaticStampStyle.from_pdf_file(
            str(stamp_file), border_width=0,
            background_layout=pdf_layout.SimpleBoxLayoutRule(
                x_align=pdf_layout.AxisAlignment.ALIGN_MIN, y_align=pdf_layout.AxisAlignment.ALIGN_MIN,
                margins=pdf_layout.Margins.uniform(0), inner_content_scaling=pdf_layout.InnerScaling.NO_SCALING))
        meta = signers.PdfSignatureMetadata(
            field_name=field_name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
            name=key.holder, location=request.agency or None, reason="Ký số báo cáo" if field_name == REPORT_FIELD
            else "Ký số của cơ quan, tổ chức")
        spec = fields.SigFieldSpec(field_name, on_page=page, box=(box.left, box.bottom, box.right, box.top))
        out = BytesIO()
        try:
            pdf_signer = signers.PdfSigner(meta, signer=key.signer, timestamper=timestamper, stamp_style=style,
                                           new_field_spec=spec)
            pdf_signer.sign_pdf(IncrementalPdfFileWriter(BytesIO(pdf), strict=False), output=out)
        except SigningError:
            raise
        except Exception as exc:  # noqa: BLE001 - token, library and field errors all end here
            raise SigningError(_explain(exc)) from None
    signed = out.getvalue()
    if not signed.startswith(pdf):
        raise SigningError("Bản ký không giữ nguyên nội dung văn bản gốc; đã hủy bản ký.")
    return SignedPdf(signed, key.holder, moment, "B-T" if timestamper else "B-B")
