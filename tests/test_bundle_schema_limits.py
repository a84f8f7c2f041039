"""Package limits never stop a legitimate sender, and the fast schema check always agrees with jsonschema."""

from __future__ import annotations

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.bundle.fast_schema import compile_schema
from desktop.bundle.schema import _validator, schema, validate


def _task(number: int) -> dict:
    return {"number": str(number), "content": "Tuyên truyền, phổ biến", "group": None, "lead": "Văn phòng Sở",
            "cooperating": ["Các phòng"], "timeframe": "Quý III/2026", "timeframe_kind": "deadline",
            "timeframe_label": "Hạn: 30/09/2026", "expected_output": "Kế hoạch", "state": "due",
            "state_label": "Đến hạn trong kỳ",
            "progress": {"status": "done", "status_label": "Đã hoàn thành", "result": "Đã ban hành", "figures": "",
                         "difficulties": "", "proposals": "",
                         "evidence": [{"number": "15/SXD-VP", "issued_on": "2026-05-10", "summary": "Công văn",
                                       "file_name": "cv.pdf", "file": "evidence/abc_cv.pdf", "sha256": "a" * 64}]}}


DATA = {
    "format": "khbc-package/1",
    "unit": {"code": "DLK-SXD", "name": "SỞ XÂY DỰNG", "name_in_text": "Sở Xây dựng", "abbreviation": "SXD",
             "parent_agency": "UBND TỈNH ĐẮK LẮK", "place_name": "Đắk Lắk"},
    "plan": {"number": "12/KH-SXD", "issued_on": "2026-03-01", "title": "Kế hoạch", "program": "Chương trình",
             "start_year": 2026, "end_year": 2030, "report_to": "UBND tỉnh"},
    "period": {"code": "2026", "kind": "year", "title": "Năm 2026", "cutoff_start": "2025-12-15",
               "cutoff_end": "2026-12-14", "span_start": "2026-01-01", "span_end": "2026-12-31",
               "deadline": "2026-12-10"},
    "submission": {"version": 1, "created_at": "2026-11-22T09:00:00+07:00"},
    "report": {"number": "", "issued_on": None,
               "sections": {"direction": "a", "results": "b", "assessment": "c", "next_steps": "d", "proposals": ""},
               "recipients": ["UBND tỉnh;", "Lưu: VT."],
               "signer": {"name": "Lê Văn A", "title": "PHÓ GIÁM ĐỐC", "authority": "KT. GIÁM ĐỐC"}},
    "tasks": [_task(1), _task(2)],
    "targets": [{"position": 1, "content": "Tỷ lệ", "goal_text": "100%", "goal_value": 100.0, "measure_unit": "%",
                 "value_text": "95%", "value": 95, "note": ""}],
}


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = list(_paths(DATA))
SIZES = [0, 1, 19, 20, 21, 29, 30, 31, 49, 50, 51, 199, 200, 201, 255, 256, 300, 301, 1000, 1001, 100000, 100001]
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.sampled_from([1.0, 2026.0, 0.5, -1.5, 1e300])
    | st.text(max_size=40)
    | st.sampled_from(["2026", "2026S1", "2026-2030", "9999", "2026-13-45", "a" * 64, "A" * 64, "evidence/x.pdf",
                       "../x", "done", "DONE", "year", "khbc-package/1", "x\n", "ABC\u0085", "2026-11-22T09:00:00Z"])
    | st.builds(lambda n, c: c * n, st.sampled_from(SIZES), st.sampled_from(["a", "ắ", "\u0001"])),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


def _mutate(data: dict, path: tuple, action: str, value) -> dict:
    result = copy.deepcopy(data)
    if not path:
        return value if action == "replace" else result
    holder = result
    for key in path[:-1]:
        holder = holder[key]
    last = path[-1]
    if action == "replace":
        holder[last] = value
    elif action == "delete":
        del holder[last]
    elif isinstance(holder[last], dict):
        holder[last][f"extra{len(holder[last])}"] = value
    elif isinstance(holder[last], list):
        holder[last].append(value)
    else:
        holder[last] = value
    return result


def _jsonschema_ok(value, part: str) -> bool:
    return not any(True for _ in _validator(part).iter_errors(value))


def test_the_handmade_document_is_valid():
    assert _jsonschema_ok(DATA, "data")
    assert compile_schema(schema(), "data")(DATA)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(PATHS), st.sampled_from(["replace", "delete", "add"]), VALUES),
                min_size=1, max_size=3))
def test_the_fast_check_and_jsonschema_always_agree(mutations):
    value = DATA
    for path, action, new in mutations:
        try:
            value = _mutate(value, path, action, new)
        except (KeyError, IndexError, TypeError):
            continue
    fast = compile_schema(schema(), "data")(value)
    assert fast == _jsonschema_ok(value, "data"), json.dumps(value, ensure_ascii=False)[:2000]


@pytest.mark.parametrize("part", ["task", "progress", "evidence", "period", "target", "manifest"])
@settings(max_examples=50, deadline=None)
@given(value=VALUES)
def test_each_definition_agrees_on_arbitrary_values(part, value):
    assert compile_schema(schema(), part)(value) == _jsonschema_ok(value, part)


def test_a_refused_document_still_says_why_in_vietnamese():
    bad = _mutate(DATA, ("tasks", 0, "progress", "status"), "replace", "Xong!")
    problems = validate(bad, "data", "data.json")
    assert problems == ["data.json: tasks/0/progress không đúng kiểu dữ liệu cho phép."]


def test_a_1000_task_report_with_long_results_exports_verifies_and_is_received(tmp_path, monkeypatch):
    """Issue 11, item 8: a plan of 1,000 tasks made `khbc export` fail on its own section length limit."""
    from desktop.bundle.verify import verify_file
    from desktop.services.bundles import export_package, import_bundles
    from sample_helpers import fresh_database
    from desktop.services.workspace import Workspace
    from tests.bundle_helpers import grow_plan

    monkeypatch.setenv("KHBC_TODAY", "2026-11-22")
    fresh_database(tmp_path / "sender.sqlite3")
    sender = Workspace.open(tmp_path / "sender.sqlite3")
    try:
        grow_plan(sender, 1000, "2026", result_chars=400)
        # The draft now summarises, so the long section is one a clerk wrote herself: a paragraph per task.
        from desktop.services.documents import save_report

        long_results = "\n".join(f"Nhiệm vụ {n}: " + "đã triển khai đầy đủ các nội dung được giao. " * 3
                                  for n in range(1, 1001))
        with sender.unit_of_work() as session:
            save_report(session, "2026", results=long_results)
        result = export_package(sender, "2026", tmp_path / "out")
    finally:
        sender.close()
    check = verify_file(result.path)
    assert check.ok, check.problems
    assert len(check.data["tasks"]) == 1000
    assert max(len(text) for text in check.data["report"]["sections"].values()) > 100_000  # the old limit
    receiver = Workspace.open(tmp_path / "recv.sqlite3")
    try:
        [outcome] = import_bundles(receiver, [result.path])
    finally:
        receiver.close()
    assert outcome.status == "imported", outcome.problems
