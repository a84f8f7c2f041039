"""Repairing converted plan text: unified bullets, page numbers dropped, broken lines joined, paragraphs classified.

A paragraph continues on the next non-blank line when it does not end a sentence (no . : ; ! ?) and the
next line starts with a lower-case letter that is not an item marker ("a)"). A line holding only digits
("12", "- 3 -", "Trang 4") is a page number. A lone marker ("a)", "2.", "-") joins the line after it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from desktop.domain.text import fold, nfc, strip_control

_BULLETS = "–—−‒―•●▪◦·∙○■□►▸➢✓-"
_BULLET_RE = re.compile(rf"^\s*[{re.escape(_BULLETS)}]\s*(?=\S)")
_PLUS_RE = re.compile(r"^\s*\+\s*(?=\S)")
_STAR_RE = re.compile(r"^\s*\*\s+(?=\S)")
_PAGE_RE = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.IGNORECASE)
_MARKDOWN = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")
_LONE_MARKER = re.compile(r"^(?:[a-zđ][).]|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?|[IVXL]{1,5}\.|[-+])$")
_ROMAN = re.compile(r"^([IVXL]{1,5})\s*[.)]\s*(\S.*)$|^([IVXL]{1,5})\s+(\S.*)$")
_ROMAN_VALID = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_PART = re.compile(r"^([A-HK-UWYZ])\s*[.)]\s+(\S.*)$")
_NUM = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})(\.|\))?\s+(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\s*[).]\s+(\S.*)$")
_ITEM_START = re.compile(r"^(?:[a-zđ]\s*[).]\s|\d{1,2}(?:\.\d{1,2}){0,3}[.)]?\s)")
_END_SENTENCE = ".:;!?…"
_STOP = re.compile(r"^(?:noi nhan|nhan duoc van ban nay)\b")
_CLOSING = re.compile(r"^(?:tren day la|trong qua trinh (?:trien khai|thuc hien|to chuc))")
_SIGNATURE = re.compile(r"^(?:kt|tm|tl|tuq|q)\s*\.\s*\S")
_APPENDIX = re.compile(r"^phu luc\b")


@dataclass
class Line:
    text: str
    number: int  # 1-based line number in the source


@dataclass
class Para:
    """A logical paragraph: its kind, its marker as written ("III", "2.1", "a", "-") and its text."""

    kind: str  # roman | num | letter | bullet | plain | stop | closing | appendix
    label: str
    text: str
    line: int


def clean_lines(text: str) -> list[Line]:
    """Source lines as NFC text without control characters, Markdown emphasis, odd bullets or trailing space."""
    text = strip_control(unicodedata.normalize("NFC", text or ""))
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.replace("\u00a0", " ").replace("\u3000", " ").rstrip()
        if "\t" not in line:
            line = _MARKDOWN.sub("", line)
        line = _BULLET_RE.sub("- ", line, count=1)
        line = _PLUS_RE.sub("+ ", line, count=1)
        line = _STAR_RE.sub("- ", line, count=1)
        lines.append(Line(line, number))
    return lines


def is_page_number(line: str) -> bool:
    return bool(_PAGE_RE.match(line)) and "\t" not in line


def _continues(previous: str, line: str) -> bool:
    """Does `line` carry on the paragraph `previous` (broken mid-sentence by a conversion)?"""
    if not previous or "\t" in previous or "\t" in line:
        return False
    if _LONE_MARKER.match(previous.strip()):
        return True
    if previous.rstrip()[-1] in _END_SENTENCE:
        return False
    stripped = line.lstrip()
    first = next((c for c in stripped if c.isalnum()), "")
    if not first or _ITEM_START.match(stripped) or stripped.startswith(("- ", "+ ")):
        return False
    return first.islower() or (first.isdigit() and previous.rstrip()[-1] == ",")


def join_lines(lines: list[Line]) -> list[Line]:
    """Merge lines broken mid-sentence and drop page numbers between paragraphs (tab rows are kept as they are)."""
    out: list[Line] = []
    for line in lines:
        text = line.text.strip() if "\t" not in line.text else line.text
        if not text.strip():
            continue
        if is_page_number(text):
            continue
        if out and _continues(out[-1].text, text):
            glue = " " if not out[-1].text.endswith("-") or out[-1].text.endswith(" -") else ""
            out[-1] = Line(out[-1].text.rstrip() + glue + text.strip(), out[-1].number)
        else:
            out.append(Line(text, line.number))
    return out


def classify(line: Line) -> Para:
    text = line.text.strip()
    folded = fold(text)
    if _STOP.match(folded):
        return Para("stop", "", text, line.number)
    if _APPENDIX.match(folded) and len(folded) < 80:
        return Para("appendix", "", text, line.number)
    if _CLOSING.match(folded) or _SIGNATURE.match(folded):
        return Para("closing", "", text, line.number)
    match = _ROMAN.match(text)
    if match:
        label, body = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        if _ROMAN_VALID.match(label) and body[:1].isupper():
            return Para("roman", label, body.strip(), line.number)
    match = _PART.match(text)
    if match and sum(c.isupper() for c in match.group(2)) > sum(c.islower() for c in match.group(2)):
        return Para("roman", match.group(1), match.group(2).strip(), line.number)  # "A. NHIỆM VỤ CHUNG"
    match = _NUM.match(text)
    if match and (match.group(2) or match.group(3)[:1].isupper()):
        return Para("num", match.group(1), match.group(3).strip(), line.number)
    match = _LETTER.match(text)
    if match:
        return Para("letter", match.group(1), match.group(2).strip(), line.number)
    if text.startswith(("- ", "+ ")):
        return Para("bullet", text[0], text[2:].strip(), line.number)
    return Para("plain", "", text, line.number)


def paragraphs(text: str) -> list[Para]:
    """The text as classified paragraphs (lines holding tabs are left to the table reader)."""
    return [classify(line) for line in join_lines(clean_lines(text)) if "\t" not in line.text]


def title_of(lines: list[Line]) -> str:
    """The summary line under "KẾ HOẠCH"/"PHỤ LỤC", or the "V/v …" line of a letter; "" when none."""
    texts = [nfc(line.text).strip() for line in lines if line.text.strip()]
    for i, text in enumerate(texts[:-1]):
        folded = fold(text).strip("*# ")
        if folded in ("ke hoach", "chuong trinh", "de an", "phu luc") or folded.startswith("phu luc "):
            nxt = texts[i + 1]
            if fold(nxt).startswith(("phan cong", "danh muc")) or len(nxt) > 12:
                return nxt.strip("*# ")
        if folded.startswith("v/v"):
            return re.sub(r"^[Vv]/[Vv]\.?\s*", "", text).strip()
    return ""
