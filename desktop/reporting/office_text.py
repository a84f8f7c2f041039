"""Text helpers shared by the XLSX and DOCX writers: cleaning user text and estimating how it wraps."""

from __future__ import annotations

import functools
import re
import unicodedata

# Characters XML 1.0 cannot hold (and Excel rejects): C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
_XML_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Advance widths of Times New Roman in 1/1000 em (Liberation Serif has the same metrics).
_TIMES_WIDTHS: dict[str, int] = {
    **dict(zip("abcdefghijklmnopqrstuvwxyz",
               (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
                500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444))),
    **dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
               (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
                722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611))),
    **{d: 500 for d in "0123456789"},
    " ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "!": 333, "?": 444, "'": 180, '"': 408,
    "-": 333, "–": 500, "—": 1000, "/": 278, "\\": 278, "(": 333, ")": 333, "[": 333, "]": 333,
    "%": 833, "&": 778, "+": 564, "=": 564, "<": 564, ">": 564, "@": 921, "#": 500, "*": 500,
    "_": 500, "…": 1000, "“": 444, "”": 444, "‘": 333, "’": 333,
    "đ": 500, "Đ": 722, "ơ": 520, "Ơ": 760, "ư": 560, "Ư": 780,
}
_DEFAULT_WIDTH = 500
SHORT_CELL_CHARS = 14  # cells this short are kept on one line when the table has room
_BOLD_FACTOR = 1.06
_base_cache: dict[str, int] = {}


def clean_text(value: object) -> str:
    """Return `value` as NFC text with line breaks unified and characters XML cannot store removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL_RE.sub("", text)


def _char_width(ch: str) -> int:
    width = _TIMES_WIDTHS.get(ch)
    if width is not None:
        return width
    cached = _base_cache.get(ch)
    if cached is None:
        # Vietnamese letters: the width of the base letter (diacritics sit above or below it).
        base = unicodedata.normalize("NFD", ch)[:1]
        cached = _TIMES_WIDTHS.get(base, _DEFAULT_WIDTH)
        _base_cache[ch] = cached
    return cached


@functools.lru_cache(maxsize=65536)
def _word_width(word: str) -> int:
    return sum(_char_width(ch) for ch in word)


def text_width_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Estimated width of one line of `text` set in Times New Roman at `size_pt`, in points."""
    em = sum(_char_width(ch) for ch in text) / 1000.0
    return em * size_pt * (_BOLD_FACTOR if bold else 1.0)


def wrapped_line_count(text: str, width_pt: float, size_pt: float, bold: bool = False) -> int:
    """Estimate how many lines `text` takes when word-wrapped into a box `width_pt` wide."""
    if width_pt <= 0:
        return max(1, len(text))
    scale = size_pt * (_BOLD_FACTOR if bold else 1.0) / 1000.0
    limit = width_pt / scale  # the box width in 1/1000 em
    space = _TIMES_WIDTHS[" "]
    total = 0
    for paragraph in text.split("\n"):
        lines = 1
        used = 0.0
        for word in paragraph.split():
            w = _word_width(word)
            needed = w if used == 0 else used + space + w
            if needed <= limit:
                used = needed
                continue
            if used > 0:
                lines += 1
            if w <= limit:
                used = w
                continue
            # A word longer than the box breaks wherever it reaches the edge.
            used = 0.0
            for ch in word:
                cw = _char_width(ch)
                if used + cw > limit and used > 0:
                    lines += 1
                    used = 0.0
                used += cw
        total += lines
    return max(1, total)


def longest_word_pt(text: str, size_pt: float, bold: bool = False) -> float:
    """Width of the widest whitespace-separated word of `text`: a column narrower than that breaks words."""
    words = text.split()
    if not words:
        return 0.0
    return max(text_width_pt(word, size_pt, bold) for word in words)


def balanced_widths(weights: list[float], total: float, minimums: list[float]) -> list[float]:
    """Share `total` by `weights`, then widen columns below their minimum at the expense of the others.

    `minimums` are the narrowest widths that keep words whole (same unit as `total`). When they cannot
    all be met, the result is the minimums scaled down to fit.
    """
    weights = [max(w, 0.05) for w in weights]
    base = [total * w / sum(weights) for w in weights]
    need = sum(minimums)
    if need >= total:
        return [total * m / need for m in minimums] if need > 0 else base
    widths = list(base)
    for _ in range(len(widths)):
        short = [i for i, w in enumerate(widths) if w < minimums[i] - 1e-9]
        if not short:
            break
        deficit = sum(minimums[i] - widths[i] for i in short)
        for i in short:
            widths[i] = minimums[i]
        donors = [i for i, w in enumerate(widths) if i not in short and w > minimums[i]]
        slack = sum(widths[i] - minimums[i] for i in donors)
        if slack <= 0:
            break
        take = min(1.0, deficit / slack)
        for i in donors:
            widths[i] -= (widths[i] - minimums[i]) * take
    return widths


def table_widths(titles: list[str], weights: list[float], rows: list[list[str]], total_pt: float,
                 size_pt: float, padding_pt: float, sample: int = 300) -> list[float]:
    """Column widths in points for a table: weights first, but no header or cell word cut in two.

    `rows` are cleaned data-row texts (only the first `sample` are measured); short cells ("Quý III/2026",
    "Đã hoàn thành") ask to stay on one line; a long word in the data (a URL, a code) may claim at most
    about a fifth of the table.
    """
    n = len(weights)
    weights = [max(w, 0.05) for w in weights]
    base_share = [w / sum(weights) * total_pt for w in weights]
    minimums = [longest_word_pt(t, size_pt, bold=True) for t in titles] + [0.0] * (n - len(titles))
    for cells in rows[:sample]:
        for i, text in enumerate(cells[:n]):
            if not text:
                continue
            wanted = longest_word_pt(text, size_pt)
            if len(text) <= SHORT_CELL_CHARS:  # one line if that costs the other columns little
                wanted = max(wanted, min(text_width_pt(text, size_pt) + padding_pt, 1.2 * base_share[i]) - padding_pt)
            minimums[i] = max(minimums[i], wanted)
    cap = [max(b, 0.2 * total_pt) for b in base_share]
    minimums = [min(m + padding_pt + 1.0, c) for m, c in zip(minimums, cap)]
    return balanced_widths(weights, total_pt, minimums)


def split_group_row(cells: list[str], ncols: int) -> tuple[str, str]:
    """A group row as (text of the TT column, text spanning the rest); the first is "" when all cells span.

    Same rule as the PDF writer: a short first cell ("I", "II") stays in the TT column.
    """
    if ncols > 1 and len(cells) >= 2 and len(cells[0].strip()) <= 6:
        return cells[0].strip(), " ".join(c.strip() for c in cells[1:] if c.strip())
    return "", " ".join(c.strip() for c in cells if c.strip())
