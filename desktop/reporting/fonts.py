"""Find a TrueType font family that covers every Vietnamese letter and register it with ReportLab."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from desktop.errors import FontNotFoundError

log = logging.getLogger(__name__)

_VIETNAMESE_LOWER = "ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
VIETNAMESE_LETTERS: frozenset[str] = frozenset(
    _VIETNAMESE_LOWER + _VIETNAMESE_LOWER.upper() + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)


@dataclass(frozen=True)
class FontFamily:
    """Paths of the four faces of one font family; a missing face repeats the regular one."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str


@dataclass(frozen=True)
class FontCandidate:
    """One family to look for: a label for messages and, per face, the file paths to try in order."""

    label: str
    regular: tuple[str, ...]
    bold: tuple[str, ...] = ()
    italic: tuple[str, ...] = ()
    bold_italic: tuple[str, ...] = ()


_lock = threading.Lock()
_faces: dict[str, object] = {}  # resolved path -> TTFont (parsed once, reused by register_family)
_coverage: dict[tuple[str, frozenset[str]], bool] = {}  # (path, letters) -> every letter has a glyph
_registered: dict[FontFamily, str] = {}


def _windows_font_dirs() -> list[Path]:
    dirs = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    if os.name == "nt" and not dirs:
        dirs.append(Path("C:/Windows/Fonts"))
    return dirs


def _bundled_font_dirs() -> list[Path]:
    # Fonts shipped with the program (resources/fonts in the source tree or in a PyInstaller bundle).
    dirs = [Path(__file__).resolve().parents[2] / "resources" / "fonts"]
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        dirs.append(Path(meipass) / "resources" / "fonts")
    return dirs


def _faces_in(dirs: list[Path], regular: str, bold: str, italic: str, bold_italic: str) -> FontCandidate:
    return FontCandidate(
        "", tuple(str(d / regular) for d in dirs), tuple(str(d / bold) for d in dirs),
        tuple(str(d / italic) for d in dirs), tuple(str(d / bold_italic) for d in dirs),
    )


def _merge(label: str, *parts: FontCandidate) -> FontCandidate:
    return FontCandidate(
        label,
        tuple(p for c in parts for p in c.regular), tuple(p for c in parts for p in c.bold),
        tuple(p for c in parts for p in c.italic), tuple(p for c in parts for p in c.bold_italic),
    )


def candidate_families() -> list[FontCandidate]:
    """The system families tried in order when no custom font is set (tests monkeypatch this)."""
    ms_dirs = [Path("/usr/share/fonts/truetype/msttcorefonts"), Path("/usr/share/fonts/msttcore"),
               Path("/usr/share/fonts/TTF"), Path.home() / ".fonts", Path.home() / ".local/share/fonts"]
    mac_dirs = [Path("/Library/Fonts"), Path("/System/Library/Fonts/Supplemental"), Path.home() / "Library/Fonts"]
    times = _merge(
        "Times New Roman",
        _faces_in(_windows_font_dirs() + ms_dirs, "times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
        _faces_in(ms_dirs, "Times_New_Roman.ttf", "Times_New_Roman_Bold.ttf", "Times_New_Roman_Italic.ttf",
                  "Times_New_Roman_Bold_Italic.ttf"),
        _faces_in(mac_dirs, "Times New Roman.ttf", "Times New Roman Bold.ttf", "Times New Roman Italic.ttf",
                  "Times New Roman Bold Italic.ttf"),
    )
    lib_dirs = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
                Path("/usr/share/fonts/liberation-serif"), Path("/usr/share/fonts/liberation"),
                Path("/usr/share/fonts/TTF"), *_bundled_font_dirs()]
    liberation = _merge(
        "Liberation Serif",
        _faces_in(lib_dirs, "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                  "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"),
    )
    dejavu_dirs = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
                   Path("/usr/share/fonts/dejavu-serif-fonts"), Path("/usr/share/fonts/TTF"), *_bundled_font_dirs()]
    dejavu = _merge(
        "DejaVu Serif",
        _faces_in(dejavu_dirs, "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                  "DejaVuSerif-BoldItalic.ttf"),
    )
    return [times, liberation, dejavu]


def _sibling_names(stem: str) -> tuple[list[str], list[str], list[str]]:
    """Likely file stems of the bold, italic and bold italic faces for a regular face's stem."""
    for suffix in ("-Regular", "_Regular", " Regular", "-Roman", "-Book"):
        if stem.lower().endswith(suffix.lower()):
            base, sep = stem[: -len(suffix)], suffix[0]
            return ([base + sep + "Bold"], [base + sep + "Italic", base + sep + "Oblique"],
                    [base + sep + "BoldItalic", base + sep + "Bold" + sep + "Italic", base + sep + "BoldOblique"])
    if " " in stem:  # "Times New Roman" -> "Times New Roman Bold"
        return [stem + " Bold"], [stem + " Italic"], [stem + " Bold Italic"]
    if "_" in stem:  # "Times_New_Roman" -> "Times_New_Roman_Bold"
        return [stem + "_Bold"], [stem + "_Italic"], [stem + "_Bold_Italic", stem + "_BoldItalic"]
    return (
        [stem + "bd", stem + "b", stem + "-Bold"],  # timesbd, georgiab, DejaVuSerif-Bold
        [stem + "i", stem + "-Italic", stem + "-Oblique"],
        [stem + "bi", stem + "z", stem + "-BoldItalic", stem + "-BoldOblique"],
    )


def _custom_candidate(custom_path: str) -> FontCandidate:
    regular = Path(custom_path).expanduser()
    try:
        listing = {p.name.lower(): p for p in regular.parent.iterdir() if p.is_file()}
    except OSError:
        listing = {}
    bold_names, italic_names, bi_names = _sibling_names(regular.stem)
    ext = regular.suffix or ".ttf"

    def find(stems: list[str]) -> tuple[str, ...]:
        hits = []
        for stem in stems:
            for suffix in dict.fromkeys((ext, ".ttf", ".TTF")):
                found = listing.get((stem + suffix).lower())
                if found is not None:
                    hits.append(str(found))
        return tuple(hits)

    return FontCandidate(f"phông tự chọn ({regular})", (str(regular),), find(bold_names),
                         find(italic_names), find(bi_names))


def _load_face(path: str):
    """Parse a TrueType file once; (resolved path, TTFont) or None when absent, unreadable or not Vietnamese."""
    from reportlab.pdfbase.ttfonts import TTFont  # ReportLab stays out of the start-up path

    try:
        resolved = str(Path(path).resolve())
    except OSError:
        return None
    with _lock:
        face = _faces.get(resolved)
    if face is None:
        if not os.path.isfile(resolved):
            return None
        digest = hashlib.sha1(resolved.encode("utf-8")).hexdigest()[:8]
        name = "KHBC-" + re.sub(r"[^A-Za-z0-9]+", "", Path(resolved).stem)[:40] + "-" + digest
        try:
            face = TTFont(name, resolved)
        except Exception as exc:  # TTFError, truncated files, PostScript-outline OTF …
            log.warning("Bỏ qua phông %s: %s", resolved, exc)
            return None
        with _lock:
            face = _faces.setdefault(resolved, face)
    letters = VIETNAMESE_LETTERS
    with _lock:
        covers = _coverage.get((resolved, letters))
    if covers is None:
        cmap = face.face.charToGlyph
        covers = all(ord(ch) in cmap for ch in letters)
        with _lock:
            _coverage[(resolved, letters)] = covers
        if not covers:
            log.warning("Bỏ qua phông %s: thiếu chữ cái tiếng Việt", resolved)
    return (resolved, face) if covers else None


def _first_face(paths: tuple[str, ...]):
    for path in paths:
        loaded = _load_face(path)
        if loaded is not None:
            return loaded
    return None


def _family_from(candidate: FontCandidate, name: str) -> FontFamily | None:
    regular = _first_face(candidate.regular)
    if regular is None:
        return None
    bold = _first_face(candidate.bold) or regular
    italic = _first_face(candidate.italic) or regular
    bold_italic = _first_face(candidate.bold_italic) or (bold if bold is not regular else italic)
    return FontFamily(name, regular[0], bold[0], italic[0], bold_italic[0])


def find_font_family(custom_path: str | None = None) -> FontFamily:
    """The custom font (if set and usable), else Times New Roman, Liberation Serif, DejaVu Serif.

    Raises FontNotFoundError (Vietnamese message) when none is installed with full Vietnamese coverage.
    """
    candidates = []
    custom = str(custom_path).strip() if custom_path else ""
    if custom:
        candidates.append(_custom_candidate(custom))
    candidates.extend(candidate_families())
    for index, candidate in enumerate(candidates):
        name = Path(custom).stem if index == 0 and custom else candidate.label
        family = _family_from(candidate, name)
        if family is not None:
            if index > 0 and custom:
                log.warning("Không dùng được phông %s, chuyển sang %s", custom_path, family.name)
            return family
    looked_for = ", ".join(c.label for c in candidates)
    raise FontNotFoundError(
        "Không tìm thấy phông chữ hỗ trợ đầy đủ tiếng Việt để in văn bản. "
        f"Đã tìm: {looked_for}. "
        "Hãy cài phông Times New Roman (hoặc Liberation Serif, DejaVu Serif), "
        "hoặc vào Cài đặt → Phông chữ để chọn tệp phông .ttf có đủ dấu tiếng Việt "
        "(ví dụ C:\\Windows\\Fonts\\times.ttf)."
    )


def check_font_file(path: str) -> FontFamily:
    """Strict check for the Cài đặt dialog: this very file must be TrueType with every Vietnamese letter.

    Unlike find_font_family (which falls back to the system fonts at print time), a wrong file is refused.
    """
    file = Path(str(path).strip()).expanduser()
    if not file.is_file():
        raise FontNotFoundError(f"Không tìm thấy tệp phông {file}. Hãy chọn lại tệp .ttf "
                                "(ví dụ C:\\Windows\\Fonts\\times.ttf).")
    family = _family_from(_custom_candidate(str(file)), file.stem)
    if family is None:
        raise FontNotFoundError(f"Không dùng được tệp {file.name}: không phải phông TrueType (.ttf) hoặc thiếu "
                                "chữ cái tiếng Việt. Hãy chọn phông khác, ví dụ Times New Roman (times.ttf).")
    return family


def register_family(family: FontFamily) -> str:
    """Register the four faces with ReportLab (once) and return the base font name for styles.

    <b>/<i> in Paragraph markup and reportlab.lib.fonts.tt2ps map to the bold/italic faces.
    """
    with _lock:
        known = _registered.get(family)
    if known is not None:
        return known
    from reportlab.pdfbase import pdfmetrics

    faces = []
    for path in (family.regular, family.bold, family.italic, family.bold_italic):
        loaded = _load_face(path)
        if loaded is None:
            raise FontNotFoundError(f"Không đọc được tệp phông {path}. Hãy chọn lại phông chữ trong Cài đặt.")
        faces.append(loaded[1])
    for face in faces:
        if face.fontName not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(face)
    base = faces[0].fontName
    pdfmetrics.registerFontFamily(base, normal=base, bold=faces[1].fontName, italic=faces[2].fontName,
                                  boldItalic=faces[3].fontName)
    with _lock:
        _registered[family] = base
    return base
