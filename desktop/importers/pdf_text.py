"""Text of a PDF that has a text layer (pdfplumber), tables included, page furniture dropped.

pdfplumber (pure Python on pdfminer.six) is used because it finds ruled tables and gives every word its
position: tables become tab-separated rows (so the "06 rõ" table reader reads them, and a table that runs
over a page break continues, its repeated header row skipped), and the furniture is recognised by place:
a line repeated at the top or bottom of most pages (running header, footer), a page number alone on its
line, and text in the outer 16 mm (top) or 10 mm (bottom) of a page. A two-column letterhead ("UBND TỈNH …" beside "CỘNG HÒA …") is
read column by column so its halves do not interleave. A PDF whose pages carry no text (a scan) is
refused with a Vietnamese message.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from desktop.errors import InvalidInputError

MAX_PAGES = 400
MARGIN_TOP = 45.0  # points (about 16 mm): text above is a running header or page number, not the body
MARGIN_BOTTOM = 30.0  # about 10 mm: a footer
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.IGNORECASE)
_ITEM = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-+•–]\s|[IVX]{1,5}\.|Điều\s+\d)")
_LETTERHEAD_RIGHT = re.compile(r"CỘNG HÒA|CỘNG HOÀ|Độc lập|ngày\s+\d*\s*tháng", re.IGNORECASE)


def _lines_of(words: list[dict], tolerance: float = 3.0) -> list[list[dict]]:
    rows: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if rows and abs(rows[-1][0]["top"] - word["top"]) <= tolerance:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w["x0"]) for row in rows]


def _join(row: list[dict]) -> str:
    return " ".join(w["text"] for w in row)


def _two_columns(row: list[dict], width: float) -> bool:
    """Does the row have a wide gap around the middle of the page (left and right halves of a letterhead)?"""
    return any(b["x0"] - a["x1"] > 25 and a["x1"] < width * 0.6 and b["x0"] > width * 0.35
               for a, b in zip(row, row[1:]))


def _spans_page(row: list[dict], width: float) -> bool:
    """A body line: one run of words (no wide gap) across more than half of the page."""
    return row[-1]["x1"] - row[0]["x0"] > width * 0.5 and not _two_columns(row, width)


def _letterhead(rows: list[list[dict]], width: float) -> tuple[list[str], int]:
    """The first rows of page 1 split into their left and right halves when they form a two-column header."""
    head: list[list[dict]] = []
    for row in rows[:14]:
        if _spans_page(row, width):
            break
        head.append(row)
    split = [_two_columns(r, width) for r in head]
    right_text = " ".join(_join([w for w in r if w["x0"] >= width * 0.45]) for r in head)
    if not _LETTERHEAD_RIGHT.search(right_text) or not any(split):
        return [], 0
    end = max(i for i, s in enumerate(split) if s) + 1
    middle = width * 0.5
    left = [_join([w for w in r if (w["x0"] + w["x1"]) / 2 < middle]) for r in head[:end]]
    right = [_join([w for w in r if (w["x0"] + w["x1"]) / 2 >= middle]) for r in head[:end]]
    return [t for t in left + right if t.strip()], end


def _inside(word: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)


def _cell(text: str | None) -> str:
    """A cell's lines joined; a number broken by a narrow column ("2026-203" / "0") is put back together."""
    lines = [line.strip() for line in (text or "").split("\n") if line.strip()]
    out = ""
    for line in lines:
        glue = "" if re.search(r"[\d-]$", out) and line[:1].isdigit() and len(line) <= 3 else " "
        out = f"{out}{glue}{line}" if out else line
    return out


def _table_rows(table) -> list[str]:
    out = []
    for row in table.extract():
        cells = [_cell(c) for c in row]
        if any(cells):
            out.append("\t".join(cells))
    return out


def _page_items(page) -> list[tuple]:
    """(top, lines) of each text line and each table of a page, in reading order."""
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    words = [w for w in page.extract_words(keep_blank_chars=False, use_text_flow=False) if not _inside(w, boxes)]
    height = float(page.height)
    items = [(row[0]["top"], [_join(row)], row[0]["x0"], row[-1]["x1"]) for row in _lines_of(words)
             if MARGIN_TOP <= row[0]["top"] and row[0]["bottom"] <= height - MARGIN_BOTTOM]
    items.extend((t.bbox[1], _table_rows(t), None, None) for t in tables)
    return sorted(items, key=lambda item: item[0])


def _furniture(pages: list[list[tuple]]) -> set[str]:
    """Lines repeated at the top or bottom of at least half of the pages (running headers and footers)."""
    if len(pages) < 3:
        return set()
    edges: Counter = Counter()
    for items in pages:
        texts = [re.sub(r"\d+", "#", item[1][0]) for item in items[:2] + items[-2:] if item[1]]
        edges.update(set(texts))
    return {text for text, count in edges.items() if count >= max(2, len(pages) // 2) and "\t" not in text}


def pdf_text(path: Path) -> str:
    """The PDF's text, one line per line, tables as tab-separated rows; InvalidInputError when unreadable."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    name = path.name
    try:
        with pdfplumber.open(str(path)) as pdf:
            count = len(pdf.pages)
            if count > MAX_PAGES:
                raise InvalidInputError(f"Tệp PDF \"{name}\" có {count} trang; chỉ đọc tệp đến {MAX_PAGES} trang.")
            pages = []
            letterhead: list[str] = []
            for number, page in enumerate(pdf.pages):
                items = _page_items(page)
                if number == 0:
                    rows = _lines_of([w for w in page.extract_words() if w["top"] >= MARGIN_TOP])
                    letterhead, skip = _letterhead(rows, float(page.width))
                    if skip:
                        cut = rows[skip - 1][0]["top"] + 1
                        items = [item for item in items if item[0] > cut]
                pages.append(items)
                page.flush_cache() if hasattr(page, "flush_cache") else None
    except InvalidInputError:
        raise
    except PDFPasswordIncorrect as exc:
        raise InvalidInputError(f"Tệp PDF \"{name}\" đã đặt mật khẩu. Hãy mở bằng trình đọc PDF, bỏ mật khẩu "
                                "rồi lưu lại.") from exc
    except Exception as exc:  # pdfminer raises many kinds of error on a damaged file
        raise InvalidInputError(f"Tệp PDF \"{name}\" bị hỏng hoặc không đúng định dạng PDF; không đọc được.") from exc
    furniture = _furniture(pages)
    body = [item for items in pages for item in items if item[2] is not None
            and re.sub(r"\d+", "#", item[1][0]) not in furniture and not _PAGE_NUMBER.match(item[1][0])]
    starts = Counter(round(item[2]) for item in body)
    common = [x for x, n in starts.items() if n >= 3]
    left = float(min(common or list(starts) or [0]))
    right = max((item[3] for item in body), default=0.0)
    out: list[str] = list(letterhead)
    joinable = False
    for items in pages:
        for _, lines, x0, x1 in items:
            if x0 is None:
                out.extend(lines)
                joinable = False
                continue
            line = lines[0]
            if _PAGE_NUMBER.match(line) or re.sub(r"\d+", "#", line) in furniture:
                continue
            at_margin = x0 <= left + 4 and not _ITEM.match(line)
            if at_margin and (joinable or line[:1].islower()) and out:
                previous = out[-1]
                if re.search(r"\w-$", previous) and line[:1].islower():
                    out[-1] = previous[:-1] + line  # a word hyphenated at the line end
                else:
                    out[-1] = f"{previous} {line}"
            else:
                out.append(line)
            # A line that reaches the right margin, or that ends mid-sentence, goes on in the next line when that
            # line starts at the margin (a new paragraph is indented, centred or numbered).
            joinable = x1 >= right - 25 or not out[-1].rstrip().endswith((".", ":", ";", "!", "?", "./."))
    text = "\n".join(out)
    if sum(ch.isalpha() for ch in text) < 20:
        raise InvalidInputError(
            f"Tệp PDF \"{name}\" không có lớp chữ (có thể là bản quét, chụp ảnh): KHBC chưa đọc được chữ trong ảnh. "
            "Hãy xin bản PDF xuất trực tiếp từ Word hoặc hệ thống văn bản, hoặc bản .docx, rồi nhập lại.")
    return text
