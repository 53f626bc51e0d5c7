"""A forecaster's own calibration, learned from their resolved binary forecasts.

- The fit: logistic recalibration logit p' = a + b logit p by maximum likelihood
  (``forecast.scoring.logistic.fit``: SciPy's trust-exact with the analytic gradient and Hessian;
  standard errors from the observed information), forecasts clipped to [1e-6, 1 - 1e-6] before
  the logit. b < 1: the forecasts were too extreme (recalibrating pulls them toward 1/2);
  b > 1: too timid. a shifts every forecast toward Yes (a > 0) or No (a < 0).
- Fewer than ``MIN_EVENTS`` (20) resolved events, or events that all went one way: no fit.
- Out of sample, in time order (``out_of_sample``): each forecast is recalibrated only by a fit
  on that forecaster's events whose question resolved strictly before the forecast was made.
  Fits are redone as that history grows (at every new event up to 40, then each time it grows by
  5%), so the fit used may leave out the latest few of those events, never a later one. The
  Brier and log scores of the forecasts that had a fit, as stated and as recalibrated, say
  whether recalibration would have helped; it can hurt, and is then shown as such.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from forecast.scoring import logistic
from forecast.scoring.scores import brier_terms, log_terms

MIN_EVENTS = 20
EVERY_EVENT_UP_TO = 40
REFIT_GROWTH = 1.05


@dataclass(frozen=True)
class Recalibration:
    """A fitted logit p' = a + b logit p."""

    n: int
    a: float
    b: float
    covariance: tuple[tuple[float, float], tuple[float, float]]
    converged: bool

    @property
    def a_interval(self) -> tuple[float, float]:
        half = logistic.Z90 * math.sqrt(self.covariance[0][0])
        return self.a - half, self.a + half

    @property
    def b_interval(self) -> tuple[float, float]:
        half = logistic.Z90 * math.sqrt(self.covariance[1][1])
        return self.b - half, self.b + half

    def apply(self, p: ArrayLike) -> np.ndarray:
        return logistic.sigmoid(self.a + self.b * logistic.logit(np.asarray(p, dtype=float)))

    def meaning(self) -> str:
        low, high = self.b_interval
        if high < 1.0:
            return (
                f"b = {self.b:.2f} < 1: your forecasts are too extreme; "
                "recalibrating pulls them toward 50%"
            )
        if low > 1.0:
            return (
                f"b = {self.b:.2f} > 1: your forecasts are too timid; "
                "recalibrating pushes them away from 50%"
            )
        return (
            f"b = {self.b:.2f}: the 90% interval includes 1, so no clear sign of "
            "over- or under-confidence"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "a": self.a,
            "a_interval": list(self.a_interval),
            "b": self.b,
            "b_interval": list(self.b_interval),
            "covariance": [list(row) for row in self.covariance],
            "converged": self.converged,
            "meaning": self.meaning(),
        }


def why_not_fitted(o: ArrayLike) -> str | None:
    """Why there is no fit for these outcomes (None: there can be one)."""
    outcomes = np.asarray(o, dtype=float)
    if outcomes.size < MIN_EVENTS:
        return f"only {outcomes.size} resolved forecasts; recalibration needs at least {MIN_EVENTS}"
    if outcomes.min() == outcomes.max():
        return "every resolved forecast's event went the same way; recalibration needs both"
    return None


def fit_recalibration(
    p: ArrayLike, o: ArrayLike, start: tuple[float, float] | None = None
) -> Recalibration | None:
    """The maximum-likelihood recalibration, or None when ``why_not_fitted`` has a reason."""
    probs, outcomes = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    if why_not_fitted(outcomes) is not None:
        return None
    # One row per distinct forecast value with its count and events: the same likelihood, and
    # forecasts typed as percentages take ~100 rows instead of one per forecast.
    values, which = np.unique(probs, return_inverse=True)
    trials = np.bincount(which, minlength=values.size).astype(float)
    events = np.bincount(which, weights=outcomes, minlength=values.size)
    x = np.column_stack([np.ones(values.size), logistic.logit(values)])
    result = logistic.fit(
        x, events, trials=trials, start=np.array((0.0, 1.0) if start is None else start)
    )
    cov = result.covariance
    return Recalibration(
        n=int(probs.size),
        a=float(result.theta[0]),
        b=float(result.theta[1]),
        covariance=((float(cov[0, 0]), float(cov[0, 1])), (float(cov[1, 0]), float(cov[1, 1]))),
        converged=result.converged,
    )


def refit_sizes(available: int) -> list[int]:
    """The history sizes at which the out-of-sample fit is redone, up to ``available``."""
    sizes, size = [], MIN_EVENTS
    while size <= available:
        sizes.append(size)
        size = (
            size + 1 if size < EVERY_EVENT_UP_TO else max(size + 1, math.ceil(size * REFIT_GROWTH))
        )
    return sizes


def recalibrated_in_time_order(
    p: ArrayLike, o: ArrayLike, made: ArrayLike, resolved: ArrayLike
) -> np.ndarray:
    """Each forecast recalibrated by a fit on the events whose question resolved strictly before
    it was made (NaN where that history is too short for a fit).

    p, o: each forecast and its outcome; made: when it was made; resolved: when its question
    resolved (any increasing time scale, e.g. Julian days)."""
    probs, outcomes = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    made_at, resolved_at = np.asarray(made, dtype=float), np.asarray(resolved, dtype=float)
    order = np.argsort(resolved_at, kind="stable")
    known = np.searchsorted(resolved_at[order], made_at, side="left")  # resolved strictly before
    sizes = np.array(refit_sizes(int(known.max()) if known.size else 0), dtype=np.int64)
    adjusted = np.full(probs.size, np.nan)
    fitted_with = np.searchsorted(sizes, known, side="right") - 1  # the largest size <= known
    previous: tuple[float, float] | None = None
    for which, size in enumerate(sizes.tolist()):
        users = np.flatnonzero(fitted_with == which)
        if users.size == 0:
            continue
        history = order[:size]
        fit = fit_recalibration(probs[history], outcomes[history], start=previous)
        if fit is None:
            continue
        previous = (fit.a, fit.b)
        adjusted[users] = fit.apply(probs[users])
    return adjusted


def out_of_sample(
    p: ArrayLike, o: ArrayLike, made: ArrayLike, resolved: ArrayLike
) -> dict[str, Any]:
    """Brier and log scores, as stated and as recalibrated in time order
    (``recalibrated_in_time_order``), of the forecasts that had a fit."""
    probs, outcomes = np.asarray(p, dtype=float), np.asarray(o, dtype=float)
    adjusted = recalibrated_in_time_order(probs, outcomes, made, resolved)
    scored = np.isfinite(adjusted)
    n = int(scored.sum())
    if n == 0:
        return {"n_scored": 0, "n_forecasts": int(probs.size)}
    stated, after, happened = probs[scored], adjusted[scored], outcomes[scored]
    result: dict[str, Any] = {
        "n_scored": n,
        "n_forecasts": int(probs.size),
        "brier_before": float(brier_terms(stated, happened).mean()),
        "brier_after": float(brier_terms(after, happened).mean()),
        "log_before": float(_log(stated, happened).mean()),
        "log_after": float(_log(after, happened).mean()),
    }
    better = (
        result["brier_after"] < result["brier_before"],
        result["log_after"] < result["log_before"],
    )
    result["helped"] = all(better)
    result["verdict"] = (
        "helped" if all(better) else "would have hurt" if not any(better) else "mixed"
    )
    return result


def _log(p: np.ndarray, o: np.ndarray) -> np.ndarray:
    return log_terms(np.where(o == 1.0, p, 1.0 - p))


# --- the one line shown when a forecast is recorded ---------------------------------------------


def _percent(value: float) -> str:
    return f"{100 * value:.0f}%"


def suggestion(p: float, history_p: ArrayLike, history_o: ArrayLike) -> tuple[str, float | None]:
    """The line shown when a forecaster records P(Yes) = p, and the recalibrated value (None
    when there is no fit). "your 80%s" are the resolved forecasts within 5 points of p."""
    from forecast.scoring.calibration import jeffreys_interval

    probs, outcomes = np.asarray(history_p, dtype=float), np.asarray(history_o, dtype=float)
    reason = why_not_fitted(outcomes)
    if reason is not None:
        return f"no recalibration yet: {reason}", None
    fit = fit_recalibration(probs, outcomes)
    assert fit is not None
    recalibrated = float(fit.apply(np.array([p]))[0])
    near = np.abs(probs - p) <= 0.05 + 1e-9
    k, n = float(outcomes[near].sum()), int(near.sum())
    label = f"your {_percent(p)}s"
    if n == 0:
        head = f"you have no resolved forecasts within 5 points of {_percent(p)}"
    else:
        low, high = jeffreys_interval(k, n)
        head = (
            f"{label} have come true {_percent(k / n)} of the time "
            f"(n = {n}; 90% interval {100 * float(low):.0f}–{_percent(float(high))})"
        )
    return f"{head}; recalibrated: {_percent(recalibrated)}", recalibrated
