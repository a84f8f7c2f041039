"""The report outline as data: the default prints today's report, a plan's own outline is followed, bad ones refused."""

from __future__ import annotations

import json
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.outline import DEFAULT_OUTLINE_JSON, load_outline, outline_to_json, validate_outline

CUSTOM = {
    "format": "khbc-outline-1",
    "name": "Đề cương của Công an tỉnh",
    "sections": [
        {"heading": "I. KẾT QUẢ ĐẠT ĐƯỢC", "source": "results", "draft": True},
        {"heading": "II. TÌNH HÌNH SỬ DỤNG KINH PHÍ", "guidance": "số kinh phí được giao, đã sử dụng"},
        {"heading": "III. KIẾN NGHỊ", "source": "proposals", "draft": False},
    ],
    "appendices": [
        {"table": "tasks", "heading": "Biểu 01", "title": "TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ", "landscape": False,
         "columns": [{"field": "number", "title": "STT", "weight": 0.5, "align": "center"},
                     {"field": "content", "title": "Nhiệm vụ", "weight": 3},
                     {"field": "progress", "title": "Tình trạng", "weight": 1.2}]},
    ],
}


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _words(text: str) -> str:
    return " ".join(text.split())


def test_default_outline_round_trips_and_stored_default_prints_the_same_report(khbc_cli, sample_workspace, db_path,
                                                                                 tmp_path):
    assert load_outline(outline_to_json(load_outline(None))) == load_outline(DEFAULT_OUTLINE_JSON)
    code, _, err = khbc_cli("report", "--period", "2026S1", "--out", str(tmp_path / "a.pdf"), "--db", str(db_path))
    assert code == 0, err
    code, out, err = khbc_cli("outline-export", str(tmp_path / "outline.json"), "--db", str(db_path))
    assert code == 0 and "Đã ghi đề cương" in out
    assert load_outline(json.loads((tmp_path / "outline.json").read_text(encoding="utf-8"))) == load_outline(None)
    code, out, err = khbc_cli("outline-import", str(tmp_path / "outline.json"), "--db", str(db_path))
    assert code == 0 and "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI" in out
    code, _, err = khbc_cli("report", "--period", "2026S1", "--out", str(tmp_path / "b.pdf"), "--db", str(db_path))
    assert code == 0, err
    text = _pdf_text(tmp_path / "a.pdf")
    assert text == _pdf_text(tmp_path / "b.pdf")
    flat = _words(text)
    positions = [flat.index(h) for h in ("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
                                          "III. ĐÁNH GIÁ CHUNG", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
                                          "V. ĐỀ XUẤT, KIẾN NGHỊ", "KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")]
    assert positions == sorted(positions)


def test_a_plans_own_outline_sets_headings_order_drafting_and_appendix_columns(khbc_cli, sample_workspace, db_path,
                                                                                tmp_path):
    (tmp_path / "ca.json").write_text(json.dumps(CUSTOM, ensure_ascii=False), encoding="utf-8")
    code, out, err = khbc_cli("outline-import", str(tmp_path / "ca.json"), "--db", str(db_path))
    assert code == 0, err
    code, _, err = khbc_cli("report", "--period", "2026S1", "--out", str(tmp_path / "r.pdf"), "--db", str(db_path))
    assert code == 0, err
    flat = _words(_pdf_text(tmp_path / "r.pdf"))
    order = [flat.index(h) for h in ("I. KẾT QUẢ ĐẠT ĐƯỢC", "1. Kết quả chung", "II. TÌNH HÌNH SỬ DỤNG KINH PHÍ",
                                     "[Đề nghị bổ sung: số kinh phí được giao, đã sử dụng]", "III. KIẾN NGHỊ",
                                     "Biểu 01 TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ", "STT Nhiệm vụ Tình trạng")]
    assert order == sorted(order)
    assert "chi tiết tại Biểu 01 kèm theo" in flat and "(chi tiết tại Biểu 01)" in flat
    assert "[Đề nghị bổ sung: nội dung mục “III. KIẾN NGHỊ”]" in flat  # not drafted: left to the clerk
    for gone in ("CÔNG TÁC CHỈ ĐẠO", "ĐÁNH GIÁ CHUNG", "Phụ lục II", "Đơn vị phối hợp", "Kết quả dự kiến"):
        assert gone not in flat
    code, _, err = khbc_cli("outline-export", str(tmp_path / "back.json"), "--db", str(db_path))
    assert load_outline(json.loads((tmp_path / "back.json").read_text(encoding="utf-8"))) == load_outline(CUSTOM)
    code, out, err = khbc_cli("outline-import", "--default", "--db", str(db_path))
    assert code == 0 and "V. ĐỀ XUẤT, KIẾN NGHỊ" in out


def test_bad_outlines_are_refused_in_vietnamese_and_nothing_changes(khbc_cli, sample_workspace, db_path, tmp_path):
    (tmp_path / "ok.json").write_text(json.dumps(CUSTOM, ensure_ascii=False), encoding="utf-8")
    assert khbc_cli("outline-import", str(tmp_path / "ok.json"), "--db", str(db_path))[0] == 0
    twice = json.loads(json.dumps(CUSTOM))
    twice["sections"][1]["source"] = "results"
    wrong_column = json.loads(json.dumps(CUSTOM))
    wrong_column["appendices"][0]["columns"][2]["field"] = "ratio"
    cases = {
        "twice.json": (json.dumps(twice), "được gắn cho hơn một mục"),
        "column.json": (json.dumps(wrong_column), "cột ratio không có trong bảng nhiệm vụ"),
        "empty.json": (json.dumps({"format": "khbc-outline-1", "sections": [], "appendices": []}), "mục"),
        "broken.json": ("{\"format\": ", "không phải tệp JSON đề cương"),
    }
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        code, out, err = khbc_cli("outline-import", str(tmp_path / name), "--db", str(db_path))
        assert code == 1 and expected in err and "Traceback" not in err, (name, err)
    code, _, _ = khbc_cli("outline-export", str(tmp_path / "now.json"), "--db", str(db_path))
    assert json.loads((tmp_path / "now.json").read_text(encoding="utf-8"))["name"] == CUSTOM["name"]


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                                        max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.one_of(json_values, st.builds(lambda extra: {**CUSTOM, **extra},
                                        st.dictionaries(st.sampled_from(["sections", "appendices", "format", "x"]),
                                                        json_values, max_size=2))))
def test_validate_never_raises_and_load_accepts_exactly_what_validate_accepts(value):
    problems = validate_outline(value)
    assert isinstance(problems, list)
    try:
        load_outline(value) if value is not None else None
        assert problems == [] or value is None
    except Exception as exc:  # noqa: BLE001
        assert problems and type(exc).__name__ == "InvalidInputError"
