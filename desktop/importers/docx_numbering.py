"""The labels Word draws for automatically numbered paragraphs ("a)", "1.", "-"), which are not in their text.

Word keeps "a) Tham mưu …" as the text "Tham mưu …" plus a reference to a numbering definition; the
reader of plan text needs the label back to see items and sections. Formats handled: decimal, lower and
upper letter, lower and upper Roman, bullets (shown as "-"); other formats fall back to decimal.
"""

from __future__ import annotations

from docx.oxml.ns import qn


def _to_roman(n: int) -> str:
    values = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
              (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for value, letters in values:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _to_letters(n: int) -> str:
    n = max(n, 1)
    letter = "abcdefghijklmnopqrstuvwxyz"[(n - 1) % 26]
    return letter * ((n - 1) // 26 + 1)


def _format(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _to_letters(n)
    if fmt == "upperLetter":
        return _to_letters(n).upper()
    if fmt == "lowerRoman":
        return _to_roman(n)
    if fmt == "upperRoman":
        return _to_roman(n).upper()
    if fmt == "none":
        return ""
    return str(n)


def _val(element, tag: str, default: str | None = None) -> str | None:
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val"), default) if child is not None else default


class Numbering:
    """Renders numbering labels paragraph by paragraph, keeping Word's counters in document order."""

    def __init__(self, document) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId → ilvl → (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstractNumId, start overrides)
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl"), "0") or 0)
                start = _val(lvl, "w:start", "1") or "1"
                levels[ilvl] = (_val(lvl, "w:numFmt", "decimal") or "decimal", _val(lvl, "w:lvlText", "") or "",
                                int(start) if start.isdigit() else 1)
            self.levels[abstract.get(qn("w:abstractNumId"), "")] = levels
        for num in root.findall(qn("w:num")):
            overrides = {}
            for override in num.findall(qn("w:lvlOverride")):
                value = _val(override, "w:startOverride")
                if value is not None and value.isdigit():
                    overrides[int(override.get(qn("w:ilvl"), "0") or 0)] = int(value)
            self.nums[num.get(qn("w:numId"), "")] = (_val(num, "w:abstractNumId", "") or "", overrides)

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        element = paragraph._p
        ppr = element.pPr
        num_pr = ppr.numPr if ppr is not None else None
        style = paragraph.style if num_pr is None else None
        depth = 0
        while num_pr is None and style is not None and depth < 5:
            sppr = style.element.pPr
            num_pr = sppr.numPr if sppr is not None else None
            style, depth = style.base_style, depth + 1
        if num_pr is None or num_pr.numId is None:
            return None
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        return (num_id, ilvl) if num_id != "0" else None

    def label(self, paragraph) -> str:
        """The label Word shows before this paragraph ("" when it is not numbered); advances the counters."""
        try:
            found = self._num_pr(paragraph)
        except (AttributeError, ValueError, TypeError):
            return ""
        if found is None or found[0] not in self.nums:
            return ""
        num_id, ilvl = found
        abstract_id, overrides = self.nums[num_id]
        levels = self.levels.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        ilvl = min(max(ilvl, 0), 8)
        if counters[ilvl] == 0:
            counters[ilvl] = overrides.get(ilvl, levels[ilvl][2])
        else:
            counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        fmt, text, _ = levels[ilvl]
        if fmt == "bullet":
            return "-"
        for level in range(9):
            if f"%{level + 1}" in text:
                lfmt = levels.get(level, ("decimal", "", 1))[0]
                value = counters[level] or levels.get(level, ("", "", 1))[2]
                text = text.replace(f"%{level + 1}", _format(value, lfmt))
        return text.strip()
