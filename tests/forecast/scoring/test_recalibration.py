"""Recalibration: the maximum-likelihood fit, its time-ordered out-of-sample use, the line shown
when a forecast is recorded."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecast.scoring import logistic
from forecast.scoring.recalibration import (
    MIN_EVENTS,
    fit_recalibration,
    out_of_sample,
    recalibrated_in_time_order,
    suggestion,
    why_not_fitted,
)


def _synthetic(n: int, stretch: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Outcomes drawn from true probabilities; forecasts = the true log-odds times ``stretch``
    (> 1: too extreme, < 1: too timid)."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.05, 0.95, n)
    outcome = (rng.random(n) < truth).astype(float)
    return logistic.sigmoid(stretch * logistic.logit(truth)), outcome


@settings(max_examples=15, deadline=None)
@given(
    n=st.integers(40, 400),
    stretch=st.floats(0.5, 2.5),
    seed=st.integers(0, 10_000),
    rounded=st.booleans(),
)
def test_fit_matches_scikit_learn_without_penalty(
    n: int, stretch: float, seed: int, rounded: bool
) -> None:
    from sklearn.linear_model import LogisticRegression

    p, o = _synthetic(n, stretch, seed)
    if rounded:  # forecasts typed as whole percentages: the fit pools tied values
        p = np.clip(np.round(p, 2), 0.01, 0.99)
    if o.min() == o.max():
        return
    fit = fit_recalibration(p, o)
    assert fit is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # penalty=None is deprecated in 1.8
        model = LogisticRegression(penalty=None, tol=1e-12, max_iter=100_000)
        model.fit(logistic.logit(p)[:, None], o)
    assert fit.a == pytest.approx(float(model.intercept_[0]), abs=1e-4)
    assert fit.b == pytest.approx(float(model.coef_[0, 0]), abs=1e-4)


def test_standard_errors_are_the_inverse_observed_information() -> None:
    p, o = _synthetic(300, 1.5, 3)
    fit = fit_recalibration(p, o)
    assert fit is not None
    x = np.column_stack([np.ones(p.size), logistic.logit(p)])
    s = logistic.sigmoid(x @ np.array([fit.a, fit.b]))
    information = (x.T * (s * (1 - s))) @ x
    assert np.allclose(np.array(fit.covariance), np.linalg.inv(information), rtol=1e-6)
    low, high = fit.b_interval
    assert high - fit.b == pytest.approx(1.6448536 * np.sqrt(fit.covariance[1][1]))
    assert low < fit.b < high


def test_too_extreme_forecaster_gets_b_below_one_and_gains_out_of_sample() -> None:
    p, o = _synthetic(600, 2.0, 11)
    fit = fit_recalibration(p, o)
    assert fit is not None
    assert fit.b < 1 and fit.b_interval[1] < 1
    assert "too extreme" in fit.meaning()
    # one forecast a day, each question resolving 30 days after the forecast
    made = np.arange(p.size, dtype=float)
    result = out_of_sample(p, o, made, made + 30)
    assert result["n_scored"] == p.size - (MIN_EVENTS + 30)
    assert result["brier_after"] < result["brier_before"]
    assert result["log_after"] < result["log_before"]
    assert result["helped"] is True


def test_too_timid_forecaster_gets_b_above_one() -> None:
    p, o = _synthetic(600, 0.5, 12)
    fit = fit_recalibration(p, o)
    assert fit is not None and fit.b_interval[0] > 1
    assert "too timid" in fit.meaning()


def test_a_calibrated_forecaster_is_told_when_recalibration_hurts() -> None:
    p, o = _synthetic(300, 1.0, 5)
    made = np.arange(p.size, dtype=float)
    result = out_of_sample(p, o, made, made + 1)
    # calibrated forecasts: the fitted recalibration only adds noise
    assert result["brier_after"] >= result["brier_before"] - 1e-3
    assert result["verdict"] in ("helped", "mixed", "would have hurt")
    assert result["helped"] == (result["verdict"] == "helped")


def test_time_ordered_fit_never_uses_a_question_resolved_after_the_forecast() -> None:
    """Flip the outcome of every event whose question resolved at or after forecast i was made:
    forecast i's recalibrated value must not move. (It would, if any of them leaked into the
    fit used for forecast i.)"""
    rng = np.random.default_rng(8)
    p, o = _synthetic(120, 2.0, 9)
    made = np.sort(rng.uniform(0, 400, p.size))
    resolved = made + rng.uniform(1, 80, p.size)
    resolved[5] = made[70]  # a tie: resolved at the very moment forecast 70 is made
    adjusted = recalibrated_in_time_order(p, o, made, resolved)
    checked = 0
    for i in np.flatnonzero(np.isfinite(adjusted)):
        later = resolved >= made[i]
        flipped = np.where(later, 1.0 - o, o)
        again = recalibrated_in_time_order(p, flipped, made, resolved)
        assert again[i] == pytest.approx(adjusted[i], abs=1e-12)
        checked += 1
    assert checked > 50
    # and the flips do change forecasts whose fits saw those events: the check has teeth
    all_flipped = recalibrated_in_time_order(p, 1.0 - o, made, resolved)
    finite = np.isfinite(adjusted)
    assert not np.allclose(all_flipped[finite], adjusted[finite])


def test_fewer_than_twenty_events_gives_no_fit_and_says_so() -> None:
    p, o = _synthetic(19, 1.0, 1)
    o[:2] = [0.0, 1.0]
    assert fit_recalibration(p, o) is None
    assert why_not_fitted(o) == "only 19 resolved forecasts; recalibration needs at least 20"
    line, value = suggestion(0.8, p, o)
    assert value is None and line.startswith("no recalibration yet: only 19")
    assert fit_recalibration(np.full(30, 0.7), np.ones(30)) is None


def test_suggestion_line_by_hand() -> None:
    # 10 forecasts of 0.8, of which 6 came true; 10 of 0.2 with 2; 10 of 0.5 with 5
    p = np.repeat([0.8, 0.2, 0.5], 10)
    o = np.array([1] * 6 + [0] * 4 + [1] * 2 + [0] * 8 + [1] * 5 + [0] * 5, dtype=float)
    line, value = suggestion(0.8, p, o)
    fit = fit_recalibration(p, o)
    assert fit is not None and value is not None
    assert value == pytest.approx(float(fit.apply(np.array([0.8]))[0]))
    # Jeffreys 90% for 6 of 10: Beta(6.5, 4.5) 5% and 95% quantiles, 0.347 and 0.815
    assert (
        line
        == f"your 80%s have come true 60% of the time (n = 10; 90% interval 35–81%); recalibrated: {100 * value:.0f}%"
    )
    far, _ = suggestion(0.97, p, o)
    assert far.startswith("you have no resolved forecasts within 5 points of 97%")
