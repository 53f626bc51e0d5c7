"""The grid and CDF math of numeric questions: fitted CDFs pass through the typed quantiles, are
monotone, respect closed bounds; normal and lognormal shortcuts match SciPy; aggregates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from questions import numeric as nm
from questions.errors import InvalidInput


def increasing_quantiles(draw: st.DrawFn, lo: float, hi: float) -> list[tuple[float, float]]:
    n = draw(st.integers(2, 6))
    probs = sorted(draw(st.sets(st.integers(1, 99), min_size=n, max_size=n)))
    values = sorted(draw(st.sets(st.integers(1, 999), min_size=n, max_size=n)))
    return [(p / 100, lo + (hi - lo) * v / 1000) for p, v in zip(probs, values, strict=True)]


@st.composite
def range_and_quantiles(draw: st.DrawFn) -> tuple[nm.NumericRange, list[tuple[float, float]]]:
    rng = nm.NumericRange(
        1.0,
        draw(st.sampled_from([10.0, 1000.0, 1e6])),
        log=draw(st.booleans()),
        open_lower=draw(st.booleans()),
        open_upper=draw(st.booleans()),
    )
    return rng, increasing_quantiles(draw, rng.lo, rng.hi)


@settings(max_examples=200, deadline=None)
@given(range_and_quantiles())
def test_fitted_cdf_is_monotone_and_passes_through_typed_quantiles(
    case: tuple[nm.NumericRange, list[tuple[float, float]]],
) -> None:
    rng, pairs = case
    cdf = nm.cdf_from_quantiles(rng, pairs)
    assert cdf.shape == (nm.GRID_POINTS,)
    assert np.all(np.diff(cdf) >= 0)
    assert 0 <= cdf[0] and cdf[-1] <= 1
    if not rng.open_lower:
        assert cdf[0] == 0
    if not rng.open_upper:
        assert cdf[-1] == 1
    # Through every typed quantile (up to the linear-in-scale reading between grid points).
    spacing = (rng.u_hi - rng.u_lo) / (nm.GRID_POINTS - 1)
    for p, x in pairs:
        u_read = float(rng.to_scale(nm.quantile(rng, cdf, p)[0]))
        assert abs(u_read - float(rng.to_scale(x))) <= spacing * 1.01


def test_two_quantiles_on_open_range_give_a_logistic() -> None:
    """With both bounds open, the fit is linear in logit: a logistic through the two points."""
    rng = nm.NumericRange(-10, 10, open_lower=True, open_upper=True)
    cdf = nm.cdf_from_quantiles(rng, [(0.25, -1.0), (0.75, 1.0)])
    scale = 1 / math.log(3)  # logistic with F(1) = 0.75
    expected = stats.logistic.cdf(rng.grid(), scale=scale)
    assert np.allclose(cdf, expected, atol=1e-12)


def test_normal_shortcut_matches_scipy_and_truncates_on_closed_bounds() -> None:
    rng = nm.NumericRange(-5, 5, open_lower=True, open_upper=True)
    assert np.allclose(nm.cdf_normal(rng, 0.5, 2.0), stats.norm.cdf(rng.grid(), 0.5, 2.0))
    closed = nm.NumericRange(0, 5)
    cdf = nm.cdf_normal(closed, 0.5, 2.0)
    f = stats.norm.cdf(closed.grid(), 0.5, 2.0)
    assert np.allclose(cdf, (f - f[0]) / (f[-1] - f[0]))


def test_lognormal_shortcut_has_the_median_and_p95() -> None:
    rng = nm.NumericRange(1, 100000, log=True, open_upper=True, open_lower=True)
    cdf = nm.cdf_lognormal(rng, 300, 1200)
    q = nm.quantile(rng, cdf, np.array([0.5, 0.95]))
    assert q[0] == pytest.approx(300, rel=1e-3)
    assert q[1] == pytest.approx(1200, rel=2e-3)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([(0.5, 400.0)], "give 2 or more"),
        ([(0.5, 400.0), (0.4, 500.0)], "probabilities must increase"),
        ([(0.1, 400.0), (0.5, 400.0)], "values must increase"),
        ([(0.1, 500.0), (0.5, 400.0)], "values must increase"),
        ([(0.0, 100.0), (0.5, 400.0)], "outside (0, 1)"),
        ([(0.5, 100.0), (1.0, 400.0)], "outside (0, 1)"),
        ([(0.05, -5.0), (0.5, 400.0)], "below the closed lower bound"),
        ([(0.05, 5.0), (0.5, 4000.0)], "above the closed upper bound"),
    ],
)
def test_bad_quantiles_are_refused_in_one_line(
    pairs: list[tuple[float, float]], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")) as exc:
        nm.cdf_from_quantiles(nm.NumericRange(0, 2000), pairs)
    assert "\n" not in str(exc.value)


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(InvalidInput, match="LO must be below HI"):
        nm.NumericRange(5, 5)
    with pytest.raises(InvalidInput, match="--log needs LO > 0"):
        nm.NumericRange(0, 5, log=True)


def test_log_grid_is_log_spaced() -> None:
    grid = nm.NumericRange(1, 10000, log=True).grid()
    assert grid[0] == 1 and grid[-1] == 10000
    assert grid[50] == pytest.approx(10.0)
    assert np.allclose(np.diff(np.log(grid)), math.log(10000) / 200)


def test_dates_round_trip() -> None:
    day = nm.date_to_value("2021-10-10", field="x")
    assert nm.value_to_date(day) == "2021-10-10"
    with pytest.raises(InvalidInput, match="not an ISO date"):
        nm.date_to_value("10/10/2021", field="x")


def test_linear_pool_and_quantile_average_of_two_normals() -> None:
    """Worked by hand: the quantile average of N(-1, 1) and N(1, 1) is N(0, 1); their linear pool
    is the 50/50 mixture, symmetric about 0 with F(1) = (Phi(2) + Phi(0)) / 2."""
    rng = nm.NumericRange(-8, 8, open_lower=True, open_upper=True)
    cdfs = np.array([nm.cdf_normal(rng, -1, 1), nm.cdf_normal(rng, 1, 1)])
    qa = nm.quantile_average(rng, cdfs)
    assert np.allclose(qa, stats.norm.cdf(rng.grid()), atol=2e-3)
    pool = nm.linear_pool(cdfs)
    assert nm.pit_value(rng, pool, 1.0) == pytest.approx((stats.norm.cdf(2) + 0.5) / 2, abs=1e-4)
    assert nm.summary(rng, pool)["median"] == pytest.approx(0, abs=1e-6)


def test_bin_masses_round_trip() -> None:
    rng = nm.NumericRange(0, 10, open_lower=True, open_upper=True)
    cdf = nm.cdf_normal(rng, 5, 3)
    masses = nm.bin_masses(cdf)
    assert masses.sum() == pytest.approx(1)
    assert np.allclose(nm.cdf_from_masses(masses), cdf)
