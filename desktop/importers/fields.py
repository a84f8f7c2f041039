"""Labelled fields inside plan text ("- Cơ quan chủ trì: …", "Thời gian thực hiện: …") and timeframe phrases.

Labels are found on folded text, tolerating letters lost in conversion ("Cơ quan ch  trì"); a label
counts only at the start of a line or item, or after ";", ".", "(" or ",", and must be followed by ":".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from desktop.domain.text import fold
from desktop.domain.text import tolerant_pattern as _tol  # short: it is spelled out in every label below


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one character, so positions map back to `text`."""
    return "".join(_fold_char(ch) for ch in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐðÐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


_OWNER = rf"(?:(?:{_tol('cơ quan')}|{_tol('đơn vị')}|{_tol('bộ phận')})\s*)?"
_LABELS = {
    "lead": rf"{_OWNER}(?:{_tol('chủ trì')}(?:\s*{_tol('thực hiện')})?|{_tol('thực hiện chính')}"
            rf"|{_tol('chịu trách nhiệm chính')})"
            rf"|(?:{_tol('cơ quan')}|{_tol('đơn vị')}|{_tol('trách nhiệm')})\s*{_tol('thực hiện')}",
    "cooperating": rf"{_OWNER}{_tol('phối hợp')}(?:\s*{_tol('thực hiện')})?",
    "timeframe": rf"(?:{_tol('thời gian')}|{_tol('thời hạn')})(?:\s*(?:{_tol('thực hiện')}|{_tol('hoàn thành')}"
                 rf"|{_tol('triển khai')}))?|{_tol('tiến độ')}(?:\s*{_tol('thực hiện')})?",
    "output": rf"(?:{_tol('kết quả')}|{_tol('sản phẩm')})(?:\s*(?:{_tol('dự kiến')}|{_tol('đầu ra')}"
              rf"|{_tol('cần đạt')}|{_tol('chủ yếu')}))?",
}
_LABEL_RE = re.compile(
    r"(?:^|(?<=[;.(,\n])|(?<=[;.(,]\s)|(?<=[;.(]\s\s))\s*[-+]?\s*("
    + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")\s*[:：]", re.ASCII)
_TRIM = " \t;,.-–)("


@dataclass
class Fields:
    """The text before the first label and the labelled values in order of appearance."""

    before: str
    values: list[tuple[str, str]]

    def get(self, name: str) -> str | None:
        found = [v for k, v in self.values if k == name]
        return "; ".join(v for v in found if v) if found else None


def split_fields(text: str) -> Fields:
    """Find "chủ trì:", "phối hợp:", "thời gian …:", "kết quả …:" labels in `text`."""
    folded = fold_same_length(text)
    matches = [m for m in _LABEL_RE.finditer(folded)]
    if not matches:
        return Fields(text.strip(), [])
    values: list[tuple[str, str]] = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        kind = next(k for k in _LABELS if match.group(k) is not None)
        value = text[match.end():end].strip()
        if value.endswith(")") and value.count(")") > value.count("("):
            value = value[:-1]
        values.append((kind, value.strip(_TRIM)))
    before = text[:matches[0].start()].strip()
    before = re.sub(r"[\s(\-–;,]+$", "", before)
    return Fields(before, values)


def has_fields(text: str) -> bool:
    return bool(_LABEL_RE.search(fold_same_length(text)))


# --- timeframes written inside a sentence ("… trước ngày 15/11 hàng năm") ---

_DAY = r"(\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?)"
_BEFORE_DAY = re.compile(rf"(?:truoc|cham nhat|han chot|hoan thanh truoc)\s*(?:ngay\s*)?{_DAY}"
                         rf"(?:\s*(?:va|,)\s*(?:ngay\s*)?{_DAY})*")
_EVERY = re.compile(r"\b(?:hang|moi)\s*(?:nam|quy|thang)\b|\bdinh ky\b|\b0?6 thang\b|\b01 nam\b")
_PERIOD_RE = re.compile(
    r"\b(?:trong|truoc|den|hoan thanh(?: trong| truoc)?)\s+"
    r"((?:quy\s*[ivx1-4]+|thang\s*\d{1,2}|nam|6 thang (?:dau|cuoi) nam)\s*(?:/|nam)?\s*\d{4})")
_QUARTER_RE = re.compile(r"quy\s*([ivx]+|[1-4])\s*(?:/|nam)?\s*(\d{4})")
_MONTH_RE = re.compile(r"thang\s*(\d{1,2})\s*(?:/|nam)?\s*(\d{4})")
_ALWAYS = re.compile(r"^\s*(?:thuong xuyen|lien tuc)\b")


def guess_timeframe(text: str) -> str:
    """A timeframe phrase found inside a task sentence, in Vietnamese; "" when the sentence names none."""
    folded = " ".join(fold(text).split())
    days = [re.sub(r"\s+", "", d) for m in _BEFORE_DAY.finditer(folded) for d in re.findall(_DAY, m.group(0))]
    if days:
        unique = list(dict.fromkeys(days))
        dated = all(d.count("/") == 2 for d in unique)
        joined = " và ".join(unique)
        if not dated and _EVERY.search(folded):
            prefix = "Định kỳ trước ngày" if "dinh ky" in folded else "Trước ngày"
            return f"{prefix} {joined} hằng năm"
        return f"Trước ngày {joined}"
    match = _PERIOD_RE.search(folded)
    if match:
        return _period_label(match.group(1))
    if _ALWAYS.match(folded):
        return "Thường xuyên"
    return ""


def _period_label(period: str) -> str:
    match = _QUARTER_RE.match(period)
    if match:
        return f"Quý {match.group(1).upper()}/{match.group(2)}"
    match = _MONTH_RE.match(period)
    if match:
        return f"Tháng {int(match.group(1))}/{match.group(2)}"
    half = re.match(r"6 thang (dau|cuoi) nam\s*(\d{4})", period)
    if half:
        return f"6 tháng {'đầu' if half.group(1) == 'dau' else 'cuối'} năm {half.group(2)}"
    year = re.search(r"(\d{4})", period)
    return f"Năm {year.group(1)}" if year else ""
