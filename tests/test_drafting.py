"""The drafting rules of "Soạn tự động": units named, counts added up, rates listed per unit, returned reports left out."""

from __future__ import annotations

from desktop.domain.drafting import (
    UnitTargetReport, UnitTaskReport, draft_target, draft_task, format_number, parse_count,
)


def _report(unit, result="", figures="", status="done", review="accepted"):
    labels = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện", "not_started": "Chưa triển khai"}
    return UnitTaskReport(unit.lower(), unit, 1, review, status, labels.get(status, ""), result, figures)


def test_results_name_each_unit_in_order():
    draft = draft_task([_report("Sở A", "Đã ban hành kế hoạch."), _report("Sở B", "Tổ chức 2 hội nghị")])
    assert draft.result == "Sở A: Đã ban hành kế hoạch; Sở B: Tổ chức 2 hội nghị."
    assert draft.status == "done"


def test_a_unit_without_text_is_named_with_its_status():
    draft = draft_task([_report("Sở A", "Xong"), _report("Sở B", status="in_progress")])
    assert draft.result == "Sở A: Xong; Sở B: đang thực hiện."
    assert draft.status == "in_progress"


def test_the_same_kind_of_count_adds_up_and_others_are_listed():
    same = draft_task([_report("Phòng A", "x", "1.200 lượt học sinh"), _report("Phòng B", "y", "80 lượt học sinh.")])
    assert same.figures == "Tổng số: 1.280 lượt học sinh (Phòng A: 1.200; Phòng B: 80)."
    mixed = draft_task([_report("Phòng A", "x", "120 lượt"), _report("Phòng B", "y", "3 cuộc kiểm tra")])
    assert mixed.figures == "Phòng A: 120 lượt; Phòng B: 3 cuộc kiểm tra."
    rates = draft_task([_report("Phòng A", "x", "95%"), _report("Phòng B", "y", "90%")])
    assert rates.figures == "Phòng A: 95%; Phòng B: 90%."


def test_a_drafted_total_from_the_level_below_adds_up_again():
    draft = draft_task([_report("Sở A", "x", "Tổng số: 65 lượt (Phòng X: 40; Phòng Y: 25)."),
                        _report("Sở B", "y", "Tổng số: 45 lượt (Phòng Z: 45).")])
    assert draft.figures == "Tổng số: 110 lượt (Sở A: 65; Sở B: 45)."


def test_a_returned_report_is_not_drafted_from():
    assert draft_task([_report("Sở A", "x", review="returned")]) is None
    draft = draft_task([_report("Sở A", "sai", review="returned"), _report("Sở B", "đúng", review="pending")])
    assert draft.result == "Sở B: đúng."
    assert draft_task([]) is None


def test_count_targets_add_up_and_rates_are_listed_per_unit():
    counts = draft_target("lượt", "", [UnitTargetReport("Sở A", "65 lượt", 65.0), UnitTargetReport("Sở B", "45", 45.0)])
    assert counts.value_text == "110 lượt" and "Sở A: 65 lượt; Sở B: 45" in counts.note
    rates = draft_target("%", "100%", [UnitTargetReport("Sở A", "95%", 95.0), UnitTargetReport("Sở B", "90,5%", 90.5)])
    assert rates.value_text == "Sở A: 95%; Sở B: 90,5%"
    nested = draft_target("%", "100%", [UnitTargetReport("Sở A", "Phòng X: 95%; Phòng Y: 90%", 95.0),
                                         UnitTargetReport("Sở B", "88%", 88.0)])
    assert nested.value_text == "Sở A: 90–95%; Sở B: 88%"
    assert draft_target("%", "", [UnitTargetReport("Sở A", "  ", None)]) is None


def test_a_long_list_of_rates_keeps_the_figure_short_and_the_list_in_the_note():
    reports = [UnitTargetReport(f"Phòng Nghiệp vụ số {i}", f"{80 + i}%", 80.0 + i) for i in range(10)]
    draft = draft_target("%", "100%", reports)
    assert draft.value_text == "80–89% (theo 10 đơn vị)"
    assert "Phòng Nghiệp vụ số 9: 89%" in draft.note


def test_numbers_read_and_print_the_vietnamese_way():
    assert parse_count("1.200 lượt cán bộ") == (1200.0, "lượt cán bộ")
    assert parse_count("95,5 %") == (95.5, "%")
    assert parse_count("Chưa có số liệu") is None
    assert format_number(1280.0) == "1.280" and format_number(95.5) == "95,5"
