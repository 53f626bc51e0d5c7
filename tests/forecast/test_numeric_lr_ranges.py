"""90% ranges on the LRs of numeric evidence widen the posterior's median into an interval, as for
categorical items: each ranged LR is a lognormal (sigma = ln(hi / lo) / (2 x 1.6449) around ln LR),
drawn by a seeded Latin hypercube. Worked by hand for one item."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli


def _model(cli: Cli) -> dict:  # type: ignore[type-arg]
    return json.loads(cli.ok("question", "show", "Q1", "--json"))["model"]  # type: ignore[no-any-return]


def _median_above(lr: float) -> float:
    """On a uniform [0, 2000] with "above 100" at ratio lr: P(below 100) = 100 / (100 + 1900 lr),
    the rest even over [100, 2000]."""
    below = 100 / (100 + 1900 * lr)
    return 100 + (0.5 - below) * 1900 / (1 - below)


def test_one_ranged_item_by_hand(cli: Cli) -> None:
    """LR 3 with range 1.5-6: the range's ends are the LR's 5th and 95th percentiles, and the
    median rises with the LR, so the median's 90% interval is the median at LR 1.5 and at LR 6."""
    cli.ok("question", "add", "Killed?", "--numeric", "0", "2000")
    cli.ok("evidence", "add", "Q1", "Over a hundred", "--above", "100", "--lr", "3")
    assert "lr_ranges" not in _model(cli)  # no range, no interval on the median
    cli.ok("evidence", "edit", "E1", "--range", "1.5", "6")
    model = _model(cli)
    assert model["posterior"]["median"] == pytest.approx(_median_above(3), abs=0.05)
    low, high = model["lr_ranges"]["median_90"]
    assert low == pytest.approx(_median_above(1.5), abs=0.5)  # 1016.7
    assert high == pytest.approx(_median_above(6), abs=0.5)  # 1041.7
    assert model["lr_ranges"]["items"] == 1 and model["lr_ranges"]["draws"] == 500
    assert _model(cli) == model  # seeded: the same every time
    text = cli.ok("question", "show", "Q1")
    assert "with the 90% ranges of 1 items' LRs: median 1017 .. 1042 (90%)" in text


def test_more_ranged_items_widen_more_and_credibility_narrows(cli: Cli) -> None:
    cli.ok("question", "add", "Killed?", "--numeric", "0", "2000")
    cli.ok("evidence", "add", "Q1", "A", "--above", "500", "--lr", "3", "--range", "1.5", "6")
    one = _model(cli)["lr_ranges"]["median_90"]
    cli.ok("evidence", "add", "Q1", "B", "--below", "1500", "--lr", "2", "--range", "1", "4")
    two = _model(cli)["lr_ranges"]["median_90"]
    assert two[1] - two[0] > one[1] - one[0] > 0
    cli.ok("evidence", "edit", "E2", "--credibility", "0")
    cli.ok("evidence", "edit", "E1", "--credibility", "0.5")
    half = _model(cli)["lr_ranges"]["median_90"]
    assert half[1] - half[0] < one[1] - one[0]


def test_a_measured_item_takes_no_range(cli: Cli) -> None:
    cli.ok("question", "add", "Killed?", "--numeric", "0", "2000")
    result = cli(
        "evidence", "add", "Q1", "Count", "--measured", "700", "--sd", "50", "--range", "1", "2"
    )
    assert result.exit_code != 0 and "--range: a --measured item has no LR" in result.output
    assert "Traceback" not in result.output
