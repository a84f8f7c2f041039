"""Plain records the task importers produce: imported tasks, the detected column mapping, the parse result."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

Role = Literal["lead", "cooperate", "general"]
ROLES: tuple[str, ...] = ("lead", "cooperate", "general")
ROLE_LABELS = {"lead": "Chủ trì", "cooperate": "Phối hợp", "general": "Giao chung", None: ""}

# The columns of a "06 rõ" table, in their usual order, with the Vietnamese names shown to the user.
FIELDS: tuple[str, ...] = ("number", "content", "lead", "cooperating", "timeframe", "output")
FIELD_LABELS = {
    "number": "TT",
    "content": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "cooperating": "Đơn vị phối hợp",
    "timeframe": "Thời gian thực hiện",
    "output": "Kết quả dự kiến",
}

READ_AS_LABELS = {"table": "hàng của bảng", "labelled": "dòng có nhãn", "sentence": "câu văn"}
NO_LEAD = "chưa rõ đơn vị chủ trì"

Layout = Literal["table", "inline", "agency", "mixed", "prose", "none"]
LAYOUT_LABELS = {
    "table": "bảng phân công nhiệm vụ",
    "inline": "nhiệm vụ ghi trong văn bản (chủ trì, phối hợp, thời gian)",
    "agency": "nhiệm vụ giao theo từng cơ quan",
    "mixed": "nhiệm vụ ghi trong văn bản và giao theo từng cơ quan",
    "prose": "nhiệm vụ giao trong câu văn",
    "none": "không nhận ra bố cục",
}


@dataclass
class ImportedTask:
    """One task as read from a file or text, before it is matched against the database."""

    content: str
    number: str = ""
    lead: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    timeframe: str = ""
    output: str = ""
    group: str = ""  # section heading the task sits under, without its number
    group_number: str = ""  # "1", "III", as written
    role: Role | None = None  # filled in when a department name is given
    source_line: int = 0  # 1-based line (text), row (sheet) or table row (document)
    source: str = ""  # "dòng 53", "hàng 7 (trang tính Phụ lục)", "bảng 1, hàng 4"
    read_as: str = "labelled"  # table | labelled | sentence: how the task was read (see READ_AS_LABELS)
    doubts: list[str] = field(default_factory=list)  # why the clerk should check it (Vietnamese)

    @property
    def certain(self) -> bool:
        return not self.doubts

    @property
    def confidence(self) -> str:
        """high (a table row or labelled line), medium (a sentence), low (something to check: see doubts)."""
        return "low" if self.doubts else "medium" if self.read_as == "sentence" else "high"

    def to_json(self, with_role: bool = False) -> dict:
        data = {
            "number": self.number,
            "content": self.content,
            "lead": list(self.lead),
            "cooperating": list(self.cooperating),
            "timeframe": self.timeframe,
            "output": self.output,
            "group": self.group,
            "source": self.source,
            "read_as": self.read_as,
            "confidence": self.confidence,
            "doubts": list(self.doubts),
        }
        if with_role:
            data["role"] = self.role
        return data

    def copy(self, **changes) -> ImportedTask:
        return replace(self, lead=list(self.lead), cooperating=list(self.cooperating), doubts=list(self.doubts),
                       **changes)


@dataclass
class ColumnMapping:
    """Which column of a table holds which field; the import wizard shows it and lets the user change it.

    `columns` maps a field name (see FIELDS) to a 0-based column index. `header_row` is the 1-based row of
    the header in `table` (0 when the table has no header and columns were assumed by position);
    `header_rows` is 2 when the header spans two rows ("Đơn vị thực hiện" over "Chủ trì" | "Phối hợp").
    """

    table: str = ""  # sheet name (XLSX), "Bảng 2" (DOCX), "" (text)
    tables: list[str] = field(default_factory=list)  # every table the user may choose from
    header_row: int = 0
    header_rows: int = 1
    columns: dict[str, int] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)  # header text of each column, for the wizard's lists

    def column_of(self, name: str) -> int | None:
        return self.columns.get(name)

    def with_columns(self, columns: dict[str, int]) -> ColumnMapping:
        """The same table and header with other column choices (the wizard's "ghép cột")."""
        return replace(self, columns=dict(columns), tables=list(self.tables), headers=list(self.headers))

    def to_json(self) -> dict:
        return {
            "table": self.table, "tables": list(self.tables), "header_row": self.header_row,
            "header_rows": self.header_rows, "columns": dict(self.columns), "headers": list(self.headers),
        }


@dataclass
class ImportResult:
    """What one importer read: the tasks in document order, Vietnamese warnings, and how it read them."""

    tasks: list[ImportedTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kind: str = "text"  # xlsx | docx | text | csv
    layout: Layout = "none"
    title: str = ""  # the plan's (or appendix's) title when the document shows one
    mapping: ColumnMapping | None = None
    unrecognised: list[tuple[str, str]] = field(default_factory=list)  # (where, text) of paragraphs not understood
    not_a_plan: str = ""  # why the file does not look like a plan or task appendix ("" when it does)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
