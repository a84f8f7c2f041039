"""Tests for a task's state in a reporting period, with the seed timeframes and realistic dates."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.periods import ReportingSchedule, parse_period_code
from desktop.domain.task_state import (
    PROGRESS_STATUS_LABELS, PROGRESS_STATUSES, TASK_STATE_LABELS, TASK_STATES, task_state,
)
from desktop.domain.timeframe import parse_timeframe

SCHEDULE = ReportingSchedule(kinds=("half", "year", "phase"), deadlines={"half": (10, 6), "year": (10, 12)})
PLAN = (2026, 2030)


def state(text, code, status, today, done_before=False):
    return task_state(parse_timeframe(text, PLAN), parse_period_code(code, SCHEDULE), status, today, done_before)


NOV_22 = date(2026, 11, 22)


@pytest.mark.parametrize("status, expected", [
    (None, "late"), ("", "late"), ("not_started", "late"), ("in_progress", "late"),
    ("done", "due"), ("not_applicable", "due"),
])
def test_quarter_deadline_passed_in_year_period(status, expected):
    assert state("Quý III/2026", "2026", status, NOV_22) == expected


@pytest.mark.parametrize("status", [None, "not_started", "in_progress", "done"])
def test_deadline_still_ahead_in_period_is_due(status):
    assert state("Quý IV/2026", "2026", status, NOV_22) == "due"
    assert state("Quý III/2026", "2026", status, date(2026, 9, 30)) == "due"  # the deadline day itself


@pytest.mark.parametrize("status, expected", [
    (None, "not_yet"), ("not_started", "not_yet"), ("in_progress", "ongoing"), ("done", "ongoing"),
])
def test_deadline_after_the_half_year(status, expected):
    assert state("Quý III/2026", "2026S1", status, date(2026, 6, 5)) == expected


@pytest.mark.parametrize("text, status, done_before, expected", [
    ("Quý III/2026", None, False, "late"),
    ("Quý III/2026", "in_progress", False, "late"),
    ("Quý III/2026", "done", False, "finished"),
    ("Quý III/2026", None, True, "finished"),
    ("Quý III/2026", "not_applicable", False, "ongoing"),
    ("Quý III/2026 và duy trì", None, False, "ongoing"),
    ("Quý III/2026 và duy trì", "in_progress", True, "ongoing"),
    ("Năm 2028", None, False, "not_yet"),
])
def test_deadline_before_the_period(text, status, done_before, expected):
    assert state(text, "2027S1", status, date(2027, 6, 1), done_before) == expected


def test_done_before_inside_the_deadline_period():
    assert state("Quý III/2026", "2026", None, NOV_22, done_before=True) == "finished"
    assert state("Quý III/2026 và duy trì", "2026", None, NOV_22, done_before=True) == "ongoing"


def test_several_deadlines_late_when_any_in_span_passed():
    assert state("Quý I/2026 và Quý IV/2026", "2026", "in_progress", date(2026, 5, 1)) == "late"
    assert state("Quý I/2026 và Quý IV/2026", "2026", "done", date(2026, 5, 1)) == "due"
    # a milestone before the span and one after it: the work is under way
    assert state("Quý I/2026, Quý IV/2027", "2027S1", None, date(2027, 6, 1)) == "ongoing"


@pytest.mark.parametrize("code, status, today, expected", [
    ("2026S1", None, date(2026, 6, 5), "ongoing"),
    ("2026", None, NOV_22, "due"),
    ("2026", "in_progress", date(2027, 1, 5), "late"),
    ("2026", "done", date(2027, 1, 5), "due"),
    ("2026", "not_applicable", date(2027, 1, 5), "due"),
])
def test_yearly_task(code, status, today, expected):
    assert state("Hàng năm", code, status, today) == expected


@pytest.mark.parametrize("code, status, today, expected", [
    ("2026S1", None, date(2026, 6, 5), "due"),
    ("2026S1", "in_progress", date(2026, 6, 10), "due"),
    ("2026S1", None, date(2026, 6, 20), "late"),
    ("2026S1", "done", date(2026, 6, 20), "due"),
    ("2026", "in_progress", NOV_22, "due"),  # judged on 10/12, the last deadline in the year
    ("2026", "in_progress", date(2026, 12, 11), "late"),
])
def test_twice_yearly_reporting_task(code, status, today, expected):
    text = "Định kỳ trước ngày 10/6 và 10/12 hàng năm để tổng hợp gửi đúng hạn"
    assert state(text, code, status, today) == expected


def test_continuous_yearly_task_is_not_late_while_in_progress():
    assert state("Thường xuyên, hằng năm", "2026", "in_progress", date(2027, 1, 5)) == "due"
    assert state("Thường xuyên, hằng năm", "2026", "not_started", date(2027, 1, 5)) == "late"
    assert state("Thường xuyên, hằng năm", "2026S1", None, date(2026, 6, 1)) == "ongoing"


def test_recurring_bounds():
    assert state("Hàng năm và năm 2030", "2031", None, date(2031, 11, 1)) == "finished"
    assert state("Hàng năm và năm 2030", "2030", None, date(2030, 11, 1)) == "due"
    assert state("Hằng năm, từ năm 2027", "2026", None, NOV_22) == "not_yet"
    assert state("Hằng năm, từ năm 2027", "2027", None, date(2027, 11, 22)) == "due"


def test_phase_summary_is_judged_on_its_last_occurrence():
    text = "Sơ kết hằng năm, tổng kết giai đoạn 2026 - 2030; tổ chức hội nghị triển khai"
    assert state(text, "2026-2030", "in_progress", date(2030, 12, 5)) == "due"
    assert state(text, "2026-2030", "in_progress", date(2031, 1, 5)) == "late"


@pytest.mark.parametrize("code, today", [("2026S1", date(2026, 6, 1)), ("2026", NOV_22), ("2030", date(2031, 3, 1))])
def test_continuous_is_always_ongoing(code, today):
    assert state("Thường xuyên", code, None, today) == "ongoing"
    assert state("Thường xuyên", code, "not_started", today) == "ongoing"


def test_bounded_continuous():
    assert state("Thường xuyên, giai đoạn 2026-2030", "2031", None, date(2031, 6, 1)) == "finished"
    assert state("Thường xuyên, giai đoạn 2026-2030", "2028", None, date(2028, 6, 1)) == "ongoing"
    assert state("Từ năm 2027", "2026", None, NOV_22) == "not_yet"
    assert state("Từ năm 2027", "2027S1", None, date(2027, 6, 1)) == "ongoing"


@pytest.mark.parametrize("code, status, today, done_before, expected", [
    ("2025", None, date(2025, 11, 1), False, "not_yet"),
    ("2026", None, NOV_22, False, "ongoing"),
    ("2028S1", None, date(2028, 6, 1), False, "ongoing"),
    ("2030", "in_progress", date(2030, 12, 5), False, "due"),
    ("2030", "in_progress", date(2031, 1, 5), False, "late"),
    ("2026-2030", "done", date(2030, 12, 5), False, "due"),
    ("2031", None, date(2031, 11, 1), False, "late"),
    ("2031", "done", date(2031, 11, 1), False, "finished"),
    ("2031", None, date(2031, 11, 1), True, "finished"),
    ("2031", "not_applicable", date(2031, 11, 1), False, "ongoing"),
])
def test_range_task(code, status, today, done_before, expected):
    assert state("2026-2030", code, status, today, done_before) == expected


def test_range_with_month_deadline():
    text = "Từ tháng 6/2026 đến tháng 3/2027"
    assert state(text, "2026", "in_progress", NOV_22) == "ongoing"
    assert state(text, "2027S1", "in_progress", date(2027, 6, 1)) == "late"
    assert state(text, "2027S1", "done", date(2027, 6, 1)) == "due"


@pytest.mark.parametrize("status", [None, "not_started", "in_progress", "done", "not_applicable"])
def test_on_demand_and_unknown_are_ongoing(status):
    assert state("Theo yêu cầu", "2026", status, NOV_22) == "ongoing"
    assert state("Đột xuất", "2026S1", status, date(2026, 6, 1)) == "ongoing"
    assert state("???", "2026", status, NOV_22) == "ongoing"


@pytest.mark.parametrize("status, done_before, expected", [
    (None, False, "not_yet"), ("not_started", False, "not_yet"), ("not_applicable", False, "not_yet"),
    ("in_progress", False, "ongoing"), ("done", False, "ongoing"), (None, True, "finished"),
])
def test_conditional(status, done_before, expected):
    assert state("Sau khi có hướng dẫn của Bộ Công an", "2026", status, NOV_22, done_before) == expected


def test_unknown_done_before_is_finished():
    assert state("???", "2027", None, date(2027, 6, 1), done_before=True) == "finished"


def test_labels_are_complete_and_vietnamese():
    assert set(TASK_STATE_LABELS) == set(TASK_STATES)
    assert set(PROGRESS_STATUS_LABELS) == set(PROGRESS_STATUSES)
    assert PROGRESS_STATUS_LABELS == {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện",
                                      "not_started": "Chưa thực hiện", "not_applicable": "Không phát sinh"}
    assert TASK_STATE_LABELS["late"] == "Chậm tiến độ"
    assert TASK_STATE_LABELS["due"] == "Đến hạn trong kỳ"


SEED_TEXTS = [
    "Quý III/2026", "Hàng năm", "Thường xuyên", "2026-2030", "Quý III/2026 và duy trì", "Theo yêu cầu",
    "Định kỳ trước ngày 10/6 và 10/12 hàng năm để tổng hợp gửi đúng hạn", "Hàng năm và năm 2030",
    "Giai đoạn 2026 - 2030.", "Sơ kết hằng năm, tổng kết giai đoạn 2026 - 2030", "trước ngày 15/11 hàng năm",
    "Thường xuyên, hằng năm", "Sau khi có hướng dẫn của Bộ", "Năm 2028", "Từ tháng 6/2026 đến tháng 3/2027",
]
CODES = ["2026S1", "2026", "2027S1", "2027", "2028", "2030", "2031", "2026-2030"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SEED_TEXTS), st.sampled_from(CODES), st.dates(date(2025, 1, 1), date(2033, 12, 31)),
       st.booleans(), st.sampled_from([None, *PROGRESS_STATUSES]))
def test_state_is_always_known_and_not_applicable_is_never_late(text, code, today, done_before, status):
    result = state(text, code, status, today, done_before)
    assert result in TASK_STATES
    assert state(text, code, "not_applicable", today, done_before) != "late"
    # a finished task is never reported late
    assert state(text, code, "done", today, done_before) != "late"


def test_the_cli_accepts_exactly_the_progress_statuses_the_domain_knows(capsys):
    from desktop.cli import build_parser

    parser = build_parser()
    command = ["progress", "--period", "2026S1", "--task", "1", "--status"]
    assert [parser.parse_args([*command, status]).status for status in PROGRESS_STATUSES] == list(PROGRESS_STATUSES)
    assert set(PROGRESS_STATUSES) == set(PROGRESS_STATUS_LABELS)
    with pytest.raises(SystemExit):
        parser.parse_args([*command, "finished"])  # a task state, not a progress status
    assert "not_applicable" in capsys.readouterr().err  # the refusal lists the statuses it would take
