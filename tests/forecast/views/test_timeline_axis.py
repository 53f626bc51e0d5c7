"""The timeline's axis: evidence and forecasts years apart stay readable (worked examples)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from forecast.views.timeline_axis import day_names, step_labels, timeline_axis


def d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


EVIDENCE = ["2014-03-10", "2015-06-01", "2016-11-20", "2019-02-01", "2019-07-15"]
FORECASTS = ["2026-01-05", "2026-02-10"]


def test_evidence_years_before_the_forecasts_gets_a_steps_axis() -> None:
    # span 2014-03-10 .. 2026-02-10 = 4355 days; the gap 2019-07-15 .. 2026-01-05 = 2366 days is
    # more than half of it: on a time axis the five evidence dates would share 45% of the width.
    days = [d(x) for x in EVIDENCE + FORECASTS]
    assert days[-1] - days[0] == 4355 and days[5] - days[4] == 2366
    axis = timeline_axis(days, width=50)
    assert axis.kind == "steps"
    assert axis.x(days) == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert axis.limits == (-0.5, 6.5)
    # 50 columns hold 5 labels of 7 characters + 3 spaces: ranks 0, 1.5, 3, 4.5, 6 rounded
    # half to even -> 0, 2, 3, 4, 6
    assert axis.ticks == (
        (0.0, "2014-03"),
        (2.0, "2016-11"),
        (3.0, "2019-02"),
        (4.0, "2019-07"),
        (6.0, "2026-02"),
    )
    assert axis.caption == "not to scale · 2014-03-10 … 2026-02-10"


def test_spread_dates_get_a_time_axis_with_year_ticks() -> None:
    # the largest gap (2016-11-20 .. 2019-02-01, 803 days) is under half the span (1953 days)
    axis = timeline_axis([d(x) for x in EVIDENCE], width=50)
    assert axis.kind == "time"
    # monthly to half-yearly steps need more than 50 columns; yearly ticks on 1 January
    assert [label for _, label in axis.ticks] == ["2015", "2016", "2017", "2018", "2019"]
    assert [x for x, _ in axis.ticks] == [float(d(f"{y}-01-01")) for y in range(2015, 2020)]
    assert axis.caption == "2014-03-10 … 2019-07-15"
    # wider: half-yearly ticks, on 1 January and 1 July
    wide = timeline_axis([d(x) for x in EVIDENCE], width=110)
    assert [label for _, label in wide.ticks][:3] == ["2014-07", "2015-01", "2015-07"]


def test_weeks_within_a_month() -> None:
    axis = timeline_axis([d("2020-01-05"), d("2020-01-17"), d("2020-01-29")], width=50)
    assert axis.kind == "time"
    # weekly ticks from the first Monday (6 January 2020)
    assert [label for _, label in axis.ticks] == ["01-06", "01-13", "01-20", "01-27"]


def test_one_day_and_none() -> None:
    axis = timeline_axis([d("2020-01-05")] * 3, width=50)
    assert axis.kind == "time" and axis.ticks == ((float(d("2020-01-05")), "01-05"),)
    assert axis.caption == "2020-01-05"
    assert timeline_axis([], width=50).kind == "empty"


def test_step_labels_do_not_overlap() -> None:
    # 40 columns over x 0..10: 4 columns per unit. "E1" at 0 takes columns 0-2, so "E2" at
    # 0.5 (column 2) is dropped, "E3+2" at 1 (column 4) kept through column 8, "E4" at 2
    # (column 8) is dropped, "E5" at 3 (column 12) kept.
    names = ["E1", "E2", "E3+2", "E4", "E5"]
    assert step_labels([0, 0.5, 1, 2, 3], names, (0, 10), 40) == [0, 2, 4]
    assert day_names(["E3", "E4", "E5"]) == "E3+2" and day_names(["E1"]) == "E1"


@given(st.lists(st.integers(d("1990-01-01"), d("2040-12-31")), min_size=1, max_size=60))
def test_ticks_fit_the_width_and_stay_in_range(days: list[int]) -> None:
    for width in (30, 48, 100):
        axis = timeline_axis(days, width=width)
        lo, hi = axis.limits
        assert all(lo <= x <= hi for x, _ in axis.ticks)
        assert sum(len(label) + 3 for _, label in axis.ticks) <= max(width, 2 * 13)
        xs = axis.x(days)
        assert all(lo <= x <= hi for x in xs)
        ordered = axis.x(sorted(days))  # the order of dates is kept
        assert all(a <= b for a, b in zip(ordered, ordered[1:], strict=False))
