"""Numeric scores against independent oracles (scoringrules for CRPS, SciPy for PIT and the log
density), worked examples by hand, and the report's ``numeric`` block through the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import scoringrules as sr
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from forecast.scoring import numeric as ns
from questions import numeric as nm
from tests.conftest import Cli

WIDE = nm.NumericRange(-10, 10, open_lower=True, open_upper=True)


@settings(max_examples=50, deadline=None)
@given(st.floats(-3, 3), st.floats(0.5, 3), st.floats(-5, 5))
def test_crps_of_a_normal_matches_scoringrules(mu: float, sigma: float, y: float) -> None:
    """The grid's linear pieces cost a relative error of order (spacing / sigma)^2."""
    cdf = nm.cdf_normal(WIDE, mu, sigma)
    ours = ns.crps(WIDE, cdf, np.array([y]))[0]
    tolerance = 0.15 * (0.1 / sigma) ** 2
    assert ours == pytest.approx(float(sr.crps_normal(y, mu, sigma)), rel=tolerance, abs=1e-6)


def test_crps_of_many_normals_at_once_matches_scoringrules() -> None:
    gen = np.random.default_rng(7)
    mu, sigma = gen.uniform(-2, 2, 500), gen.uniform(0.5, 2, 500)
    y = gen.normal(mu, sigma)
    cdfs = np.array([nm.cdf_normal(WIDE, m, s) for m, s in zip(mu, sigma, strict=True)])
    assert np.allclose(ns.crps(WIDE, cdfs, y), sr.crps_normal(y, mu, sigma), rtol=6e-3, atol=1e-6)


def test_crps_of_a_sample_forecast_matches_scoringrules() -> None:
    """The ECDF of a sample on the grid: between grid points ours is linear where the ECDF is a
    step, so they differ by at most one grid spacing."""
    rng = nm.NumericRange(-4, 4, open_lower=True, open_upper=True)
    gen = np.random.default_rng(3)
    for _ in range(20):
        sample = gen.normal(gen.uniform(-1, 1), gen.uniform(0.3, 1.5), 400)
        cdf = np.searchsorted(np.sort(sample), rng.grid(), side="right") / sample.size
        y = float(gen.normal())
        spacing = 8 / 200
        expected = float(sr.crps_ensemble(y, sample))
        assert ns.crps(rng, cdf, np.array([y]))[0] == pytest.approx(expected, abs=spacing)


def test_pit_and_log_density_of_normals_match_scipy() -> None:
    gen = np.random.default_rng(11)
    mu, sigma = gen.uniform(-2, 2, 200), gen.uniform(0.5, 2, 200)
    y = gen.uniform(-6, 6, 200)
    cdfs = np.array([nm.cdf_normal(WIDE, m, s) for m, s in zip(mu, sigma, strict=True)])
    # Linear interpolation between grid points: error <= spacing^2 / 8 * max |f'|.
    bound = 0.1**2 / 8 * 0.242 / sigma**2 + 1e-12
    assert np.all(np.abs(ns.pit(WIDE, cdfs, y) - stats.norm.cdf(y, mu, sigma)) <= bound)
    # The log score is ln of the bin's mass over its width: exactly so against SciPy's CDF, and
    # within |z| h / (2 sigma) (+ a second-order term) of the log density itself.
    x = WIDE.grid()
    k = np.searchsorted(x, y, side="right") - 1
    mass = stats.norm.cdf(x[k + 1], mu, sigma) - stats.norm.cdf(x[k], mu, sigma)
    exact = np.log(np.maximum(mass, 1e-300) / (x[k + 1] - x[k]))
    ours = ns.log_score(WIDE, cdfs, y)
    close = np.abs(y - mu) < 3 * sigma
    assert np.allclose(ours[close], exact[close], atol=1e-6)
    z = np.abs(y - mu) / sigma
    slack = z * 0.1 / (2 * sigma) + 0.1**2 / sigma**2
    assert np.all((np.abs(ours - stats.norm.logpdf(y, mu, sigma)) <= slack)[close])


def test_crps_of_a_uniform_by_hand() -> None:
    """U(0, 1): CRPS at 0.5 is 2 * (0.5^3 / 3) = 1/12; at 0 it is 1/3; in units of a [0, 10]
    range it scales by 10."""
    unit = nm.NumericRange(0, 1)
    cdf = np.linspace(0, 1, nm.GRID_POINTS)
    assert ns.crps(unit, cdf, np.array([0.5]))[0] == pytest.approx(1 / 12)
    assert ns.crps(unit, cdf, np.array([0.0]))[0] == pytest.approx(1 / 3)
    ten = nm.NumericRange(0, 10)
    assert ns.crps(ten, cdf, np.array([5.0]))[0] == pytest.approx(10 / 12)
    assert ns.log_score(ten, cdf, np.array([3.3]))[0] == pytest.approx(np.log(0.1))
    assert ns.pit(ten, cdf, np.array([3.3]))[0] == pytest.approx(0.33)


def test_tails_score_as_their_mass() -> None:
    rng = nm.NumericRange(0, 10, open_upper=True)
    cdf = np.linspace(0, 0.8, nm.GRID_POINTS)  # 20% above 10
    assert ns.log_score(rng, cdf, np.array([15.0]))[0] == pytest.approx(np.log(0.2))
    assert ns.pit(rng, cdf, np.array([15.0]))[0] == pytest.approx(0.9)
    # beyond the open bound the value counts as the bound
    assert ns.crps(rng, cdf, np.array([15.0]))[0] == pytest.approx(
        ns.crps(rng, cdf, np.array([10.0]))[0]
    )


def test_interval_hits_coverage_and_pit_histogram() -> None:
    cdf = np.linspace(0, 1, nm.GRID_POINTS)
    unit = nm.NumericRange(0, 1)
    hits50, hits90 = ns.interval_hits(
        unit, np.repeat(cdf[None], 4, 0), np.array([0.1, 0.3, 0.6, 0.97])
    )
    assert hits50.tolist() == [False, True, True, False]
    assert hits90.tolist() == [True, True, True, False]
    c = ns.coverage(hits50, 0.5)
    assert (c["n"], c["hits"], c["rate"]) == (4, 2, 0.5)
    low, high = stats.beta.ppf([0.05, 0.95], 2.5, 2.5)
    assert c["interval"] == pytest.approx([low, high])
    table, p = ns.pit_histogram(np.array([0.05, 0.15, 0.95, 0.96, 1.0]))
    assert [b["n"] for b in table] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 3]
    assert p == pytest.approx(stats.chisquare([1, 1, 0, 0, 0, 0, 0, 0, 0, 3]).pvalue)


def test_report_has_the_numeric_block(cli: Cli) -> None:
    cli.ok("question", "add", "Bin")
    cli.ok("forecast", "Q1", "0.7", "--by", "ana", "--at", "2025-01-01")
    cli.ok("resolve", "Q1", "yes", "--at", "2025-06-01")
    cli.ok("question", "add", "Killed", "--numeric", "0", "2000", "--open-upper")
    cli.ok("forecast", "Q2", "--normal", "600", "150", "--by", "ana", "--at", "2025-01-01")
    cli.ok(
        "forecast",
        "Q2",
        "--quantiles",
        "0.05:100,0.5:400,0.95:1500",
        "--by",
        "bob",
        "--at",
        "2025-01-01",
    )
    cli.ok("resolve", "Q2", "742", "--at", "2025-06-01")
    block = json.loads(cli.ok("report", "--format", "json"))["numeric"]
    assert {"n", "crps", "crps_scaled", "log_score", "pit", "coverage"} <= set(block)
    assert block["n"] == 2 and set(block["coverage"]) == {"50", "90"}
    assert [set(b) for b in block["pit"]] == [{"lower", "upper", "n"}] * 10
    ana = next(f for f in block["forecasters"] if f["forecaster"] == "ana")
    rng = nm.NumericRange(0, 2000, open_upper=True)
    expected = ns.crps(rng, nm.cdf_normal(rng, 600, 150), np.array([742.0]))[0]
    assert ana["crps"] == pytest.approx(expected)
    assert ana["crps"] == pytest.approx(float(sr.crps_normal(742, 600, 150)), rel=1e-2)
    assert [a["name"] for a in block["aggregates"]] == [
        "team: linear pool",
        "team: quantile average",
    ]
    md = cli.ok("report", "--format", "md")
    assert "## Numeric and date questions" in md and "### PIT histogram" in md
    html = cli.ok("report", "--format", "html")
    assert "PIT histogram" in html and html.count("<svg") >= 5
