"""What a quantity or date mark proposes: the value, unit and qualifier read from the cue, and a
range around it (rules in ``arguments.quantity_proposals``, examples worked by hand)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arguments.quantity_proposals import (
    Quantity,
    date_range,
    nice_ceiling,
    read_quantity,
    suggested_range,
)


@pytest.mark.parametrize(
    ("cue", "quantity", "low_high"),
    [
        # a plain figure: 0 .. 2 x 750 = 1,500 (already a nice number)
        ("750 kilograms", Quantity(750, "kilograms", ""), (0, 1_500)),
        # a floor: 0 .. 5 x 100 = 500
        ("over 100 protestors", Quantity(100, "protestors", "over"), (0, 500)),
        # a ceiling: 1.5 x 1,000 = 1,500
        ("up to 1,000 Sunnis", Quantity(1_000, "Sunnis", "up to"), (0, 1_500)),
        # 1.5 x 3,000 = 4,500 (two significant figures already)
        ("up to 3,000 families", Quantity(3_000, "families", "up to"), (0, 4_500)),
        # a number word: 2 x 4 = 8
        ("four US soldiers", Quantity(4, "US soldiers", ""), (0, 8)),
        # a currency with a scale word: $5 million = 5e6 US dollars; 2 x 5e6 = 1e7
        ("$5 million", Quantity(5e6, "US dollars", ""), (0, 1e7)),
        # a percentage is 0 .. 100 whatever it says
        ("nearly 30 percent", Quantity(30, "%", "nearly"), (0, 100)),
        ("12.5%", Quantity(12.5, "%", ""), (0, 100)),
        # a floor: 5 x 2.5 = 12.5, rounded up to two significant figures: 13
        ("at least 2.5 tonnes", Quantity(2.5, "tonnes", "at least"), (0, 13)),
        # 2 x 333 = 666, rounded up to two significant figures: 670
        ("333 barrels", Quantity(333, "barrels", ""), (0, 670)),
        ("hundreds of fighters", Quantity(100, "fighters", ""), (0, 200)),
    ],
)
def test_read_and_range(cue: str, quantity: Quantity, low_high: tuple[float, float]) -> None:
    read = read_quantity(cue)
    assert read == quantity
    assert suggested_range(read) == pytest.approx(low_high)


def test_no_number_is_no_quantity() -> None:
    assert read_quantity("some protestors") is None


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_nice_ceiling_rounds_up_to_two_significant_figures(x: float) -> None:
    nice = nice_ceiling(x)
    assert x * (1 - 1e-9) <= nice <= x * 1.1 + 1e-9  # one step of the second figure at most
    assert float(f"{nice:.2g}") == pytest.approx(nice)


def test_date_ranges() -> None:
    today = dt.date(2020, 1, 10)
    assert date_range("by 2021", today) == (dt.date(2021, 1, 1), dt.date(2022, 12, 31))
    assert date_range("in mid-January", today) == (dt.date(2020, 1, 1), dt.date(2021, 12, 31))
    assert date_range("within 6 months", today) == (today, dt.date(2022, 1, 9))
