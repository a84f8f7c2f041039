"""Splitting a "chủ trì"/"phối hợp" field into the bodies it names, without cutting names that contain "và" or commas.

Order of work: ";" (and line breaks before a new body) always separate; "," separates only where the
next piece looks like a body of its own ("Sở Văn hóa, Thể thao và Du lịch" stays whole, and so does
"Các sở, ban, ngành"); "và" separates only before a body ("… và các đơn vị liên quan", "Công an tỉnh
và Sở Y tế") and never inside a known name. "Đề nghị", "Giao" and similar openings are dropped, the
first letter is capitalised, and names damaged in conversion are repaired from the list of known bodies.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from desktop.domain.text import fold, nfc, strip_control
from desktop.importers.units import agency_data, known_agencies, looks_damaged, plain, repair

_TRAIL = " \t.;,:-–—"
_LEAD = " \t-–—•*+·●▪:;,."
_ACRONYM = re.compile(r"^[A-ZĐ]{2,}\b")
_LINE_GLUE = re.compile(r"\s*\n\s*")
_VA = re.compile(r"\s+(?:và|cùng)\s+", re.IGNORECASE)
MAX_UNITS = 40
_NOT_STARTS: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], re.Pattern, tuple[str, ...], tuple[str, ...]]:
    data = agency_data()
    starts = tuple(data["body_starts"])
    global _NOT_STARTS
    _NOT_STARTS = tuple(data.get("not_body_starts", ()))
    categories = sorted(data["categories"], key=len, reverse=True)
    plural = re.compile(r"^(?:các|những)\s+(?:" + "|".join(re.escape(c) for c in categories) + r")\b")
    prefixes = tuple(sorted(data["prefixes"], key=len, reverse=True))
    return starts, plural, prefixes, tuple(categories)


def _lower(text: str) -> str:
    return nfc(text).lower().replace("uỷ", "ủy").replace("toà", "tòa")


def strip_prefixes(text: str) -> str:
    """Drop openings such as "Đề nghị", "Giao", "Cơ quan chủ trì:" when a body follows them."""
    _, _, prefixes, _ = _vocabulary()
    text = text.strip(_LEAD)
    changed = True
    while changed:
        changed = False
        low = _lower(text)
        for prefix in prefixes:
            if low.startswith(prefix) and len(low) > len(prefix) and low[len(prefix)] in " :":
                rest = text[len(prefix):].strip(_LEAD)
                if rest and (prefix == "đề nghị" or looks_like_body(rest, prefixed=False)):
                    text, changed = rest, True
                    break
    return text


def looks_like_body(text: str, prefixed: bool = True) -> bool:
    """Does this text start like the name of a body ("Sở …", "Công an …", "các đơn vị …", "UBND …")?"""
    starts, plural, _, _ = _vocabulary()
    text = text.strip(_LEAD)
    if prefixed:
        text = strip_prefixes(text)
    low = _lower(text) + " "
    if low.startswith(_NOT_STARTS):
        return False
    if low.startswith(starts) or plural.match(low):
        return True
    if _ACRONYM.match(text):
        return True
    return looks_damaged(text) and repair(text) != text


def _bare_category(text: str) -> bool:
    """A lower-level item of a list begun by "các …": "ban", "ngành cấp tỉnh", "đơn vị liên quan"."""
    _, _, _, categories = _vocabulary()
    low = _lower(text).strip(_LEAD)
    return any(low == c or low.startswith(c + " ") for c in categories)


def _starts_listing(text: str) -> bool:
    _, plural, _, _ = _vocabulary()
    tail = _lower(text.split(" và ")[-1]).strip(_LEAD)
    return bool(plural.match(tail)) and len(tail.split()) <= 4


def _comma_pieces(part: str) -> list[str]:
    """Split on commas outside parentheses, then glue back the pieces that do not start a new body."""
    raw, depth, current = [], 0, []
    for ch in part:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if ch == "," and depth == 0:
            raw.append("".join(current))
            current = []
        else:
            current.append(ch)
    raw.append("".join(current))
    merged: list[str] = []
    listing = False
    for piece in (p.strip() for p in raw):
        if not piece:
            continue
        if merged and (not looks_like_body(piece) or (listing and _bare_category(piece))):
            merged[-1] = f"{merged[-1]}, {piece}"
            listing = listing and _bare_category(piece)
            continue
        merged.append(piece)
        listing = _starts_listing(piece)
    return merged


def _inside_known_name(text: str, start: int, end: int) -> bool:
    """Does the "và" at text[start:end] sit inside a known body's name?"""
    folded = plain(text)
    for name in known_agencies():
        key = plain(name)
        if " va " not in f" {key} ":
            continue
        at = folded.find(key)
        if at < 0:
            continue
        # Map the character span roughly: compare the folded prefix lengths of the two texts.
        before = plain(text[:start])
        if at <= len(before) < at + len(key):
            return True
    return False


def _split_va(piece: str) -> list[str]:
    out: list[str] = []
    rest = piece
    while True:
        for match in _VA.finditer(rest):
            right = rest[match.end():]
            if not looks_like_body(right) or (right[:1].islower() and _bare_category(right)):
                continue
            if _inside_known_name(rest, match.start(), match.end()):
                continue
            out.append(rest[:match.start()])
            rest = right
            break
        else:
            out.append(rest)
            return out


def _tidy(name: str, extra: Iterable[str]) -> str:
    name = strip_prefixes(" ".join(name.split())).strip(_TRAIL)
    if name.count("(") > name.count(")"):
        name = name.rstrip("(").strip(_TRAIL)
    name = repair(name, extra)
    return name[:1].upper() + name[1:] if name else ""


def _join_lines(text: str) -> str:
    """A line break starts a new body when the next line looks like one; otherwise it is a space."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    out = ""
    for line in lines:
        if not out:
            out = line
        elif looks_like_body(line) and not out.endswith(","):
            out = f"{out}; {line}"
        else:
            out = f"{out} {line}"
    return out


def split_units(text: str | None, extra: Iterable[str] = ()) -> list[str]:
    """The bodies named in a field, in order, without duplicates; `extra` names help repair damaged ones."""
    if not text or not text.strip():
        return []
    return list(_split_units(text, tuple(extra)))


@functools.lru_cache(maxsize=4096)
def _split_units(text: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    text = strip_control(nfc(text))
    text = _join_lines(_LINE_GLUE.sub("\n", text))
    names: list[str] = []
    seen: set[str] = set()
    for part in text.split(";"):
        part = strip_prefixes(part)
        if not part.strip(_TRAIL):
            continue
        for piece in _comma_pieces(part):
            for name in _split_va(strip_prefixes(piece)):
                name = _tidy(name, extra)
                key = fold(name)
                if name and key not in seen and any(c.isalpha() for c in name):
                    seen.add(key)
                    names.append(name)
                if len(names) >= MAX_UNITS:
                    return tuple(names)
    return tuple(names)
