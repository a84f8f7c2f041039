"""Tasks from an Excel workbook (.xlsx): the sheet holding the "06 rõ" table, its header and merged cells."""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

from desktop.errors import InvalidInputError
from desktop.importers.grid import GridRow, detect_header, read_table
from desktop.importers.model import ColumnMapping, ImportResult
from desktop.importers.text_prep import Line, title_of

MAX_ROWS = 5000
MAX_COLUMNS = 60
HEADER_SCAN = 30


def cell_text(value: object) -> str:
    """A cell value as the clerk sees it: 1.0 → "1", dates as dd/mm/yyyy, text unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".12g")
    if isinstance(value, datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    return str(value)


def sheet_rows(sheet) -> list[GridRow]:
    """The sheet as grid rows from row 1 and column A, merged cells spread over the cells they cover."""
    max_row = min(sheet.max_row or 0, MAX_ROWS)
    max_col = min(sheet.max_column or 0, MAX_COLUMNS)
    if max_row <= 0 or max_col <= 0:
        return []
    texts = [[""] * max_col for _ in range(max_row)]
    bold = [False] * max_row
    for r, row in enumerate(sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col), start=0):
        for c, cell in enumerate(row):
            value = getattr(cell, "value", None)
            text = cell_text(value).strip()
            texts[r][c] = text
            if text and getattr(getattr(cell, "font", None), "b", False):
                bold[r] = True
    left: list[set[int]] = [set() for _ in range(max_row)]
    above: list[set[int]] = [set() for _ in range(max_row)]
    for merged in sheet.merged_cells.ranges:
        top, first = merged.min_row - 1, merged.min_col - 1
        if top >= max_row or first >= max_col:
            continue
        value = texts[top][first]
        for r in range(top, min(merged.max_row, max_row)):
            for c in range(first, min(merged.max_col, max_col)):
                if (r, c) == (top, first):
                    continue
                texts[r][c] = value
                (left[r] if c > first else above[r]).add(c)
    rows = [GridRow(texts[r], r + 1, frozenset(left[r]), frozenset(above[r]), bold[r]) for r in range(max_row)]
    while rows and not any(rows[-1].cells):
        rows.pop()
    return rows


def _open(path: Path):
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, IndexError,
            AttributeError, OSError, EOFError) as exc:
        raise InvalidInputError(
            f"Không đọc được tệp Excel \"{path.name}\": tệp bị hỏng hoặc không phải định dạng .xlsx. "
            "Hãy mở tệp bằng Excel rồi lưu lại dạng \"Excel Workbook (.xlsx)\".") from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged XML
        raise InvalidInputError(f"Không đọc được tệp Excel \"{path.name}\" ({type(exc).__name__}). "
                                "Hãy mở tệp bằng Excel rồi lưu lại.") from exc


def read_xlsx(path: str | Path, mapping: ColumnMapping | None = None) -> ImportResult:
    """Tasks of the first sheet that holds a task table (or of the sheet named in `mapping`)."""
    path = Path(path)
    workbook = _open(path)
    result = ImportResult(kind="xlsx", layout="table")
    try:
        sheets = list(workbook.worksheets)
        names = [s.title for s in sheets]
        grids = {s.title: sheet_rows(s) for s in sheets}
    except Exception as exc:
        raise InvalidInputError(f"Không đọc được nội dung tệp Excel \"{path.name}\" ({type(exc).__name__}).") from exc
    finally:
        workbook.close()
    with_header = [n for n in names if detect_header(grids[n], HEADER_SCAN) is not None]
    if mapping is not None and mapping.table in grids:
        chosen = mapping.table
    elif with_header:
        chosen = with_header[0]
        if len(with_header) > 1:
            others = ", ".join(f"“{n}”" for n in with_header[1:])
            result.warn(f"Tệp có nhiều trang tính chứa bảng nhiệm vụ; đang đọc trang “{chosen}” "
                        f"(còn {others}). Có thể chọn trang khác ở bước ghép cột.")
    else:
        chosen = next((n for n in names if grids[n]), names[0] if names else "")
    rows = grids.get(chosen, [])
    if len(rows) >= MAX_ROWS:
        result.warn(f"Trang “{chosen}” có hơn {MAX_ROWS} hàng; chỉ đọc {MAX_ROWS} hàng đầu.")
    if not rows:
        result.warn("Tệp Excel không có dữ liệu.")
        result.mapping = ColumnMapping(chosen, names)
        return result
    tasks, used = read_table(rows, result, lambda r: f"hàng {r.line} (trang “{chosen}”)", mapping=mapping,
                             table=chosen, tables=names, scan=HEADER_SCAN)
    if used is None:
        result.warn(f"Không nhận ra dòng tiêu đề của bảng nhiệm vụ trong trang “{chosen}” (cần có các cột như "
                    "\"Nội dung nhiệm vụ\", \"Đơn vị chủ trì\", \"Thời gian thực hiện\"). Hãy chọn cột bằng tay.")
        width = max(len(r.cells) for r in rows)
        used = ColumnMapping(chosen, names, 0, 1, {}, list(rows[0].cells) + [""] * (width - len(rows[0].cells)))
    result.tasks, result.mapping = tasks, used
    header_index = next((i for i, r in enumerate(rows) if r.line == used.header_row), 0)
    result.title = title_of([Line(_row_text(r), r.line) for r in rows[:header_index]])
    return result


def _row_text(row: GridRow) -> str:
    return " ".join(c for i, c in enumerate(row.cells) if c and i not in row.from_left and i not in row.from_above)
