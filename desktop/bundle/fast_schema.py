"""A compiled yes/no check of the package's JSON Schema: the fast path of validation, with the same verdict.

jsonschema walks the schema anew for every value (about 2 ms per task of a report), which made checking a
province's worth of packages take minutes. The schema is compiled here once into plain Python closures for the
keywords it uses (an unknown keyword is an error at compile time, so nothing is ever silently skipped).
Only the verdict comes from here; when a document fails, jsonschema itself explains why (schema.validate).
tests/test_bundle_schema_limits.py checks on generated documents that both always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
_IGNORED = {"$schema", "$id", "title", "description", "$comment", "$defs"}


def _is_type(value: Any, kind: str) -> bool:
    """jsonschema's default type checker (draft 2020-12): booleans are not numbers, 1.0 is an integer."""
    if kind == "string":
        return isinstance(value, str)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, (int, float))
    raise ValueError(f"unknown JSON Schema type {kind!r}")


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return a == b


class _Compiler:
    def __init__(self, root: dict):
        self.root = root
        self.refs: dict[str, Check] = {}

    def ref(self, pointer: str) -> Check:
        if pointer not in self.refs:
            if not pointer.startswith("#/$defs/") or "/" in pointer[len("#/$defs/"):]:
                raise ValueError(f"unsupported $ref {pointer!r}")
            holder: list[Check] = []
            self.refs[pointer] = lambda value: holder[0](value)  # stands in while the target compiles
            holder.append(self.compile(self.root["$defs"][pointer[len("#/$defs/"):]]))
            self.refs[pointer] = holder[0]
        return self.refs[pointer]

    def compile(self, node: dict) -> Check:
        checks: list[Check] = []
        unknown = set(node) - _IGNORED - set(_KEYWORDS)
        if unknown:
            raise ValueError(f"unsupported JSON Schema keywords {sorted(unknown)}")
        for keyword in _KEYWORDS:
            if keyword in node:
                checks.append(_KEYWORDS[keyword](self, node[keyword], node))
        checks = [c for c in checks if c is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)


def _type(c: _Compiler, kinds, node) -> Check:
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return lambda value: any(_is_type(value, k) for k in kinds)


def _const(c: _Compiler, wanted, node) -> Check:
    return lambda value: _equal(value, wanted)


def _enum(c: _Compiler, options, node) -> Check:
    return lambda value: any(_equal(value, o) for o in options)


def _ref(c: _Compiler, pointer, node) -> Check:
    return c.ref(pointer)


def _one_of(c: _Compiler, options, node) -> Check:
    checks = [c.compile(o) for o in options]
    return lambda value: sum(1 for check in checks if check(value)) == 1


def _string(test: Callable[[str], bool]) -> Check:
    return lambda value: not isinstance(value, str) or test(value)


def _max_length(c, limit, node):
    return _string(lambda s: len(s) <= limit)


def _min_length(c, limit, node):
    return _string(lambda s: len(s) >= limit)


def _pattern(c, pattern, node):
    compiled = re.compile(pattern)
    return _string(lambda s: compiled.search(s) is not None)


def _number(test: Callable[[float], bool]) -> Check:
    return lambda value: isinstance(value, bool) or not isinstance(value, (int, float)) or test(value)


def _minimum(c, limit, node):
    return _number(lambda n: n >= limit)


def _maximum(c, limit, node):
    return _number(lambda n: n <= limit)


def _array(test: Callable[[list], bool]) -> Check:
    return lambda value: not isinstance(value, list) or test(value)


def _max_items(c, limit, node):
    return _array(lambda items: len(items) <= limit)


def _min_items(c, limit, node):
    return _array(lambda items: len(items) >= limit)


def _items(c: _Compiler, schema, node) -> Check:
    check = c.compile(schema)
    return _array(lambda items: all(check(item) for item in items))


def _object(test: Callable[[dict], bool]) -> Check:
    return lambda value: not isinstance(value, dict) or test(value)


def _required(c, names, node):
    return _object(lambda obj: all(name in obj for name in names))


def _properties(c: _Compiler, properties, node) -> Check:
    checks = {name: c.compile(schema) for name, schema in properties.items()}
    return _object(lambda obj: all(check(obj[name]) for name, check in checks.items() if name in obj))


def _additional(c: _Compiler, schema, node) -> Check:
    known = set(node.get("properties", {}))
    if schema is False:
        return _object(lambda obj: known.issuperset(obj))
    check = c.compile(schema)
    return _object(lambda obj: all(check(v) for k, v in obj.items() if k not in known))


_KEYWORDS: dict[str, Callable[[_Compiler, Any, dict], Check | None]] = {
    "type": _type, "const": _const, "enum": _enum, "$ref": _ref, "oneOf": _one_of,
    "maxLength": _max_length, "minLength": _min_length, "pattern": _pattern,
    "minimum": _minimum, "maximum": _maximum,
    "maxItems": _max_items, "minItems": _min_items, "items": _items,
    "required": _required, "properties": _properties, "additionalProperties": _additional,
}


def compile_schema(root: dict, part: str) -> Check:
    """A function telling whether a value is valid against the root ("data") or one of its $defs."""
    compiler = _Compiler(root)
    return compiler.compile(root) if part == "data" else compiler.ref(f"#/$defs/{part}")
