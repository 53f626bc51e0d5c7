"""Scores and calibration: hand-derived cases, exact identities, and scikit-learn as an oracle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.scoring import aggregate
from forecast.scoring.calibration import (
    analyse,
    bin_index,
    calibration_table,
    corp,
    murphy,
    spiegelhalter,
)
from forecast.scoring.scores import brier, brier_multi, log_score


def test_hand_worked_scores() -> None:
    # forecasts 0.9 (happened), 0.3 (did not): Brier (0.01 + 0.09)/2 = 0.05
    p, o = np.array([0.9, 0.3]), np.array([1.0, 0.0])
    assert brier(p, o) == pytest.approx(0.05)
    # log: -(ln 0.9 + ln 0.7)/2
    assert log_score(p, o) == pytest.approx(-(math.log(0.9) + math.log(0.7)) / 2)
    # multi: (0.2, 0.5, 0.3) with outcome 1 -> 0.04 + 0.25 + 0.09 = 0.38
    assert brier_multi(np.array([[0.2, 0.5, 0.3]]), np.array([1])) == pytest.approx(0.38)
    # binary as two categories is twice the binary Brier
    assert brier_multi(np.array([[0.9, 0.1], [0.3, 0.7]]), np.array([0, 1])) == pytest.approx(0.1)
    assert log_score(np.array([0.0]), np.array([1.0])) == pytest.approx(-math.log(1e-15))


@pytest.mark.parametrize("k", range(11))
def test_tenths_land_in_the_bin_they_close(k: int) -> None:
    value = 0.1 * k  # 0.30000000000000004 etc.
    expected = max(k - 1, 0)
    assert bin_index(np.array([value, k / 10]), 10).tolist() == [expected, expected]


def test_bin_edges_and_table() -> None:
    p = np.array([0.0, 0.05, 0.1, 0.15, 0.3, 0.95, 1.0])
    o = np.array([0, 0, 1, 0, 1, 1, 1], dtype=float)
    table = calibration_table(p, o, 10)
    assert [b.n for b in table] == [3, 1, 1, 0, 0, 0, 0, 0, 0, 2]
    first = table[0]
    assert first.mean_forecast == pytest.approx(0.05) and first.observed_frequency == pytest.approx(
        1 / 3
    )
    from scipy.stats import beta

    assert first.interval == pytest.approx((beta.ppf(0.05, 1.5, 2.5), beta.ppf(0.95, 1.5, 2.5)))
    assert table[3].interval is None
    distinct = calibration_table(p, o, "distinct")
    assert [b.n for b in distinct] == [1] * 7


def test_spiegelhalter_sign() -> None:
    # events happening more often than forecast -> positive z for p < 0.5
    z, p_value = spiegelhalter(np.full(100, 0.2), np.r_[np.ones(40), np.zeros(60)])
    assert z > 0 and 0 <= p_value < 0.05
    z_ok, p_ok = spiegelhalter(np.full(100, 0.2), np.r_[np.ones(20), np.zeros(80)])
    assert z_ok == pytest.approx(0.0) and p_ok == pytest.approx(1.0)


forecasts = st.lists(
    st.tuples(
        st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 1.0])), st.booleans()
    ),
    min_size=1,
    max_size=300,
)


@settings(max_examples=150, deadline=None)
@given(forecasts, st.sampled_from([1, 3, 10, 17, "distinct"]))
def test_decompositions_are_exact(pairs, bins) -> None:
    p = np.array([a for a, _ in pairs])
    o = np.array([float(b) for _, b in pairs])
    m = murphy(p, o, bins)
    bs = brier(p, o)
    assert m["reliability"] - m["resolution"] + m["uncertainty"] + m["within_bin_variance"] - m[
        "within_bin_covariance"
    ] == pytest.approx(bs, abs=1e-12)
    c = corp(p, o)
    assert c["miscalibration"] - c["discrimination"] + c["uncertainty"] == pytest.approx(
        bs, abs=1e-12
    )
    assert c["miscalibration"] >= -1e-12 and c["discrimination"] >= -1e-12
    full = analyse(p, o, bins)
    assert full.murphy == pytest.approx(m) and full.corp == pytest.approx(c)


def test_corp_on_a_perfectly_calibrated_monotone_forecast() -> None:
    # forecasts equal to the observed frequency in each group, increasing: no miscalibration
    p = np.array([0.25] * 4 + [0.75] * 4)
    o = np.array([1, 0, 0, 0, 1, 1, 1, 0], dtype=float)
    assert corp(p, o)["miscalibration"] == pytest.approx(0.0, abs=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000))
def test_sklearn_agrees(seed: int) -> None:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import brier_score_loss, log_loss

    rng = np.random.default_rng(seed)
    p = rng.uniform(0.01, 0.99, 400)
    o = (rng.uniform(size=400) < p).astype(float)
    if o.min() == o.max():
        o[0] = 1 - o[0]
    full = analyse(p, o, 10)
    assert full.brier == pytest.approx(brier_score_loss(o, p))
    assert full.log_score == pytest.approx(log_loss(o, p))
    # sklearn's uniform bins are left-closed; compare where no forecast sits on an inner edge
    assert not np.any(np.isclose((p * 10) % 1, 0))
    true, predicted = calibration_curve(o, p, n_bins=10, strategy="uniform")
    ours = [b for b in full.bins if b.n]
    assert [b.observed_frequency for b in ours] == pytest.approx(true)
    assert [b.mean_forecast for b in ours] == pytest.approx(predicted)


def test_aggregates_by_hand() -> None:
    probs = np.array([0.2, 0.5, 0.8])
    assert aggregate.mean_prob(probs)[0] == pytest.approx(0.5)
    assert aggregate.median_prob(probs)[0] == pytest.approx(0.5)
    # odds 0.25, 1, 4 -> geometric mean 1 -> 0.5
    assert aggregate.geo_mean_odds(probs)[0] == pytest.approx(0.5)
    # two forecasters at 0.8: mean log-odds ln 4, times 2 -> odds 16 -> 16/17
    assert aggregate.extremized(np.array([0.8, 0.8]), 2.0)[0] == pytest.approx(16 / 17)
    multi = aggregate.geo_mean_odds(np.array([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]]))
    assert multi == pytest.approx([0.5, 0.3, 0.2])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0.1, 5)), min_size=1, max_size=60))
def test_our_pav_matches_scipy(pairs) -> None:
    from scipy.optimize import isotonic_regression

    from forecast.scoring.calibration import _pool_adjacent_violators

    y = np.array([a for a, _ in pairs])
    w = np.array([b for _, b in pairs])
    assert _pool_adjacent_violators(y, w) == pytest.approx(isotonic_regression(y, weights=w).x)


@given(st.lists(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3), min_size=1, max_size=15))
def test_median_prob_is_numpys_median_renormalised(rows: list[list[float]]) -> None:
    probs = np.array(rows)
    median = np.median(probs, axis=0)
    expected = probs.mean(axis=0) if median.sum() == 0.0 else median / median.sum()
    assert aggregate.median_prob(probs) == pytest.approx(expected)
    assert aggregate.median_prob(probs[:, 0])[0] == pytest.approx(np.median(probs[:, 0]))
