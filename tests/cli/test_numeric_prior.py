"""The team-aggregate prior of a numeric question (``question add --prior team``, ``question edit
--prior``): the model starts from the linear pool of the standing forecasts. Worked by hand."""

from __future__ import annotations

import json

import numpy as np
import pytest

from questions import numeric_store
from tests.conftest import Cli


def _forecasts(cli: Cli) -> None:
    """On [0, 10]: ana uniform over the range, ben uniform over [5, 10] (an older ben forecast,
    all below 5, is not standing). The pool puts 0.25 below 5 and 0.75 above, evenly within each."""
    x = np.linspace(0, 10, 201)
    with cli.open() as db:
        for who, at, cdf in (
            ("ben", "2026-01-01", np.clip(x / 5, 0, 1)),
            ("ana", "2026-01-02", x / 10),
            ("ben", "2026-01-03", np.clip((x - 5) / 5, 0, 1)),
        ):
            numeric_store.record_numeric_forecast(
                db, "Q1", cdf, forecaster=who, typed="", method="quantiles", made_at=at
            )


def _model(cli: Cli) -> dict:  # type: ignore[type-arg]
    return json.loads(cli.ok("question", "show", "Q1", "--json"))["model"]  # type: ignore[no-any-return]


def test_team_prior_by_hand(cli: Cli) -> None:
    """Evidence "above 5" with LR 3. Team prior: below 5 weighs 0.25, above 0.75 x 3 = 2.25, so
    P(below 5) = 0.25 / 2.5 = 0.1; the 0.9 above is even over [5, 10] (0.18 per unit), so the
    median is 5 + 0.4 / 0.18 = 7.222. Uniform prior: P(below 5) = 0.5 / 2 = 0.25 and the median
    5 + 0.25 / 0.15 = 6.667."""
    assert cli.ok("question", "add", "Count?", "--numeric", "0", "10", "--prior", "team") == "Q1"
    _forecasts(cli)
    cli.ok("evidence", "add", "Q1", "Reports of more than five", "--above", "5", "--lr", "3")
    model = _model(cli)
    assert model["prior"] == "team"
    assert model["thresholds"][0]["p_below"] == pytest.approx(0.1, abs=1e-4)
    assert model["posterior"]["median"] == pytest.approx(5 + 0.4 / 0.18, abs=1e-3)
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert shown["range"]["prior"] == "team"
    assert cli.ok("question", "edit", "Q1", "--prior", "uniform") == "Q1: version 2"
    model = _model(cli)
    assert model["prior"] == "uniform"
    assert model["thresholds"][0]["p_below"] == pytest.approx(0.25, abs=1e-9)
    assert model["posterior"]["median"] == pytest.approx(5 + 0.25 / 0.15, abs=1e-3)


def test_team_prior_without_forecasts_is_uniform(cli: Cli) -> None:
    cli.ok("question", "add", "Count?", "--numeric", "0", "10")
    cli.ok("question", "edit", "Q1", "--prior", "team")
    cli.ok("evidence", "add", "Q1", "More than five", "--above", "5", "--lr", "3")
    assert _model(cli)["prior"] == "uniform"  # nobody has forecast yet
    _forecasts(cli)
    assert _model(cli)["prior"] == "team"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["question", "add", "Y", "--prior", "team"], "--prior team: only for a numeric"),
        (["question", "add", "Y", "--numeric", "0", "1", "--prior", "0.3"], "--prior uniform or"),
        (
            ["question", "add", "Y", "--prior", "pooled"],
            "'pooled' is not a number, uniform or team",
        ),
        (["question", "edit", "Q1", "--prior", "team"], "Q1: not a numeric or date question"),
    ],
)
def test_a_wrong_prior_is_one_line_and_changes_nothing(
    cli: Cli, args: list[str], message: str
) -> None:
    cli.ok("question", "add", "Binary")
    with cli.open() as db:
        before = list(db.conn.iterdump())
    result = cli(*args)
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
    with cli.open() as db:
        assert list(db.conn.iterdump()) == before
