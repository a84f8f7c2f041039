"""The packages' JSON Schemas (resources/schema, one per kind) and strict JSON reading, problems told in Vietnamese."""

from __future__ import annotations

import functools
import json
import math
from typing import Any

from resources import resource_path

SCHEMA_FILE = resource_path("schema", "khbc-package-1.schema.json")
SCHEMA_ID = "urn:khbc:schema:khbc-package:1"
# Each kind of package of the family has its own versioned schema: kind → (file, $id).
SCHEMAS = {
    "report": (SCHEMA_FILE, SCHEMA_ID),
    "plan": (resource_path("schema", "khbc-plan-1.schema.json"), "urn:khbc:schema:khbc-plan:1"),
}
MAX_SCHEMA_PROBLEMS = 20


class _JsonRejected(ValueError):
    """Raised inside json.loads for constructs a package may not use."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _JsonRejected(f"khóa \"{key[:60]}\" xuất hiện hai lần")
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise _JsonRejected(f"giá trị {name} không được phép")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JsonRejected(f"số {text[:20]} vượt giới hạn")
    return value


def parse_json(raw: bytes, label: str) -> tuple[Any, list[str]]:
    """Decode strict JSON (UTF-8, no BOM, no duplicate keys, no NaN/Infinity); returns (value, problems)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [f"{label} bắt đầu bằng dấu BOM; tệp phải là UTF-8 không có BOM."]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [f"{label} không phải văn bản UTF-8 hợp lệ (byte thứ {exc.start})."]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants,
                          parse_float=_finite_float), []
    except _JsonRejected as exc:
        return None, [f"{label} không hợp lệ: {exc}."]
    except json.JSONDecodeError as exc:
        return None, [f"{label} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}: {exc.msg})."]
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        return None, [f"{label} không hợp lệ: {exc}."]
    except RecursionError:
        return None, [f"{label} lồng quá sâu, không đọc được."]


@functools.cache
def schema(kind: str = "report") -> dict:
    return json.loads(SCHEMAS[kind][0].read_text(encoding="utf-8"))


@functools.cache
def _validator(part: str, kind: str = "report"):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    root = schema(kind)
    schema_id = SCHEMAS[kind][1]
    registry = Registry().with_resource(schema_id, Resource.from_contents(root))
    target = root if part == "data" else {"$ref": f"{schema_id}#/$defs/{part}"}
    return Draft202012Validator(target, registry=registry)


def _where(path) -> str:
    from desktop.bundle.safe_zip import show_name

    parts = [show_name(str(p))[:60] for p in path]
    return "/".join(parts) if parts else "(gốc)"


def _explain(error) -> str:
    keyword = error.validator
    where = _where(error.absolute_path)
    from desktop.bundle.safe_zip import show_name

    if keyword == "required":
        missing = [name for name in error.validator_value if isinstance(error.instance, dict) and name not in error.instance]
        return f"thiếu trường \"{', '.join(missing) or error.validator_value}\" tại {where}"
    if keyword == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, dict) else []
        shown = ", ".join(show_name(str(k))[:40] for k in extra[:5])
        return f"có trường không được phép \"{shown}\" tại {where}"
    if keyword == "type":
        expected = error.validator_value
        names = {"string": "chuỗi", "integer": "số nguyên", "number": "số", "object": "đối tượng",
                 "array": "danh sách", "null": "null", "boolean": "đúng/sai"}
        wanted = " hoặc ".join(names.get(t, t) for t in (expected if isinstance(expected, list) else [expected]))
        return f"{where} phải là {wanted}"
    if keyword in ("const", "enum"):
        return f"{where} có giá trị không được chấp nhận"
    if keyword == "pattern":
        return f"{where} không đúng định dạng"
    if keyword in ("maxLength", "maxItems"):
        return f"{where} quá dài (tối đa {error.validator_value})"
    if keyword in ("minLength", "minItems"):
        return f"{where} không được để trống"
    if keyword in ("minimum", "maximum"):
        return f"{where} nằm ngoài khoảng cho phép"
    if keyword == "oneOf":
        return f"{where} không đúng kiểu dữ liệu cho phép"
    return f"{where} không hợp lệ ({keyword})"


@functools.cache
def _fast_check(part: str, kind: str = "report"):
    from desktop.bundle.fast_schema import compile_schema

    return compile_schema(schema(kind), part)


def validate(value: Any, part: str, label: str, kind: str = "report") -> list[str]:
    """Problems of `value` against the `kind` schema's root ("data") or one of its $defs ("manifest").

    The compiled check decides; only a document that fails it is walked again by jsonschema to say why.
    """
    try:
        if _fast_check(part, kind)(value):
            return []
        errors = sorted(_validator(part, kind).iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    except RecursionError:
        return [f"{label}: dữ liệu lồng quá sâu, không kiểm tra được."]
    problems = [f"{label}: {_explain(e)}." for e in errors[:MAX_SCHEMA_PROBLEMS]]
    if len(errors) > MAX_SCHEMA_PROBLEMS:
        problems.append(f"{label}: còn {len(errors) - MAX_SCHEMA_PROBLEMS} lỗi khác theo lược đồ.")
    return problems
