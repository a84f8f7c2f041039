"""Tasks from a Word document (.docx): its "06 rõ" tables, or else its text read as a plan.

Tables are read from the XML so that merged cells are known: a horizontal span (w:gridSpan) covers
the columns to its right, a vertical merge (w:vMerge) repeats the value above. A table without a
header that follows a task table with the same number of columns continues it (a table broken over
pages or groups). When no table yields tasks, the paragraphs (with Word's automatic numbering put
back) and the tables, as tab-separated lines, are read as plan text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from desktop.errors import InvalidInputError
from desktop.importers.grid import GridRow, detect_header, read_table
from desktop.importers.model import ColumnMapping, ImportResult
from desktop.importers.text_prep import Line, title_of
from desktop.importers.text_tasks import read_text

MAX_TABLE_ROWS = 5000


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter():
        tag = node.tag
        if tag == _qn("w:t"):
            parts.append(node.text or "")
        elif tag == _qn("w:tab"):
            parts.append(" ")
        elif tag in (_qn("w:br"), _qn("w:cr")):
            parts.append("\n")
    return "".join(parts)


def _children(element, tag: str):
    """Direct children with this tag, looking through content controls (w:sdt) that wrap them."""
    for child in element:
        if child.tag == _qn(tag):
            yield child
        elif child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _children(content, tag)


def _cell_text(tc) -> tuple[str, bool]:
    """(text, bold) of a cell: its paragraphs joined by line breaks; nested tables are left out."""
    texts, bold_runs, runs = [], 0, 0
    for p in _children(tc, "w:p"):
        texts.append(_paragraph_text(p))
        for r in p.findall(_qn("w:r")):
            if not "".join(t.text or "" for t in r.findall(_qn("w:t"))).strip():
                continue
            runs += 1
            rpr = r.find(_qn("w:rPr"))
            b = rpr.find(_qn("w:b")) if rpr is not None else None
            if b is not None and b.get(_qn("w:val"), "true") not in ("0", "false"):
                bold_runs += 1
    return "\n".join(texts).strip(), runs > 0 and bold_runs == runs


def table_rows(tbl, name: str = "") -> list[GridRow]:
    """A w:tbl element as grid rows (one per w:tr), with merged cells spread and flagged."""
    rows: list[GridRow] = []
    previous: list[str] = []
    for number, tr in enumerate(tbl.findall(_qn("w:tr")), start=1):
        if number > MAX_TABLE_ROWS:
            break
        cells: list[str] = []
        left: set[int] = set()
        above: set[int] = set()
        bold_cells = []
        trpr = tr.find(_qn("w:trPr"))
        before = trpr.find(_qn("w:gridBefore")) if trpr is not None else None
        skip = int(before.get(_qn("w:val"), "0")) if before is not None and before.get(_qn("w:val"), "0").isdigit() else 0
        cells.extend([""] * skip)
        for tc in tr.findall(_qn("w:tc")):
            tcpr = tc.find(_qn("w:tcPr"))
            span_el = tcpr.find(_qn("w:gridSpan")) if tcpr is not None else None
            span_val = span_el.get(_qn("w:val"), "1") if span_el is not None else "1"
            span = max(1, min(int(span_val) if span_val.isdigit() else 1, 60))
            vmerge = tcpr.find(_qn("w:vMerge")) if tcpr is not None else None
            start = len(cells)
            if vmerge is not None and vmerge.get(_qn("w:val"), "continue") == "continue":
                value = previous[start] if start < len(previous) else ""
                above.update(range(start, start + span))
            else:
                value, bold = _cell_text(tc)
                if value:
                    bold_cells.append(bold)
            cells.extend([value] * span)
            left.update(range(start + 1, start + span))
        rows.append(GridRow(cells, number, frozenset(left), frozenset(above), bool(bold_cells) and all(bold_cells),
                            f"{name}, hàng {number}" if name else f"hàng {number}"))
        previous = cells
    return rows


def _open(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise InvalidInputError(
            f"Không đọc được tệp Word \"{path.name}\": tệp bị hỏng hoặc không phải định dạng .docx. "
            "Hãy mở tệp bằng Word rồi lưu lại dạng \"Word Document (.docx)\".") from exc
    except Exception as exc:  # damaged XML surfaces as many kinds of errors
        raise InvalidInputError(f"Không đọc được tệp Word \"{path.name}\" ({type(exc).__name__}). "
                                "Hãy mở tệp bằng Word rồi lưu lại.") from exc


def _blocks(document):
    """("p", label, text) and ("t", rows) items in document order."""
    from docx.oxml.ns import qn

    from desktop.importers.docx_numbering import Numbering

    numbering = Numbering(document)
    body = document.element.body
    from docx.text.paragraph import Paragraph

    count = 0
    for child in _body_blocks(body):
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document.part)
            yield "p", numbering.label(paragraph), _paragraph_text(child)
        elif child.tag == qn("w:tbl"):
            count += 1
            yield "t", table_rows(child, f"bảng {count}")


def _body_blocks(element):
    """Paragraphs and tables of the body in order, including those inside content controls."""
    for child in element:
        if child.tag in (_qn("w:p"), _qn("w:tbl")):
            yield child
        elif child.tag == _qn("w:sdt"):
            content = child.find(_qn("w:sdtContent"))
            if content is not None:
                yield from _body_blocks(content)


def _table_groups(tables: list[list[GridRow]]) -> list[tuple[int, list[GridRow]]]:
    """Tables with a header, each followed by the header-less tables of the same width that continue it."""
    groups: list[tuple[int, list[GridRow]]] = []
    for index, rows in enumerate(tables):
        if rows and detect_header(rows) is not None:
            groups.append((index, _continued(tables, index)))
    return groups


def read_docx(path: str | Path, mapping: ColumnMapping | None = None) -> ImportResult:
    """Tasks of the Word document's task tables, or of its text when it has none."""
    path = Path(path)
    document = _open(path)
    try:
        blocks = list(_blocks(document))
    except Exception as exc:
        raise InvalidInputError(f"Không đọc được nội dung tệp Word \"{path.name}\" ({type(exc).__name__}).") from exc
    tables = [b[1] for b in blocks if b[0] == "t"]
    names = [f"Bảng {i + 1}" for i in range(len(tables))]
    lines = []
    for block in blocks:
        if block[0] == "p":
            label, text = block[1], block[2]
            lines.append(f"{label} {text}".strip() if label else text)
        else:
            for row in block[1]:
                distinct = {c for c in row.cells if c.strip()}
                if len(distinct) == 1:  # a one-cell row (a frame around text) is plain text
                    lines.extend(next(iter(distinct)).split("\n"))
                else:
                    lines.append("\t".join(c.replace("\n", " ") for c in row.cells))
    result = ImportResult(kind="docx", layout="table")
    result.title = title_of([Line(t, i + 1) for i, t in enumerate(lines) if "\t" not in t])
    chosen = None
    if mapping is not None and mapping.table in names:
        chosen = names.index(mapping.table)
    groups = _table_groups(tables) if chosen is None else [(chosen, _continued(tables, chosen))]
    for index, rows in groups:
        name = names[index]
        tasks, used = read_table(rows, result, lambda r: r.origin,
                                 mapping=mapping if chosen is not None else None, table=name, tables=names)
        if tasks:
            result.tasks.extend(tasks)
            result.mapping = result.mapping or used
    if result.tasks or chosen is not None:
        if result.mapping is None and chosen is not None:
            result.mapping = ColumnMapping(names[chosen], names)
        return result
    text_result = read_text("\n".join(lines), kind="docx")
    text_result.title = text_result.title or result.title
    if text_result.mapping is not None:
        text_result.mapping.tables = names
    return text_result


def _continued(tables: list[list[GridRow]], index: int) -> list[GridRow]:
    rows = list(tables[index])
    width = max((len(r.cells) for r in rows), default=0)
    for more in tables[index + 1:]:
        if not more or detect_header(more) is not None or max(len(r.cells) for r in more) != width:
            break
        rows.extend(more)
    return rows
