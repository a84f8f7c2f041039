"""The visible signature drawn as a small PDF page (ReportLab): images for the report, Vietnamese text for appendices."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

from desktop.signing.errors import SigningError
from desktop.signing.placement import Box, StampLayout

VIETNAM = timezone(timedelta(hours=7), "ICT")
APPENDIX_FONT_SIZE = 10


@dataclass(frozen=True)
class SignatureImages:
    """The two PNG images chosen in Cài đặt, and the seal's real diameter in millimetres."""

    signer_png: str = ""
    seal_png: str = ""
    seal_mm: float = 36.0


def check_png(path: str, what: str) -> tuple[int, int]:
    """Pixel size of a transparent PNG; refuses anything else with a message naming the image."""
    from PIL import Image

    file = Path(path)
    try:
        with Image.open(file) as image:
            fmt, mode, info, size = image.format, image.mode, dict(image.info), image.size
    except FileNotFoundError:
        raise SigningError(f"Không tìm thấy tệp ảnh {what} \"{file}\". Hãy chọn lại trong Cài đặt › Ký số.") from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for damaged files
        raise SigningError(f"Tệp \"{file.name}\" không phải ảnh dùng được cho {what}.") from None
    if fmt != "PNG":
        raise SigningError(f"Ảnh {what} phải là tệp PNG nền trong suốt (tệp \"{file.name}\" là {fmt}).")
    if mode not in ("RGBA", "LA", "PA") and "transparency" not in info:
        raise SigningError(f"Ảnh {what} \"{file.name}\" không có nền trong suốt; hãy dùng PNG nền trong suốt.")
    return size


def vietnam_time_text(moment: datetime) -> str:
    """"08.06.2026 10:15:30 +07:00": day month year; hour minute second; Vietnam's offset as ISO 8601 writes it."""
    local = moment.astimezone(VIETNAM)
    return local.strftime("%d.%m.%Y %H:%M:%S ") + "+07:00"


def _canvas(box: Box, font: str):
    from reportlab.pdfgen.canvas import Canvas

    out = BytesIO()
    # the initial font is the embedded Vietnamese one: ReportLab's default (Helvetica) would be an unembedded font
    canvas = Canvas(out, pagesize=(box.width, box.height), invariant=1, initialFontName=font)
    return canvas, out


def _draw_image(canvas, path: str, image: Box, field: Box) -> None:
    canvas.drawImage(path, image.left - field.left, image.bottom - field.bottom, image.width, image.height,
                     mask="auto", preserveAspectRatio=False)


def report_stamp(layout: StampLayout, images: SignatureImages, font_file: str | None = None) -> bytes:
    """The signer's image, with the seal drawn over its left third (as a paper seal would be)."""
    canvas, out = _canvas(layout.field, _appendix_font(font_file))
    if layout.signer_image:
        _draw_image(canvas, images.signer_png, layout.signer_image, layout.field)
    if layout.seal_image:
        _draw_image(canvas, images.seal_png, layout.seal_image, layout.field)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def appendix_lines(agency: str, number: str, moment: datetime) -> list[str]:
    lines = [agency]
    if number:
        lines.append(f"Số: {number}")
    lines.append(f"Thời gian ký: {vietnam_time_text(moment)}")
    return [unicodedata.normalize("NFC", line) for line in lines if line]


def appendix_height(lines: list[str], width: float, font_file: str | None = None) -> float:
    font = _appendix_font(font_file)
    return (len(_wrapped(lines, font, width)) * APPENDIX_FONT_SIZE * 1.2) + 4


def _appendix_font(font_file: str | None) -> str:
    from desktop.reporting.fonts import find_font_family, register_family

    return register_family(find_font_family(font_file))


def _wrapped(lines: list[str], font: str, width: float) -> list[str]:
    from reportlab.lib.utils import simpleSplit

    out = []
    for line in lines:
        out.extend(simpleSplit(line, font, APPENDIX_FONT_SIZE, width - 2) or [""])
    return out


def appendix_stamp(box: Box, lines: list[str], font_file: str | None = None) -> bytes:
    """Text only, Times New Roman (or the report's Vietnamese font) 10 pt, upright, black; long lines wrap."""
    font = _appendix_font(font_file)
    canvas, out = _canvas(box, font)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(font, APPENDIX_FONT_SIZE)
    y = box.height - APPENDIX_FONT_SIZE - 1
    for line in _wrapped(lines, font, box.width):
        canvas.drawString(1, y, line)
        y -= APPENDIX_FONT_SIZE * 1.2
    canvas.showPage()
    canvas.save()
    return out.getvalue()
