"""The report outline (đề cương báo cáo) as data: sections, which ones KHBC drafts, appendix tables and their columns.

A plan stores its outline as a JSON object (resources/schema/khbc-outline-1.schema.json); None means the default
I–V outline of Nghị định 09/2019 practice, which prints exactly what KHBC printed before outlines were data.
`validate_outline` and `load_outline` are pure: the plan package reader may call them on an untrusted object.

- A section's `source` names the stored report text it prints (one of the five fields the clerk edits); with
  `draft` KHBC drafts it when that text is empty. A section without a source prints its heading and a
  "[Đề nghị bổ sung: …]" line for the clerk (its own text is not stored yet).
- Each source may appear once: the same text printed twice is a mistake in the outline.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

from desktop.errors import InvalidInputError
from resources import resource_path

OUTLINE_FORMAT = "khbc-outline-1"
SCHEMA_FILE = resource_path("schema", "khbc-outline-1.schema.json")
SOURCES = ("direction", "results", "assessment", "next_steps", "proposals")
TASK_FIELDS = ("number", "content", "lead", "cooperating", "timeframe", "expected_output", "progress", "result",
               "evidence", "problems")
TARGET_FIELDS = ("number", "content", "goal", "value", "ratio")
TABLE_FIELDS = {"tasks": TASK_FIELDS, "targets": TARGET_FIELDS}
MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    source: str | None = None  # a key of SOURCES, or None for a section the clerk writes
    draft: bool = True  # KHBC drafts the source's text when the clerk left it empty
    guidance: str = ""  # what the regime asks for in this section (shown in the "[Đề nghị bổ sung: …]" line)


@dataclass(frozen=True)
class OutlineColumn:
    field: str
    title: str
    weight: float = 1.0
    align: str = "left"


@dataclass(frozen=True)
class OutlineAppendix:
    table: str  # "tasks" | "targets"
    heading: str  # "Phụ lục I", "Biểu 01"
    title: str
    columns: tuple[OutlineColumn, ...]
    landscape: bool = True


@dataclass(frozen=True)
class ReportOutline:
    sections: tuple[OutlineSection, ...]
    appendices: tuple[OutlineAppendix, ...]
    name: str = ""

    def appendix(self, table: str) -> OutlineAppendix | None:
        return next((a for a in self.appendices if a.table == table), None)


DEFAULT_OUTLINE_JSON: dict[str, Any] = {
    "format": OUTLINE_FORMAT,
    "name": "Đề cương mặc định (Nghị định 09/2019)",
    "sections": [
        {"heading": "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "source": "direction", "draft": True},
        {"heading": "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", "source": "results", "draft": True},
        {"heading": "III. ĐÁNH GIÁ CHUNG", "source": "assessment", "draft": True},
        {"heading": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "source": "next_steps", "draft": True},
        {"heading": "V. ĐỀ XUẤT, KIẾN NGHỊ", "source": "proposals", "draft": True},
    ],
    "appendices": [
        # "Kết quả thực hiện trong kỳ" is what the reader came for: it is the widest column.
        {"table": "tasks", "heading": "Phụ lục I", "title": "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", "landscape": True,
         "columns": [
             {"field": "number", "title": "TT", "weight": 0.45, "align": "center"},
             {"field": "content", "title": "Nội dung nhiệm vụ", "weight": 2.0},
             {"field": "lead", "title": "Đơn vị chủ trì", "weight": 1.05},
             {"field": "cooperating", "title": "Đơn vị phối hợp", "weight": 1.1},
             {"field": "timeframe", "title": "Thời gian thực hiện", "weight": 1.0, "align": "center"},
             {"field": "expected_output", "title": "Kết quả dự kiến", "weight": 1.1},
             {"field": "progress", "title": "Tiến độ", "weight": 1.0, "align": "center"},
             {"field": "result", "title": "Kết quả thực hiện trong kỳ", "weight": 3.4},
             {"field": "evidence", "title": "Sản phẩm/văn bản", "weight": 1.35},
             {"field": "problems", "title": "Khó khăn, vướng mắc, đề xuất", "weight": 1.3},
         ]},
        {"table": "targets", "heading": "Phụ lục II", "title": "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "landscape": False,
         "columns": [
             {"field": "number", "title": "TT", "weight": 0.5, "align": "center"},
             {"field": "content", "title": "Chỉ tiêu", "weight": 4.2},
             {"field": "goal", "title": "Mục tiêu", "weight": 1.2, "align": "center"},
             {"field": "value", "title": "Kết quả kỳ báo cáo", "weight": 1.5, "align": "center"},
             {"field": "ratio", "title": "Tỷ lệ đạt", "weight": 1.0, "align": "center"},
         ]},
    ],
}


@functools.cache
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def _where(path) -> str:
    names = {"sections": "mục", "appendices": "phụ lục", "columns": "cột"}
    parts = []
    for part in path:
        parts.append(f"{names.get(part, part)}" if isinstance(part, str) else f"thứ {part + 1}")
    return " ".join(parts) or "đề cương"


def _explain(error) -> str:
    where = _where(error.absolute_path)
    if error.validator == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
        return f"{where}: thiếu trường {', '.join(missing)}"
    if error.validator == "additionalProperties":
        return f"{where}: có trường không dùng được ({error.message.split('(')[-1].rstrip(')')})"
    if error.validator in ("enum", "const"):
        return f"{where}: giá trị “{str(error.instance)[:60]}” không được chấp nhận"
    if error.validator == "type":
        return f"{where}: sai kiểu dữ liệu"
    if error.validator in ("minItems", "minLength", "pattern"):
        return f"{where}: không được để trống hoặc chứa ký tự điều khiển"
    if error.validator in ("maxItems", "maxLength"):
        return f"{where}: quá dài (tối đa {error.validator_value})"
    return f"{where}: không hợp lệ"


def validate_outline(data: object) -> list[str]:
    """Problems of an outline object in Vietnamese (empty when it is usable); never raises."""
    try:
        size = len(json.dumps(data, ensure_ascii=False))
    except (TypeError, ValueError):
        return ["Đề cương không phải dữ liệu JSON."]
    if size > MAX_BYTES:
        return [f"Đề cương quá lớn ({size} byte, tối đa {MAX_BYTES})."]
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        return [_explain(e) for e in errors[:10]]
    problems = []
    sources = [s.get("source") for s in data["sections"] if s.get("source")]
    for source in sorted({s for s in sources if sources.count(s) > 1}):
        problems.append(f"Nội dung “{source}” được gắn cho hơn một mục của đề cương.")
    tables = [a["table"] for a in data["appendices"]]
    for table in sorted({t for t in tables if tables.count(t) > 1}):
        problems.append(f"Bảng “{table}” xuất hiện hơn một lần trong các phụ lục.")
    for index, app in enumerate(data["appendices"], start=1):
        wrong = [c["field"] for c in app["columns"] if c["field"] not in TABLE_FIELDS[app["table"]]]
        if wrong:
            problems.append(f"phụ lục thứ {index} ({app['heading']}): cột {', '.join(wrong)} không có trong bảng "
                            f"{'nhiệm vụ' if app['table'] == 'tasks' else 'chỉ tiêu'}.")
    return problems


def load_outline(data: object | None) -> ReportOutline:
    """The outline of a stored or received object (None: the default); raises InvalidInputError with the reasons."""
    if data is None:
        data = DEFAULT_OUTLINE_JSON
    problems = validate_outline(data)
    if problems:
        raise InvalidInputError("Đề cương báo cáo không hợp lệ: " + "; ".join(problems) + ".")
    sections = tuple(OutlineSection(s["heading"].strip(), s.get("source"), bool(s.get("draft", True)),
                                    s.get("guidance", "").strip()) for s in data["sections"])
    appendices = tuple(OutlineAppendix(
        a["table"], a["heading"].strip(), a["title"].strip(),
        tuple(OutlineColumn(c["field"], c["title"].strip(), float(c.get("weight", 1.0)), c.get("align", "left"))
              for c in a["columns"]), bool(a.get("landscape", a["table"] == "tasks")))
        for a in data["appendices"])
    return ReportOutline(sections, appendices, data.get("name", ""))


def outline_to_json(outline: ReportOutline) -> dict[str, Any]:
    """The JSON object of an outline (what load_outline reads back)."""
    out: dict[str, Any] = {"format": OUTLINE_FORMAT}
    if outline.name:
        out["name"] = outline.name
    out["sections"] = [{"heading": s.heading, "source": s.source, "draft": s.draft,
                        **({"guidance": s.guidance} if s.guidance else {})} for s in outline.sections]
    out["appendices"] = [{"table": a.table, "heading": a.heading, "title": a.title, "landscape": a.landscape,
                          "columns": [{"field": c.field, "title": c.title, "weight": c.weight, "align": c.align}
                                      for c in a.columns]} for a in outline.appendices]
    return out


def default_outline() -> ReportOutline:
    return load_outline(None)
