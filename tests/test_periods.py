"""Tests for reporting periods: codes, Nghị định 09/2019 cut-off windows, schedule deadlines, states."""

from datetime import date, datetime

import pytest

from desktop.domain.periods import (
    PERIOD_STATE_LABELS, ReportingSchedule, current_period, days_left, make_period, parse_period_code,
    period_state, periods_for_plan, sent_and_not_reopened,
)
from desktop.errors import InvalidInputError

DAK_LAK = ReportingSchedule(deadlines={"half": (10, 6), "year": (10, 12)})
THAI_NGUYEN = ReportingSchedule(deadlines={"half": (15, 6), "year": (15, 12)})
YEARLY_ONLY_30_11 = ReportingSchedule(kinds=("year",), deadlines={"year": (30, 11)})
DAK_NONG = ReportingSchedule(kinds=("year",), deadlines={"year": (15, 11)})
JANUARY = ReportingSchedule(deadlines={"half": (15, 7), "year": (15, 1)})
WITH_PHASE = ReportingSchedule(kinds=("half", "year", "phase"), deadlines={"half": (10, 6), "year": (10, 12)})


def test_half_year_window_and_span():
    p = parse_period_code("2026S1", DAK_LAK)
    assert (p.code, p.kind, p.start_year, p.end_year) == ("2026S1", "half", 2026, 2026)
    assert p.title == "6 tháng đầu năm 2026"
    assert (p.cutoff_start, p.cutoff_end) == (date(2025, 12, 15), date(2026, 6, 14))
    assert (p.span_start, p.span_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert p.deadline == date(2026, 6, 10)


def test_year_window_and_span():
    p = parse_period_code("2026", DAK_LAK)
    assert (p.code, p.kind, p.title) == ("2026", "year", "Năm 2026")
    assert (p.cutoff_start, p.cutoff_end) == (date(2025, 12, 15), date(2026, 12, 14))
    assert (p.span_start, p.span_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert p.deadline == date(2026, 12, 10)


def test_phase_window_span_and_default_deadline():
    p = parse_period_code("2026-2030", DAK_LAK)
    assert (p.code, p.kind, p.start_year, p.end_year, p.title) == (
        "2026-2030", "phase", 2026, 2030, "Giai đoạn 2026-2030")
    assert (p.cutoff_start, p.cutoff_end) == (date(2025, 12, 15), date(2030, 12, 14))
    assert (p.span_start, p.span_end) == (date(2026, 1, 1), date(2030, 12, 31))
    assert p.deadline == date(2030, 12, 10)  # the year deadline of the end year
    own = ReportingSchedule(kinds=("year", "phase"), deadlines={"year": (10, 12), "phase": (30, 10)})
    assert parse_period_code("2026-2030", own).deadline == date(2030, 10, 30)


def test_calendar_cutoff_rule():
    schedule = ReportingSchedule(deadlines={"half": (15, 7), "year": (15, 1)}, cutoff_rule="calendar")
    half, year = parse_period_code("2026S1", schedule), parse_period_code("2026", schedule)
    assert (half.cutoff_start, half.cutoff_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (year.cutoff_start, year.cutoff_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert (half.deadline, year.deadline) == (date(2026, 7, 15), date(2027, 1, 15))


@pytest.mark.parametrize("schedule, half, year", [
    (DAK_LAK, date(2026, 6, 10), date(2026, 12, 10)),
    (THAI_NGUYEN, date(2026, 6, 15), date(2026, 12, 15)),
    (YEARLY_ONLY_30_11, None, date(2026, 11, 30)),
    (DAK_NONG, None, date(2026, 11, 15)),
    (JANUARY, date(2026, 7, 15), date(2027, 1, 15)),
])
def test_deadlines_from_different_schedules(schedule, half, year):
    assert parse_period_code("2026S1", schedule).deadline == half
    assert parse_period_code("2026", schedule).deadline == year


def test_no_schedule_means_no_deadline():
    assert parse_period_code("2026").deadline is None
    assert parse_period_code("2026S1").cutoff_end == date(2026, 6, 14)


@pytest.mark.parametrize("code, expected", [
    ("2026S1", "2026S1"), ("2026s1", "2026S1"), (" 2026 S1 ", "2026S1"), ("2026-S1", "2026S1"),
    ("2026", "2026"), (" 2026\n", "2026"),
    ("2026-2030", "2026-2030"), ("2026 - 2030", "2026-2030"), ("2026–2030", "2026-2030"),
    ("2026 — 2030", "2026-2030"),
])
def test_codes_are_read_tolerantly(code, expected):
    assert parse_period_code(code).code == expected


@pytest.mark.parametrize("code", [
    "", "   ", "abc", "2026S2", "2026S3", "26", "20266", "S1", "2026/2030", "2030-2026", "2026-2026",
    "1899", "2201", "1899S1", "2026-2201", "2026Q5", "2026Q0", "2026N6", None,
])
def test_bad_codes_are_refused_in_vietnamese(code):
    with pytest.raises(InvalidInputError) as err:
        parse_period_code(code)
    assert str(err.value).startswith("Mã kỳ báo cáo không hợp lệ:")
    assert "ví dụ: 2026S1, 2026, 2026-2030" in str(err.value)


def test_boundary_years_are_accepted():
    assert parse_period_code("1900").cutoff_start == date(1899, 12, 15)
    assert parse_period_code("2200S1").span_end == date(2200, 6, 30)


def test_periods_for_plan_orders_by_span_then_kind():
    codes = [p.code for p in periods_for_plan(2026, 2028, WITH_PHASE)]
    assert codes == ["2026S1", "2026", "2027S1", "2027", "2028S1", "2028", "2026-2028"]
    assert [p.code for p in periods_for_plan(2026, 2027, DAK_LAK)] == ["2026S1", "2026", "2027S1", "2027"]
    assert [p.code for p in periods_for_plan(2026, 2027, DAK_NONG)] == ["2026", "2027"]
    # a one-year plan gets no phase period (it would repeat the year)
    assert [p.code for p in periods_for_plan(2026, 2026, WITH_PHASE)] == ["2026S1", "2026"]


def test_periods_for_plan_carries_schedule_deadlines():
    periods = periods_for_plan(2026, 2026, THAI_NGUYEN)
    assert [p.deadline for p in periods] == [date(2026, 6, 15), date(2026, 12, 15)]


@pytest.mark.parametrize("start, end", [(2030, 2026), (1800, 2026), (2026, 2300)])
def test_periods_for_plan_rejects_bad_years(start, end):
    with pytest.raises(InvalidInputError):
        periods_for_plan(start, end, DAK_LAK)


@pytest.mark.parametrize("today, sent, expected", [
    (date(2025, 12, 14), False, "upcoming"),
    (date(2025, 12, 15), False, "open"),
    (date(2026, 6, 10), False, "open"),  # deadline day, still inside the window
    (date(2026, 6, 11), False, "overdue"),  # past 10/6 although the window runs to 14/6
    (date(2026, 6, 11), True, "sent"),
    (date(2025, 11, 1), True, "sent"),
])
def test_half_state_with_deadline_inside_window(today, sent, expected):
    assert period_state(parse_period_code("2026S1", DAK_LAK), today, sent) == expected


@pytest.mark.parametrize("today, expected", [
    (date(2025, 12, 14), "upcoming"),
    (date(2025, 12, 15), "open"),
    (date(2026, 12, 14), "open"),
    (date(2026, 12, 15), "awaiting"),
    (date(2027, 1, 15), "awaiting"),
    (date(2027, 1, 16), "overdue"),
])
def test_year_state_with_deadline_after_window(today, expected):
    assert period_state(parse_period_code("2026", JANUARY), today) == expected


def test_state_without_deadline_never_overdue():
    p = parse_period_code("2026")
    assert period_state(p, date(2026, 12, 15)) == "awaiting"
    assert period_state(p, date(2030, 1, 1)) == "awaiting"


def test_state_labels_are_vietnamese():
    assert PERIOD_STATE_LABELS == {
        "upcoming": "Chưa đến kỳ", "open": "Đang trong kỳ", "awaiting": "Chờ gửi báo cáo",
        "overdue": "Quá hạn gửi", "sent": "Đã gửi",
    }


@pytest.mark.parametrize("today, expected", [
    (date(2025, 12, 20), "2026S1"),
    (date(2026, 6, 10), "2026S1"),
    (date(2026, 6, 11), "2026"),
    (date(2026, 11, 22), "2026"),
    (date(2026, 12, 10), "2026"),
    (date(2026, 12, 11), "2027S1"),
    (date(2028, 12, 10), "2028"),  # tie with the phase: the shorter period first
    (date(2028, 12, 11), None),
])
def test_current_period(today, expected):
    periods = periods_for_plan(2026, 2028, WITH_PHASE)
    current = current_period(periods, today)
    assert (current.code if current else None) == expected


def test_current_period_without_deadlines_uses_window_end():
    periods = periods_for_plan(2026, 2026, ReportingSchedule(deadlines={}))
    assert current_period(periods, date(2026, 6, 14)).code == "2026S1"
    assert current_period(periods, date(2026, 6, 15)).code == "2026"
    assert current_period(periods, date(2026, 12, 15)) is None
    assert current_period([], date(2026, 1, 1)) is None


def test_days_left():
    p = parse_period_code("2026", DAK_LAK)
    assert days_left(p, date(2026, 11, 22)) == 18
    assert days_left(p, date(2026, 12, 11)) == -1
    assert days_left(parse_period_code("2026"), date(2026, 1, 1)) is None


def test_schedule_json_round_trip():
    for schedule in (DAK_LAK, THAI_NGUYEN, DAK_NONG, JANUARY, WITH_PHASE, ReportingSchedule(),
                     ReportingSchedule(deadlines={"year": (29, 2)}, cutoff_rule="calendar")):
        data = schedule.to_json()
        assert ReportingSchedule.from_json(data) == schedule
    assert DAK_LAK.to_json() == {"kinds": ["half", "year"], "deadlines": {"half": "10/6", "year": "10/12"},
                                 "cutoff_rule": "nd09"}


def test_schedule_from_json_fills_missing_fields_with_defaults():
    assert ReportingSchedule.from_json({}) == ReportingSchedule()
    assert ReportingSchedule.from_json({"deadlines": {}}).deadlines == {}
    assert ReportingSchedule.from_json({"kinds": ["year"], "deadlines": {"year": "15/11"}}) == DAK_NONG


def test_schedule_from_json_accepts_pairs_and_padded_strings():
    schedule = ReportingSchedule.from_json({"kinds": ["year", "half"],
                                            "deadlines": {"half": "15/06", "year": [15, 12]}})
    assert schedule == THAI_NGUYEN
    assert schedule.kinds == ("half", "year")


@pytest.mark.parametrize("data", [
    {"deadlines": {"half": "31/2"}},
    {"deadlines": {"year": "0/12"}},
    {"deadlines": {"year": "15/13"}},
    {"deadlines": {"year": "mười lăm"}},
    {"deadlines": {"year": [15]}},
    {"deadlines": {"year": [True, 12]}},
    {"deadlines": {"quarter": "10/6"}},
    {"deadlines": ["10/6"]},
    {"kinds": []},
    {"kinds": ["half", "half"]},
    {"kinds": ["month"]},
    {"kinds": "half"},
    {"cutoff_rule": "lunar"},
    "10/6",
])
def test_schedule_from_json_rejects_nonsense(data):
    with pytest.raises(InvalidInputError) as err:
        ReportingSchedule.from_json(data)
    assert "không hợp lệ" in str(err.value) or "phải" in str(err.value)


def test_schedule_is_hashable_and_compares_by_value():
    assert ReportingSchedule() == ReportingSchedule(deadlines={"half": [10, 6], "year": "10/12"})
    assert hash(ReportingSchedule()) == hash(ReportingSchedule())
    assert ReportingSchedule() != THAI_NGUYEN


def test_leap_day_deadline_is_clamped():
    schedule = ReportingSchedule(kinds=("year",), deadlines={"year": (29, 2)}, cutoff_rule="calendar")
    assert parse_period_code("2026", schedule).deadline == date(2027, 2, 28)
    assert parse_period_code("2027", schedule).deadline == date(2028, 2, 29)


def test_make_period_rejects_unknown_kind():
    with pytest.raises(InvalidInputError):
        make_period("month", 2026)


@pytest.mark.parametrize("sent_at, reopened_at, locked", [
    (None, None, False),
    (datetime(2026, 6, 9, 8, 0), None, True),
    (datetime(2026, 6, 9, 8, 0), datetime(2026, 6, 9, 9, 0), False),  # reopened after sending: editable again
    (datetime(2026, 6, 9, 10, 0), datetime(2026, 6, 9, 9, 0), True),  # sent again after the reopening
])
def test_a_period_is_locked_while_sent_and_not_reopened_since(sent_at, reopened_at, locked):
    assert sent_and_not_reopened(sent_at, reopened_at) is locked
