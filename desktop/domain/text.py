"""Vietnamese text helpers: NFC normalisation, diacritic-insensitive folding for matching, control-character removal."""

from __future__ import annotations

import re
import unicodedata

# Hyphen/dash look-alikes that PDF and Word conversions leave in the texts.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans({c: "-" for c in _DASHES})
# "ð"/"Ð" (Icelandic eth) and "Ɖ" turn up in badly converted texts in place of "đ"/"Đ".
_D_TABLE = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "Ɖ": "d", "ɖ": "d"})
_SPACES = re.compile(r"\s+")
# Invisible format characters that only get in the way (BOM, zero-width space/joiners, soft hyphen).
_INVISIBLE = {"\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"}
_LINE_BREAKS = {"\u2028", "\u2029", "\x85", "\x0b", "\x0c"}


def nfc(s: str | None) -> str:
    """NFC-normalise and strip; None becomes ""."""
    if s is None:
        return ""
    return unicodedata.normalize("NFC", str(s)).strip()


def fold(s: str | None) -> str:
    """Reduce text to a diacritic-free, lower-case, single-spaced form for tolerant matching and search."""
    if not s:
        return ""
    decomposed = unicodedata.normalize("NFD", str(s).translate(_D_TABLE).lower())
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = base.translate(_D_TABLE).translate(_DASH_TABLE)
    return _SPACES.sub(" ", base).strip()


def tolerant_pattern(phrase: str) -> str:
    """Regex for a Vietnamese phrase in folded text (see `fold`) where each accented letter may have been lost or
    turned into a space by a PDF or Word conversion ("Cơ quan ch  trì", "S Y t ")."""
    out = []
    for c in unicodedata.normalize("NFC", phrase):
        if c == " ":
            out.append(r"\s*")
        elif c in "đĐ":
            out.append("d")
        elif c.isascii():
            out.append(re.escape(c.lower()))
        else:
            out.append(f"(?:{fold(c)}| ?)")
    return "".join(out)


def strip_control(s: str) -> str:
    """Remove control characters except newline and tab; CR LF, lone CR and Unicode line separators become newline."""
    if not s:
        return ""
    s = str(s).replace("\r\n", "\n").replace("\r", "\n")
    out = []
    for c in s:
        if c in ("\n", "\t"):
            out.append(c)
        elif c in _LINE_BREAKS:
            out.append("\n")
        elif c in _INVISIBLE or unicodedata.category(c) == "Cc":
            continue
        else:
            out.append(c)
    return "".join(out)


def as_text(value: object, label: str) -> str:
    """A user-supplied text field, cleaned; anything that is not text is refused in Vietnamese."""
    if not isinstance(value, str):
        from desktop.errors import InvalidInputError

        raise InvalidInputError(f"\"{label}\" phải là văn bản.")
    return strip_control(nfc(value))


def as_text_list(value: object, label: str) -> list[str]:
    """A list of text lines (recipients, basis documents), blank lines dropped."""
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        from desktop.errors import InvalidInputError

        raise InvalidInputError(f"\"{label}\" phải là danh sách các dòng văn bản.")
    return [strip_control(nfc(v)) for v in value if v.strip()]
