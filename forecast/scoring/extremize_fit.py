"""The team's extremizing exponent, fitted on resolved binary questions.

The extremized aggregate of a question is sigmoid(a * x), x the mean log-odds of the forecasts
standing at close (clipped as ``aggregate.CLIP``). Fitted: the maximum-likelihood a in
y ~ Bernoulli(sigmoid(a x)) (``logistic.fit``, one coefficient, no intercept), with a 90% Wald
interval from the observed information. Fewer than ``MIN_QUESTIONS`` questions, or outcomes all
one way: no fit.

Out of sample, in time order: each question's aggregate is extremized with an a fitted only on
questions resolved strictly before that aggregate was formed (the question's close, or its
resolution if earlier); refits follow ``recalibration.refit_sizes``. Its scores are shown beside
those of the fixed exponent and of the plain geometric mean of odds (a = 1) on the same questions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from forecast.scoring import aggregate, logistic
from forecast.scoring.recalibration import refit_sizes
from forecast.scoring.scores import brier, log_score

MIN_QUESTIONS = 20


def mean_log_odds(p: ArrayLike) -> float:
    """The mean log-odds of one question's standing forecasts, clipped like the aggregate."""
    clipped = np.clip(np.asarray(p, dtype=float), aggregate.CLIP, 1.0 - aggregate.CLIP)
    return float(np.mean(np.log(clipped / (1.0 - clipped))))


def why_not_fitted(y: ArrayLike) -> str | None:
    outcomes = np.asarray(y, dtype=float)
    if outcomes.size < MIN_QUESTIONS:
        return (
            f"only {outcomes.size} resolved binary questions; "
            f"fitting the exponent needs at least {MIN_QUESTIONS}"
        )
    if outcomes.min() == outcomes.max():
        return "every question resolved the same way; fitting the exponent needs both"
    return None


def fit_exponent(x: ArrayLike, y: ArrayLike) -> dict[str, Any] | None:
    """{"a", "interval", "n"} for the maximum-likelihood exponent, or None (``why_not_fitted``)."""
    log_odds, outcomes = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if why_not_fitted(outcomes) is not None or not np.any(log_odds != 0.0):
        return None
    fit = logistic.fit(log_odds[:, None], outcomes, start=np.ones(1))
    a = float(fit.theta[0])
    if not (a > 0 and math.isfinite(a)):
        return None
    low, high = fit.interval(0)
    return {"a": a, "interval": [low, high], "n": int(outcomes.size)}


def out_of_sample(
    x: ArrayLike, y: ArrayLike, formed: ArrayLike, resolved: ArrayLike, fixed: float
) -> dict[str, Any]:
    """Scores of the time-ordered fitted exponent, the fixed one and a = 1, where a fit existed."""
    log_odds, outcomes = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    order = np.argsort(np.asarray(resolved, dtype=float), kind="stable")
    known = np.searchsorted(
        np.asarray(resolved, dtype=float)[order], np.asarray(formed, dtype=float), side="left"
    )
    sizes = np.array(refit_sizes(int(known.max()) if known.size else 0), dtype=np.int64)
    fitted_with = np.searchsorted(sizes, known, side="right") - 1
    exponent = np.full(outcomes.size, np.nan)
    for which, size in enumerate(sizes.tolist()):
        users = np.flatnonzero(fitted_with == which)
        if users.size == 0:
            continue
        history = order[:size]
        fit = fit_exponent(log_odds[history], outcomes[history])
        if fit is not None:
            exponent[users] = fit["a"]
    scored = np.isfinite(exponent)
    if not scored.any():
        return {"n_scored": 0}
    x_s, y_s = log_odds[scored], outcomes[scored]
    fitted_p = logistic.sigmoid(exponent[scored] * x_s)
    fixed_p, plain_p = logistic.sigmoid(fixed * x_s), logistic.sigmoid(x_s)
    return {
        "n_scored": int(scored.sum()),
        "fitted": {"brier": brier(fitted_p, y_s), "log_score": log_score(fitted_p, y_s)},
        "fixed": {"a": fixed, "brier": brier(fixed_p, y_s), "log_score": log_score(fixed_p, y_s)},
        "geometric_mean_of_odds": {
            "brier": brier(plain_p, y_s),
            "log_score": log_score(plain_p, y_s),
        },
    }
