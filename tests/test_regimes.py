"""Property tests of the reporting regimes: every kind's cut-off windows chain without gap or overlap, for any year."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.periods import (
    CUTOFF_POINTS, PERIOD_KINDS, ReportingSchedule, make_period, parse_period_code, periods_for_plan,
)

DAY = timedelta(days=1)


@st.composite
def cutoff_points(draw):
    """Four strictly increasing cut-off days of a year (any subset of them overridden)."""
    ordinals = sorted(draw(st.sets(st.integers(1, 365), min_size=4, max_size=4)))
    days = [date(2001, 1, 1) + timedelta(days=o - 1) for o in ordinals]
    chosen = draw(st.sets(st.sampled_from(CUTOFF_POINTS)))
    return {k: f"{d.day}/{d.month}" for k, d in zip(CUTOFF_POINTS, days) if k in chosen}


@st.composite
def schedules(draw):
    kinds = draw(st.lists(st.sampled_from(PERIOD_KINDS), min_size=1, unique=True))
    rule = draw(st.sampled_from(("nd09", "calendar")))
    own = draw(cutoff_points())
    try:
        return ReportingSchedule(kinds=tuple(kinds), deadlines={}, cutoff_rule=rule, cutoffs=own)
    except Exception:  # own points out of order with the rule's defaults: refused, tested below
        return ReportingSchedule(kinds=tuple(kinds), deadlines={}, cutoff_rule=rule)


years = st.integers(1901, 2198)


@settings(max_examples=300, deadline=None)
@given(schedules(), years)
def test_quarters_and_years_chain_without_gap_or_overlap(schedule, year):
    quarters = [make_period("quarter", y, None, schedule, q) for y in (year, year + 1) for q in (1, 2, 3, 4)]
    for before, after in zip(quarters, quarters[1:]):
        assert before.cutoff_start <= before.cutoff_end
        assert after.cutoff_start == before.cutoff_end + DAY
    this, following = make_period("year", year, None, schedule), make_period("year", year + 1, None, schedule)
    assert following.cutoff_start == this.cutoff_end + DAY
    assert (this.cutoff_start, this.cutoff_end) == (quarters[0].cutoff_start, quarters[3].cutoff_end)


@settings(max_examples=300, deadline=None)
@given(schedules(), years)
def test_cutoff_points_are_respected(schedule, year):
    points = {k: schedule.cutoff_point(k, year) for k in CUTOFF_POINTS}
    half, nine = make_period("half", year, None, schedule), make_period("nine", year, None, schedule)
    quarters = [make_period("quarter", year, None, schedule, q) for q in (1, 2, 3, 4)]
    assert [q.cutoff_end for q in quarters] == [points[k] for k in CUTOFF_POINTS]
    assert (half.cutoff_end, nine.cutoff_end) == (points["half"], points["nine"])
    start = schedule.cutoff_point("year", year - 1) + DAY
    assert half.cutoff_start == nine.cutoff_start == quarters[0].cutoff_start == start
    for k, (day, month) in schedule.cutoffs.items():  # the plan's own points win over the defaults
        assert (points[k].month, points[k].day) == (month, day)


@settings(max_examples=150, deadline=None)
@given(schedules(), years, st.integers(0, 4))
def test_a_plans_periods_are_unique_ordered_and_read_back_from_their_codes(schedule, start, length):
    periods = periods_for_plan(start, min(start + length, 2199), schedule)
    codes = [p.code for p in periods]
    assert len(codes) == len(set(codes))
    assert {p.kind for p in periods} <= set(schedule.kinds)
    assert [p.span_end for p in periods] == sorted(p.span_end for p in periods)
    for period in periods:
        assert parse_period_code(period.code, schedule) == period
    for kind in set(schedule.kinds) - {"phase"}:  # one kind's windows never overlap
        same = [p for p in periods if p.kind == kind]
        assert all(a.cutoff_end < b.cutoff_start for a, b in zip(same, same[1:]))


def test_nd09_defaults_for_quarter_and_nine_months():
    q = {c: parse_period_code(c) for c in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2026N9")}
    assert (q["2026Q1"].cutoff_start, q["2026Q1"].cutoff_end) == (date(2025, 12, 15), date(2026, 3, 14))
    assert (q["2026Q2"].cutoff_start, q["2026Q2"].cutoff_end) == (date(2026, 3, 15), date(2026, 6, 14))
    assert (q["2026Q4"].cutoff_start, q["2026Q4"].cutoff_end) == (date(2026, 9, 15), date(2026, 12, 14))
    assert (q["2026N9"].cutoff_start, q["2026N9"].cutoff_end) == (date(2025, 12, 15), date(2026, 9, 14))
    assert q["2026Q3"].title == "Quý III năm 2026" and q["2026N9"].title == "9 tháng đầu năm 2026"
    assert (q["2026Q2"].span_start, q["2026Q2"].span_end) == (date(2026, 4, 1), date(2026, 6, 30))


def test_a_province_cutting_off_on_10_12_and_quarterly_deadlines():
    schedule = ReportingSchedule(kinds=("quarter", "year"), deadlines={"quarter": "18", "year": "15/12"},
                                 cutoffs=["10/12", "10/6"])
    assert schedule.cutoffs == {"year": (10, 12), "half": (10, 6)}
    year = parse_period_code("2026", schedule)
    assert (year.cutoff_start, year.cutoff_end, year.deadline) == (date(2025, 12, 11), date(2026, 12, 10),
                                                                   date(2026, 12, 15))
    q2 = parse_period_code("2026Q2", schedule)
    assert (q2.cutoff_start, q2.cutoff_end, q2.deadline) == (date(2026, 3, 15), date(2026, 6, 10), date(2026, 6, 18))
    assert ReportingSchedule.from_json(schedule.to_json()) == schedule
    assert schedule.to_json()["cutoffs"] == {"year": "10/12", "half": "10/6"}


def test_cutoffs_out_of_order_are_refused_in_vietnamese():
    import pytest

    from desktop.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="Ngày chốt số liệu phải tăng dần"):
        ReportingSchedule(cutoffs={"half": "20/9"})
    with pytest.raises(InvalidInputError, match="Ngày chốt số liệu không hợp lệ"):
        ReportingSchedule(cutoffs=["31/4"])
    with pytest.raises(InvalidInputError, match="Hạn gửi báo cáo quý không hợp lệ"):
        ReportingSchedule(kinds=("quarter",), deadlines={"quarter": "18/3"})
